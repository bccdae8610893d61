import type { z } from 'zod';
import type { deficiencyInputSchema, rectificationConfirmedInputSchema } from '../../domain/lifecycle';
import { act } from '../activity-proxies';
import { event, notice } from './recorder';
import type { LifecycleRun } from './run';

/**
 * 004 §17: a system that does not share its data as required (or collects it twice, is outside the
 * city's catalogue, or falls short of the cryptography and security requirements) — until it is
 * rectified its unit may not build, rebuild or extend an information system. The restriction is a
 * record in the system of record, which registration consults; these handlers record it and lift it.
 */
export async function recordDeficiency(run: LifecycleRun, input: z.infer<typeof deficiencyInputSchema>): Promise<void> {
  const { state } = run;
  const { rule } = run.profile.developmentRestriction!;
  const deficiencyId = state.deficiencies.length + 1;
  const recorded = event(run, state.stage, 'decision', {
    actorId: input.actor.id, requestId: input.actor.requestId, actorRole: input.actor.role, reasons: [`deficiency ${deficiencyId}: ${input.ground}`, ...input.reasons], rule,
  });
  state.deficiencies.push({ deficiencyId, ground: input.ground, reasons: input.reasons, status: 'open', since: recorded.occurredAt });
  const reason = `${input.ground}: ${input.reasons.join('; ')}`;
  await act.recordTransition({
    events: [recorded],
    restriction: { restrictionKey: `${state.projectId}:deficiency:${deficiencyId}`, projectId: state.projectId, unit: state.unit, jurisdiction: state.jurisdiction, reason, rule, since: recorded.occurredAt },
    notifications: [notice(run, 'decisionRecorded', 'unit', { decision: 'deficiency recorded: no new, rebuilt or extended system until rectified', reasons: [reason], rule })],
  });
}

export async function confirmRectification(run: LifecycleRun, input: z.infer<typeof rectificationConfirmedInputSchema>): Promise<void> {
  const { state } = run;
  const { rule } = run.profile.developmentRestriction!;
  const deficiency = state.deficiencies.find((d) => d.deficiencyId === input.deficiencyId)!;
  const recorded = event(run, state.stage, 'decision', {
    actorId: input.actor.id, requestId: input.actor.requestId, actorRole: input.actor.role, reasons: [`deficiency ${deficiency.deficiencyId} rectified`, ...input.reasons], rule,
  });
  deficiency.status = 'rectified';
  deficiency.rectifiedAt = recorded.occurredAt;
  await act.recordTransition({
    events: [recorded],
    liftRestriction: { restrictionKey: `${state.projectId}:deficiency:${deficiency.deficiencyId}`, liftedAt: recorded.occurredAt },
    notifications: [notice(run, 'decisionRecorded', 'unit', { decision: 'deficiency rectified', reasons: input.reasons, rule })],
  });
}
