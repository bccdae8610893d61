import { z } from 'zod';
import { actorSchema } from './lifecycle';
import { jurisdictionSchema, projectIdSchema } from './project';
import { businessDateSchema, decisionSchema, isoInstantSchema, roleSchema } from './records';
import { lineText, paragraphText } from './text';

/**
 * The government cloud (政务云): one resource application per `CloudResource` workflow, from the
 * application through review, expert sizing, the responsibility letter, opening, deployment and cut-over,
 * resizes in service, to exit, data erasure and reclamation. Which steps exist, who takes them and every
 * period come from the jurisdiction's `CloudPolicy` (domain/policy/profile.ts); this file holds the
 * shapes only — no article, no period.
 */

/** Resource ids become part of a workflow id and a URL segment, so they keep to a safe alphabet. */
export const cloudResourceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, 'must be 3–64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit');

/** The workflow of a resource: `cloud:` keeps resource ids apart from project ids (which never hold a colon). */
export const cloudWorkflowId = (resourceId: string): string => `cloud:${resourceId}`;

/** Computing, memory and storage, in whole units. */
export const cloudResourcesSchema = z
  .object({
    vcpu: z.number().int('must be a whole number of vCPUs').min(1, 'must be at least 1').max(100_000, 'is too large'),
    memoryGiB: z.number().int('must be a whole number of GiB').min(1, 'must be at least 1').max(10_000_000, 'is too large'),
    storageGiB: z.number().int('must be a whole number of GiB').min(0, 'must not be negative').max(1_000_000_000, 'is too large'),
  })
  .strict();
export type CloudResources = z.infer<typeof cloudResourcesSchema>;
export const RESOURCE_DIMENSIONS = ['vcpu', 'memoryGiB', 'storageGiB'] as const;

/** The application as the API takes it: a city unit applies for itself; a county applies for one of its units (`county: true`). */
export const cloudApplicationSchema = z
  .object({
    resourceId: cloudResourceIdSchema,
    jurisdiction: jurisdictionSchema,
    /** The information system to run on the cloud. */
    systemName: lineText(200),
    /** The unit using the cloud (云使用部门). A unit's own token may leave it out; a county names its unit. */
    unit: lineText(100).optional(),
    /** A system of a county (市、区) unit, applied for by the county government. */
    county: z.boolean().default(false),
    resources: cloudResourcesSchema,
    /** The project the system belongs to, if any: a registered project of the same jurisdiction and unit. */
    projectId: projectIdSchema.optional(),
    purpose: paragraphText(2000).optional(),
  })
  .strict();
export type CloudApplicationBody = z.input<typeof cloudApplicationSchema>;
/** The application as the workflow receives it: the unit resolved. */
export type CloudApplication = z.infer<typeof cloudApplicationSchema> & { unit: string };

export const cloudStageSchema = z.enum([
  'review',
  'revision',
  'sizing',
  'responsibilityLetter',
  'openingNotice',
  'opening',
  'deployment',
  'inService',
  'exitReview',
  'migration',
  'dataErasure',
  'reclamation',
  'rejected',
  'reclaimed',
]);
export type CloudStage = z.infer<typeof cloudStageSchema>;

/** What users read (zh-CN) for each stage, in notifications and the API. */
export const cloudStageLabels: Record<CloudStage, string> = {
  review: '政务云资源申请审核',
  revision: '申请材料修改',
  sizing: '专家评审确定云资源使用量',
  responsibilityLetter: '签订《政务云使用责任书》及填写开通情况确认表',
  openingNotice: '通知云服务商开通',
  opening: '云资源开通',
  deployment: '部署、测试、安全风险预评估与割接上线',
  inService: '在用',
  exitReview: '退出申请审核',
  migration: '数据迁移过渡期',
  dataErasure: '数据清除',
  reclamation: '云资源回收',
  rejected: '申请未通过',
  reclaimed: '已退出并回收',
};

/** What the unit declares done before it reports the cut-over: deployment, testing, security-risk pre-assessment, cut-over. */
export const cutoverStepSchema = z.enum(['deployment', 'testing', 'securityRiskPreAssessment', 'cutover']);
export type CutoverStep = z.infer<typeof cutoverStepSchema>;
export const cutoverStepLabels: Record<CutoverStep, string> = {
  deployment: '部署 (deployment)',
  testing: '测试 (testing)',
  securityRiskPreAssessment: '安全风险预评估 (security-risk pre-assessment)',
  cutover: '系统割接上线运行 (cut-over)',
};

const reasonsSchema = z.array(paragraphText(2000)).max(50);
const expertsSchema = z.array(lineText(100)).max(50);

// ---- Actions: each is one Update (`cloudAction`) whose validator is a pure function (workflows/cloud/validators.ts) ----

const act = <A extends string, S extends z.ZodRawShape>(action: A, shape: S) =>
  z.object({ action: z.literal(action), ...shape, actor: actorSchema }).strict();

export const cloudDecisionSubjectSchema = z.enum(['application', 'resize', 'exit']);
export type CloudDecisionSubject = z.infer<typeof cloudDecisionSubjectSchema>;

export const cloudActionSchemas = {
  /** The authority decides the application, a resize or an exit. */
  decide: act('decide', {
    subject: cloudDecisionSubjectSchema,
    decision: decisionSchema,
    reasons: reasonsSchema.default([]),
    /** An approved increase is sized by experts like an application: the experts and the sized resources. */
    experts: expertsSchema.default([]),
    resources: cloudResourcesSchema.optional(),
  }),
  /** The applicant answers a revision request, with the resources as revised. */
  revise: act('revise', { resources: cloudResourcesSchema.optional(), reasons: reasonsSchema.default([]) }),
  /** The authority records the experts' sizing of the approved application. */
  size: act('size', { experts: expertsSchema, resources: cloudResourcesSchema }),
  /** The unit signs the responsibility letter (政务云使用责任书) and fills in the opening confirmation form. */
  signLetter: act('signLetter', {
    signedBy: lineText(100),
    signedOn: businessDateSchema,
    confirmationFormFilled: z.boolean(),
    /** The file numbers (文号) the unit gave the signed letter and form — its own references, not uploads checked here. */
    fileNumbers: z.array(lineText(200)).max(10).default([]),
  }),
  /** The authority tells the provider to open the resources. */
  notifyProvider: act('notifyProvider', {}),
  /** The provider reports the resources opened. */
  opened: act('opened', {}),
  /** The unit reports the cut-over, declaring each step of the deployment done. */
  cutover: act('cutover', { completed: z.array(cutoverStepSchema).max(10).default([]) }),
  /** The unit reports the old system (the fallback) decommissioned. */
  fallbackDecommissioned: act('fallbackDecommissioned', {}),
  /** The unit asks for more or fewer resources: the new totals. */
  requestResize: act('requestResize', { direction: z.enum(['scaleUp', 'scaleDown']), resources: cloudResourcesSchema, reasons: reasonsSchema.default([]) }),
  /** The provider reports an approved resize carried out. */
  resizeApplied: act('resizeApplied', {}),
  /** The unit applies to stop using the cloud. */
  requestExit: act('requestExit', { reasons: reasonsSchema.default([]) }),
  /** The unit reports its data migrated off the cloud. */
  migrationComplete: act('migrationComplete', {}),
  /** The unit, or the provider, confirms the data erased (both must). */
  dataErasure: act('dataErasure', {}),
  /** The provider reports the resources reclaimed. */
  reclamation: act('reclamation', {}),
};

export const cloudActionInputSchema = z.discriminatedUnion('action', [
  cloudActionSchemas.decide,
  cloudActionSchemas.revise,
  cloudActionSchemas.size,
  cloudActionSchemas.signLetter,
  cloudActionSchemas.notifyProvider,
  cloudActionSchemas.opened,
  cloudActionSchemas.cutover,
  cloudActionSchemas.fallbackDecommissioned,
  cloudActionSchemas.requestResize,
  cloudActionSchemas.resizeApplied,
  cloudActionSchemas.requestExit,
  cloudActionSchemas.migrationComplete,
  cloudActionSchemas.dataErasure,
  cloudActionSchemas.reclamation,
]);
export type CloudActionInput = z.input<typeof cloudActionInputSchema>;
export type CloudAction = z.infer<typeof cloudActionInputSchema>;
export type CloudActionName = CloudAction['action'];
export const cloudActionNames = Object.keys(cloudActionSchemas) as CloudActionName[];

/** What users read (zh-CN) for each step, in notifications. */
export const cloudActionLabels: Record<CloudActionName, string> = {
  decide: '审核决定',
  revise: '修改申请',
  size: '组织专家评审确定云资源使用量',
  signLetter: '签订责任书并填写开通情况确认表',
  notifyProvider: '通知云服务商开通',
  opened: '完成云资源开通',
  cutover: '完成部署、测试、安全风险预评估和系统割接上线',
  fallbackDecommissioned: '原信息系统下线',
  requestResize: '申请扩容或减容',
  resizeApplied: '实施扩容或减容',
  requestExit: '申请退出',
  migrationComplete: '完成数据迁移',
  dataErasure: '数据清除',
  reclamation: '回收云资源',
};

// ---- State (the `cloudResourceState` query) ----

export const cloudDeadlineSchema = z.object({ date: businessDateSchema, provisional: z.boolean(), startsAt: z.string(), endsAt: z.string() });
export type CloudDeadline = z.infer<typeof cloudDeadlineSchema>;

/**
 * A period running for the resource. Working-day periods get their due date from the calendar activity
 * (null until then); the fallback's end is pure date arithmetic. A reminder at the due date's start, and
 * at its end: a breach (with escalation), the forced exit of a system not cut over, the fallback period
 * over, or the migration window closed.
 */
export const cloudClockIdSchema = z.enum(['review', 'opening', 'deployment', 'fallback', 'resize', 'migration']);
export const cloudClockSchema = z.object({
  id: cloudClockIdSchema,
  /** Who must act before it ends. */
  roles: z.array(roleSchema),
  action: z.enum(cloudActionNames as [CloudActionName, ...CloudActionName[]]),
  rule: z.string(),
  from: z.string(),
  workingDays: z.number().int().nullable(),
  onEnd: z.enum(['breach', 'forcedExit', 'periodOver', 'windowEnd']),
  reminder: z.boolean(),
  due: cloudDeadlineSchema.nullable(),
  announced: z.boolean(),
  reminded: z.boolean(),
  ended: z.boolean(),
  /** The review clock while the applicant revises, and when the revision came. */
  pausedAt: z.string().optional(),
  resumedAt: z.string().optional(),
});
export type CloudClock = z.infer<typeof cloudClockSchema>;

export const cloudPendingSchema = z.object({
  action: z.enum(cloudActionNames as [CloudActionName, ...CloudActionName[]]),
  subject: cloudDecisionSubjectSchema.optional(),
  /** Who may act. */
  roles: z.array(roleSchema),
  unit: z.string().optional(),
  dueDate: businessDateSchema.optional(),
  dueAt: z.string().optional(),
  provisional: z.boolean().optional(),
  /** The earliest the action is allowed, as a business date and instant. */
  notBeforeDate: businessDateSchema.optional(),
  notBeforeAt: z.string().optional(),
  rule: z.string(),
});
export type CloudPending = z.infer<typeof cloudPendingSchema>;

export const cloudEventKindSchema = z.enum(['applied', 'entered', 'decision', 'action', 'reminder', 'breach', 'escalation', 'periodOver', 'forcedExit']);
export type CloudEventKind = z.infer<typeof cloudEventKindSchema>;

export const cloudTimelineItemSchema = z.object({
  at: z.string(),
  stage: cloudStageSchema,
  kind: cloudEventKindSchema,
  action: z.string().optional(),
  actorId: z.string().optional(),
  actorRole: roleSchema.optional(),
  requestId: z.string().optional(),
  decision: decisionSchema.optional(),
  reasons: z.array(z.string()).optional(),
  rule: z.string(),
});
export type CloudTimelineItem = z.infer<typeof cloudTimelineItemSchema>;

export const cloudResizeSchema = z.object({
  resizeNo: z.number().int(),
  direction: z.enum(['scaleUp', 'scaleDown']),
  requested: cloudResourcesSchema,
  reasons: z.array(z.string()),
  requestedAt: z.string(),
  requestedBy: z.string(),
  status: z.enum(['requested', 'approved', 'rejected', 'applied']),
  sized: cloudResourcesSchema.nullable(),
  experts: z.array(z.string()),
  decisionReasons: z.array(z.string()),
  decidedAt: z.string().nullable(),
  appliedAt: z.string().nullable(),
});
export type CloudResize = z.infer<typeof cloudResizeSchema>;

const confirmationSchema = z.object({ by: z.string(), role: roleSchema, at: z.string() });

export const cloudExitSchema = z.object({
  /** Forced: the system was not cut over in time and exits by rule (not at the unit's request). */
  forced: z.boolean(),
  reasons: z.array(z.string()),
  rule: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  /** The migration window: erasure only after its end. */
  migrationWindow: cloudDeadlineSchema.nullable(),
  migratedAt: z.string().nullable(),
  erasedByUnit: confirmationSchema.nullable(),
  erasedByProvider: confirmationSchema.nullable(),
  reclaimedAt: z.string().nullable(),
});
export type CloudExit = z.infer<typeof cloudExitSchema>;

export const cloudFallbackSchema = z.object({
  cutoverOn: businessDateSchema,
  /** The last day of the period the old system is kept. */
  keptUntil: businessDateSchema,
  /** The day after it: the earliest the old system may be reported decommissioned. */
  allowedFrom: businessDateSchema,
  allowedFromAt: z.string(),
  decommissionedAt: z.string().nullable(),
});

export const cloudStepSchema = z.enum([
  'applied', 'reviewed', 'sized', 'letterSigned', 'providerNotified', 'opened', 'cutover', 'fallbackDecommissioned',
  'exitRequested', 'exitApproved', 'migrated', 'erased', 'reclaimed',
]);
export type CloudStep = z.infer<typeof cloudStepSchema>;

export const cloudResourceStateSchema = z.object({
  resourceId: cloudResourceIdSchema,
  jurisdiction: z.string(),
  profileVersion: z.string(),
  systemName: z.string(),
  unit: z.string(),
  county: z.boolean(),
  /** Who applied; a county government's token may name its county (unit), which alone then acts for the county's system. */
  applicant: z.object({ id: z.string(), role: roleSchema, unit: z.string().optional() }),
  projectId: z.string().nullable(),
  purpose: z.string().nullable(),
  stage: cloudStageSchema,
  status: z.enum(['active', 'ended']),
  outcome: z.object({ stage: cloudStageSchema, reason: z.string(), rule: z.string() }).nullable(),
  /** What the unit asked for (as revised). */
  requested: cloudResourcesSchema,
  /** What the experts fixed. */
  sized: cloudResourcesSchema.nullable(),
  experts: z.array(z.string()),
  /** What the provider has opened, as resized since. */
  allocated: cloudResourcesSchema.nullable(),
  letter: z.object({ signedBy: z.string(), signedOn: businessDateSchema, fileNumbers: z.array(z.string()), recordedBy: z.string() }).nullable(),
  /** When each step was taken. */
  steps: z.partialRecord(cloudStepSchema, z.string()),
  fallback: cloudFallbackSchema.nullable(),
  resize: cloudResizeSchema.nullable(),
  resizes: z.array(cloudResizeSchema),
  exit: cloudExitSchema.nullable(),
  clocks: z.array(cloudClockSchema),
  /** The due date each period got (kept after the step is done, for the record). */
  dues: z.partialRecord(cloudClockIdSchema, businessDateSchema),
  /** What awaits whom now, with due dates and earliest dates. */
  pending: z.array(cloudPendingSchema),
  timeline: z.array(cloudTimelineItemSchema),
});
export type CloudResourceState = z.infer<typeof cloudResourceStateSchema>;

// ---- The system of record ----

/** One event of a resource in the system of record, chained into the audit trail. */
export const cloudEventSchema = z.object({
  /** `${resourceId}:${sequence}`. */
  eventKey: z.string().min(1),
  resourceId: cloudResourceIdSchema,
  /** The event's number in the resource's life (its order; carried across runs). */
  sequence: z.number().int().min(1),
  stage: cloudStageSchema,
  kind: cloudEventKindSchema,
  action: z.string().optional(),
  actorId: z.string().optional(),
  actorRole: roleSchema.optional(),
  decision: decisionSchema.optional(),
  reasons: z.array(z.string()).default([]),
  rule: z.string(),
  occurredAt: isoInstantSchema,
});
export type CloudEvent = z.input<typeof cloudEventSchema>;

/** The resource's row: where it stands, what it has, and when each step was taken. */
export const cloudResourceRecordSchema = z.object({
  resourceId: cloudResourceIdSchema,
  jurisdiction: jurisdictionSchema,
  profileVersion: z.string(),
  unit: z.string().min(1),
  county: z.boolean(),
  applicantRole: roleSchema,
  systemName: z.string().min(1),
  projectId: projectIdSchema.nullable(),
  stage: cloudStageSchema,
  status: z.enum(['active', 'ended']),
  requested: cloudResourcesSchema,
  resources: cloudResourcesSchema.nullable(),
  steps: z.partialRecord(cloudStepSchema, isoInstantSchema),
  exitForced: z.boolean(),
  fallbackAllowedFrom: businessDateSchema.nullable(),
  reviewDueDate: businessDateSchema.nullable(),
  openingDueDate: businessDateSchema.nullable(),
  deploymentDueDate: businessDateSchema.nullable(),
  migrationDueDate: businessDateSchema.nullable(),
  outcome: z.object({ stage: z.string(), reason: z.string(), rule: z.string() }).nullable(),
  updatedAt: isoInstantSchema,
});
export type CloudResourceRecord = z.infer<typeof cloudResourceRecordSchema>;


/** The row the system of record keeps for a resource, from its state. */
export function cloudRecordOf(state: CloudResourceState, updatedAt: string): CloudResourceRecord {
  return {
    resourceId: state.resourceId,
    jurisdiction: state.jurisdiction,
    profileVersion: state.profileVersion,
    unit: state.unit,
    county: state.county,
    applicantRole: state.applicant.role,
    systemName: state.systemName,
    projectId: state.projectId,
    stage: state.stage,
    status: state.status,
    requested: state.requested,
    resources: state.allocated ?? state.sized,
    steps: state.steps,
    exitForced: state.exit?.forced ?? false,
    fallbackAllowedFrom: state.fallback?.allowedFrom ?? null,
    reviewDueDate: state.dues.review ?? null,
    openingDueDate: state.dues.opening ?? null,
    deploymentDueDate: state.dues.deployment ?? null,
    migrationDueDate: state.dues.migration ?? null,
    outcome: state.outcome,
    updatedAt,
  };
}
