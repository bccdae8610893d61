import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { AppConfig } from '../config';
import type { Activities } from '../activities';

/**
 * The worker as production runs it, minus the process concerns (signals, exit codes) of worker/main.ts,
 * so tests build the very same worker. `workflowBundle` lets tests bundle the workflow code once per run.
 */
export async function createWorker(
  connection: NativeConnection,
  config: Pick<AppConfig, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE'>,
  activities: Activities,
  workflowCode: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = { workflowsPath: require.resolve('../workflows') },
  dataConverter?: WorkerOptions['dataConverter'],
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities,
    dataConverter,
    ...workflowCode,
  });
}
