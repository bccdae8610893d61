import type { z } from 'zod';
import type { omServiceContractInputSchema } from '../../domain/lifecycle';
import { act } from '../activity-proxies';
import { event, notice } from './recorder';
import type { LifecycleRun } from './run';

/**
 * 004 §13: the contractor maintains the system free of charge during its warranty; afterwards the unit
 * budgets O&M every year and may sign O&M service contracts of at most three years. The unit files each
 * during O&M (its handler records it; the validator held it to the profile's term), and finance is told.
 */
export async function fileOmServiceContract(run: LifecycleRun, input: z.infer<typeof omServiceContractInputSchema>): Promise<void> {
  const { state } = run;
  const { rule } = run.profile.omServiceContracts!;
  const { actor, ...contract } = input;
  const summary = `O&M service contract ${contract.contractId} with ${contract.supplier}: ${contract.years} years from ${contract.signedDate}, ${contract.sumFen} fen`;
  const recorded = event(run, state.stage, 'submission', { actorId: actor.id, requestId: actor.requestId, actorRole: 'unit', reasons: [summary], rule });
  state.omServiceContracts.push({ ...contract, filedAt: recorded.occurredAt });
  await act.recordTransition({ events: [recorded], notifications: [notice(run, 'filingReceived', 'finance', { decision: summary, rule })] });
}
