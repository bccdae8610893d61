import { patched } from '@temporalio/workflow';
import type { Deadline } from '../../activities/calendar/activities';
import type { Transition } from '../../activities/transitions';
import { UNDER_CONSTRUCTION_REASON, type SubmissionStage } from '../../domain/policy/profile';
import type { ProjectStage } from '../../domain/project';
import { correspondingDay, nextDate, startOfBusinessDate } from '../../domain/periods';
import { businessDateOf } from '../../domain/records';
import { act } from '../activity-proxies';
import { patches } from '../patches';
import { deadlineOn, until } from '../timing';
import { deadlineFields, enter, event, handIn, notice } from './recorder';
import { withdrawPendingDeferral } from './deferral';
import { complete, type LifecycleRun } from './run';

/**
 * A submission by the unit (design, contract, acceptance application, …): open at once, or from an
 * earliest date (trial run); a missed deadline is a breach that flags the project or sends it back for
 * approval again (001 §15).
 */
export async function runSubmission(run: LifecycleRun, def: SubmissionStage): Promise<'done' | { backTo: string }> {
  const { state, inbox } = run;
  run.currentSubmission = def;
  const entered = enter(run, def.id as ProjectStage, def.rule);
  const rule = def.notBefore?.rule ?? def.deadline?.rule ?? def.rule;
  // Open at once, unless the earliest allowed date must be known first (trial run).
  state.pending = def.notBefore ? null : { kind: 'submission', stage: def.id as ProjectStage, role: 'unit', action: def.action, rule };
  let deadline: Deadline | null = null;
  const due = def.deadline;
  if (due && 'months' in due) deadline = await act.monthsAfter({ from: entered.occurredAt, months: due.months });
  else if (due && 'workingDays' in due) deadline = await act.workingDayDeadline({ from: entered.occurredAt, workingDays: due.workingDays });
  // The date the approval set, or as a deferral moved it (004 §16), shown as the stage's due date; its
  // miss is recorded by the watch over it (./acceptance-due.ts), whatever stage the project is in.
  const watchesAcceptanceDue = due !== undefined && 'acceptanceDue' in due;
  const acceptanceDeadline = () => (state.acceptanceDue ? deadlineOn(state.acceptanceDue.date) : null);
  if (watchesAcceptanceDue) deadline = acceptanceDeadline();
  let notBefore: { date: string; at: string } | null = null;
  if (def.notBefore) {
    const since = run.completedAt[def.notBefore.after];
    if (since) {
      if (patched(patches.allowedFromDayAfterPeriod)) {
        // Allowed only after the period: from the day after its last day, the corresponding day of the
        // last month (Civil Code art. 201–202) — a go-live on 15 March allows the application from 16
        // June. Art. 203's move past days off is for deadlines, not for a period that must pass.
        const allowedOn = nextDate(correspondingDay(businessDateOf(new Date(since)), def.notBefore.months));
        notBefore = { date: allowedOn, at: startOfBusinessDate(allowedOn) };
      } else {
        // Before v0.4.0: allowed on the period's last day, as the calendar moved it past days off.
        const period = await act.monthsAfter({ from: since, months: def.notBefore.months });
        notBefore = { date: period.date, at: period.startsAt };
      }
    }
  }
  state.pending = {
    kind: 'submission', stage: def.id as ProjectStage, role: 'unit', action: def.action, ...deadlineFields(deadline),
    ...(notBefore ? { notBeforeDate: notBefore.date, notBeforeAt: notBefore.at } : {}),
    rule,
  };
  const transition: Transition = { events: [entered], notifications: [notice(run, 'actionRequired', 'unit', { ...deadlineFields(deadline), rule: def.deadline?.rule ?? def.rule })] };
  if (def.omFundingBlockedUntilFiled) {
    // 000 §15: until filed, the project counts as under construction — no O&M money; finance is told.
    state.omFundingBlocked = true;
    transition.paymentBlock = { projectId: state.projectId, scope: 'omFunding', reason: UNDER_CONSTRUCTION_REASON, rule: def.omFundingBlockedUntilFiled.rule, since: entered.occurredAt };
    transition.notifications!.push(notice(run, 'paymentsBlocked', 'finance', { decision: 'O&M funding', reasons: [UNDER_CONSTRUCTION_REASON], rule: def.omFundingBlockedUntilFiled.rule }));
  }
  await act.recordTransition(transition);

  // The validator refuses the application until the trial run is over; a timer tells the unit the
  // day it is (001 §26(2), 000 §12). Projects that reached this stage before v0.3.0 had no timer.
  if (notBefore && patched(patches.trialRunCompleteNotice)) {
    const interrupted = await until(() => inbox.submission !== undefined || inbox.termination !== undefined, notBefore.at);
    if (!interrupted) {
      await act.recordTransition({
        events: [event(run, state.stage, 'trialRunComplete', { rule: def.notBefore!.rule })],
        notifications: [notice(run, 'trialRunComplete', 'unit', { dueDate: notBefore.date, rule: def.notBefore!.rule })],
      });
    }
  }

  let missed = false;
  for (;;) {
    const deferred = () => watchesAcceptanceDue && state.acceptanceDue?.date !== deadline?.date;
    const timer = deadline && !missed && !watchesAcceptanceDue ? deadline.endsAt : undefined;
    const submitted = await until(() => inbox.submission !== undefined || inbox.termination !== undefined || deferred(), timer);
    if (inbox.termination) return 'done';
    if (deferred()) {
      // An approved deferral moved the date (004 §16): the stage shows the new one.
      deadline = acceptanceDeadline();
      state.pending = { ...state.pending!, ...deadlineFields(deadline) };
      if (inbox.submission === undefined) continue;
    }
    if (submitted) break;
    missed = true;
    const breach = event(run, state.stage, 'breach', { rule: def.deadline?.rule });
    if (def.deadline && 'months' in def.deadline) {
      // 001 §15: not started within 6 months of approval — the project must be approved again.
      state.pending = null;
      await act.recordTransition({ events: [breach], notifications: [notice(run, 'reviewOverdue', 'unit', { dueDate: deadline?.date, rule: def.deadline.rule })] });
      run.currentSubmission = undefined;
      return { backTo: def.deadline.backTo };
    }
    if (def.deadline?.onMiss === 'flag') state.omFundingBlocked = true;
    await act.recordTransition({
      events: [breach],
      notifications: [notice(run, 'reviewOverdue', 'unit', { dueDate: deadline?.date, rule: def.deadline?.rule }), notice(run, 'reviewOverdue', 'reviewOffice', { dueDate: deadline?.date, rule: def.deadline?.rule })],
    });
  }

  const submission = inbox.submission!;
  inbox.submission = undefined;
  state.pending = null;
  const reasons = [...(submission.note ? [submission.note] : []), ...(submission.supervisor ? [`supervision: ${submission.supervisor}`] : []), ...handIn(run, submission.documents)];
  const recorded = event(run, state.stage, 'submission', { actorId: submission.actor.id, requestId: submission.actor.requestId, actorRole: 'unit', rule: def.rule, reasons: reasons.length > 0 ? reasons : undefined });
  const filing: Transition = { events: [recorded], notifications: [] };
  const lots = def.action === 'contract' ? (submission.contracts ?? (submission.contract ? [submission.contract] : [])) : [];
  if (lots.length > 0) {
    state.contract = lots[0]!;
    state.contracts = lots;
    const records = lots.map((lot) => ({ ...lot, projectId: state.projectId, filedAt: recorded.occurredAt }));
    if (records.length === 1) filing.contract = records[0];
    else filing.contracts = records;
  }
  if (def.notify) {
    const what = lots.length > 0 ? lots.map((lot) => `contract ${lot.contractId} with ${lot.contractor}, signed ${lot.signedDate}`).join('; ') : def.action;
    filing.notifications!.push(notice(run, 'filingReceived', def.notify.role, { decision: what, rule: def.notify.rule }));
  }
  if (def.omFundingBlockedUntilFiled || (state.omFundingBlocked && def.deadline?.onMiss === 'flag')) {
    state.omFundingBlocked = false;
    filing.liftPaymentBlock = { projectId: state.projectId, scope: 'omFunding', liftedAt: recorded.occurredAt };
    filing.notifications!.push(notice(run, 'paymentsUnblocked', 'finance', { decision: 'O&M funding', reasons: ['the acceptance report is filed'], rule: def.rule }));
  }
  if (watchesAcceptanceDue) filing.closeReview = withdrawPendingDeferral(run, recorded.occurredAt);
  run.completedAt[def.id] = recorded.occurredAt;
  await act.recordTransition(filing);
  run.currentSubmission = undefined;
  complete(run, submission.ticket);
  return 'done';
}

