import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { StorageHandle } from '../../activities/storage/database';
import { workerStatus } from '../../activities/storage/heartbeats';
import { problem } from '../problems';

/**
 * /health: the process is alive. /ready: it can do useful work, i.e. the database and Temporal answer
 * and a worker is polling the task queue (without one, a registered project would sit unprocessed).
 */
export function healthRouter(client: Client, taskQueue: string, storage: StorageHandle): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/ready', async (_req, res) => {
    try {
      await sql`SELECT 1`.execute(storage.db);
    } catch (error) {
      throw problem.unavailable(`The database is not reachable: ${(error as Error).message}`, { checks: { database: 'down' } });
    }
    let pollers: number;
    try {
      const described = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      });
      pollers = described.pollers?.length ?? 0;
    } catch (error) {
      throw problem.unavailable(`Temporal is not reachable: ${(error as Error).message}`, { checks: { database: 'up', temporal: 'down' } });
    }
    // Temporal lists a killed worker's pollers for a while; the worker's own heartbeat tells within seconds.
    const worker = await workerStatus(storage.db, taskQueue);
    if (pollers === 0 || !worker.up) {
      throw problem.unavailable(
        pollers === 0 ? `No worker is polling task queue "${taskQueue}"` : `No worker of task queue "${taskQueue}" has been heard from since ${worker.lastSeen ?? 'never'}`,
        { checks: { database: 'up', temporal: 'up', worker: 'down' }, retryAfterSeconds: 10 },
      );
    }
    res.json({ status: 'ready', checks: { database: 'up', temporal: 'up', worker: 'up' } });
  });

  return router;
}
