import { SqliteAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { allProfiles } from '../../domain/policy';
import { UNDER_CONSTRUCTION_REASON } from '../../domain/policy/profile';

/**
 * Versioned migrations, run at start-up by openDatabase(). Each is written once against Kysely's
 * schema builder so the same migration serves SQLite and PostgreSQL; a released migration is never
 * edited, only followed by a new one.
 */
const migrations: Record<string, Migration> = {
  '0001_system_of_record': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('projects')
        .addColumn('project_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('profile_version', 'text', (c) => c.notNull())
        .addColumn('plan_year', 'integer', (c) => c.notNull())
        .addColumn('investment_fen', 'bigint', (c) => c.notNull().check(sql`investment_fen >= 0`))
        .addColumn('funding_source', 'text', (c) => c.notNull())
        .addColumn('flags', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('projects_by_stage').on('projects').columns(['stage', 'jurisdiction']).execute();
      await db.schema.createIndex('projects_by_plan').on('projects').columns(['jurisdiction', 'plan_year']).execute();
      await db.schema.createIndex('projects_by_unit').on('projects').columns(['unit', 'plan_year']).execute();

      await db.schema
        .createTable('proposals')
        .addColumn('proposal_key', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
        .addColumn('plan_year', 'integer', (c) => c.notNull())
        .addColumn('plan_kind', 'text', (c) => c.notNull())
        .addColumn('summary', 'text')
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('annual_plan_entries')
        .addColumn('entry_key', 'text', (c) => c.primaryKey())
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('plan_year', 'integer', (c) => c.notNull())
        .addColumn('plan_kind', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('decided_at', 'text')
        .execute();
      await db.schema.createIndex('plan_entries_by_plan').on('annual_plan_entries').columns(['jurisdiction', 'plan_year', 'status']).execute();

      await db.schema
        .createTable('documents')
        .addColumn('document_id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('storage_uri', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('documents_by_project').on('documents').columns(['project_id', 'kind']).execute();

      await db.schema
        .createTable('stage_events')
        .addColumn('event_key', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_role', 'text')
        .addColumn('decision', 'text')
        .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('rule', 'text')
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('stage_events_by_project').on('stage_events').columns(['project_id', 'occurred_at']).execute();

      await db.schema
        .createTable('reviews')
        .addColumn('review_key', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('assignee_role', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text')
        .addColumn('due_provisional', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('breached', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('reviews_open_by_due').on('reviews').columns(['status', 'due_date']).execute();
      await db.schema.createIndex('reviews_by_role').on('reviews').columns(['assignee_role', 'status', 'due_date']).execute();

      await db.schema
        .createTable('contracts')
        .addColumn('contract_id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
        .addColumn('contractor', 'text', (c) => c.notNull())
        .addColumn('sum_fen', 'bigint', (c) => c.notNull().check(sql`sum_fen > 0`))
        .addColumn('om_years', 'integer', (c) => c.notNull())
        .addColumn('signed_date', 'text', (c) => c.notNull())
        .addColumn('filed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('contracts_by_project').on('contracts').column('project_id').execute();

      await db.schema
        .createTable('retention_tranches')
        .addColumn('tranche_key', 'text', (c) => c.primaryKey())
        .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.contract_id'))
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('tranche_no', 'integer', (c) => c.notNull())
        .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen >= 0`))
        .addColumn('due_date', 'text')
        .addColumn('condition', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('blocked_reason', 'text')
        .addColumn('voucher_ref', 'text')
        .addColumn('released_at', 'text')
        .addColumn('released_by', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('retention_tranche_once', ['contract_id', 'tranche_no'])
        .execute();
      await db.schema.createIndex('tranches_by_due').on('retention_tranches').columns(['status', 'due_date']).execute();

      await db.schema
        .createTable('notification_outbox')
        .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('recipient_role', 'text', (c) => c.notNull())
        .addColumn('unit', 'text')
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('outbox_due').on('notification_outbox').columns(['status', 'next_attempt_at']).execute();

      await db.schema
        .createTable('notification_attempts')
        .addColumn('attempt_key', 'text', (c) => c.primaryKey())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('attempt_no', 'integer', (c) => c.notNull())
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('attempted_at', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('attempts_by_message').on('notification_attempts').column('idempotency_key').execute();
      await db.schema.createIndex('attempts_by_endpoint').on('notification_attempts').columns(['endpoint', 'attempted_at']).execute();

      await db.schema
        .createTable('notification_routes')
        .addColumn('route_id', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('routes_by_role').on('notification_routes').columns(['role', 'unit']).execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('entry_key', 'text', (c) => c.notNull().unique())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_by_subject').on('audit_log').columns(['subject', 'seq']).execute();

      await db.schema
        .createTable('calendar_days')
        .addColumn('day', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'workday')`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('calendar_years')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .execute();
    },
  },

  /**
   * The audit trail is append-only in the database itself, not only by convention in the code: an
   * UPDATE or DELETE is refused by a trigger (on SQLite as on PostgreSQL). The hash chain then detects
   * changes made by someone who drops the trigger first.
   */
  '0002_audit_append_only': {
    async up(db: Kysely<unknown>) {
      if (db.getExecutor().adapter instanceof SqliteAdapter) {
        for (const operation of ['UPDATE', 'DELETE']) {
          await sql`CREATE TRIGGER ${sql.raw(`audit_log_no_${operation.toLowerCase()}`)} BEFORE ${sql.raw(operation)} ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
        }
      } else {
        await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db);
        await sql`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
      }
    },
  },

  /** API idempotency: the first response to each (caller, Idempotency-Key), replayed for repeats. */
  '0003_idempotency_keys': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('key_hash', 'text', (c) => c.primaryKey())
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('response_status', 'integer')
        .addColumn('response_type', 'text')
        .addColumn('response_body', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },

  /** Finance asks what falls due in a date range whatever the status: an index by due date alone. */
  '0004_tranches_by_due_date': {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('tranches_by_due_date').on('retention_tranches').columns(['due_date', 'tranche_key']).execute();
    },
  },

  /** A replayed 201 carries its Location header too. */
  '0005_idempotent_location': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('idempotency_keys').addColumn('response_location', 'text').execute();
    },
  },

  /** Workers beat here every few seconds, so the API knows within seconds when none is running. */
  '0006_worker_heartbeats': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('worker_heartbeats')
        .addColumn('worker_id', 'text', (c) => c.primaryKey())
        .addColumn('task_queue', 'text', (c) => c.notNull())
        .addColumn('beat_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('heartbeats_by_queue').on('worker_heartbeats').columns(['task_queue', 'beat_at']).execute();
    },
  },

  /** A project whose workflow someone ended in Temporal directly is marked, not silently left "active". */
  '0007_projects_ended_outside': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('projects').addColumn('ended_outside', 'text').execute();
    },
  },

  /** Units come from a registry, not free text: "益阳市城市管理局\u200B" is not another unit. */
  '0008_units': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('units')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'text', (c) => c.notNull())
        .addColumn('registered_by', 'text', (c) => c.notNull())
        .execute();
      // The units of projects registered before the registry existed are its first entries.
      await sql`INSERT INTO units (name, jurisdiction, registered_at, registered_by)
        SELECT unit, MIN(jurisdiction), MIN(registered_at), 'migration 0008' FROM projects GROUP BY unit`.execute(db);
    },
  },

  /**
   * Money blocks finance must see, with reason and article: O&M money of a project counted as under
   * construction until its archive is filed (000 §15) or closed (000 §22); every remaining payment of a
   * project whose acceptance failed again or was not rectified (001 §28). And the legal basis of an
   * O&M period below the usual minimum (001 §21).
   */
  '0009_payment_blocks': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('payment_blocks')
        .addColumn('block_key', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('lifted_at', 'text')
        .execute();
      await db.schema.createIndex('payment_blocks_open').on('payment_blocks').columns(['lifted_at', 'since']).execute();
      await db.schema.alterTable('contracts').addColumn('om_legal_basis', 'text').execute();
      // Projects already accepted and awaiting their archive filing where the profile counts them as under
      // construction (Nanfeng, 000 §15): their block is recorded from the day they entered the stage;
      // filing lifts it.
      for (const profile of allProfiles) {
        const block = profile.archiveFiling?.omFundingBlockedUntilFiled;
        if (!block) continue;
        await sql`INSERT INTO payment_blocks (block_key, project_id, scope, reason, rule, since, lifted_at)
          SELECT p.project_id || ':omFunding:' || e.occurred_at, p.project_id, 'omFunding', ${UNDER_CONSTRUCTION_REASON}, ${block.rule}, e.occurred_at, NULL
          FROM projects p JOIN stage_events e ON e.project_id = p.project_id AND e.stage = 'archiveFiling' AND e.kind = 'entered'
          WHERE p.jurisdiction = ${profile.jurisdiction} AND p.stage = 'archiveFiling'`.execute(db);
      }
      await db.schema.createIndex('payment_blocks_by_project').on('payment_blocks').columns(['project_id', 'scope']).execute();
    },
  },

  /**
   * The government cloud: one row per resource application with the time of each step and its due dates,
   * and its events (each chained into the audit trail). The events have their own table: a resource is not
   * a project, and its id may not name one.
   */
  '0010_cloud_resources': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('cloud_resources')
        .addColumn('resource_id', 'text', (c) => c.primaryKey())
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('profile_version', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('county', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('applicant_role', 'text', (c) => c.notNull())
        .addColumn('system_name', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text')
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested', 'text', (c) => c.notNull())
        .addColumn('resources', 'text')
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .addColumn('reviewed_at', 'text')
        .addColumn('sized_at', 'text')
        .addColumn('letter_signed_at', 'text')
        .addColumn('provider_notified_at', 'text')
        .addColumn('opened_at', 'text')
        .addColumn('cutover_at', 'text')
        .addColumn('fallback_decommissioned_at', 'text')
        .addColumn('exit_requested_at', 'text')
        .addColumn('exit_approved_at', 'text')
        .addColumn('migrated_at', 'text')
        .addColumn('erased_at', 'text')
        .addColumn('reclaimed_at', 'text')
        .addColumn('exit_forced', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('fallback_allowed_from', 'text')
        .addColumn('review_due_date', 'text')
        .addColumn('opening_due_date', 'text')
        .addColumn('deployment_due_date', 'text')
        .addColumn('migration_due_date', 'text')
        .addColumn('outcome', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cloud_resources_by_unit').on('cloud_resources').columns(['unit', 'stage']).execute();
      await db.schema.createIndex('cloud_resources_by_stage').on('cloud_resources').columns(['stage', 'jurisdiction']).execute();
      await db.schema.createIndex('cloud_resources_by_project').on('cloud_resources').columns(['project_id', 'resource_id']).execute();

      await db.schema
        .createTable('cloud_resource_events')
        .addColumn('event_key', 'text', (c) => c.primaryKey())
        .addColumn('resource_id', 'text', (c) => c.notNull().references('cloud_resources.resource_id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('action', 'text')
        .addColumn('actor_id', 'text')
        .addColumn('actor_role', 'text')
        .addColumn('decision', 'text')
        .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cloud_events_by_resource').on('cloud_resource_events').columns(['resource_id', 'seq']).unique().execute();
    },
  },

  /** 004 §17: a unit may not build, rebuild or extend a system while a deficiency of one of its systems is open. */
  '0011_development_restrictions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('development_restrictions')
        .addColumn('restriction_key', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('lifted_at', 'text')
        .execute();
      await db.schema.createIndex('development_restrictions_open').on('development_restrictions').columns(['unit', 'lifted_at']).execute();
    },
  },

  /** A unit of a county (市、区) under a city's measures: its county, which acts for it (004 §8 ¶3, 004 cloud §10). */
  '0012_unit_county': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('units').addColumn('county', 'text').execute();
    },
  },

  /**
   * The payments finance records against a project, each with its voucher, refused while a money block
   * forbids their purpose (domain/payments.ts). One row per project and voucher: the same voucher sent
   * again finds the first row instead of paying twice.
   */
  '0013_project_payments': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('project_payments')
        .addColumn('payment_key', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
        .addColumn('contract_id', 'text', (c) => c.references('contracts.contract_id'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
        .addColumn('voucher_ref', 'text', (c) => c.notNull())
        .addColumn('paid_date', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('project_payment_once', ['project_id', 'voucher_ref'])
        .execute();
      await db.schema.createIndex('project_payments_by_project').on('project_payments').columns(['project_id', 'paid_date']).execute();
    },
  },

  /**
   * Monitoring of systems in operation (002 (二)): every call of a system's health endpoint, one row per
   * check keyed by the project's event that recorded it, so a retried transition records it once.
   */
  '0014_health_checks': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('health_checks')
        .addColumn('check_key', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('healthy', 'integer', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('endpoint', 'text')
        .addColumn('checked_at', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('health_checks_by_project').on('health_checks').columns(['project_id', 'checked_at']).execute();
    },
  },

  /**
   * Finance reads a contract's retention from the system of record, not from its workflow: beside the
   * tranches, the terms the workflow runs on (sum, withheld amount, acceptance date, article), which the
   * ledger alone does not give (a due date rolled past days off does not tell the acceptance date).
   */
  '0015_retention_terms': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('retention_terms')
        .addColumn('contract_id', 'text', (c) => c.primaryKey().references('contracts.contract_id'))
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('sum_fen', 'bigint', (c) => c.notNull().check(sql`sum_fen >= 0`))
        .addColumn('withheld_fen', 'bigint', (c) => c.notNull().check(sql`withheld_fen >= 0`))
        .addColumn('accepted_on', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      // The totals per status of a date range read this index alone, not a row per tranche (bench/finance-reads.ts).
      await db.schema.createIndex('tranches_due_totals').on('retention_tranches').columns(['due_date', 'status', 'amount_fen']).execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
