import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { allProfiles } from '../domain/policy';

export const intakeScheduleId = (jurisdiction: string) => `annual-intake-${jurisdiction}`;

/**
 * One Schedule per jurisdiction with an annual intake (001 §5): on 1 January, Asia/Shanghai, it opens
 * the intake for the next plan year under the profile version in force. Created idempotently at every
 * worker start; an existing one is brought to the current version.
 */
export async function ensureIntakeSchedules(client: Client, taskQueue: string): Promise<string[]> {
  const created: string[] = [];
  for (const profile of allProfiles) {
    if (!profile.intakeCutoff) continue;
    const scheduleId = intakeScheduleId(profile.jurisdiction);
    const args = [{ jurisdiction: profile.jurisdiction, profileVersion: profile.version }];
    try {
      await client.schedule.create({
        scheduleId,
        spec: { calendars: [{ month: 'JANUARY', dayOfMonth: 1, hour: 0, minute: 0 }], timezone: 'Asia/Shanghai' },
        action: { type: 'startWorkflow', workflowType: 'OpenAnnualIntake', taskQueue, args },
        memo: { purpose: `Opens the ${profile.jurisdiction} annual plan intake each year (${profile.intakeCutoff.rule})` },
      });
      created.push(scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      const handle = client.schedule.getHandle(scheduleId);
      const described = await handle.describe();
      const current = (described.action as { args?: unknown[] }).args?.[0] as { profileVersion?: string } | undefined;
      if (current?.profileVersion !== profile.version) {
        await handle.update((previous) => ({ ...previous, action: { ...previous.action, args } as typeof previous.action }));
      }
    }
  }
  return created;
}

export const monitoringScheduleId = (jurisdiction: string) => `monthly-monitoring-${jurisdiction}`;

/**
 * One Schedule per jurisdiction that monitors its systems (002 (二)): on the 1st of every month, 09:00
 * Asia/Shanghai, a MonthlyMonitoring round checks every system in operation. Rounds never overlap: a
 * backfill of missed months runs them one after another, in order; a round more than a day late is
 * skipped rather than caught up. Created idempotently at worker start.
 */
export async function ensureMonitoringSchedules(client: Client, taskQueue: string): Promise<string[]> {
  const created: string[] = [];
  for (const profile of allProfiles) {
    if (!profile.monitoring) continue;
    const scheduleId = monitoringScheduleId(profile.jurisdiction);
    try {
      await client.schedule.create({
        scheduleId,
        spec: { calendars: [{ dayOfMonth: 1, hour: 9, minute: 0 }], timezone: 'Asia/Shanghai' },
        action: { type: 'startWorkflow', workflowType: 'MonthlyMonitoring', taskQueue, args: [{ jurisdiction: profile.jurisdiction }] },
        // A round missed while the cluster was down is not run late on its own: its check would be today's answer
        // under a past month, and several at once would count as consecutive months. An operator backfills them on purpose.
        policies: { overlap: ScheduleOverlapPolicy.BUFFER_ALL, catchupWindow: '1 day' },
        memo: { purpose: `Checks every ${profile.jurisdiction} system in operation each month (${profile.monitoring.rule})` },
      });
      created.push(scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
  return created;
}
