import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { StorageHandle } from '../../activities/storage/database';
import { annualPlanId, type AnnualPlanState } from '../../domain/annual-plan';
import { annualPlanStateQuery } from '../../workflows/messages';
import { openPlanYear } from '../../domain/policy/intake';
import { yiyangProfile } from '../../domain/policy/yiyang';
import { ensureIntakeSchedules, intakeScheduleId } from '../../worker/schedules';
import { openTestStorage } from '../helpers/storage';
import { createDevServerEnv, createTestWorker, TASK_QUEUE } from '../helpers/temporal';

/** Schedules exist only on a real server, so this runs on the Temporal CLI dev server. */
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let storage: StorageHandle;

beforeAll(async () => {
  storage = await openTestStorage('sqlite');
  env = await createDevServerEnv();
  worker = await createTestWorker(env.nativeConnection, storage, env.client);
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await storage?.close();
});

describe('the yearly Schedule that opens the annual intake (001 §5)', () => {
  it('is created once per jurisdiction with an intake, on 1 January Asia/Shanghai, idempotently', async () => {
    expect(await ensureIntakeSchedules(env.client, TASK_QUEUE)).toEqual([intakeScheduleId('yiyang')]);
    expect(await ensureIntakeSchedules(env.client, TASK_QUEUE)).toEqual([]);
    const description = await env.client.schedule.getHandle(intakeScheduleId('yiyang')).describe();
    expect(description.spec.timezone).toBe('Asia/Shanghai');
    expect(description.spec.calendars?.[0]).toMatchObject({ month: [{ start: 'JANUARY', end: 'JANUARY', step: 1 }], dayOfMonth: [{ start: 1, end: 1, step: 1 }] });
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'OpenAnnualIntake' });
  });

  it('opens next year\'s AnnualPlan under its stable id when it fires', async () => {
    await env.client.schedule.getHandle(intakeScheduleId('yiyang')).trigger();
    const planYear = openPlanYear(yiyangProfile, new Date());
    const plan = env.client.workflow.getHandle(annualPlanId('yiyang', planYear));
    let state: AnnualPlanState | undefined;
    for (let attempt = 0; attempt < 100 && !state; attempt += 1) {
      state = await plan.query(annualPlanStateQuery).catch(() => undefined);
      if (!state) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toMatchObject({ planId: `annual-plan-yiyang-${planYear}`, phase: 'intake', intakeClosesAt: `${planYear - 1}-09-30T15:59:59.999Z` });
    const opener = await env.client.schedule.getHandle(intakeScheduleId('yiyang')).describe();
    expect(opener.info.recentActions.length).toBeGreaterThanOrEqual(1);
  });
});
