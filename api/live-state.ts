import type { Client, WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import type { Store } from '../activities/storage/store';
import { problem } from './problems';

/** How long a read waits for the worker to answer a query (it takes milliseconds when all is well). */
export const QUERY_DEADLINE_MS = 20_000;

const isDeadlineExceeded = (error: unknown) =>
  [(error as { code?: number })?.code, (error as { cause?: { code?: number } })?.cause?.code].includes(4); // gRPC DEADLINE_EXCEEDED

/**
 * A workflow's live state needs a worker. When none has beaten lately (worker/heartbeat.ts) the API says
 * so at once — 503 with Retry-After and the cause — instead of holding the caller while Temporal waits
 * for a worker that is not there. Shared by the project and cloud-resource routes.
 */
export function liveState(client: Client, store: Store, taskQueue: string) {
  const workerDown = (lastSeen: string | null, what: string) =>
    problem.unavailable(`No worker is running (last seen ${lastSeen ?? 'never'}): ${what} is not possible now; reads from the system of record (lists, documents, finance) still work`, {
      retryAfterSeconds: 10,
      checks: { worker: 'down' },
    });

  async function requireWorker(what: string): Promise<void> {
    const worker = await store.workerStatus(taskQueue);
    if (!worker.up) throw workerDown(worker.lastSeen, what);
  }

  /**
   * The state by query, bounded in time. A query that reaches the worker while it evicts a run that has
   * just completed is dropped there (sdk-core logs "leftover buffered tasks when evicting run") and
   * Temporal would answer only after ~30 s, with an error; one that races the completion may also come
   * back cancelled. So a query gets QUERY_DEADLINE_MS, and when it fails the API asks how the workflow
   * stands: a completed workflow's state is its result, read from history without the worker; a
   * still-running one whose worker did not answer is a 503.
   */
  async function read<T>(handle: WorkflowHandle, query: QueryDefinition<T>, what: string): Promise<T> {
    const worker = await store.workerStatus(taskQueue);
    if (!worker.up) {
      // Without a worker a closed workflow is still read from its history; a running one is not.
      if ((await handle.describe()).status.name === 'COMPLETED') return handle.result() as Promise<T>;
      throw workerDown(worker.lastSeen, `reading the live state of ${what}`);
    }
    try {
      return await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(query));
    } catch (error) {
      // A query racing the workflow's completion is dropped (the deadline passes) or cancelled by the
      // server ("CANCELLED: Call cancelled"): a completed workflow's state is its result.
      const described = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.describe()).catch(() => null);
      if (!described) throw error;
      const { status } = described;
      if (status.name === 'COMPLETED') return handle.result() as Promise<T>;
      if (!isDeadlineExceeded(error)) throw error;
      if (status.name !== 'RUNNING') return handle.query(query);
      throw problem.unavailable(`The worker did not answer for ${what} within ${QUERY_DEADLINE_MS / 1000} s; try again shortly`, { retryAfterSeconds: 5 });
    }
  }

  return { workerDown, requireWorker, read };
}
