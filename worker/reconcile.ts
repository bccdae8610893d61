import type { Client } from '@temporalio/client';
import type { Store } from '../activities/storage/store';

/** Closed states a project's workflow reaches only when someone ends it from outside the application. */
const ENDED_OUTSIDE = ['Terminated', 'Canceled', 'TimedOut', 'Failed'];

/**
 * Anyone who can reach Temporal can terminate a project's or cloud resource's workflow (the CLI, the
 * Web UI); the API and the system of record would keep saying "active". This pass lists the executions
 * that closed that way (Temporal's visibility) and records each, once, in the system of record with an
 * audit entry; the API then answers for it as ended. Returns the workflow ids newly recorded.
 */
export async function reconcileEndedOutside(client: Client, store: Store, now = () => new Date()): Promise<string[]> {
  return [...(await reconcileProjects(client, store, now)), ...(await reconcileCloudResources(client, store, now))];
}

/** The same for cloud resources (workflow id `cloud:<resourceId>`): their rows are marked ended, once. */
async function reconcileCloudResources(client: Client, store: Store, now: () => Date): Promise<string[]> {
  const query = `WorkflowType = 'CloudResource' AND ExecutionStatus IN (${ENDED_OUTSIDE.map((s) => `'${s}'`).join(', ')})`;
  const recorded: string[] = [];
  for await (const execution of client.workflow.list({ query })) {
    const latest = await client.workflow.getHandle(execution.workflowId).describe();
    if (latest.runId !== execution.runId) continue;
    const resourceId = execution.workflowId.replace(/^cloud:/, '');
    const { recorded: isNew } = await store.recordCloudEndedOutside({ resourceId, status: execution.status.name, closedAt: (execution.closeTime ?? now()).toISOString(), detectedAt: now().toISOString() });
    if (isNew) recorded.push(execution.workflowId);
  }
  return recorded;
}

async function reconcileProjects(client: Client, store: Store, now: () => Date): Promise<string[]> {
  const known = new Set((await store.projectsEndedOutside()).map((row) => row.project_id));
  const query = `WorkflowType = 'ProjectLifecycle' AND ExecutionStatus IN (${ENDED_OUTSIDE.map((s) => `'${s}'`).join(', ')})`;
  const recorded: string[] = [];
  for await (const execution of client.workflow.list({ query })) {
    if (known.has(execution.workflowId)) continue;
    // A run reset or rerun in Temporal leaves a closed run behind a live one: only the latest counts.
    const latest = await client.workflow.getHandle(execution.workflowId).describe();
    if (latest.runId !== execution.runId) continue;
    const { recorded: isNew } = await store.recordEndedOutside({
      projectId: execution.workflowId,
      status: execution.status.name,
      closedAt: (execution.closeTime ?? now()).toISOString(),
      detectedAt: now().toISOString(),
    });
    if (isNew) recorded.push(execution.workflowId);
  }
  return recorded;
}
