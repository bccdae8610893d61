import { createHash } from 'node:crypto';
import type { ProjectState } from '../../domain/lifecycle';
import { ACCEPTANCE_DOSSIER } from '../../domain/policy/jian';
import { SERVICE_TARGET } from '../../domain/policy/profile';
import { projectProposalSchema } from '../../domain/project';
import { businessDateOf, type DocumentKind, type DocumentRef } from '../../domain/records';
import { decideDeferralUpdate, fileOmServiceContractUpdate, projectStateQuery, recordEvaluationUpdate, requestChangeUpdate, requestDeferralUpdate } from '../../workflows/messages';
import {
  actor,
  decide,
  endStartedProjects,
  eventually,
  EXPERTS,
  JIAN_UNIT,
  startProject,
  SUPERVISOR,
  submit,
  waitFor,
  type ProjectHandle,
} from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';
import { refusal, useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * Ji'an (004): feasibility study (and a preliminary design from 1000万), the reform commission's review
 * that needs the information-resource catalogue, the big-data centre's technical review (experts from
 * 500万) before any tender, data sharing confirmed by the centre, the acceptance dossier, deferral.
 */
const context = useWorkflowEnvironment('timeSkipping');
afterEach(() => endStartedProjects(context.env.client));

const DAY = 86_400_000;
const WAN = 10_000 * 100;

/** A document as the API hands it to the workflow: resolved from an upload, with its content hash. */
const doc = (kind: DocumentKind): DocumentRef => ({ documentId: `doc-${kind}`, kind, sha256: createHash('sha256').update(kind).digest('hex') });
const DOSSIER = ACCEPTANCE_DOSSIER.map((d) => d.kind);
/** What the unit hands in with each submission on the happy path. */
const HANDED_IN: Partial<Record<string, DocumentKind[]>> = {
  feasibilityStudy: ['feasibilityStudy', 'resourceCatalogue'],
  preliminaryDesign: ['preliminaryDesign'],
  technicalScheme: ['technicalScheme'],
  acceptanceApplication: DOSSIER,
};
const contract = (projectId: string, omYears = 3) => ({ contractId: `${projectId}-HT1`, contractor: '江西某信息技术有限公司', sumFen: 280 * WAN, omYears, signedDate: '2026-11-02' });

const start = (investmentFen: number, overrides: Parameters<typeof aProposal>[0] = {}) =>
  startProject(context.env, { jurisdiction: 'jian', unit: JIAN_UNIT, investmentFen, ...overrides });

const pendingAction = (handle: ProjectHandle) => waitFor(handle, (s) => s.status === 'ended' || (s.pending !== null && (s.pending.kind !== 'review' || s.pending.dueDate !== undefined || s.pending.rule !== undefined)), 'a pending action');

async function acceptanceDate(days = 365): Promise<string> {
  return businessDateOf(new Date((await context.env.currentTimeMs()) + days * DAY));
}

/** One happy step: the open review approved by its role (experts named, the acceptance date set), or the unit's submission with its documents. */
async function step(handle: ProjectHandle): Promise<ProjectState> {
  const state = await pendingAction(handle);
  const pending = state.pending!;
  switch (pending.kind) {
    case 'review':
      return decide(handle, {
        stage: pending.stage, decision: 'approve', role: pending.role, experts: EXPERTS, unit: JIAN_UNIT,
        ...(pending.stage === 'reformReview' ? { acceptanceDueBy: await acceptanceDate() } : {}),
      });
    case 'implementation':
      return submit(handle, { action: 'goLive' }, JIAN_UNIT);
    case 'revision':
      return submit(handle, { action: 'revision' }, JIAN_UNIT);
    case 'submission':
      return submit(handle, {
        action: pending.action!,
        documents: (HANDED_IN[pending.action!] ?? []).map(doc),
        ...(pending.action === 'contract' ? { contract: contract(state.projectId), supervisor: SUPERVISOR } : {}),
      }, JIAN_UNIT);
    default:
      throw new Error(`no step for ${pending.kind} at ${pending.stage}`);
  }
}

async function driveTo(handle: ProjectHandle, stage: string): Promise<ProjectState> {
  for (let i = 0; i < 30; i += 1) {
    const state = await pendingAction(handle);
    if (state.pending?.stage === stage || state.stage === stage) return state;
    if (state.status === 'ended') throw new Error(`ended at ${state.stage}: ${state.outcome?.reason}`);
    await step(handle);
  }
  throw new Error('too many steps');
}

const path = (state: ProjectState) => [...new Set(state.timeline.filter((t) => t.kind === 'entered').map((t) => t.stage))];

describe("Ji'an (004) lifecycle", () => {
  it('takes a city project below 500万 from the feasibility study to acceptance: the catalogue before approval (004 §9(3)), no tender before the technical review (004 §8), the centre confirms data sharing (004 §15), the dossier named item by item (004 §16), procurement and implementation managed by the unit under engineering supervision (004 §10, §14), O&M service contracts after the warranty at most 3 years (004 §13)', async () => {
    const handle = await start(300 * WAN);
    const first = await pendingAction(handle);
    // In the plan: straight to the feasibility study (004 §7 ¶2).
    expect(first.pending).toMatchObject({ stage: 'feasibilityStudy', kind: 'submission', action: 'feasibilityStudy', rule: '004 §7' });
    expect(await refusal(submit(handle, { action: 'feasibilityStudy' }, JIAN_UNIT))).toMatch(/^004 §7: documents missing: 可行性研究报告/);
    await submit(handle, { action: 'feasibilityStudy', documents: [doc('feasibilityStudy')] }, JIAN_UNIT);

    const review = await pendingAction(handle);
    expect(review.pending).toMatchObject({ stage: 'reformReview', role: 'reform' });
    expect(await refusal(decide(handle, { stage: 'reformReview', decision: 'approve', role: 'reform', acceptanceDueBy: await acceptanceDate() }))).toMatch(/^004 §9\(3\): not approvable yet: 政务信息资源目录/);
    // 004 §8: nothing is tendered before the technical review passes — refused naming the rule, not "not expected now".
    expect(await refusal(submit(handle, { action: 'contract', contract: contract(handle.workflowId) }, JIAN_UNIT))).toMatch(/^004 §8: no tender or procurement before 技术性审查 \(technicalReview\) has passed/);
    await decide(handle, { stage: 'reformReview', decision: 'requestRevision', role: 'reform', reasons: ['补充政务信息资源目录'] });
    await submit(handle, { action: 'revision', documents: [doc('resourceCatalogue')] }, JIAN_UNIT);
    await pendingAction(handle);
    expect(await refusal(decide(handle, { stage: 'reformReview', decision: 'approve', role: 'reform' }))).toMatch(/^004 §16: the approval sets the date .*acceptanceDueBy/);
    const dueBy = await acceptanceDate();
    const approved = await decide(handle, { stage: 'reformReview', decision: 'approve', role: 'reform', acceptanceDueBy: dueBy });
    expect(approved.acceptanceDue).toEqual({ date: dueBy, rule: '004 §16' });
    expect(approved.documents.map((d) => d.kind)).toEqual(['feasibilityStudy', 'resourceCatalogue']);

    await driveTo(handle, 'technicalReview');
    expect(await refusal(submit(handle, { action: 'contract', contract: contract(handle.workflowId) }, JIAN_UNIT))).toMatch(/^004 §8: no tender/);
    // Below 500万 the centre's opinion needs no expert review (004 §8).
    await decide(handle, { stage: 'technicalReview', decision: 'approve', role: 'bigDataCentre' });

    await waitFor(handle, (s) => s.pending?.stage === 'procurement', 'procurement');
    // 政务信息化项目实行工程监理制 (004 §14): the filing names the supervision firm.
    expect(await refusal(submit(handle, { action: 'contract', contract: contract(handle.workflowId, 5) }, JIAN_UNIT))).toMatch(/^004 §14: the project is under engineering supervision/);
    // The construction contract's maintenance period is its free warranty: 004 §13 caps only the O&M service contracts after it.
    await submit(handle, { action: 'contract', contract: contract(handle.workflowId, 5), supervisor: SUPERVISOR }, JIAN_UNIT);
    // 004 has no change procedure: a change request is refused as such.
    await waitFor(handle, (s) => s.pending?.kind === 'implementation', 'implementation');
    expect(await refusal(handle.executeUpdate(requestChangeUpdate, { args: [{ summary: '增加模块', reason: '业务需要', actor: actor('unit', JIAN_UNIT) }] }))).toMatch(/^seed 004: jian \(seed 004\) has no change procedure/);
    await submit(handle, { action: 'goLive' }, JIAN_UNIT);
    await submit(handle, { action: 'dataSharingApplication' }, JIAN_UNIT);

    // 004 §15: the big-data centre's confirmation, not the unit's declaration.
    const sharing = await pendingAction(handle);
    expect(sharing.pending).toMatchObject({ stage: 'dataSharingReview', role: 'bigDataCentre' });
    expect(await refusal(decide(handle, { stage: 'dataSharingReview', decision: 'approve', role: 'unit', unit: JIAN_UNIT }))).toMatch(/^004 §15: .* is decided by bigDataCentre/);
    expect(await refusal(decide(handle, { stage: 'dataSharingReview', decision: 'reject', role: 'bigDataCentre', reasons: ['x'] }))).toMatch(/allowed: approve, requestRevision/);
    await decide(handle, { stage: 'dataSharingReview', decision: 'requestRevision', role: 'bigDataCentre', reasons: ['人口库接口未接入共享交换平台'] });
    await submit(handle, { action: 'revision' }, JIAN_UNIT);
    await pendingAction(handle);
    await decide(handle, { stage: 'dataSharingReview', decision: 'approve', role: 'bigDataCentre' });

    const application = await pendingAction(handle);
    expect(application.pending).toMatchObject({ stage: 'acceptanceApplication', dueDate: dueBy, rule: '004 §16' });
    const missing = await refusal(submit(handle, { action: 'acceptanceApplication', documents: [doc('constructionSummary'), doc('financialReport')] }, JIAN_UNIT));
    expect(missing).toMatch(/^004 §16: documents missing: /);
    for (const item of ACCEPTANCE_DOSSIER.slice(2)) expect(missing).toContain(item.label);
    for (const item of ACCEPTANCE_DOSSIER.slice(0, 2)) expect(missing).not.toContain(item.label);
    await submit(handle, { action: 'acceptanceApplication', documents: DOSSIER.map(doc) }, JIAN_UNIT);

    const acceptance = await pendingAction(handle);
    // 004 §16 sets no period for the acceptance itself: its clock is the office's service target.
    expect(acceptance.pending).toMatchObject({ stage: 'finalAcceptance', role: 'reform', rule: SERVICE_TARGET });
    expect(acceptance.timeline.filter((t) => t.kind === 'entered').pop()).toMatchObject({ stage: 'finalAcceptance', rule: '004 §16' });
    await decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'reform' });
    const operating = await waitFor(handle, (s) => s.pending?.kind === 'evaluation', 'O&M');
    // No archive filing, post-evaluation or retention in 004: acceptance leads straight to O&M.
    expect(path(operating)).toEqual([
      'feasibilityStudy', 'reformReview', 'technicalScheme', 'technicalReview', 'procurement', 'implementation',
      'dataSharingApplication', 'dataSharingReview', 'acceptanceApplication', 'finalAcceptance', 'operations',
    ]);
    // 004 §5 has the reform commission evaluate, but sets no yearly round: the round is a configurable target.
    expect(operating).toMatchObject({ retentionWorkflowIds: [], pending: { role: 'reform', rule: SERVICE_TARGET } });
    const handed = operating.timeline.find((t) => t.stage === 'acceptanceApplication' && t.kind === 'submission')!;
    expect(handed.reasons).toContain(`document auditReport doc-auditReport sha256:${doc('auditReport').sha256}`);
    expect(operating.timeline.filter((t) => t.kind === 'entered' && ['procurement', 'implementation'].includes(t.stage)).map((t) => t.rule)).toEqual(['004 §10', '004 §10']);
    expect(await refusal(handle.executeUpdate(recordEvaluationUpdate, { args: [{ year: 1, passed: true, actor: actor('unit', JIAN_UNIT) }] }))).toMatch(/evaluations are recorded by reform/);
    const evaluated = await handle.executeUpdate(recordEvaluationUpdate, { args: [{ year: 1, passed: true, actor: actor('reform') }] });
    expect(evaluated.evaluations).toEqual([{ year: 1, passed: true, reasons: [] }]);

    // After the warranty the unit signs O&M service contracts of at most three years (004 §13), filed during O&M.
    const omContract = (years: number) => ({ contractId: `${handle.workflowId}-YW1`, supplier: '江西某运维服务有限公司', sumFen: 45 * WAN, years, signedDate: '2026-11-20', actor: actor('unit', JIAN_UNIT) });
    expect(await refusal(handle.executeUpdate(fileOmServiceContractUpdate, { args: [omContract(4)] }))).toMatch(/^004 §13: an O&M service contract runs at most 3 years, not 4/);
    const filed = await handle.executeUpdate(fileOmServiceContractUpdate, { args: [omContract(3)] });
    expect(filed.omServiceContracts).toEqual([expect.objectContaining({ contractId: `${handle.workflowId}-YW1`, years: 3 })]);
    expect(await refusal(handle.executeUpdate(fileOmServiceContractUpdate, { args: [omContract(2)] }))).toMatch(/already filed/);
  });

  it('at 500万 exactly the technical review includes an expert review, and the urgent project outside the plan is first checked by the reform commission (004 §7, §8)', async () => {
    const handle = await start(500 * WAN, { planKind: 'supplementary', supplementaryBasis: '省委省政府明确要求年内上线的疫情防控系统' });
    const urgency = await pendingAction(handle);
    expect(urgency.pending).toMatchObject({ stage: 'urgencyReview', role: 'reform' });
    expect(urgency.timeline.find((t) => t.kind === 'entered')).toMatchObject({ stage: 'urgencyReview', rule: '004 §7' });
    await driveTo(handle, 'technicalReview');
    expect(await refusal(decide(handle, { stage: 'technicalReview', decision: 'approve', role: 'bigDataCentre' }))).toMatch(/^004 §8: the review meeting's experts/);
    await decide(handle, { stage: 'technicalReview', decision: 'approve', role: 'bigDataCentre', experts: EXPERTS });
    const state = await waitFor(handle, (s) => s.pending?.stage === 'procurement', 'procurement');
    // Below 1000万: no preliminary design (004 §7 ¶2).
    expect(path(state)).toEqual(['urgencyReview', 'feasibilityStudy', 'reformReview', 'technicalScheme', 'technicalReview', 'procurement']);
    expect(state.timeline.find((t) => t.stage === 'technicalReview' && t.kind === 'decision')?.reasons).toEqual(EXPERTS.map((e) => `expert:${e}`));
  });

  it('at 1000万 exactly a preliminary design follows the feasibility study, with its document (004 §7)', async () => {
    const handle = await start(1000 * WAN);
    await driveTo(handle, 'designDocuments');
    expect((await pendingAction(handle)).pending).toMatchObject({ stage: 'designDocuments', action: 'preliminaryDesign', rule: '004 §7' });
    expect(await refusal(submit(handle, { action: 'preliminaryDesign' }, JIAN_UNIT))).toMatch(/^004 §7: documents missing: 初步设计方案/);
    const state = await driveTo(handle, 'procurement');
    expect(path(state)).toEqual(['feasibilityStudy', 'designDocuments', 'reformReview', 'technicalScheme', 'technicalReview', 'procurement']);
  });

  it("takes a county project of 500万 or more through its own county's approval to the city's technical review before any tender; with the contract filed the county's measures govern (004 §8, §20); one below 500万 is not the city's (004 §8)", async () => {
    const refused = projectProposalSchema.safeParse(aProposal({ jurisdiction: 'jian', unit: JIAN_UNIT, investmentFen: 499 * WAN, flags: { county: true } }));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ['investmentFen'], message: expect.stringMatching(/^004 §8: a county project comes under the city's measures from 500万/) });

    const handle = await start(500 * WAN, { flags: { county: true }, county: '吉水县' });
    expect((await pendingAction(handle)).pending).toMatchObject({ stage: 'countyApproval', role: 'county', rule: '004 §8' });
    expect(await refusal(decide(handle, { stage: 'countyApproval', decision: 'approve', role: 'reform' }))).toMatch(/is decided by county/);
    // A county acts for its own county's projects only.
    expect(await refusal(decide(handle, { stage: 'countyApproval', decision: 'approve', role: 'county', unit: '新干县' }))).toMatch(/新干县 is not the county of/);
    await decide(handle, { stage: 'countyApproval', decision: 'approve', role: 'county', unit: '吉水县' });
    await driveTo(handle, 'technicalReview');
    expect(await refusal(submit(handle, { action: 'contract', contract: contract(handle.workflowId) }, JIAN_UNIT))).toMatch(/^004 §8: no tender/);
    await driveTo(handle, 'procurement');
    // The city's supervision rule (004 §14) is not the county's: its filing names none.
    await submit(handle, { action: 'contract', contract: contract(handle.workflowId) }, JIAN_UNIT);
    const filed = await handle.result();
    expect(filed).toMatchObject({ stage: 'filed', status: 'ended', outcome: { rule: '004 §20', reason: expect.stringMatching(/county's own measures govern/) } });
    expect(path(filed)).toEqual(['countyApproval', 'technicalScheme', 'technicalReview', 'procurement', 'filed']);
  });

  it('the acceptance date is watched from the approval on: passing it during implementation is a breach there, and a deferral moves it (004 §16)', async () => {
    const handle = await start(300 * WAN);
    await driveTo(handle, 'reformReview');
    const dueBy = await acceptanceDate(30);
    await decide(handle, { stage: 'reformReview', decision: 'approve', role: 'reform', acceptanceDueBy: dueBy });
    await driveTo(handle, 'implementation');
    await context.env.sleep(Date.parse(`${dueBy}T00:00:00+08:00`) - (await context.env.currentTimeMs()) + 2 * DAY);
    const late = await waitFor(handle, (s) => s.timeline.some((t) => t.kind === 'breach'), 'the missed date');
    expect(late.timeline.filter((t) => t.kind === 'breach')).toEqual([expect.objectContaining({ stage: 'implementation', rule: '004 §16', reasons: [`acceptance due by ${dueBy}`] })]);
    const proposedDate = await acceptanceDate(120);
    await handle.executeUpdate(requestDeferralUpdate, { args: [{ reasons: ['系统联调延误'], proposedDate, actor: actor('unit', JIAN_UNIT) }] });
    await handle.executeUpdate(decideDeferralUpdate, { args: [{ deferralId: 1, decision: 'approve', actor: actor('reform') }] });
    await submit(handle, { action: 'goLive' }, JIAN_UNIT);
    await submit(handle, { action: 'dataSharingApplication' }, JIAN_UNIT);
    await pendingAction(handle);
    await decide(handle, { stage: 'dataSharingReview', decision: 'approve', role: 'bigDataCentre' });
    const application = await waitFor(handle, (s) => s.pending?.stage === 'acceptanceApplication', 'the application');
    expect(application.pending?.dueDate).toBe(proposedDate);
    // One breach only: the deferred date has not passed.
    expect(application.timeline.filter((t) => t.kind === 'breach')).toHaveLength(1);
  });

  it('a project that cannot apply for acceptance by its date is in breach and applies for a deferral with its reasons, which the reform commission decides (004 §16)', async () => {
    const handle = await start(300 * WAN);
    await driveTo(handle, 'reformReview');
    const dueBy = await acceptanceDate(60);
    await decide(handle, { stage: 'reformReview', decision: 'approve', role: 'reform', acceptanceDueBy: dueBy });
    await driveTo(handle, 'implementation');
    await submit(handle, { action: 'goLive' }, JIAN_UNIT);
    await submit(handle, { action: 'dataSharingApplication' }, JIAN_UNIT);
    await pendingAction(handle);
    await decide(handle, { stage: 'dataSharingReview', decision: 'approve', role: 'bigDataCentre' });
    const application = await waitFor(handle, (s) => s.pending?.stage === 'acceptanceApplication', 'the acceptance application');
    expect(application.pending?.dueDate).toBe(dueBy);

    await context.env.sleep(Date.parse(application.pending!.dueAt!) - (await context.env.currentTimeMs()) + DAY);
    const late = await waitFor(handle, (s) => s.timeline.some((t) => t.kind === 'breach' && t.stage === 'acceptanceApplication'), 'the missed date');
    expect(late.timeline.filter((t) => t.kind === 'breach').pop()).toMatchObject({ rule: '004 §16' });
    // The notices are written by the breach's activity, a moment after the breach is in the state.
    const outbox = () => context.storage.db.selectFrom('notification_outbox').selectAll().where('project_id', '=', handle.workflowId).where('kind', '=', 'reviewOverdue').execute();
    const told = await eventually(outbox, (rows) => rows.length >= 2, 'the overdue notices', 60_000);
    expect(told.map((n) => n.recipient_role).sort()).toEqual(['reform', 'unit']);

    const unit = actor('unit', JIAN_UNIT);
    const reform = actor('reform');
    expect(await refusal(handle.executeUpdate(requestDeferralUpdate, { args: [{ reasons: ['审计报告未出具'], proposedDate: dueBy, actor: unit }] }))).toMatch(/^004 §16: the date asked for .* must be after today/);
    const proposedDate = await acceptanceDate(90);
    const requested = await handle.executeUpdate(requestDeferralUpdate, { args: [{ reasons: ['市审计局专项审计尚未出具报告'], proposedDate, actor: unit }] });
    expect(requested.deferrals).toEqual([expect.objectContaining({ deferralId: 1, status: 'pending', proposedDate })]);
    expect(await refusal(handle.executeUpdate(requestDeferralUpdate, { args: [{ reasons: ['再次申请'], proposedDate, actor: unit }] }))).toMatch(/deferral 1 is awaiting the decision of reform/);
    expect(await refusal(handle.executeUpdate(decideDeferralUpdate, { args: [{ deferralId: 1, decision: 'approve', actor: actor('bigDataCentre') }] }))).toMatch(/^004 §16: a deferral is decided by reform/);
    expect(await refusal(handle.executeUpdate(decideDeferralUpdate, { args: [{ deferralId: 1, decision: 'reject', actor: reform }] }))).toMatch(/gives its reasons/);
    const decided = await handle.executeUpdate(decideDeferralUpdate, { args: [{ deferralId: 1, decision: 'approve', reasons: ['审计排期原因，准予延期'], actor: reform }] });
    expect(decided.acceptanceDue).toEqual({ date: proposedDate, rule: '004 §16' });
    const moved = await waitFor(handle, (s) => s.pending?.dueDate === proposedDate, 'the new date watched');
    expect(moved.pending).toMatchObject({ stage: 'acceptanceApplication', rule: '004 §16' });
    const inbox = await context.storage.db.selectFrom('reviews').selectAll().where('project_id', '=', handle.workflowId).where('review_key', 'like', '%:deferral:%').execute();
    expect(inbox).toEqual([expect.objectContaining({ assignee_role: 'reform', status: 'approved' })]);
    await submit(handle, { action: 'acceptanceApplication', documents: DOSSIER.map(doc) }, JIAN_UNIT);
    expect((await handle.query(projectStateQuery)).pending).toMatchObject({ stage: 'finalAcceptance' });
  });
});
