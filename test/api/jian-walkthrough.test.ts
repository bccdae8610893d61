import { createHash } from 'node:crypto';
import type { Express } from 'express';
import type { ProjectState } from '../../domain/lifecycle';
import { ACCEPTANCE_DOSSIER } from '../../domain/policy/jian';
import type { DocumentKind } from '../../domain/records';
import { as, testApp } from '../helpers/api';
import { eventually, EXPERTS, JIAN_UNIT } from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';
import { useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * A Ji'an project through HTTP on the real dev server, as the README walks it: documents uploaded by
 * content and handed in by id, the reform commission's approval that needs the information-resource
 * catalogue, the big-data centre's technical review before any tender, its data-sharing confirmation,
 * the acceptance dossier with what is missing named, and a deferral.
 */
const context = useWorkflowEnvironment('devServer');
let app: Express;
beforeAll(() => {
  app = testApp(context.env.client, context.storage);
});

const WAN = 10_000 * 100;
const inAYear = () => new Date(Date.now() + 365 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

async function pendingAt(projectId: string, stage: string, kind = 'review'): Promise<ProjectState> {
  return eventually(
    async () => (await as(app, 'auditor').get(`/projects/${projectId}`).expect(200)).body as ProjectState,
    (state) => state.pending?.stage === stage && state.pending.kind === kind && (kind !== 'review' || Boolean(state.pending.rule)),
    `${kind} at ${stage}`, 30_000,
  );
}

describe("a Ji'an (004) project through the HTTP API", () => {
  const proposal = aProposal({ jurisdiction: 'jian', unit: JIAN_UNIT, investmentFen: 600 * WAN, name: '吉安市一网通办平台' });
  const id = proposal.projectId;
  const upload = async (kind: DocumentKind, content = `${kind} of ${id}`) => {
    const response = await as(app, 'jianUnit').post(`/projects/${id}/documents?kind=${kind}&title=${encodeURIComponent(kind)}`).set('Content-Type', 'application/octet-stream').send(Buffer.from(content)).expect(201);
    expect(response.body.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    return response.body.documentId as string;
  };
  const submit = (body: Record<string, unknown>) => as(app, 'jianUnit').post(`/projects/${id}/submissions`).send(body);

  it('is approved only with its information-resource catalogue (004 §9(3)), tenders only after the technical review (004 §8), is accepted after the centre confirms data sharing and with its whole dossier (004 §15, §16); O&M service contracts at most 3 years (004 §13); a deficient system bars its unit from new projects until rectified (004 §17)', async () => {
    // A county project below 500万 is not the city's: refused at registration, naming the field and the rule.
    const county = await as(app, 'jianUnit').post('/projects').send({ ...aProposal({ jurisdiction: 'jian', unit: JIAN_UNIT, investmentFen: 200 * WAN }), flags: { county: true } }).expect(422);
    expect(county.body.errors).toEqual([expect.objectContaining({ pointer: '/body/investmentFen', detail: expect.stringMatching(/^004 §8: a county project comes under the city's measures from 500万/) })]);

    // A city unit's project is no county project: the registry says which units are a county's.
    const notCounty = await as(app, 'jianUnit').post('/projects').send({ ...aProposal({ jurisdiction: 'jian', unit: JIAN_UNIT, investmentFen: 600 * WAN }), flags: { county: true } }).expect(422);
    expect(notCounty.body.errors).toEqual([expect.objectContaining({ pointer: '/body/flags/county', detail: expect.stringMatching(/is a city unit/) })]);

    await as(app, 'jianUnit').post('/projects').send(proposal).expect(201);
    await pendingAt(id, 'feasibilityStudy', 'submission');
    const missing = await submit({ action: 'feasibilityStudy' }).expect(422);
    expect(missing.body).toMatchObject({ rule: '004 §7', errors: [{ pointer: '/body/documentIds' }] });
    const notOurs = await submit({ action: 'feasibilityStudy', documentIds: ['someone-elses-document'] }).expect(422);
    expect(notOurs.body.errors).toEqual([expect.objectContaining({ pointer: '/body/documentIds/0' })]);
    await submit({ action: 'feasibilityStudy', documentIds: [await upload('feasibilityStudy')] }).expect(200);

    await pendingAt(id, 'reformReview');
    const noCatalogue = await as(app, 'reform').post(`/projects/${id}/decisions`).send({ stage: 'reformReview', decision: 'approve', acceptanceDueBy: inAYear() }).expect(422);
    expect(noCatalogue.body).toMatchObject({ rule: '004 §9(3)', detail: expect.stringMatching(/政务信息资源目录/) });
    const early = await submit({ action: 'contract', contract: { contractId: `${id}-HT1`, contractor: '江西某科技有限公司', sumFen: 550 * WAN, omYears: 3, signedDate: '2026-11-02' } }).expect(422);
    expect(early.body).toMatchObject({ rule: '004 §8', detail: expect.stringMatching(/no tender or procurement before/) });
    await as(app, 'reform').post(`/projects/${id}/decisions`).send({ stage: 'reformReview', decision: 'requestRevision', reasons: ['补充政务信息资源目录'] }).expect(200);
    await submit({ action: 'revision', documentIds: [await upload('resourceCatalogue')] }).expect(200);
    await pendingAt(id, 'reformReview');
    const dueBy = inAYear();
    const approved = await as(app, 'reform').post(`/projects/${id}/decisions`).send({ stage: 'reformReview', decision: 'approve', acceptanceDueBy: dueBy }).expect(200);
    expect(approved.body.acceptanceDue).toEqual({ date: dueBy, rule: '004 §16' });

    await pendingAt(id, 'technicalScheme', 'submission');
    await submit({ action: 'technicalScheme', documentIds: [await upload('technicalScheme')] }).expect(200);
    await pendingAt(id, 'technicalReview');
    // 600万: the centre's technical opinion includes an expert review (004 §8).
    const noExperts = await as(app, 'bigDataCentre').post(`/projects/${id}/decisions`).send({ stage: 'technicalReview', decision: 'approve' }).expect(422);
    expect(noExperts.body).toMatchObject({ rule: '004 §8', errors: [{ pointer: '/body/experts' }] });
    await as(app, 'technicalReviewer').post(`/projects/${id}/decisions`).send({ stage: 'technicalReview', decision: 'approve', experts: EXPERTS }).expect(403);
    await as(app, 'bigDataCentre').post(`/projects/${id}/decisions`).send({ stage: 'technicalReview', decision: 'approve', experts: EXPERTS }).expect(200);

    await pendingAt(id, 'procurement', 'submission');
    // The construction contract's 5 years of free maintenance (维保期) are not capped; 004 §13 caps the O&M service contracts after it.
    await submit({ action: 'contract', contract: { contractId: `${id}-HT1`, contractor: '江西某科技有限公司', sumFen: 550 * WAN, omYears: 5, signedDate: '2026-11-02' }, supervisor: '江西某工程监理有限公司' }).expect(200);
    await pendingAt(id, 'implementation', 'implementation');
    await submit({ action: 'goLive' }).expect(200);
    await pendingAt(id, 'dataSharingApplication', 'submission');
    await submit({ action: 'dataSharingApplication' }).expect(200);

    // The deferral: the unit applies with reasons, the reform commission decides (004 §16).
    await pendingAt(id, 'dataSharingReview');
    const wanted = new Date(Date.parse(`${dueBy}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10);
    const asked = await as(app, 'jianUnit').post(`/projects/${id}/deferrals`).send({ reasons: ['市审计局专项审计排期在明年'], proposedDate: wanted }).expect(200);
    expect(asked.body.deferrals).toEqual([expect.objectContaining({ deferralId: 1, status: 'pending' })]);
    await as(app, 'bigDataCentre').post(`/projects/${id}/deferral-decisions`).send({ deferralId: 1, decision: 'approve' }).expect(403);
    const inbox = await eventually(() => as(app, 'reform').get('/reviews/inbox').expect(200), (r) => r.body.items.some((item: { projectId: string }) => item.projectId === id), 'the deferral in the inbox', 10_000);
    expect(inbox.body.items.find((item: { projectId: string }) => item.projectId === id)).toMatchObject({ unit: JIAN_UNIT, jurisdiction: 'jian' });
    const granted = await as(app, 'reform').post(`/projects/${id}/deferral-decisions`).send({ deferralId: 1, decision: 'approve', reasons: ['准予延期'] }).expect(200);
    expect(granted.body.acceptanceDue).toEqual({ date: wanted, rule: '004 §16' });

    // 004 §15: the centre confirms data sharing — the unit cannot.
    await as(app, 'jianUnit').post(`/projects/${id}/decisions`).send({ stage: 'dataSharingReview', decision: 'approve' }).expect(403);
    await as(app, 'bigDataCentre').post(`/projects/${id}/decisions`).send({ stage: 'dataSharingReview', decision: 'approve' }).expect(200);

    const application = await pendingAt(id, 'acceptanceApplication', 'submission');
    expect(application.pending).toMatchObject({ dueDate: wanted, rule: '004 §16' });
    const [summary, financial] = [await upload('constructionSummary'), await upload('financialReport')];
    const incomplete = await submit({ action: 'acceptanceApplication', documentIds: [summary, financial] }).expect(422);
    expect(incomplete.body).toMatchObject({ rule: '004 §16', errors: [{ pointer: '/body/documentIds' }] });
    for (const item of ACCEPTANCE_DOSSIER.slice(2)) expect(incomplete.body.detail).toContain(item.label);
    const rest = [];
    for (const item of ACCEPTANCE_DOSSIER.slice(2)) rest.push(await upload(item.kind));
    await submit({ action: 'acceptanceApplication', documentIds: [summary, financial, ...rest] }).expect(200);
    await pendingAt(id, 'finalAcceptance');
    await as(app, 'reform').post(`/projects/${id}/decisions`).send({ stage: 'finalAcceptance', decision: 'approve' }).expect(200);
    const operating = await pendingAt(id, 'operations', 'evaluation');
    const omContract = { contractId: `${id}-YW1`, supplier: '江西某运维服务有限公司', sumFen: 45 * WAN, years: 4, signedDate: '2026-11-20' };
    const tooLong = await as(app, 'jianUnit').post(`/projects/${id}/om-service-contracts`).send(omContract).expect(422);
    expect(tooLong.body).toMatchObject({ rule: '004 §13', errors: [{ pointer: '/body/years' }] });
    await as(app, 'jianUnit').post(`/projects/${id}/om-service-contracts`).send({ ...omContract, years: 3 }).expect(200);
    expect(operating.documents.map((d) => d.kind)).toEqual(['feasibilityStudy', 'resourceCatalogue', 'technicalScheme', ...ACCEPTANCE_DOSSIER.map((d) => d.kind)]);

    // 004 §17: a system that does not share its data as required — its unit builds nothing new until it is rectified.
    await as(app, 'reform').post(`/projects/${id}/deficiencies`).send({ ground: 'dataNotShared', reasons: ['x'] }).expect(403);
    const deficient = await as(app, 'bigDataCentre').post(`/projects/${id}/deficiencies`).send({ ground: 'dataNotShared', reasons: ['人口基础信息未按目录共享'] }).expect(200);
    expect(deficient.body.deficiencies).toEqual([expect.objectContaining({ deficiencyId: 1, ground: 'dataNotShared', status: 'open' })]);
    const next = aProposal({ jurisdiction: 'jian', unit: JIAN_UNIT, investmentFen: 300 * WAN, name: '吉安市一网通办平台二期' });
    // The update answers once its handler has recorded the restriction in the system of record.
    const barred = await as(app, 'jianUnit').post('/projects').send(next).expect(422);
    expect(barred.body).toMatchObject({ rule: '004 §17', errors: [expect.objectContaining({ pointer: '/body/unit' })], detail: expect.stringContaining(`${id} (dataNotShared: 人口基础信息未按目录共享`) });
    await as(app, 'bigDataCentre').post(`/projects/${id}/deficiency-rectifications`).send({ deficiencyId: 1, reasons: ['已接入共享交换平台'] }).expect(200);
    await as(app, 'jianUnit').post('/projects').send(next).expect(201);

    // The rules are listed for the jurisdiction, each with its article.
    const rules = await as(app, 'auditor').get('/rules?jurisdiction=jian').expect(200);
    expect(rules.body.rules.map((r: { article: string }) => r.article)).toEqual(expect.arrayContaining(['004 §8', '004 §9(3)', '004 §15', '004 §16', '004 §13', '004 §17']));
    const openapi = await as(app, 'auditor').get('/openapi.json').expect(200);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining([
      '/projects/{projectId}/deferrals', '/projects/{projectId}/deferral-decisions', '/projects/{projectId}/om-service-contracts',
      '/projects/{projectId}/deficiencies', '/projects/{projectId}/deficiency-rectifications',
    ]));
  });
});
