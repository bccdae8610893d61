import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Worker } from '@temporalio/worker';
import { beat, endBeats, WORKER_HEARTBEAT_MS } from '../activities/storage/heartbeats';
import type { Database } from '../activities/storage/schema';

/**
 * Runs the worker until it stops, saying it is alive in the system of record meanwhile. A killed
 * worker stops beating, and within seconds the API knows: /ready says so, and actions answer 503 at
 * once instead of waiting on Temporal for a worker that will not come. A clean stop removes the beat.
 */
export async function runWithHeartbeat(worker: Worker, db: Kysely<Database>, taskQueue: string): Promise<void> {
  const workerId = `${hostname()}:${process.pid}:${taskQueue}`;
  const tick = () => beat(db, workerId, taskQueue).catch((error: unknown) => console.warn(`Worker heartbeat not recorded (${(error as Error).message}); will retry`));
  await tick();
  const timer = setInterval(() => void tick(), WORKER_HEARTBEAT_MS);
  try {
    await worker.run();
  } finally {
    clearInterval(timer);
    await endBeats(db, workerId).catch(() => undefined);
  }
}
