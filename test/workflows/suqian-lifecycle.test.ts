import { createHash } from 'node:crypto';
import type { ProjectState } from '../../domain/lifecycle';
import { CONFIGURABLE_VALUE, SERVICE_TARGET } from '../../domain/policy/profile';
import { paymentRefusal } from '../../domain/payments';
import { businessDateOf, type DocumentKind, type DocumentRef } from '../../domain/records';
import { createStore } from '../../activities/storage/store';
import {
  closeProjectUpdate,
  declareHealthEndpointUpdate,
  fileYearlyReportUpdate,
  monthlyCheckDueSignal,
  recordEvaluationUpdate,
  reportHealthUpdate,
} from '../../workflows/messages';
import { HealthEndpoints } from '../helpers/health-endpoints';
import { actor, contractFor, decide, endStartedProjects, eventually, startProject, submit, SUQIAN_UNIT, waitFor, type ProjectHandle } from '../helpers/lifecycle';
import { refusal, useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * Suqian (002): a new project through the six review steps of 002 (五) to acceptance, archive filing and
 * asset registration (002 (七)); stock systems registered straight into operation (002 (一)) and
 * monitored every month (002 (二)) — consecutive failing months put one on the forced-exit path with its
 * O&M money blocked, a recovery inside the window keeps it, none retires it; the yearly O&M service
 * report of a stock project and the third-party evaluation of a key project (002 (八)).
 */
const context = useWorkflowEnvironment('timeSkipping');
const endpoints = new HealthEndpoints();
beforeAll(() => endpoints.start());
afterAll(() => endpoints.stop());
afterEach(() => endStartedProjects(context.env.client));

const WAN = 10_000 * 100;
const doc = (kind: DocumentKind, copy = ''): DocumentRef => ({ documentId: `doc-${kind}${copy}`, kind, sha256: createHash('sha256').update(kind + copy).digest('hex') });
const unit = actor('unit', SUQIAN_UNIT);
let systems = 0;

const startNew = (flags: Record<string, boolean> = {}) =>
  startProject(context.env, { jurisdiction: 'suqian', unit: SUQIAN_UNIT, investmentFen: 200 * WAN, flags, name: '宿迁市智慧民政平台' });
/** A stock system, its health endpoint answering `status` at a path of its own. */
const startStock = (status: number, flags: Record<string, boolean> = {}) => {
  systems += 1;
  const path = `/system-${systems}/health`;
  return { path, handle: startProject(context.env, { jurisdiction: 'suqian', unit: SUQIAN_UNIT, investmentFen: 50 * WAN, flags: { stockSystem: true, ...flags }, healthEndpoint: endpoints.set(path, status), name: '宿迁市民政业务系统' }) };
};

const pendingAction = (handle: ProjectHandle) => waitFor(handle, (s) => s.status === 'ended' || (s.pending !== null && (s.pending.kind !== 'review' || s.pending.rule !== undefined)), 'a pending action');
const path = (state: ProjectState) => [...new Set(state.timeline.filter((t) => t.kind === 'entered').map((t) => t.stage))];
const today = async () => businessDateOf(new Date(await context.env.currentTimeMs()));
/** The month `back` months before the environment's current one, YYYY-MM. */
async function monthBefore(back: number): Promise<string> {
  const [year, month] = (await today()).split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
/** The monthly round's call for `period`, and the check it leads to recorded. */
async function monthlyCheck(handle: ProjectHandle, period: string): Promise<ProjectState> {
  const before = (await waitFor(handle, () => true, 'state')).monitoring!.checks.length;
  await handle.signal(monthlyCheckDueSignal, { period, roundId: 'test-round' });
  return waitFor(handle, (s) => s.monitoring!.checks.length > before, `the check of ${period}`);
}
const store = () => createStore(context.storage);
const omBlocksOf = async (projectId: string) => (await store().openPaymentBlocksOf(projectId)).filter((block) => block.scope === 'omFunding');
/** The O&M blocks once the transition that follows a signalled check's state has written them. */
const omBlocksOnceRecorded = (projectId: string, count: number) => eventually(() => omBlocksOf(projectId), (blocks) => blocks.length === count, `${count} O&M block(s)`, 30_000);

describe('Suqian (002) lifecycle', () => {
  it('takes a new project through the six review steps of 002 (五) — library registration, scheme pre-review, budget review by finance, list management, pre-implementation review, approval — to central implementation (002 (六)), the trial run and acceptance (002 (七)), archive filing and asset registration (002 (七)), and into monitored operation (002 (二))', async () => {
    const handle = await startNew();
    const first = await pendingAction(handle);
    // The data bureau is the single gatekeeper: it registers the project into the library, on its service target (the seed sets no period).
    expect(first.pending).toMatchObject({ stage: 'libraryRegistration', kind: 'review', role: 'reviewOffice', rule: SERVICE_TARGET });
    expect(await refusal(decide(handle, { stage: 'libraryRegistration', decision: 'approve', role: 'unit', unit: SUQIAN_UNIT }))).toMatch(/is decided by reviewOffice/);
    await decide(handle, { stage: 'libraryRegistration', decision: 'approve', role: 'reviewOffice' });
    await waitFor(handle, (s) => s.pending?.stage === 'schemePreReview', 'scheme pre-review');
    await decide(handle, { stage: 'schemePreReview', decision: 'requestRevision', role: 'reviewOffice', reasons: ['数据归集方案不完整'] });
    await waitFor(handle, (s) => s.pending?.kind === 'revision', 'the revision');
    await submit(handle, { action: 'revision' }, SUQIAN_UNIT);
    await waitFor(handle, (s) => s.pending?.stage === 'schemePreReview' && s.pending.kind === 'review', 'scheme pre-review again');
    await decide(handle, { stage: 'schemePreReview', decision: 'approve', role: 'reviewOffice' });
    // Finance reviews the budget; the bureau does not decide it for finance.
    await waitFor(handle, (s) => s.pending?.stage === 'budgetReview', 'budget review');
    expect(await refusal(decide(handle, { stage: 'budgetReview', decision: 'approve', role: 'reviewOffice' }))).toMatch(/^002 \(五\): .*is decided by finance/);
    await decide(handle, { stage: 'budgetReview', decision: 'approve', role: 'finance' });
    // The list is kept or not: a revision is not one of its decisions.
    await waitFor(handle, (s) => s.pending?.stage === 'listManagement', 'list management');
    expect(await refusal(decide(handle, { stage: 'listManagement', decision: 'requestRevision', role: 'reviewOffice', reasons: ['x'] }))).toMatch(/requestRevision/);
    await decide(handle, { stage: 'listManagement', decision: 'approve', role: 'reviewOffice' });
    for (const stage of ['preImplementationReview', 'approval'] as const) {
      await waitFor(handle, (s) => s.pending?.stage === stage && s.pending.rule !== undefined, stage);
      await decide(handle, { stage, decision: 'approve', role: 'reviewOffice' });
    }

    await waitFor(handle, (s) => s.pending?.stage === 'procurement', 'procurement');
    await submit(handle, { action: 'contract', contract: contractFor((await pendingAction(handle)).projectId, 190 * WAN) }, SUQIAN_UNIT);
    await waitFor(handle, (s) => s.pending?.kind === 'implementation', 'implementation');
    await submit(handle, { action: 'goLive' }, SUQIAN_UNIT);

    // The trial run before acceptance is required by 002 (七); its length is a configurable value, never an article.
    const trial = await waitFor(handle, (s) => s.pending?.stage === 'acceptanceApplication', 'the acceptance application');
    expect(trial.pending).toMatchObject({ kind: 'submission', rule: CONFIGURABLE_VALUE });
    expect(trial.timeline.find((t) => t.stage === 'acceptanceApplication' && t.kind === 'entered')).toMatchObject({ rule: '002 (七)' });
    expect(await refusal(submit(handle, { action: 'acceptanceApplication' }, SUQIAN_UNIT))).toMatch(/the trial run is not over \(required by 002 \(七\); its length is a configurable value/);
    await context.env.sleep(Date.parse(trial.pending!.notBeforeAt!) - (await context.env.currentTimeMs()) + 60_000);
    await submit(handle, { action: 'acceptanceApplication' }, SUQIAN_UNIT);
    await waitFor(handle, (s) => s.pending?.stage === 'finalAcceptance' && s.pending.rule !== undefined, 'acceptance');
    await decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'reviewOffice' });

    // After acceptance: the records filed (002 (七)), then the finished system registered as an asset, with its register (002 (七)).
    await waitFor(handle, (s) => s.pending?.stage === 'archiveFiling', 'archive filing');
    await submit(handle, { action: 'archiveFiling' }, SUQIAN_UNIT);
    await waitFor(handle, (s) => s.pending?.stage === 'assetRegistration', 'asset registration');
    expect(await refusal(submit(handle, { action: 'assetRegistration' }, SUQIAN_UNIT))).toMatch(/^002 \(七\): documents missing: 资产登记表/);
    const registered = await submit(handle, { action: 'assetRegistration', documents: [doc('assetRegister')] }, SUQIAN_UNIT);
    expect(registered.documents).toContainEqual({ ...doc('assetRegister'), stage: 'assetRegistration' });

    const operating = await waitFor(handle, (s) => s.pending?.kind === 'evaluation', 'operation');
    expect(path(operating)).toEqual([
      'libraryRegistration', 'schemePreReview', 'budgetReview', 'listManagement', 'preImplementationReview', 'approval',
      'procurement', 'implementation', 'acceptanceApplication', 'finalAcceptance', 'archiveFiling', 'assetRegistration', 'operations',
    ]);
    expect(operating.pending).toMatchObject({ role: 'reviewOffice', rule: CONFIGURABLE_VALUE });
    expect(operating.operatingSince).toBe(operating.acceptedOn);
    // A new, ordinary project owes neither a stock project's service report nor a key project's evaluation (002 (八)).
    expect(await refusal(handle.executeUpdate(fileYearlyReportUpdate, { args: [{ documents: [doc('omServiceReport')], actor: unit }] }))).toMatch(/has no yearly reports for this project/);

    // In operation it is monitored: the unit declares its endpoint, and the month's check calls it.
    expect(operating.monitoring).toMatchObject({ endpoint: null, checks: [], consecutiveFailures: 0, forcedExit: null });
    const endpoint = endpoints.set('/new-project/health', 200);
    await handle.executeUpdate(declareHealthEndpointUpdate, { args: [{ endpoint, actor: unit }] });
    const checked = await monthlyCheck(handle, await monthBefore(0));
    expect(checked.monitoring!.checks).toEqual([expect.objectContaining({ source: 'schedule', healthy: true, detail: expect.stringMatching(/^HTTP 200 in \d+ ms$/) })]);
    expect(endpoints.calls.get('/new-project/health')).toBe(1);
    expect(await eventually(() => store().healthChecksOf(checked.projectId), (rows) => rows.length === 1, 'the check recorded', 30_000)).toEqual([expect.objectContaining({ endpoint, healthy: true, source: 'schedule', recordedBy: 'monitoring round test-round' })]);
  });

  it("keeps a system that recovers inside the forced-exit window (002 (二)): the unit's recheck after the repair lifts the O&M block; a key stock project's third-party evaluation and service report are handed in (002 (八))", async () => {
    const { path: endpointPath, handle: started } = startStock(500, { keyProject: true });
    const handle = await started;
    await waitFor(handle, (s) => s.pending?.kind === 'evaluation', 'operation');
    for (const back of [2, 1, 0]) await monthlyCheck(handle, await monthBefore(back));
    const exited = await waitFor(handle, (s) => s.monitoring!.forcedExit?.status === 'open', 'forced exit');
    await omBlocksOnceRecorded(exited.projectId, 1);
    const yearEnd = Date.parse(exited.pending!.dueAt!);

    endpoints.set(endpointPath, 200);
    const recovered = await handle.executeUpdate(reportHealthUpdate, { args: [{ source: 'recheck', actor: unit }] });
    expect(recovered.monitoring).toMatchObject({ consecutiveFailures: 0, forcedExit: { status: 'recovered' } });
    expect(recovered.omFundingBlocked).toBe(false);
    expect(recovered.pending).toMatchObject({ kind: 'evaluation' });
    expect(recovered.timeline.at(-1)).toMatchObject({ kind: 'decision', decision: 'approve', rule: '002 (二)' });
    expect(await omBlocksOf(exited.projectId)).toEqual([]);

    // The key project's evaluation is the third party's (or the bureau's); the service report the unit's (002 (八)).
    expect(await refusal(handle.executeUpdate(fileYearlyReportUpdate, { args: [{ documents: [doc('performanceEvaluation')], actor: unit }] }))).toMatch(/^002 \(八\): .* is handed in by thirdPartyReviewer or reviewOffice/);
    expect(await refusal(handle.executeUpdate(fileYearlyReportUpdate, { args: [{ documents: [doc('securityTest')], actor: unit }] }))).toMatch(/securityTest is not a yearly report/);
    await handle.executeUpdate(fileYearlyReportUpdate, { args: [{ documents: [doc('performanceEvaluation')], actor: actor('thirdPartyReviewer') }] });
    await handle.executeUpdate(fileYearlyReportUpdate, { args: [{ documents: [doc('omServiceReport')], actor: unit }] });
    await context.env.sleep(yearEnd - (await context.env.currentTimeMs()) + 60_000);
    const nextYear = await waitFor(handle, (s) => s.omYear === 2 && s.pending?.kind === 'evaluation', 'the next O&M year');
    expect(nextYear.missingReports).toEqual([]);
    expect(nextYear.monitoring!.forcedExit).toMatchObject({ status: 'recovered' });
  });

  // Kept last: after this scenario's window and year-end sleeps, a later year-long sleep stalled the time-skipping test server (seen every time; cause not found).
  it('registers a stock system straight into operation (002 (一)); failing the configured consecutive months puts it on forced exit with its O&M money blocked (002 (二)); without recovery in the window it is retired with its data disposition (002 (七)), its missing yearly O&M service report flagged (002 (八))', async () => {
    const { path: endpointPath, handle: started } = startStock(503);
    const handle = await started;
    const registered = await waitFor(handle, (s) => s.pending?.kind === 'evaluation', 'operation');
    expect(path(registered)).toEqual(['operations']);
    expect(registered.timeline.find((t) => t.kind === 'note')).toMatchObject({ rule: '002 (一)' });
    expect(registered).toMatchObject({ acceptedOn: null, operatingSince: await today(), omYear: 1 });

    // Three consecutive failing months (a configurable count): the round's retries of a month count once.
    const first = await monthlyCheck(handle, await monthBefore(2));
    expect(first.monitoring).toMatchObject({ consecutiveFailures: 1, forcedExit: null });
    expect(first.monitoring!.checks[0]).toMatchObject({ healthy: false, detail: 'HTTP 503' });
    await handle.signal(monthlyCheckDueSignal, { period: await monthBefore(2), roundId: 'test-round-retried' });
    await monthlyCheck(handle, await monthBefore(1));
    const again = await waitFor(handle, () => true, 'state');
    expect(again.monitoring!.checks.map((c) => c.period)).toEqual([await monthBefore(2), await monthBefore(1)]);
    expect(endpoints.calls.get(endpointPath)).toBe(2);
    const exited = await monthlyCheck(handle, await monthBefore(0));
    expect(exited.monitoring).toMatchObject({ consecutiveFailures: 3, forcedExit: { status: 'open' } });
    expect(exited.monitoring!.forcedExit!.reasons[0]).toBe(`3 consecutive months not running properly [${CONFIGURABLE_VALUE}]: forced exit`);
    expect(exited.timeline.filter((t) => t.kind === 'breach')).toEqual([expect.objectContaining({ rule: '002 (二)' })]);
    // Finance sees the O&M money blocked: an O&M payment is refused, a progress payment is not this block's concern.
    const blocks = await omBlocksOnceRecorded(exited.projectId, 1);
    expect(blocks).toEqual([expect.objectContaining({ rule: '002 (二)', reason: expect.stringMatching(/^forced exit/) })]);
    expect(paymentRefusal(blocks, 'om')).toMatchObject({ rule: '002 (二)' });
    expect(paymentRefusal(blocks, 'progress')).toBeNull();

    // A month is reported by hand by the bureau only; the unit's recheck of a still failing system changes nothing.
    expect(await refusal(handle.executeUpdate(reportHealthUpdate, { args: [{ source: 'manual', healthy: true, reasons: ['运行正常'], actor: unit }] }))).toMatch(/^002 \(二\): a month's result is reported by hand by reviewOffice/);
    const rechecked = await handle.executeUpdate(reportHealthUpdate, { args: [{ source: 'recheck', actor: unit }] });
    expect(rechecked.monitoring).toMatchObject({ consecutiveFailures: 3, forcedExit: { status: 'open' } });

    // The window (a configurable number of months) ends without recovery: the system is to be retired by the unit.
    await context.env.sleep(Date.parse(exited.monitoring!.forcedExit!.rectifyByAt) - (await context.env.currentTimeMs()) + 60_000);
    const expired = await waitFor(handle, (s) => s.monitoring!.forcedExit!.status === 'expired', 'the window to end');
    expect(expired.pending).toMatchObject({ kind: 'retirement', role: 'unit', rule: '002 (七)' });
    expect(await refusal(handle.executeUpdate(reportHealthUpdate, { args: [{ source: 'recheck', actor: unit }] }))).toMatch(/^002 \(二\): the forced-exit window ended/);
    expect(await refusal(handle.executeUpdate(recordEvaluationUpdate, { args: [{ year: 1, passed: true, reasons: [], actor: actor('reviewOffice') }] }))).toMatch(/during O&M/);
    expect(await omBlocksOf(expired.projectId)).toHaveLength(1);

    // The O&M year ends meanwhile: the stock project's yearly service report was never handed in (002 (八)).
    await context.env.sleep(Date.parse(registered.pending!.dueAt!) - (await context.env.currentTimeMs()) + 60_000);
    const nextYear = await waitFor(handle, (s) => s.omYear === 2 && s.pending !== null, 'the next O&M year');
    expect(nextYear.missingReports).toEqual([expect.objectContaining({ year: 1, kind: 'omServiceReport', rule: '002 (八)' })]);
    expect(nextYear.pending).toMatchObject({ kind: 'retirement' });

    expect(await refusal(handle.executeUpdate(closeProjectUpdate, { args: [{ kind: 'closure', reasons: ['闲置'], actor: actor('reviewOffice') }] }))).toMatch(/has no closure letter/);
    expect(await refusal(handle.executeUpdate(closeProjectUpdate, { args: [{ kind: 'retirement', reasons: ['强制退出'], actor: unit }] }))).toMatch(/^002 \(七\): retirement must record what was done with the data/);
    const retired = await handle.executeUpdate(closeProjectUpdate, { args: [{ kind: 'retirement', reasons: ['强制退出：连续三个月运行不正常'], dataDisposition: '业务数据已迁移至市一体化公共数据平台并备份', actor: unit }] });
    expect(retired).toMatchObject({ status: 'ended', stage: 'retired', outcome: { stage: 'retired', rule: '002 (七)' } });
  });
});
