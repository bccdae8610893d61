import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../activities/storage/schema';
import { principalOf } from './auth';
import { problem, ProblemError } from './problems';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Idempotency-Key on POST and PUT: the first request with a key runs and its response is stored; a
 * repeat with the same key (same caller, same request) gets that response again, marked
 * `Idempotent-Replayed: true`, without running again. A repeat while the first still runs gets 409; the
 * same key with a different request gets 422. Keys are stored in the system of record, so every API
 * process shares them. A 5xx is not stored, so the request can be retried.
 */
export function idempotency(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key === undefined || (req.method !== 'POST' && req.method !== 'PUT')) return next();
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      return next(new ProblemError({ type: 'https://zhengwu-flow.example/problems/validation', title: 'Invalid request', status: 422, detail: 'Idempotency-Key: must be 1–200 visible ASCII characters', errors: [{ pointer: '/headers/idempotency-key', detail: 'must be 1–200 visible ASCII characters' }] }));
    }
    const principal = principalOf(res).id;
    const keyHash = sha256(`${principal}\n${key}`);
    // The request's fingerprint: method, URL and body — a document's bytes as they are, with their type.
    const requestHash = Buffer.isBuffer(req.body)
      ? createHash('sha256').update(`${req.method} ${req.originalUrl}\n${req.get('content-type')}\n`).update(req.body).digest('hex')
      : sha256(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`);

    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ key_hash: keyHash, principal, request_hash: requestHash, status: 'pending', response_status: null, response_type: null, response_body: null, response_location: null, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('key_hash').doNothing())
      .executeTakeFirst();

    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const existing = await db.selectFrom('idempotency_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirstOrThrow();
      if (existing.request_hash !== requestHash) {
        return next(problem.rule('This Idempotency-Key was already used for a different request', 'idempotency', '/headers/idempotency-key'));
      }
      if (existing.status !== 'done') return next(problem.conflict('A request with this Idempotency-Key is still being processed; retry shortly'));
      res.status(existing.response_status!).setHeader('Idempotent-Replayed', 'true');
      if (existing.response_type) res.type(existing.response_type);
      if (existing.response_location) res.location(existing.response_location);
      return void res.send(existing.response_body ?? '');
    }

    // Store the response before it leaves, so a repeat that follows it always finds it.
    const send = res.send.bind(res);
    res.send = ((payload?: unknown) => {
      const status = res.statusCode;
      const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload ?? '');
      const stored =
        status >= 500
          ? db.deleteFrom('idempotency_keys').where('key_hash', '=', keyHash).execute()
          : db
              .updateTable('idempotency_keys')
              .set({
                status: 'done', response_status: status, response_type: String(res.getHeader('content-type') ?? ''), response_body: text,
                response_location: res.getHeader('location') === undefined ? null : String(res.getHeader('location')),
              })
              .where('key_hash', '=', keyHash)
              .execute();
      stored
        .catch((error: unknown) => console.error('Could not store the idempotent response', error))
        .finally(() => send(payload as never));
      return res;
    }) as typeof res.send;
    next();
  };
}
