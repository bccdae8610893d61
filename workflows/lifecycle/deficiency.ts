import type { z } from 'zod';
import type { deficiencyInputSchema, rectificationConfirmedInputSchema } from '../../domain/lifecycle';
import type { Transition } from '../../activities/transitions';
import { act } from '../activity-proxies';
import { event, notice } from './recorder';
import type { LifecycleRun } from './run';

/**
 * 004 §17: a system that does not share its data as required (or collects it twice, is outside the
 * city's catalogue, or falls short of the cryptography and security requirements) — until it is
 * rectified its unit may not build, rebuild or extend an information system; in Yiyang the system gets
 * no O&M money meanwhile either (001 §35). The restriction and the block are records in the system of
 * record, which registration and finance consult; these handlers record them and lift them.
 */
export async function recordDeficiency(run: LifecycleRun, input: z.infer<typeof deficiencyInputSchema>): Promise<void> {
  const { state } = run;
  const { rule, stopsOmFunding } = run.profile.developmentRestriction!;
  const deficiencyId = state.deficiencies.length + 1;
  const recorded = event(run, state.stage, 'decision', {
    actorId: input.actor.id, requestId: input.actor.requestId, actorRole: input.actor.role, reasons: [`deficiency ${deficiencyId}: ${input.ground}`, ...input.reasons], rule,
  });
  state.deficiencies.push({ deficiencyId, ground: input.ground, reasons: input.reasons, status: 'open', since: recorded.occurredAt });
  const reason = `${input.ground}: ${input.reasons.join('; ')}`;
  const transition: Transition = {
    events: [recorded],
    restriction: { restrictionKey: `${state.projectId}:deficiency:${deficiencyId}`, projectId: state.projectId, unit: state.unit, jurisdiction: state.jurisdiction, reason, rule, since: recorded.occurredAt },
    notifications: [notice(run, 'decisionRecorded', 'unit', { decision: 'deficiency recorded: no new, rebuilt or extended system until rectified', reasons: [reason], rule })],
  };
  if (stopsOmFunding && !state.omFundingBlocked) {
    // 不予安排运行维护经费 (001 §35): finance sees the block until the rectification is confirmed.
    state.omFundingBlocked = true;
    transition.paymentBlock = { projectId: state.projectId, scope: 'omFunding', reason: `data not shared: ${reason}`, rule, since: recorded.occurredAt };
    transition.notifications!.push(notice(run, 'paymentsBlocked', 'finance', { decision: 'O&M funding', reasons: [reason], rule }));
  }
  await act.recordTransition(transition);
}

export async function confirmRectification(run: LifecycleRun, input: z.infer<typeof rectificationConfirmedInputSchema>): Promise<void> {
  const { state } = run;
  const { rule, stopsOmFunding } = run.profile.developmentRestriction!;
  const deficiency = state.deficiencies.find((d) => d.deficiencyId === input.deficiencyId)!;
  const recorded = event(run, state.stage, 'decision', {
    actorId: input.actor.id, requestId: input.actor.requestId, actorRole: input.actor.role, reasons: [`deficiency ${deficiency.deficiencyId} rectified`, ...input.reasons], rule,
  });
  deficiency.status = 'rectified';
  deficiency.rectifiedAt = recorded.occurredAt;
  const transition: Transition = {
    events: [recorded],
    liftRestriction: { restrictionKey: `${state.projectId}:deficiency:${deficiency.deficiencyId}`, liftedAt: recorded.occurredAt },
    notifications: [notice(run, 'decisionRecorded', 'unit', { decision: 'deficiency rectified', reasons: input.reasons, rule })],
  };
  if (stopsOmFunding && state.omFundingBlocked && state.deficiencies.every((d) => d.status === 'rectified')) {
    state.omFundingBlocked = false;
    transition.liftPaymentBlock = { projectId: state.projectId, scope: 'omFunding', liftedAt: recorded.occurredAt };
    transition.notifications!.push(notice(run, 'paymentsUnblocked', 'finance', { decision: 'O&M funding', reasons: ['data sharing rectified'], rule }));
  }
  await act.recordTransition(transition);
}
