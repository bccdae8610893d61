import type { z } from 'zod';
import type { deferralDecisionInputSchema, deferralRequestInputSchema } from '../../domain/lifecycle';
import type { Transition } from '../../activities/transitions';
import { act } from '../activity-proxies';
import { event, notice } from './recorder';
import type { LifecycleRun } from './run';

/**
 * A deferral of the acceptance date (004 §16 ¶2: 项目不能按期完成验收的 … 提出延期验收申请): the unit applies
 * with its reasons and the date it asks for; the deciding role approves, possibly with another date, or
 * refuses with reasons. It may come at any stage between the approval and the acceptance application,
 * so its handlers record it themselves instead of waiting for a stage runner; the validators
 * (./validators.ts) admitted only what the profile allows.
 */
export async function requestDeferral(run: LifecycleRun, request: z.infer<typeof deferralRequestInputSchema>): Promise<void> {
  const { state } = run;
  const { role, rule } = run.profile.acceptanceDeferral!;
  const deferralId = state.deferrals.length + 1;
  state.deferrals.push({ deferralId, reasons: request.reasons, proposedDate: request.proposedDate, status: 'pending', requestedBy: request.actor.id });
  const recorded = event(run, state.stage, 'submission', {
    actorId: request.actor.id, requestId: request.actor.requestId, actorRole: 'unit',
    reasons: [`deferral ${deferralId}: acceptance by ${request.proposedDate} instead of ${state.acceptanceDue!.date}`, ...request.reasons], rule,
  });
  await act.recordTransition({
    events: [recorded],
    openReview: {
      reviewKey: `${state.projectId}:deferral:${deferralId}`, projectId: state.projectId, jurisdiction: state.jurisdiction, unit: state.unit, stage: state.stage,
      assigneeRole: role, openedAt: recorded.occurredAt, dueDate: null, dueProvisional: false,
    },
    notifications: [notice(run, 'actionRequired', role, { reasons: request.reasons, rule })],
  });
}

/**
 * The acceptance application is made while a deferral awaits its decision: nothing is left to defer, so
 * the deferral is withdrawn and its review closed (a part of the application's transition).
 */
export function withdrawPendingDeferral(run: LifecycleRun, at: string): Transition['closeReview'] {
  const pending = run.state.deferrals.find((d) => d.status === 'pending');
  if (!pending) return undefined;
  pending.status = 'withdrawn';
  return { reviewKey: `${run.state.projectId}:deferral:${pending.deferralId}`, status: 'withdrawn', decidedAt: at };
}

export async function decideDeferral(run: LifecycleRun, decision: z.infer<typeof deferralDecisionInputSchema>): Promise<void> {
  const { state } = run;
  const { rule } = run.profile.acceptanceDeferral!;
  const deferral = state.deferrals.find((d) => d.deferralId === decision.deferralId)!;
  const approved = decision.decision === 'approve';
  deferral.status = approved ? 'approved' : 'rejected';
  deferral.decidedBy = decision.actor.id;
  deferral.decisionReasons = decision.reasons;
  const summary = approved ? `acceptance now due by ${decision.acceptanceDueBy ?? deferral.proposedDate}` : `acceptance still due by ${state.acceptanceDue!.date}`;
  if (approved) {
    // The acceptance application's stage, if open, watches the new date from now on.
    state.acceptanceDue = { date: decision.acceptanceDueBy ?? deferral.proposedDate, rule };
  }
  const recorded = event(run, state.stage, 'decision', {
    actorId: decision.actor.id, requestId: decision.actor.requestId, actorRole: decision.actor.role, decision: decision.decision,
    reasons: [`deferral ${deferral.deferralId}: ${summary}`, ...decision.reasons], rule,
  });
  await act.recordTransition({
    events: [recorded],
    closeReview: { reviewKey: `${state.projectId}:deferral:${deferral.deferralId}`, status: deferral.status, decidedAt: recorded.occurredAt },
    notifications: [notice(run, 'decisionRecorded', 'unit', { decision: decision.decision, reasons: [summary, ...decision.reasons], rule })],
  });
}
