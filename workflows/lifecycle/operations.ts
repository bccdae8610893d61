import { getExternalWorkflowHandle, ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { Transition } from '../../activities/transitions';
import { afterAcceptanceStages, seedWithoutArticle } from '../../domain/policy/profile';
import { contractsOf, retentionWorkflowId, retentionWorkflowsOf } from '../../domain/lifecycle';
import { act } from '../activity-proxies';
import { assessmentSignal } from '../messages';
import { RetentionRelease } from '../retention';
import { until } from '../timing';
import { end, enter, event, notice, nowIso } from './recorder';
import { runReview } from './review';
import { complete, type LifecycleRun } from './run';
import { expireForcedExit, forcedExitEndsAt } from './monitoring';
import { recordRegistration } from './path';
import { runSubmission } from './submission';
import { flagMissingReports } from './yearly-reports';

/**
 * After final acceptance: the retention child starts (it outlives this run), the archive is filed and
 * the post-evaluation held; then O&M year 1 begins.
 */
export async function afterAcceptance(run: LifecycleRun): Promise<void> {
  const { state, profile } = run;
  const today = await act.businessDay({ at: nowIso() });
  state.acceptedOn = today.date;
  state.operatingSince = today.date;
  if (profile.retention) {
    // One retention per contract: a project procured in lots has one per lot.
    state.retentionWorkflowIds = [];
    for (const contract of contractsOf(state)) {
      const childId = retentionWorkflowId(state.projectId, contract.contractId);
      await startChild(RetentionRelease, {
        workflowId: childId,
        args: [{
          projectId: state.projectId, projectName: state.name, unit: state.unit, jurisdiction: state.jurisdiction, profileVersion: profile.version,
          contractId: contract.contractId, sumFen: contract.sumFen, acceptedOn: today.date,
        }],
        // The retention outlives this run: O&M years continue as new runs of this workflow.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      state.retentionWorkflowIds.push(childId);
    }
    state.retentionWorkflowId = state.retentionWorkflowIds[0] ?? null;
  }
  const after = afterAcceptanceStages(profile);
  if (after.archiveFiling) await runSubmission(run, after.archiveFiling);
  if (after.assetRegistration) await runSubmission(run, after.assetRegistration);
  if (after.postEvaluation) {
    const result = await runReview(run, after.postEvaluation);
    const last = state.timeline[state.timeline.length - 1];
    await signalRetention(run, 1, result === 'approved', last?.reasons?.join('; ') ?? null);
    state.evaluations.push({ year: 1, passed: result === 'approved', reasons: result === 'approved' ? [] : (last?.reasons ?? []) });
  }
  state.omYear = 1;
}

/**
 * A stock system (002 (一)) is registered straight into operation: recorded, and O&M year 1 counts from
 * its registration.
 */
export async function enterOperationDirectly(run: LifecycleRun): Promise<void> {
  const { state, profile } = run;
  await recordRegistration(run);
  const today = await act.businessDay({ at: nowIso() });
  state.operatingSince = today.date;
  state.omYear = 1;
  const rule = profile.stockSystems!.rule;
  await act.recordTransition({ events: [event(run, 'operations', 'note', { reasons: ['stock system (存量信息化项目) registered straight into operation'], rule })] });
}

/**
 * One O&M year: the yearly evaluations until the year's end, or the system's closure or retirement;
 * meanwhile a forced-exit window (./monitoring.ts) may end, which leaves the retirement to the unit.
 * 'yearOver' when the next year should run as a new execution.
 */
export async function runOperationsYear(run: LifecycleRun): Promise<'yearOver' | 'ended'> {
  const { state, profile, inbox } = run;
  const { evaluation: yearly } = profile.operations;
  const entered = enter(run, 'operations', yearly.rule);
  const yearEnd = await act.monthsAfter({ from: state.operatingSince ?? state.acceptedOn!, months: 12 * state.omYear });
  state.pending = state.monitoring?.forcedExit?.status === 'expired'
    ? { kind: 'retirement', stage: 'operations', role: 'unit', rule: profile.operations.retirement!.rule }
    : { kind: 'evaluation', stage: 'operations', role: yearly.role, dueDate: yearEnd.date, dueAt: yearEnd.startsAt, provisional: yearEnd.provisional, rule: yearly.periodRule ?? yearly.rule };
  // A monitored system without a health endpoint fails every monthly check: its unit is told at each O&M year's start (002 (二)).
  const noEndpoint = state.monitoring && !state.monitoring.endpoint
    ? [notice(run, 'actionRequired', 'unit', { decision: 'declare the health endpoint', reasons: ['the monthly monitoring calls it; without one every check fails'], rule: profile.monitoring!.rule })]
    : [];
  await act.recordTransition({ events: [entered], notifications: noEndpoint });
  for (;;) {
    // An open forced-exit window that ends before the year does wakes the loop at its end; a window opened or closed meanwhile re-arms the wait.
    const exitEndsAt = forcedExitEndsAt(run);
    const wakeAt = exitEndsAt !== undefined && exitEndsAt < yearEnd.startsAt ? exitEndsAt : yearEnd.startsAt;
    const acted = await until(() => inbox.evaluation !== undefined || inbox.close !== undefined || forcedExitEndsAt(run) !== exitEndsAt, wakeAt);
    if (!acted && wakeAt !== yearEnd.startsAt) {
      await expireForcedExit(run);
      continue;
    }
    if (!acted) {
      state.pending = null; // the year is over: its evaluations are closed before the next run
      await flagMissingReports(run);
      return 'yearOver';
    }
    if (inbox.close) {
      await closeOrRetire(run);
      return 'ended';
    }
    if (!inbox.evaluation) continue;
    const evaluation = inbox.evaluation;
    inbox.evaluation = undefined;
    const reasons = [`O&M year ${evaluation.year}`, ...evaluation.reasons];
    const recorded = event(run, 'operations', 'decision', {
      actorId: evaluation.actor.id, requestId: evaluation.actor.requestId, actorRole: evaluation.actor.role, decision: evaluation.passed ? 'approve' : 'reject',
      reasons, rule: yearly.rule,
    });
    state.evaluations.push({ year: evaluation.year, passed: evaluation.passed, reasons: evaluation.reasons });
    // 000 §18: the result is copied to the review office.
    const copies = yearly.copyTo ? [notice(run, 'filingReceived', yearly.copyTo, { decision: evaluation.passed ? 'passed' : 'failed', reasons, rule: yearly.rule })] : [];
    await act.recordTransition({ events: [recorded], notifications: copies });
    // Year 1's re-assessment re-gates tranche 1 (post-evaluation, problems fixed); each later year gates its tranche (001 §19).
    if (evaluation.year <= (profile.retention?.tranches.length ?? 0)) await signalRetention(run, evaluation.year, evaluation.passed, evaluation.reasons.join('; ') || null);
    complete(run, evaluation.ticket);
  }
}

/**
 * Closure by letter (000 §22: O&M funding stops and finance is told) or retirement by the unit with
 * the data disposition, filed with the review office (001 §36). The validator refused whichever the
 * profile lacks.
 */
async function closeOrRetire(run: LifecycleRun): Promise<void> {
  const { state, profile, inbox } = run;
  const close = inbox.close!;
  const reasons = [...close.reasons, ...(close.dataDisposition ? [close.dataDisposition] : [])];
  const recorded = event(run, 'operations', 'decision', { actorId: close.actor.id, requestId: close.actor.requestId, actorRole: close.actor.role, reasons });
  const extra: Transition = { events: [recorded], notifications: [] };
  const { closure, retirement } = profile.operations;
  let rule: string;
  if (close.kind === 'closure') {
    rule = closure?.rule ?? seedWithoutArticle(profile);
    if (closure?.stopsOmFunding) {
      const reason = `closed: ${close.reasons.join('; ')}`;
      state.omFundingBlocked = true;
      extra.paymentBlock = { projectId: state.projectId, scope: 'omFunding', reason, rule, since: recorded.occurredAt };
      extra.notifications!.push(notice(run, 'paymentsBlocked', 'finance', { decision: 'O&M funding', reasons: [reason], rule }));
    }
  } else {
    rule = retirement?.rule ?? seedWithoutArticle(profile);
    if (retirement) extra.notifications!.push(notice(run, 'filingReceived', retirement.filedWith, { decision: 'retired', reasons, rule }));
  }
  await end(run, close.kind === 'closure' ? 'closed' : 'retired', close.reasons.join('; '), rule, extra);
}

/** The year's assessment gates that tranche of every contract's retention (001 §19). */
async function signalRetention(run: LifecycleRun, trancheNo: number, passed: boolean, reason: string | null): Promise<void> {
  for (const workflowId of retentionWorkflowsOf(run.state)) {
    await getExternalWorkflowHandle(workflowId).signal(assessmentSignal, { trancheNo, passed, reason });
  }
}
