import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { profileOfInput } from '../domain/policy';
import { retentionSchedule } from '../domain/policy/retention';
import type { RetentionInput } from '../workflows/retention';
import type { RetentionTerms } from './storage/store';

/** The workflow type of a contract's retention (workflows/retention.ts); its ledger is the one with terms. */
export const RETENTION_WORKFLOW_TYPE = 'RetentionRelease';

/** gRPC NOT_FOUND: no workflow with this id (or its history is past the namespace's retention). */
const NOT_FOUND = 5;

/**
 * The terms a RetentionRelease workflow runs on, from the input it was started with (the first event
 * of its history, decoded by the client's data converter, so an encrypted payload reads as well) and
 * computed as the workflow computes them: the withheld amount by the schedule, the article from the
 * profile version of the project. Reading the history needs the server but no worker. Undefined when
 * there is no such workflow, or its profile holds no retention (the workflow fails at its start then).
 */
export async function retentionTermsFromWorkflow(client: Client, workflowId: string): Promise<RetentionTerms | undefined> {
  let started;
  try {
    const { history } = await client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId }, maximumPageSize: 1 });
    started = history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  } catch (error) {
    if ((error as { code?: number }).code === NOT_FOUND) return undefined;
    throw error;
  }
  if (!started) throw new Error(`The history of ${workflowId} does not begin with its start`);
  const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
  let payloads = (started.input?.payloads ?? []) as Payload[];
  // Codecs encode in order, so they decode in reverse.
  for (const codec of [...payloadCodecs].reverse()) payloads = await codec.decode(payloads);
  const input = payloadConverter.fromPayload<RetentionInput>(payloads[0]!);
  const policy = profileOfInput(input).retention;
  if (!policy) return undefined;
  return {
    projectId: input.projectId, contractId: input.contractId, sumFen: input.sumFen, withheldFen: retentionSchedule(input.sumFen, policy).withheldFen,
    acceptedOn: input.acceptedOn, rule: policy.rule,
  };
}
