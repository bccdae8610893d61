import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { ProjectState } from '../../domain/lifecycle';
import { createStore } from '../../activities/storage/store';
import { ensureMonitoringSchedules, monitoringScheduleId } from '../../worker/schedules';
import type { MonitoringRoundSummary } from '../../workflows/monthly-monitoring';
import { HealthEndpoints } from '../helpers/health-endpoints';
import { endStartedProjects, eventually, startProject, SUQIAN_UNIT, waitFor, type ProjectHandle } from '../helpers/lifecycle';
import { TASK_QUEUE } from '../helpers/temporal';
import { useWorkflowEnvironment } from '../helpers/workflow-context';
import { projectStateQuery } from '../../workflows/messages';

/**
 * The monthly monitoring Schedule (002 (二)) on the Temporal CLI dev server (Schedules exist only on a
 * real server), against real health endpoints on loopback: the rounds for three past months are
 * backfilled — as an operator catches up missed months — and the current month's is triggered.
 */
const context = useWorkflowEnvironment('devServer');
const endpoints = new HealthEndpoints();
beforeAll(() => endpoints.start());
afterAll(async () => {
  await endStartedProjects(context.env.client);
  await endpoints.stop();
});

const SHANGHAI = 8 * 3_600_000;
/** 00:00 Asia/Shanghai of the 1st of the month `back` months before the current one. */
function monthStart(back: number): Date {
  const now = new Date(Date.now() + SHANGHAI);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1) - SHANGHAI);
}
const periodOf = (instant: Date) => new Date(instant.getTime() + SHANGHAI).toISOString().slice(0, 7);

const startStock = (path: string, status: number) =>
  startProject(context.env, {
    jurisdiction: 'suqian', unit: SUQIAN_UNIT, investmentFen: 30 * 10_000 * 100, flags: { stockSystem: true }, healthEndpoint: endpoints.set(path, status), name: `宿迁市存量系统 ${path}`,
  });
const checksOf = (handle: ProjectHandle, count: number) => waitFor(handle, (s) => (s.monitoring?.checks.length ?? 0) >= count, `${count} checks`);

describe('the monthly monitoring Schedule (002 (二))', () => {
  it('is created once per jurisdiction with monitoring, on the 1st of each month at 09:00 Asia/Shanghai, its rounds never overlapping nor caught up after an outage', async () => {
    expect(await ensureMonitoringSchedules(context.env.client, TASK_QUEUE)).toEqual([monitoringScheduleId('suqian')]);
    expect(await ensureMonitoringSchedules(context.env.client, TASK_QUEUE)).toEqual([]);
    const description = await context.env.client.schedule.getHandle(monitoringScheduleId('suqian')).describe();
    expect(description.spec.timezone).toBe('Asia/Shanghai');
    expect(description.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }], hour: [{ start: 9, end: 9, step: 1 }] });
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'MonthlyMonitoring', args: [{ jurisdiction: 'suqian' }] });
    expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.BUFFER_ALL);
    // An outage's missed rounds are not caught up on their own (they would count months in minutes): only a backfill runs them.
    expect(description.policies.catchupWindow).toBe(86_400_000);
  });

  it('checks every system in operation each month over HTTP: a healthy one stays, one failing three consecutive months is put on forced exit with its O&M money blocked, one recovering inside the window is kept (002 (二))', async () => {
    const healthy = await startStock('/healthy/health', 200);
    const failing = await startStock('/failing/health', 503);
    const recovering = await startStock('/recovering/health', 503);
    for (const handle of [healthy, failing, recovering]) await waitFor(handle, (s) => s.pending?.kind === 'evaluation', 'operation');
    const schedule = context.env.client.schedule.getHandle(monitoringScheduleId('suqian'));

    // Three missed months backfilled: each round checks the month it was scheduled for, in order.
    await schedule.backfill([{ start: monthStart(3), end: monthStart(0), overlap: ScheduleOverlapPolicy.BUFFER_ALL }]);
    const months = [3, 2, 1].map((back) => periodOf(monthStart(back)));
    const [stays, exits, recovers] = await Promise.all([checksOf(healthy, 3), checksOf(failing, 3), checksOf(recovering, 3)]);
    expect(stays.monitoring!.checks.map((c) => [c.period, c.source, c.healthy])).toEqual(months.map((m) => [m, 'schedule', true]));
    expect(stays.monitoring).toMatchObject({ consecutiveFailures: 0, forcedExit: null });
    for (const state of [exits, recovers]) {
      expect(state.monitoring!.checks.map((c) => [c.period, c.healthy, c.detail])).toEqual(months.map((m) => [m, false, 'HTTP 503']));
      expect(state.monitoring).toMatchObject({ consecutiveFailures: 3, forcedExit: { status: 'open' } });
      expect(state.omFundingBlocked).toBe(true);
    }
    // Each system was called once per month, over HTTP.
    expect(['/healthy/health', '/failing/health', '/recovering/health'].map((p) => endpoints.calls.get(p))).toEqual([3, 3, 3]);

    // The recovering system is repaired; the current month's round finds it running and keeps it.
    endpoints.set('/recovering/health', 200);
    await schedule.trigger(ScheduleOverlapPolicy.BUFFER_ALL);
    const [, stillFailing, kept] = await Promise.all([checksOf(healthy, 4), checksOf(failing, 4), checksOf(recovering, 4)]);
    const thisMonth = periodOf(new Date());
    expect(kept.monitoring!.checks.at(-1)).toMatchObject({ period: thisMonth, healthy: true });
    expect(kept.monitoring).toMatchObject({ consecutiveFailures: 0, forcedExit: { status: 'recovered' } });
    expect(kept.omFundingBlocked).toBe(false);
    expect(stillFailing.monitoring).toMatchObject({ consecutiveFailures: 4, forcedExit: { status: 'open' } });

    // The system of record has every check (written by the transition that follows the state), and the O&M block only where the system did not recover.
    const store = createStore(context.storage);
    await eventually(() => store.healthChecksOf(kept.projectId), (checks) => checks.length === 4, 'four checks recorded', 30_000);
    await eventually(() => store.openPaymentBlocksOf(kept.projectId), (blocks) => blocks.length === 0, 'the block lifted', 30_000);
    expect((await store.openPaymentBlocksOf(stillFailing.projectId)).map((b) => [b.scope, b.rule])).toEqual([['omFunding', '002 (二)']]);

    // The rounds themselves: four months, each asking every system once.
    const rounds = await eventually(async () => {
      const summaries: MonitoringRoundSummary[] = [];
      for await (const execution of context.env.client.workflow.list({ query: `WorkflowType = 'MonthlyMonitoring'` })) {
        if (execution.status.name === 'COMPLETED') summaries.push(await context.env.client.workflow.getHandle<() => Promise<MonitoringRoundSummary>>(execution.workflowId, execution.runId).result());
      }
      return summaries;
    }, (summaries) => summaries.length === 4, 'four completed rounds', 30_000);
    expect(rounds.map((r) => r.period).sort()).toEqual([...months, thisMonth]);
    expect(rounds.every((r) => r.signalled === 3 && r.skipped.length === 0)).toBe(true);
  });

  it('skips a system whose workflow has closed, and never checks a project before it is in operation (002 (二))', async () => {
    const retiredLater = await startStock('/closed/health', 200);
    await waitFor(retiredLater, (s) => s.pending?.kind === 'evaluation', 'operation');
    await retiredLater.terminate('ended outside the application');
    const underway = await startProject(context.env, { jurisdiction: 'suqian', unit: SUQIAN_UNIT, investmentFen: 100 * 10_000 * 100 });
    await waitFor(underway, (s) => s.pending?.stage === 'libraryRegistration', 'library registration');
    const round = await context.env.client.workflow.execute('MonthlyMonitoring', { taskQueue: TASK_QUEUE, workflowId: `monitoring-round-test-${Date.now()}`, args: [{ jurisdiction: 'suqian' }] }) as MonitoringRoundSummary;
    expect(round.period).toBe(periodOf(new Date()));
    expect(round.skipped).toContain(retiredLater.workflowId);
    const notYet: ProjectState = await underway.query(projectStateQuery);
    expect(notYet.monitoring).toMatchObject({ checks: [] });
  });
});
