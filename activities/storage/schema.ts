/**
 * Table types of the system of record. Conventions, identical on SQLite and PostgreSQL:
 * - money is integer fen in BIGINT columns (`*_fen`), read back as JS numbers (safe-integer checked);
 * - instants are ISO-8601 UTC text (`*_at`), business dates 'YYYY-MM-DD' text (`*_date`, Asia/Shanghai);
 * - booleans are 0/1 integers; structured values are JSON text;
 * - every row written by an activity has a business key as its primary key, so a retried activity
 *   finds its row instead of inserting a second one.
 */
type Json = string;
type Flag = number;

export interface ProjectsTable {
  project_id: string;
  name: string;
  unit: string;
  jurisdiction: string;
  profile_version: string;
  plan_year: number;
  investment_fen: number;
  funding_source: string;
  flags: Json;
  stage: string;
  registered_at: string;
  updated_at: string;
  /** Set when the project's workflow was ended outside the application (terminated in Temporal). */
  ended_outside: string | null;
}

export interface ProposalsTable {
  proposal_key: string;
  project_id: string;
  plan_year: number;
  plan_kind: string;
  summary: string | null;
  submitted_at: string;
}

export interface AnnualPlanEntriesTable {
  entry_key: string;
  jurisdiction: string;
  plan_year: number;
  plan_kind: string;
  project_id: string;
  status: string;
  reason: string | null;
  decided_at: string | null;
}

export interface DocumentsTable {
  document_id: string;
  project_id: string;
  kind: string;
  title: string;
  sha256: string;
  size_bytes: number;
  storage_uri: string;
  uploaded_by: string;
  uploaded_at: string;
}

export interface StageEventsTable {
  event_key: string;
  project_id: string;
  stage: string;
  kind: string;
  actor_id: string | null;
  actor_role: string | null;
  decision: string | null;
  reasons: Json;
  rule: string | null;
  occurred_at: string;
}

export interface ReviewsTable {
  review_key: string;
  project_id: string;
  jurisdiction: string;
  unit: string;
  stage: string;
  assignee_role: string;
  opened_at: string;
  due_date: string | null;
  due_provisional: Flag;
  status: string;
  decided_at: string | null;
  breached: Flag;
}

export interface ContractsTable {
  contract_id: string;
  project_id: string;
  contractor: string;
  sum_fen: number;
  om_years: number;
  om_legal_basis: string | null;
  signed_date: string;
  filed_at: string;
}

export interface PaymentBlocksTable {
  /** `${projectId}:${scope}:${since}`. */
  block_key: string;
  project_id: string;
  scope: string;
  reason: string;
  rule: string;
  since: string;
  lifted_at: string | null;
}

/** A payment finance recorded, keyed `${projectId}:${voucherRef}` (one row per project and voucher). */
export interface ProjectPaymentsTable {
  payment_key: string;
  project_id: string;
  contract_id: string | null;
  /** domain/payments.ts paymentPurposeSchema: advance, progress, final, retention, om. */
  purpose: string;
  amount_fen: number;
  voucher_ref: string;
  /** The business date the money went out. */
  paid_date: string;
  recorded_by: string;
  recorded_at: string;
}

/** One call of a system's health endpoint (002 (二)), keyed by the project's event that recorded it. */
export interface HealthChecksTable {
  check_key: string;
  project_id: string;
  /** The monitoring month, YYYY-MM. */
  period: string;
  /** domain/monitoring.ts healthCheckSourceSchema: schedule, recheck, manual. */
  source: string;
  healthy: Flag;
  detail: string;
  endpoint: string | null;
  checked_at: string;
  recorded_by: string;
}

/** 004 §17: keyed `${projectId}:deficiency:${n}`. */
export interface DevelopmentRestrictionsTable {
  restriction_key: string;
  project_id: string;
  unit: string;
  jurisdiction: string;
  reason: string;
  rule: string;
  since: string;
  lifted_at: string | null;
}

export interface RetentionTranchesTable {
  tranche_key: string;
  contract_id: string;
  project_id: string;
  tranche_no: number;
  amount_fen: number;
  due_date: string | null;
  condition: string;
  status: string;
  blocked_reason: string | null;
  voucher_ref: string | null;
  released_at: string | null;
  released_by: string | null;
  updated_at: string;
}

/**
 * The terms a contract's retention (001 §19) runs on, as its RetentionRelease workflow was started with
 * them: one row per contract, written with the workflow's first ledger and never changed.
 */
export interface RetentionTermsTable {
  contract_id: string;
  project_id: string;
  sum_fen: number;
  withheld_fen: number;
  /** The business date of final acceptance; the tranche years run from it. */
  accepted_on: string;
  rule: string;
  recorded_at: string;
}

export interface NotificationOutboxTable {
  idempotency_key: string;
  kind: string;
  channel: string;
  target: Json;
  recipient_role: string;
  unit: string | null;
  locale: string;
  subject: string;
  body: string;
  project_id: string | null;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  created_at: string;
  sent_at: string | null;
  last_error: string | null;
}

export interface NotificationAttemptsTable {
  attempt_key: string;
  idempotency_key: string;
  attempt_no: number;
  /** The receiving endpoint (e.g. one DingTalk robot), for per-endpoint rate limits across processes. */
  endpoint: string;
  attempted_at: string;
  outcome: string;
  detail: string | null;
}

export interface NotificationRoutesTable {
  route_id: string;
  role: string;
  /** '*' routes a role's messages for every unit. */
  unit: string;
  channel: string;
  target: Json;
  locale: string;
  updated_at: string;
}

export interface AuditLogTable {
  seq: number;
  entry_key: string;
  occurred_at: string;
  actor: string;
  action: string;
  subject: string;
  payload: Json;
  prev_hash: string;
  hash: string;
}

export interface CalendarDaysTable {
  day: string;
  /** 'holiday' (statutory day off) or 'workday' (adjusted working day, 调休). */
  kind: string;
  name: string;
  source: string;
}

export interface CalendarYearsTable {
  year: number;
  source: string;
  published_at: string;
}

export interface IdempotencyKeysTable {
  key_hash: string;
  principal: string;
  request_hash: string;
  /** 'pending' while the first request runs, then 'done'. */
  status: string;
  response_status: number | null;
  response_type: string | null;
  response_body: string | null;
  /** The Location header of the first response (a 201), replayed with it. */
  response_location: string | null;
  created_at: string;
}

/** The worker's sign of life (worker/heartbeat.ts), one row per running worker process. */
export interface WorkerHeartbeatsTable {
  worker_id: string;
  task_queue: string;
  beat_at: string;
}

/** The registry of construction units (建设单位) a project may belong to, per jurisdiction. */
export interface UnitsTable {
  name: string;
  jurisdiction: string;
  /** The county (市、区) of a county unit; null for a city unit. */
  county: string | null;
  registered_at: string;
  registered_by: string;
}

/** A government-cloud resource (one CloudResource workflow): where it stands and when each step was taken. */
export interface CloudResourcesTable {
  resource_id: string;
  jurisdiction: string;
  profile_version: string;
  unit: string;
  county: Flag;
  applicant_role: string;
  system_name: string;
  project_id: string | null;
  stage: string;
  status: string;
  requested: Json;
  /** What the experts sized, then what the provider has opened as resized since. */
  resources: Json | null;
  applied_at: string;
  reviewed_at: string | null;
  sized_at: string | null;
  letter_signed_at: string | null;
  provider_notified_at: string | null;
  opened_at: string | null;
  cutover_at: string | null;
  fallback_decommissioned_at: string | null;
  exit_requested_at: string | null;
  exit_approved_at: string | null;
  migrated_at: string | null;
  erased_at: string | null;
  reclaimed_at: string | null;
  exit_forced: Flag;
  fallback_allowed_from: string | null;
  review_due_date: string | null;
  opening_due_date: string | null;
  deployment_due_date: string | null;
  migration_due_date: string | null;
  outcome: Json | null;
  updated_at: string;
}

/** Every step of a cloud resource (applied, decided, reported, reminded, breached …), chained into the audit trail. */
export interface CloudResourceEventsTable {
  event_key: string;
  resource_id: string;
  /** The event's number in the resource's life: its order. */
  seq: number;
  stage: string;
  kind: string;
  action: string | null;
  actor_id: string | null;
  actor_role: string | null;
  decision: string | null;
  reasons: Json;
  rule: string;
  occurred_at: string;
}

export interface Database {
  projects: ProjectsTable;
  proposals: ProposalsTable;
  annual_plan_entries: AnnualPlanEntriesTable;
  documents: DocumentsTable;
  stage_events: StageEventsTable;
  reviews: ReviewsTable;
  contracts: ContractsTable;
  retention_tranches: RetentionTranchesTable;
  retention_terms: RetentionTermsTable;
  notification_outbox: NotificationOutboxTable;
  notification_attempts: NotificationAttemptsTable;
  notification_routes: NotificationRoutesTable;
  audit_log: AuditLogTable;
  calendar_days: CalendarDaysTable;
  calendar_years: CalendarYearsTable;
  idempotency_keys: IdempotencyKeysTable;
  worker_heartbeats: WorkerHeartbeatsTable;
  units: UnitsTable;
  payment_blocks: PaymentBlocksTable;
  project_payments: ProjectPaymentsTable;
  health_checks: HealthChecksTable;
  development_restrictions: DevelopmentRestrictionsTable;
  cloud_resources: CloudResourcesTable;
  cloud_resource_events: CloudResourceEventsTable;
}
