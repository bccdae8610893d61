import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import { openDatabase, type StorageOptions } from '../../activities/storage/database';
import { migrationProvider } from '../../activities/storage/migrations';
import type { Database } from '../../activities/storage/schema';
import { createStore } from '../../activities/storage/store';
import { createPostgresDatabase, engines } from '../helpers/storage';

/**
 * Upgrading a populated system of record: a database at migration 0008 (release 0.3.0) with projects
 * in it is opened by this release, and migration 0009 records the 000 §15 block of every Nanfeng
 * project that was awaiting its archive filing — and of no other project.
 */
describe.each(engines)('upgrading a 0.3.0 system of record on %s', (engine) => {
  it('000 §15: migration 0009 blocks the O&M money of Nanfeng projects awaiting their archive filing', async () => {
    let options: StorageOptions;
    let db: Kysely<Database>;
    if (engine === 'postgres') {
      const databaseUrl = await createPostgresDatabase();
      options = { databaseUrl, sqliteFile: '' };
      db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: databaseUrl }) }) });
    } else {
      const sqliteFile = join(mkdtempSync(join(tmpdir(), 'zhengwu-upgrade-')), 'test.sqlite');
      options = { sqliteFile };
      db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(sqliteFile) }) });
    }
    const migrated = await new Migrator({ db, provider: migrationProvider }).migrateTo('0008_units');
    expect(migrated.error).toBeUndefined();

    const old = createStore({ db, engine, close: () => db.destroy() });
    const projects = [
      { projectId: 'NF-AWAITING', jurisdiction: 'nanfeng', stage: 'archiveFiling' },
      { projectId: 'NF-OPERATING', jurisdiction: 'nanfeng', stage: 'operations' },
      { projectId: 'YY-AWAITING', jurisdiction: 'yiyang', stage: 'archiveFiling' },
    ];
    for (const [index, { projectId, jurisdiction, stage }] of projects.entries()) {
      await old.registerProject({
        projectId, name: '智慧社区', unit: '南丰镇集成指挥中心业务科', jurisdiction, profileVersion: `${jurisdiction}@2022`, planYear: 2027,
        investmentFen: 80_000_000, fundingSource: '镇财政', stage: 'finalAcceptance', registeredAt: '2027-01-04T01:00:00.000Z',
      });
      const steps = stage === 'operations' ? ['archiveFiling', 'operations'] : ['archiveFiling'];
      for (const [step, entered] of steps.entries()) {
        await old.recordStageEvent({
          eventKey: `${projectId}:${10 + step}`, projectId, stage: entered, kind: 'entered', reasons: [], rule: '000 §15',
          occurredAt: `2027-06-0${index + 1 + step}T02:00:00.000Z`,
        });
      }
    }
    await db.destroy();

    const upgraded = await openDatabase(options);
    try {
      const blocks = await createStore(upgraded).paymentBlocks({});
      expect(blocks.map((b) => ({ projectId: b.project_id, scope: b.scope, rule: b.rule, since: b.since, liftedAt: b.lifted_at }))).toEqual([
        { projectId: 'NF-AWAITING', scope: 'omFunding', rule: '000 §15', since: '2027-06-01T02:00:00.000Z', liftedAt: null },
      ]);
      // Filing the archive lifts it, as this release's workflow does.
      await createStore(upgraded).liftPaymentBlock({ projectId: 'NF-AWAITING', scope: 'omFunding', liftedAt: '2027-06-05T02:00:00.000Z' });
      expect(await createStore(upgraded).paymentBlocks({})).toEqual([]);
    } finally {
      await upgraded.close();
    }
  });
});
