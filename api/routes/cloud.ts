import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { CloudResourceRow, Store } from '../../activities/storage/store';
import {
  cloudActionSchemas,
  cloudApplicationSchema,
  cloudResourceIdSchema,
  cloudResourceStateSchema,
  cloudStageSchema,
  cloudWorkflowId,
  type CloudActionName,
  type CloudResourceState,
} from '../../domain/cloud';
import { allProfiles, profileFor } from '../../domain/policy';
import { jurisdictionSchema, projectIdSchema } from '../../domain/project';
import type { Role } from '../../domain/records';
import { CloudResource } from '../../workflows/cloud-resource';
import { validateApplication } from '../../workflows/cloud/validators';
import { cloudActionUpdate, cloudResourceStateQuery } from '../../workflows/messages';
import { cloudStageKey } from '../../workflows/search-attributes';
import { assertUnitScope, inUnitScope, type Principal } from '../auth';
import { problem, ProblemError } from '../problems';
import { ALL_ROLES, pageQuery, type RouteSpec } from '../route-spec';
import { liveState } from '../live-state';
import { refuseRestrictedDevelopment } from '../development-restriction';
import { callTemporal, refusalProblem, temporalProblem } from '../temporal-problems';

/**
 * The government cloud (政务云): an application starts its CloudResource workflow; every later step is
 * the workflow's `cloudAction` Update, whose validator names the rule it refuses by (403 wrong role, 409
 * wrong moment, 422 a rule). Lists come from the system of record. Who may call each route follows the
 * jurisdictions' cloud policies; the validator then checks the resource's own.
 */
const unique = (roles: Role[]) => [...new Set(roles)];
const policies = allProfiles.flatMap((profile) => (profile.cloud ? [profile.cloud] : []));
const AUTHORITY = unique(policies.map((policy) => policy.authority));
const PROVIDER = unique(policies.map((policy) => policy.provider));
/** The using unit, and for a county's system the county government that applied. */
const USER = unique(['unit', ...policies.map((policy) => policy.application.countyApplicant)]);

const resourceRowSchema = z.object({
  resourceId: z.string(), systemName: z.string(), unit: z.string(), county: z.boolean(), jurisdiction: z.string(), profileVersion: z.string(),
  projectId: z.string().nullable(), stage: z.string(), status: z.string(), applicantRole: z.string(),
  requested: z.record(z.string(), z.number()), resources: z.record(z.string(), z.number()).nullable(), exitForced: z.boolean(),
  steps: z.record(z.string(), z.string().nullable()),
  dueDates: z.object({ review: z.string().nullable(), opening: z.string().nullable(), deployment: z.string().nullable(), migration: z.string().nullable() }),
  fallbackAllowedFrom: z.string().nullable(),
  updatedAt: z.string(),
});
const listSchema = z.object({ items: z.array(resourceRowSchema), limit: z.number(), offset: z.number() });

export const cloudListQuerySchema = z
  .object({
    stage: cloudStageSchema.optional(),
    status: z.enum(['active', 'ended']).optional(),
    jurisdiction: jurisdictionSchema.optional(),
    projectId: projectIdSchema.optional(),
    unit: z.string().min(1).max(100).optional(),
    ...pageQuery,
  })
  .strict();

function toRow(row: CloudResourceRow): z.infer<typeof resourceRowSchema> {
  return {
    resourceId: row.resource_id, systemName: row.system_name, unit: row.unit, county: row.county === 1, jurisdiction: row.jurisdiction,
    profileVersion: row.profile_version, projectId: row.project_id, stage: row.stage, status: row.status, applicantRole: row.applicant_role,
    requested: JSON.parse(row.requested) as Record<string, number>, resources: row.resources ? (JSON.parse(row.resources) as Record<string, number>) : null,
    exitForced: row.exit_forced === 1,
    steps: {
      applied: row.applied_at, reviewed: row.reviewed_at, sized: row.sized_at, letterSigned: row.letter_signed_at, providerNotified: row.provider_notified_at,
      opened: row.opened_at, cutover: row.cutover_at, fallbackDecommissioned: row.fallback_decommissioned_at, exitRequested: row.exit_requested_at,
      exitApproved: row.exit_approved_at, migrated: row.migrated_at, erased: row.erased_at, reclaimed: row.reclaimed_at,
    },
    dueDates: { review: row.review_due_date, opening: row.opening_due_date, deployment: row.deployment_due_date, migration: row.migration_due_date },
    fallbackAllowedFrom: row.fallback_allowed_from,
    updatedAt: row.updated_at,
  };
}

/** Every step on a resource that has ended is answered alike: 409 with its outcome. */
function resourceEnded(state: CloudResourceState): ProblemError {
  const outcome = state.outcome ?? { stage: state.stage, reason: 'ended', rule: 'lifecycle' };
  return problem.conflict(`Cloud resource ${state.resourceId} has ended (${outcome.stage}: ${outcome.reason}); no further step is possible`, { rule: outcome.rule, outcome });
}


export function cloudRoutes(client: Client, taskQueue: string, store: Store): RouteSpec[] {
  const handle = (resourceId: string) => client.workflow.getHandle<typeof CloudResource>(cloudWorkflowId(resourceId));
  const actorOf = (principal: Principal, requestId: unknown) => ({
    id: principal.id, role: principal.role, ...(principal.unit ? { unit: principal.unit } : {}), requestId: String(requestId),
  });

  const { requireWorker, read } = liveState(client, store, taskQueue);

  /** The resource's row, scoped before Temporal is asked: another unit's resource is answered as a missing one. */
  async function scopedRow(principal: Principal, resourceId: string): Promise<CloudResourceRow> {
    const parsed = cloudResourceIdSchema.safeParse(resourceId);
    if (!parsed.success) throw problem.invalid(parsed.error, 'path');
    const row = await store.cloudResourceRecord(resourceId);
    if (!row || (principal.role === 'unit' && !inUnitScope(principal, row.unit))) throw problem.notFound(`No cloud resource ${resourceId}`);
    return row;
  }

  /** The live state (../live-state.ts): a closed workflow's state is its result, no worker needed. */
  const readState = (resourceId: string) => read(handle(resourceId), cloudResourceStateQuery, `cloud resource ${resourceId}`);

  /** The live state, scoped; a resource whose workflow was ended in Temporal directly (worker/reconcile.ts) answers as ended. */
  async function scopedState(principal: Principal, resourceId: string): Promise<CloudResourceState> {
    const row = await scopedRow(principal, resourceId);
    const state = await callTemporal(`cloud resource ${resourceId}`, () => readState(resourceId));
    if (state.status === 'ended' || row.status !== 'ended' || !row.outcome) return state;
    return { ...state, status: 'ended', pending: [], outcome: JSON.parse(row.outcome) as CloudResourceState['outcome'] };
  }

  const step = (path: string, summary: string, roles: readonly Role[], name: CloudActionName): RouteSpec => ({
    method: 'post',
    path: `/cloud-resources/:resourceId/${path}`,
    summary,
    roles,
    body: (cloudActionSchemas[name] as z.ZodObject).omit({ action: true, actor: true } as never),
    success: { status: 200, description: 'The resource after the step', schema: cloudResourceStateSchema },
    problems: { 404: 'No such cloud resource', 409: 'Not possible at this stage, or already done', 422: 'Refused by a rule (named)', 503: 'No worker is running' },
    handler: async ({ req, principal, params, body }) => {
      const resourceId = params.resourceId!;
      const before = await scopedState(principal, resourceId);
      if (before.status === 'ended') throw resourceEnded(before);
      try {
        return await handle(resourceId).executeUpdate(cloudActionUpdate, { args: [{ ...(body as object), action: name, actor: actorOf(principal, req.id) } as never] });
      } catch (error) {
        // A refusal as a conflict, or a run gone meanwhile, may come from a resource that has just ended.
        const mapped = temporalProblem(error, `cloud resource ${resourceId}`);
        if (error instanceof WorkflowNotFoundError || (mapped instanceof ProblemError && mapped.problem.status === 409)) {
          const after = await scopedState(principal, resourceId);
          if (after.status === 'ended') throw resourceEnded(after);
        }
        throw mapped;
      }
    },
  });

  return [
    {
      method: 'post',
      path: '/cloud-resources',
      summary: "Apply for government-cloud resources: a city unit for itself, a county for one of its units (county: true); starts the resource's CloudResource workflow",
      roles: USER,
      body: cloudApplicationSchema,
      success: { status: 201, description: 'Applied; the review is open', schema: cloudResourceStateSchema },
      problems: { 409: 'A resource with this id exists', 422: 'A field breaks a rule, or the jurisdiction has no cloud measures', 503: 'No worker is running' },
      handler: async ({ req, res, principal, body }) => {
        const application = body as z.infer<typeof cloudApplicationSchema>;
        const profile = profileFor(application.jurisdiction);
        const applicant = actorOf(principal, req.id);
        const refusal = validateApplication(profile, application, applicant);
        if (refusal) throw refusalProblem(refusal.kind, refusal.rule, refusal.field, `${refusal.rule}: ${refusal.message}`);
        const unit = application.unit ?? principal.unit!;
        const registered = await store.unitNamed(unit);
        if (!registered || registered.jurisdiction !== application.jurisdiction) {
          throw problem.field('/body/unit', `${unit} is not a registered unit of ${application.jurisdiction} (GET /units lists them)`);
        }
        // A county applies for its own units only; a city unit's system is applied for by the unit (004 cloud §10).
        if (application.county !== Boolean(registered.county) || (principal.role === 'county' && registered.county !== principal.unit)) {
          throw problem.field('/body/unit', registered.county ? `${unit} is a unit of ${registered.county}${principal.role === 'county' ? `, not of ${principal.unit}` : ''}: its county applies for it (county: true)` : `${unit} is a city unit: it applies for itself (county: false)`);
        }
        // A new system on the cloud is a new system: not while a deficiency of the unit's systems is open (004 §17).
        await refuseRestrictedDevelopment(store, profile, unit);
        if (application.projectId) {
          const project = await store.projectOwnership(application.projectId);
          if (!project || project.jurisdiction !== application.jurisdiction || project.unit !== unit) {
            throw problem.field('/body/projectId', `${application.projectId} is not a registered ${application.jurisdiction} project of ${unit}`);
          }
        }
        await requireWorker(`applying for ${application.resourceId}`);
        try {
          await client.workflow.start(CloudResource, {
            taskQueue,
            workflowId: cloudWorkflowId(application.resourceId),
            args: [{ application: { ...application, unit }, applicant, profileVersion: profile.version }],
            // A resource id names one application forever.
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            workflowIdConflictPolicy: 'FAIL',
            typedSearchAttributes: [{ key: cloudStageKey, value: 'review' }],
          });
        } catch (error) {
          if (error instanceof WorkflowExecutionAlreadyStartedError) {
            throw problem.conflict(`Cloud resource ${application.resourceId} exists`, { resourceId: application.resourceId, location: `/cloud-resources/${application.resourceId}` });
          }
          throw error;
        }
        res.location(`/cloud-resources/${application.resourceId}`);
        // 201 promises the resource is in the system of record: its workflow's first activity writes it.
        for (let attempt = 0; attempt < 200; attempt += 1) {
          if (await store.cloudResourceRecord(application.resourceId)) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return callTemporal(`cloud resource ${application.resourceId}`, () => readState(application.resourceId));
      },
    },
    {
      method: 'get',
      path: '/cloud-resources',
      summary: 'Cloud resources by stage, status, jurisdiction, project and unit (from the system of record); unit ops see their own',
      roles: ALL_ROLES,
      query: cloudListQuerySchema,
      success: { status: 200, description: 'A page of cloud resources', schema: listSchema },
      problems: { 422: 'A query parameter breaks a rule' },
      handler: async ({ principal, query }) => {
        const filter = query as z.infer<typeof cloudListQuerySchema>;
        if (principal.role === 'unit') {
          if (filter.unit) assertUnitScope(principal, filter.unit);
          filter.unit = principal.unit;
        }
        const rows = await store.findCloudResources(filter, { limit: filter.limit, offset: filter.offset });
        return { items: rows.map(toRow), limit: filter.limit, offset: filter.offset };
      },
    },
    {
      method: 'get',
      path: '/cloud-resources/:resourceId',
      summary: 'The resource as its workflow sees it: stage, what awaits whom (due and earliest dates), resources, resizes, exit, timeline',
      roles: ALL_ROLES,
      success: { status: 200, description: 'The cloud resource', schema: cloudResourceStateSchema },
      problems: { 404: 'No such cloud resource', 422: 'Malformed resource id', 503: 'No worker is running' },
      handler: ({ principal, params }) => scopedState(principal, params.resourceId!),
    },
    {
      method: 'get',
      path: '/projects/:projectId/cloud-resources',
      summary: "A project's cloud resources (from the system of record)",
      roles: ALL_ROLES,
      success: { status: 200, description: "The project's cloud resources", schema: z.object({ items: z.array(resourceRowSchema) }) },
      problems: { 404: 'No such project', 422: 'Malformed project id' },
      handler: async ({ principal, params }) => {
        const projectId = params.projectId!;
        const parsed = projectIdSchema.safeParse(projectId);
        if (!parsed.success) throw problem.invalid(parsed.error, 'path');
        const project = await store.projectRecord(projectId);
        if (!project || (principal.role === 'unit' && !inUnitScope(principal, project.unit))) throw problem.notFound(`No project ${projectId}`);
        const rows = await store.findCloudResources({ projectId, ...(principal.role === 'unit' ? { unit: principal.unit } : {}) }, { limit: 200, offset: 0 });
        return { items: rows.map(toRow) };
      },
    },
    step('decisions', 'The authority decides the application (approve / reject / requestRevision), a resize or an exit (approve / reject), with reasons; an approved increase names its experts and sized resources', AUTHORITY, 'decide'),
    step('revision', 'The applicant answers a revision request, with the resources as revised', USER, 'revise'),
    step('sizing', 'The authority records the experts and the resources they fixed', AUTHORITY, 'size'),
    step('responsibility-letter', 'The unit signs the responsibility letter and fills in the opening confirmation form', USER, 'signLetter'),
    step('opening-notice', 'The authority notifies the provider to open the resources: the opening period starts', AUTHORITY, 'notifyProvider'),
    step('opened', 'The provider reports the resources opened: the deployment period starts', PROVIDER, 'opened'),
    step('cutover', 'The unit reports deployment, testing, security-risk pre-assessment and cut-over done: in service, the old system kept as fallback', USER, 'cutover'),
    step('fallback-decommissioned', 'The unit reports the old system decommissioned, once the fallback period is over', USER, 'fallbackDecommissioned'),
    step('resize-requests', 'The unit asks for more (scaleUp) or fewer (scaleDown) resources: the new totals', USER, 'requestResize'),
    step('resize-applied', 'The provider reports an approved resize carried out', PROVIDER, 'resizeApplied'),
    step('exit', 'The unit applies to stop using the cloud', USER, 'requestExit'),
    step('migration-complete', 'The unit reports its data migrated off the cloud', USER, 'migrationComplete'),
    step('data-erasure', 'The unit and the provider each confirm the data erased, after the migration window', [...USER, ...PROVIDER], 'dataErasure'),
    step('reclamation', 'The provider reports the resources reclaimed: the resource ends', PROVIDER, 'reclamation'),
  ];
}
