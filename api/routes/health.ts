import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { problem } from '../problems';

/**
 * /health: the process is alive. /ready: it can do useful work, i.e. Temporal answers and a worker is
 * polling the task queue (without one, a registered project would sit unprocessed).
 */
export function healthRouter(client: Client, taskQueue: string): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/ready', async (_req, res) => {
    let pollers: number;
    try {
      const described = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      });
      pollers = described.pollers?.length ?? 0;
    } catch (error) {
      throw problem.unavailable(`Temporal is not reachable: ${(error as Error).message}`, { checks: { temporal: 'down' } });
    }
    if (pollers === 0) {
      throw problem.unavailable(`No worker is polling task queue "${taskQueue}"`, { checks: { temporal: 'up', worker: 'down' } });
    }
    res.json({ status: 'ready', checks: { temporal: 'up', worker: 'up' } });
  });

  return router;
}
