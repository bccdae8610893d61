import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openDatabase, type Engine, type StorageHandle } from '../../activities/storage/database';

export const engines: Engine[] = ['sqlite', 'postgres'];

/** A URL for a new, empty database on the test PostgreSQL server that scripts/test.sh started. */
export async function createPostgresDatabase(): Promise<string> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test` (it starts PostgreSQL)');
  const name = `t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, migrated system of record on the given engine. */
export async function openTestStorage(engine: Engine): Promise<StorageHandle> {
  if (engine === 'postgres') {
    return openDatabase({ databaseUrl: await createPostgresDatabase(), sqliteFile: '' });
  }
  return openDatabase({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'zhengwu-sqlite-')), 'test.sqlite') });
}
