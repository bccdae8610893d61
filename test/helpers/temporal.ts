import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { StorageHandle } from '../../activities/storage/database';
import { createWorker } from '../../worker/create-worker';
import { searchAttributeDefinitions } from '../../worker/namespace-setup';
import { devServerDynamicConfigArgs } from '../../worker/server-settings';
import { projectSearchAttributeKeys } from '../../workflows/search-attributes';

// Worker state changes are noise in test output; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

/**
 * The Temporal servers the tests run on. scripts/test.sh obtains them (offline: Go module proxy and
 * Maven Central) and exports their paths; the SDK never downloads anything.
 */
function requiredPath(name: 'TEMPORAL_CLI_PATH' | 'TEMPORAL_TEST_SERVER_PATH'): string {
  const path = process.env[name];
  if (!path) throw new Error(`${name} is not set: run the tests with \`npm test\` (scripts/test.sh obtains the servers)`);
  return path;
}

/** The pinned CLI dev server; its wall clock runs WALL_CLOCK_SHIFT_SECONDS ahead when that is set (scripts/obtain-temporal-cli.sh). */
export const temporalCliPath = () => requiredPath('TEMPORAL_CLI_PATH');

export const TASK_QUEUE = 'test-zhengwu-flow';

/** Temporal's Java time-skipping test server, for workflows that wait months and years. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: requiredPath('TEMPORAL_TEST_SERVER_PATH') } },
  });
  // The Java test server implements AddSearchAttributes but not ListSearchAttributes, so the worker's
  // prepareNamespace() cannot run against it; the definitions are added directly.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: searchAttributeDefinitions(projectSearchAttributeKeys),
  });
  return env;
}

/** The Temporal CLI dev server (real visibility, schedules, list queries), in memory. */
export function createDevServerEnv(dataConverter?: DataConverter): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    client: { dataConverter },
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: projectSearchAttributeKeys,
      extraArgs: devServerDynamicConfigArgs,
    },
  });
}

/**
 * The production worker with the real activities on `storage`, loading the workflow bundle built once
 * by global-setup.ts.
 */
export function createTestWorker(
  connection: NativeConnection,
  storage: StorageHandle,
  client: Client,
  options: { taskQueue?: string; now?: () => Date; dataConverter?: DataConverter; maxCachedWorkflows?: number } = {},
): Promise<Worker> {
  const codePath = process.env.ZHENGWU_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('ZHENGWU_WORKFLOW_BUNDLE is not set (jest globalSetup did not run)');
  return createWorker(
    connection,
    { TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: options.taskQueue ?? TASK_QUEUE, WORKER_MAX_CACHED_WORKFLOWS: options.maxCachedWorkflows },
    createActivities({
      storage,
      temporal: { client, taskQueue: options.taskQueue ?? TASK_QUEUE },
      now: options.now,
    }),
    { workflowBundle: { codePath } },
    options.dataConverter,
  );
}
