import type { z } from 'zod';
import type { Transition } from '../../activities/transitions';
import type { Actor, healthEndpointInputSchema, healthReportInputSchema } from '../../domain/lifecycle';
import { consecutiveFailingMonths, FORCED_EXIT_SUBJECT, periodOf, withCheck, type MonitoringState, type MonthlyCheckDue } from '../../domain/monitoring';
import type { PolicyProfile } from '../../domain/policy/profile';
import type { ProjectProposal } from '../../domain/project';
import { act } from '../activity-proxies';
import { event, notice, nowIso } from './recorder';
import type { LifecycleRun } from './run';

/**
 * Monitoring of a system in operation (002 (二)): each month the round asks the system's workflow to
 * check its declared health endpoint; the review office may report a month by hand, and the unit may ask
 * for a check after a repair. Enough consecutive failing months put the system on the forced-exit path:
 * the unit is told and has the rectification window to recover, finance sees its O&M money blocked, and
 * without recovery the system is retired with its data disposition (./operations.ts).
 */

/** How many checks the workflow state shows (the system of record keeps them all; the counting reads `months`). */
const CHECKS_KEPT = 24;

/** A new project's monitoring: its endpoint if the proposal declared one; null where the profile has no monitoring. */
export function initialMonitoring(profile: PolicyProfile, proposal: ProjectProposal): MonitoringState | null {
  return profile.monitoring ? { endpoint: proposal.healthEndpoint ?? null, checks: [], months: [], consecutiveFailures: 0, forcedExit: null } : null;
}

/** Whether the system is checked now: in operation, and not already retiring after an expired window. */
const monitored = (run: LifecycleRun): boolean =>
  run.state.status === 'active' && run.state.stage === 'operations' && run.state.monitoring !== null && run.state.monitoring.forcedExit?.status !== 'expired';

/**
 * Checks and reports of one system are applied one at a time: each reads the counts the one before
 * left. A task that fails answers its own caller only; the queue goes on with the next.
 */
function serially(run: LifecycleRun, task: () => Promise<void>): Promise<void> {
  const next = run.monitoringQueue.then(task);
  run.monitoringQueue = next.catch(() => undefined);
  return next;
}

/** The round's call for a month: checked once per month, whatever the round's retries. */
export function checkForMonth(run: LifecycleRun, due: MonthlyCheckDue): Promise<void> {
  return serially(run, async () => {
    if (!monitored(run)) return;
    const monitoring = run.state.monitoring!;
    if (monitoring.months.some((month) => month.scheduled && month.period === due.period)) return;
    const result = await act.checkHealth({ endpoint: monitoring.endpoint });
    await applyResult(run, { period: due.period, source: 'schedule', healthy: result.healthy, detail: result.detail, recordedBy: `monitoring round ${due.roundId}` });
  });
}

/** A recheck the unit asked for, or the review office's report by hand, for the current month. */
export function reportHealth(run: LifecycleRun, input: z.infer<typeof healthReportInputSchema>): Promise<void> {
  return serially(run, async () => {
    const today = await act.businessDay({ at: nowIso() });
    const period = periodOf(today.date);
    if (input.source === 'recheck') {
      const result = await act.checkHealth({ endpoint: run.state.monitoring!.endpoint });
      await applyResult(run, { period, source: 'recheck', healthy: result.healthy, detail: result.detail, recordedBy: input.actor.id, actor: input.actor });
    } else {
      await applyResult(run, { period, source: 'manual', healthy: input.healthy, detail: input.reasons.join('; '), recordedBy: input.actor.id, actor: input.actor });
    }
  });
}

/** The unit (during a forced exit, the bureau) declares or changes its system's health endpoint. */
export async function declareHealthEndpoint(run: LifecycleRun, input: z.infer<typeof healthEndpointInputSchema>): Promise<void> {
  const monitoring = run.state.monitoring!;
  monitoring.endpoint = input.endpoint;
  const recorded = event(run, run.state.stage, 'note', {
    actorId: input.actor.id, requestId: input.actor.requestId, actorRole: input.actor.role, reasons: [`health endpoint declared: ${input.endpoint}`], rule: run.profile.monitoring!.rule,
  });
  await act.recordTransition({ events: [recorded] });
}

interface CheckOutcome {
  period: string;
  source: 'schedule' | 'recheck' | 'manual';
  healthy: boolean;
  detail: string;
  recordedBy: string;
  actor?: Actor;
}

/**
 * Records one result and moves the forced-exit path: a healthy month inside the window recovers the
 * system (its O&M money is released); the configured run of failing months opens the path.
 */
async function applyResult(run: LifecycleRun, outcome: CheckOutcome): Promise<void> {
  const { state } = run;
  const policy = run.profile.monitoring!;
  const monitoring = state.monitoring!;
  const at = nowIso();
  const months = withCheck(monitoring.months, { period: outcome.period, healthy: outcome.healthy, at, scheduled: outcome.source === 'schedule' });
  const open = monitoring.forcedExit?.status === 'open' ? monitoring.forcedExit : null;
  // After a recovery a new forced exit takes the configured run of failing months again.
  const countFrom = monitoring.forcedExit?.status === 'recovered' ? monitoring.forcedExit.endedAt : undefined;
  const failingMonths = consecutiveFailingMonths(months, countFrom);
  const opens = !open && failingMonths >= policy.failingMonths.count;
  // The window's end is computed first, so the state shows the check and the path it opens together.
  const window = opens ? await act.monthsAfter({ from: nowIso(), months: policy.rectificationWindow.months }) : null;
  monitoring.checks = [...monitoring.checks, { period: outcome.period, source: outcome.source, healthy: outcome.healthy, detail: outcome.detail, at }].slice(-CHECKS_KEPT);
  monitoring.months = months;
  monitoring.consecutiveFailures = failingMonths;
  const verdict = outcome.healthy ? 'runs properly' : 'does not run properly';
  const reasons = [`monitoring ${outcome.period} (${outcome.source}): ${verdict} — ${outcome.detail}`];
  if (!outcome.healthy) reasons.push(`${monitoring.consecutiveFailures} consecutive failing month(s) of ${policy.failingMonths.count} [${policy.failingMonths.rule}]`);
  const recorded = event(run, 'operations', 'note', {
    ...(outcome.actor ? { actorId: outcome.actor.id, requestId: outcome.actor.requestId, actorRole: outcome.actor.role } : {}), reasons, rule: policy.rule,
  });
  const transition: Transition = {
    events: [recorded],
    healthCheck: {
      checkKey: recorded.eventKey, projectId: state.projectId, period: outcome.period, source: outcome.source, healthy: outcome.healthy, detail: outcome.detail,
      endpoint: monitoring.endpoint, checkedAt: recorded.occurredAt, recordedBy: outcome.recordedBy,
    },
    notifications: outcome.healthy ? [] : [notice(run, 'decisionRecorded', 'unit', { decision: 'monitoring: the system does not run properly', reasons, rule: policy.rule })],
  };
  if (open && outcome.healthy) {
    open.status = 'recovered';
    open.endedAt = recorded.occurredAt;
    state.omFundingBlocked = false;
    const recovered = [`recovered inside the rectification window (by ${open.rectifyBy}): the system stays in operation`];
    transition.events!.push(event(run, 'operations', 'decision', { decision: 'approve', reasons: recovered, rule: policy.rule }));
    transition.liftPaymentBlock = { projectId: state.projectId, scope: 'omFunding', since: open.since, subject: FORCED_EXIT_SUBJECT, liftedAt: recorded.occurredAt };
    transition.notifications!.push(
      notice(run, 'decisionRecorded', 'unit', { decision: 'forced exit lifted', reasons: recovered, rule: policy.rule }),
      notice(run, 'decisionRecorded', policy.reportedBy, { decision: 'forced exit lifted', reasons: recovered, rule: policy.rule }),
      notice(run, 'paymentsUnblocked', 'finance', { decision: 'O&M funding', reasons: recovered, rule: policy.rule }),
    );
  } else if (window) {
    const exitReasons = [
      `${monitoring.consecutiveFailures} consecutive months not running properly [${policy.failingMonths.rule}]: forced exit`,
      `recover by ${window.date} (${policy.rectificationWindow.months} months [${policy.rectificationWindow.rule}]), or the system is retired`,
    ];
    monitoring.forcedExit = { since: recorded.occurredAt, rectifyBy: window.date, rectifyByAt: window.endsAt, status: 'open', reasons: exitReasons };
    state.omFundingBlocked = true;
    const blockReason = `forced exit (${policy.rule}): the system does not run properly; O&M money blocked until it recovers`;
    transition.events!.push(event(run, 'operations', 'breach', { reasons: exitReasons, rule: policy.rule }));
    transition.paymentBlock = { projectId: state.projectId, scope: 'omFunding', reason: blockReason, rule: policy.rule, since: recorded.occurredAt, subject: FORCED_EXIT_SUBJECT };
    transition.notifications!.push(
      notice(run, 'decisionRecorded', 'unit', { decision: 'forced exit: rectify', reasons: exitReasons, rule: policy.rule, dueDate: window.date }),
      notice(run, 'decisionRecorded', policy.reportedBy, { decision: 'forced exit', reasons: exitReasons, rule: policy.rule, dueDate: window.date }),
      notice(run, 'paymentsBlocked', 'finance', { decision: 'O&M funding', reasons: [blockReason], rule: policy.rule }),
    );
  }
  await act.recordTransition(transition);
}

/** The instant the open forced-exit window ends, if one is open. */
export function forcedExitEndsAt(run: LifecycleRun): string | undefined {
  const exit = run.state.monitoring?.forcedExit;
  return exit?.status === 'open' ? exit.rectifyByAt : undefined;
}

/**
 * The window ended without recovery: the system is retired (002 (二), (七)). The O&M money stays blocked;
 * the unit files the data disposition with the retirement, which ends the project.
 */
export function expireForcedExit(run: LifecycleRun): Promise<void> {
  return serially(run, async () => {
    const { state, profile } = run;
    const exit = state.monitoring?.forcedExit;
    if (exit?.status !== 'open') return;
    const policy = profile.monitoring!;
    const retirementRule = profile.operations.retirement!.rule;
    exit.status = 'expired';
    exit.endedAt = nowIso();
    const reasons = [`not recovered by ${exit.rectifyBy}: the system exits and is retired`, 'the unit files the retirement with its data disposition (backed up, migrated or destroyed)'];
    const breach = event(run, 'operations', 'breach', { reasons, rule: policy.rule });
    state.pending = { kind: 'retirement', stage: 'operations', role: 'unit', rule: retirementRule };
    await act.recordTransition({
      events: [breach],
      notifications: [
        notice(run, 'actionRequired', 'unit', { decision: 'retire the system', reasons, rule: retirementRule }),
        notice(run, 'decisionRecorded', policy.reportedBy, { decision: 'forced exit: retirement', reasons, rule: policy.rule }),
      ],
    });
  });
}
