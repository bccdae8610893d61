import { z } from 'zod';
import { lineText, paragraphText } from './text';
import { fenSchema, healthEndpointSchema, positiveFenSchema, jurisdictionSchema, projectFlagsSchema, projectIdSchema, projectStageSchema } from './project';
import { businessDateSchema, decisionSchema, documentRefSchema, MAX_TRANCHES, roleSchema, stageEventKindSchema } from './records';
import { monitoringStateSchema } from './monitoring';

/**
 * Messages to and state of the lifecycle workflows, as zod schemas: the API validates requests with
 * them, the workflows' update validators re-check them, and the query results are typed by them.
 */

/** Who acts. Set by the API from the authenticated identity, never taken from a request body. */
export const actorSchema = z.object({
  id: z.string().min(1).max(200),
  role: roleSchema,
  /** The unit an ops user belongs to; unit ops may only act on their own unit's projects. */
  unit: z.string().min(1).max(100).optional(),
  /** The API request that carried the action (X-Request-Id), kept in the timeline for tracing. */
  requestId: z.string().max(100).optional(),
});
export type Actor = z.infer<typeof actorSchema>;

const reasonsSchema = z.array(paragraphText(2000)).max(50);

export const decideInputSchema = z
  .object({
    stage: projectStageSchema,
    decision: decisionSchema,
    reasons: reasonsSchema.default([]),
    /** Experts of the review meeting, drawn from the expert library (001 §11–12). */
    experts: z.array(lineText(100)).max(50).default([]),
    /** Refusal grounds by code (000 §8(2)2). */
    refusalGrounds: z.array(z.string()).max(10).default([]),
    /** A failed acceptance: the date by which the unit must rectify, set by the deciding body (001 §28 限期整改). */
    rectifyBy: businessDateSchema.optional(),
    /** An approval that sets the date by which the project is to be accepted (004 §16 按期完成验收). */
    acceptanceDueBy: businessDateSchema.optional(),
    /** An approval of the service plan that fixes the reviewed tender ceiling price (003 §14 招标控制价). */
    tenderCeilingFen: positiveFenSchema.optional(),
    /** The documents the decision hands in (a third party's review report, 003 §7, §14): resolved by the API from the project's uploads. */
    documents: z.array(documentRefSchema).max(20).default([]),
    actor: actorSchema,
  })
  .strict();
export type DecideInput = z.input<typeof decideInputSchema>;

export const submissionActionSchema = z.enum([
  'revision',
  'preliminaryDesign',
  'feasibilityStudy',
  'technicalScheme',
  'demandScheme',
  'servicePlan',
  'startImplementation',
  'contract',
  'goLive',
  'dataSharingApplication',
  'preliminaryAcceptance',
  'acceptanceApplication',
  'archiveFiling',
  'assetRegistration',
]);
export type SubmissionActionName = z.infer<typeof submissionActionSchema>;

export const contractPayloadSchema = z
  .object({
    contractId: z.string().trim().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, ".", "_" or "-"'),
    contractor: lineText(200),
    sumFen: positiveFenSchema,
    omYears: z.number().int().min(0).max(30),
    /** The law, regulation or upper-level policy that allows an O&M period below the usual minimum (001 §21 另有规定的除外). */
    omLegalBasis: paragraphText(1000).optional(),
    signedDate: businessDateSchema,
  })
  .strict();

/** A project's contracts: its lots, or (state from before lots) its one contract. */
export function contractsOf(state: { contract: ContractPayload | null; contracts?: ContractPayload[] }): ContractPayload[] {
  if (state.contracts && state.contracts.length > 0) return state.contracts;
  return state.contract ? [state.contract] : [];
}
export type ContractPayload = z.infer<typeof contractPayloadSchema>;

/** The id of a contract's RetentionRelease workflow, the project's child (001 §19). */
export const retentionWorkflowId = (projectId: string, contractId: string): string => `${projectId}.retention.${contractId}`;

/** A project's retention workflows: one per lot, or (state from before lots) the one. */
export function retentionWorkflowsOf(state: { retentionWorkflowId: string | null; retentionWorkflowIds?: string[] }): string[] {
  if (state.retentionWorkflowIds && state.retentionWorkflowIds.length > 0) return state.retentionWorkflowIds;
  return state.retentionWorkflowId ? [state.retentionWorkflowId] : [];
}

/**
 * A filed contract records an act already done: its signing date cannot lie after the day it is filed
 * (`today`, Asia/Shanghai). Not an article of any seed: the integrity of the record.
 */
export function contractSigningRefusal(signedDate: string, today: string): string | null {
  return signedDate > today ? `the contract cannot be filed as signed on ${signedDate}, a date after today (${today})` : null;
}
export const RECORD_INTEGRITY = 'record integrity (no statutory article)';
/** The rule of a workflow ended in Temporal directly, outside the application: no article, the system's integrity. */
export const SYSTEM_INTEGRITY = 'system integrity (no statutory article)';

export const submitInputSchema = z
  .object({
    action: submissionActionSchema,
    actor: actorSchema,
    /** preliminaryDesign: the professional design agency (required ≥ 500万, 001 §10). */
    designAgency: lineText(200).optional(),
    /** contract filing (001 §8, §25, 000 §9): the contract … */
    contract: contractPayloadSchema.optional(),
    /** … or, for a project procured in lots, one contract per lot, each with its own retention. */
    contracts: z.array(contractPayloadSchema).min(1).max(20).optional(),
    /** contract filing: the engineering supervision firm engaged (监理单位), where the profile requires one (001 §24, 004 §14). */
    supervisor: lineText(200).optional(),
    /** acceptanceApplication: the preconditions the unit declares met (001 §26(3)(4), 000 §13). */
    preconditionsMet: z.array(z.string()).max(10).default([]),
    /** The documents handed in with the submission (004 §16's dossier): resolved by the API from the project's uploads. */
    documents: z.array(documentRefSchema).max(20).default([]),
    note: paragraphText(2000, 0).optional(),
  })
  .strict();
export type SubmitInput = z.input<typeof submitInputSchema>;

/**
 * The grounds on which a content adjustment may be asked for (003 §19 lists three): a state, provincial
 * or city requirement; improving the approved service plan; an adjustment within its framework.
 */
export const changeGroundSchema = z.enum(['upperRequirement', 'planImprovement', 'withinApprovedFramework']);
export const changeRequestInputSchema = z
  .object({
    summary: lineText(500),
    reason: paragraphText(2000),
    /** The ground, where the profile lists them (003 §19). */
    ground: changeGroundSchema.optional(),
    actor: actorSchema,
  })
  .strict();
export type ChangeRequestInput = z.input<typeof changeRequestInputSchema>;

export const changeDecisionInputSchema = z
  .object({
    changeId: z.number().int().min(1),
    /** approve / reject where changes are approved (001 §22); file where they are only filed (000 §11). */
    decision: z.enum(['approve', 'reject', 'file']),
    reasons: reasonsSchema.default([]),
    /** The experts who reviewed the change, where the profile requires an expert review (003 §19). */
    experts: z.array(lineText(100)).max(50).default([]),
    actor: actorSchema,
  })
  .strict();
export type ChangeDecisionInput = z.input<typeof changeDecisionInputSchema>;

/**
 * The grounds of termination that any profile knows (001 §20 lists three; 003 §12 the unit's lagging
 * spending); each profile names those it allows.
 */
export const terminationGroundSchema = z.enum(['forceMajeure', 'implementationFailure', 'contractorRefusesRectification', 'spendingLag']);
export const terminateInputSchema = z
  .object({
    ground: terminationGroundSchema,
    /** The written explanation to the review office. */
    explanation: paragraphText(5000, 10, 'must be a written explanation of at least 10 characters'),
    actor: actorSchema,
  })
  .strict();
export type TerminateInput = z.input<typeof terminateInputSchema>;

export const evaluationInputSchema = z
  .object({
    /** O&M year after final acceptance (1 = first year). */
    year: z.number().int().min(1).max(50),
    passed: z.boolean(),
    reasons: reasonsSchema.default([]),
    actor: actorSchema,
  })
  .strict();
export type EvaluationInput = z.input<typeof evaluationInputSchema>;

export const closeInputSchema = z
  .object({
    /** closure: a closure letter for an idle system (000 §22); retirement: by the unit, with data disposal (001 §36). */
    kind: z.enum(['closure', 'retirement']),
    reasons: z.array(paragraphText(2000)).min(1, 'must give at least one reason').max(50),
    /** Retirement: what happened to the data (backed up, migrated, destroyed), 001 §36. */
    dataDisposition: paragraphText(2000).optional(),
    actor: actorSchema,
  })
  .strict();
export type CloseInput = z.input<typeof closeInputSchema>;

/** A project that cannot be accepted by its date applies for a deferral, with its reasons and the date it asks for (004 §16 ¶2). */
export const deferralRequestInputSchema = z
  .object({
    reasons: z.array(paragraphText(2000)).min(1, 'must give the reasons why the project cannot be accepted on time').max(50),
    proposedDate: businessDateSchema,
    actor: actorSchema,
  })
  .strict();
export type DeferralRequestInput = z.input<typeof deferralRequestInputSchema>;

export const deferralDecisionInputSchema = z
  .object({
    deferralId: z.number().int().min(1),
    decision: z.enum(['approve', 'reject']),
    /** Approval: the new date, if not the one asked for. */
    acceptanceDueBy: businessDateSchema.optional(),
    reasons: reasonsSchema.default([]),
    actor: actorSchema,
  })
  .strict();
export type DeferralDecisionInput = z.input<typeof deferralDecisionInputSchema>;

/** An O&M service contract signed with a supplier after the warranty (004 §13): at most the profile's years. */
export const omServiceContractInputSchema = z
  .object({
    contractId: contractPayloadSchema.shape.contractId,
    supplier: lineText(200),
    sumFen: positiveFenSchema,
    years: z.number().int().min(1).max(30),
    signedDate: businessDateSchema,
    actor: actorSchema,
  })
  .strict();
export type OmServiceContractInput = z.input<typeof omServiceContractInputSchema>;
export const omServiceContractStateSchema = omServiceContractInputSchema.omit({ actor: true }).extend({ filedAt: z.string() });

/** The grounds of 004 §17 that any profile knows; each profile names those it has. */
export const deficiencyGroundSchema = z.enum(['dataNotShared', 'dataCollectedTwice', 'notInSystemCatalogue', 'cryptoOrSecurityNotMet']);
export const deficiencyInputSchema = z
  .object({ ground: deficiencyGroundSchema, reasons: z.array(paragraphText(2000)).min(1, 'must say what is deficient').max(50), actor: actorSchema })
  .strict();
export type DeficiencyInput = z.input<typeof deficiencyInputSchema>;
export const rectificationConfirmedInputSchema = z
  .object({ deficiencyId: z.number().int().min(1), reasons: reasonsSchema.default([]), actor: actorSchema })
  .strict();
export type RectificationConfirmedInput = z.input<typeof rectificationConfirmedInputSchema>;
export const deficiencyStateSchema = z.object({
  deficiencyId: z.number().int(),
  ground: deficiencyGroundSchema,
  reasons: z.array(z.string()),
  status: z.enum(['open', 'rectified']),
  since: z.string(),
  rectifiedAt: z.string().optional(),
});

/** A project's implementation postponed, or resumed, because the unit's spending lags (003 §12 推迟实施). */
export const postponementInputSchema = z
  .object({
    action: z.enum(['postpone', 'resume']),
    reasons: z.array(paragraphText(2000)).min(1, 'must give the reasons').max(50),
    actor: actorSchema,
  })
  .strict();
export type PostponementInput = z.input<typeof postponementInputSchema>;

/**
 * The problems found in supervision that must be rectified (003 §31 lists nine): not as rules or the
 * approval require; service content changed without approval; not built on the city data centre; not
 * connected to the province's integrated service platform; data not shared or opened though it
 * qualifies; security not ensured; no domestic cryptography protecting the data; a third party's
 * information system used without approval; other non-compliance.
 */
export const problemKindSchema = z.enum([
  'notAsApproved', 'contentChangedWithoutApproval', 'notOnCityDataCentre', 'notOnServicePlatform', 'dataNotSharedOrOpened',
  'securityNotEnsured', 'noDomesticCryptography', 'unapprovedThirdPartySystem', 'otherNonCompliance',
]);
export const problemInputSchema = z
  .object({
    kind: problemKindSchema,
    reasons: z.array(paragraphText(2000)).min(1, 'must say what was found').max(50),
    /** The date by which the unit rectifies and reports (按要求及时整改), set by the department. */
    rectifyBy: businessDateSchema,
    actor: actorSchema,
  })
  .strict();
export type ProblemInput = z.input<typeof problemInputSchema>;
/** The unit reports its rectification to the department (将结果报送至大数据部门), with its evidence. */
export const problemReportInputSchema = z
  .object({
    problemId: z.number().int().min(1),
    reasons: z.array(paragraphText(2000)).min(1, 'must say what was rectified').max(50),
    documents: z.array(documentRefSchema).max(20).default([]),
    actor: actorSchema,
  })
  .strict();
export type ProblemReportInput = z.input<typeof problemReportInputSchema>;
/** The department accepts the rectification (the problem is closed) or finds it short (整改后不符合要求). */
export const problemVerdictInputSchema = z
  .object({
    problemId: z.number().int().min(1),
    accepted: z.boolean(),
    reasons: reasonsSchema.default([]),
    /** A rectification found short: the new date by which to rectify. */
    rectifyBy: businessDateSchema.optional(),
    actor: actorSchema,
  })
  .strict();
export type ProblemVerdictInput = z.input<typeof problemVerdictInputSchema>;
export const problemStateSchema = z.object({
  problemId: z.number().int(),
  kind: problemKindSchema,
  reasons: z.array(z.string()),
  rectifyBy: businessDateSchema,
  /** open: to be rectified; reported: awaiting the department's verdict; closed: rectified as required. */
  status: z.enum(['open', 'reported', 'closed']),
  /** Why the project's further money is blocked by this problem: not rectified by its date, or rectified short. */
  blocksMoney: z.enum(['notRectified', 'rectificationFailed']).nullable(),
  /** When this problem's block began (the block's key in the system of record). */
  blockedSince: z.string().optional(),
  /** Rectification reports made so far. */
  reports: z.number().int(),
  since: z.string(),
  closedAt: z.string().optional(),
});

/** Reports the profile requires each O&M year (003 §28 security, cryptography and risk; 003 §33 evaluation), handed in as documents. */
export const yearlyReportInputSchema = z
  .object({ documents: z.array(documentRefSchema).min(1).max(20), actor: actorSchema })
  .strict();
export type YearlyReportInput = z.input<typeof yearlyReportInputSchema>;

/** The unit declares (or changes) the endpoint of its system (any time before the project ends). */
export const healthEndpointInputSchema = z.object({ endpoint: healthEndpointSchema, actor: actorSchema }).strict();
export type HealthEndpointInput = z.input<typeof healthEndpointInputSchema>;

/**
 * The unit asks for its system to be checked now (after a repair, inside the forced-exit window), or the
 * review office reports the month's result by hand (a system found not running properly in use).
 */
export const healthRecheckInputSchema = z.object({ source: z.literal('recheck'), actor: actorSchema }).strict();
export const healthManualReportInputSchema = z
  .object({
    source: z.literal('manual'),
    healthy: z.boolean(),
    reasons: z.array(paragraphText(2000)).min(1, 'must say what was found').max(50),
    actor: actorSchema,
  })
  .strict();
export const healthReportInputSchema = z.discriminatedUnion('source', [healthRecheckInputSchema, healthManualReportInputSchema]);
export type HealthReportInput = z.input<typeof healthReportInputSchema>;

export const deferralStateSchema = z.object({
  deferralId: z.number().int(),
  reasons: z.array(z.string()),
  proposedDate: businessDateSchema,
  /** withdrawn: the acceptance application was made while the deferral awaited its decision. */
  status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']),
  requestedBy: z.string(),
  decidedBy: z.string().optional(),
  decisionReasons: z.array(z.string()).optional(),
});

export const planDecisionSchema = z.object({
  planId: z.string(),
  included: z.boolean(),
  reason: z.string().optional(),
});
export type PlanDecision = z.infer<typeof planDecisionSchema>;

export const pendingActionSchema = z.object({
  kind: z.enum(['review', 'revision', 'rectification', 'submission', 'plan', 'implementation', 'evaluation', 'retirement']),
  stage: projectStageSchema,
  /** Who must act. */
  role: roleSchema,
  action: submissionActionSchema.optional(),
  reviewKey: z.string().optional(),
  dueDate: businessDateSchema.optional(),
  dueAt: z.string().optional(),
  provisional: z.boolean().optional(),
  /** The earliest the action is allowed (trial run), as a business date and instant. */
  notBeforeDate: businessDateSchema.optional(),
  notBeforeAt: z.string().optional(),
  rule: z.string().optional(),
});
export type PendingAction = z.infer<typeof pendingActionSchema>;

export const timelineItemSchema = z.object({
  at: z.string(),
  stage: projectStageSchema,
  kind: stageEventKindSchema,
  actorId: z.string().optional(),
  actorRole: roleSchema.optional(),
  requestId: z.string().optional(),
  decision: decisionSchema.optional(),
  reasons: z.array(z.string()).optional(),
  rule: z.string().optional(),
});
export type TimelineItem = z.infer<typeof timelineItemSchema>;

export const changeRequestStateSchema = z.object({
  changeId: z.number().int(),
  summary: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'filed']),
  requestedBy: z.string(),
});

export const projectStateSchema = z.object({
  projectId: projectIdSchema,
  name: z.string(),
  unit: z.string(),
  jurisdiction: jurisdictionSchema,
  profileVersion: z.string(),
  planYear: z.number().int(),
  planKind: z.enum(['annual', 'supplementary']),
  investmentFen: fenSchema,
  flags: projectFlagsSchema,
  /** A county project's county (from the unit registry): its county officials act for it. */
  county: z.string().nullable().default(null),
  stage: projectStageSchema,
  status: z.enum(['active', 'ended']),
  outcome: z.object({ stage: projectStageSchema, reason: z.string(), rule: z.string() }).nullable(),
  registeredAt: z.string(),
  pending: pendingActionSchema.nullable(),
  timeline: z.array(timelineItemSchema),
  acceptanceFailures: z.number().int(),
  acceptedOn: businessDateSchema.nullable(),
  /** The (first) contract; `contracts` holds every lot. */
  contract: contractPayloadSchema.nullable(),
  contracts: z.array(contractPayloadSchema).default([]),
  /** The (first) contract's retention workflow; `retentionWorkflowIds` one per lot. */
  retentionWorkflowId: z.string().nullable(),
  retentionWorkflowIds: z.array(z.string()).default([]),
  /** O&M money blocked: until the archive is filed (000 §15), or after closure (000 §22). Finance sees it in GET /payments/blocks. */
  omFundingBlocked: z.boolean(),
  /** No remaining payment of the project is made: acceptance failed again or was not rectified (001 §28). */
  paymentsWithheld: z.object({ reason: z.string(), rule: z.string() }).nullable().default(null),
  changeRequests: z.array(changeRequestStateSchema),
  /** Documents handed in with submissions, by kind and content hash (004 §9(3), §16). */
  documents: z.array(documentRefSchema.extend({ stage: projectStageSchema })).default([]),
  /** The date by which the project is to be accepted, as the approval set it or a deferral moved it (004 §16). */
  acceptanceDue: z.object({ date: businessDateSchema, rule: z.string() }).nullable().default(null),
  deferrals: z.array(deferralStateSchema).default([]),
  /** Deficiencies found in the system in service; while one is open its unit may not build, rebuild or extend a system (004 §17). */
  deficiencies: z.array(deficiencyStateSchema).default([]),
  /** O&M service contracts filed during O&M (004 §13). */
  omServiceContracts: z.array(omServiceContractStateSchema).default([]),
  /** The tender ceiling price the service plan's review fixed (003 §14): no contract above it. */
  tenderCeilingFen: fenSchema.nullable().default(null),
  /** Implementation postponed because the unit's spending lags (003 §12), until resumed. */
  postponement: z.object({ since: z.string(), reasons: z.array(z.string()), rule: z.string() }).nullable().default(null),
  /** Problems found in supervision; an unrectified one blocks the project's further money (003 §31). */
  problems: z.array(problemStateSchema).default([]),
  /** Reports handed in each O&M year (003 §28, §33), and those found missing at a year's end. */
  yearlyReports: z.array(z.object({ year: z.number().int(), kind: z.string(), documentId: z.string(), filedAt: z.string() })).default([]),
  missingReports: z.array(z.object({ year: z.number().int(), kind: z.string(), label: z.string(), rule: z.string() })).default([]),
  /** The business date the system is in operation from: its acceptance, or a stock system's registration (002 (一)). */
  operatingSince: businessDateSchema.nullable().default(null),
  /** Monthly monitoring of the system in operation (002 (二)); null where the profile has none. */
  monitoring: monitoringStateSchema.nullable().default(null),
  omYear: z.number().int(),
  evaluations: z.array(z.object({ year: z.number().int(), passed: z.boolean(), reasons: z.array(z.string()) })),
});
export type ProjectState = z.infer<typeof projectStateSchema>;

export const trancheStateSchema = z.object({
  trancheNo: z.number().int(),
  amountFen: fenSchema,
  dueDate: businessDateSchema,
  condition: z.enum(['postEvaluation', 'assessment']),
  status: z.enum(['scheduled', 'due', 'blocked', 'released', 'forfeited']),
  blockedReason: z.string().nullable(),
  voucherRef: z.string().nullable(),
});

export const retentionStateSchema = z.object({
  projectId: projectIdSchema,
  contractId: z.string(),
  sumFen: fenSchema,
  withheldFen: fenSchema,
  acceptedOn: businessDateSchema,
  tranches: z.array(trancheStateSchema),
  rule: z.string(),
});
export type RetentionState = z.infer<typeof retentionStateSchema>;

export const releaseInputSchema = z
  .object({ trancheNo: z.number().int().min(1).max(MAX_TRANCHES), voucherRef: z.string().trim().min(1).max(100), actor: actorSchema })
  .strict();
export type ReleaseInput = z.input<typeof releaseInputSchema>;

export const assessmentSignalSchema = z.object({ trancheNo: z.number().int().min(1).max(MAX_TRANCHES), passed: z.boolean(), reason: z.string().nullable() });
export type AssessmentSignal = z.infer<typeof assessmentSignalSchema>;
