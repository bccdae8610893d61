import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { forbidden } from './auth';
import { problem, ProblemError } from './problems';

/**
 * Maps what Temporal answers to problems: a validator's refusal keeps its rule and field —
 * 403 for the wrong role, 409 for the wrong moment (stage, a decision already recorded), 422 for a
 * request that breaks a rule; an unknown workflow is 404.
 */
export function temporalProblem(error: unknown, what: string): unknown {
  if (error instanceof WorkflowNotFoundError) {
    // An Update to a workflow that has finished, or whose run closed while the Update waited
    // (AbortedByWorkflowClosingErr): it exists but has ended.
    return /already completed|aborted by closing workflow/i.test(error.message) ? problem.conflict(`The ${what} has ended`) : problem.notFound(`No ${what}`);
  }
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'Refused') {
    const { rule, field } = (error.cause.details?.[0] ?? {}) as { rule?: string; field?: string };
    const detail = error.cause.message;
    if (field?.startsWith('actor')) return forbidden(detail, rule);
    // The wrong moment (stage, action, a tranche's status, a plan's phase) or a step already taken is a conflict.
    const wrongMoment = field === 'stage' || field === 'status' || field === 'phase' || (field === 'action' && /not expected|nothing awaits/.test(detail));
    if (rule === 'lifecycle' || wrongMoment || /already|has ended/.test(detail)) {
      return problem.conflict(detail, { rule });
    }
    return problem.rule(detail, rule ?? 'lifecycle', field ? `/body/${field.replace(/\./g, '/')}` : undefined);
  }
  if ((error as { code?: number })?.code === 5 || /workflow execution already completed/i.test((error as Error)?.message ?? '')) {
    return problem.conflict(`The ${what} has ended`);
  }
  return error;
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
