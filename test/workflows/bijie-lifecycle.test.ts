import { createHash } from 'node:crypto';
import type { ProjectState } from '../../domain/lifecycle';
import { SERVICE_TARGET } from '../../domain/policy/profile';
import { businessDateOf, type DocumentKind, type DocumentRef } from '../../domain/records';
import { createStore } from '../../activities/storage/store';
import {
  decideChangeUpdate,
  decideProblemRectificationUpdate,
  fileYearlyReportUpdate,
  postponementUpdate,
  recordEvaluationUpdate,
  recordProblemUpdate,
  reportProblemRectificationUpdate,
  requestChangeUpdate,
  terminateUpdate,
} from '../../workflows/messages';
import { actor, BIJIE_COUNTY_UNIT, BIJIE_UNIT, decide, endStartedProjects, eventually, EXPERTS, startProject, submit, waitFor, type ProjectHandle } from '../helpers/lifecycle';
import { refusal, useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * Bijie (003): the demand scheme through the big-data department's initial review, the third party's
 * review with its report, the project library, the annual implementation plan and finance's budget; the
 * service plan and its tender ceiling price reviewed by the third party (and by the city where 003 §34
 * says so); the three-party contract; content adjustments; acceptance by the unit with the department;
 * problems blocking the project's further money (003 §31); postponement for lagging spending (003 §12).
 */
const context = useWorkflowEnvironment('timeSkipping');
afterEach(() => endStartedProjects(context.env.client));

const DAY = 86_400_000;
const WAN = 10_000 * 100;

/** A document as the API hands it to the workflow: resolved from an upload, with its content hash. */
const doc = (kind: DocumentKind, copy = ''): DocumentRef => ({ documentId: `doc-${kind}${copy}`, kind, sha256: createHash('sha256').update(kind + copy).digest('hex') });
/** Each review's own report (003 §7, §14): a document is handed in once. */
const REPORT = [doc('reviewReport')];
const PLAN_REPORT = [doc('reviewReport', '-service-plan')];
const CEILING = 290 * WAN;
const contract = (projectId: string, sumFen = 280 * WAN) => ({ contractId: `${projectId}-HT1`, contractor: '贵州某信息技术有限公司', sumFen, omYears: 3, signedDate: '2026-11-02' });
/** What the unit hands in with each submission on the happy path. */
const HANDED_IN: Partial<Record<string, DocumentKind[]>> = {
  demandScheme: ['proposal', 'cryptographyAssessment'],
  servicePlan: ['servicePlan'],
  contract: ['contract'],
};

const start = (investmentFen: number, flags: Record<string, boolean> = {}, unit = BIJIE_UNIT) =>
  startProject(context.env, { jurisdiction: 'bijie', unit, investmentFen, flags, name: '毕节市社保一体化服务平台' });

const pendingAction = (handle: ProjectHandle) => waitFor(handle, (s) => s.status === 'ended' || (s.pending !== null && (s.pending.kind !== 'review' || s.pending.rule !== undefined)), 'a pending action');

/** One happy step: the open review approved by the role whose turn it is (with the third party's report, the ceiling price), or the unit's submission. */
async function step(handle: ProjectHandle): Promise<ProjectState> {
  const state = await pendingAction(handle);
  const pending = state.pending!;
  const unit = state.unit;
  switch (pending.kind) {
    case 'review':
      return decide(handle, {
        stage: pending.stage, decision: 'approve', role: pending.role, unit,
        ...(pending.role === 'thirdPartyReviewer' ? { documents: pending.stage === 'servicePlanReview' ? PLAN_REPORT : REPORT } : {}),
        ...(pending.stage === 'servicePlanReview' ? { tenderCeilingFen: CEILING } : {}),
      });
    case 'implementation':
      return submit(handle, { action: 'goLive' }, unit);
    case 'revision':
      return submit(handle, { action: 'revision' }, unit);
    case 'submission':
      return submit(handle, {
        action: pending.action!,
        documents: (HANDED_IN[pending.action!] ?? []).map((kind) => doc(kind)),
        ...(pending.action === 'contract' ? { contract: contract(state.projectId) } : {}),
      }, unit);
    default:
      throw new Error(`no step for ${pending.kind} at ${pending.stage}`);
  }
}

async function driveTo(handle: ProjectHandle, accept: (state: ProjectState) => boolean): Promise<ProjectState> {
  for (let i = 0; i < 40; i += 1) {
    const state = await pendingAction(handle);
    if (accept(state)) return state;
    if (state.status === 'ended') throw new Error(`ended at ${state.stage}: ${state.outcome?.reason}`);
    await step(handle);
  }
  throw new Error('too many steps');
}
const at = (stage: string) => (s: ProjectState) => s.pending?.stage === stage;

const path = (state: ProjectState) => [...new Set(state.timeline.filter((t) => t.kind === 'entered').map((t) => t.stage))];
const inDays = async (days: number) => businessDateOf(new Date((await context.env.currentTimeMs()) + days * DAY));
const blocksOf = (projectId: string) => createStore(context.storage).paymentBlocks({ projectId });

describe('Bijie (003) lifecycle', () => {
  it('takes a city project from the demand scheme (003 §5, §5(4)) through the initial review (003 §6), the third-party review with its report (003 §7), the library (003 §8), the implementation plan (003 §9) and the budget (003 §10) to the service plan (003 §13), its review fixing the tender ceiling price (003 §14), procurement (003 §15), the three-party contract signed by the department (003 §16) and implementation (003 §17)', async () => {
    const handle = await start(300 * WAN);
    const first = await pendingAction(handle);
    expect(first.pending).toMatchObject({ stage: 'demandScheme', kind: 'submission', action: 'demandScheme', rule: '003 §5' });
    // The cryptography plan must have passed an expert review or a third-party assessment (003 §5(4)).
    expect(await refusal(submit(handle, { action: 'demandScheme', documents: [doc('proposal')] }, BIJIE_UNIT))).toMatch(/^003 §5\(4\): documents missing: 密码应用方案/);
    await submit(handle, { action: 'demandScheme', documents: [doc('proposal'), doc('cryptographyAssessment')] }, BIJIE_UNIT);

    // The big-data department's initial review (003 §6): decided by the review office, on the office's service target.
    const initial = await pendingAction(handle);
    expect(initial.pending).toMatchObject({ stage: 'initialReview', role: 'reviewOffice', rule: SERVICE_TARGET });
    await decide(handle, { stage: 'initialReview', decision: 'approve', role: 'reviewOffice' });

    // The third-party review body decides, and hands in its report (003 §7); nobody else decides for it.
    await waitFor(handle, at('thirdPartyReview'), 'third-party review');
    expect(await refusal(decide(handle, { stage: 'thirdPartyReview', decision: 'approve', role: 'reviewOffice', documents: REPORT }))).toMatch(/^003 §7: .* is decided by thirdPartyReviewer/);
    expect(await refusal(decide(handle, { stage: 'thirdPartyReview', decision: 'approve', role: 'thirdPartyReviewer' }))).toMatch(/^003 §7: the decision hands in 第三方评审报告/);
    const reviewed = await decide(handle, { stage: 'thirdPartyReview', decision: 'approve', role: 'thirdPartyReviewer', documents: REPORT });
    expect(reviewed.timeline.find((t) => t.stage === 'thirdPartyReview' && t.kind === 'decision')).toMatchObject({
      actorRole: 'thirdPartyReviewer', rule: '003 §7', reasons: [`document reviewReport doc-reviewReport sha256:${doc('reviewReport').sha256}`],
    });
    expect(reviewed.documents).toContainEqual({ ...doc('reviewReport'), stage: 'thirdPartyReview' });

    await waitFor(handle, at('libraryEntry'), 'library entry');
    await decide(handle, { stage: 'libraryEntry', decision: 'approve', role: 'reviewOffice' });
    await waitFor(handle, at('implementationPlan'), 'implementation plan');
    await decide(handle, { stage: 'implementationPlan', decision: 'approve', role: 'reviewOffice', reasons: ['市人民政府批准2027年度实施计划'] });
    // Finance reviews the budget, with the department (003 §10).
    await waitFor(handle, at('budgetReview'), 'budget review');
    expect(await refusal(decide(handle, { stage: 'budgetReview', decision: 'approve', role: 'reviewOffice' }))).toMatch(/^003 §10: .* is decided by finance/);
    await decide(handle, { stage: 'budgetReview', decision: 'approve', role: 'finance' });

    await waitFor(handle, at('servicePlan'), 'service plan');
    expect(await refusal(submit(handle, { action: 'servicePlan' }, BIJIE_UNIT))).toMatch(/^003 §13: documents missing: 项目服务方案/);
    await submit(handle, { action: 'servicePlan', documents: [doc('servicePlan')] }, BIJIE_UNIT);
    // The third party reviews the service plan and the tender ceiling price, which its approval fixes (003 §14).
    await waitFor(handle, at('servicePlanReview'), 'service plan review');
    expect(await refusal(decide(handle, { stage: 'servicePlanReview', decision: 'approve', role: 'thirdPartyReviewer', documents: REPORT }))).toMatch(/^003 §14: the approval of the service plan fixes the reviewed tender ceiling price/);
    expect(await refusal(decide(handle, { stage: 'servicePlanReview', decision: 'approve', role: 'thirdPartyReviewer', tenderCeilingFen: CEILING }))).toMatch(/^003 §14: the decision hands in/);
    // The demand scheme's report is no report on the service plan.
    expect(await refusal(decide(handle, { stage: 'servicePlanReview', decision: 'approve', role: 'thirdPartyReviewer', tenderCeilingFen: CEILING, documents: REPORT }))).toMatch(/^003 §14: document doc-reviewReport was handed in before \(at thirdPartyReview\)/);
    const fixed = await decide(handle, { stage: 'servicePlanReview', decision: 'approve', role: 'thirdPartyReviewer', tenderCeilingFen: CEILING, documents: PLAN_REPORT });
    expect(fixed.tenderCeilingFen).toBe(CEILING);

    // A city project without third-party systems or other funds goes to procurement with no city review (003 §34).
    await waitFor(handle, at('procurement'), 'procurement');
    expect(await refusal(submit(handle, { action: 'contract', contract: contract(handle.workflowId), documents: [] }, BIJIE_UNIT))).toMatch(/^003 §16: documents missing: 项目三方服务合同/);
    // 招标控制价: one fen above the reviewed ceiling is refused; the ceiling itself is allowed (003 §14).
    expect(await refusal(submit(handle, { action: 'contract', contract: contract(handle.workflowId, CEILING + 1), documents: [doc('contract')] }, BIJIE_UNIT))).toMatch(/^003 §14: the contract sum 2,900,000\.01 元 exceeds the reviewed tender ceiling price 2,900,000\.00 元/);
    await submit(handle, { action: 'contract', contract: contract(handle.workflowId, CEILING), documents: [doc('contract')] }, BIJIE_UNIT);

    // The department is the contract's third party: it signs (003 §16); the unit cannot sign for it.
    const signing = await pendingAction(handle);
    expect(signing.pending).toMatchObject({ stage: 'threePartyContract', role: 'reviewOffice' });
    expect(await refusal(decide(handle, { stage: 'threePartyContract', decision: 'approve', role: 'unit', unit: BIJIE_UNIT }))).toMatch(/^003 §16: .* is decided by reviewOffice/);
    await decide(handle, { stage: 'threePartyContract', decision: 'approve', role: 'reviewOffice', reasons: ['大数据部门签署三方服务合同'] });
    const implementing = await waitFor(handle, (s) => s.pending?.kind === 'implementation', 'implementation');
    expect(path(implementing)).toEqual([
      'demandScheme', 'initialReview', 'thirdPartyReview', 'libraryEntry', 'implementationPlan', 'budgetReview',
      'servicePlan', 'servicePlanReview', 'procurement', 'threePartyContract', 'implementation',
    ]);
    expect(implementing.timeline.filter((t) => t.kind === 'entered').map((t) => t.rule)).toEqual([
      '003 §5', '003 §6', '003 §7', '003 §8', '003 §9', '003 §10', '003 §13', '003 §14', '003 §15', '003 §16', '003 §17',
    ]);
  });

  it('accepts with the unit and the big-data department under the three-party contract, without the provider signing (003 §20); in O&M the comprehensive evaluation is recorded (003 §33) and the yearly security, cryptography and risk reports missing at the year end are flagged (003 §28)', async () => {
    const handle = await start(300 * WAN);
    await driveTo(handle, (s) => s.pending?.kind === 'implementation');
    await submit(handle, { action: 'goLive' }, BIJIE_UNIT);

    const acceptance = await pendingAction(handle);
    expect(acceptance.pending).toMatchObject({ stage: 'finalAcceptance', role: 'unit' });
    // The department signs after the unit, never before it; the third party and the provider do not sign at all.
    expect(await refusal(decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'reviewOffice' }))).toMatch(/^003 §20: 竣工验收 is unit then reviewOffice sign it; now awaited from unit/);
    expect(await refusal(decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'thirdPartyReviewer' }))).toMatch(/^003 §20: /);
    const signedByUnit = await decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'unit', unit: BIJIE_UNIT });
    expect(signedByUnit.acceptedOn).toBeNull();
    const awaitingDepartment = await pendingAction(handle);
    expect(awaitingDepartment.pending).toMatchObject({ stage: 'finalAcceptance', role: 'reviewOffice' });
    expect(await refusal(decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'unit', unit: BIJIE_UNIT }))).toMatch(/now awaited from reviewOffice/);
    // The department's refusal is the acceptance's: the unit rectifies, and both sign again, the unit first.
    await decide(handle, { stage: 'finalAcceptance', decision: 'reject', role: 'reviewOffice', reasons: ['培训计划未落实'], rectifyBy: await inDays(30) });
    const rectifying = await pendingAction(handle);
    expect(rectifying.pending).toMatchObject({ kind: 'rectification', role: 'unit' });
    await submit(handle, { action: 'revision' }, BIJIE_UNIT);
    expect((await pendingAction(handle)).pending).toMatchObject({ stage: 'finalAcceptance', role: 'unit' });
    await decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'unit', unit: BIJIE_UNIT });
    await pendingAction(handle);
    await decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'reviewOffice', reasons: ['会同验收通过'] });

    const operating = await waitFor(handle, (s) => s.pending?.kind === 'evaluation', 'O&M');
    const signatures = operating.timeline.filter((t) => t.stage === 'finalAcceptance' && t.kind === 'decision');
    expect(signatures.map((t) => [t.actorRole, t.decision, t.rule])).toEqual([
      ['unit', 'approve', '003 §20'], ['reviewOffice', 'reject', '003 §20'], ['unit', 'approve', '003 §20'], ['reviewOffice', 'approve', '003 §20'],
    ]);
    expect(signatures.every((t) => !t.actorId?.includes('贵州某信息技术有限公司'))).toBe(true);
    // Bijie has no archive filing, post-evaluation or retention: acceptance leads to O&M, the department evaluating (003 §33).
    expect(operating).toMatchObject({ retentionWorkflowIds: [], pending: { role: 'reviewOffice', rule: '003 §33' } });
    expect(operating.acceptedOn).not.toBeNull();
    expect(await refusal(handle.executeUpdate(recordEvaluationUpdate, { args: [{ year: 1, passed: true, actor: actor('unit', BIJIE_UNIT) }] }))).toMatch(/^003 §33: evaluations are recorded by reviewOffice/);
    await handle.executeUpdate(recordEvaluationUpdate, { args: [{ year: 1, passed: true, reasons: ['用户满意度良好'], actor: actor('reviewOffice') }] });

    // The yearly reports (003 §28) and the comprehensive evaluation report (003 §33), each by whom the profile says.
    const report = (kinds: DocumentKind[], role: 'unit' | 'reviewOffice' | 'finance') => handle.executeUpdate(fileYearlyReportUpdate, { args: [{ documents: kinds.map((kind) => doc(kind, '-year-1')), actor: actor(role, BIJIE_UNIT) }] });
    // The demand scheme's cryptography review is no yearly assessment (003 §28).
    expect(await refusal(handle.executeUpdate(fileYearlyReportUpdate, { args: [{ documents: [doc('cryptographyAssessment')], actor: actor('unit', BIJIE_UNIT) }] }))).toMatch(/^003 §28: document doc-cryptographyAssessment was handed in before/);
    expect(await refusal(report(['comprehensiveEvaluation'], 'unit'))).toMatch(/^003 §33: 第三方综合评估报告 .* is handed in by reviewOffice, not unit/);
    expect(await refusal(report(['auditReport'], 'unit'))).toMatch(/^003 §28: auditReport is not a yearly report/);
    const filed = await report(['securityTest', 'cryptographyAssessment'], 'unit');
    expect(filed.yearlyReports.map((r) => [r.year, r.kind])).toEqual([[1, 'securityTest'], [1, 'cryptographyAssessment']]);

    // The year ends: the risk assessment (003 §28) and the comprehensive evaluation (003 §33) are missing and flagged.
    await context.env.sleep(Date.parse(operating.pending!.dueAt!) - (await context.env.currentTimeMs()) + DAY);
    const nextYear = await waitFor(handle, (s) => s.omYear === 2 && s.pending?.kind === 'evaluation', 'O&M year 2');
    expect(nextYear.missingReports).toEqual([
      { year: 1, kind: 'riskAssessment', label: '风险评估报告 (risk assessment)', rule: '003 §28' },
      // 003 §33 sets no period: the yearly round is the office's, flagged as such.
      { year: 1, kind: 'comprehensiveEvaluation', label: '第三方综合评估报告 (comprehensive evaluation)', rule: SERVICE_TARGET },
    ]);
    expect(nextYear.timeline.filter((t) => t.kind === 'breach').pop()).toMatchObject({ stage: 'operations', rule: `003 §28, ${SERVICE_TARGET}` });
  });

  it('has the city big-data department review the service plan of a county project of 100万 exactly, not of one just below it (003 §34(3)), and of a city project using a third party\'s systems (003 §34(1))', async () => {
    const county = await start(100 * WAN, { county: true }, BIJIE_COUNTY_UNIT);
    const reviewed = await driveTo(county, at('cityServicePlanReview'));
    expect(reviewed.pending).toMatchObject({ role: 'reviewOffice', rule: SERVICE_TARGET });
    expect(reviewed.timeline.filter((t) => t.kind === 'entered').pop()).toMatchObject({ stage: 'cityServicePlanReview', rule: '003 §34' });
    await decide(county, { stage: 'cityServicePlanReview', decision: 'approve', role: 'reviewOffice' });
    await waitFor(county, at('procurement'), 'procurement');

    const below = await start(100 * WAN - 1, { county: true }, BIJIE_COUNTY_UNIT);
    const procurement = await driveTo(below, at('procurement'));
    expect(path(procurement)).not.toContain('cityServicePlanReview');

    const thirdParty = await start(50 * WAN, { thirdPartySystems: true });
    await driveTo(thirdParty, at('cityServicePlanReview'));
  });

  it('adjusts content only on a ground the article lists, approved after an expert review (003 §19)', async () => {
    const handle = await start(300 * WAN);
    await driveTo(handle, (s) => s.pending?.kind === 'implementation');
    const request = (ground?: 'upperRequirement') => handle.executeUpdate(requestChangeUpdate, { args: [{ summary: '增加省社保平台对接模块', reason: '省人社厅部署要求', ...(ground ? { ground } : {}), actor: actor('unit', BIJIE_UNIT) }] });
    expect(await refusal(request())).toMatch(/^003 §19: a content adjustment is asked for on one of the grounds: upperRequirement, planImprovement, withinApprovedFramework/);
    const requested = await request('upperRequirement');
    expect(requested.timeline.pop()).toMatchObject({ kind: 'submission', rule: '003 §19', reasons: ['change 1: 增加省社保平台对接模块', '省人社厅部署要求', 'ground:upperRequirement'] });
    const approve = (experts: string[]) => handle.executeUpdate(decideChangeUpdate, { args: [{ changeId: 1, decision: 'approve', experts, actor: actor('reviewOffice') }] });
    expect(await refusal(approve([]))).toMatch(/^003 §19: a content adjustment is approved after an expert review: name the experts/);
    const approved = await approve(EXPERTS);
    expect(approved.changeRequests).toEqual([expect.objectContaining({ changeId: 1, status: 'approved' })]);
    expect(approved.timeline.pop()).toMatchObject({ kind: 'decision', decision: 'approve', rule: '003 §19', reasons: ['change 1: 增加省社保平台对接模块', ...EXPERTS.map((e) => `expert:${e}`)] });
  });

  it('blocks the project\'s further money while a problem found in supervision stays unrectified past its date, and while a rectification falls short, until the department closes it (003 §31)', async () => {
    const handle = await start(300 * WAN);
    const problem = async (rectifyBy: string) => handle.executeUpdate(recordProblemUpdate, { args: [{ kind: 'noDomesticCryptography', reasons: ['核心数据库未采用国产密码保护'], rectifyBy, actor: actor('reviewOffice') }] });
    // Supervision checks a project under its contract: nothing to check before it.
    await pendingAction(handle);
    expect(await refusal(problem(await inDays(30)))).toMatch(/^003 §31: supervision checks the project under its contract/);
    await driveTo(handle, (s) => s.pending?.kind === 'implementation');
    expect(await refusal(handle.executeUpdate(recordProblemUpdate, { args: [{ kind: 'noDomesticCryptography', reasons: ['x'], rectifyBy: await inDays(30), actor: actor('unit', BIJIE_UNIT) }] }))).toMatch(/^003 §31: problems are recorded by reviewOffice/);
    const rectifyBy = await inDays(30);
    const recorded = await problem(rectifyBy);
    expect(recorded.problems).toEqual([expect.objectContaining({ problemId: 1, kind: 'noDomesticCryptography', status: 'open', rectifyBy, blocksMoney: null })]);
    expect(await blocksOf(handle.workflowId)).toEqual([]);

    // 未整改: the date passes without a report, and the project's further money is blocked.
    await context.env.sleep(Date.parse(`${rectifyBy}T00:00:00+08:00`) - (await context.env.currentTimeMs()) + 2 * DAY);
    const blocked = await waitFor(handle, (s) => s.problems[0]?.blocksMoney === 'notRectified', 'the money block');
    expect(blocked.timeline.filter((t) => t.kind === 'breach').pop()).toMatchObject({ rule: '003 §31', reasons: [`problem 1 not rectified by ${rectifyBy}`] });
    const [block] = await eventually(() => blocksOf(handle.workflowId), (rows) => rows.length === 1, 'the block in the system of record', 30_000);
    expect(block).toMatchObject({ scope: 'projectFunds', rule: '003 §31', lifted_at: null });
    expect(block!.reason).toMatch(/^problem 1 \(noDomesticCryptography\) not rectified by .*: 核心数据库未采用国产密码保护/);

    // 整改后不符合要求: a report found short keeps the money blocked and sets a new date.
    const report = () => handle.executeUpdate(reportProblemRectificationUpdate, { args: [{ problemId: 1, reasons: ['已部署国密算法'], documents: [doc('testReport')], actor: actor('unit', BIJIE_UNIT) }] });
    await report();
    expect(await refusal(report())).toMatch(/^003 §31: problem 1 is reported, awaiting the verdict/);
    const verdict = (accepted: boolean, extra: { rectifyBy?: string; reasons?: string[] } = {}) => handle.executeUpdate(decideProblemRectificationUpdate, { args: [{ problemId: 1, accepted, ...extra, actor: actor('reviewOffice') }] });
    expect(await refusal(verdict(false, { reasons: ['密钥管理不符合要求'] }))).toMatch(/^003 §31: a rectification found short sets the new date/);
    const short = await verdict(false, { reasons: ['密钥管理不符合要求'], rectifyBy: await inDays(20) });
    expect(short.problems[0]).toMatchObject({ status: 'open', blocksMoney: 'notRectified' });
    expect((await blocksOf(handle.workflowId)).filter((b) => b.lifted_at === null)).toHaveLength(1);

    // Rectified as required: the problem is closed and the block lifted, with its history kept.
    await report();
    const closed = await verdict(true, { reasons: ['复查合格'] });
    expect(closed.problems[0]).toMatchObject({ status: 'closed', blocksMoney: null });
    await eventually(() => blocksOf(handle.workflowId), (rows) => rows.length === 1 && rows[0]!.lifted_at !== null, 'the block lifted', 30_000);

    // A second problem whose first rectification falls short blocks at once, though its date is ahead.
    await handle.executeUpdate(recordProblemUpdate, { args: [{ kind: 'unapprovedThirdPartySystem', reasons: ['擅自使用第三方短信平台'], rectifyBy: await inDays(30), actor: actor('reviewOffice') }] });
    await handle.executeUpdate(reportProblemRectificationUpdate, { args: [{ problemId: 2, reasons: ['已停用'], actor: actor('unit', BIJIE_UNIT) }] });
    const failed = await handle.executeUpdate(decideProblemRectificationUpdate, { args: [{ problemId: 2, accepted: false, reasons: ['仍在调用'], rectifyBy: await inDays(30), actor: actor('reviewOffice') }] });
    expect(failed.problems[1]).toMatchObject({ status: 'open', blocksMoney: 'rectificationFailed' });
    const open = await eventually(() => blocksOf(handle.workflowId), (rows) => rows.some((b) => b.lifted_at === null), 'the second block', 30_000);
    expect(open.filter((b) => b.lifted_at === null)).toEqual([expect.objectContaining({ scope: 'projectFunds', rule: '003 §31', reason: expect.stringMatching(/^problem 2 \(unapprovedThirdPartySystem\) rectified short/) })]);
  });

  it('postpones the implementation of a project whose spending lags, refusing its steps until finance resumes it, and terminates it on that ground (003 §12)', async () => {
    const handle = await start(300 * WAN);
    const postponement = (action: 'postpone' | 'resume', role: 'finance' | 'unit' = 'finance') => handle.executeUpdate(postponementUpdate, { args: [{ action, reasons: ['预算执行进度滞后'], actor: actor(role, BIJIE_UNIT) }] });
    await pendingAction(handle);
    // Before the budget no money is being spent.
    expect(await refusal(postponement('postpone'))).toMatch(/^003 §12: a project is postponed once its money is being spent/);
    await driveTo(handle, at('procurement'));
    expect(await refusal(postponement('postpone', 'unit'))).toMatch(/^003 §12: a project is postponed or resumed by finance/);
    const postponed = await postponement('postpone');
    expect(postponed.postponement).toMatchObject({ reasons: ['预算执行进度滞后'], rule: '003 §12' });
    expect(await refusal(submit(handle, { action: 'contract', contract: contract(handle.workflowId), documents: [doc('contract')] }, BIJIE_UNIT))).toMatch(/^003 §12: implementation is postponed since/);
    const resumed = await postponement('resume');
    expect(resumed.postponement).toBeNull();
    await driveTo(handle, (s) => s.pending?.kind === 'implementation');

    const terminate = (role: 'finance' | 'unit', ground: 'spendingLag' | 'forceMajeure') => handle.executeUpdate(terminateUpdate, { args: [{ ground, explanation: '用户单位原因导致资金执行进度严重滞后', actor: actor(role, BIJIE_UNIT) }] });
    expect(await refusal(terminate('unit', 'spendingLag'))).toMatch(/^003 §12: a project is terminated here by finance/);
    expect(await refusal(terminate('finance', 'forceMajeure'))).toMatch(/^003 §12: the grounds of termination are: spendingLag/);
    await terminate('finance', 'spendingLag');
    const ended = await waitFor(handle, (s) => s.status === 'ended', 'terminated');
    expect(ended.outcome).toMatchObject({ stage: 'terminated', rule: '003 §12' });
    expect(ended.timeline.find((t) => t.kind === 'decision' && t.stage === 'implementation')).toMatchObject({ actorRole: 'finance', reasons: ['spendingLag', '用户单位原因导致资金执行进度严重滞后'] });
  });
});
