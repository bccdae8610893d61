import { z } from 'zod';
import { projectIdSchema } from './project';
import { isoInstantSchema } from './records';

/** The health endpoint is declared with the proposal (domain/project.ts). */
export { healthEndpointSchema } from './project';

/**
 * Monitoring of systems in operation (Suqian 002 (二): every month, a system that does not run properly
 * is forced to exit). A system declares a health endpoint; the monthly round asks each system's
 * workflow to check it, and the workflow counts consecutive failing months.
 */

/** A monitoring month, YYYY-MM (Asia/Shanghai). */
export const monitoringPeriodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');
export type MonitoringPeriod = z.infer<typeof monitoringPeriodSchema>;

/** The month (YYYY-MM) of a business date. */
export const periodOf = (businessDate: string): MonitoringPeriod => businessDate.slice(0, 7);

/** The longest detail of a check the record keeps. */
export const HEALTH_DETAIL_MAX_LENGTH = 500;

/** What one call of a health endpoint found. */
export const healthCheckResultSchema = z.object({
  healthy: z.boolean(),
  /** What was seen, for the record: "HTTP 200 in 12 ms", "HTTP 503", "no answer within 5000 ms", "connection refused". */
  detail: z.string().min(1).max(HEALTH_DETAIL_MAX_LENGTH),
  httpStatus: z.number().int().nullable(),
  elapsedMs: z.number().int().nonnegative(),
});
export type HealthCheckResult = z.infer<typeof healthCheckResultSchema>;

/** schedule: the monthly round; recheck: asked for by the unit after a repair; manual: reported by hand by the review office. */
export const healthCheckSourceSchema = z.enum(['schedule', 'recheck', 'manual']);

/** A check as the system of record keeps it: one row per check, keyed by the project's event that recorded it. */
export const healthCheckRecordSchema = z.object({
  checkKey: z.string().min(1),
  projectId: projectIdSchema,
  period: monitoringPeriodSchema,
  source: healthCheckSourceSchema,
  healthy: z.boolean(),
  detail: z.string().min(1),
  endpoint: z.string().nullable(),
  checkedAt: isoInstantSchema,
  recordedBy: z.string().min(1),
});
export type HealthCheckRecord = z.infer<typeof healthCheckRecordSchema>;

/** The monthly round asks a system's workflow to check its endpoint for the month. */
export const monthlyCheckDueSchema = z.object({ period: monitoringPeriodSchema, roundId: z.string().min(1) });
export type MonthlyCheckDue = z.infer<typeof monthlyCheckDueSchema>;

export const monthResultSchema = z.object({ period: monitoringPeriodSchema, healthy: z.boolean(), at: z.string(), scheduled: z.boolean() });
export type MonthResult = z.infer<typeof monthResultSchema>;

/** Months of results a workflow keeps: more than any configured run of failing months. */
export const MONTHS_KEPT = 24;

/** The months' results with one more check: it becomes its month's result; the round's check marks the month checked. */
export function withCheck(months: readonly MonthResult[], check: { period: MonitoringPeriod; healthy: boolean; at: string; scheduled: boolean }): MonthResult[] {
  const previous = months.find((month) => month.period === check.period);
  const updated = { ...check, scheduled: check.scheduled || Boolean(previous?.scheduled) };
  return [...months.filter((month) => month.period !== check.period), updated].sort((a, b) => a.period.localeCompare(b.period)).slice(-MONTHS_KEPT);
}

/** A system's monitoring as its workflow keeps it. */
export const monitoringStateSchema = z.object({
  endpoint: z.string().nullable(),
  /** The latest checks, newest last, for reading (the system of record keeps them all). */
  checks: z.array(z.object({ period: monitoringPeriodSchema, source: healthCheckSourceSchema, healthy: z.boolean(), detail: z.string(), at: z.string() })),
  /**
   * Each month's result — its last check — and whether the monthly round checked it, one entry per month
   * (the last MONTHS_KEPT): what the failing months are counted from, whatever number of checks a month had.
   */
  months: z.array(monthResultSchema).default([]),
  /** Consecutive months whose result was a failure, ending with the latest month checked. */
  consecutiveFailures: z.number().int().nonnegative(),
  /** The forced-exit path (002 (二)): open from the failing month; closed by a recovery inside the window, or expired into retirement. */
  forcedExit: z
    .object({
      since: z.string(),
      /** The last day of the rectification window (inclusive). */
      rectifyBy: z.string(),
      rectifyByAt: z.string(),
      status: z.enum(['open', 'recovered', 'expired']),
      reasons: z.array(z.string()),
      endedAt: z.string().optional(),
    })
    .nullable(),
});
export type MonitoringState = z.infer<typeof monitoringStateSchema>;

/** The subject of the O&M money block a forced exit puts on the project (one at a time). */
export const FORCED_EXIT_SUBJECT = 'forced-exit';

/** The month before `period`. */
function previousPeriod(period: MonitoringPeriod): MonitoringPeriod {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/**
 * Consecutive failing months ending with the latest month checked: a month's result is its last check
 * (a recheck after a repair replaces the month's failure, see withCheck), and a month without any check ends the run.
 * Only checks from `since` on count: the months a recovered forced exit answered for are not counted again.
 */
export function consecutiveFailingMonths(months: readonly { period: MonitoringPeriod; healthy: boolean; at: string }[], since?: string): number {
  const monthResult = new Map<MonitoringPeriod, boolean>();
  for (const month of months) if (since === undefined || month.at >= since) monthResult.set(month.period, month.healthy);
  const latest = [...monthResult.keys()].sort().pop();
  let failing = 0;
  for (let period = latest; period !== undefined && monthResult.get(period) === false; period = previousPeriod(period)) failing += 1;
  return failing;
}
