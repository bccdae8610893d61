import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { publishCalendarYear, publishedYearBaseSchema, publishedYearSchema } from '../../activities/calendar/calendar-data';
import { businessDateOf } from '../../activities/calendar/working-days';
import type { StorageHandle } from '../../activities/storage/database';
import type { Store, TrancheView } from '../../activities/storage/store';
import { annualPlanId, annualPlanStateSchema, compilePlanInputSchema, planApprovalInputSchema, type AnnualPlanState } from '../../domain/annual-plan';
import { releaseInputSchema, retentionStateSchema, retentionWorkflowId, type RetentionState } from '../../domain/lifecycle';
import { jurisdictionSchema } from '../../domain/project';
import { lineText } from '../../domain/text';
import { businessDateSchema, paymentBlockScopeSchema, roleSchema, trancheStatusSchema, type TrancheStatus } from '../../domain/records';
import { channelSchema } from '../../activities/notifications/channels';
import { localeSchema } from '../../activities/notifications/messages';
import { notificationRouteSchema, saveRoute } from '../../activities/notifications/outbox';
import { retentionTermsFromWorkflow } from '../../activities/retention-terms';
import { annualPlanStateQuery, approvePlanUpdate, calendarUpdatedSignal, compilePlanUpdate, recordReleaseUpdate } from '../../workflows/messages';
import { cloudWorkflowId } from '../../domain/cloud';
import { parseOr422, problem, ProblemError } from '../problems';
import { ALL_ROLES, type RouteSpec } from '../route-spec';
import { callTemporal } from '../temporal-problems';
import { refuseBlockedPayment } from './payments';

/** A year in a path (/plans/yiyang/2027, /calendar/years/2027). */
const yearPathSchema = z.coerce.number({ error: 'must be a year' }).int('must be a year').min(1000, 'must be a four-digit year').max(9999, 'must be a four-digit year');
const page = { limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) };
const rangeFields = { from: businessDateSchema, to: businessDateSchema, status: trancheStatusSchema.optional() };
const rangeIsOrdered = (q: { from: string; to: string }) => q.from <= q.to;
const rangeQuerySchema = z.object({ ...rangeFields, ...page }).strict().refine(rangeIsOrdered, { path: ['to'], message: 'must not be before from' });
/** The CSV export holds the whole range, not a page. */
const csvRangeQuerySchema = z.object(rangeFields).strict().refine(rangeIsOrdered, { path: ['to'], message: 'must not be before from' });
const CSV_MAX_ROWS = 100_000;
const totalSchema = z.object({ count: z.number(), amountFen: z.number() });

const trancheRowSchema = z.object({
  contractId: z.string(), projectId: z.string(), trancheNo: z.number(), amountFen: z.number(), dueDate: z.string().nullable(),
  condition: z.string(), status: z.string(), blockedReason: z.string().nullable(), voucherRef: z.string().nullable(), releasedAt: z.string().nullable(),
});
const toTranche = (row: TrancheView) => ({
  contractId: row.contract_id, projectId: row.project_id, trancheNo: row.tranche_no, amountFen: row.amount_fen, dueDate: row.due_date,
  condition: row.condition, status: row.status, blockedReason: row.blocked_reason, voucherRef: row.voucher_ref, releasedAt: row.released_at,
});

/** CSV for finance: one row per tranche, amounts in yuan with two decimals (from integer fen). */
function tranchesCsv(rows: ReturnType<typeof toTranche>[]): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  const header = 'contract_id,project_id,tranche_no,amount_yuan,due_date,condition,status,blocked_reason,voucher_ref,released_at';
  return [header, ...rows.map((r) => [r.contractId, r.projectId, r.trancheNo, yuan(r.amountFen), r.dueDate, r.condition, r.status, r.blockedReason, r.voucherRef, r.releasedAt].map(cell).join(','))].join('\n') + '\n';
}

export function oversightRoutes(client: Client, storage: StorageHandle, store: Store): RouteSpec[] {
  /**
   * A contract (and so its retention workflow), scoped from the system of record before Temporal is
   * asked: for a unit, another unit's contract is as a missing one.
   */
  const scopedContract = async (contractId: string, principal: { role: string; unit?: string }) => {
    const contract = await store.contractScope(contractId);
    if (!contract || (principal.role === 'unit' && contract.unit !== principal.unit)) throw problem.notFound(`No contract ${contractId}`);
    return contract;
  };
  const retentionHandleOf = (contract: { project_id: string; contract_id: string }) => client.workflow.getHandle(retentionWorkflowId(contract.project_id, contract.contract_id));
  /**
   * A retention whose ledger was written before the store kept its terms (migration 0015) gets them
   * once, from its workflow's start; every later read of it, and every read of a retention started
   * since, is the store's alone.
   */
  const retentionKeptWithoutTerms = async (contract: { project_id: string; contract_id: string }): Promise<RetentionState> => {
    const noRetention = problem.notFound(`No retention of ${contract.contract_id}`);
    // No ledger yet, or a forfeited one (001 §28): no retention workflow runs for it.
    if (!(await store.tranchesOfContract(contract.contract_id)).some((t) => t.status !== 'forfeited')) throw noRetention;
    const terms = await callTemporal(`retention of ${contract.contract_id}`, () => retentionTermsFromWorkflow(client, retentionWorkflowId(contract.project_id, contract.contract_id)));
    if (!terms) throw noRetention;
    await store.recordRetentionTerms(terms, new Date().toISOString());
    const retention = await store.retentionOf(contract.contract_id);
    if (!retention) throw noRetention;
    return retention;
  };
  const plan = (jurisdiction: string, year: string) => {
    const j = jurisdictionSchema.safeParse(jurisdiction);
    if (!j.success) throw problem.notFound(`No jurisdiction ${jurisdiction}`);
    const { planYear } = parseOr422(z.object({ planYear: yearPathSchema }), { planYear: year }, 'path');
    return client.workflow.getHandle(annualPlanId(j.data, planYear));
  };
  const actorOf = (p: { id: string; role: string; unit?: string }) => ({ id: p.id, role: p.role, ...(p.unit ? { unit: p.unit } : {}) });
  const planUpdate = <A>(path: string, summary: string, schema: z.ZodObject, update: UpdateDefinition<AnnualPlanState, [A]>, conflict: string): RouteSpec => ({
    method: 'post',
    path: `/plans/:jurisdiction/:planYear/${path}`,
    summary,
    roles: ['reviewOffice'],
    body: schema.omit({ actor: true } as never),
    success: { status: 200, description: 'The plan', schema: annualPlanStateSchema },
    problems: { 404: 'No such plan', 409: conflict, 422: 'Refused by a rule' },
    handler: ({ params, principal, body }) =>
      callTemporal(`plan ${params.jurisdiction} ${params.planYear}`, () =>
        plan(params.jurisdiction!, params.planYear!).executeUpdate(update, { args: [{ ...body, actor: actorOf(principal) } as A] }),
      ),
  });

  return [
    {
      method: 'get',
      path: '/reviews/inbox',
      summary: "The caller's role's open reviews, by due date; overdue flagged, provisional deadlines marked",
      roles: ['reviewOffice', 'technicalReviewer', 'expert', 'finance', 'reform', 'bigDataCentre', 'thirdPartyReviewer', 'unit'],
      query: z.object({ ...page, overdue: z.enum(['true', 'false']).optional() }).strict(),
      success: {
        status: 200,
        description: 'Open reviews, each with its project, unit and stage',
        schema: z.object({
          items: z.array(z.object({
            reviewKey: z.string(), projectId: z.string(), projectName: z.string().nullable(), unit: z.string(), jurisdiction: z.string(), stage: z.string(),
            openedAt: z.string(), dueDate: z.string().nullable(), provisional: z.boolean(), overdue: z.boolean(), breached: z.boolean(),
          })),
          limit: z.number(), offset: z.number(),
        }),
      },
      problems: {},
      handler: async ({ principal, query }) => {
        const today = businessDateOf(new Date());
        const rows = await store.openReviewsFor(
          principal.role,
          {
            // A unit sees only its own projects' reviews (it decides its own acceptance, 001 §26(1)).
            unit: principal.role === 'unit' ? (principal.unit ?? '') : undefined,
            overdueOn: query.overdue === undefined ? undefined : { today, overdue: query.overdue === 'true' },
          },
          query,
        );
        return {
          items: rows.map((r) => ({
            reviewKey: r.review_key, projectId: r.project_id, projectName: r.project_name, unit: r.unit, jurisdiction: r.jurisdiction, stage: r.stage,
            openedAt: r.opened_at, dueDate: r.due_date, provisional: r.due_provisional === 1, overdue: r.due_date !== null && r.due_date < today, breached: r.breached === 1,
          })),
          limit: query.limit,
          offset: query.offset,
        };
      },
    },
    {
      method: 'get',
      path: '/contracts/:contractId/retention',
      summary: 'Retention of one contract: withheld, tranches with due date, condition, status, blocked reason, voucher',
      roles: ['finance', 'reviewOffice', 'auditor', 'audit', 'unit'],
      success: { status: 200, description: 'The retention', schema: retentionStateSchema },
      problems: { 404: 'No such contract or no retention yet' },
      /**
       * From the system of record, which is the truth of a retention: the workflow's own state may run an
       * activity ahead of it (a tranche it has just made due, before the ledger is written) or behind it
       * (a release written, before the workflow marks it), and a release is checked against the store.
       * Neither a worker nor the Temporal server is asked (but once, for a retention from before 0015).
       */
      handler: async ({ params, principal }) => {
        const contract = await scopedContract(params.contractId!, principal);
        return (await store.retentionOf(contract.contract_id)) ?? retentionKeptWithoutTerms(contract);
      },
    },
    {
      method: 'post',
      path: '/contracts/:contractId/retention/releases',
      summary: 'Record an actual release of a due tranche with its voucher (once per tranche)',
      roles: ['finance'],
      body: releaseInputSchema.omit({ actor: true }),
      success: { status: 200, description: 'The retention after the release', schema: retentionStateSchema },
      problems: { 404: 'No such contract', 409: 'Tranche not due, or already released', 422: "Refused by a rule, or by a money block on the contract's project (its rule named)" },
      handler: async ({ params, principal, body }) => {
        const contract = await scopedContract(params.contractId!, principal);
        // Retention is money of the project: a block that forbids it (001 §28, 003 §31) refuses the release before the workflow is asked.
        await refuseBlockedPayment(store, contract.project_id, 'retention', '/body/trancheNo');
        const handle = retentionHandleOf(contract);
        return callTemporal(`retention of ${params.contractId}`, () =>
          handle.executeUpdate(recordReleaseUpdate, { args: [{ ...body, actor: actorOf(principal) }] }) as Promise<RetentionState>,
        );
      },
    },
    {
      method: 'get',
      path: '/retention/payable',
      summary:
        'What falls due in a date range (inclusive): every retention tranche whose due date is in it, across all projects, with its status ' +
        '(scheduled, due, blocked with the reason, released with the voucher, forfeited) and the count and amount per status over the whole range',
      roles: ['finance', 'auditor', 'audit'],
      query: rangeQuerySchema,
      success: {
        status: 200,
        description: 'A page of tranches by due date, and the totals of the whole range per status',
        schema: z.object({
          from: z.string(), to: z.string(), items: z.array(trancheRowSchema), limit: z.number(), offset: z.number(),
          totals: z.object(Object.fromEntries(trancheStatusSchema.options.map((status) => [status, totalSchema])) as Record<TrancheStatus, typeof totalSchema>),
        }),
      },
      problems: { 422: 'Bad date range or status' },
      handler: async ({ query }) => {
        const [rows, totals] = await Promise.all([
          store.tranchesFallingDue(query.from, query.to, { status: query.status }, query),
          store.trancheTotalsFallingDue(query.from, query.to),
        ]);
        return { from: query.from, to: query.to, items: rows.map(toTranche), totals, limit: query.limit, offset: query.offset };
      },
    },
    {
      method: 'get',
      path: '/retention/payable.csv',
      summary: `The same tranches as CSV, the whole range (at most ${CSV_MAX_ROWS} rows), amounts in yuan`,
      roles: ['finance', 'auditor', 'audit'],
      query: csvRangeQuerySchema,
      success: { status: 200, description: 'CSV, one row per tranche', contentType: 'text/csv' },
      problems: { 413: `More than ${CSV_MAX_ROWS} rows: narrow the range`, 422: 'Bad date range or status' },
      handler: async ({ query }) => {
        const rows = await store.tranchesFallingDue(query.from, query.to, { status: query.status }, { limit: CSV_MAX_ROWS + 1, offset: 0 });
        if (rows.length > CSV_MAX_ROWS) {
          throw new ProblemError({ type: 'https://zhengwu-flow.example/problems/too-large', title: 'Export too large', status: 413, detail: `More than ${CSV_MAX_ROWS} tranches fall due between ${query.from} and ${query.to}: narrow the range` });
        }
        return tranchesCsv(rows.map(toTranche));
      },
    },
    {
      method: 'get',
      path: '/retention/blocked',
      summary: 'Blocked tranches with their reasons, across all projects',
      roles: ['finance', 'auditor', 'audit', 'reviewOffice'],
      query: z.object(page).strict(),
      success: { status: 200, description: 'Blocked tranches', schema: z.object({ items: z.array(trancheRowSchema) }) },
      problems: {},
      handler: async ({ query }) => ({ items: (await store.blockedTranches(query)).map(toTranche) }),
    },
    {
      method: 'get',
      path: '/payments/blocks',
      summary:
        'Money that must not be paid, per project, with its reason and article: O&M funding while a project counts as under construction ' +
        '(000 §15) or after closure (000 §22), every remaining payment after a failed or unrectified acceptance (001 §28), ' +
        "the project's further money of every kind while a problem found in supervision stays unrectified (003 §31), " +
        "O&M money of a system on the forced-exit path until it recovers (002 (二)). " +
        'POST /projects/{projectId}/payments refuses a payment a block forbids. ' +
        'In force by default; with projectId, that project\'s blocks, lifted ones included. A unit sees its own projects.',
      roles: ['finance', 'auditor', 'audit', 'reviewOffice', 'unit'],
      query: z.object({ projectId: z.string().max(64).optional(), ...page }).strict(),
      success: {
        status: 200,
        description: 'Blocks, oldest first',
        schema: z.object({
          items: z.array(z.object({
            projectId: z.string(), projectName: z.string(), unit: z.string(), jurisdiction: z.string(),
            scope: paymentBlockScopeSchema, reason: z.string(), rule: z.string(), since: z.string(), liftedAt: z.string().nullable(),
          })),
          limit: z.number(), offset: z.number(),
        }),
      },
      problems: {},
      handler: async ({ principal, query }) => {
        const rows = await store.paymentBlocks({ projectId: query.projectId, unit: principal.role === 'unit' ? (principal.unit ?? '') : undefined }, query);
        return {
          items: rows.map((r) => ({
            projectId: r.project_id, projectName: r.project_name, unit: r.unit, jurisdiction: r.jurisdiction,
            scope: r.scope as z.infer<typeof paymentBlockScopeSchema>, reason: r.reason, rule: r.rule, since: r.since, liftedAt: r.lifted_at,
          })),
          limit: query.limit,
          offset: query.offset,
        };
      },
    },
    {
      method: 'get',
      path: '/plans/:jurisdiction/:planYear',
      summary: "A jurisdiction's annual plan: phase, enrolled proposals, included and excluded",
      roles: ALL_ROLES,
      success: { status: 200, description: 'The plan', schema: annualPlanStateSchema },
      problems: { 404: 'No such plan' },
      handler: async ({ params, principal }) => {
        const state = await callTemporal(`plan ${params.jurisdiction} ${params.planYear}`, () => plan(params.jurisdiction!, params.planYear!).query(annualPlanStateQuery));
        if (principal.role !== 'unit') return state;
        // A unit sees its own proposals in the plan, not the other units' projects.
        const own = new Set(state.proposals.filter((p) => p.unit === principal.unit).map((p) => p.projectId));
        return { ...state, proposals: state.proposals.filter((p) => own.has(p.projectId)), included: state.included.filter((id) => own.has(id)), excluded: state.excluded.filter((e) => own.has(e.projectId)) };
      },
    },
    planUpdate('compilation', 'Compile the plan: every enrolled proposal included or excluded with a reason (001 §6)', compilePlanInputSchema, compilePlanUpdate, 'Not in compilation'),
    planUpdate('approvals', "Record the leading group's, then the executive meeting's approval (001 §6)", planApprovalInputSchema, approvePlanUpdate, 'Not awaiting this step'),
    {
      method: 'get',
      path: '/units',
      summary: 'The registry of construction units, per jurisdiction: a project belongs to one of them',
      roles: ALL_ROLES,
      query: z.object({ jurisdiction: jurisdictionSchema.optional() }).strict(),
      success: { status: 200, description: 'The units', schema: z.object({ items: z.array(z.object({ name: z.string(), jurisdiction: z.string(), county: z.string().nullable(), registeredAt: z.string() })) }) },
      problems: { 422: 'Unknown jurisdiction' },
      handler: async ({ query }) => ({ items: (await store.units(query.jurisdiction)).map((u) => ({ name: u.name, jurisdiction: u.jurisdiction, county: u.county, registeredAt: u.registered_at })) }),
    },
    {
      method: 'put',
      path: '/units/:unit',
      summary: 'Register a construction unit of a jurisdiction (its name as it will be shown and matched)',
      roles: ['admin'],
      body: z.object({
        jurisdiction: jurisdictionSchema,
        /** A county unit's county (市、区): the county acts for its units (004 §8 ¶3, 004 cloud §10). */
        county: lineText(100).optional(),
      }).strict(),
      success: { status: 200, description: 'Registered (or already registered)', schema: z.object({ name: z.string(), jurisdiction: z.string(), county: z.string().nullable(), created: z.boolean() }) },
      problems: { 409: 'The name is registered for another jurisdiction or county', 422: 'The name breaks a rule (empty, invisible or control characters)' },
      handler: async ({ params, body, principal }) => {
        const { unit: name } = parseOr422(z.object({ unit: lineText(100) }), params, 'path');
        const differs = (row: { jurisdiction: string; county: string | null } | undefined) => row && (row.jurisdiction !== body.jurisdiction || (row.county ?? undefined) !== body.county);
        const registeredAs = (row: { jurisdiction: string; county: string | null }) => `${name} is registered for ${row.jurisdiction}${row.county ? ` (${row.county})` : ''}`;
        const existing = await store.unitNamed(name);
        if (existing && differs(existing)) throw problem.conflict(registeredAs(existing));
        const { created } = await store.registerUnit({ name, jurisdiction: body.jurisdiction, county: body.county, by: principal.id, at: new Date().toISOString() });
        const stored = await store.unitNamed(name);
        if (stored && differs(stored)) throw problem.conflict(registeredAs(stored));
        return { name, jurisdiction: body.jurisdiction, county: body.county ?? null, created };
      },
    },
    {
      method: 'get',
      path: '/audit/verification',
      summary: 'Verify the audit trail hash chain; names the first broken entry',
      roles: ['auditor', 'audit', 'admin'],
      success: { status: 200, description: 'The verification', schema: z.object({ ok: z.boolean(), entries: z.number(), firstBrokenSeq: z.number().optional(), reason: z.string().optional(), lastHash: z.string().optional() }) },
      problems: {},
      handler: () => store.verifyAuditChain(),
    },
    {
      method: 'get',
      path: '/notification-routes',
      summary: 'Who gets which messages: routes per role and unit (secrets are not shown)',
      roles: ['admin'],
      success: { status: 200, description: 'The routes', schema: z.object({ items: z.array(z.object({ routeId: z.string(), role: z.string(), unit: z.string(), channel: z.string(), locale: z.string() })) }) },
      problems: {},
      handler: async () => ({
        items: (await store.notificationRoutes()).map((r) => ({ routeId: r.route_id, role: r.role, unit: r.unit, channel: r.channel, locale: r.locale })),
      }),
    },
    {
      method: 'put',
      path: '/notification-routes/:routeId',
      summary: 'Create or change a route: a role (optionally one unit) to a channel (webhook, DingTalk, WeCom, e-mail, log)',
      roles: ['admin'],
      body: z.object({ role: roleSchema, unit: z.string().min(1).default('*'), channel: channelSchema, target: z.unknown(), locale: localeSchema.default('zh-CN') }).strict(),
      success: { status: 200, description: 'Saved', schema: z.object({ routeId: z.string() }) },
      problems: { 422: 'The channel target is invalid (named)' },
      handler: async ({ params, body }) => {
        const parsed = notificationRouteSchema.safeParse({ ...body, routeId: params.routeId });
        if (!parsed.success) throw problem.invalid(parsed.error, 'body');
        await saveRoute(storage.db, parsed.data, new Date().toISOString());
        return { routeId: params.routeId };
      },
    },
    {
      method: 'put',
      path: '/calendar/years/:year',
      summary: "Publish a year's official holiday schedule; provisional deadlines are recomputed",
      roles: ['admin'],
      body: publishedYearBaseSchema.omit({ year: true }),
      success: { status: 200, description: 'Published; the projects re-signalled', schema: z.object({ year: z.number(), resignalled: z.array(z.string()) }) },
      problems: { 422: 'A date outside the year, or malformed' },
      handler: async ({ params, body }) => {
        const { year } = parseOr422(z.object({ year: yearPathSchema }), params, 'path');
        const parsed = publishedYearSchema.safeParse({ ...body, year });
        if (!parsed.success) throw problem.invalid(parsed.error, 'body');
        await publishCalendarYear(storage.db, parsed.data, new Date().toISOString());
        const resignalled: string[] = [];
        // Projects with a provisional due date, and every running cloud resource (its periods are working days too).
        const workflowIds = [...(await store.projectsWithProvisionalReviews()), ...(await store.activeCloudResourceIds()).map(cloudWorkflowId)];
        for (const projectId of workflowIds) {
          try {
            await client.workflow.getHandle(projectId).signal(calendarUpdatedSignal);
            resignalled.push(projectId);
          } catch {
            // A project that ended since has nothing to recompute.
          }
        }
        return { year, resignalled };
      },
    },
  ];
}
