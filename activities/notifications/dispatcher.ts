import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import { deliver, DeliveryError, endpointOf, type Channel, type ChannelContext } from './channels';

export interface DispatcherOptions {
  /** Most messages claimed per pass. */
  batchSize: number;
  /** How long a claimed message is reserved for this dispatcher before another may take it. */
  leaseMs: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** After this many failed attempts a message is marked failed (still kept, and listed for admins). */
  maxAttempts: number;
  /** Robot limit: messages per endpoint per minute (DingTalk/WeCom allow about 20). */
  robotPerMinute: number;
}

export const defaultDispatcherOptions: DispatcherOptions = {
  batchSize: 20,
  leaseMs: 60_000,
  baseBackoffMs: 2_000,
  maxBackoffMs: 3_600_000,
  maxAttempts: 30,
  robotPerMinute: 20,
};

const ROBOTS: ReadonlySet<string> = new Set(['dingtalk', 'wecom']);

export interface DispatchSummary {
  sent: number;
  retried: number;
  failed: number;
  throttled: number;
}

/**
 * Delivers the outbox. A message is claimed with a lease (one dispatcher at a time), delivered, then
 * marked sent — so it is sent once per idempotency key; if a dispatcher dies between delivering and
 * marking, the lease expires and the message goes again with the same Idempotency-Key for the
 * receiver to drop. Every attempt is recorded.
 */
export function createDispatcher(db: Kysely<Database>, context: ChannelContext, options: DispatcherOptions = defaultDispatcherOptions) {
  const backoffMs = (attempts: number) => {
    const base = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  };

  async function claim(key: string, now: Date): Promise<boolean> {
    const result = await db
      .updateTable('notification_outbox')
      .set({ lease_until: new Date(now.getTime() + options.leaseMs).toISOString() })
      .where('idempotency_key', '=', key)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString())]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** When the endpoint may take another message, or null if it may now. */
  async function robotSlot(endpoint: string, now: Date): Promise<Date | null> {
    const windowStart = new Date(now.getTime() - 60_000).toISOString();
    const recent = await db
      .selectFrom('notification_attempts')
      .select('attempted_at')
      .where('endpoint', '=', endpoint)
      .where('attempted_at', '>', windowStart)
      .orderBy('attempted_at')
      .execute();
    if (recent.length < options.robotPerMinute) return null;
    const oldestCounted = recent[recent.length - options.robotPerMinute]!;
    return new Date(new Date(oldestCounted.attempted_at).getTime() + 60_000);
  }

  async function runOnce(): Promise<DispatchSummary> {
    const summary: DispatchSummary = { sent: 0, retried: 0, failed: 0, throttled: 0 };
    const now = context.now();
    const due = await db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now.toISOString())
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString())]))
      .orderBy('next_attempt_at')
      .limit(options.batchSize)
      .execute();

    for (const message of due) {
      const channel = message.channel as Channel;
      const target = JSON.parse(message.target) as unknown;
      const endpoint = endpointOf(channel, target);
      if (ROBOTS.has(channel)) {
        const slot = await robotSlot(endpoint, context.now());
        if (slot) {
          // Over the robot's limit: wait for a slot instead of failing.
          await db.updateTable('notification_outbox').set({ next_attempt_at: slot.toISOString() }).where('idempotency_key', '=', message.idempotency_key).execute();
          summary.throttled += 1;
          continue;
        }
      }
      if (!(await claim(message.idempotency_key, context.now()))) continue;

      const attemptNo = message.attempts + 1;
      const attemptedAt = context.now().toISOString();
      let outcome: 'sent' | 'retry' | 'failed' = 'sent';
      let detail: string | null = null;
      try {
        await deliver(channel, target, {
          idempotencyKey: message.idempotency_key,
          kind: message.kind,
          locale: message.locale,
          subject: message.subject,
          body: message.body,
          projectId: message.project_id,
          recipientRole: message.recipient_role,
          unit: message.unit,
        }, context);
      } catch (error) {
        detail = (error as Error).message;
        const retryable = !(error instanceof DeliveryError) || error.retryable;
        outcome = retryable && attemptNo < options.maxAttempts ? 'retry' : 'failed';
      }

      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('notification_attempts')
          .values({ attempt_key: `${message.idempotency_key}#${attemptNo}`, idempotency_key: message.idempotency_key, attempt_no: attemptNo, endpoint, attempted_at: attemptedAt, outcome, detail })
          .onConflict((oc) => oc.column('attempt_key').doNothing())
          .execute();
        await trx
          .updateTable('notification_outbox')
          .set({
            attempts: attemptNo,
            lease_until: null,
            last_error: detail,
            ...(outcome === 'sent' ? { status: 'sent', sent_at: context.now().toISOString() } : {}),
            ...(outcome === 'failed' ? { status: 'failed' } : {}),
            ...(outcome === 'retry' ? { next_attempt_at: new Date(context.now().getTime() + backoffMs(attemptNo)).toISOString() } : {}),
          })
          .where('idempotency_key', '=', message.idempotency_key)
          .execute();
      });
      summary[outcome === 'sent' ? 'sent' : outcome === 'retry' ? 'retried' : 'failed'] += 1;
    }
    return summary;
  }

  /** Runs passes every `intervalMs` until stopped; a failing pass is logged and the loop goes on. */
  function start(intervalMs: number, onError: (error: unknown) => void): () => Promise<void> {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let current: Promise<unknown> = Promise.resolve();
    const tick = () => {
      current = runOnce()
        .catch(onError)
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, intervalMs);
        });
    };
    tick();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    };
  }

  return { runOnce, start };
}
