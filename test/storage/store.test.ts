import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { storeDocumentBytes } from '../../activities/storage/documents';
import { createActivities } from '../../activities';
import { unusedTemporal } from '../helpers/temporal-client';
import { openDatabase, type StorageHandle } from '../../activities/storage/database';
import { migrationProvider } from '../../activities/storage/migrations';
import { ConflictingWriteError, createStore, type Store } from '../../activities/storage/store';
import type { ProjectRecord } from '../../domain/records';
import { engines, openTestStorage } from '../helpers/storage';

const at = (day: string) => `${day}T02:00:00.000Z`;

const project = (projectId: string, overrides: Partial<ProjectRecord> = {}): ProjectRecord => ({
  projectId,
  name: '智慧城管综合平台',
  unit: '益阳市城市管理局',
  jurisdiction: 'yiyang',
  profileVersion: 'yiyang@2022',
  planYear: 2027,
  investmentFen: 350_000_000,
  fundingSource: '市本级财政',
  stage: 'preTechnicalReview',
  registeredAt: at('2026-09-01'),
  ...overrides,
});

describe.each(engines)('system of record on %s', (engine) => {
  let storage: StorageHandle;
  let store: Store;

  beforeAll(async () => {
    storage = await openTestStorage(engine);
    store = createStore(storage);
  });
  afterAll(() => storage?.close());

  const count = async (table: 'projects' | 'stage_events' | 'contracts' | 'retention_tranches' | 'audit_log' | 'reviews') =>
    Number((await storage.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('runs its migrations once: opening an up-to-date database changes nothing', async () => {
    const migrations = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(storage.db);
    expect(migrations.rows.map((row) => row.name)).toEqual(Object.keys(await migrationProvider.getMigrations()).sort());
  });

  it('writes a retried activity once: the same input twice leaves one row and one audit entry', async () => {
    const activities = createActivities({ storage, temporal: unusedTemporal });
    const record = project(`P-RETRY-${engine}`);
    const auditBefore = await count('audit_log');
    expect(await activities.registerProjectRecord(record)).toEqual({ created: true });
    expect(await activities.registerProjectRecord(record)).toEqual({ created: false });
    const rows = await storage.db.selectFrom('projects').selectAll().where('project_id', '=', record.projectId).execute();
    expect(rows).toHaveLength(1);
    expect(await count('audit_log')).toBe(auditBefore + 1);

    const event = { eventKey: `${record.projectId}:1`, projectId: record.projectId, stage: 'schemeReview', kind: 'entered' as const, rule: '001 §11', occurredAt: at('2026-10-01') };
    await activities.recordTransition({ events: [event] });
    await activities.recordTransition({ events: [event] });
    const events = await store.stageEventsOf(record.projectId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ stage: 'schemeReview', rule: '001 §11' });
    const [moved] = await store.findProjects({ stage: 'schemeReview', unit: record.unit });
    expect(moved?.project_id).toBe(record.projectId);
  });

  it('keeps money as exact integer fen, up to the largest safe integer', async () => {
    const big = Number.MAX_SAFE_INTEGER;
    await store.registerProject(project(`P-BIG-${engine}`, { investmentFen: big }));
    const row = await storage.db.selectFrom('projects').select('investment_fen').where('project_id', '=', `P-BIG-${engine}`).executeTakeFirstOrThrow();
    expect(row.investment_fen).toBe(big);
    expect(typeof row.investment_fen).toBe('number');
  });

  it('files a contract once and refuses changed terms under the same id', async () => {
    const projectId = `P-CONTRACT-${engine}`;
    await store.registerProject(project(projectId));
    const contract = { contractId: `C-${engine}-1`, projectId, contractor: '湖南某科技有限公司', sumFen: 298_000_000, omYears: 3, signedDate: '2027-03-01', filedAt: at('2027-03-05') };
    expect(await store.recordContract(contract)).toEqual({ created: true });
    expect(await store.recordContract(contract)).toEqual({ created: false });
    await expect(store.recordContract({ ...contract, sumFen: 1 })).rejects.toBeInstanceOf(ConflictingWriteError);
    expect((await storage.db.selectFrom('contracts').selectAll().where('project_id', '=', projectId).execute())).toHaveLength(1);
  });

  describe('retention ledger', () => {
    const projectId = `P-RET-${engine}`;
    const contractId = `C-RET-${engine}`;
    beforeAll(async () => {
      await store.registerProject(project(projectId));
      await store.recordContract({ contractId, projectId, contractor: '承建单位', sumFen: 100_000_00, omYears: 3, signedDate: '2027-01-10', filedAt: at('2027-01-11') });
      await store.upsertRetentionTranches(
        [
          { contractId, projectId, trancheNo: 1, amountFen: 50_000, dueDate: '2028-06-30', condition: 'postEvaluation', status: 'due' },
          { contractId, projectId, trancheNo: 2, amountFen: 50_000, dueDate: '2029-06-30', condition: 'assessment', status: 'blocked', blockedReason: '2029 年度考核未通过' },
          { contractId, projectId, trancheNo: 3, amountFen: 50_000, dueDate: '2030-07-01', condition: 'assessment', status: 'scheduled' },
        ],
        at('2027-06-30'),
      );
    });

    it('answers finance: every tranche falling due in a date range with its status and totals per status, blocked tranches with reasons', async () => {
      const mine = (rows: { contract_id: string; tranche_no: number; status: string }[]) => rows.filter((t) => t.contract_id === contractId).map((t) => [t.tranche_no, t.status]);
      expect(mine(await store.tranchesFallingDue('2028-01-01', '2030-12-31'))).toEqual([[1, 'due'], [2, 'blocked'], [3, 'scheduled']]);
      // Both ends of the range are included (a tranche due on 2030-07-01 falls due "by 2030-07-01").
      expect(mine(await store.tranchesFallingDue('2028-06-30', '2028-06-30'))).toEqual([[1, 'due']]);
      expect(mine(await store.tranchesFallingDue('2030-07-01', '2030-07-01'))).toEqual([[3, 'scheduled']]);
      expect(mine(await store.tranchesFallingDue('2028-07-01', '2029-06-29'))).toEqual([]);
      expect(mine(await store.tranchesFallingDue('2028-01-01', '2030-12-31', { status: 'blocked' }))).toEqual([[2, 'blocked']]);
      expect(mine(await store.tranchesFallingDue('2028-01-01', '2030-12-31', {}, { limit: 1, offset: 1 }))).toEqual([[2, 'blocked']]);
      // This suite's database holds no other tranche falling due in 2028–2030.
      expect(await store.trancheTotalsFallingDue('2028-01-01', '2030-12-31')).toEqual({
        scheduled: { count: 1, amountFen: 50_000 },
        due: { count: 1, amountFen: 50_000 },
        blocked: { count: 1, amountFen: 50_000 },
        released: { count: 0, amountFen: 0 },
        forfeited: { count: 0, amountFen: 0 },
      });
      const blocked = (await store.blockedTranches()).filter((t) => t.contract_id === contractId);
      expect(blocked).toEqual([expect.objectContaining({ tranche_no: 2, blocked_reason: '2029 年度考核未通过' })]);
    });

    it('records a release once per voucher and never pays a tranche twice', async () => {
      const release = { contractId, trancheNo: 1, voucherRef: 'PZ-2028-0001', releasedBy: 'finance:zhang', releasedAt: at('2028-07-02') };
      const first = await store.releaseTranche(release);
      expect(first).toMatchObject({ status: 'released', voucher_ref: 'PZ-2028-0001' });
      expect(await store.releaseTranche(release)).toMatchObject({ status: 'released', voucher_ref: 'PZ-2028-0001' });
      await expect(store.releaseTranche({ ...release, voucherRef: 'PZ-2028-0002' })).rejects.toThrow(/already released with voucher PZ-2028-0001/);
      await expect(store.releaseTranche({ ...release, trancheNo: 2 })).rejects.toThrow(/is blocked, not due/);
      // A later schedule update does not touch a released row.
      await store.upsertRetentionTranches([{ contractId, projectId, trancheNo: 1, amountFen: 1, dueDate: '2028-06-30', condition: 'postEvaluation', status: 'due' }], at('2028-08-01'));
      const [tranche1] = await store.tranchesOfContract(contractId);
      expect(tranche1).toMatchObject({ status: 'released', amount_fen: 50_000, voucher_ref: 'PZ-2028-0001' });
    });
  });

  it('lists overdue open reviews and a role inbox by due date', async () => {
    const base = { projectId: `P-REV-${engine}`, jurisdiction: 'yiyang' as const, unit: '市城管局', stage: 'approval', assigneeRole: 'reviewOffice' as const, openedAt: at('2027-01-04'), dueProvisional: false };
    await store.openReview({ ...base, reviewKey: `R-${engine}-late`, dueDate: '2027-01-15' });
    await store.openReview({ ...base, reviewKey: `R-${engine}-late`, dueDate: '2027-01-15' });
    await store.openReview({ ...base, reviewKey: `R-${engine}-ok`, dueDate: '2027-02-20' });
    await store.openReview({ ...base, reviewKey: `R-${engine}-done`, dueDate: '2027-01-10' });
    await store.closeReview(`R-${engine}-done`, 'approved', at('2027-01-08'));
    const overdue = (await store.overdueReviews('2027-01-20')).map((r) => r.review_key).filter((key) => key.startsWith(`R-${engine}`));
    expect(overdue).toEqual([`R-${engine}-late`]);
    const inbox = (await store.openReviewsFor('reviewOffice')).map((r) => r.review_key).filter((key) => key.startsWith(`R-${engine}`));
    expect(inbox).toEqual([`R-${engine}-late`, `R-${engine}-ok`]);

    // Filters apply before the page is cut: another unit's earlier review never makes a unit's page short.
    await store.openReview({ ...base, unit: '市教育局', reviewKey: `R-${engine}-other-unit`, dueDate: '2027-01-05' });
    const keys = (rows: { review_key: string }[]) => rows.map((r) => r.review_key);
    expect(keys(await store.openReviewsFor('reviewOffice', { unit: '市城管局' }, { limit: 1, offset: 0 }))).toEqual([`R-${engine}-late`]);
    expect(keys(await store.openReviewsFor('reviewOffice', { unit: '市城管局' }, { limit: 1, offset: 1 }))).toEqual([`R-${engine}-ok`]);
    const overdueOn = (overdue: boolean) => ({ unit: '市城管局', overdueOn: { today: '2027-01-20', overdue } });
    expect(keys(await store.openReviewsFor('reviewOffice', overdueOn(true)))).toEqual([`R-${engine}-late`]);
    expect(keys(await store.openReviewsFor('reviewOffice', overdueOn(false)))).toEqual([`R-${engine}-ok`]);
    // The deadline is the end of the due date: due today is not overdue yet.
    expect(keys(await store.openReviewsFor('reviewOffice', { unit: '市城管局', overdueOn: { today: '2027-01-15', overdue: true } }))).toEqual([]);
  });

  describe('audit trail', () => {
    it('chains every write, also under concurrent appenders', async () => {
      await Promise.all(Array.from({ length: 25 }, (_, i) => store.registerProject(project(`P-CONC-${engine}-${i}`))));
      const verification = await store.verifyAuditChain();
      expect(verification).toMatchObject({ ok: true });
      expect(verification.entries).toBe(await count('audit_log'));
    });

    it('refuses UPDATE and DELETE in the database itself', async () => {
      // Matched by message: better-sqlite3's native addon is shared by every Jest test file in a
      // process, so its errors may come from another file's realm and fail `instanceof Error`.
      const appendOnly = { message: expect.stringMatching(/append-only/) };
      await expect(sql`UPDATE audit_log SET actor = 'x' WHERE seq = 1`.execute(storage.db)).rejects.toMatchObject(appendOnly);
      await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(storage.db)).rejects.toMatchObject(appendOnly);
    });

    it('names the first tampered entry when someone bypasses the trigger', async () => {
      const victim = 3;
      if (engine === 'sqlite') {
        await sql`DROP TRIGGER audit_log_no_update`.execute(storage.db);
        await sql`DROP TRIGGER audit_log_no_delete`.execute(storage.db);
      } else {
        await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(storage.db);
      }
      await sql`UPDATE audit_log SET actor = 'someone-else' WHERE seq = ${victim}`.execute(storage.db);
      expect(await store.verifyAuditChain()).toMatchObject({ ok: false, firstBrokenSeq: victim, reason: 'content does not match its hash' });

      // Rewriting the entry's hash too only moves the break to the next entry's link.
      const forged = await storage.db.selectFrom('audit_log').select('hash').where('seq', '=', victim).executeTakeFirstOrThrow();
      await sql`UPDATE audit_log SET hash = ${'f'.repeat(64)} WHERE seq = ${victim}`.execute(storage.db);
      expect(await store.verifyAuditChain()).toMatchObject({ ok: false, firstBrokenSeq: victim });
      expect(forged.hash).not.toBe('f'.repeat(64));

      // A removed entry is named as missing.
      await sql`DELETE FROM audit_log WHERE seq = 2`.execute(storage.db);
      expect(await store.verifyAuditChain()).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'entry 2 is missing' });
    });
  });
});

describe('embedded SQLite', () => {
  it('answers cross-project reads from indexes, not table scans', async () => {
    const storage = await openTestStorage('sqlite');
    try {
      const plan = async (query: string) =>
        (await sql.raw<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`).execute(storage.db)).rows.map((row) => row.detail).join(' | ');
      expect(await plan(`SELECT * FROM retention_tranches WHERE status = 'due' AND due_date BETWEEN '2028-01-01' AND '2028-12-31'`)).toMatch(/USING INDEX tranches_by_due/);
      expect(await plan(`SELECT * FROM retention_tranches WHERE due_date BETWEEN '2028-01-01' AND '2028-12-31' ORDER BY due_date, tranche_key`)).toMatch(/USING INDEX tranches_by_due_date/);
      expect(await plan(`SELECT * FROM reviews WHERE status = 'open' AND due_date < '2027-01-01'`)).toMatch(/USING INDEX reviews_open_by_due/);
      expect(await plan(`SELECT * FROM projects WHERE jurisdiction = 'yiyang' AND plan_year = 2027`)).toMatch(/USING INDEX projects_by_plan/);
      expect(await plan(`SELECT * FROM projects WHERE unit = 'x'`)).toMatch(/USING INDEX projects_by_unit/);
    } finally {
      await storage.close();
    }
  });

  it('keeps data at rest to its owner: the folder 0700, the database with its WAL and SHM and every document 0600', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'zhengwu-perm-')), 'data');
    const storage = await openDatabase({ sqliteFile: join(dir, 'zhengwu-flow.sqlite') });
    try {
      await createStore(storage).registerProject(project('P-PERM-1'));
      storeDocumentBytes(dir, Buffer.from('初步设计方案'));
      const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
      expect(mode(dir)).toBe('700');
      for (const file of ['zhengwu-flow.sqlite', 'zhengwu-flow.sqlite-wal', 'zhengwu-flow.sqlite-shm']) expect([file, mode(join(dir, file))]).toEqual([file, '600']);
      expect(mode(join(dir, 'documents'))).toBe('700');
      expect(readdirSync(join(dir, 'documents')).map((name) => mode(join(dir, 'documents', name)))).toEqual(['600']);
    } finally {
      await storage.close();
    }
  });

  it('runs in WAL mode so the API reads while the worker writes', async () => {
    const storage = await openTestStorage('sqlite');
    const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(storage.db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    await storage.close();
  });

  it('opens the same file again without re-running migrations', async () => {
    const first = await openTestStorage('sqlite');
    const file = (await sql<{ file: string }>`PRAGMA database_list`.execute(first.db)).rows[0]!.file;
    await first.close();
    const again = await openDatabase({ sqliteFile: file });
    const migrations = await sql<{ n: number }>`SELECT count(*) AS n FROM kysely_migration`.execute(again.db);
    expect(Number(migrations.rows[0]?.n)).toBe(Object.keys(await migrationProvider.getMigrations()).length);
    await again.close();
  });
});
