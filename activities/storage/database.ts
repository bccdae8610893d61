import SQLite from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool, types } from 'pg';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export type Engine = 'sqlite' | 'postgres';

export interface StorageOptions {
  /** postgres://… selects PostgreSQL; unset selects the embedded SQLite file. */
  databaseUrl?: string;
  /** The SQLite file (created with its folder if missing). */
  sqliteFile: string;
}

export interface StorageHandle {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

export function storageOptionsFrom(config: { DATABASE_URL?: string; DATA_DIR: string }): StorageOptions {
  return { databaseUrl: config.DATABASE_URL, sqliteFile: join(config.DATA_DIR, 'zhengwu-flow.sqlite') };
}

/** BIGINT arrives from node-postgres as text; money must come back as an exact JS number. */
function parseBigint(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT ${text} exceeds the safe integer range`);
  return value;
}

/** Opens the system of record and brings its schema up to date (idempotent; safe from several processes). */
export async function openDatabase(options: StorageOptions): Promise<StorageHandle> {
  let db: Kysely<Database>;
  let engine: Engine;
  if (options.databaseUrl) {
    engine = 'postgres';
    const pool = new Pool({
      connectionString: options.databaseUrl,
      max: 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === types.builtins.INT8 ? parseBigint : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
      },
    });
    // An idle connection that the server drops (restart, failover) is reported here; without a
    // listener the 'error' event would crash the process. The pool discards it and reconnects, and
    // the activities that were writing are retried by Temporal.
    const lost = (error: Error) => console.warn(`PostgreSQL connection lost: ${error.message}`);
    pool.on('error', lost);
    // The same for a connection that is checked out (e.g. inside a transaction) when the server goes.
    pool.on('connect', (client) => client.on('error', lost));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    engine = 'sqlite';
    mkdirSync(dirname(options.sqliteFile), { recursive: true });
    const database = new SQLite(options.sqliteFile);
    // WAL lets the API read while the worker writes; busy_timeout rides out the other process's writes.
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  }

  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${(error as Error).message ?? error}`);
  }
  return { db, engine, close: () => db.destroy() };
}
