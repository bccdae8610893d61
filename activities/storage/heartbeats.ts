import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * Workers' signs of life in the system of record (worker/heartbeat.ts writes them): a worker beats
 * every WORKER_HEARTBEAT_MS while it runs; one not heard from for WORKER_STALE_AFTER_MS counts as down.
 */
export const WORKER_HEARTBEAT_MS = 5_000;
export const WORKER_STALE_AFTER_MS = 20_000;

export async function beat(db: Kysely<Database>, workerId: string, taskQueue: string, at = new Date()): Promise<void> {
  await db
    .insertInto('worker_heartbeats')
    .values({ worker_id: workerId, task_queue: taskQueue, beat_at: at.toISOString() })
    .onConflict((oc) => oc.column('worker_id').doUpdateSet({ task_queue: taskQueue, beat_at: at.toISOString() }))
    .execute();
}

export async function endBeats(db: Kysely<Database>, workerId: string): Promise<void> {
  await db.deleteFrom('worker_heartbeats').where('worker_id', '=', workerId).execute();
}

/** The newest beat of any worker of the task queue, and whether it is recent enough to count as up. */
export async function workerStatus(db: Kysely<Database>, taskQueue: string, now = Date.now()): Promise<{ up: boolean; lastSeen: string | null }> {
  const row = await db.selectFrom('worker_heartbeats').select('beat_at').where('task_queue', '=', taskQueue).orderBy('beat_at', 'desc').limit(1).executeTakeFirst();
  const lastSeen = row?.beat_at ?? null;
  return { up: lastSeen !== null && now - Date.parse(lastSeen) < WORKER_STALE_AFTER_MS, lastSeen };
}
