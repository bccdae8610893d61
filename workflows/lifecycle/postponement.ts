import type { z } from 'zod';
import type { postponementInputSchema } from '../../domain/lifecycle';
import { act } from '../activity-proxies';
import { event, notice } from './recorder';
import type { LifecycleRun } from './run';

/**
 * 003 §12: where the unit's own doing holds up the spending of the project's money, its implementation
 * may be postponed (推迟) — the path's submissions and decisions are refused until it is resumed — or
 * terminated (the termination procedure). The validators admitted it only where and when the profile
 * allows, so the handler records it.
 */
export async function postponeOrResume(run: LifecycleRun, input: z.infer<typeof postponementInputSchema>): Promise<void> {
  const { state } = run;
  const { rule } = run.profile.postponement!;
  const postpone = input.action === 'postpone';
  const recorded = event(run, state.stage, 'decision', {
    actorId: input.actor.id, requestId: input.actor.requestId, actorRole: input.actor.role,
    reasons: [postpone ? 'implementation postponed: the spending lags' : 'implementation resumed', ...input.reasons], rule,
  });
  state.postponement = postpone ? { since: recorded.occurredAt, reasons: input.reasons, rule } : null;
  const told = postpone ? 'postponed' : 'resumed';
  await act.recordTransition({
    events: [recorded],
    notifications: [
      notice(run, 'decisionRecorded', 'unit', { decision: told, reasons: input.reasons, rule }),
      notice(run, 'decisionRecorded', 'reviewOffice', { decision: told, reasons: input.reasons, rule }),
    ],
  });
}
