import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';
import { periodOf, type MonitoringPeriod } from '../domain/monitoring';
import { act } from './activity-proxies';

/** Set by Temporal on a workflow a Schedule starts: the time it was due, which a backfilled run keeps too. */
const scheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export interface MonthlyMonitoringInput {
  jurisdiction: string;
}

export interface MonitoringRoundSummary {
  period: MonitoringPeriod;
  /** Systems whose workflow was asked to check its endpoint for the month. */
  signalled: number;
  /** Systems listed in operation whose workflow had already closed. */
  skipped: string[];
}

/**
 * One month's monitoring round of a jurisdiction (002 (二)), started by its Schedule
 * (worker/schedules.ts): every system in operation is asked, page by page, to check its health endpoint
 * for the month; each system's workflow calls the endpoint, records the result and counts failing
 * months. The month is the one the round was scheduled for, so a run an operator backfills for a missed
 * month checks that month.
 */
export async function MonthlyMonitoring(input: MonthlyMonitoringInput): Promise<MonitoringRoundSummary> {
  const info = workflowInfo();
  const dueAt = info.typedSearchAttributes.get(scheduledStartTimeKey) ?? info.startTime;
  const period = periodOf((await act.businessDay({ at: dueAt.toISOString() })).date);
  const summary: MonitoringRoundSummary = { period, signalled: 0, skipped: [] };
  let after: string | undefined;
  do {
    const page = await act.signalMonthlyChecks({ jurisdiction: input.jurisdiction, period, roundId: info.workflowId, after });
    summary.signalled += page.signalled.length;
    summary.skipped.push(...page.skipped);
    after = page.nextAfter ?? undefined;
  } while (after !== undefined);
  return summary;
}
