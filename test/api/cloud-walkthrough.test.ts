import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import type { AuthOptions } from '../../api/auth';
import { ALL_ROLES } from '../../api/route-spec';
import { cloudRoutes } from '../../api/routes/cloud';
import { createStore } from '../../activities/storage/store';
import { reconcileEndedOutside } from '../../worker/reconcile';
import { cloudWorkflowId, type CloudResourceState } from '../../domain/cloud';
import { SERVICE_TARGET } from '../../domain/policy/profile';
import type { Role } from '../../domain/records';
import { eventually, historyLength, settledHistoryLength, UNIT } from '../helpers/lifecycle';
import { TASK_QUEUE } from '../helpers/temporal';
import { testApp } from '../helpers/api';
import { useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * A government-cloud resource of Ji'an (seed 004, 吉安市政务云管理办法) through HTTP on the real dev
 * server, the way the README walks it: application, review, sizing, letter, opening, cut-over, resizes,
 * exit, with the refusals (403 / 409 / 422, each naming its rule) and the lists. The periods that take
 * weeks or months (fallback, migration window, forced exit) are proven on the time-skipping server
 * (test/workflows/cloud-resource.test.ts).
 */
const context = useWorkflowEnvironment('devServer');

const CITY_UNIT = '吉安市行政审批局';
const OTHER_UNIT = '吉安市教育局';
const COUNTY_UNIT = '吉水县行政审批局';
const PROJECT = 'JA-2027-CLOUD-1';
/** The county of COUNTY_UNIT, which applies for it (004 cloud §10). */
const COUNTY = '吉水县';
const RESOURCES = { vcpu: 8, memoryGiB: 32, storageGiB: 500 };
const EXPERTS = ['张高工', '李教授', '王研究员'];

type Caller = Role | 'otherUnit' | 'countyUnit' | 'yiyangUnit';
const keyOf = (name: string) => `test-${name}-${randomBytes(16).toString('hex')}`;
const keys = Object.fromEntries([...ALL_ROLES, 'otherUnit', 'countyUnit', 'yiyangUnit'].map((name) => [name, keyOf(name)])) as Record<Caller, string>;
const auth: AuthOptions = {
  apiKeys: [
    ...ALL_ROLES.map((role) => ({ key: keys[role], id: `${role}:tester`, role, ...(role === 'unit' ? { unit: CITY_UNIT } : role === 'county' ? { unit: COUNTY } : {}) })),
    { key: keys.otherUnit, id: 'unit:other', role: 'unit', unit: OTHER_UNIT },
    { key: keys.countyUnit, id: 'unit:county', role: 'unit', unit: COUNTY_UNIT },
    { key: keys.yiyangUnit, id: 'unit:yiyang', role: 'unit', unit: UNIT },
  ],
};

let app: Express;
const as = (caller: Caller) => ({
  get: (path: string) => request(app).get(path).set('Authorization', `Bearer ${keys[caller]}`),
  post: (path: string) => request(app).post(path).set('Authorization', `Bearer ${keys[caller]}`),
  put: (path: string) => request(app).put(path).set('Authorization', `Bearer ${keys[caller]}`),
});

beforeAll(async () => {
  app = testApp(context.env.client, context.storage, { auth });
  const store = createStore(context.storage);
  const at = new Date().toISOString();
  for (const name of [CITY_UNIT, OTHER_UNIT]) await store.registerUnit({ name, jurisdiction: 'jian', by: 'test-setup', at });
  await store.registerUnit({ name: COUNTY_UNIT, jurisdiction: 'jian', county: COUNTY, by: 'test-setup', at });
  await store.registerProject({
    projectId: PROJECT, name: '吉安市一网通办平台升级', unit: CITY_UNIT, jurisdiction: 'jian', profileVersion: 'jian@2021', planYear: 2027,
    investmentFen: 3_000_000 * 100, fundingSource: '市本级财政', flags: {}, stage: 'feasibilityStudy', registeredAt: at,
  });
});

const application = (resourceId: string, overrides: Record<string, unknown> = {}) => ({
  resourceId, jurisdiction: 'jian', systemName: '吉安市一网通办平台', resources: RESOURCES, ...overrides,
});

/** The resource as the auditor reads it, once `accept` holds (a step's record lands a moment after the answer). */
async function readUntil(resourceId: string, accept: (state: CloudResourceState) => boolean): Promise<CloudResourceState> {
  const response = await eventually(() => as('auditor').get(`/cloud-resources/${resourceId}`), (r) => r.status === 200 && accept(r.body as CloudResourceState), `cloud resource ${resourceId}`, 20_000);
  return response.body as CloudResourceState;
}

describe("a Ji'an government-cloud resource through the HTTP API", () => {
  const id = `JA-CLOUD-${Date.now().toString(36)}`;
  const path = `/cloud-resources/${id}`;

  it('applies, is reviewed, sized, opened, cut over, resized up and down and exits, each refusal naming its rule (004 cloud §10, §11, §12, §13, §14, §15)', async () => {
    // Only a jurisdiction with cloud measures takes an application; a unit does not apply for a county's system.
    const yiyang = await as('yiyangUnit').post('/cloud-resources').send(application(`${id}-YY`, { jurisdiction: 'yiyang' })).expect(422);
    expect(yiyang.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(yiyang.body).toMatchObject({ status: 422, rule: 'seed 001', detail: expect.stringMatching(/^seed 001: yiyang has no government cloud measures/), errors: [{ pointer: '/body/jurisdiction' }] });
    const countyByUnit = await as('countyUnit').post('/cloud-resources').send(application(`${id}-CX`, { county: true, unit: COUNTY_UNIT })).expect(403);
    expect(countyByUnit.body).toMatchObject({ rule: '004 cloud §10', detail: expect.stringMatching(/apply through their county government \(county\)/) });
    const othersProject = await as('otherUnit').post('/cloud-resources').send(application(`${id}-OP`, { projectId: PROJECT })).expect(422);
    expect(othersProject.body.errors).toEqual([expect.objectContaining({ pointer: '/body/projectId' })]);
    await as('unit').post('/cloud-resources').send(application(`${id}-BAD`, { resources: { vcpu: 1.5, memoryGiB: 4, storageGiB: 10 } })).expect(422);
    expect(await createStore(context.storage).cloudResourceRecord(`${id}-CX`)).toBeUndefined();

    const created = await as('unit').post('/cloud-resources').set('Idempotency-Key', `apply-${id}`).send(application(id, { projectId: PROJECT, purpose: '政务服务事项集中办理' })).expect(201);
    expect(created.headers.location).toBe(path);
    expect(created.body).toMatchObject({ resourceId: id, stage: 'review', unit: CITY_UNIT, projectId: PROJECT, applicant: { role: 'unit' } });
    await as('unit').post('/cloud-resources').send(application(id)).expect(409);
    const review = await readUntil(id, (s) => s.pending[0]?.dueDate !== undefined);
    expect(review.pending).toEqual([expect.objectContaining({ action: 'decide', subject: 'application', roles: ['bigDataCentre'], rule: SERVICE_TARGET })]);

    // Lists from the system of record: the unit's own, the project's; another unit sees none of it.
    expect((await as('unit').get('/cloud-resources?stage=review').expect(200)).body.items.map((r: { resourceId: string }) => r.resourceId)).toContain(id);
    expect((await as('otherUnit').get('/cloud-resources').expect(200)).body.items).toEqual([]);
    await as('otherUnit').get(`/cloud-resources?unit=${encodeURIComponent(CITY_UNIT)}`).expect(403);
    await as('otherUnit').get(path).expect(404);
    await as('otherUnit').post(`${path}/exit`).send({}).expect(404);
    const ofProject = await as('unit').get(`/projects/${PROJECT}/cloud-resources`).expect(200);
    expect(ofProject.body.items).toEqual([expect.objectContaining({ resourceId: id, systemName: '吉安市一网通办平台', stage: 'review', requested: RESOURCES })]);
    await as('otherUnit').get(`/projects/${PROJECT}/cloud-resources`).expect(404);

    // 004 cloud §11: the authority decides; a refused step leaves no trace in the workflow's history.
    const before = await settledHistoryLength(context.env.client, `cloud:${id}`);
    await as('unit').post(`${path}/decisions`).send({ subject: 'application', decision: 'approve' }).expect(403);
    const noReasons = await as('bigDataCentre').post(`${path}/decisions`).send({ subject: 'application', decision: 'reject' }).expect(422);
    expect(noReasons.body).toMatchObject({ rule: '004 cloud §11', errors: [{ pointer: '/body/reasons' }] });
    const tooEarly = await as('cloudProvider').post(`${path}/opened`).send({}).expect(409);
    expect(tooEarly.body.detail).toMatch(/"opened" is not expected now; cloud resource .* is at review, awaiting decide \(application\) by bigDataCentre/);
    expect(await historyLength(context.env.client, `cloud:${id}`)).toBe(before);
    await as('bigDataCentre').post(`${path}/decisions`).send({ subject: 'application', decision: 'approve', reasons: ['符合集约化建设要求'] }).expect(200);
    const noExperts = await as('bigDataCentre').post(`${path}/sizing`).send({ experts: [], resources: RESOURCES }).expect(422);
    expect(noExperts.body).toMatchObject({ rule: '004 cloud §11', errors: [{ pointer: '/body/experts' }] });
    await as('bigDataCentre').post(`${path}/sizing`).send({ experts: EXPERTS, resources: { ...RESOURCES, storageGiB: 400 } }).expect(200);

    // 004 cloud §12: the letter and the confirmation form, the notice, then the provider opens within 3 working days.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const noForm = await as('unit').post(`${path}/responsibility-letter`).send({ signedBy: '王主任', signedOn: today, confirmationFormFilled: false }).expect(422);
    expect(noForm.body).toMatchObject({ rule: '004 cloud §12', errors: [{ pointer: '/body/confirmationFormFilled' }] });
    await as('unit').post(`${path}/responsibility-letter`).send({ signedBy: '王主任', signedOn: today, confirmationFormFilled: true, fileNumbers: ['JA-DOC-1'] }).expect(200);
    const opening = await as('bigDataCentre').post(`${path}/opening-notice`).send({}).expect(200);
    expect(opening.body.pending).toEqual([expect.objectContaining({ action: 'opened', roles: ['cloudProvider'], rule: '004 cloud §12', dueDate: expect.any(String) })]);
    const deploying = await as('cloudProvider').post(`${path}/opened`).send({}).expect(200);
    expect(deploying.body).toMatchObject({ stage: 'deployment', allocated: { storageGiB: 400 }, pending: [{ action: 'cutover', rule: '004 cloud §13', dueDate: expect.any(String) }] });

    // 004 cloud §13: the cut-over with every step declared; the old system stays 3 months.
    const partial = await as('unit').post(`${path}/cutover`).send({ completed: ['deployment'] }).expect(422);
    expect(partial.body).toMatchObject({ rule: '004 cloud §13', errors: [{ pointer: '/body/completed' }] });
    const live = (await as('unit').post(`${path}/cutover`).send({ completed: ['deployment', 'testing', 'securityRiskPreAssessment', 'cutover'] }).expect(200)).body as CloudResourceState;
    expect(live.stage).toBe('inService');
    const early = await as('unit').post(`${path}/fallback-decommissioned`).send({}).expect(422);
    expect(early.body).toMatchObject({ rule: '004 cloud §13', detail: expect.stringContaining(`from ${live.fallback!.allowedFrom} (earliest allowed date)`) });

    // 004 cloud §14: an increase reviewed and sized, a decrease approved, each carried out by the provider.
    await as('unit').post(`${path}/resize-requests`).send({ direction: 'scaleUp', resources: { vcpu: 16, memoryGiB: 64, storageGiB: 400 }, reasons: ['业务量增长'] }).expect(200);
    const unsized = await as('bigDataCentre').post(`${path}/decisions`).send({ subject: 'resize', decision: 'approve' }).expect(422);
    expect(unsized.body).toMatchObject({ rule: '004 cloud §14', errors: [{ pointer: '/body/resources' }] });
    await as('bigDataCentre').post(`${path}/decisions`).send({ subject: 'resize', decision: 'approve', resources: { vcpu: 12, memoryGiB: 64, storageGiB: 400 }, experts: EXPERTS }).expect(200);
    expect((await as('cloudProvider').post(`${path}/resize-applied`).send({}).expect(200)).body.allocated).toEqual({ vcpu: 12, memoryGiB: 64, storageGiB: 400 });
    await as('unit').post(`${path}/resize-requests`).send({ direction: 'scaleDown', resources: { vcpu: 12, memoryGiB: 48, storageGiB: 400 } }).expect(200);
    await as('bigDataCentre').post(`${path}/decisions`).send({ subject: 'resize', decision: 'approve' }).expect(200);
    expect((await as('cloudProvider').post(`${path}/resize-applied`).send({}).expect(200)).body.allocated).toEqual({ vcpu: 12, memoryGiB: 48, storageGiB: 400 });

    // 004 cloud §15: the exit approved; no erasure inside the 20-working-day migration window.
    await as('unit').post(`${path}/exit`).send({ reasons: ['系统整合至省平台'] }).expect(200);
    const migrating = (await as('bigDataCentre').post(`${path}/decisions`).send({ subject: 'exit', decision: 'approve' }).expect(200)).body as CloudResourceState;
    expect(migrating).toMatchObject({ stage: 'migration', exit: { forced: false, migrationWindow: { date: expect.any(String) } } });
    const erasure = await as('cloudProvider').post(`${path}/data-erasure`).send({}).expect(422);
    expect(erasure.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(erasure.body).toMatchObject({
      type: expect.stringMatching(/rule-violation$/), status: 422, rule: '004 cloud §15', errors: [{ pointer: '/body/action' }],
      detail: expect.stringMatching(/^004 cloud §15: the data are erased after the 20-working-day migration window/),
    });
    await as('auditor').post(`${path}/data-erasure`).send({}).expect(403);
    await as('unit').post(`${path}/migration-complete`).send({}).expect(200);

    // The system of record: the row and every event, chained into an audit trail that verifies.
    const store = createStore(context.storage);
    const row = await eventually(() => store.cloudResourceRecord(id), (r) => r?.migrated_at !== null, 'the migration on record', 60_000);
    expect(row).toMatchObject({ stage: 'migration', project_id: PROJECT, exit_forced: 0, fallback_allowed_from: live.fallback!.allowedFrom });
    const listed = (await as('bigDataCentre').get(`/cloud-resources?projectId=${PROJECT}`).expect(200)).body.items[0];
    expect(listed).toMatchObject({ resourceId: id, stage: 'migration', resources: { vcpu: 12, memoryGiB: 48 }, steps: { cutover: expect.any(String), exitApproved: expect.any(String) } });
    expect((await as('auditor').get('/audit/verification').expect(200)).body).toMatchObject({ ok: true });

    // Published calendar data reaches the running resource too: its working-day periods are recomputed.
    const published = await as('admin').put('/calendar/years/2033').send({ source: '测试', holidays: { '2033-01-01': '元旦' } }).expect(200);
    expect(published.body.resignalled).toContain(cloudWorkflowId(id));
  });

  it('ends a rejected application; every later step is 409 with the outcome (004 cloud §11)', async () => {
    const rejectedId = `${id}-R`;
    await as('county').post('/cloud-resources').send(application(rejectedId, { systemName: '吉水县智慧社区', county: true, unit: COUNTY_UNIT })).expect(201);
    await readUntil(rejectedId, (s) => s.pending[0]?.dueDate !== undefined);
    // The county's own unit sees its system; the city unit does not.
    await as('countyUnit').get(`/cloud-resources/${rejectedId}`).expect(200);
    await as('unit').get(`/cloud-resources/${rejectedId}`).expect(404);
    const ended = await as('bigDataCentre').post(`/cloud-resources/${rejectedId}/decisions`).send({ subject: 'application', decision: 'reject', reasons: ['可复用县级已有资源'] }).expect(200);
    expect(ended.body).toMatchObject({ status: 'ended', stage: 'rejected', outcome: { rule: '004 cloud §11' } });
    const after = await as('county').post(`/cloud-resources/${rejectedId}/revision`).send({}).expect(409);
    expect(after.body).toMatchObject({ rule: '004 cloud §11', outcome: { stage: 'rejected', reason: '可复用县级已有资源' } });
    await eventually(() => createStore(context.storage).cloudResourceRecord(rejectedId), (r) => r?.status === 'ended', 'the rejection on record', 60_000);
    expect((await as('auditor').get('/cloud-resources?stage=rejected').expect(200)).body.items.map((r: { resourceId: string }) => r.resourceId)).toContain(rejectedId);
  });

  it('notices a resource whose workflow was terminated in Temporal directly: recorded once, audited, answered as ended', async () => {
    const goneId = `${id}-T`;
    await as('unit').post('/cloud-resources').send(application(goneId)).expect(201);
    await context.env.client.workflow.getHandle(cloudWorkflowId(goneId)).terminate('操作员在 Temporal 界面误操作');
    const store = createStore(context.storage);
    // Temporal's visibility learns of the close a moment after it.
    await eventually(() => reconcileEndedOutside(context.env.client, store), (recorded) => recorded.includes(cloudWorkflowId(goneId)), 'the reconciliation to see the terminated resource', 30_000);
    expect(await reconcileEndedOutside(context.env.client, store)).not.toContain(cloudWorkflowId(goneId));
    const trail = await context.storage.db.selectFrom('audit_log').select('action').where('subject', '=', goneId).where('action', '=', 'cloud.endedOutsideTheApplication').execute();
    expect(trail).toHaveLength(1);
    const read = await as('auditor').get(`/cloud-resources/${goneId}`).expect(200);
    expect(read.body).toMatchObject({ status: 'ended', pending: [], outcome: { stage: 'review', reason: expect.stringMatching(/ended outside the application \(TERMINATED at /) } });
    await as('bigDataCentre').post(`/cloud-resources/${goneId}/decisions`).send({ subject: 'application', decision: 'approve' }).expect(409);
  });

  it('documents the cloud routes in /openapi.json and refuses every role a route does not name', async () => {
    const document = (await request(app).get('/openapi.json').expect(200)).body;
    const documented = Object.entries(document.paths as Record<string, object>).flatMap(([p, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${p}`));
    const specs = cloudRoutes(context.env.client, TASK_QUEUE, createStore(context.storage));
    expect(documented).toEqual(expect.arrayContaining(specs.map((spec) => `${spec.method.toUpperCase()} ${spec.path.replace(/:(\w+)/g, '{$1}')}`)));
    expect(documented).toEqual(expect.arrayContaining(['POST /cloud-resources', 'GET /cloud-resources/{resourceId}', 'POST /cloud-resources/{resourceId}/data-erasure', 'GET /projects/{projectId}/cloud-resources']));
    expect(document.paths['/cloud-resources'].post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['resourceId', 'jurisdiction', 'systemName', 'resources']));
    expect(document.paths['/cloud-resources/{resourceId}/decisions'].post.description).toBe('Roles: bigDataCentre.');

    for (const spec of specs) {
      for (const role of ALL_ROLES) {
        const route = spec.path.replace(':resourceId', 'NO-SUCH-RESOURCE').replace(':projectId', 'NO-SUCH-PROJECT');
        const response = spec.method === 'get' ? await as(role).get(route) : await as(role).post(route).send({});
        if (spec.roles.includes(role)) expect({ route: `${spec.method} ${spec.path}`, role, status: response.status }).not.toMatchObject({ status: 403 });
        else expect({ route: `${spec.method} ${spec.path}`, role, status: response.status }).toEqual({ route: `${spec.method} ${spec.path}`, role, status: 403 });
      }
    }
  });
});
