import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { CloudResourceState } from '../domain/cloud';
import { registerCloudHandlers } from './cloud/handlers';
import { runCloudResource } from './cloud/lifecycle';
import { initialCloudState, policyOf, type CloudResourceInput, type CloudRun } from './cloud/run';
import { applied } from './cloud/steps';
import { cloudStageKey } from './search-attributes';

export type { CloudResourceInput, ContinuedCloudResource } from './cloud/run';

/**
 * One workflow per government-cloud resource application (workflow id `cloud:<resourceId>`), from the
 * application to the reclamation of its resources — or to the rejection of the application. Its rules
 * come from the jurisdiction's cloud policy (domain/policy), in the profile version of the application,
 * for life; its parts live in ./cloud. A resource in service for years continues as new, its state carried.
 */
export async function CloudResource(input: CloudResourceInput): Promise<CloudResourceState> {
  const policy = policyOf(input.profileVersion);
  const sequence = input.continued?.sequence ?? 0;
  const run: CloudRun = {
    input, policy, sequence, startSequence: sequence, events: [], notices: [],
    state: input.continued?.state ?? initialCloudState(input, new Date(workflowInfo().startTime).toISOString()),
    lastApplied: 0, recordedThrough: 0, dirty: true, calendarChanged: false,
  };
  registerCloudHandlers(run);
  if (!input.continued) {
    // The API starts the workflow with its CloudStage already set: the first record need not set it again.
    run.searchStage = workflowInfo().typedSearchAttributes.get(cloudStageKey);
    applied(run, new Date(workflowInfo().startTime), input.applicant);
  } else run.searchStage = run.state.stage;

  if ((await runCloudResource(run)) === 'ended') return run.state;
  return continueAsNew<typeof CloudResource>({ ...input, continued: { state: run.state, sequence: run.sequence } });
}
