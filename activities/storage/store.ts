import type { Selectable, Transaction } from 'kysely';
import type { z } from 'zod';
import { retentionStateSchema, SYSTEM_INTEGRITY, type RetentionState } from '../../domain/lifecycle';
import {
  contractRecordSchema,
  developmentRestrictionSchema,
  documentRecordSchema,
  paymentBlockKey,
  paymentBlockSchema,
  projectRecordSchema,
  retentionTrancheSchema,
  reviewRecordSchema,
  stageEventSchema,
  trancheReleaseSchema,
  trancheStatusSchema,
  type BusinessDate,
  type ContractRecord,
  type DevelopmentRestriction,
  type DocumentRecord,
  type PaymentBlock,
  type ProjectRecord,
  type RetentionTranche,
  type ReviewRecord,
  type StageEvent,
  type TrancheRelease,
  type TrancheStatus,
} from '../../domain/records';
import { cloudEventSchema, cloudResourceRecordSchema, type CloudEvent, type CloudResourceRecord } from '../../domain/cloud';
import { paymentRecordSchema, type OpenPaymentBlock, type PaymentBlockScope, type PaymentRecord } from '../../domain/payments';
import { healthCheckRecordSchema, type HealthCheckRecord } from '../../domain/monitoring';
import { appendAudit, verifyAuditChain } from './audit';
import { workerStatus } from './heartbeats';
import type { StorageHandle } from './database';
import type { CloudResourcesTable, Database, DocumentsTable, HealthChecksTable, ProjectPaymentsTable, RetentionTranchesTable } from './schema';

/** A write whose business key exists with different content: retrying cannot fix it. */
export class ConflictingWriteError extends Error {
  readonly name = 'ConflictingWriteError';
}

export interface Page {
  limit: number;
  offset: number;
}

export interface ProjectFilter {
  stage?: string;
  jurisdiction?: string;
  planYear?: number;
  unit?: string;
}

export interface InboxFilter {
  /** Only this unit's projects (a unit's own inbox). */
  unit?: string;
  /** Only reviews overdue (or only those not overdue) on this business date: the deadline is the end of the due date. */
  overdueOn?: { today: BusinessDate; overdue: boolean };
}

export type TrancheRow = Selectable<RetentionTranchesTable>;
/**
 * What finance's tranche lists show. Only these are read: a month's CSV is hundreds of rows, and on
 * SQLite every column of every row costs (measured in bench/finance-reads.ts).
 */
const trancheViewColumns = ['contract_id', 'project_id', 'tranche_no', 'amount_fen', 'due_date', 'condition', 'status', 'blocked_reason', 'voucher_ref', 'released_at'] as const;
export type TrancheView = Pick<TrancheRow, (typeof trancheViewColumns)[number]>;

/** What a contract's retention runs on, as its workflow was started with it: its state without the tranches. */
const retentionTermsSchema = retentionStateSchema.omit({ tranches: true });
export type RetentionTerms = z.infer<typeof retentionTermsSchema>;
export type CloudResourceRow = Selectable<CloudResourcesTable>;
export type PaymentRow = Selectable<ProjectPaymentsTable>;

/** A stored health check as the domain names it (the flag read back as a boolean). */
function healthCheckFromRow(row: Selectable<HealthChecksTable>): HealthCheckRecord {
  return {
    checkKey: row.check_key,
    projectId: row.project_id,
    period: row.period,
    source: row.source as HealthCheckRecord['source'],
    healthy: Number(row.healthy) === 1,
    detail: row.detail,
    endpoint: row.endpoint,
    checkedAt: row.checked_at,
    recordedBy: row.recorded_by,
  };
}

export interface CloudResourceFilter {
  unit?: string;
  stage?: string;
  status?: string;
  jurisdiction?: string;
  projectId?: string;
}

/**
 * The system of record. Every write is idempotent by its business key and commits together with its
 * audit entry; every cross-project read is one indexed query.
 */
export function createStore({ db, engine }: StorageHandle) {
  async function registerProject(input: ProjectRecord): Promise<{ created: boolean }> {
    const project = projectRecordSchema.parse(input);
    return db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('projects')
        .values({
          project_id: project.projectId,
          name: project.name,
          unit: project.unit,
          jurisdiction: project.jurisdiction,
          profile_version: project.profileVersion,
          plan_year: project.planYear,
          investment_fen: project.investmentFen,
          funding_source: project.fundingSource,
          flags: JSON.stringify(project.flags),
          stage: project.stage,
          registered_at: project.registeredAt,
          updated_at: project.registeredAt,
        })
        .onConflict((oc) => oc.column('project_id').doNothing())
        .executeTakeFirst();
      const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      await appendAudit(trx, engine, {
        entryKey: `project:${project.projectId}:registered`,
        occurredAt: project.registeredAt,
        actor: project.unit,
        action: 'project.registered',
        subject: project.projectId,
        payload: project,
      });
      return { created };
    });
  }

  /** Records a stage event (entry, decision, submission, reminder…) and moves the project's stage. */
  async function recordStageEvent(input: StageEvent): Promise<{ created: boolean }> {
    const event = stageEventSchema.parse(input);
    return db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('stage_events')
        .values({
          event_key: event.eventKey,
          project_id: event.projectId,
          stage: event.stage,
          kind: event.kind,
          actor_id: event.actorId ?? null,
          actor_role: event.actorRole ?? null,
          decision: event.decision ?? null,
          reasons: JSON.stringify(event.reasons),
          rule: event.rule ?? null,
          occurred_at: event.occurredAt,
        })
        .onConflict((oc) => oc.column('event_key').doNothing())
        .executeTakeFirst();
      const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      if (created && event.kind === 'entered') {
        await trx
          .updateTable('projects')
          .set({ stage: event.stage, updated_at: event.occurredAt })
          .where('project_id', '=', event.projectId)
          .execute();
      }
      await appendAudit(trx, engine, {
        entryKey: `stage-event:${event.eventKey}`,
        occurredAt: event.occurredAt,
        actor: event.actorId ?? 'system',
        action: `stage.${event.kind}`,
        subject: event.projectId,
        payload: event,
      });
      return { created };
    });
  }

  async function openReview(input: ReviewRecord): Promise<{ created: boolean }> {
    const review = reviewRecordSchema.parse(input);
    const inserted = await db
      .insertInto('reviews')
      .values({
        review_key: review.reviewKey,
        project_id: review.projectId,
        jurisdiction: review.jurisdiction,
        unit: review.unit,
        stage: review.stage,
        assignee_role: review.assigneeRole,
        opened_at: review.openedAt,
        due_date: review.dueDate,
        due_provisional: review.dueProvisional ? 1 : 0,
        status: 'open',
        decided_at: null,
        breached: 0,
      })
      .onConflict((oc) => oc.column('review_key').doNothing())
      .executeTakeFirst();
    return { created: Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 };
  }

  /** Moves a review's due date (clock paused or restarted, calendar data published). */
  async function rescheduleReview(reviewKey: string, dueDate: BusinessDate, provisional: boolean): Promise<void> {
    await db
      .updateTable('reviews')
      .set({ due_date: dueDate, due_provisional: provisional ? 1 : 0 })
      .where('review_key', '=', reviewKey)
      .execute();
  }

  async function closeReview(reviewKey: string, status: string, decidedAt: string): Promise<void> {
    await db
      .updateTable('reviews')
      .set({ status, decided_at: decidedAt })
      .where('review_key', '=', reviewKey)
      .where('status', '=', 'open')
      .execute();
  }

  async function markReviewBreached(reviewKey: string): Promise<void> {
    await db.updateTable('reviews').set({ breached: 1 }).where('review_key', '=', reviewKey).execute();
  }

  async function recordContract(input: ContractRecord): Promise<{ created: boolean }> {
    const contract = contractRecordSchema.parse(input);
    return db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('contracts').selectAll().where('contract_id', '=', contract.contractId).executeTakeFirst();
      if (existing) {
        if (existing.project_id !== contract.projectId || Number(existing.sum_fen) !== contract.sumFen) {
          throw new ConflictingWriteError(`Contract ${contract.contractId} is already filed with different terms`);
        }
        return { created: false };
      }
      await trx
        .insertInto('contracts')
        .values({
          contract_id: contract.contractId,
          project_id: contract.projectId,
          contractor: contract.contractor,
          sum_fen: contract.sumFen,
          om_years: contract.omYears,
          om_legal_basis: contract.omLegalBasis ?? null,
          signed_date: contract.signedDate,
          filed_at: contract.filedAt,
        })
        .execute();
      await appendAudit(trx, engine, {
        entryKey: `contract:${contract.contractId}:filed`,
        occurredAt: contract.filedAt,
        actor: contract.projectId,
        action: 'contract.filed',
        subject: contract.projectId,
        payload: contract,
      });
      return { created: true };
    });
  }

  /**
   * The terms of a contract's retention, once: they never change after the workflow starts. No audit entry
   * of their own — they restate the filed contract's sum and the acceptance, both audited where they
   * were recorded, and the policy's article.
   */
  async function insertRetentionTerms(trx: Transaction<Database>, input: RetentionTerms, recordedAt: string): Promise<void> {
    const terms = retentionTermsSchema.parse(input);
    await trx
      .insertInto('retention_terms')
      .values({
        contract_id: terms.contractId, project_id: terms.projectId, sum_fen: terms.sumFen, withheld_fen: terms.withheldFen,
        accepted_on: terms.acceptedOn, rule: terms.rule, recorded_at: recordedAt,
      })
      .onConflict((oc) => oc.column('contract_id').doNothing())
      .execute();
  }

  /**
   * Writes (or updates) the retention ledger's tranches of one contract; released rows never change.
   * With `terms` (the retention workflow's first ledger), the terms commit in the same transaction, so
   * a reader never finds the tranches of a retention without its terms.
   */
  async function upsertRetentionTranches(inputs: RetentionTranche[], occurredAt: string, terms?: RetentionTerms): Promise<void> {
    const tranches = inputs.map((input) => retentionTrancheSchema.parse(input));
    await db.transaction().execute(async (trx) => {
      if (terms) await insertRetentionTerms(trx, terms, occurredAt);
      for (const tranche of tranches) {
        const trancheKey = `${tranche.contractId}#${tranche.trancheNo}`;
        await trx
          .insertInto('retention_tranches')
          .values({
            tranche_key: trancheKey,
            contract_id: tranche.contractId,
            project_id: tranche.projectId,
            tranche_no: tranche.trancheNo,
            amount_fen: tranche.amountFen,
            due_date: tranche.dueDate,
            condition: tranche.condition,
            status: tranche.status,
            blocked_reason: tranche.blockedReason,
            voucher_ref: null,
            released_at: null,
            released_by: null,
            updated_at: occurredAt,
          })
          .onConflict((oc) =>
            oc
              .column('tranche_key')
              .doUpdateSet({
                amount_fen: tranche.amountFen,
                due_date: tranche.dueDate,
                condition: tranche.condition,
                status: tranche.status,
                blocked_reason: tranche.blockedReason,
                updated_at: occurredAt,
              })
              .where('retention_tranches.status', '<>', 'released'),
          )
          .execute();
        await appendAudit(trx, engine, {
          entryKey: `tranche:${trancheKey}:${tranche.status}:${tranche.dueDate ?? '-'}:${tranche.blockedReason ?? '-'}`,
          occurredAt,
          actor: 'system',
          action: `retention.${tranche.status}`,
          subject: tranche.projectId,
          payload: tranche,
        });
      }
    });
  }

  /**
   * Finance records an actual payment. Idempotent for the same voucher; a second, different voucher
   * for a released tranche is refused, so one tranche is never paid twice.
   */
  async function releaseTranche(input: TrancheRelease): Promise<TrancheRow> {
    const release = trancheReleaseSchema.parse(input);
    const trancheKey = `${release.contractId}#${release.trancheNo}`;
    return db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('retention_tranches').selectAll().where('tranche_key', '=', trancheKey).executeTakeFirst();
      if (!row) throw new ConflictingWriteError(`No retention tranche ${release.trancheNo} for contract ${release.contractId}`);
      if (row.status === 'released') {
        if (row.voucher_ref === release.voucherRef) return row;
        throw new ConflictingWriteError(`Tranche ${trancheKey} was already released with voucher ${row.voucher_ref}`);
      }
      if (row.status !== 'due') {
        throw new ConflictingWriteError(`Tranche ${trancheKey} is ${row.status}, not due: it cannot be released`);
      }
      const updated = await trx
        .updateTable('retention_tranches')
        .set({ status: 'released', voucher_ref: release.voucherRef, released_at: release.releasedAt, released_by: release.releasedBy, updated_at: release.releasedAt })
        .where('tranche_key', '=', trancheKey)
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendAudit(trx, engine, {
        entryKey: `tranche:${trancheKey}:released`,
        occurredAt: release.releasedAt,
        actor: release.releasedBy,
        action: 'retention.released',
        subject: row.project_id,
        payload: { ...release, amountFen: Number(row.amount_fen) },
      });
      return updated;
    });
  }

  async function recordDocument(input: DocumentRecord): Promise<{ created: boolean; stored: Selectable<DocumentsTable> }> {
    const document = documentRecordSchema.parse(input);
    return db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('documents')
        .values({
          document_id: document.documentId,
          project_id: document.projectId,
          kind: document.kind,
          title: document.title,
          sha256: document.sha256,
          size_bytes: document.sizeBytes,
          storage_uri: document.storageUri,
          uploaded_by: document.uploadedBy,
          uploaded_at: document.uploadedAt,
        })
        .onConflict((oc) => oc.column('document_id').doNothing())
        .executeTakeFirst();
      const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      // The same bytes again keep the first record; who sent them again, and under what title, is
      // still part of the project's trail.
      await appendAudit(trx, engine, {
        entryKey: created ? `document:${document.documentId}` : `document:${document.documentId}:again:${document.uploadedBy}:${document.uploadedAt}`,
        occurredAt: document.uploadedAt,
        actor: document.uploadedBy,
        action: created ? 'document.attached' : 'document.attachedAgain',
        subject: document.projectId,
        payload: document,
      });
      const stored = await trx.selectFrom('documents').selectAll().where('document_id', '=', document.documentId).executeTakeFirstOrThrow();
      return { created, stored };
    });
  }

  // ---- Cross-project reads (indexed; never a fan-out over workflows) ----

  /**
   * Finance: every tranche whose due date falls in [from, to] (business dates, inclusive), whatever its
   * status — scheduled, due, blocked, released or forfeited — optionally of one status.
   */
  function tranchesFallingDue(from: BusinessDate, to: BusinessDate, filter: { status?: TrancheStatus } = {}, page?: Page) {
    let query = db.selectFrom('retention_tranches').select(trancheViewColumns).where('due_date', '>=', from).where('due_date', '<=', to);
    if (filter.status) query = query.where('status', '=', filter.status);
    query = query.orderBy('due_date').orderBy('tranche_key');
    return (page ? query.limit(page.limit).offset(page.offset) : query).execute();
  }

  /** Count and amount per status of the tranches falling due in [from, to]: one grouped, indexed query. */
  async function trancheTotalsFallingDue(from: BusinessDate, to: BusinessDate): Promise<Record<TrancheStatus, { count: number; amountFen: number }>> {
    const rows = await db
      .selectFrom('retention_tranches')
      .select((eb) => ['status', eb.fn.countAll<string | number>().as('count'), eb.fn.sum<string | number>('amount_fen').as('amount')])
      .where('due_date', '>=', from)
      .where('due_date', '<=', to)
      .groupBy('status')
      .execute();
    const totals = Object.fromEntries(trancheStatusSchema.options.map((status) => [status, { count: 0, amountFen: 0 }])) as Record<TrancheStatus, { count: number; amountFen: number }>;
    for (const row of rows) {
      // PostgreSQL answers COUNT and SUM(bigint) as text; both are whole numbers of fen.
      const amountFen = Number(row.amount);
      if (!Number.isSafeInteger(amountFen)) throw new RangeError(`Tranche total ${row.amount} exceeds the safe integer range`);
      totals[row.status as TrancheStatus] = { count: Number(row.count), amountFen };
    }
    return totals;
  }

  /**
   * Records a money block, idempotently (a retried transition finds its row by project, scope and
   * start), with an audit entry. Lifted blocks stay as history.
   */
  async function blockPayments(input: PaymentBlock): Promise<{ created: boolean }> {
    const block = paymentBlockSchema.parse(input);
    const blockKey = paymentBlockKey(block);
    return db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('payment_blocks').select('block_key').where('block_key', '=', blockKey).executeTakeFirst();
      if (existing) return { created: false };
      await trx
        .insertInto('payment_blocks')
        .values({ block_key: blockKey, project_id: block.projectId, scope: block.scope, reason: block.reason, rule: block.rule, since: block.since, lifted_at: null })
        .execute();
      await appendAudit(trx, engine, { entryKey: `payments:${blockKey}:blocked`, occurredAt: block.since, actor: block.projectId, action: 'payments.blocked', subject: block.projectId, payload: block });
      return { created: true };
    });
  }

  /** Lifts a project's open blocks of a scope (the archive is filed, 000 §15), or the one begun at `since` for `subject`; nothing open, nothing done. */
  async function liftPaymentBlock(input: { projectId: string; scope: PaymentBlock['scope']; since?: string; subject?: string; liftedAt: string }): Promise<void> {
    await db.transaction().execute(async (trx) => {
      let openBlocks = trx.selectFrom('payment_blocks').select('block_key').where('project_id', '=', input.projectId).where('scope', '=', input.scope).where('lifted_at', 'is', null);
      // One block of several (a 003 §31 problem closed while another still blocks): its key names its start.
      if (input.since) openBlocks = openBlocks.where('block_key', '=', paymentBlockKey({ ...input, since: input.since }));
      const open = await openBlocks.execute();
      for (const { block_key: blockKey } of open) {
        await trx.updateTable('payment_blocks').set({ lifted_at: input.liftedAt }).where('block_key', '=', blockKey).execute();
        await appendAudit(trx, engine, { entryKey: `payments:${blockKey}:lifted`, occurredAt: input.liftedAt, actor: input.projectId, action: 'payments.unblocked', subject: input.projectId, payload: input });
      }
    });
  }

  /** Records that a unit may not build, rebuild or extend a system (004 §17), idempotently by its key, with an audit entry. */
  async function restrictDevelopment(input: DevelopmentRestriction): Promise<{ created: boolean }> {
    const restriction = developmentRestrictionSchema.parse(input);
    return db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('development_restrictions').select('restriction_key').where('restriction_key', '=', restriction.restrictionKey).executeTakeFirst();
      if (existing) return { created: false };
      await trx
        .insertInto('development_restrictions')
        .values({
          restriction_key: restriction.restrictionKey, project_id: restriction.projectId, unit: restriction.unit, jurisdiction: restriction.jurisdiction,
          reason: restriction.reason, rule: restriction.rule, since: restriction.since, lifted_at: null,
        })
        .execute();
      await appendAudit(trx, engine, { entryKey: `restriction:${restriction.restrictionKey}:imposed`, occurredAt: restriction.since, actor: restriction.projectId, action: 'development.restricted', subject: restriction.unit, payload: restriction });
      return { created: true };
    });
  }

  async function liftRestriction(input: { restrictionKey: string; liftedAt: string }): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const open = await trx.selectFrom('development_restrictions').selectAll().where('restriction_key', '=', input.restrictionKey).where('lifted_at', 'is', null).executeTakeFirst();
      if (!open) return;
      await trx.updateTable('development_restrictions').set({ lifted_at: input.liftedAt }).where('restriction_key', '=', input.restrictionKey).execute();
      await appendAudit(trx, engine, { entryKey: `restriction:${input.restrictionKey}:lifted`, occurredAt: input.liftedAt, actor: open.project_id, action: 'development.unrestricted', subject: open.unit, payload: input });
    });
  }

  /** The restrictions in force on a unit (004 §17), oldest first. */
  function openRestrictions(unit: string) {
    return db.selectFrom('development_restrictions').selectAll().where('unit', '=', unit).where('lifted_at', 'is', null).orderBy('since').execute();
  }

  /** Finance: the money blocks in force (or a project's, lifted ones included), oldest first. */
  function paymentBlocks(filter: { projectId?: string; unit?: string }, page: Page = { limit: 100, offset: 0 }) {
    let query = db
      .selectFrom('payment_blocks')
      .innerJoin('projects', 'projects.project_id', 'payment_blocks.project_id')
      .selectAll('payment_blocks')
      .select(['projects.name as project_name', 'projects.unit', 'projects.jurisdiction']);
    query = filter.projectId ? query.where('payment_blocks.project_id', '=', filter.projectId) : query.where('payment_blocks.lifted_at', 'is', null);
    if (filter.unit !== undefined) query = query.where('projects.unit', '=', filter.unit);
    return query.orderBy('payment_blocks.since').orderBy('payment_blocks.block_key').limit(page.limit).offset(page.offset).execute();
  }

  /** The money blocks in force on one project, oldest first: what a payment is checked against (domain/payments.ts). */
  async function openPaymentBlocksOf(projectId: string): Promise<OpenPaymentBlock[]> {
    const rows = await db
      .selectFrom('payment_blocks')
      .select(['scope', 'reason', 'rule', 'since'])
      .where('project_id', '=', projectId)
      .where('lifted_at', 'is', null)
      .orderBy('since')
      .orderBy('block_key')
      .execute();
    return rows.map((row) => ({ ...row, scope: row.scope as PaymentBlockScope }));
  }

  /**
   * Finance records a payment, once per project and voucher: the same voucher again answers with the row
   * as first stored (created false) and appends nothing. Refusing a blocked payment is the caller's
   * check (domain/payments.ts paymentRefusal), made before this write.
   */
  async function recordPayment(input: PaymentRecord): Promise<{ created: boolean; stored: PaymentRow }> {
    const payment = paymentRecordSchema.parse(input);
    const paymentKey = `${payment.projectId}:${payment.voucherRef}`;
    return db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('project_payments')
        .values({
          payment_key: paymentKey,
          project_id: payment.projectId,
          contract_id: payment.contractId ?? null,
          purpose: payment.purpose,
          amount_fen: payment.amountFen,
          voucher_ref: payment.voucherRef,
          paid_date: payment.paidOn,
          recorded_by: payment.recordedBy,
          recorded_at: payment.recordedAt,
        })
        // Either key (payment_key or project and voucher) meets the first row of this voucher.
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      if (created) {
        await appendAudit(trx, engine, {
          entryKey: `payment:${paymentKey}:recorded`,
          occurredAt: payment.recordedAt,
          actor: payment.recordedBy,
          action: 'payments.recorded',
          subject: payment.projectId,
          payload: payment,
        });
      }
      const stored = await trx
        .selectFrom('project_payments')
        .selectAll()
        .where('project_id', '=', payment.projectId)
        .where('voucher_ref', '=', payment.voucherRef)
        .executeTakeFirstOrThrow();
      return { created, stored };
    });
  }

  /** One recorded payment of a project, by its voucher. */
  function paymentByVoucher(projectId: string, voucherRef: string) {
    return db.selectFrom('project_payments').selectAll().where('project_id', '=', projectId).where('voucher_ref', '=', voucherRef).executeTakeFirst();
  }

  /** A project's recorded payments, in the order they were paid. */
  function paymentsOf(projectId: string) {
    return db.selectFrom('project_payments').selectAll().where('project_id', '=', projectId).orderBy('paid_date').orderBy('recorded_at').orderBy('payment_key').execute();
  }

  /** A contract with its project's unit, for scoping a retention read to the caller's unit. */
  function contractScope(contractId: string) {
    return db
      .selectFrom('contracts')
      .innerJoin('projects', 'projects.project_id', 'contracts.project_id')
      .select(['contracts.contract_id', 'contracts.project_id', 'projects.unit'])
      .where('contracts.contract_id', '=', contractId)
      .executeTakeFirst();
  }

  function notificationRoutes() {
    return db.selectFrom('notification_routes').select(['route_id', 'role', 'unit', 'channel', 'locale']).orderBy('route_id').execute();
  }

  /** Projects with an open review whose due date rests on provisional calendar data (to recompute when the calendar is published). */
  async function projectsWithProvisionalReviews(): Promise<string[]> {
    const rows = await db.selectFrom('reviews').select('project_id').distinct().where('status', '=', 'open').where('due_provisional', '=', 1).execute();
    return rows.map((row) => row.project_id);
  }

  function blockedTranches(page: Page = { limit: 100, offset: 0 }) {
    return db
      .selectFrom('retention_tranches')
      .select(trancheViewColumns)
      .where('status', '=', 'blocked')
      .orderBy('due_date')
      .orderBy('tranche_key')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
  }

  function tranchesOfContract(contractId: string) {
    return db.selectFrom('retention_tranches').selectAll().where('contract_id', '=', contractId).orderBy('tranche_no').execute();
  }

  async function retentionTermsRecorded(contractId: string): Promise<boolean> {
    return (await db.selectFrom('retention_terms').select('contract_id').where('contract_id', '=', contractId).executeTakeFirst()) !== undefined;
  }

  /** Terms of a retention whose ledger was written before the terms were kept (see GET /contracts/{id}/retention). */
  async function recordRetentionTerms(terms: RetentionTerms, recordedAt: string): Promise<void> {
    await db.transaction().execute((trx) => insertRetentionTerms(trx, terms, recordedAt));
  }

  /**
   * A contract's retention as its RetentionRelease workflow holds it (its retentionState query): the
   * terms and the ledger, in one indexed query. Undefined while the workflow has written no ledger yet,
   * and for a contract with no retention workflow (a forfeited ledger, 001 §28, has no terms).
   */
  async function retentionOf(contractId: string): Promise<RetentionState | undefined> {
    const rows = await db
      .selectFrom('retention_terms as terms')
      .innerJoin('retention_tranches as tranche', 'tranche.contract_id', 'terms.contract_id')
      .select([
        'terms.project_id', 'terms.sum_fen', 'terms.withheld_fen', 'terms.accepted_on', 'terms.rule',
        'tranche.tranche_no', 'tranche.amount_fen', 'tranche.due_date', 'tranche.condition', 'tranche.status', 'tranche.blocked_reason', 'tranche.voucher_ref',
      ])
      .where('terms.contract_id', '=', contractId)
      .orderBy('tranche.tranche_no')
      .execute();
    const [terms] = rows;
    if (!terms) return undefined;
    return retentionStateSchema.parse({
      projectId: terms.project_id, contractId, sumFen: Number(terms.sum_fen), withheldFen: Number(terms.withheld_fen), acceptedOn: terms.accepted_on, rule: terms.rule,
      tranches: rows.map((row) => ({
        trancheNo: row.tranche_no, amountFen: Number(row.amount_fen), dueDate: row.due_date, condition: row.condition, status: row.status,
        blockedReason: row.blocked_reason, voucherRef: row.voucher_ref,
      })),
    });
  }

  /** Reviewers: open reviews whose deadline (end of the due date) has passed by `today`. */
  function overdueReviews(today: BusinessDate, page: Page = { limit: 100, offset: 0 }) {
    return db
      .selectFrom('reviews')
      .selectAll()
      .where('status', '=', 'open')
      .where('due_date', '<', today)
      .orderBy('due_date')
      .orderBy('review_key')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
  }

  /**
   * A role's inbox: its open reviews by due date, with the project's name. Filters apply in the query,
   * before the page is cut, so a page is never short while more matching reviews exist.
   */
  function openReviewsFor(role: string, filter: InboxFilter = {}, page: Page = { limit: 100, offset: 0 }) {
    let query = db
      .selectFrom('reviews')
      .leftJoin('projects', 'projects.project_id', 'reviews.project_id')
      .selectAll('reviews')
      .select('projects.name as project_name')
      .where('reviews.assignee_role', '=', role)
      .where('reviews.status', '=', 'open');
    if (filter.unit !== undefined) query = query.where('reviews.unit', '=', filter.unit);
    if (filter.overdueOn !== undefined) {
      const { today, overdue } = filter.overdueOn;
      query = overdue
        ? query.where('reviews.due_date', '<', today)
        : query.where((eb) => eb.or([eb('reviews.due_date', 'is', null), eb('reviews.due_date', '>=', today)]));
    }
    return query.orderBy('reviews.due_date').orderBy('reviews.review_key').limit(page.limit).offset(page.offset).execute();
  }

  function findProjects(filter: ProjectFilter, page: Page = { limit: 100, offset: 0 }) {
    let query = db.selectFrom('projects').selectAll();
    if (filter.stage) query = query.where('stage', '=', filter.stage);
    if (filter.jurisdiction) query = query.where('jurisdiction', '=', filter.jurisdiction);
    if (filter.planYear !== undefined) query = query.where('plan_year', '=', filter.planYear);
    if (filter.unit) query = query.where('unit', '=', filter.unit);
    return query.orderBy('project_id').limit(page.limit).offset(page.offset).execute();
  }

  function projectRecord(projectId: string) {
    return db.selectFrom('projects').select(['project_id', 'unit', 'ended_outside']).where('project_id', '=', projectId).executeTakeFirst();
  }

  /**
   * Records that a project's workflow was ended outside the application (in Temporal's UI or CLI), once,
   * with an audit entry: the system of record no longer pretends the project is active.
   */
  async function recordEndedOutside(input: { projectId: string; status: string; closedAt: string; detectedAt: string }): Promise<{ recorded: boolean }> {
    return db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('projects')
        .set({ ended_outside: `${input.status} at ${input.closedAt}`, updated_at: input.detectedAt })
        .where('project_id', '=', input.projectId)
        .where('ended_outside', 'is', null)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) return { recorded: false };
      await appendAudit(trx, engine, {
        entryKey: `project:${input.projectId}:ended-outside`,
        occurredAt: input.detectedAt,
        actor: 'system:reconciliation',
        action: 'project.endedOutsideTheApplication',
        subject: input.projectId,
        payload: input,
      });
      return { recorded: true };
    });
  }

  /** A cloud resource whose workflow was ended outside the application: marked ended once, with its outcome and an audit entry. */
  async function recordCloudEndedOutside(input: { resourceId: string; status: string; closedAt: string; detectedAt: string }): Promise<{ recorded: boolean }> {
    return db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('cloud_resources').select('stage').where('resource_id', '=', input.resourceId).where('status', '=', 'active').executeTakeFirst();
      if (!row) return { recorded: false };
      const outcome = { stage: row.stage, reason: `its workflow was ended outside the application (${input.status} at ${input.closedAt})`, rule: SYSTEM_INTEGRITY };
      await trx.updateTable('cloud_resources').set({ status: 'ended', outcome: JSON.stringify(outcome), updated_at: input.detectedAt }).where('resource_id', '=', input.resourceId).execute();
      await appendAudit(trx, engine, {
        entryKey: `cloud:${input.resourceId}:ended-outside`, occurredAt: input.detectedAt, actor: 'system:reconciliation',
        action: 'cloud.endedOutsideTheApplication', subject: input.resourceId, payload: input,
      });
      return { recorded: true };
    });
  }

  /** Adds a unit to the registry (idempotent), with an audit entry the first time. */
  async function registerUnit(input: { name: string; jurisdiction: string; county?: string; by: string; at: string }): Promise<{ created: boolean }> {
    return db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('units')
        .values({ name: input.name, jurisdiction: input.jurisdiction, county: input.county ?? null, registered_at: input.at, registered_by: input.by })
        .onConflict((oc) => oc.column('name').doNothing())
        .executeTakeFirst();
      const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      if (created) {
        await appendAudit(trx, engine, { entryKey: `unit:${input.name}`, occurredAt: input.at, actor: input.by, action: 'unit.registered', subject: input.name, payload: input });
      }
      return { created };
    });
  }

  function unitNamed(name: string) {
    return db.selectFrom('units').selectAll().where('name', '=', name).executeTakeFirst();
  }

  function units(jurisdiction?: string) {
    let query = db.selectFrom('units').selectAll();
    if (jurisdiction) query = query.where('jurisdiction', '=', jurisdiction);
    return query.orderBy('jurisdiction').orderBy('name').execute();
  }

  function projectsEndedOutside() {
    return db.selectFrom('projects').select('project_id').where('ended_outside', 'is not', null).execute();
  }

  async function projectExists(projectId: string): Promise<boolean> {
    return (await projectRecord(projectId)) !== undefined;
  }

  function documentsOf(projectId: string) {
    return db.selectFrom('documents').selectAll().where('project_id', '=', projectId).orderBy('uploaded_at').orderBy('document_id').execute();
  }

  function stageEventsOf(projectId: string) {
    return db.selectFrom('stage_events').selectAll().where('project_id', '=', projectId).orderBy('occurred_at').orderBy('event_key').execute();
  }

  // ---- Monitoring of systems in operation (002 (二)) ----

  /** Records one health check, once by its key (a retried transition finds its row), with its audit entry. */
  async function recordHealthCheck(input: HealthCheckRecord): Promise<{ created: boolean }> {
    const check = healthCheckRecordSchema.parse(input);
    return db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('health_checks')
        .values({
          check_key: check.checkKey,
          project_id: check.projectId,
          period: check.period,
          source: check.source,
          healthy: check.healthy ? 1 : 0,
          detail: check.detail,
          endpoint: check.endpoint,
          checked_at: check.checkedAt,
          recorded_by: check.recordedBy,
        })
        .onConflict((oc) => oc.column('check_key').doNothing())
        .executeTakeFirst();
      const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      if (created) {
        await appendAudit(trx, engine, {
          entryKey: `health-check:${check.checkKey}`,
          occurredAt: check.checkedAt,
          actor: check.recordedBy,
          action: check.healthy ? 'monitoring.healthy' : 'monitoring.unhealthy',
          subject: check.projectId,
          payload: check,
        });
      }
      return { created };
    });
  }

  /** A project's health checks, oldest first. */
  async function healthChecksOf(projectId: string): Promise<HealthCheckRecord[]> {
    const rows = await db.selectFrom('health_checks').selectAll().where('project_id', '=', projectId).orderBy('checked_at').orderBy('check_key').execute();
    return rows.map(healthCheckFromRow);
  }

  /**
   * One page of a jurisdiction's systems in operation, in id order after `after` (keyset paging: a project
   * entering or leaving operations between pages neither shifts nor repeats the others). A project whose
   * workflow was ended outside the application has no workflow to ask.
   */
  async function systemsInOperation(input: { jurisdiction: string; after?: string; limit: number }): Promise<string[]> {
    let query = db
      .selectFrom('projects')
      .select('project_id')
      .where('stage', '=', 'operations')
      .where('jurisdiction', '=', input.jurisdiction)
      .where('ended_outside', 'is', null);
    if (input.after !== undefined) query = query.where('project_id', '>', input.after);
    const rows = await query.orderBy('project_id').limit(input.limit).execute();
    return rows.map((row) => row.project_id);
  }

  /** The newest check of each of a jurisdiction's projects that has one, in project order: the monitoring's overview. */
  async function latestHealthChecks(jurisdiction: string): Promise<HealthCheckRecord[]> {
    const rows = await db
      .selectFrom('health_checks as check')
      .innerJoin('projects', 'projects.project_id', 'check.project_id')
      .selectAll('check')
      .where('projects.jurisdiction', '=', jurisdiction)
      // The newest by time, the greater key between two checks of the same instant: exactly one per project.
      .where('check.check_key', '=', (eb) =>
        eb
          .selectFrom('health_checks as newer')
          .select('newer.check_key')
          .whereRef('newer.project_id', '=', 'check.project_id')
          .orderBy('newer.checked_at', 'desc')
          .orderBy('newer.check_key', 'desc')
          .limit(1),
      )
      .orderBy('check.project_id')
      .execute();
    return rows.map(healthCheckFromRow);
  }

  // ---- The government cloud (one CloudResource workflow per resource) ----

  /**
   * Writes a cloud resource's row as its workflow sees it now: the first write (the application) with an
   * audit entry, later ones overwrite the row with the newer state. A retried activity writes the same
   * values again, so the row ends the same however often it runs.
   */
  async function recordCloudResource(input: CloudResourceRecord): Promise<{ created: boolean }> {
    const record = cloudResourceRecordSchema.parse(input);
    const { steps } = record;
    const row = {
      jurisdiction: record.jurisdiction,
      profile_version: record.profileVersion,
      unit: record.unit,
      county: record.county ? 1 : 0,
      applicant_role: record.applicantRole,
      system_name: record.systemName,
      project_id: record.projectId,
      stage: record.stage,
      status: record.status,
      requested: JSON.stringify(record.requested),
      resources: record.resources ? JSON.stringify(record.resources) : null,
      applied_at: steps.applied ?? record.updatedAt,
      reviewed_at: steps.reviewed ?? null,
      sized_at: steps.sized ?? null,
      letter_signed_at: steps.letterSigned ?? null,
      provider_notified_at: steps.providerNotified ?? null,
      opened_at: steps.opened ?? null,
      cutover_at: steps.cutover ?? null,
      fallback_decommissioned_at: steps.fallbackDecommissioned ?? null,
      exit_requested_at: steps.exitRequested ?? null,
      exit_approved_at: steps.exitApproved ?? null,
      migrated_at: steps.migrated ?? null,
      erased_at: steps.erased ?? null,
      reclaimed_at: steps.reclaimed ?? null,
      exit_forced: record.exitForced ? 1 : 0,
      fallback_allowed_from: record.fallbackAllowedFrom,
      review_due_date: record.reviewDueDate,
      opening_due_date: record.openingDueDate,
      deployment_due_date: record.deploymentDueDate,
      migration_due_date: record.migrationDueDate,
      outcome: record.outcome ? JSON.stringify(record.outcome) : null,
      updated_at: record.updatedAt,
    };
    return db.transaction().execute(async (trx) => {
      await trx
        .insertInto('cloud_resources')
        .values({ resource_id: record.resourceId, ...row })
        .onConflict((oc) => oc.column('resource_id').doUpdateSet(row))
        .execute();
      // The application is audited once, by its key; later writes of the row are told by the events.
      const audit = await appendAudit(trx, engine, {
        entryKey: `cloud:${record.resourceId}:applied`,
        occurredAt: row.applied_at,
        actor: record.unit,
        action: 'cloud.applied',
        subject: record.resourceId,
        payload: {
          resourceId: record.resourceId, jurisdiction: record.jurisdiction, profileVersion: record.profileVersion, unit: record.unit, county: record.county,
          applicantRole: record.applicantRole, systemName: record.systemName, projectId: record.projectId, requested: record.requested,
        },
      });
      return { created: audit.appended };
    });
  }

  /** Records one event of a cloud resource, once by its key, with its audit entry in the same transaction. */
  async function recordCloudEvent(input: CloudEvent): Promise<{ created: boolean }> {
    const event = cloudEventSchema.parse(input);
    return db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('cloud_resource_events')
        .values({
          event_key: event.eventKey,
          resource_id: event.resourceId,
          seq: event.sequence,
          stage: event.stage,
          kind: event.kind,
          action: event.action ?? null,
          actor_id: event.actorId ?? null,
          actor_role: event.actorRole ?? null,
          decision: event.decision ?? null,
          reasons: JSON.stringify(event.reasons),
          rule: event.rule,
          occurred_at: event.occurredAt,
        })
        .onConflict((oc) => oc.column('event_key').doNothing())
        .executeTakeFirst();
      await appendAudit(trx, engine, {
        entryKey: `cloud-event:${event.eventKey}`,
        occurredAt: event.occurredAt,
        actor: event.actorId ?? 'system',
        action: `cloud.${event.kind}${event.action ? `.${event.action}` : ''}`,
        subject: event.resourceId,
        payload: event,
      });
      return { created: Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 };
    });
  }

  /** The cloud resources still running, whose working-day periods a calendar change may move. */
  async function activeCloudResourceIds(): Promise<string[]> {
    return (await db.selectFrom('cloud_resources').select('resource_id').where('status', '=', 'active').orderBy('resource_id').execute()).map((r) => r.resource_id);
  }

  function cloudResourceRecord(resourceId: string) {
    return db.selectFrom('cloud_resources').selectAll().where('resource_id', '=', resourceId).executeTakeFirst();
  }

  /** Cloud resources by unit, stage, status, jurisdiction or project, in id order (one indexed query). */
  function findCloudResources(filter: CloudResourceFilter, page: Page = { limit: 100, offset: 0 }) {
    let query = db.selectFrom('cloud_resources').selectAll();
    if (filter.unit !== undefined) query = query.where('unit', '=', filter.unit);
    if (filter.stage) query = query.where('stage', '=', filter.stage);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.jurisdiction) query = query.where('jurisdiction', '=', filter.jurisdiction);
    if (filter.projectId) query = query.where('project_id', '=', filter.projectId);
    return query.orderBy('resource_id').limit(page.limit).offset(page.offset).execute();
  }

  function cloudEventsOf(resourceId: string) {
    return db.selectFrom('cloud_resource_events').selectAll().where('resource_id', '=', resourceId).orderBy('seq').execute();
  }

  /** A project's jurisdiction and unit: a cloud application may name only a project of its own unit and jurisdiction. */
  function projectOwnership(projectId: string) {
    return db.selectFrom('projects').select(['project_id', 'unit', 'jurisdiction']).where('project_id', '=', projectId).executeTakeFirst();
  }

  return {
    registerProject,
    recordStageEvent,
    openReview,
    rescheduleReview,
    closeReview,
    markReviewBreached,
    recordContract,
    upsertRetentionTranches,
    releaseTranche,
    recordDocument,
    tranchesFallingDue,
    trancheTotalsFallingDue,
    blockedTranches,
    tranchesOfContract,
    retentionTermsRecorded,
    recordRetentionTerms,
    retentionOf,
    overdueReviews,
    openReviewsFor,
    blockPayments,
    liftPaymentBlock,
    restrictDevelopment,
    liftRestriction,
    openRestrictions,
    paymentBlocks,
    openPaymentBlocksOf,
    recordPayment,
    paymentByVoucher,
    paymentsOf,
    contractScope,
    notificationRoutes,
    projectsWithProvisionalReviews,
    findProjects,
    projectRecord,
    recordEndedOutside,
    recordCloudEndedOutside,
    registerUnit,
    unitNamed,
    units,
    projectsEndedOutside,
    stageEventsOf,
    documentsOf,
    projectExists,
    recordCloudResource,
    recordCloudEvent,
    cloudResourceRecord,
    activeCloudResourceIds,
    findCloudResources,
    cloudEventsOf,
    projectOwnership,
    recordHealthCheck,
    healthChecksOf,
    systemsInOperation,
    latestHealthChecks,
    verifyAuditChain: () => verifyAuditChain(db),
    workerStatus: (taskQueue: string) => workerStatus(db, taskQueue),
  };
}

export type Store = ReturnType<typeof createStore>;
