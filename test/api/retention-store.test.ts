import { Client, Connection } from '@temporalio/client';
import type { RetentionState } from '../../domain/lifecycle';
import { createStore } from '../../activities/storage/store';
import { retentionStateQuery } from '../../workflows/messages';
import type { RetentionRelease } from '../../workflows/retention';
import { driveUntil, endStartedProjects, eventually, startProject, UNIT } from '../helpers/lifecycle';
import { useWorkflowEnvironment } from '../helpers/workflow-context';
import { as, testApp } from '../helpers/api';

/**
 * GET /contracts/{contractId}/retention reads the system of record: the same answer as the retention
 * workflow's query, before and after a release, with no worker and no server asked. On the Java
 * time-skipping test server with the real activities on SQLite: the tranche year passes in seconds.
 */
const context = useWorkflowEnvironment('timeSkipping');
afterAll(() => endStartedProjects(context.env.client));

const DAY = 86_400_000;

describe('GET /contracts/:contractId/retention from the system of record', () => {
  it('answers as the workflow\'s retentionState query does — scheduled, due, and after a release — without Temporal', async () => {
    const handle = await startProject(context.env, { investmentFen: 400 * 1_000_000 });
    const accepted = await driveUntil(context.env, handle, (s) => s.stage === 'operations');
    const retention = context.env.client.workflow.getHandle<typeof RetentionRelease>(accepted.retentionWorkflowId!);
    const app = testApp(context.env.client, context.storage);
    // A client to a server that is not there: a read that asked Temporal would fail.
    const nowhere = Connection.lazy({ address: '127.0.0.1:1' });
    const offline = testApp(new Client({ connection: nowhere }), context.storage);
    try {
      const scheduled = await retention.query(retentionStateQuery);
      const path = `/contracts/${scheduled.contractId}/retention`;
      const read = async (): Promise<RetentionState> => (await as(offline, 'finance').get(path).expect(200)).body;
      // The ledger is the workflow's first write: read once it is there.
      expect(await eventually(read, (r) => r.tranches.length === 3, 'the first ledger', 60_000)).toEqual(scheduled);
      expect(scheduled).toMatchObject({ sumFen: 300_000_000, withheldFen: 45_000_000, acceptedOn: accepted.acceptedOn, rule: '001 §19' });

      // Year 1 passes: tranche 1 (post-evaluation passed) is due, in the ledger as in the workflow.
      await context.env.sleep(Date.parse(`${scheduled.tranches[0]!.dueDate}T00:00:00+08:00`) - (await context.env.currentTimeMs()) + DAY);
      const due = await eventually(read, (r) => r.tranches[0]!.status === 'due', 'tranche 1 due in the ledger', 60_000);
      expect(due).toEqual(await retention.query(retentionStateQuery));

      // The release: the update's answer, the workflow's state and the store's read are one.
      const paid = (await as(app, 'finance').post(`${path}/releases`).send({ trancheNo: 1, voucherRef: 'PZ-2028-0001' }).expect(200)).body as RetentionState;
      expect(paid.tranches[0]).toMatchObject({ status: 'released', voucherRef: 'PZ-2028-0001', blockedReason: null });
      expect(await retention.query(retentionStateQuery)).toEqual(paid);
      expect(await read()).toEqual(paid);

      // The unit sees its own contract's retention; another unit's is as a missing one.
      expect((await as(offline, 'unit').get(path).expect(200)).body).toEqual(paid);
      expect((await as(offline, 'otherUnit').get(path).expect(404)).body.detail).toBe(`No contract ${paid.contractId}`);
      await as(offline, 'finance').get('/contracts/HT-NO-SUCH/retention').expect(404);

      // A retention whose ledger predates the terms (migration 0015) gets them once from its workflow's start.
      const terms = () => context.storage.db.selectFrom('retention_terms').select('accepted_on').where('contract_id', '=', paid.contractId).execute();
      await context.storage.db.deleteFrom('retention_terms').where('contract_id', '=', paid.contractId).execute();
      expect((await as(app, 'finance').get(path).expect(200)).body).toEqual(paid);
      expect(await terms()).toEqual([{ accepted_on: accepted.acceptedOn }]);
      expect(await read()).toEqual(paid);
    } finally {
      await nowhere.close();
    }
  });

  it('answers 404 for a contract with no ledger yet and for a forfeited one (001 §28: no retention workflow), as before', async () => {
    const store = createStore(context.storage);
    const app = testApp(context.env.client, context.storage);
    const at = new Date().toISOString();
    const projectId = 'YY-RET-FORFEITED';
    await store.registerProject({
      projectId, name: '验收不合格的项目', unit: UNIT, jurisdiction: 'yiyang', profileVersion: 'yiyang@2022', planYear: 2027, investmentFen: 100_000_000,
      fundingSource: '市本级财政', flags: {}, stage: 'forfeited', registeredAt: at,
    });
    for (const contractId of ['HT-FORFEITED', 'HT-NO-LEDGER']) {
      await store.recordContract({ contractId, projectId, contractor: '承建单位', sumFen: 100_000_000, omYears: 3, signedDate: '2026-10-15', filedAt: at });
    }
    await store.upsertRetentionTranches(
      [1, 2, 3].map((trancheNo) => ({
        contractId: 'HT-FORFEITED', projectId, trancheNo, amountFen: 5_000_000, dueDate: null, condition: trancheNo === 1 ? 'postEvaluation' : 'assessment',
        status: 'forfeited' as const, blockedReason: '001 §28: 整改后再次验收不合格',
      })),
      at,
    );
    for (const contractId of ['HT-FORFEITED', 'HT-NO-LEDGER']) {
      expect((await as(app, 'finance').get(`/contracts/${contractId}/retention`).expect(404)).body.detail).toBe(`No retention of ${contractId}`);
    }
  });
});
