import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { HealthCheckRecord } from '../domain/monitoring';
import type { ContractRecord, DevelopmentRestriction, PaymentBlock, RetentionTranche, ReviewRecord, StageEvent } from '../domain/records';
import { enqueueNotification, type NotificationRequest } from './notifications/outbox';
import { RETENTION_WORKFLOW_TYPE, retentionTermsFromWorkflow } from './retention-terms';
import type { Database } from './storage/schema';
import type { RetentionTerms, Store } from './storage/store';

/**
 * Everything one workflow transition writes, in one activity: fewer activities keep a project's
 * history small over its years. Each part is idempotent by its own business key, so a retried
 * transition completes what a crashed attempt began without doubling anything.
 */
export interface Transition {
  events?: StageEvent[];
  openReview?: ReviewRecord;
  closeReview?: { reviewKey: string; status: string; decidedAt: string };
  rescheduleReview?: { reviewKey: string; dueDate: string; provisional: boolean };
  breachReview?: string;
  contract?: ContractRecord;
  /** A project procured in lots: one contract per lot. */
  contracts?: ContractRecord[];
  tranches?: { items: RetentionTranche[]; at: string };
  paymentBlock?: PaymentBlock;
  /** Lifts the project's open blocks of the scope, or only the one that began at `since` (one 003 §31 problem of several). */
  liftPaymentBlock?: { projectId: string; scope: PaymentBlock['scope']; since?: string; subject?: string; liftedAt: string };
  /** A unit barred from building, rebuilding or extending systems while a deficiency of its system is open (004 §17). */
  restriction?: DevelopmentRestriction;
  liftRestriction?: { restrictionKey: string; liftedAt: string };
  /** A health check of a system in operation (002 (二)), kept once by its key. */
  healthCheck?: HealthCheckRecord;
  notifications?: NotificationRequest[];
}

export function createTransitionActivity(store: Store, db: Kysely<Database>, now: () => Date, client: Client) {
  /**
   * The terms to keep with a retention workflow's first ledger, so finance reads the whole retention
   * from the system of record. The workflow passes only its tranches (its commands cannot change), so
   * the terms come from its start, once per contract; a project's forfeited ledger has none.
   */
  const retentionTerms = async (items: RetentionTranche[]): Promise<RetentionTerms | undefined> => {
    const { workflowType, workflowExecution } = Context.current().info;
    const contractId = items[0]?.contractId;
    if (workflowType !== RETENTION_WORKFLOW_TYPE || !workflowExecution || contractId === undefined || (await store.retentionTermsRecorded(contractId))) return undefined;
    return retentionTermsFromWorkflow(client, workflowExecution.workflowId);
  };

  return async function recordTransition(transition: Transition): Promise<void> {
    for (const contract of [...(transition.contract ? [transition.contract] : []), ...(transition.contracts ?? [])]) await store.recordContract(contract);
    for (const event of transition.events ?? []) await store.recordStageEvent(event);
    if (transition.healthCheck) await store.recordHealthCheck(transition.healthCheck);
    if (transition.openReview) await store.openReview(transition.openReview);
    if (transition.rescheduleReview) {
      const { reviewKey, dueDate, provisional } = transition.rescheduleReview;
      await store.rescheduleReview(reviewKey, dueDate, provisional);
    }
    if (transition.closeReview) {
      const { reviewKey, status, decidedAt } = transition.closeReview;
      await store.closeReview(reviewKey, status, decidedAt);
    }
    if (transition.breachReview) await store.markReviewBreached(transition.breachReview);
    if (transition.tranches) {
      const { items, at } = transition.tranches;
      await store.upsertRetentionTranches(items, at, await retentionTerms(items));
    }
    if (transition.paymentBlock) await store.blockPayments(transition.paymentBlock);
    if (transition.liftPaymentBlock) await store.liftPaymentBlock(transition.liftPaymentBlock);
    if (transition.restriction) await store.restrictDevelopment(transition.restriction);
    if (transition.liftRestriction) await store.liftRestriction(transition.liftRestriction);
    for (const notification of transition.notifications ?? []) await enqueueNotification(db, notification, now());
  };
}
