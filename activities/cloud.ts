import type { Kysely } from 'kysely';
import type { CloudEvent, CloudResourceRecord } from '../domain/cloud';
import { enqueueNotification, type NotificationRequest } from './notifications/outbox';
import type { Database } from './storage/schema';
import type { Store } from './storage/store';

/**
 * Everything one step of a cloud resource writes, in one activity (like recordTransition for projects):
 * the resource's row as it stands, the step's events into the event log and the audit chain, and the
 * notifications into the outbox. Each part is idempotent by its business key, so a retried activity
 * writes each once.
 */
export interface CloudTransition {
  resource?: CloudResourceRecord;
  events?: CloudEvent[];
  notifications?: NotificationRequest[];
}

export function createCloudTransitionActivity(store: Store, db: Kysely<Database>, now: () => Date) {
  return async function recordCloudTransition(transition: CloudTransition): Promise<void> {
    // The row first: the events refer to it.
    if (transition.resource) await store.recordCloudResource(transition.resource);
    for (const event of transition.events ?? []) await store.recordCloudEvent(event);
    for (const notification of transition.notifications ?? []) await enqueueNotification(db, notification, now());
  };
}
