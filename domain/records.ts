import { z } from 'zod';
import { fenSchema, positiveFenSchema, jurisdictionSchema, projectIdSchema } from './project';

/**
 * The records the workflows write to the system of record through activities. Each carries the
 * business key that makes its write idempotent (a retried activity finds its row).
 */

export const isoInstantSchema = z.iso.datetime({ offset: true });
/** A business date in Asia/Shanghai. */
export const businessDateSchema = z.iso.date();
export type BusinessDate = z.infer<typeof businessDateSchema>;

/** The business date (Asia/Shanghai, UTC+8 without daylight saving since 1991) of an instant. */
export function businessDateOf(instant: Date): BusinessDate {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export const roleSchema = z.enum([
  'unit',
  'reviewOffice',
  'technicalReviewer',
  'expert',
  'finance',
  'reform',
  /** 市大数据中心 (Ji'an): technical review, data-sharing confirmation, and the government cloud's authority (004 §4, §8, §15; 004 cloud §3). */
  'bigDataCentre',
  /** 云服务商: opens, resizes and reclaims government-cloud resources (004 cloud §8, §12). */
  'cloudProvider',
  /** A county (市、区) government or its approving department: county approval (004 §8) and county cloud applications (004 cloud §10). */
  'county',
  /** 第三方评审机构: reviews a demand scheme, a service plan and its tender ceiling price (Bijie 003 §7, §14). */
  'thirdPartyReviewer',
  'audit',
  'auditor',
  'admin',
]);
export type Role = z.infer<typeof roleSchema>;

export const decisionSchema = z.enum(['approve', 'reject', 'requestRevision']);
export type Decision = z.infer<typeof decisionSchema>;

export const projectRecordSchema = z.object({
  projectId: projectIdSchema,
  name: z.string(),
  unit: z.string(),
  jurisdiction: jurisdictionSchema,
  profileVersion: z.string(),
  planYear: z.number().int(),
  investmentFen: fenSchema,
  fundingSource: z.string(),
  flags: z.record(z.string(), z.boolean()).default({}),
  stage: z.string(),
  registeredAt: isoInstantSchema,
});
export type ProjectRecord = z.input<typeof projectRecordSchema>;

/**
 * A registered project's row in the system of record, from its proposal and its workflow's first state.
 * Both writers use it — the workflow's first activity and the API as it answers the registration — and
 * the write is idempotent, so whichever comes second changes nothing.
 */
export function projectRecordOf(
  proposal: Pick<ProjectRecord, 'name' | 'unit' | 'jurisdiction' | 'planYear' | 'investmentFen' | 'fundingSource'> & { flags: object },
  state: Pick<ProjectRecord, 'projectId' | 'profileVersion' | 'stage' | 'registeredAt'>,
): ProjectRecord {
  return {
    projectId: state.projectId, name: proposal.name, unit: proposal.unit, jurisdiction: proposal.jurisdiction, profileVersion: state.profileVersion,
    planYear: proposal.planYear, investmentFen: proposal.investmentFen, fundingSource: proposal.fundingSource,
    flags: proposal.flags as Record<string, boolean>, stage: state.stage, registeredAt: state.registeredAt,
  };
}

/**
 * What a timeline entry records. `trialRunComplete`: the trial run's minimum length has passed and the
 * acceptance application may be made (001 §26(2), 000 §12).
 */
export const stageEventKindSchema = z.enum(['entered', 'decision', 'submission', 'reminder', 'escalation', 'breach', 'trialRunComplete', 'note']);

export const stageEventSchema = z.object({
  /** e.g. `${workflowId}:${sequence}` — unique per event of a workflow run. */
  eventKey: z.string().min(1),
  projectId: projectIdSchema,
  stage: z.string(),
  kind: stageEventKindSchema,
  actorId: z.string().optional(),
  actorRole: roleSchema.optional(),
  decision: decisionSchema.optional(),
  reasons: z.array(z.string()).default([]),
  rule: z.string().optional(),
  occurredAt: isoInstantSchema,
});
export type StageEvent = z.input<typeof stageEventSchema>;

export const reviewRecordSchema = z.object({
  reviewKey: z.string().min(1),
  projectId: projectIdSchema,
  jurisdiction: jurisdictionSchema,
  unit: z.string(),
  stage: z.string(),
  assigneeRole: roleSchema,
  openedAt: isoInstantSchema,
  /** Null for a review without an SLA clock. */
  dueDate: businessDateSchema.nullable(),
  dueProvisional: z.boolean(),
});
export type ReviewRecord = z.infer<typeof reviewRecordSchema>;

export const contractRecordSchema = z.object({
  contractId: z.string().min(1).max(64),
  projectId: projectIdSchema,
  contractor: z.string().min(1),
  sumFen: positiveFenSchema,
  /** The O&M period agreed in the contract; its minimum is the profile's (001 §21: 3 years). */
  omYears: z.number().int().min(0).max(30),
  /** The legal basis of an O&M period below the profile's usual minimum (001 §21). */
  omLegalBasis: z.string().optional(),
  signedDate: businessDateSchema,
  filedAt: isoInstantSchema,
});

/**
 * Money the project may not receive, and why: its O&M money while it counts as under construction
 * (000 §15) or after closure (000 §22), every remaining payment after a failed or unrectified
 * acceptance (001 §28), or the project's further money while a problem found in supervision stays
 * unrectified (003 §31 不再安排后续项目资金). Keyed by project and scope, lifted with a date.
 */
export const paymentBlockScopeSchema = z.enum(['omFunding', 'allPayments', 'projectFunds']);
export const paymentBlockSchema = z.object({
  projectId: projectIdSchema,
  scope: paymentBlockScopeSchema,
  reason: z.string().min(1),
  rule: z.string().min(1),
  since: isoInstantSchema,
  /** What the block is for, where a project may have several of a scope at once (one per 003 §31 problem: `problem-2`). */
  subject: z.string().regex(/^[A-Za-z0-9-]{1,40}$/).optional(),
});
export type PaymentBlock = z.infer<typeof paymentBlockSchema>;
/** A block's key in the system of record: project, scope, start and, where several may start at once, subject. */
export const paymentBlockKey = (block: Pick<PaymentBlock, 'projectId' | 'scope' | 'since' | 'subject'>): string =>
  `${block.projectId}:${block.scope}:${block.since}${block.subject ? `:${block.subject}` : ''}`;

/**
 * A unit may not build, rebuild or extend an information system while a deficiency of one of its
 * systems is open (004 §17): keyed by the deficiency, lifted with a date when its rectification is confirmed.
 */
export const developmentRestrictionSchema = z.object({
  restrictionKey: z.string().min(1),
  projectId: projectIdSchema,
  unit: z.string().min(1),
  jurisdiction: jurisdictionSchema,
  reason: z.string().min(1),
  rule: z.string().min(1),
  since: isoInstantSchema,
});
export type DevelopmentRestriction = z.infer<typeof developmentRestrictionSchema>;
export type ContractRecord = z.infer<typeof contractRecordSchema>;

/** A retention has as many tranches as its profile lists (three in 001 §19); this bounds a stray number. */
export const MAX_TRANCHES = 20;

export const trancheStatusSchema = z.enum(['scheduled', 'due', 'blocked', 'released', 'forfeited']);
export type TrancheStatus = z.infer<typeof trancheStatusSchema>;

export const retentionTrancheSchema = z.object({
  contractId: z.string().min(1),
  projectId: projectIdSchema,
  trancheNo: z.number().int().min(1).max(MAX_TRANCHES),
  amountFen: fenSchema,
  dueDate: businessDateSchema.nullable(),
  condition: z.string(),
  status: trancheStatusSchema,
  blockedReason: z.string().nullable().default(null),
});
export type RetentionTranche = z.input<typeof retentionTrancheSchema>;

export const trancheReleaseSchema = z.object({
  contractId: z.string().min(1),
  trancheNo: z.number().int().min(1).max(MAX_TRANCHES),
  voucherRef: z.string().trim().min(1).max(100),
  releasedBy: z.string().min(1),
  releasedAt: isoInstantSchema,
});
export type TrancheRelease = z.infer<typeof trancheReleaseSchema>;

/**
 * What a document is. The Ji'an kinds are the information-resource catalogue of an approval (004 §9(3)),
 * the technical scheme (004 §8) and the acceptance dossier (004 §16); the cloud kinds are the application
 * and the responsibility letter (004 cloud §10, §12). Bijie's are the service plan (003 §13), a third
 * party's review report (003 §7, §14), the yearly security test and risk assessment (003 §28, with the
 * cryptography assessment) and the third-party comprehensive evaluation (003 §33).
 */
export const documentKindSchema = z.enum([
  'proposal', 'feasibilityStudy', 'preliminaryDesign', 'reviewOpinion', 'contract', 'tenderDocuments', 'acceptanceReport', 'testReport', 'archive',
  'resourceCatalogue', 'technicalScheme',
  'constructionSummary', 'financialReport', 'auditReport', 'sharingAssessment', 'securityRiskAssessment', 'cryptographyAssessment',
  'cloudApplication', 'responsibilityLetter',
  'servicePlan', 'reviewReport', 'securityTest', 'riskAssessment', 'comprehensiveEvaluation',
  'omServiceReport', 'performanceEvaluation', 'assetRegister',
  'other',
]);
export type DocumentKind = z.infer<typeof documentKindSchema>;

/** A document handed in with a submission: resolved by the API from the project's uploads, never taken from the body. */
export const documentRefSchema = z.object({ documentId: z.string().min(1).max(200), kind: documentKindSchema, sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type DocumentRef = z.infer<typeof documentRefSchema>;

export const documentRecordSchema = z.object({
  documentId: z.string().min(1),
  projectId: projectIdSchema,
  kind: z.string().min(1),
  title: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
  sizeBytes: z.number().int().nonnegative(),
  storageUri: z.string().min(1),
  uploadedBy: z.string().min(1),
  uploadedAt: isoInstantSchema,
});
export type DocumentRecord = z.infer<typeof documentRecordSchema>;
