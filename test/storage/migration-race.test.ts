import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Engine } from '../../activities/storage/database';
import { migrationProvider } from '../../activities/storage/migrations';
import { createPostgresDatabase } from '../helpers/storage';

/**
 * `npm start` runs the worker and the API as two processes that both open (and migrate) the system of
 * record at start-up. On a fresh data folder they used to collide: "Database migration
 * 0001_system_of_record failed: table "projects" already exists". Here several processes open the same
 * empty database at the same instant (a shared start time after each has loaded its code), round after
 * round, on both engines: every one must come up, and the schema must be migrated exactly once.
 */
const root = join(__dirname, '..', '..');
const PROCESSES = 4;

/** The compiled openDatabase (scripts/test.sh builds dist/), as the worker and the API run it. */
const opener = `
const { openDatabase } = require(${JSON.stringify(join(root, 'dist', 'activities', 'storage', 'database.js'))});
const [startAt, sqliteFile, databaseUrl] = process.argv.slice(1);
setTimeout(async () => {
  try {
    const storage = await openDatabase({ sqliteFile, databaseUrl: databaseUrl || undefined });
    await storage.close();
  } catch (error) {
    console.error(error.stack);
    process.exit(1);
  }
}, Math.max(0, Number(startAt) - Date.now()));
`;

function openAtOnce(target: { sqliteFile: string; databaseUrl?: string }): Promise<{ code: number | null; stderr: string }[]> {
  // Far enough ahead for every process to have loaded Kysely and its driver, even on a loaded machine.
  const startAt = Date.now() + 1_500;
  return Promise.all(
    Array.from({ length: PROCESSES }, () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['-e', opener, String(startAt), target.sqliteFile, target.databaseUrl ?? ''], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('exit', (code) => resolve({ code, stderr }));
      }),
    ),
  );
}

async function newTarget(engine: Engine): Promise<{ sqliteFile: string; databaseUrl?: string }> {
  const sqliteFile = join(mkdtempSync(join(tmpdir(), 'zhengwu-race-')), 'zhengwu-flow.sqlite');
  return engine === 'postgres' ? { sqliteFile, databaseUrl: await createPostgresDatabase() } : { sqliteFile };
}

describe.each<[Engine, number]>([
  ['sqlite', 8],
  ['postgres', 4],
])('start-up migration on %s with %i fresh databases', (engine, rounds) => {
  it(`${PROCESSES} processes opening one empty database at the same instant all come up, and each migration is applied once`, async () => {
    for (let round = 0; round < rounds; round += 1) {
      const target = await newTarget(engine);
      const outcomes = await openAtOnce(target);
      expect(outcomes.filter((outcome) => outcome.code !== 0)).toEqual([]);

      const storage = await openDatabase(target);
      try {
        const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(storage.db);
        const names = applied.rows.map((row) => row.name);
        expect(names).toEqual(Object.keys(await migrationProvider.getMigrations()).sort());
        // The schema is whole: a write to the last migration's table works.
        expect(await storage.db.selectFrom('idempotency_keys').select('key_hash').execute()).toEqual([]);
      } finally {
        await storage.close();
      }
    }
  });
});
