import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { Express } from 'express';
import type { ProjectState } from '../../domain/lifecycle';
import type { MonitoringState } from '../../domain/monitoring';
import { CONFIGURABLE_VALUE } from '../../domain/policy/profile';
import type { DocumentKind } from '../../domain/records';
import { ensureMonitoringSchedules, monitoringScheduleId } from '../../worker/schedules';
import { as, testApp, type TestCaller } from '../helpers/api';
import { HealthEndpoints } from '../helpers/health-endpoints';
import { eventually, SUQIAN_UNIT } from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';
import { TASK_QUEUE } from '../helpers/temporal';
import { useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * Suqian (002) through HTTP on the real dev server: a new project through the six review steps of
 * 002 (五) to implementation and the trial run before acceptance (002 (七)); a stock system registered
 * straight into operation (002 (一)) whose health endpoint, on loopback, fails three months the real
 * monthly Schedule backfills — the forced exit blocks its O&M money, shown to finance (002 (二)) — until
 * the unit's recheck after the repair recovers it, and its retirement with its data disposition
 * (002 (七)); the yearly reports of a key stock system (002 (八)). The dev server runs in real time: the
 * trial run's end and the forced-exit window's end are the time-skipping test's
 * (test/workflows/suqian-lifecycle.test.ts).
 */
const context = useWorkflowEnvironment('devServer');
const endpoints = new HealthEndpoints();
let app: Express;
beforeAll(async () => {
  app = testApp(context.env.client, context.storage);
  await endpoints.start();
});
afterAll(() => endpoints.stop());

const WAN = 10_000 * 100;
const SHANGHAI = 8 * 3_600_000;
/** Today in Asia/Shanghai, YYYY-MM-DD. */
const today = () => new Date(Date.now() + SHANGHAI).toISOString().slice(0, 10);
/** 00:00 Asia/Shanghai of the 1st of the month `back` months before the current one. */
function monthStart(back: number): Date {
  const now = new Date(Date.now() + SHANGHAI);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1) - SHANGHAI);
}
const periodOf = (instant: Date) => new Date(instant.getTime() + SHANGHAI).toISOString().slice(0, 7);

interface MonitoringView {
  monitoring: MonitoringState;
  policy: { rule: string; failingMonths: { count: number; rule: string }; rectificationWindow: { months: number; rule: string } };
  checks: { period: string; source: string; healthy: boolean; detail: string; endpoint: string | null; recordedBy: string }[];
}

const stateOf = async (projectId: string) => (await as(app, 'auditor').get(`/projects/${projectId}`).expect(200)).body as ProjectState;
const pendingAt = (projectId: string, stage: string, kind = 'review'): Promise<ProjectState> =>
  eventually(
    () => stateOf(projectId),
    (state) => state.pending?.stage === stage && state.pending.kind === kind && (kind !== 'review' || Boolean(state.pending.rule)),
    `${kind} at ${stage}`, 30_000,
  );
const monitoringOf = async (projectId: string) => (await as(app, 'auditor').get(`/projects/${projectId}/monitoring`).expect(200)).body as MonitoringView;
const upload = async (projectId: string, who: TestCaller, kind: DocumentKind) => {
  const response = await as(app, who).post(`/projects/${projectId}/documents?kind=${kind}&title=${encodeURIComponent(kind)}`).set('Content-Type', 'application/octet-stream').send(Buffer.from(`${kind} of ${projectId}`));
  expect([200, 201]).toContain(response.status);
  return response.body.documentId as string;
};
const aStockSystem = (overrides: Parameters<typeof aProposal>[0] = {}) =>
  aProposal({ jurisdiction: 'suqian', unit: SUQIAN_UNIT, investmentFen: 50 * WAN, name: '宿迁市民政业务系统', ...overrides, flags: { stockSystem: true, ...overrides.flags } });

describe('Suqian (002) through the HTTP API', () => {
  it('takes a new project through the six review steps of 002 (五) — budget review by finance only — to central implementation (002 (六)) and the trial run before the acceptance application (002 (七)), its length a configurable value', async () => {
    const proposal = aProposal({ jurisdiction: 'suqian', unit: SUQIAN_UNIT, investmentFen: 200 * WAN, name: '宿迁市智慧民政平台' });
    const id = proposal.projectId;
    const decide = (who: TestCaller, body: Record<string, unknown>) => as(app, who).post(`/projects/${id}/decisions`).send(body);
    const submit = (body: Record<string, unknown>) => as(app, 'suqianUnit').post(`/projects/${id}/submissions`).send(body);

    await as(app, 'suqianUnit').post('/projects').send(proposal).expect(201);
    const first = await pendingAt(id, 'libraryRegistration');
    expect(first.pending).toMatchObject({ role: 'reviewOffice' });
    expect(first.monitoring).toMatchObject({ endpoint: null, checks: [], forcedExit: null });
    await decide('suqianUnit', { stage: 'libraryRegistration', decision: 'approve' }).expect(403);
    for (const stage of ['libraryRegistration', 'schemePreReview'] as const) {
      await pendingAt(id, stage);
      await decide('reviewOffice', { stage, decision: 'approve' }).expect(200);
    }
    // The data bureau gatekeeps every step but the budget, which is finance's.
    await pendingAt(id, 'budgetReview');
    const notTheBureau = await decide('reviewOffice', { stage: 'budgetReview', decision: 'approve' }).expect(403);
    expect(notTheBureau.body).toMatchObject({ rule: '002 (五)', detail: expect.stringMatching(/is decided by finance/) });
    await decide('finance', { stage: 'budgetReview', decision: 'approve' }).expect(200);
    for (const stage of ['listManagement', 'preImplementationReview', 'approval'] as const) {
      await pendingAt(id, stage);
      await decide('reviewOffice', { stage, decision: 'approve' }).expect(200);
    }

    await pendingAt(id, 'procurement', 'submission');
    await submit({ action: 'contract', contract: { contractId: `${id}-HT1`, contractor: '江苏某信息技术有限公司', sumFen: 190 * WAN, omYears: 3, signedDate: today() } }).expect(200);
    await pendingAt(id, 'implementation', 'implementation');
    await submit({ action: 'goLive' }).expect(200);

    // The trial run before the acceptance application (002 (七)): its length is a configurable value, not in the seed.
    const trial = await pendingAt(id, 'acceptanceApplication', 'submission');
    expect(trial.pending).toMatchObject({ role: 'unit', rule: CONFIGURABLE_VALUE, notBeforeDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(trial.pending!.notBeforeDate! > today()).toBe(true);
    expect(trial.timeline.find((t) => t.stage === 'acceptanceApplication' && t.kind === 'entered')).toMatchObject({ rule: '002 (七)' });
    const early = await submit({ action: 'acceptanceApplication' }).expect(422);
    expect(early.body).toMatchObject({ rule: CONFIGURABLE_VALUE, detail: expect.stringMatching(/the trial run is not over \(required by 002 \(七\); its length is a configurable value/), errors: [{ pointer: '/body/action' }] });
  });

  it('registers a stock system straight into operation with its health endpoint (002 (一)); three failing months of the real monthly Schedule force its exit and block its O&M money, shown to finance (002 (二)); the unit\'s recheck after the repair recovers it; the bureau reports a month by hand (002 (二)); the unit retires it with its data disposition (002 (七))', async () => {
    // A stock system must declare its health endpoint (002 (二)); a jurisdiction without the procedure registers none.
    const noEndpoint = await as(app, 'reviewOffice').post('/projects').send(aStockSystem()).expect(422);
    expect(noEndpoint.body.errors).toEqual([expect.objectContaining({ pointer: '/body/healthEndpoint', detail: expect.stringMatching(/^002 \(二\): /) })]);
    const yiyang = await as(app, 'unit').post('/projects').send(aProposal({ flags: { stockSystem: true } })).expect(422);
    expect(yiyang.body.errors).toEqual([expect.objectContaining({ pointer: '/body/flags/stockSystem', detail: expect.stringMatching(/registers no stock systems/) })]);

    const proposal = aStockSystem({ healthEndpoint: endpoints.set('/x/health', 503) });
    const id = proposal.projectId;
    // The bureau registers it: a unit does not put its own system past the six review steps (002 (一)).
    const byTheUnit = await as(app, 'suqianUnit').post('/projects').send(proposal).expect(403);
    expect(byTheUnit.body).toMatchObject({ rule: '002 (一)', detail: 'flags/stockSystem: 002 (一): a stock system is registered into operation by reviewOffice, not unit' });
    const registered = (await as(app, 'reviewOffice').post('/projects').send(proposal).expect(201)).body as ProjectState;
    expect(registered).toMatchObject({ stage: 'operations', acceptedOn: null });
    const operating = await pendingAt(id, 'operations', 'evaluation');
    expect([...new Set(operating.timeline.filter((t) => t.kind === 'entered').map((t) => t.stage))]).toEqual(['operations']);
    expect(operating.timeline.find((t) => t.kind === 'note')).toMatchObject({ rule: '002 (一)' });
    const before = await monitoringOf(id);
    expect(before).toMatchObject({
      monitoring: { endpoint: endpoints.url('/x/health'), checks: [], consecutiveFailures: 0, forcedExit: null },
      policy: { rule: '002 (二)', failingMonths: { count: 3, rule: CONFIGURABLE_VALUE }, rectificationWindow: { rule: CONFIGURABLE_VALUE } },
      checks: [],
    });

    // The monthly Schedule, its three past months backfilled: each round checks the month it was due for.
    await ensureMonitoringSchedules(context.env.client, TASK_QUEUE);
    await context.env.client.schedule.getHandle(monitoringScheduleId('suqian')).backfill([{ start: monthStart(3), end: monthStart(0), overlap: ScheduleOverlapPolicy.BUFFER_ALL }]);
    const months = [3, 2, 1].map((back) => periodOf(monthStart(back)));
    const exited = await eventually(() => monitoringOf(id), (view) => view.checks.length === 3 && view.monitoring.forcedExit?.status === 'open', 'three checks and the forced exit', 60_000);
    expect(exited.checks.map((c) => [c.period, c.source, c.healthy, c.detail, c.endpoint])).toEqual(months.map((m) => [m, 'schedule', false, 'HTTP 503', endpoints.url('/x/health')]));
    expect(exited.monitoring).toMatchObject({ consecutiveFailures: 3 });
    expect(exited.monitoring.forcedExit!.reasons[0]).toBe(`3 consecutive months not running properly [${CONFIGURABLE_VALUE}]: forced exit`);
    expect(endpoints.calls.get('/x/health')).toBe(3);

    // Finance sees the O&M money blocked under 002 (二), and an O&M payment is refused; other money is not this block's.
    const blocks = await eventually(
      async () => (await as(app, 'finance').get('/payments/blocks').expect(200)).body.items.filter((b: { projectId: string }) => b.projectId === id),
      (items: unknown[]) => items.length === 1, 'the O&M block', 30_000,
    );
    expect(blocks).toEqual([expect.objectContaining({ scope: 'omFunding', rule: '002 (二)', reason: expect.stringMatching(/^forced exit/), jurisdiction: 'suqian', liftedAt: null })]);
    // The bureau's overview of the jurisdiction's systems shows it failing, with the block and its article; it is the bureau's, not the unit's.
    const overview = (await as(app, 'reviewOffice').get('/monitoring/suqian?limit=200').expect(200)).body as { rule: string; items: { projectId: string }[] };
    expect(overview.rule).toBe('002 (二)');
    expect(overview.items.find((item) => item.projectId === id)).toMatchObject({ lastCheck: { healthy: false, detail: 'HTTP 503' }, blocks: [{ scope: 'omFunding', rule: '002 (二)' }] });
    await as(app, 'suqianUnit').get('/monitoring/suqian').expect(403);
    expect((await as(app, 'reviewOffice').get('/monitoring/yiyang').expect(422)).body).toMatchObject({ errors: [expect.objectContaining({ pointer: '/params/jurisdiction' })] });
    const pay = (purpose: string, voucherRef: string) => as(app, 'finance').post(`/projects/${id}/payments`).send({ purpose, amountFen: 5 * WAN, voucherRef, paidOn: today() });
    const refused = await pay('om', `${id}-PZ-1`).expect(422);
    expect(refused.body).toMatchObject({ rule: '002 (二)', errors: [expect.objectContaining({ pointer: '/body/purpose' })] });

    // A month is reported by hand by the bureau, not by the unit.
    const byHand = await as(app, 'suqianUnit').post(`/projects/${id}/health-reports`).send({ source: 'manual', healthy: true, reasons: ['运行正常'] }).expect(403);
    expect(byHand.body).toMatchObject({ rule: '002 (二)', detail: expect.stringMatching(/reported by hand by reviewOffice/) });

    // Repaired: the unit's recheck finds it running inside the window, which recovers it and releases the O&M money.
    endpoints.set('/x/health', 200);
    const recovered = (await as(app, 'suqianUnit').post(`/projects/${id}/health-reports`).send({ source: 'recheck' }).expect(200)).body as ProjectState;
    expect(recovered.monitoring).toMatchObject({ consecutiveFailures: 0, forcedExit: { status: 'recovered' } });
    expect(recovered.omFundingBlocked).toBe(false);
    const afterRecheck = await eventually(() => monitoringOf(id), (view) => view.checks.length === 4, 'the recheck recorded', 30_000);
    expect(afterRecheck.monitoring.forcedExit).toMatchObject({ status: 'recovered' });
    expect(afterRecheck.checks.at(-1)).toMatchObject({ period: periodOf(new Date()), source: 'recheck', healthy: true, recordedBy: 'unit:suqian' });
    const lifted = await eventually(
      async () => (await as(app, 'finance').get(`/payments/blocks?projectId=${id}`).expect(200)).body.items,
      (items: { liftedAt: string | null }[]) => items.length === 1 && items[0]!.liftedAt !== null, 'the block lifted', 30_000,
    );
    expect(lifted).toEqual([expect.objectContaining({ rule: '002 (二)', liftedAt: expect.any(String) })]);
    await pay('om', `${id}-PZ-1`).expect(201);

    // The bureau reports the month by hand.
    await as(app, 'reviewOffice').post(`/projects/${id}/health-reports`).send({ source: 'manual', healthy: false, reasons: ['市民反映系统无法登录'] }).expect(200);
    const reported = await eventually(() => monitoringOf(id), (view) => view.checks.length === 5, 'the report recorded', 30_000);
    expect(reported.checks.at(-1)).toMatchObject({ period: periodOf(new Date()), source: 'manual', healthy: false, detail: '市民反映系统无法登录', recordedBy: 'reviewOffice:tester' });
    expect(reported.monitoring.checks.at(-1)).toMatchObject({ source: 'manual', healthy: false });
    // The months the recovery answered for are not counted again: one failing month does not reopen the forced exit.
    expect(reported.monitoring).toMatchObject({ consecutiveFailures: 1, forcedExit: { status: 'recovered' } });

    // The unit retires the system, with what was done with its data (002 (七)).
    const noDisposition = await as(app, 'suqianUnit').post(`/projects/${id}/closure`).send({ kind: 'retirement', reasons: ['系统整合'] }).expect(422);
    expect(noDisposition.body).toMatchObject({ rule: '002 (七)' });
    const retired = (await as(app, 'suqianUnit').post(`/projects/${id}/closure`).send({ kind: 'retirement', reasons: ['系统整合至市一体化平台'], dataDisposition: '业务数据已迁移至市一体化公共数据平台并备份' }).expect(200)).body as ProjectState;
    expect(retired).toMatchObject({ status: 'ended', stage: 'retired', outcome: { stage: 'retired', rule: '002 (七)' } });
    await as(app, 'suqianUnit').post(`/projects/${id}/health-reports`).send({ source: 'recheck' }).expect(409);
  });

  it("takes a key stock system's yearly reports by document id (a key project designated by the bureau): the unit's O&M service report (002 (八)); the third-party evaluation is not the unit's to hand in (002 (八))", async () => {
    const proposal = aStockSystem({ healthEndpoint: endpoints.set('/key/health', 200), flags: { stockSystem: true, keyProject: true } });
    const id = proposal.projectId;
    await as(app, 'reviewOffice').post('/projects').send(proposal).expect(201);
    await pendingAt(id, 'operations', 'evaluation');
    const yearly = (who: TestCaller, documentIds: string[]) => as(app, who).post(`/projects/${id}/yearly-reports`).send({ documentIds });

    const evaluation = await upload(id, 'suqianUnit', 'performanceEvaluation');
    const notTheUnits = await yearly('suqianUnit', [evaluation]).expect(403);
    expect(notTheUnits.body).toMatchObject({ rule: '002 (八)', detail: expect.stringMatching(/is handed in by thirdPartyReviewer or reviewOffice/) });
    const filed = await yearly('suqianUnit', [await upload(id, 'suqianUnit', 'omServiceReport')]).expect(200);
    expect(filed.body.yearlyReports).toEqual([expect.objectContaining({ kind: 'omServiceReport' })]);
  });
});
