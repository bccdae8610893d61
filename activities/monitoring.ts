import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { HEALTH_DETAIL_MAX_LENGTH, healthEndpointSchema, monitoringPeriodSchema, type HealthCheckResult } from '../domain/monitoring';
import { monthlyCheckDueSignal } from '../workflows/messages';
import type { Store } from './storage/store';

/**
 * The monitoring of systems in operation (Suqian 002 (二)): the monthly round asks each system's workflow
 * to check itself, and the workflow calls its declared health endpoint through checkHealth.
 */

/** Connection failures an operator recognises, by the cause's code; any other code is shown as it is. */
const connectionFailures: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
};

const unhealthy = (detail: string, elapsedMs: number, httpStatus: number | null = null): HealthCheckResult => ({
  healthy: false,
  detail: detail.slice(0, HEALTH_DETAIL_MAX_LENGTH),
  httpStatus,
  elapsedMs,
});

/**
 * What fetch() threw, read by shape rather than instanceof: its errors come from Node's own realm, which
 * is not the caller's under a test runner's sandbox.
 */
interface FetchFailure {
  name?: unknown;
  message?: unknown;
  cause?: { code?: unknown; message?: unknown; errors?: { code?: unknown }[] };
}

const isTimeout = (error: FetchFailure): boolean => error.name === 'TimeoutError' || error.name === 'AbortError';

/** fetch() reports a failed connection as "fetch failed"; what happened is in its cause (or the first of an AggregateError's). */
function connectionFailure(error: FetchFailure): string {
  const code = error.cause?.code ?? error.cause?.errors?.[0]?.code;
  if (typeof code === 'string') return `${connectionFailures[code] ?? 'connection failed'} (${code})`;
  if (typeof error.cause?.message === 'string' && error.cause.message) return error.cause.message;
  return typeof error.message === 'string' && error.message ? error.message : String(error);
}

/**
 * The activity that calls a system's health endpoint once. An unhealthy system is a result, never an
 * error: the workflow records it and counts the failing months, so retrying would only hide the answer.
 */
export function createHealthCheckActivity(options: { timeoutMs: number }) {
  const { timeoutMs } = options;
  return async function checkHealth(input: { endpoint: string | null }): Promise<HealthCheckResult> {
    if (input.endpoint === null) return unhealthy('no health endpoint declared', 0);
    const endpoint = healthEndpointSchema.safeParse(input.endpoint);
    if (!endpoint.success) return unhealthy(`invalid endpoint: ${endpoint.error.issues.map((issue) => issue.message).join('; ')}`, 0);

    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      // A redirect is not followed: the endpoint itself must answer (a login page behind a 302 is no sign of health).
      const response = await fetch(endpoint.data, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      const elapsedMs = elapsed();
      // Only the status matters; an unread body would hold its socket open until garbage collection.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        return { healthy: true, detail: `HTTP ${response.status} in ${elapsedMs} ms`, httpStatus: response.status, elapsedMs };
      }
      return unhealthy(`HTTP ${response.status}`, elapsedMs, response.status);
    } catch (error) {
      const failure = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as FetchFailure;
      if (isTimeout(failure)) return unhealthy(`no answer within ${timeoutMs} ms`, elapsed());
      return unhealthy(connectionFailure(failure), elapsed());
    }
  };
}

const monthlyCheckRoundSchema = z.object({
  jurisdiction: z.string().min(1),
  period: monitoringPeriodSchema,
  roundId: z.string().min(1),
  after: z.string().min(1).optional(),
  pageSize: z.number().int().min(1).max(1000).default(100),
});

/**
 * One page of the monthly round: asks each system in operation of the jurisdiction (after `after`, in id
 * order) to check its health for the period. A signal sent twice by a retried page is harmless: the
 * project's workflow checks a period once.
 */
export function createMonthlyCheckActivity(store: Store, client: Client) {
  return async function signalMonthlyChecks(input: {
    jurisdiction: string;
    period: string;
    roundId: string;
    after?: string;
    pageSize?: number;
  }): Promise<{ signalled: string[]; skipped: string[]; nextAfter: string | null }> {
    const round = monthlyCheckRoundSchema.parse(input);
    const projectIds = await store.systemsInOperation({ jurisdiction: round.jurisdiction, after: round.after, limit: round.pageSize });
    const signalled: string[] = [];
    const skipped: string[] = [];
    for (const projectId of projectIds) {
      try {
        await client.workflow.getHandle(projectId).signal(monthlyCheckDueSignal, { period: round.period, roundId: round.roundId });
        signalled.push(projectId);
      } catch (error) {
        // A workflow gone (ended in Temporal, retention passed) has nothing to check; reconciliation records it.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        skipped.push(projectId);
      }
    }
    // A full page may have more behind it; a short one is the last.
    const pageFull = projectIds.length === round.pageSize;
    return { signalled, skipped, nextAfter: pageFull ? (projectIds.at(-1) ?? null) : null };
  };
}
