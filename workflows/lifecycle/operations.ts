import { getExternalWorkflowHandle, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { act } from '../activity-proxies';
import { assessmentSignal } from '../messages';
import { RetentionRelease } from '../retention';
import { end, enter, event, nowIso, until } from './recorder';
import { runReview } from './review';
import { complete, type LifecycleRun } from './run';
import { runSubmission } from './submission';

/**
 * After final acceptance: the retention child starts (it outlives this run), the archive is filed and
 * the post-evaluation held; then O&M year 1 begins.
 */
export async function afterAcceptance(run: LifecycleRun): Promise<void> {
  const { state, profile } = run;
  const today = await act.businessDay({ at: nowIso() });
  state.acceptedOn = today.date;
  if (profile.retention && state.contract) {
    const retentionWorkflowId = `${state.projectId}.retention.${state.contract.contractId}`;
    await startChild(RetentionRelease, {
      workflowId: retentionWorkflowId,
      args: [{ projectId: state.projectId, projectName: state.name, unit: state.unit, jurisdiction: state.jurisdiction, contractId: state.contract.contractId, sumFen: state.contract.sumFen, acceptedOn: today.date }],
      // The retention outlives this run: O&M years continue as new runs of this workflow.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    state.retentionWorkflowId = retentionWorkflowId;
  }
  await runSubmission(run, {
    kind: 'submission', id: 'archiveFiling', action: 'archiveFiling', rule: profile.archiveFiling.rule,
    deadline: profile.archiveFiling.workingDays !== null ? { workingDays: profile.archiveFiling.workingDays, onMiss: 'flag', flag: 'omFundingBlocked', rule: profile.archiveFiling.rule } : undefined,
  });
  if (profile.postEvaluation) {
    const result = await runReview(run, { kind: 'review', id: 'postEvaluation', role: profile.postEvaluation.role, clock: null, decisions: ['approve', 'reject'], onReject: 'rectify', rule: profile.postEvaluation.rule });
    const last = state.timeline[state.timeline.length - 1];
    await signalRetention(run, 1, result === 'approved', last?.reasons?.join('; ') ?? null);
    state.evaluations.push({ year: 1, passed: result === 'approved', reasons: result === 'approved' ? [] : (last?.reasons ?? []) });
  }
  state.omYear = 1;
}

/**
 * One O&M year: the yearly evaluations until the year's end, or the system's closure or retirement.
 * 'yearOver' when the next year should run as a new execution.
 */
export async function runOperationsYear(run: LifecycleRun): Promise<'yearOver' | 'ended'> {
  const { state, profile, inbox } = run;
  const entered = enter(run, 'operations', profile.operations.evaluationRule);
  const yearEnd = await act.monthsAfter({ from: state.acceptedOn!, months: 12 * state.omYear });
  state.pending = { kind: 'evaluation', stage: 'operations', role: profile.operations.evaluationRole, dueDate: yearEnd.date, dueAt: yearEnd.startsAt, provisional: yearEnd.provisional, rule: profile.operations.evaluationRule };
  await act.recordTransition({ events: [entered] });
  for (;;) {
    const acted = await until(() => inbox.evaluation !== undefined || inbox.close !== undefined, yearEnd.startsAt);
    if (!acted) {
      state.pending = null; // the year is over: its evaluations are closed before the next run
      return 'yearOver';
    }
    if (inbox.close) {
      const close = inbox.close;
      const recorded = event(run, 'operations', 'decision', { actorId: close.actor.id, requestId: close.actor.requestId, actorRole: close.actor.role, reasons: [...close.reasons, ...(close.dataDisposition ? [close.dataDisposition] : [])] });
      const rule = close.kind === 'closure' ? profile.operations.closureRule : '001 §36';
      await end(run, close.kind === 'closure' ? 'closed' : 'retired', close.reasons.join('; '), rule, { events: [recorded] });
      return 'ended';
    }
    const evaluation = inbox.evaluation!;
    inbox.evaluation = undefined;
    const recorded = event(run, 'operations', 'decision', {
      actorId: evaluation.actor.id, requestId: evaluation.actor.requestId, actorRole: evaluation.actor.role, decision: evaluation.passed ? 'approve' : 'reject',
      reasons: [`O&M year ${evaluation.year}`, ...evaluation.reasons], rule: profile.operations.evaluationRule,
    });
    state.evaluations.push({ year: evaluation.year, passed: evaluation.passed, reasons: evaluation.reasons });
    await act.recordTransition({ events: [recorded] });
    // Year 1's re-assessment re-gates tranche 1 (post-evaluation, problems fixed); years 2 and 3 gate tranches 2 and 3.
    if (evaluation.year <= 3) await signalRetention(run, evaluation.year, evaluation.passed, evaluation.reasons.join('; ') || null);
    complete(run, evaluation.ticket);
  }
}

async function signalRetention(run: LifecycleRun, trancheNo: number, passed: boolean, reason: string | null): Promise<void> {
  if (!run.state.retentionWorkflowId) return;
  await getExternalWorkflowHandle(run.state.retentionWorkflowId).signal(assessmentSignal, { trancheNo, passed, reason });
}
