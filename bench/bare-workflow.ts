import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/** The baseline's decision: an Update that answers at once, as bare Temporal does. */
export const bareDecideUpdate = defineUpdate<number, [string]>('bareDecide');

/** The baseline workflow the benchmark compares with: it only waits, and counts the updates it is sent. */
export async function BareWorkflow(): Promise<void> {
  let decisions = 0;
  setHandler(bareDecideUpdate, () => (decisions += 1));
  await condition(() => false);
}
