import { annualPlanId, type AnnualPlanState } from '../../domain/annual-plan';
import { annualPlanStateQuery } from '../../workflows/messages';
import { openPlanYear } from '../../domain/policy/intake';
import { yiyangProfile } from '../../domain/policy/yiyang';
import { ensureIntakeSchedules, intakeScheduleId } from '../../worker/schedules';
import { TASK_QUEUE } from '../helpers/temporal';
import { useWorkflowEnvironment } from '../helpers/workflow-context';

/** Schedules exist only on a real server, so this runs on the Temporal CLI dev server. */
const context = useWorkflowEnvironment('devServer');

describe('the yearly Schedule that opens the annual intake (001 §5)', () => {
  it('is created once per jurisdiction with an intake, on 1 January Asia/Shanghai, idempotently', async () => {
    expect(await ensureIntakeSchedules(context.env.client, TASK_QUEUE)).toEqual([intakeScheduleId('yiyang')]);
    expect(await ensureIntakeSchedules(context.env.client, TASK_QUEUE)).toEqual([]);
    const description = await context.env.client.schedule.getHandle(intakeScheduleId('yiyang')).describe();
    expect(description.spec.timezone).toBe('Asia/Shanghai');
    expect(description.spec.calendars?.[0]).toMatchObject({ month: [{ start: 'JANUARY', end: 'JANUARY', step: 1 }], dayOfMonth: [{ start: 1, end: 1, step: 1 }] });
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'OpenAnnualIntake' });
  });

  it('opens next year\'s AnnualPlan under its stable id when it fires', async () => {
    await context.env.client.schedule.getHandle(intakeScheduleId('yiyang')).trigger();
    const planYear = openPlanYear(yiyangProfile, new Date());
    const plan = context.env.client.workflow.getHandle(annualPlanId('yiyang', planYear));
    let state: AnnualPlanState | undefined;
    for (let attempt = 0; attempt < 100 && !state; attempt += 1) {
      state = await plan.query(annualPlanStateQuery).catch(() => undefined);
      if (!state) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toMatchObject({ planId: `annual-plan-yiyang-${planYear}`, phase: 'intake', intakeClosesAt: `${planYear - 1}-09-30T15:59:59.999Z` });
    const opener = await context.env.client.schedule.getHandle(intakeScheduleId('yiyang')).describe();
    expect(opener.info.recentActions.length).toBeGreaterThanOrEqual(1);
  });
});
