import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { StorageHandle } from '../../activities/storage/database';
import { seedTestUnits } from './api';
import { openTestStorage } from './storage';
import { runWithHeartbeat } from '../../worker/heartbeat';
import { createDevServerEnv, createTestWorker, createTimeSkippingEnv, TASK_QUEUE } from './temporal';

export interface WorkflowTestContext {
  env: TestWorkflowEnvironment;
  storage: StorageHandle;
  worker: Worker;
}

/**
 * One Temporal environment, one SQLite system of record and the production worker per test file,
 * set up in beforeAll and torn down in afterAll (no open handles left for Jest).
 */
export function useWorkflowEnvironment(server: 'timeSkipping' | 'devServer'): WorkflowTestContext {
  const context = {} as WorkflowTestContext;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    context.storage = await openTestStorage('sqlite');
    await seedTestUnits(context.storage);
    context.env = server === 'timeSkipping' ? await createTimeSkippingEnv() : await createDevServerEnv();
    context.worker = await createTestWorker(context.env.nativeConnection, context.storage, context.env.client);
    running = runWithHeartbeat(context.worker, context.storage.db, TASK_QUEUE);
  });
  afterAll(async () => {
    context.worker?.shutdown();
    await running;
    await context.env?.teardown();
    await context.storage?.close();
  });
  return context;
}

/** The message a refused update comes back with (its validator's ApplicationFailure). */
export const refusal = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => {
      throw new Error('expected the update to be refused');
    },
    (error: Error & { cause?: Error }) => error.cause?.message ?? error.message,
  );
