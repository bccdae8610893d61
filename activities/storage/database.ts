import SQLite from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
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
  let database: SQLite.Database | undefined;
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
    // The system of record is the owner's alone: its folder 0700, the file and its WAL/SHM 0600.
    mkdirSync(dirname(options.sqliteFile), { recursive: true, mode: 0o700 });
    database = new SQLite(options.sqliteFile);
    // Opening waits as long as a migration may take (migrateSqlite then sets the everyday busy_timeout).
    database.pragma(`busy_timeout = ${SQLITE_MIGRATION_WAIT_MS}`);
    await useWriteAheadLog(database);
    database.pragma('foreign_keys = ON');
    for (const file of [options.sqliteFile, `${options.sqliteFile}-wal`, `${options.sqliteFile}-shm`]) {
      if (existsSync(file)) chmodSync(file, 0o600);
    }
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  }
  try {
    if (database) await migrateSqlite(db, database);
    else await migrate(new Migrator({ db, provider: migrationProvider }));
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, engine, close: () => db.destroy() };
}

/**
 * WAL lets the API read while the worker writes. Switching a new file to WAL needs the file to itself,
 * and SQLite does not run the busy handler for that switch: a process opening the file while another
 * one converts or migrates it got "database is locked" at once. WAL is a property of the file, so the
 * current mode is read first (no lock once any process has switched it); otherwise the switch is
 * tried again with a growing pause until it, or another process, has made the file WAL.
 */
async function useWriteAheadLog(database: SQLite.Database): Promise<void> {
  const deadline = Date.now() + SQLITE_MIGRATION_WAIT_MS;
  for (let pause = 5; ; pause = Math.min(pause * 2, 250)) {
    try {
      if (database.pragma('journal_mode', { simple: true }) === 'wal') return;
      if (database.pragma('journal_mode = WAL', { simple: true }) === 'wal') return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    }
    if (Date.now() > deadline) throw new Error(`Could not switch ${database.name} to WAL: another process kept it locked for ${SQLITE_MIGRATION_WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** How long a process waits for another one's migration before giving up (a loaded machine is slow). */
const SQLITE_MIGRATION_WAIT_MS = 120_000;

/**
 * The worker and the API both open the database at start-up and may do so at the same instant. On
 * PostgreSQL Kysely's migrator already serialises them (a transaction holding an advisory lock). On
 * SQLite it takes no lock at all, so two processes both saw "0001 not applied" and the second failed
 * with "table projects already exists". Here the whole migration runs inside one BEGIN IMMEDIATE
 * transaction: the second process waits for the write lock, then finds the schema up to date. SQLite
 * DDL is transactional, so a failed migration leaves nothing half-applied.
 */
async function migrateSqlite(db: Kysely<Database>, database: SQLite.Database): Promise<void> {
  try {
    database.exec('BEGIN IMMEDIATE');
    let applied = false;
    try {
      await migrate(new Migrator({ db, provider: migrationProvider, disableTransactions: true }));
      applied = true;
    } finally {
      database.exec(applied ? 'COMMIT' : 'ROLLBACK');
    }
  } finally {
    // Everyday writes ride out the other process's writes for a few seconds.
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  }
}

async function migrate(migrator: Migrator): Promise<void> {
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${(error as Error).message ?? error}`);
  }
}
