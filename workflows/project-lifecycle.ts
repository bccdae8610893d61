import { allHandlersFinished, condition, continueAsNew } from '@temporalio/workflow';
import type { ProjectState } from '../domain/lifecycle';
import { registerHandlers } from './lifecycle/handlers';
import { afterAcceptance, enterOperationDirectly, runOperationsYear } from './lifecycle/operations';
import { walkPath } from './lifecycle/path';
import { resumeProblemWatches } from './lifecycle/problems';
import { startRun, type LifecycleInput } from './lifecycle/run';

export type { ContinuedLifecycle, LifecycleInput } from './lifecycle/run';

/**
 * One workflow per project, its workflow id the project id, carrying the project from proposal to the
 * last O&M year. The path comes from the jurisdiction's policy profile (domain/policy), in the version
 * the project was registered under; the stage runners in ./lifecycle walk it. Each O&M year is a new
 * run (continue-as-new), so a decade-long project keeps a small history.
 */
export async function ProjectLifecycle(input: LifecycleInput): Promise<ProjectState> {
  const run = startRun(input);
  registerHandlers(run);
  await resumeProblemWatches(run);

  // An ended project answers every handler still at work (a deferral being recorded) before it closes.
  const ended = async () => {
    await condition(allHandlersFinished);
    await run.acceptanceWatch;
    return run.state;
  };
  // A profile gives a system already built (a stock system, 002 (一)) no path: it goes straight into operation.
  if (!input.continued && run.stages.length === 0) {
    await enterOperationDirectly(run);
  } else if (!input.continued) {
    if ((await walkPath(run)) === 'ended') return ended();
    await afterAcceptance(run);
  }
  if ((await runOperationsYear(run)) === 'ended') return ended();

  // The O&M year is over: the next year runs as a new execution with the state carried over.
  run.state.omYear += 1;
  await condition(allHandlersFinished);
  return continueAsNew<typeof ProjectLifecycle>({ ...input, continued: { state: run.state, sequence: run.sequence, completedAt: run.completedAt } });
}
