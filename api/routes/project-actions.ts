import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { lineText } from '../../domain/text';
import { documentKindSchema, projectRecordOf } from '../../domain/records';
import type { Store } from '../../activities/storage/store';
import {
  changeDecisionInputSchema,
  changeRequestInputSchema,
  closeInputSchema,
  decideInputSchema,
  deficiencyInputSchema,
  deferralDecisionInputSchema,
  deferralRequestInputSchema,
  evaluationInputSchema,
  omServiceContractInputSchema,
  postponementInputSchema,
  problemInputSchema,
  problemReportInputSchema,
  problemVerdictInputSchema,
  projectStateSchema,
  rectificationConfirmedInputSchema,
  SYSTEM_INTEGRITY,
  submitInputSchema,
  terminateInputSchema,
  yearlyReportInputSchema,
  healthEndpointInputSchema,
  healthReportInputSchema,
  type ProjectState,
} from '../../domain/lifecycle';
import { healthCheckRecordSchema, monitoringStateSchema } from '../../domain/monitoring';
import { profileFor } from '../../domain/policy';
import { declaredFactRefusal } from '../../domain/policy/profile';
import { isLateProposal, lateProposalMessage } from '../../domain/policy/intake';
import { jurisdictionSchema, projectIdSchema, projectProposalSchema, projectStageSchema } from '../../domain/project';
import {
  closeProjectUpdate,
  confirmRectificationUpdate,
  declareHealthEndpointUpdate,
  reportHealthUpdate,
  decideChangeUpdate,
  decideDeferralUpdate,
  decideProblemRectificationUpdate,
  decideUpdate,
  fileOmServiceContractUpdate,
  fileYearlyReportUpdate,
  postponementUpdate,
  projectStateQuery,
  recordDeficiencyUpdate,
  registeredUpdate,
  recordEvaluationUpdate,
  recordProblemUpdate,
  reportProblemRectificationUpdate,
  requestChangeUpdate,
  requestDeferralUpdate,
  submitUpdate,
  terminateUpdate,
} from '../../workflows/messages';
import { ProjectLifecycle } from '../../workflows/project-lifecycle';
import { lifecycleStartOptions } from '../lifecycle-start';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { assertUnitScope, forbidden, type Principal } from '../auth';
import { problem, ProblemError } from '../problems';
import { storeDocumentBytes } from '../../activities/storage/documents';
import { ALL_ROLES, pageQuery, type RouteSpec } from '../route-spec';
import { callTemporal, temporalProblem } from '../temporal-problems';
import { liveState } from '../live-state';
import { refuseRestrictedDevelopment } from '../development-restriction';
import { existingProjectRow, scopedProjectRow } from '../project-scope';

const withoutActor = <T extends z.ZodObject>(schema: T) => schema.omit({ actor: true } as never);
/** The body of an action: its input without the actor, which the API sets from the caller (each variant of a union alike). */
const bodyOf = (schema: z.ZodObject | z.ZodDiscriminatedUnion<z.ZodObject[]>): z.ZodType =>
  schema instanceof z.ZodDiscriminatedUnion ? z.discriminatedUnion(schema.def.discriminator, schema.options.map(withoutActor) as [z.ZodObject, ...z.ZodObject[]]) : withoutActor(schema);
/** An action names the documents it hands in by id; the API resolves them (kind, hash) from the project's uploads. */
const documentIdsSchema = z.array(z.string().min(1).max(200)).max(20);
const withDocumentIds = <T extends z.ZodObject>(schema: T, required = false) =>
  schema
    .omit({ actor: true, documents: true } as never)
    .extend({ documentIds: required ? documentIdsSchema.min(1, 'must name at least one uploaded document') : documentIdsSchema.optional() })
    .strict();
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
export const documentQuerySchema = z
  .object({
    kind: documentKindSchema,
    title: lineText(200),
  })
  .strict();
const monitoringViewSchema = z.object({
  monitoring: monitoringStateSchema,
  policy: z.object({ rule: z.string(), failingMonths: z.object({ count: z.number(), rule: z.string() }), rectificationWindow: z.object({ months: z.number(), rule: z.string() }) }),
  checks: z.array(healthCheckRecordSchema),
});
const documentSchema = z.object({ documentId: z.string(), kind: z.string(), title: z.string(), sha256: z.string(), sizeBytes: z.number(), uploadedBy: z.string(), uploadedAt: z.string() });

/**
 * Every action on an ended project gets the same answer, whatever the timing: 409 with the outcome
 * (the stage it ended in, why, and under which rule).
 */
function projectEnded(state: ProjectState): ProblemError {
  const outcome = state.outcome ?? { stage: state.stage, reason: 'ended', rule: 'lifecycle' };
  return problem.conflict(`Project ${state.projectId} has ended (${outcome.stage}: ${outcome.reason}); no further action is possible`, {
    rule: outcome.rule,
    outcome,
  });
}

/** How long POST /projects waits for the worker's first answer before it says 202 (a service target, not a rule). */
export const REGISTRATION_ANSWER_MS = 10_000;

export function projectRoutes(client: Client, taskQueue: string, store: Store, dataDir: string, registrationAnswerMs = REGISTRATION_ANSWER_MS): RouteSpec[] {
  const project = (projectId: string) => client.workflow.getHandle<typeof ProjectLifecycle>(projectIdSchema.parse(projectId));

  const { requireWorker, read } = liveState(client, store, taskQueue);

  // Scoped in the system of record before Temporal is asked (../project-scope.ts), worker or not.
  const scopedRow = (principal: Principal, projectId: string) => scopedProjectRow(store, principal, projectId);
  /** For what the system of record alone answers (documents): the project must be there. */
  const scopedRecord = (principal: Principal, projectId: string) => existingProjectRow(store, principal, projectId);

  /** The project's live state, scoped. */
  async function scopedProject(principal: Principal, projectId: string): Promise<ProjectState> {
    const record = await scopedRow(principal, projectId);
    return callTemporal(`project ${projectId}`, () => readState(projectId, record?.ended_outside ?? null));
  }

  /** The project's live state (../live-state.ts), unless its workflow was ended outside the application. */
  async function readState(projectId: string, endedOutside: string | null): Promise<ProjectState> {
    const state = await read(project(projectId), projectStateQuery, `project ${projectId}`);
    // A workflow ended in Temporal directly (recorded by the worker's reconciliation) is not "active".
    if (state.status === 'ended' || !endedOutside) return state;
    // Reset in Temporal since, the project runs again: its latest run decides.
    if ((await project(projectId).describe()).status.name === 'RUNNING') return state;
    return { ...state, status: 'ended', pending: null, outcome: { stage: state.stage, reason: `its workflow was ended outside the application (${endedOutside})`, rule: SYSTEM_INTEGRITY } };
  }

  /**
   * The documents a submission names by id, resolved from the project's own uploads: the workflow gets
   * their kind and content hash from the system of record, never from the caller. An id that is not
   * one of this project's documents is refused, naming its place in the list.
   */
  async function resolveDocuments(projectId: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { documentIds, ...rest } = body as { documentIds?: string[] };
    if (!documentIds?.length) return rest;
    const uploads = new Map((await store.documentsOf(projectId)).map((row) => [row.document_id, row]));
    const documents = documentIds.map((documentId, index) => {
      const row = uploads.get(documentId);
      if (!row) throw problem.field(`/body/documentIds/${index}`, `${documentId} is not a document of project ${projectId} (GET /projects/${projectId}/documents lists them)`);
      return { documentId, kind: row.kind, sha256: row.sha256 };
    });
    return { ...rest, documents };
  }

  const action = <S extends z.ZodObject | z.ZodDiscriminatedUnion<z.ZodObject[]>, A>(
    path: string,
    summary: string,
    roles: RouteSpec['roles'],
    schema: S,
    update: UpdateDefinition<ProjectState, [A]>,
    options: { body?: z.ZodType; prepare?: (projectId: string, body: Record<string, unknown>) => Promise<Record<string, unknown>> } = {},
  ): RouteSpec => ({
    method: 'post',
    path: `/projects/:projectId/${path}`,
    summary,
    roles,
    body: options.body ?? bodyOf(schema),
    success: { status: 200, description: 'The project after the action', schema: projectStateSchema },
    problems: { 404: 'No such project', 409: 'Not possible at this stage, or already decided', 422: 'Refused by a rule (named)' },
    handler: async ({ req, principal, params, body }) => {
      // Scoped in the system of record (another unit's project answers as a missing one), and a 503 at
      // once when no worker runs. No query first: the update's validator refuses what the project's
      // state does not allow, and an ended project is read only after the update is refused (below).
      await scopedRow(principal, params.projectId!);
      await requireWorker(`acting on project ${params.projectId}`);
      const actor = { id: principal.id, role: principal.role, ...(principal.unit ? { unit: principal.unit } : {}), requestId: String(req.id) };
      const input = options.prepare ? await options.prepare(params.projectId!, body as Record<string, unknown>) : body;
      try {
        return await project(params.projectId!).executeUpdate(update, { args: [{ ...input, actor } as A] });
      } catch (error) {
        // The project was read a moment ago, so "not found" now means its run closed in between:
        // "workflow execution already completed", or — when the Update was admitted just before the
        // workflow's last task closed it — "workflow update was aborted by closing workflow"
        // (Temporal's AbortedByWorkflowClosingErr). Under load that window widens; it used to be a 404.
        // A refusal as a conflict may likewise come from a project that ended after it was read.
        const mapped = temporalProblem(error, `project ${params.projectId}`);
        if (error instanceof WorkflowNotFoundError || (mapped instanceof ProblemError && mapped.problem.status === 409)) {
          const after = await scopedProject(principal, params.projectId!);
          if (after.status === 'ended') throw projectEnded(after);
        }
        throw mapped;
      }
    },
  });

  return [
    {
      method: 'post',
      path: '/projects',
      summary: 'Register a project proposal; starts its ProjectLifecycle workflow',
      roles: ['unit', 'reviewOffice', 'admin'],
      body: projectProposalSchema,
      success: { status: 201, description: "Registered: the project's first state, from its workflow", schema: projectStateSchema },
      alsoSuccess: {
        status: 202,
        description: 'Registered, but the busy worker has not yet answered with the first state: GET the Location shortly',
        schema: z.object({ projectId: z.string(), detail: z.string() }),
      },
      problems: { 409: 'A project with this id is already registered', 413: 'Body too large', 422: 'A field breaks a rule; each is named' },
      handler: async ({ principal, body, req, res }) => {
        const proposal = body as z.infer<typeof projectProposalSchema>;
        assertUnitScope(principal, proposal.unit);
        // The unit comes from the registry, not free text (a look-alike name would be a unit nobody sees).
        const registered = await store.unitNamed(proposal.unit);
        if (!registered || registered.jurisdiction !== proposal.jurisdiction) {
          throw problem.field('/body/unit', `${proposal.unit} is not a registered unit of ${proposal.jurisdiction} (GET /units lists them; an administrator registers one with PUT /units/{name})`);
        }
        // A county unit's projects are county projects, and its county acts for them (004 §8 ¶3).
        if (Boolean(proposal.flags.county) !== Boolean(registered.county)) {
          throw problem.field('/body/flags/county', registered.county ? `${proposal.unit} is a unit of ${registered.county}: its projects are county projects (flags.county: true)` : `${proposal.unit} is a city unit: flags.county is for a county's units`);
        }
        proposal.county = registered.county ?? undefined;
        await requireWorker(`registering ${proposal.projectId}`);
        const profile = profileFor(proposal.jurisdiction);
        const undeclarable = declaredFactRefusal(profile, proposal.flags, principal.role);
        if (undeclarable) throw forbidden(`${undeclarable.field.slice('/body/'.length)}: ${undeclarable.rule}: ${undeclarable.message}`, undeclarable.rule);
        await refuseRestrictedDevelopment(store, profile, proposal.unit, { role: principal.role, grounds: proposal.sharingException });
        if (isLateProposal(profile, proposal, new Date())) {
          throw problem.rule(lateProposalMessage(profile, proposal.planYear), profile.intakeCutoff!.rule, '/body/planKind');
        }
        const start = new WithStartWorkflowOperation(ProjectLifecycle, lifecycleStartOptions(proposal, taskQueue));
        // One call starts the workflow and returns its first state from its first task (update-with-start).
        // 201 promises the project is in the system of record too, so the API writes its row from that state
        // at once; the workflow's first activity writes the same row, and the second write changes nothing.
        const stopWaiting = new AbortController();
        const registration = client
          .withAbortSignal(stopWaiting.signal, () => client.workflow.executeUpdateWithStart(registeredUpdate, { startWorkflowOperation: start }))
          .then(async (state) => {
            await store.registerProject(projectRecordOf(proposal, state));
            return state;
          });
        const accepted = () => {
          // The workflow exists, so the registration stands; its first activity writes the row. Nothing about
          // the project is told here that the caller did not send.
          res.location(`/projects/${proposal.projectId}`);
          res.locals.successStatus = 202;
          return {
            projectId: proposal.projectId,
            detail: `Registered; its first state is not available yet (the worker is busy or failing). GET /projects/${proposal.projectId} shortly.`,
          };
        };
        const started = () =>
          project(proposal.projectId)
            .describe()
            .then(() => true, (error: unknown) => (error instanceof WorkflowNotFoundError ? false : Promise.reject(error)));
        const timer = new AbortController();
        try {
          // A busy worker may take its time over the first task: once the start is durable the caller is not
          // held beyond registrationAnswerMs.
          const answer = await Promise.race([registration, delay(registrationAnswerMs, 'busy' as const, { signal: timer.signal })]).finally(() => timer.abort());
          if (answer === 'busy' && (await started())) {
            stopWaiting.abort();
            return accepted();
          }
          const state = answer === 'busy' ? await registration : answer;
          res.location(`/projects/${proposal.projectId}`);
          return state;
        } catch (error) {
          if (error instanceof WorkflowExecutionAlreadyStartedError) {
            throw problem.conflict(`Project ${proposal.projectId} is already registered`, { projectId: proposal.projectId, location: `/projects/${proposal.projectId}` });
          }
          // Started, but its first answer failed (its first task failing, the row's write refused): the project
          // is registered all the same, and a retry would only be told so with a 409.
          if (await started().catch(() => false)) {
            req.log.error({ err: error, projectId: proposal.projectId }, 'registered, but the first state could not be read');
            return accepted();
          }
          throw error;
        }
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
    {
      method: 'post',
      path: '/projects/:projectId/documents',
      summary: 'Attach a document (the bytes as the body); kept by content with its SHA-256',
      roles: ['unit', 'reviewOffice', 'technicalReviewer', 'bigDataCentre', 'reform', 'county', 'expert', 'thirdPartyReviewer'],
      rawBody: { contentType: 'application/octet-stream', description: 'The file, at most 20 MB' },
      query: documentQuerySchema,
      success: { status: 201, description: 'Attached; the same file again answers 200 with the record as first stored', schema: documentSchema },
      problems: { 404: 'No such project', 413: 'File too large', 415: 'Send the file as application/octet-stream', 422: 'kind/title invalid or empty file' },
      handler: async ({ req, res, principal, params, query }) => {
        await scopedRecord(principal, params.projectId!);
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw problem.rule('The file is empty', 'documents', '/body');
        const bytes = storeDocumentBytes(dataDir, req.body);
        const record = {
          documentId: `${params.projectId}-${query.kind}-${bytes.sha256.slice(0, 16)}`,
          projectId: params.projectId!, kind: query.kind, title: query.title, sha256: bytes.sha256, sizeBytes: bytes.sizeBytes,
          storageUri: bytes.storageUri, uploadedBy: principal.id, uploadedAt: new Date().toISOString(),
        };
        const { created, stored } = await store.recordDocument(record);
        // The same file again answers with the record as it is stored (first title, first uploader), 200.
        if (!created) res.locals.successStatus = 200;
        return {
          documentId: stored.document_id, kind: stored.kind, title: stored.title, sha256: stored.sha256, sizeBytes: Number(stored.size_bytes),
          uploadedBy: stored.uploaded_by, uploadedAt: stored.uploaded_at,
        };
      },
    },
    {
      method: 'get',
      path: '/projects/:projectId/documents',
      summary: "The project's documents (metadata and SHA-256)",
      roles: ALL_ROLES,
      success: { status: 200, description: 'Documents', schema: z.object({ items: z.array(documentSchema) }) },
      problems: { 404: 'No such project' },
      handler: async ({ principal, params }) => {
        await scopedRecord(principal, params.projectId!);
        const rows = await store.documentsOf(params.projectId!);
        return { items: rows.map((r) => ({ documentId: r.document_id, kind: r.kind, title: r.title, sha256: r.sha256, sizeBytes: r.size_bytes, uploadedBy: r.uploaded_by, uploadedAt: r.uploaded_at })) };
      },
    },
    action(
      'decisions',
      "Decide the open review: approve, reject with reasons, or request revision; with the documents it hands in by id (a third party's review report, Bijie 003 §7, §14)",
      ['reviewOffice', 'technicalReviewer', 'bigDataCentre', 'expert', 'finance', 'reform', 'county', 'unit', 'thirdPartyReviewer'], decideInputSchema, decideUpdate,
      { body: withDocumentIds(decideInputSchema), prepare: resolveDocuments },
    ),
    action(
      'submissions',
      "The unit's submission for the current stage (design, contract, go-live, acceptance application, archive, revision), with the documents it hands in by id (Ji'an's dossier, 004 §16)",
      ['unit'], submitInputSchema, submitUpdate,
      { body: withDocumentIds(submitInputSchema), prepare: resolveDocuments },
    ),
    action('deferrals', "Apply for a deferral of the acceptance date, with reasons and the date asked for (Ji'an, 004 §16)", ['unit'], deferralRequestInputSchema, requestDeferralUpdate),
    action('deferral-decisions', "Approve (optionally with another date) or refuse a deferral of the acceptance date (Ji'an: the reform commission, 004 §16)", ['reform', 'reviewOffice'], deferralDecisionInputSchema, decideDeferralUpdate),
    action('change-requests', 'Request a change of approved content during implementation; approved (Yiyang, 001 §22) or filed (Nanfeng, 000 §11) per the profile', ['unit'], changeRequestInputSchema, requestChangeUpdate),
    action('change-decisions', 'Decide a change request: approve or reject it (001 §22), or record it as filed (000 §11), per the profile', ['reviewOffice'], changeDecisionInputSchema, decideChangeUpdate),
    action('termination', 'Terminate on a ground the profile lists, with a written explanation: by the unit (Yiyang, 001 §20), by finance for lagging spending (Bijie, 003 §12); refused where the jurisdiction has no termination (Nanfeng)', ['unit', 'finance'], terminateInputSchema, terminateUpdate),
    action('postponement', "Postpone a project's implementation while the unit's spending lags, or resume it (Bijie: finance, 003 §12)", ['finance'], postponementInputSchema, postponementUpdate),
    action('problems', 'Record a problem found in supervision, of a kind the article lists, with the date by which to rectify; unrectified, it blocks the project\'s further money (Bijie, 003 §31)', ['reviewOffice'], problemInputSchema, recordProblemUpdate),
    action(
      'problem-rectifications', 'Report the rectification of a problem, with its evidence by document id (Bijie, 003 §31)', ['unit'], problemReportInputSchema, reportProblemRectificationUpdate,
      { body: withDocumentIds(problemReportInputSchema), prepare: resolveDocuments },
    ),
    action('problem-verdicts', "Accept a reported rectification (closing the problem and lifting its money block) or find it short, with reasons and a new date (Bijie, 003 §31)", ['reviewOffice'], problemVerdictInputSchema, decideProblemRectificationUpdate),
    action(
      'yearly-reports', "Hand in the O&M year's reports by document id: security test, cryptography and risk assessments (003 §28), the comprehensive evaluation (003 §33), a stock system's O&M service report and a key project's third-party evaluation (002 (八)); missing ones are flagged at the year's end",
      ['unit', 'reviewOffice', 'thirdPartyReviewer'], yearlyReportInputSchema, fileYearlyReportUpdate,
      { body: withDocumentIds(yearlyReportInputSchema, true), prepare: resolveDocuments },
    ),
    action('om-service-contracts', "File an O&M service contract signed after the warranty, at most 3 years (Ji'an, 004 §13)", ['unit'], omServiceContractInputSchema, fileOmServiceContractUpdate),
    action('deficiencies', "Record a deficiency of a system in service (data not shared, collected twice …: Ji'an 004 §17, Yiyang 001 §35, which also stops its O&M money); its unit registers no new project until it is rectified", ['bigDataCentre', 'reviewOffice'], deficiencyInputSchema, recordDeficiencyUpdate),
    action('deficiency-rectifications', "Confirm that a deficiency is rectified, lifting its unit's restriction and any O&M money block (004 §17, 001 §35)", ['bigDataCentre', 'reviewOffice'], rectificationConfirmedInputSchema, confirmRectificationUpdate),
    action('evaluations', 'Record an O&M year evaluation or assessment (gates retention tranches, 001 §19)', ['reviewOffice', 'reform', 'unit'], evaluationInputSchema, recordEvaluationUpdate),
    action('health-endpoint', "Declare or change the system's health endpoint, which the monthly monitoring calls: the unit; during a forced exit, the review office (Suqian, 002 (二))", ['unit', 'reviewOffice'], healthEndpointInputSchema, declareHealthEndpointUpdate),
    action(
      'health-reports', "A system in operation checked now: the unit asks for a recheck after a repair (inside a forced-exit window it recovers the system), or the review office reports the month's result by hand (Suqian, 002 (二))",
      ['unit', 'reviewOffice'], healthReportInputSchema, reportHealthUpdate,
    ),
    {
      method: 'get',
      path: '/projects/:projectId/monitoring',
      summary: "The system's monitoring (002 (二)): endpoint, consecutive failing months, the forced-exit path, and every check recorded",
      roles: ALL_ROLES,
      success: { status: 200, description: 'Monitoring and checks', schema: monitoringViewSchema },
      problems: { 404: 'No such project', 422: 'The jurisdiction has no monitoring' },
      handler: async ({ principal, params }) => {
        const state = await scopedProject(principal, params.projectId!);
        const policy = profileFor(state.jurisdiction).monitoring;
        if (!state.monitoring || !policy) throw problem.rule(`${state.jurisdiction} has no monitoring of systems in operation`, 'monitoring', '/params/projectId');
        return {
          monitoring: state.monitoring,
          policy: { rule: policy.rule, failingMonths: policy.failingMonths, rectificationWindow: policy.rectificationWindow },
          checks: await store.healthChecksOf(state.projectId),
        };
      },
    },
    action('closure', 'Close an idle system by letter (Nanfeng, 000 §22) or retire it with its data disposition (Yiyang, 001 §36), as the profile has them', ['reviewOffice', 'unit'], closeInputSchema, closeProjectUpdate),
  ];
}
