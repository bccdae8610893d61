import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { AppConfig } from '../config';
import type { Activities } from '../activities';
import { workflowBundlerOptions, workflowsPath } from './workflow-bundle';

/**
 * The worker as production runs it, minus the process concerns (signals, exit codes) of worker/main.ts,
 * so tests build the very same worker. `workflowBundle` lets tests bundle the workflow code once per run.
 */
export async function createWorker(
  connection: NativeConnection,
  config: Pick<AppConfig, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE'>,
  activities: Activities,
  workflowCode: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> = { workflowsPath, bundlerOptions: workflowBundlerOptions },
  dataConverter?: WorkerOptions['dataConverter'],
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities,
    dataConverter,
    // A bounded shutdown: in-flight activities get 10 s to finish, then are cancelled (each is
    // idempotent and is retried by the next worker), and after 30 s the worker stops regardless. Without
    // a force time an activity that never returns keeps worker.run() from settling, so a SIGTERMed
    // process (or a test's teardown) would never end.
    shutdownGraceTime: '10s',
    shutdownForceTime: '30s',
    ...workflowCode,
  });
}
