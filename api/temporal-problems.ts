import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { forbidden } from './auth';
import { problem, ProblemError } from './problems';
import { LIFECYCLE, type RefusalKind } from '../domain/refusal';

/**
 * Maps what Temporal answers to problems: a validator's refusal keeps its rule and field, and its kind
 * gives the status — 403 forbidden (the wrong role or unit), 409 conflict (the wrong moment: stage,
 * a decision already recorded, an ended project), 422 rule (a request that breaks a rule); an
 * unknown workflow is 404.
 */
export function temporalProblem(error: unknown, what: string): unknown {
  if (error instanceof WorkflowNotFoundError) {
    // An Update to a workflow that has finished, or whose run closed while the Update waited
    // (AbortedByWorkflowClosingErr): it exists but has ended.
    return /already completed|aborted by closing workflow/i.test(error.message) ? problem.conflict(`The ${what} has ended`) : problem.notFound(`No ${what}`);
  }
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'Refused') {
    // The validator says what kind of refusal it is (domain/refusal.ts); the wording plays no part.
    const { kind: stated, rule, field } = (error.cause.details?.[0] ?? {}) as { kind?: RefusalKind; rule?: string; field?: string };
    const detail = error.cause.message;
    // A worker from before 0.4.0 (a rolling deploy) sends no kind: the field tells the role and the moment.
    const kind = stated ?? (field?.startsWith('actor') ? 'forbidden' : field === 'stage' || field === 'status' || field === 'phase' ? 'conflict' : 'rule');
    return refusalProblem(kind, rule ?? LIFECYCLE, field, detail);
  }
  if ((error as { code?: number })?.code === 5 || /workflow execution already completed/i.test((error as Error)?.message ?? '')) {
    return problem.conflict(`The ${what} has ended`);
  }
  return error;
}

/** A validator's refusal as a problem: its kind gives the status, its field the pointer. */
export function refusalProblem(kind: RefusalKind, rule: string, field: string | undefined, detail: string): ProblemError {
  if (kind === 'forbidden') return forbidden(detail, rule);
  if (kind === 'conflict') return problem.conflict(detail, { rule });
  return problem.rule(detail, rule, field ? `/body/${field.replace(/\./g, '/')}` : undefined);
}

export async function callTemporal<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const mapped = temporalProblem(error, what);
    if (mapped instanceof ProblemError) throw mapped;
    throw error;
  }
}
