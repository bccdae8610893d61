import type { Deadline } from '../../activities/calendar/activities';
import type { Transition } from '../../activities/transitions';
import { contractsOf, type PendingAction } from '../../domain/lifecycle';
import type { ReviewStage } from '../../domain/policy/profile';
import { retentionSchedule } from '../../domain/policy/retention';
import type { ProjectStage } from '../../domain/project';
import { act } from '../activity-proxies';
import { patched } from '@temporalio/workflow';
import { patches } from '../patches';
import { deadlineOn, until } from '../timing';
import { deadlineFields, end, enter, event, handIn, notice, nowIso } from './recorder';
import { watchAcceptanceDue } from './acceptance-due';
import { complete, type LifecycleRun } from './run';

/**
 * A review stage: open for the deciding role with its working-day clock (reminder at the due date's
 * start, breach and escalation at its end — never an automatic approval), then approve, reject, or
 * ask the unit to revise, the clock pausing or restarting per profile.
 */
export async function runReview(run: LifecycleRun, def: ReviewStage, resumeWorkingDays?: number): Promise<'approved' | 'rejected' | 'ended'> {
  const { state, inbox } = run;
  run.currentReview = def;
  const entered = enter(run, def.id as ProjectStage, def.rule);
  const reviewKey = `${state.projectId}:${def.id}:${run.sequence}`;
  let clockFrom = nowIso();
  let clockDays = resumeWorkingDays ?? def.clock?.workingDays ?? 0;
  let deadline: Deadline | null = null;
  // Who signs, in order: the deciding role, then its co-signers (003 §20); the one whose turn it is decides now.
  const signers = [def.role, ...(def.coSigners?.roles ?? [])];
  let signed = 0;
  let signerKey = reviewKey;
  const openPending = (): PendingAction => ({ kind: 'review', stage: def.id as ProjectStage, role: signers[signed]!, reviewKey: signerKey, ...deadlineFields(deadline), rule: def.clock?.rule ?? def.rule });
  // Open for decisions at once; the due date follows from the calendar activity.
  state.pending = openPending();
  if (def.clock) deadline = await act.workingDayDeadline({ from: clockFrom, workingDays: clockDays });
  state.pending = openPending();
  await act.recordTransition({
    events: [entered],
    openReview: {
      reviewKey, projectId: state.projectId, jurisdiction: state.jurisdiction, unit: state.unit, stage: def.id, assigneeRole: def.role,
      openedAt: clockFrom, dueDate: deadline?.date ?? null, dueProvisional: deadline?.provisional ?? false,
    },
    notifications: [notice(run, 'actionRequired', def.role, { dueDate: deadline?.date, provisional: deadline?.provisional, rule: def.clock?.rule ?? def.rule })],
  });

  let reminded = false;
  let escalated = false;
  for (;;) {
    const nextTimer = deadline && !reminded ? deadline.startsAt : deadline && !escalated ? deadline.endsAt : undefined;
    const woke = await until(() => inbox.decision !== undefined || inbox.calendarChanged, nextTimer);
    if (inbox.calendarChanged) {
      inbox.calendarChanged = false;
      if (deadline?.provisional) {
        deadline = await act.workingDayDeadline({ from: clockFrom, workingDays: clockDays });
        state.pending = openPending();
        await act.recordTransition({ rescheduleReview: { reviewKey: signerKey, dueDate: deadline.date, provisional: deadline.provisional } });
      }
      continue;
    }
    if (!woke) {
      if (!reminded) {
        reminded = true;
        const reminder = event(run, state.stage, 'reminder', { rule: def.clock?.rule });
        await act.recordTransition({ events: [reminder], notifications: [notice(run, 'reviewReminder', signers[signed]!, { ...deadlineFields(deadline), rule: def.clock?.rule })] });
      } else {
        // Overdue: recorded as a breach and escalated — never an automatic approval.
        escalated = true;
        const breach = event(run, state.stage, 'breach', { rule: def.clock?.rule });
        await act.recordTransition({
          events: [breach],
          breachReview: signerKey,
          notifications: [
            notice(run, 'reviewOverdue', signers[signed]!, { dueDate: deadline?.date, rule: def.clock?.rule }),
            ...(signers[signed] !== 'reviewOffice' ? [notice(run, 'reviewOverdue', 'reviewOffice', { dueDate: deadline?.date, rule: def.clock?.rule })] : []),
          ],
        });
      }
      continue;
    }

    const decision = inbox.decision!;
    inbox.decision = undefined;
    state.pending = null; // closed until this decision is applied
    const recorded = event(run, state.stage, 'decision', {
      actorId: decision.actor.id, requestId: decision.actor.requestId,
      actorRole: decision.actor.role,
      decision: decision.decision,
      reasons: [
        ...decision.reasons, ...decision.refusalGrounds.map((code) => `ground:${code}`), ...decision.experts.map((expert) => `expert:${expert}`),
        ...(decision.acceptanceDueBy ? [`acceptance due by ${decision.acceptanceDueBy}`] : []),
        ...(decision.tenderCeilingFen !== undefined ? [`tender ceiling price ${decision.tenderCeilingFen} fen`] : []),
        ...handIn(run, decision.documents),
      ],
      rule: def.rule,
    });
    const told = notice(run, 'decisionRecorded', 'unit', { decision: decision.decision, reasons: decision.reasons, rule: def.rule });
    if (decision.decision === 'approve' && signed < signers.length - 1) {
      // Signed by one, awaited from the next: the review stays open on the same clock (003 §20).
      signed += 1;
      const nextKey = `${reviewKey}:${signers[signed]}`;
      await act.recordTransition({
        events: [recorded],
        closeReview: { reviewKey: signerKey, status: 'approved', decidedAt: recorded.occurredAt },
        openReview: {
          reviewKey: nextKey, projectId: state.projectId, jurisdiction: state.jurisdiction, unit: state.unit, stage: def.id, assigneeRole: signers[signed]!,
          openedAt: recorded.occurredAt, dueDate: deadline?.date ?? null, dueProvisional: deadline?.provisional ?? false,
        },
        notifications: [notice(run, 'actionRequired', signers[signed]!, { ...deadlineFields(deadline), rule: def.coSigners!.rule })],
      });
      signerKey = nextKey;
      // The next signer is reminded and escalated on the same clock (at once, if its dates have passed).
      reminded = false;
      escalated = false;
      state.pending = openPending();
      complete(run, decision.ticket);
      continue;
    }
    if (decision.decision !== 'requestRevision') {
      state.pending = null;
      await act.recordTransition({
        events: [recorded],
        closeReview: { reviewKey: signerKey, status: decision.decision === 'approve' ? 'approved' : 'rejected', decidedAt: recorded.occurredAt },
        notifications: [told],
      });
      run.currentReview = undefined;
      if (decision.decision === 'approve') {
        run.completedAt[def.id] = recorded.occurredAt;
        // The approval fixes the tender ceiling price the contract must keep within (003 §14); the validator required it.
        if (def.approvalSetsTenderCeiling && decision.tenderCeilingFen !== undefined) state.tenderCeilingFen = decision.tenderCeilingFen;
        // The approval sets the date by which the project is to be accepted (004 §16); the validator required it.
        if (def.approvalSetsAcceptanceDue && decision.acceptanceDueBy) {
          state.acceptanceDue = { date: decision.acceptanceDueBy, rule: def.approvalSetsAcceptanceDue.rule };
          run.acceptanceWatch ??= watchAcceptanceDue(run);
        }
        complete(run, decision.ticket);
        return 'approved';
      }
      if (def.onReject === 'end') {
        await end(run, 'rejected', decision.reasons.join('; '), def.refusalGrounds?.rule ?? def.rule);
        return 'ended';
      }
      run.lastRejection = { rectifyBy: decision.rectifyBy, clockFrom, clockDays, decidedAt: recorded.occurredAt };
      complete(run, decision.ticket);
      return 'rejected';
    }

    // Revision: the unit revises; the clock pauses (001 §14) or restarts (000 §8(3)) per profile.
    let remaining = clockDays;
    if (def.clock?.onRevision === 'pause') {
      const elapsed = await act.workingDaysBetween({ from: clockFrom, to: recorded.occurredAt });
      remaining = Math.max(0, clockDays - elapsed);
    }
    const revisionDeadline = def.revisionWorkingDays
      ? await act.workingDayDeadline({ from: recorded.occurredAt, workingDays: def.revisionWorkingDays.workingDays })
      : null;
    state.pending = { kind: 'revision', stage: def.id as ProjectStage, role: 'unit', action: 'revision', reviewKey, ...deadlineFields(revisionDeadline), rule: def.revisionWorkingDays?.rule ?? def.rule };
    await act.recordTransition({
      events: [recorded],
      notifications: [notice(run, 'actionRequired', 'unit', { ...deadlineFields(revisionDeadline), reasons: decision.reasons, rule: def.revisionWorkingDays?.rule ?? def.rule })],
    });
    complete(run, decision.ticket);
    let revisionLate = false;
    for (;;) {
      const revised = await until(() => inbox.submission !== undefined, revisionDeadline && !revisionLate ? revisionDeadline.endsAt : undefined);
      if (revised) break;
      revisionLate = true;
      const breach = event(run, state.stage, 'breach', { rule: def.revisionWorkingDays?.rule });
      await act.recordTransition({ events: [breach], notifications: [notice(run, 'reviewOverdue', 'unit', { dueDate: revisionDeadline?.date, rule: def.revisionWorkingDays?.rule })] });
    }
    const resubmission = inbox.submission!;
    inbox.submission = undefined;
    state.pending = null; // closed until the review reopens
    const handed = handIn(run, resubmission.documents);
    const resubmitted = event(run, state.stage, 'submission', {
      actorId: resubmission.actor.id, requestId: resubmission.actor.requestId, actorRole: 'unit', rule: def.clock?.rule ?? def.rule, ...(handed.length > 0 ? { reasons: handed } : {}),
    });
    clockFrom = resubmitted.occurredAt;
    clockDays = def.clock?.onRevision === 'restart' ? def.clock.workingDays : remaining;
    deadline = def.clock ? await act.workingDayDeadline({ from: clockFrom, workingDays: clockDays }) : null;
    reminded = false;
    escalated = false;
    state.pending = openPending();
    await act.recordTransition({
      events: [resubmitted],
      rescheduleReview: deadline ? { reviewKey: signerKey, dueDate: deadline.date, provisional: deadline.provisional } : undefined,
      notifications: [notice(run, 'actionRequired', signers[signed]!, { ...deadlineFields(deadline), rule: def.clock?.rule ?? def.rule })],
    });
    complete(run, resubmission.ticket);
  }
}

/**
 * Acceptance with rectification (001 §28): a failure opens rectification by the date the deciding body
 * set; the acceptance is then reviewed again, its clock resuming with the days left (001 §26(2)
 * 不包括建设单位整改时间). Where the profile has a forfeiture, failing again or not rectifying in time
 * withholds every remaining payment of the project and ends it.
 */
export async function runAcceptanceReview(run: LifecycleRun, def: ReviewStage): Promise<'approved' | 'ended'> {
  const { state, inbox, profile } = run;
  const { rectification, forfeiture } = profile.acceptance;
  let resumeWorkingDays: number | undefined;
  for (;;) {
    const result = await runReview(run, def, resumeWorkingDays);
    if (result !== 'rejected') return result;
    if (def.finalAcceptance) state.acceptanceFailures += 1;
    if (def.finalAcceptance && forfeiture && state.acceptanceFailures >= forfeiture.afterFailures) {
      await withholdRemainingPayments(run, `acceptance failed ${state.acceptanceFailures} times`, forfeiture.rule);
      return 'ended';
    }
    const rejection = run.lastRejection!;
    // Projects whose acceptance failed before v0.4.0 rectify on the default period and restart the clock.
    const corrected = patched(patches.acceptanceRectification);
    if (corrected && def.clock && def.clockPausesForRectification) {
      const elapsed = await act.workingDaysBetween({ from: rejection.clockFrom, to: rejection.decidedAt });
      resumeWorkingDays = Math.max(0, rejection.clockDays - elapsed);
    }
    const deadline = corrected && rejection.rectifyBy
      ? deadlineOn(rejection.rectifyBy)
      : await act.workingDayDeadline({ from: nowIso(), workingDays: rectification.defaultWorkingDays });
    const rule = corrected ? rectification.rule : (forfeiture?.rule ?? rectification.rule);
    state.pending = { kind: 'rectification', stage: def.id as ProjectStage, role: 'unit', action: 'revision', ...deadlineFields(deadline), rule };
    await act.recordTransition({ notifications: [notice(run, 'actionRequired', 'unit', { ...deadlineFields(deadline), rule })] });
    let late = false;
    for (;;) {
      const rectified = await until(() => inbox.submission !== undefined, late ? undefined : deadline.endsAt);
      if (rectified) break;
      // A rectification begun before v0.4.0 forfeited here even where the seed has no forfeiture; one
      // that misses its date after the upgrade takes the breach path too.
      if (forfeiture || !(corrected || patched(patches.noForfeitureWhereSeedHasNone))) {
        await withholdRemainingPayments(run, 'rectification was not submitted by its deadline (拒不整改)', forfeiture?.rule ?? rectification.rule);
        return 'ended';
      }
      // No forfeiture in this jurisdiction: the missed date is a breach; the unit still rectifies.
      late = true;
      const breach = event(run, state.stage, 'breach', { rule });
      await act.recordTransition({
        events: [breach],
        notifications: [notice(run, 'reviewOverdue', 'unit', { dueDate: deadline.date, rule }), notice(run, 'reviewOverdue', 'reviewOffice', { dueDate: deadline.date, rule })],
      });
    }
    const submission = inbox.submission!;
    inbox.submission = undefined;
    state.pending = null;
    const recorded = event(run, state.stage, 'submission', { actorId: submission.actor.id, requestId: submission.actor.requestId, actorRole: 'unit', reasons: ['rectified', ...handIn(run, submission.documents)], rule });
    await act.recordTransition({ events: [recorded] });
    complete(run, submission.ticket);
  }
}

/**
 * 001 §28: the finance department pays no remaining amount of the project (相关剩余款项) — the retention
 * tranches are forfeited and a block on all payments is recorded for finance, with its reason and rule.
 */
async function withholdRemainingPayments(run: LifecycleRun, reason: string, rule: string): Promise<void> {
  const { state, profile } = run;
  const at = nowIso();
  const extra: Transition = { paymentBlock: { projectId: state.projectId, scope: 'allPayments', reason, rule, since: at } };
  const { retention } = profile;
  if (retention && contractsOf(state).length > 0) {
    extra.tranches = {
      at,
      items: contractsOf(state).flatMap((contract) =>
        retentionSchedule(contract.sumFen, retention).tranches.map((t) => ({
          contractId: contract.contractId, projectId: state.projectId, trancheNo: t.trancheNo, amountFen: t.amountFen, dueDate: null,
          condition: t.condition, status: 'forfeited' as const, blockedReason: `${rule}: ${reason}`,
        })),
      ),
    };
  }
  extra.notifications = [notice(run, 'paymentsBlocked', 'finance', { decision: 'every remaining payment', reasons: [reason], rule })];
  state.paymentsWithheld = { reason, rule };
  await end(run, 'forfeited', reason, rule, extra);
}
