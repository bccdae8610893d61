import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import type { Store } from '../../activities/storage/store';
import {
  changeDecisionInputSchema,
  changeRequestInputSchema,
  closeInputSchema,
  decideInputSchema,
  evaluationInputSchema,
  projectStateSchema,
  submitInputSchema,
  terminateInputSchema,
  type ProjectState,
} from '../../domain/lifecycle';
import { lifecycleInputFor, profileFor } from '../../domain/policy';
import { isLateProposal, lateProposalMessage } from '../../domain/policy/intake';
import { jurisdictionSchema, projectIdSchema, projectProposalSchema, projectStageSchema } from '../../domain/project';
import {
  closeProjectUpdate,
  decideChangeUpdate,
  decideUpdate,
  projectStateQuery,
  recordEvaluationUpdate,
  requestChangeUpdate,
  submitUpdate,
  terminateUpdate,
} from '../../workflows/messages';
import { ProjectLifecycle } from '../../workflows/project-lifecycle';
import { investmentFenKey, jurisdictionKey, planYearKey, unitKey } from '../../workflows/search-attributes';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { assertUnitScope, type Principal } from '../auth';
import { problem } from '../problems';
import { ALL_ROLES, type RouteSpec } from '../route-spec';
import { callTemporal } from '../temporal-problems';

const withoutActor = <T extends z.ZodObject>(schema: T) => schema.omit({ actor: true } as never);
const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};
export const projectListQuerySchema = z
  .object({
    stage: projectStageSchema.optional(),
    jurisdiction: jurisdictionSchema.optional(),
    planYear: z.coerce.number().int().min(2000).max(2100).optional(),
    unit: z.string().min(1).max(100).optional(),
    ...pageQuery,
  })
  .strict();

const projectRowSchema = z.object({
  projectId: z.string(), name: z.string(), unit: z.string(), jurisdiction: z.string(), planYear: z.number(), investmentFen: z.number(), stage: z.string(), registeredAt: z.string(),
});

/** The project routes: registration and reads, and every action that becomes a workflow Update. */
export function projectRoutes(client: Client, taskQueue: string, store: Store): RouteSpec[] {
  const project = (projectId: string) => client.workflow.getHandle<typeof ProjectLifecycle>(projectIdSchema.parse(projectId));

  /** Reads the project (404 if unknown) and applies unit scoping before anything is sent. */
  async function scopedProject(principal: Principal, projectId: string): Promise<ProjectState> {
    const parsed = projectIdSchema.safeParse(projectId);
    if (!parsed.success) throw problem.invalid(parsed.error, 'path');
    const state = await callTemporal(`project ${projectId}`, () => project(projectId).query(projectStateQuery));
    assertUnitScope(principal, state.unit);
    return state;
  }

  const action = <S extends z.ZodObject, A>(
    path: string,
    summary: string,
    roles: RouteSpec['roles'],
    schema: S,
    update: UpdateDefinition<ProjectState, [A]>,
  ): RouteSpec => ({
    method: 'post',
    path: `/projects/:projectId/${path}`,
    summary,
    roles,
    body: withoutActor(schema),
    success: { status: 200, description: 'The project after the action', schema: projectStateSchema },
    problems: { 404: 'No such project', 409: 'Not possible at this stage, or already decided', 422: 'Refused by a rule (named)' },
    handler: async ({ req, principal, params, body }) => {
      await scopedProject(principal, params.projectId!);
      const actor = { id: principal.id, role: principal.role, ...(principal.unit ? { unit: principal.unit } : {}), requestId: String(req.id) };
      return callTemporal(`project ${params.projectId}`, () =>
        project(params.projectId!).executeUpdate(update, { args: [{ ...body, actor } as A] }),
      );
    },
  });

  return [
    {
      method: 'post',
      path: '/projects',
      summary: 'Register a project proposal; starts its ProjectLifecycle workflow',
      roles: ['unit', 'reviewOffice', 'admin'],
      body: projectProposalSchema,
      success: { status: 201, description: 'Registered', schema: projectStateSchema },
      problems: { 409: 'A project with this id is already registered', 413: 'Body too large', 422: 'A field breaks a rule; each is named' },
      handler: async ({ principal, body, res }) => {
        const proposal = body as z.infer<typeof projectProposalSchema>;
        assertUnitScope(principal, proposal.unit);
        const profile = profileFor(proposal.jurisdiction);
        if (isLateProposal(profile, proposal, new Date())) {
          throw problem.rule(lateProposalMessage(profile, proposal.planYear), profile.intakeCutoff!.rule, '/body/planKind');
        }
        try {
          await client.workflow.start(ProjectLifecycle, {
            taskQueue,
            workflowId: proposal.projectId,
            args: [lifecycleInputFor(proposal)],
            // A project id names one project forever: a closed project's id is not reused either.
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            workflowIdConflictPolicy: 'FAIL',
            typedSearchAttributes: [
              { key: jurisdictionKey, value: proposal.jurisdiction },
              { key: planYearKey, value: proposal.planYear },
              { key: unitKey, value: proposal.unit },
              { key: investmentFenKey, value: proposal.investmentFen },
            ],
          });
        } catch (error) {
          if (error instanceof WorkflowExecutionAlreadyStartedError) {
            throw problem.conflict(`Project ${proposal.projectId} is already registered`, { projectId: proposal.projectId, location: `/projects/${proposal.projectId}` });
          }
          throw error;
        }
        res.location(`/projects/${proposal.projectId}`);
        return callTemporal(`project ${proposal.projectId}`, () => project(proposal.projectId).query(projectStateQuery));
      },
    },
    {
      method: 'get',
      path: '/projects',
      summary: 'Projects by stage, jurisdiction, plan year and unit (from the system of record); unit ops see their own',
      roles: ALL_ROLES,
      query: projectListQuerySchema,
      success: { status: 200, description: 'A page of projects', schema: z.object({ items: z.array(projectRowSchema), limit: z.number(), offset: z.number() }) },
      problems: { 422: 'A query parameter breaks a rule' },
      handler: async ({ principal, query }) => {
        const filter = query as z.infer<typeof projectListQuerySchema>;
        if (principal.role === 'unit') {
          if (filter.unit && filter.unit !== principal.unit) assertUnitScope(principal, filter.unit);
          filter.unit = principal.unit;
        }
        const rows = await store.findProjects(filter, { limit: filter.limit, offset: filter.offset });
        return {
          items: rows.map((row) => ({
            projectId: row.project_id, name: row.name, unit: row.unit, jurisdiction: row.jurisdiction, planYear: row.plan_year,
            investmentFen: row.investment_fen, stage: row.stage, registeredAt: row.registered_at,
          })),
          limit: filter.limit,
          offset: filter.offset,
        };
      },
    },
    {
      method: 'get',
      path: '/projects/:projectId',
      summary: 'The project as its workflow sees it: stage, pending action (who, due when, provisional), timeline',
      roles: ALL_ROLES,
      success: { status: 200, description: 'The project', schema: projectStateSchema },
      problems: { 404: 'No such project', 422: 'Malformed project id' },
      handler: ({ principal, params }) => scopedProject(principal, params.projectId!),
    },
    action('decisions', 'Decide the open review: approve, reject with reasons, or request revision', ['reviewOffice', 'technicalReviewer', 'expert', 'finance', 'reform', 'unit'], decideInputSchema, decideUpdate),
    action('submissions', "The unit's submission for the current stage (design, contract, go-live, acceptance application, archive, revision)", ['unit'], submitInputSchema, submitUpdate),
    action('change-requests', 'Request a change of approved content during implementation (001 §22)', ['unit'], changeRequestInputSchema, requestChangeUpdate),
    action('change-decisions', 'Decide a change request', ['reviewOffice'], changeDecisionInputSchema, decideChangeUpdate),
    action('termination', 'Terminate on a ground of 001 §20 with a written explanation', ['unit'], terminateInputSchema, terminateUpdate),
    action('evaluations', 'Record an O&M year evaluation or assessment (gates retention tranches, 001 §19)', ['reviewOffice', 'unit'], evaluationInputSchema, recordEvaluationUpdate),
    action('closure', 'Close an idle system (000 §22) or retire it with its data disposition (001 §36)', ['reviewOffice', 'unit'], closeInputSchema, closeProjectUpdate),
  ];
}
