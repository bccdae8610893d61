import { openTestStorage, engines } from '../helpers/storage';
import type { StorageHandle } from '../../activities/storage/database';
import { createStore, type Store } from '../../activities/storage/store';
import type { PaymentRecord } from '../../domain/payments';
import type { ProjectRecord } from '../../domain/records';

const at = (day: string) => `${day}T02:00:00.000Z`;

const project = (projectId: string): ProjectRecord => ({
  projectId,
  name: '智慧城管综合平台',
  unit: '益阳市城市管理局',
  jurisdiction: 'yiyang',
  profileVersion: 'yiyang@2022',
  planYear: 2027,
  investmentFen: 350_000_000,
  fundingSource: '市本级财政',
  stage: 'implementation',
  registeredAt: at('2026-09-01'),
});

/**
 * A refusal by the database, matched by its message: better-sqlite3 keeps the error class of the first
 * test file that loaded it in a Jest worker, so a later file's `toThrow` does not see an Error.
 */
const failed = (message: RegExp) => ({ message: expect.stringMatching(message) });

const payment = (projectId: string, overrides: Partial<PaymentRecord> = {}): PaymentRecord => ({
  projectId,
  purpose: 'progress',
  amountFen: 89_400_000,
  voucherRef: 'PZ-2027-0001',
  paidOn: '2027-05-10',
  recordedBy: 'finance:tester',
  recordedAt: at('2027-05-11'),
  ...overrides,
});

describe.each(engines)('project payments on %s', (engine) => {
  let storage: StorageHandle;
  let store: Store;

  beforeAll(async () => {
    storage = await openTestStorage(engine);
    store = createStore(storage);
  });
  afterAll(() => storage?.close());

  const auditOf = (projectId: string, action: string) =>
    storage.db.selectFrom('audit_log').selectAll().where('subject', '=', projectId).where('action', '=', action).orderBy('seq').execute();

  it('records a payment with its audit entry, and answers the same voucher again with the row as first stored, appending nothing', async () => {
    const projectId = `P-PAY-${engine}`;
    await store.registerProject(project(projectId));
    await store.recordContract({ contractId: `HT-PAY-${engine}`, projectId, contractor: '湖南某科技有限公司', sumFen: 298_000_000, omYears: 3, signedDate: '2027-03-01', filedAt: at('2027-03-05') });

    const first = await store.recordPayment(payment(projectId, { contractId: `HT-PAY-${engine}`, voucherRef: '  PZ-2027-0001 ' }));
    expect(first.created).toBe(true);
    expect(first.stored).toEqual({
      payment_key: `${projectId}:PZ-2027-0001`, project_id: projectId, contract_id: `HT-PAY-${engine}`, purpose: 'progress', amount_fen: 89_400_000,
      voucher_ref: 'PZ-2027-0001', paid_date: '2027-05-10', recorded_by: 'finance:tester', recorded_at: at('2027-05-11'),
    });
    const audit = await auditOf(projectId, 'payments.recorded');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'finance:tester', entry_key: `payment:${projectId}:PZ-2027-0001:recorded` });
    expect(JSON.parse(audit[0]!.payload)).toMatchObject({ purpose: 'progress', amountFen: 89_400_000, voucherRef: 'PZ-2027-0001' });

    // The same voucher again, even with other figures and by someone else: the first row stands.
    const again = await store.recordPayment(payment(projectId, { amountFen: 1, purpose: 'final', recordedBy: 'finance:other', recordedAt: at('2027-05-12') }));
    expect(again).toEqual({ created: false, stored: first.stored });
    expect(await store.paymentsOf(projectId)).toEqual([first.stored]);
    expect(await auditOf(projectId, 'payments.recorded')).toHaveLength(1);
    expect(await store.paymentByVoucher(projectId, 'PZ-2027-0001')).toEqual(first.stored);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it('records a voucher sent twice at the same instant once: both answer the one row, one audit entry', async () => {
    const projectId = `P-PAY-RACE-${engine}`;
    await store.registerProject(project(projectId));
    const results = await Promise.all([store.recordPayment(payment(projectId)), store.recordPayment(payment(projectId, { recordedBy: 'finance:other' }))]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(results[0]!.stored).toEqual(results[1]!.stored);
    expect(await store.paymentsOf(projectId)).toHaveLength(1);
    expect(await auditOf(projectId, 'payments.recorded')).toHaveLength(1);
  });

  it('keeps one row per project and voucher in the database itself; the same voucher number of another project is another payment', async () => {
    const [a, b] = [`P-VOUCHER-A-${engine}`, `P-VOUCHER-B-${engine}`];
    await store.registerProject(project(a));
    await store.registerProject(project(b));
    expect((await store.recordPayment(payment(a, { voucherRef: 'PZ-9' }))).created).toBe(true);
    expect((await store.recordPayment(payment(b, { voucherRef: 'PZ-9' }))).created).toBe(true);
    // A writer that bypasses the store (another key for the same voucher) is refused by the unique constraint.
    const row = { project_id: a, contract_id: null, purpose: 'om', amount_fen: 5, voucher_ref: 'PZ-9', paid_date: '2027-06-01', recorded_by: 'x', recorded_at: at('2027-06-01') };
    await expect(storage.db.insertInto('project_payments').values({ ...row, payment_key: 'another-key' }).execute()).rejects.toMatchObject(failed(/unique|duplicate/i));
    // Money is a positive whole number of fen, for a project and contract that exist.
    await expect(storage.db.insertInto('project_payments').values({ ...row, payment_key: 'zero', voucher_ref: 'PZ-0', amount_fen: 0 }).execute()).rejects.toMatchObject(failed(/check/i));
    await expect(store.recordPayment(payment(a, { voucherRef: 'PZ-10', contractId: 'HT-NOT-FILED' }))).rejects.toMatchObject(failed(/foreign key/i));
    await expect(store.recordPayment(payment(`P-MISSING-${engine}`))).rejects.toMatchObject(failed(/foreign key/i));
    await expect(store.recordPayment(payment(a, { voucherRef: 'PZ-11', amountFen: -5 }))).rejects.toThrow();
    expect((await store.paymentsOf(a)).map((p) => p.voucher_ref)).toEqual(['PZ-9']);
  });

  it('keeps money as exact integer fen up to the largest safe integer, and lists payments in the order they were paid', async () => {
    const projectId = `P-PAY-ORDER-${engine}`;
    await store.registerProject(project(projectId));
    await store.recordPayment(payment(projectId, { voucherRef: 'PZ-3', paidOn: '2027-07-01', amountFen: Number.MAX_SAFE_INTEGER }));
    await store.recordPayment(payment(projectId, { voucherRef: 'PZ-1', paidOn: '2027-03-01', purpose: 'advance' }));
    await store.recordPayment(payment(projectId, { voucherRef: 'PZ-2', paidOn: '2027-05-01' }));
    const rows = await store.paymentsOf(projectId);
    expect(rows.map((r) => r.voucher_ref)).toEqual(['PZ-1', 'PZ-2', 'PZ-3']);
    expect(rows[2]!.amount_fen).toBe(Number.MAX_SAFE_INTEGER);
    expect(typeof rows[2]!.amount_fen).toBe('number');
  });

  it("answers a project's open money blocks oldest first, and no longer those lifted", async () => {
    const projectId = `P-BLOCKS-${engine}`;
    const other = `P-BLOCKS-OTHER-${engine}`;
    await store.registerProject(project(projectId));
    await store.registerProject(project(other));
    expect(await store.openPaymentBlocksOf(projectId)).toEqual([]);
    await store.blockPayments({ projectId, scope: 'projectFunds', reason: '监督检查发现问题未整改', rule: '003 §31', since: at('2027-06-01') });
    await store.blockPayments({ projectId, scope: 'omFunding', reason: '档案未备案', rule: '000 §15', since: at('2027-04-01') });
    await store.blockPayments({ projectId: other, scope: 'allPayments', reason: '验收未通过', rule: '001 §28', since: at('2027-04-01') });
    expect(await store.openPaymentBlocksOf(projectId)).toEqual([
      { scope: 'omFunding', reason: '档案未备案', rule: '000 §15', since: at('2027-04-01') },
      { scope: 'projectFunds', reason: '监督检查发现问题未整改', rule: '003 §31', since: at('2027-06-01') },
    ]);
    await store.liftPaymentBlock({ projectId, scope: 'omFunding', liftedAt: at('2027-07-01') });
    expect(await store.openPaymentBlocksOf(projectId)).toEqual([{ scope: 'projectFunds', reason: '监督检查发现问题未整改', rule: '003 §31', since: at('2027-06-01') }]);
    // Two problems' blocks (003 §31): closing one lifts only its own, named by its start.
    await store.blockPayments({ projectId, scope: 'projectFunds', reason: '第二个问题未整改', rule: '003 §31', since: at('2027-06-15') });
    await store.liftPaymentBlock({ projectId, scope: 'projectFunds', since: at('2027-06-01'), liftedAt: at('2027-08-01') });
    expect((await store.openPaymentBlocksOf(projectId)).map((b) => b.reason)).toEqual(['第二个问题未整改']);
    await store.liftPaymentBlock({ projectId, scope: 'projectFunds', liftedAt: at('2027-08-01') });
    expect(await store.openPaymentBlocksOf(projectId)).toEqual([]);
    // Two problems blocking at the same instant (one inspection, one date) are two blocks, each lifted by its subject.
    for (const subject of ['problem-3', 'problem-4']) await store.blockPayments({ projectId, scope: 'projectFunds', reason: subject, rule: '003 §31', since: at('2027-09-01'), subject });
    await store.liftPaymentBlock({ projectId, scope: 'projectFunds', since: at('2027-09-01'), subject: 'problem-3', liftedAt: at('2027-09-10') });
    expect((await store.openPaymentBlocksOf(projectId)).map((b) => b.reason)).toEqual(['problem-4']);
    expect((await store.openPaymentBlocksOf(other)).map((b) => b.scope)).toEqual(['allPayments']);
  });
});
