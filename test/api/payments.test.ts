import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import type { Express } from 'express';
import type { StorageHandle } from '../../activities/storage/database';
import { createStore, type Store } from '../../activities/storage/store';
import type { ProjectRecord } from '../../domain/records';
import { as, seedTestUnits, testApp } from '../helpers/api';
import { UNIT } from '../helpers/lifecycle';
import { openTestStorage } from '../helpers/storage';
import { unusedTemporal } from '../helpers/temporal-client';

/**
 * Finance records a project's payments through the real app on a real system of record. These routes
 * answer from the system of record alone, so the app's Temporal client is one that connects nowhere:
 * a refusal that asked Temporal anything would fail instead of answering 422.
 */
let storage: StorageHandle;
let store: Store;
let app: Express;
beforeAll(async () => {
  storage = await openTestStorage('sqlite');
  await seedTestUnits(storage);
  store = createStore(storage);
  app = testApp(unusedTemporal.client, storage);
});
afterAll(() => storage?.close());

let serial = 0;
/** A project registered straight in the system of record: its workflow is not what is under test. */
async function aProject(overrides: Partial<ProjectRecord> = {}): Promise<string> {
  serial += 1;
  const projectId = `P-PAY-API-${Date.now().toString(36)}-${serial}`;
  await store.registerProject({
    projectId, name: '智慧城管综合平台', unit: UNIT, jurisdiction: 'yiyang', profileVersion: 'yiyang@2022', planYear: 2027,
    investmentFen: 350_000_000, fundingSource: '市本级财政', stage: 'implementation', registeredAt: new Date().toISOString(), ...overrides,
  });
  return projectId;
}

const payment = (overrides: Record<string, unknown> = {}) => ({ purpose: 'progress', amountFen: 89_400_000, voucherRef: 'PZ-2026-0001', paidOn: '2026-06-10', ...overrides });
const auditCount = async () => Number((await storage.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('POST and GET /projects/:projectId/payments', () => {
  it('records a payment (201), answers the same voucher again with the payment as first recorded (200) — and with other particulars as a conflict (409) — and lists it', async () => {
    const projectId = await aProject();
    const created = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ voucherRef: ' PZ-2026-0001 ' })).expect(201);
    const recorded = {
      projectId, contractId: null, purpose: 'progress', amountFen: 89_400_000, voucherRef: 'PZ-2026-0001', paidOn: '2026-06-10', recordedBy: 'finance:tester',
      recordedAt: expect.any(String),
    };
    expect(created.body).toEqual(recorded);

    const audit = await auditCount();
    const again = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ voucherRef: 'PZ-2026-0001' })).expect(200);
    expect(again.body).toEqual(created.body);
    const mistaken = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ voucherRef: 'PZ-2026-0001', amountFen: 1 })).expect(409);
    expect(mistaken.body.detail).toMatch(/Voucher PZ-2026-0001 is already recorded .* with other particulars/);
    expect(await auditCount()).toBe(audit);

    for (const role of ['finance', 'audit', 'auditor', 'reviewOffice', 'unit'] as const) {
      const list = await as(app, role).get(`/projects/${projectId}/payments`).expect(200);
      expect(list.body).toEqual({ items: [created.body] });
    }
  });

  it('refuses a payment while a block forbids its purpose, naming the rule and the purpose, and records nothing; after the lift it is recorded', async () => {
    const projectId = await aProject();
    await store.blockPayments({ projectId, scope: 'projectFunds', reason: '监督检查发现的问题未整改', rule: '003 §31', since: '2026-06-01T02:00:00.000Z' });
    const audit = await auditCount();

    for (const purpose of ['advance', 'progress', 'final', 'retention', 'om']) {
      const refused = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ purpose, voucherRef: `PZ-${purpose}` })).expect(422);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 422, rule: '003 §31', errors: [{ pointer: '/body/purpose' }] });
      expect(refused.body.detail).toMatch(new RegExp(`No ${purpose} payment .*projectFunds, 003 §31, since 2026-06-01.*监督检查发现的问题未整改`));
    }
    expect((await as(app, 'finance').get(`/projects/${projectId}/payments`).expect(200)).body.items).toEqual([]);
    expect(await store.paymentsOf(projectId)).toEqual([]);
    expect(await auditCount()).toBe(audit);

    await store.liftPaymentBlock({ projectId, scope: 'projectFunds', liftedAt: new Date().toISOString() });
    await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment()).expect(201);
    expect((await as(app, 'finance').get(`/projects/${projectId}/payments`).expect(200)).body.items).toHaveLength(1);
  });

  it('refuses only O&M money while the O&M money is blocked; construction payments go on', async () => {
    const projectId = await aProject();
    await store.blockPayments({ projectId, scope: 'omFunding', reason: '验收报告未备案，视同在建', rule: '000 §15', since: '2026-06-01T02:00:00.000Z' });
    const om = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ purpose: 'om', voucherRef: 'PZ-OM' })).expect(422);
    expect(om.body).toMatchObject({ rule: '000 §15', errors: [{ pointer: '/body/purpose' }] });
    await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ purpose: 'final', voucherRef: 'PZ-FINAL' })).expect(201);
    await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ purpose: 'retention', voucherRef: 'PZ-RET' })).expect(201);
  });

  it('answers a voucher recorded before a block opened as recorded (200): it is no new payment', async () => {
    const projectId = await aProject();
    const first = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment()).expect(201);
    await store.blockPayments({ projectId, scope: 'allPayments', reason: '验收再次未通过', rule: '001 §28', since: '2026-06-01T02:00:00.000Z' });
    const again = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment()).expect(200);
    expect(again.body).toEqual(first.body);
    const other = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ voucherRef: 'PZ-2026-0002' })).expect(422);
    expect(other.body.rule).toBe('001 §28');
    // A payment made before the block began (its voucher entered late) is recorded: the block stops money from its start.
    await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ voucherRef: 'PZ-2026-0000', paidOn: '2026-05-20' })).expect(201);
  });

  it("takes a contract only of the project's own filed contracts", async () => {
    const projectId = await aProject();
    const otherProject = await aProject();
    const contract = { contractor: '湖南某科技有限公司', sumFen: 298_000_000, omYears: 3, signedDate: '2026-03-01', filedAt: '2026-03-05T02:00:00.000Z' };
    await store.recordContract({ ...contract, contractId: `${projectId}-HT1`, projectId });
    await store.recordContract({ ...contract, contractId: `${otherProject}-HT1`, projectId: otherProject });

    for (const contractId of ['HT-NEVER-FILED', `${otherProject}-HT1`]) {
      const refused = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ contractId })).expect(422);
      expect(refused.body.errors).toEqual([{ pointer: '/body/contractId', detail: `${contractId} is not a contract filed for project ${projectId}` }]);
    }
    const paid = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ contractId: `${projectId}-HT1` })).expect(201);
    expect(paid.body.contractId).toBe(`${projectId}-HT1`);
  });

  it('refuses a malformed payment and a payment dated after today, naming the field', async () => {
    const projectId = await aProject();
    const bad = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ purpose: 'bonus', amountFen: -1, extra: true })).expect(422);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/body/purpose', '/body/amountFen', '/body']));
    const future = await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment({ paidOn: '2999-01-01' })).expect(422);
    expect(future.body.errors).toEqual([expect.objectContaining({ pointer: '/body/paidOn' })]);
    expect(await store.paymentsOf(projectId)).toEqual([]);
  });

  it("answers another unit's project exactly as a missing one (404), and refuses roles the routes do not name (403)", async () => {
    const projectId = await aProject();
    await as(app, 'finance').post(`/projects/${projectId}/payments`).send(payment()).expect(201);
    const otherUnit = await as(app, 'otherUnit').get(`/projects/${projectId}/payments`).expect(404);
    const missing = await as(app, 'finance').get('/projects/P-NO-SUCH-PROJECT/payments').expect(404);
    expect(otherUnit.body.detail).toBe(`No project ${projectId}`);
    expect(missing.body.detail).toBe('No project P-NO-SUCH-PROJECT');
    await as(app, 'finance').post('/projects/P-NO-SUCH-PROJECT/payments').send(payment()).expect(404);

    await as(app, 'unit').post(`/projects/${projectId}/payments`).send(payment({ voucherRef: 'PZ-BY-UNIT' })).expect(403);
    for (const role of ['reviewOffice', 'auditor', 'admin'] as const) await as(app, role).post(`/projects/${projectId}/payments`).send(payment({ voucherRef: 'PZ-X' })).expect(403);
    for (const role of ['expert', 'technicalReviewer', 'admin'] as const) await as(app, role).get(`/projects/${projectId}/payments`).expect(403);
    expect(await store.paymentsOf(projectId)).toHaveLength(1);
  });
});

describe('POST /contracts/:contractId/retention/releases under a money block', () => {
  it("refuses the release while a block forbids retention money, before the retention workflow is asked", async () => {
    const projectId = await aProject();
    const contractId = `${projectId}-HT1`;
    await store.recordContract({ contractId, projectId, contractor: '湖南某科技有限公司', sumFen: 298_000_000, omYears: 3, signedDate: '2026-03-01', filedAt: '2026-03-05T02:00:00.000Z' });
    await store.blockPayments({ projectId, scope: 'allPayments', reason: '验收再次未通过，剩余款项不再支付', rule: '001 §28', since: '2026-06-01T02:00:00.000Z' });
    const refused = await as(app, 'finance').post(`/contracts/${contractId}/retention/releases`).send({ trancheNo: 1, voucherRef: 'PZ-RET-1' }).expect(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ rule: '001 §28', errors: [{ pointer: '/body/trancheNo' }] });
    expect(refused.body.detail).toMatch(/No retention payment .*验收再次未通过/);
    // Only finance releases, and only a contract that exists.
    await as(app, 'unit').post(`/contracts/${contractId}/retention/releases`).send({ trancheNo: 1, voucherRef: 'PZ-RET-1' }).expect(403);
    await as(app, 'finance').post('/contracts/HT-NO-SUCH/retention/releases').send({ trancheNo: 1, voucherRef: 'PZ-RET-1' }).expect(404);
  });
});

describe('the payment routes in /openapi.json', () => {
  it('documents both methods with their body, and the document stays valid OpenAPI 3.0', async () => {
    const document = (await request(app).get('/openapi.json').expect(200)).body;
    const path = document.paths['/projects/{projectId}/payments'];
    expect(Object.keys(path).sort()).toEqual(['get', 'post']);
    expect(path.post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['purpose', 'amountFen', 'voucherRef', 'paidOn']));
    expect(path.post.responses).toHaveProperty('201');
    expect(path.post.responses).toHaveProperty('422');
    await SwaggerParser.validate(structuredClone(document));
  });
});
