import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';
import type { Engine } from './database';

/**
 * The append-only audit trail. Each entry carries the hash of the previous one, so changing, removing
 * or reordering any entry breaks every hash after it; verifyAuditChain() names the first broken entry.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  /** Business key: the same key appends once, however often an activity is retried. */
  entryKey: string;
  occurredAt: string;
  actor: string;
  action: string;
  subject: string;
  payload: unknown;
}

/** JSON with object keys sorted, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function entryHash(prevHash: string, entry: { seq: number; entry_key: string; occurred_at: string; actor: string; action: string; subject: string; payload: string }): string {
  const content = canonicalJson({
    seq: entry.seq,
    entryKey: entry.entry_key,
    occurredAt: entry.occurred_at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    payload: entry.payload,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/**
 * Appends inside the caller's transaction, so the audit entry commits with the record it describes.
 * On PostgreSQL a transaction-scoped advisory lock serialises appenders (the chain has one tail);
 * SQLite transactions are serialised already.
 */
export async function appendAudit(
  trx: Transaction<Database>,
  engine: Engine,
  input: AuditEntryInput,
): Promise<{ seq: number; hash: string; appended: boolean }> {
  if (engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(4242001)`.execute(trx);
  const existing = await trx.selectFrom('audit_log').select(['seq', 'hash']).where('entry_key', '=', input.entryKey).executeTakeFirst();
  if (existing) return { seq: Number(existing.seq), hash: existing.hash, appended: false };

  const tail = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const row = {
    seq: tail ? Number(tail.seq) + 1 : 1,
    entry_key: input.entryKey,
    occurred_at: input.occurredAt,
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    payload: canonicalJson(input.payload),
    prev_hash: tail?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(row.prev_hash, row);
  await trx.insertInto('audit_log').values({ ...row, hash }).execute();
  return { seq: row.seq, hash, appended: true };
}

export type AuditVerification =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; firstBrokenSeq: number; reason: string };

/** Walks the whole chain in order, in pages, and reports the first entry that does not verify. */
export async function verifyAuditChain(db: Kysely<Database>, pageSize = 1000): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of page) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return { ok: false, entries, firstBrokenSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (row.prev_hash !== prevHash) return { ok: false, entries, firstBrokenSeq: seq, reason: 'prev_hash does not match the previous entry' };
      if (entryHash(prevHash, { ...row, seq }) !== row.hash) return { ok: false, entries, firstBrokenSeq: seq, reason: 'content does not match its hash' };
      prevHash = row.hash;
      expectedSeq += 1;
      entries += 1;
    }
    if (page.length < pageSize) return { ok: true, entries, lastHash: prevHash };
  }
}
