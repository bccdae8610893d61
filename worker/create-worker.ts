import { getHeapStatistics } from 'node:v8';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { AppConfig } from '../config';
import type { Activities } from '../activities';
import { workflowBundlerOptions, workflowsPath } from './workflow-bundle';

/**
 * The heap a cached workflow is planned at: 0.1 MiB measured for a project waiting at its first review
 * (npm run bench, bench/results/), and room for the timeline a project in operation has gathered.
 */
export const PLANNED_MIB_PER_CACHED_WORKFLOW = 0.25;
/** The share of the worker's heap the workflow cache may take; the rest is activities, buffers and GC headroom. */
export const CACHE_SHARE_OF_HEAP = 0.5;

/** The workflow cache's size for a heap limit: idle projects stay cached, and the cache cannot exhaust the heap. */
export function cachedWorkflowsFor(heapLimitMiB: number): number {
  return Math.max(10, Math.floor((heapLimitMiB * CACHE_SHARE_OF_HEAP) / PLANNED_MIB_PER_CACHED_WORKFLOW));
}

/**
 * The worker as production runs it, minus the process concerns (signals, exit codes) of worker/main.ts,
 * so tests build the very same worker. `workflowBundle` lets tests bundle the workflow code once per run.
 */
export async function createWorker(
  connection: NativeConnection,
  config: Pick<AppConfig, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'WORKER_MAX_CACHED_WORKFLOWS'>,
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
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS ?? cachedWorkflowsFor(getHeapStatistics().heap_size_limit / 2 ** 20),
    // A bounded shutdown: in-flight activities get 10 s to finish, then are cancelled (each is
    // idempotent and is retried by the next worker), and after 30 s the worker stops regardless. Without
    // a force time an activity that never returns keeps worker.run() from settling, so a SIGTERMed
    // process (or a test's teardown) would never end.
    shutdownGraceTime: '10s',
    shutdownForceTime: '30s',
    ...workflowCode,
  });
}
