import type { Express } from 'express';
import type { ProjectState } from '../../domain/lifecycle';
import type { DocumentKind } from '../../domain/records';
import { as, testApp, type TestCaller } from '../helpers/api';
import { BIJIE_UNIT, eventually, EXPERTS } from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';
import { useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * A Bijie project through HTTP on the real dev server, as the README walks it: the third party's
 * reports uploaded and handed in with its decisions, the tender ceiling, the three-party contract, a
 * content adjustment, a problem whose rectification falls short blocking the project's money — seen by
 * finance with its article, a payment refused meanwhile — and the acceptance the unit and the
 * department sign without the provider.
 */
const context = useWorkflowEnvironment('devServer');
let app: Express;
beforeAll(() => {
  app = testApp(context.env.client, context.storage);
});

const WAN = 10_000 * 100;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

async function pendingAt(projectId: string, stage: string, kind = 'review'): Promise<ProjectState> {
  return eventually(
    async () => (await as(app, 'auditor').get(`/projects/${projectId}`).expect(200)).body as ProjectState,
    (state) => state.pending?.stage === stage && state.pending.kind === kind && (kind !== 'review' || Boolean(state.pending.rule)),
    `${kind} at ${stage}`, 30_000,
  );
}

describe('a Bijie (003) project through the HTTP API', () => {
  const proposal = aProposal({ jurisdiction: 'bijie', unit: BIJIE_UNIT, investmentFen: 300 * WAN, name: '毕节市社保一体化服务平台' });
  const id = proposal.projectId;
  const upload = async (who: TestCaller, kind: DocumentKind, copy = '') => {
    const response = await as(app, who).post(`/projects/${id}/documents?kind=${kind}&title=${encodeURIComponent(kind)}`).set('Content-Type', 'application/octet-stream').send(Buffer.from(`${kind} of ${id}${copy}`));
    // The same file again is the same document (200).
    expect([200, 201]).toContain(response.status);
    return response.body.documentId as string;
  };
  const submit = (body: Record<string, unknown>) => as(app, 'bijieUnit').post(`/projects/${id}/submissions`).send(body);
  const decide = (who: TestCaller, body: Record<string, unknown>) => as(app, who).post(`/projects/${id}/decisions`).send(body);
  const pay = (body: Record<string, unknown>) => as(app, 'finance').post(`/projects/${id}/payments`).send({ purpose: 'progress', amountFen: 50 * WAN, paidOn: inDays(0), ...body });

  it("takes the demand scheme through the third party's reviews with their reports (003 §7, §14) to the three-party contract (003 §16); a problem rectified short blocks every further payment, shown to finance with 003 §31, until closed; acceptance by the unit and the department (003 §20)", async () => {
    await as(app, 'bijieUnit').post('/projects').send(proposal).expect(201);
    await pendingAt(id, 'demandScheme', 'submission');
    const noCryptography = await submit({ action: 'demandScheme', documentIds: [await upload('bijieUnit', 'proposal')] }).expect(422);
    expect(noCryptography.body).toMatchObject({ rule: '003 §5(4)', errors: [{ pointer: '/body/documentIds' }] });
    await submit({ action: 'demandScheme', documentIds: [await upload('bijieUnit', 'proposal'), await upload('bijieUnit', 'cryptographyAssessment')] }).expect(200);
    await pendingAt(id, 'initialReview');
    await decide('reviewOffice', { stage: 'initialReview', decision: 'approve' }).expect(200);

    // The third-party review body sees its review in its inbox, uploads its report and hands it in with its decision (003 §7).
    await pendingAt(id, 'thirdPartyReview');
    const inbox = await eventually(() => as(app, 'thirdPartyReviewer').get('/reviews/inbox').expect(200), (r) => r.body.items.some((item: { projectId: string }) => item.projectId === id), 'the review in the inbox', 10_000);
    expect(inbox.body.items.find((item: { projectId: string }) => item.projectId === id)).toMatchObject({ stage: 'thirdPartyReview', jurisdiction: 'bijie' });
    const noReport = await decide('thirdPartyReviewer', { stage: 'thirdPartyReview', decision: 'approve' }).expect(422);
    expect(noReport.body).toMatchObject({ rule: '003 §7', errors: [{ pointer: '/body/documentIds' }] });
    await decide('reviewOffice', { stage: 'thirdPartyReview', decision: 'approve', documentIds: [] }).expect(403);
    const report = await upload('thirdPartyReviewer', 'reviewReport');
    const reviewed = await decide('thirdPartyReviewer', { stage: 'thirdPartyReview', decision: 'approve', documentIds: [report] }).expect(200);
    expect(reviewed.body.documents).toContainEqual(expect.objectContaining({ documentId: report, kind: 'reviewReport', stage: 'thirdPartyReview' }));

    for (const [stage, who] of [['libraryEntry', 'reviewOffice'], ['implementationPlan', 'reviewOffice'], ['budgetReview', 'finance']] as const) {
      await pendingAt(id, stage);
      await decide(who, { stage, decision: 'approve' }).expect(200);
    }
    await pendingAt(id, 'servicePlan', 'submission');
    await submit({ action: 'servicePlan', documentIds: [await upload('bijieUnit', 'servicePlan')] }).expect(200);
    await pendingAt(id, 'servicePlanReview');
    const planReport = await upload('thirdPartyReviewer', 'reviewReport', ' (service plan and ceiling price)');
    const noCeiling = await decide('thirdPartyReviewer', { stage: 'servicePlanReview', decision: 'approve', documentIds: [planReport] }).expect(422);
    expect(noCeiling.body).toMatchObject({ rule: '003 §14', errors: [{ pointer: '/body/tenderCeilingFen' }] });
    await decide('thirdPartyReviewer', { stage: 'servicePlanReview', decision: 'approve', tenderCeilingFen: 290 * WAN, documentIds: [report] }).expect(422);
    await decide('thirdPartyReviewer', { stage: 'servicePlanReview', decision: 'approve', tenderCeilingFen: 290 * WAN, documentIds: [planReport] }).expect(200);

    await pendingAt(id, 'procurement', 'submission');
    const contract = { contractId: `${id}-HT1`, contractor: '贵州某信息技术有限公司', sumFen: 300 * WAN, omYears: 3, signedDate: '2026-11-02' };
    const contractDocument = await upload('bijieUnit', 'contract');
    const aboveCeiling = await submit({ action: 'contract', contract, documentIds: [contractDocument] }).expect(422);
    expect(aboveCeiling.body).toMatchObject({ rule: '003 §14', errors: [{ pointer: '/body/contract/sumFen' }] });
    await submit({ action: 'contract', contract: { ...contract, sumFen: 285 * WAN }, documentIds: [contractDocument] }).expect(200);
    await pendingAt(id, 'threePartyContract');
    await decide('bijieUnit', { stage: 'threePartyContract', decision: 'approve' }).expect(403);
    await decide('reviewOffice', { stage: 'threePartyContract', decision: 'approve' }).expect(200);

    // A content adjustment on a listed ground, approved after an expert review (003 §19).
    await pendingAt(id, 'implementation', 'implementation');
    const noGround = await as(app, 'bijieUnit').post(`/projects/${id}/change-requests`).send({ summary: '增加省平台对接', reason: '省人社厅部署' }).expect(422);
    expect(noGround.body).toMatchObject({ rule: '003 §19', errors: [{ pointer: '/body/ground' }] });
    await as(app, 'bijieUnit').post(`/projects/${id}/change-requests`).send({ summary: '增加省平台对接', reason: '省人社厅部署', ground: 'upperRequirement' }).expect(200);
    const noExperts = await as(app, 'reviewOffice').post(`/projects/${id}/change-decisions`).send({ changeId: 1, decision: 'approve' }).expect(422);
    expect(noExperts.body).toMatchObject({ rule: '003 §19', errors: [{ pointer: '/body/experts' }] });
    await as(app, 'reviewOffice').post(`/projects/${id}/change-decisions`).send({ changeId: 1, decision: 'approve', experts: EXPERTS }).expect(200);

    // 003 §31: a problem, a rectification found short — the project's further money is blocked; finance sees why and under which article.
    await pay({ voucherRef: `${id}-PZ-1` }).expect(201);
    await as(app, 'bijieUnit').post(`/projects/${id}/problems`).send({ kind: 'noDomesticCryptography', reasons: ['x'], rectifyBy: inDays(30) }).expect(403);
    await as(app, 'reviewOffice').post(`/projects/${id}/problems`).send({ kind: 'noDomesticCryptography', reasons: ['核心库未采用国产密码保护'], rectifyBy: inDays(30) }).expect(200);
    await as(app, 'bijieUnit').post(`/projects/${id}/problem-rectifications`).send({ problemId: 1, reasons: ['已部署国密算法'], documentIds: [await upload('bijieUnit', 'testReport')] }).expect(200);
    const short = await as(app, 'reviewOffice').post(`/projects/${id}/problem-verdicts`).send({ problemId: 1, accepted: false, reasons: ['密钥管理不符合要求'], rectifyBy: inDays(20) }).expect(200);
    expect(short.body.problems).toEqual([expect.objectContaining({ problemId: 1, status: 'open', blocksMoney: 'rectificationFailed' })]);
    const blocks = await as(app, 'finance').get('/payments/blocks').expect(200);
    expect(blocks.body.items.filter((b: { projectId: string }) => b.projectId === id)).toEqual([
      expect.objectContaining({ scope: 'projectFunds', rule: '003 §31', reason: expect.stringMatching(/^problem 1 \(noDomesticCryptography\) rectified short of the requirements: 核心库未采用国产密码保护/), liftedAt: null }),
    ]);
    for (const purpose of ['progress', 'final', 'om']) {
      const refused = await pay({ purpose, voucherRef: `${id}-PZ-2` }).expect(422);
      expect(refused.body).toMatchObject({ rule: '003 §31', errors: [expect.objectContaining({ pointer: '/body/purpose' })] });
    }
    expect((await as(app, 'finance').get(`/projects/${id}/payments`).expect(200)).body.items).toHaveLength(1);

    // Rectified as required: the block is lifted, its history kept, and money flows again.
    await as(app, 'bijieUnit').post(`/projects/${id}/problem-rectifications`).send({ problemId: 1, reasons: ['密钥管理已整改'] }).expect(200);
    await as(app, 'reviewOffice').post(`/projects/${id}/problem-verdicts`).send({ problemId: 1, accepted: true, reasons: ['复查合格'] }).expect(200);
    const history = await as(app, 'finance').get(`/payments/blocks?projectId=${id}`).expect(200);
    expect(history.body.items).toEqual([expect.objectContaining({ rule: '003 §31', liftedAt: expect.any(String) })]);
    await pay({ voucherRef: `${id}-PZ-2` }).expect(201);

    // Acceptance: the unit signs, then the department; the third party does not sign (003 §20).
    await submit({ action: 'goLive' }).expect(200);
    await pendingAt(id, 'finalAcceptance');
    await decide('reviewOffice', { stage: 'finalAcceptance', decision: 'approve' }).expect(403);
    await decide('bijieUnit', { stage: 'finalAcceptance', decision: 'approve' }).expect(200);
    const awaiting = await pendingAt(id, 'finalAcceptance');
    expect(awaiting.pending).toMatchObject({ role: 'reviewOffice' });
    await decide('thirdPartyReviewer', { stage: 'finalAcceptance', decision: 'approve' }).expect(403);
    await decide('reviewOffice', { stage: 'finalAcceptance', decision: 'approve' }).expect(200);
    const operating = await pendingAt(id, 'operations', 'evaluation');
    expect(operating.acceptedOn).not.toBeNull();

    // The yearly reports, handed in by id (003 §28); the unit cannot hand in the comprehensive evaluation (003 §33).
    const reports = await as(app, 'bijieUnit').post(`/projects/${id}/yearly-reports`).send({ documentIds: [await upload('bijieUnit', 'securityTest'), await upload('bijieUnit', 'riskAssessment')] }).expect(200);
    expect(reports.body.yearlyReports.map((r: { kind: string }) => r.kind)).toEqual(['securityTest', 'riskAssessment']);
    await as(app, 'bijieUnit').post(`/projects/${id}/yearly-reports`).send({ documentIds: [await upload('bijieUnit', 'comprehensiveEvaluation')] }).expect(403);
  });
});
