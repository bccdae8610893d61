import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { profiles } from '../domain/policy';

export const intakeScheduleId = (jurisdiction: string) => `annual-intake-${jurisdiction}`;

/**
 * One Schedule per jurisdiction with an annual intake (001 §5): on 1 January, Asia/Shanghai, it opens
 * the intake for the next plan year. Created idempotently at every worker start.
 */
export async function ensureIntakeSchedules(client: Client, taskQueue: string): Promise<string[]> {
  const created: string[] = [];
  for (const profile of Object.values(profiles)) {
    if (!profile.intakeCutoff) continue;
    const scheduleId = intakeScheduleId(profile.jurisdiction);
    try {
      await client.schedule.create({
        scheduleId,
        spec: { calendars: [{ month: 'JANUARY', dayOfMonth: 1, hour: 0, minute: 0 }], timezone: 'Asia/Shanghai' },
        action: { type: 'startWorkflow', workflowType: 'OpenAnnualIntake', taskQueue, args: [{ jurisdiction: profile.jurisdiction }] },
        memo: { purpose: `Opens the ${profile.jurisdiction} annual plan intake each year (${profile.intakeCutoff.rule})` },
      });
      created.push(scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
  return created;
}
