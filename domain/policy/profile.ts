import type { z } from 'zod';
import type { Fen, projectFlagsSchema } from '../project';
import type { changeGroundSchema, deficiencyGroundSchema, problemKindSchema, SubmissionActionName, terminationGroundSchema } from '../lifecycle';
import type { Decision, DocumentKind, Role } from '../records';

/**
 * The format every jurisdiction profile follows: data plus pure functions, no I/O, no clock. The
 * lifecycle engine (workflows/lifecycle/) walks `stages(project)` in order; adding a
 * jurisdiction is adding a file that exports a PolicyProfile and listing it in ./index.ts.
 */

/** What a profile needs to know about a project to decide its path. */
export interface ProjectFacts {
  investmentFen: Fen;
  /** Supplementary plan (一事一议) instead of the annual plan (001 §7). */
  planKind: 'annual' | 'supplementary';
  flags: ProjectFlags;
}

/**
 * Facts declared at registration that change the path (preconditions, trial length, pre-acceptance),
 * as the proposal schema defines them (domain/project.ts).
 */
export type ProjectFlags = z.infer<typeof projectFlagsSchema>;

/** An SLA clock in working days, computed by the calendar activity. */
export interface ReviewClock {
  workingDays: number;
  /**
   * 'pause': time the unit spends on revision is not counted (001 §14 不包括…整改时间);
   * 'restart': after a revision the clock starts again from zero (000 §8(3) 重新起计).
   */
  onRevision: 'pause' | 'restart';
  /** The article of the period, or SERVICE_TARGET where the seed sets none. */
  rule: string;
  /** The article behind onRevision, where it is not the period's own (000 §8(3) restarts a clock it sets no length for). */
  onRevisionRule?: string;
}

export interface ReviewStage {
  kind: 'review';
  id: string;
  /** Who decides. */
  role: Role;
  clock: ReviewClock | null;
  decisions: Decision[];
  /** Working days the unit has to revise after a revision request. */
  revisionWorkingDays?: { workingDays: number; rule: string };
  /** The decision must name the experts of the review meeting (001 §11–12). */
  expertsRequired?: { rule: string };
  /** A refusal must cite grounds from this list (000 §8(2)2). */
  refusalGrounds?: { codes: readonly string[]; rule: string };
  /**
   * What a rejection does: end the project, open rectification (acceptance, 001 §28), or only stand on
   * record (the post-evaluation, whose failure holds back the first retention tranche, 001 §19).
   */
  onReject: 'end' | 'rectify' | 'record';
  /** The final acceptance: its failures count towards forfeiture, and it cannot precede the contract's signing. */
  finalAcceptance?: true;
  /** The review clock does not count the unit's rectification: it resumes with the days left (001 §26(2) 不包括建设单位整改时间). */
  clockPausesForRectification?: { rule: string };
  /** Documents the project must have handed in before this review may approve (004 §9(3): the information-resource catalogue). */
  approvalRequiresDocuments?: DocumentRequirement[];
  /** The approval sets the date by which the project is to be accepted (按期完成验收, 004 §16): the approving decision carries acceptanceDueBy. */
  approvalSetsAcceptanceDue?: { rule: string };
  /** The approval fixes the reviewed tender ceiling price (招标控制价, 003 §14): the approving decision carries tenderCeilingFen. */
  approvalSetsTenderCeiling?: { rule: string };
  /** A decision (other than a revision request) hands in the reviewer's report as a document (评审报告, 003 §7). */
  decisionReport?: DocumentRequirement;
  /**
   * Others who sign the decision after `role`, in order: the stage passes once every one has approved,
   * and a rejection by any is the stage's rejection (the user unit accepts together with the big-data
   * department, 003 §20). Only these roles sign: the provider does not accept its own work.
   */
  coSigners?: { roles: readonly Role[]; rule: string };
  rule: string;
}

/** A document a submission must carry (or a review must have seen), by kind; each missing one is named with its rule. */
export interface DocumentRequirement {
  kind: DocumentKind;
  label: string;
  rule: string;
}

/** What the unit submits at a submission stage (a revision is answered inside a review instead). */
export type SubmissionAction = Exclude<SubmissionActionName, 'revision'>;

/**
 * When a submission may or must be made: by a deadline, or not before an earliest date — never both
 * (the engine waits out an earliest date before it would watch a deadline).
 */
type SubmissionTiming =
  | {
      /** A period within which the unit must act, and what missing it means. */
      deadline?:
        | { months: number; onMiss: 'reapproval'; backTo: string; rule: string }
        | { workingDays: number; onMiss: 'flag'; flag: string; rule: string }
        /**
         * Due by the acceptance date the approval set, moved by an approved deferral (004 §16): shown as the
         * stage's due date; the date is watched from the approval on, and a miss at any stage is a breach
         * that points the unit to the deferral (workflows/lifecycle/acceptance-due.ts).
         */
        | { acceptanceDue: true; onMiss: 'breach'; rule: string };
      notBefore?: never;
    }
  | {
      /** The submission is refused before this many months after the named stage's completion (trial run). */
      notBefore?: { months: number; after: string; rule: string };
      deadline?: never;
    };

export type SubmissionStage = SubmissionTiming & {
  kind: 'submission';
  id: string;
  action: SubmissionAction;
  /** The preliminary design must come from a professional agency (001 §10: 500万 or more). */
  designAgencyRequired?: { rule: string };
  /** Preconditions the submission must declare as met; each missing one is named. */
  preconditions?: Precondition[];
  /** Documents the submission must carry (uploaded first, named by documentIds); each missing one is named (004 §16's dossier). */
  documents?: DocumentRequirement[];
  /**
   * 工程监理制: the project is under engineering supervision, so the contract filing names the supervision
   * firm engaged (001 §24, 004 §14); absent where the seed makes it optional (000 §10).
   */
  supervision?: { rule: string };
  /** Who is told of the filing, under which article (the contract filed with the review office, 001 §8, §25). */
  notify?: { role: Role; rule: string };
  /** From the stage's start until the filing the project's O&M money is blocked (000 §15). */
  omFundingBlockedUntilFiled?: { rule: string };
  /** The contract may not exceed the tender ceiling price the service plan's review fixed (003 §14). */
  withinTenderCeiling?: { rule: string };
  /** The project ends once this is filed (the ≤ 50万 path of profile yiyang@2022). */
  endsProject?: { reason: string; rule: string };
  rule: string;
};

export interface Precondition {
  id: 'dataSharing' | 'dataCatalogue' | 'mlpsAssessment' | 'cryptoAssessment' | 'softwareTesting' | 'classifiedSystemTesting';
  label: string;
  rule: string;
}

/** Waits for the annual plan's decision (001 §5–7). */
export interface PlanStage {
  kind: 'plan';
  id: 'annualPlan';
  rule: string;
}

/** Implementation: change requests and termination until go-live (001 §20, §22). */
export interface ImplementationStage {
  kind: 'implementation';
  id: 'implementation';
  /**
   * How a change of content is handled: 'approval' — the role approves or rejects it with reasons
   * (001 §22); 'filing' — the role records that the change was filed (000 §11 备案), nothing to approve.
   */
  changes: {
    procedure: 'approval' | 'filing';
    role: Role;
    rule: string;
    /** The request cites one of these grounds (003 §19 lists three). */
    grounds?: { codes: readonly ChangeGround[]; rule: string };
    /** The approval names the experts who reviewed the change (专家评审, 003 §19). */
    expertReview?: { rule: string };
  } | null;
  rule: string;
}

/** The grounds of a content adjustment (003 §19). */
export type ChangeGround = z.infer<typeof changeGroundSchema>;
/** The problems a supervisory check may find (003 §31). */
export type ProblemKind = z.infer<typeof problemKindSchema>;

export type StageDefinition = ReviewStage | SubmissionStage | PlanStage | ImplementationStage;

export interface RetentionPolicy {
  /** Share withheld, in basis points of the contract sum: 1500 = 15% (001 §19). */
  withheldBasisPoints: number;
  tranches: { trancheNo: number; basisPoints: number; yearsAfterAcceptance: number; condition: 'postEvaluation' | 'assessment' }[];
  rule: string;
}

/** What makes a system deficient under 004 §17. */
export type DeficiencyGround = z.infer<typeof deficiencyGroundSchema>;

/** The grounds on which a project may be terminated (001 §20 lists three; 003 §12 lagging spending). */
export type TerminationGround = z.infer<typeof terminationGroundSchema>;

export interface PolicyProfile {
  /** The jurisdiction's id; the registered profiles make the jurisdiction enum (./index.ts). */
  jurisdiction: string;
  version: string;
  seed: string;
  /** Annual intake cut-off (month-day, inclusive to 23:59:59 Asia/Shanghai) of the year before the plan year, or null. */
  intakeCutoff: { month: number; day: number; rule: string } | null;
  /** Projects at or below this are implemented by the unit without plan or approval, or null. */
  selfImplementationCeilingFen: Fen | null;
  /** The stages from registration to final acceptance. */
  stages(project: ProjectFacts): StageDefinition[];
  /**
   * The annual plan (001 §6) and, for projects outside it, the supplementary plan (001 §7), or null
   * where the seed has no plan. `supplementaryBasisRequired`: a supplementary proposal states the
   * state or provincial requirement that makes it urgent.
   */
  annualPlan: { rule: string; supplementary: { rule: string; basisRequired: boolean } | null } | null;
  /**
   * Termination while the project is under way, by `role` on the listed grounds with a written
   * explanation (the unit, 001 §20; 003 §12 for lagging spending), or null where the seed has none (000).
   */
  termination: { role: Role; grounds: readonly TerminationGround[]; duringStages: readonly string[]; rule: string } | null;
  /**
   * The project's implementation postponed by `role` while the unit's spending lags, then resumed
   * (003 §12 推迟实施): meanwhile the path's submissions and decisions are refused. Absent where the seed
   * has no such rule.
   */
  postponement?: { role: Role; duringStages: readonly string[]; rule: string };
  /**
   * Problems `role` finds in supervision, of the listed kinds, each rectified by a date it sets and
   * reported to it; one not rectified by then, or rectified short, blocks the project's further money
   * until `role` closes it (003 §31). Absent where the seed has no such rule.
   */
  problems?: { role: Role; kinds: readonly ProblemKind[]; rule: string };
  /**
   * Reports handed in every O&M year, each by one of `filedBy`: a missing one is flagged at the year's
   * end (003 §28 yearly security, cryptography and risk reports; 003 §33 the comprehensive evaluation).
   * `periodRule` is the article that makes the report yearly, or SERVICE_TARGET where the seed sets no period.
   */
  yearlyReports?: readonly {
    kind: DocumentKind;
    label: string;
    filedBy: readonly Role[];
    rule: string;
    periodRule: string;
    /** Only the projects this holds for owe the report (002 (八): stock projects; key projects); absent, every project. */
    appliesTo?: (facts: ProjectFacts) => boolean;
  }[];
  /**
   * Systems already built (存量信息化项目) are registered straight into operation, without a construction
   * path, and then managed like any other (002 (一)); only `registeredBy` registers one. Absent where the
   * seed has no such rule: registering one is refused.
   */
  stockSystems?: { rule: string; registeredBy: Role };
  /** Key projects (重点信息化项目), designated by `designatedBy` at registration, owe the reports their profile lists for them (002 (八)). */
  keyProjects?: { designatedBy: Role; rule: string };
  /**
   * Monthly monitoring of every system in operation (002 (二)): the round checks each system's declared
   * health endpoint, `reportedBy` may report a month's result by hand. After `failingMonths.count`
   * consecutive failing months the system is on the forced-exit path: the unit is told, its O&M money is
   * blocked, and it has `rectificationWindow.months` to recover (a healthy check); without recovery the
   * system is retired and the unit files its data disposition. Absent where the seed has no monitoring.
   */
  monitoring?: {
    rule: string;
    reportedBy: Role;
    failingMonths: { count: number; rule: string };
    rectificationWindow: { months: number; rule: string };
  };
  /** After completion the finished system is registered as an asset (竣工后资产登记, 002 (七)); absent where the seed has no such step. */
  assetRegistration?: { rule: string };
  /**
   * A failed acceptance opens rectification within the time limit the deciding body sets with its
   * decision (001 §28 限期整改; `defaultWorkingDays` only fills the form). Forfeiture: after
   * `afterFailures` failed acceptances, or a rectification not submitted in time, no remaining payment
   * of the project is made — or null where the seed has no forfeiture (000): the unit rectifies and
   * the acceptance is tried again.
   */
  acceptance: {
    rectification: { defaultWorkingDays: number; rule: string };
    forfeiture: { afterFailures: number; rule: string } | null;
  };
  /**
   * After acceptance the archive is filed (001 §29, 000 §15), within a period or not; where
   * `omFundingBlockedUntilFiled`, the project counts as under construction until then and its O&M
   * money is blocked (000 §15). Null where the seed has no archive filing (004).
   */
  archiveFiling: { workingDays: number | null; rule: string; omFundingBlockedUntilFiled: { rule: string } | null } | null;
  postEvaluation: { role: Role; rule: string } | null;
  retention: RetentionPolicy | null;
  /**
   * The O&M period a contract agrees: at least `min.years` (001 §21 "generally", so a shorter one is
   * accepted with a stated legal basis, recorded), at most `max.years` (Ji'an 004 §13); null bounds
   * where the seed sets none.
   */
  omPeriod: {
    min: { years: number; rule: string; exceptionWithLegalBasis: boolean } | null;
    max: { years: number; rule: string } | null;
  };
  /**
   * After the warranty the unit budgets O&M yearly and may sign O&M service contracts with a supplier,
   * each running at most `maxYears` (004 §13), filed during O&M; null where the seed has no such rule.
   */
  omServiceContracts: { maxYears: number; rule: string } | null;
  /**
   * O&M: the yearly evaluation (001 §19's assessment; 000 §18, copied to the review office), closure
   * of an idle system by letter (000 §22, which stops O&M funding), retirement by the unit with the
   * data disposition filed with the review office (001 §36). A null procedure does not exist in the
   * jurisdiction and is refused.
   */
  operations: {
    /** `periodRule`: where the seed sets no yearly period for the evaluation, the label its O&M-year due date carries. */
    evaluation: { role: Role; rule: string; copyTo: Role | null; periodRule?: string };
    closure: { role: Role; rule: string; stopsOmFunding: boolean } | null;
    retirement: { rule: string; filedWith: Role } | null;
  };
  /**
   * A system in service found deficient on one of `grounds` (004 §17: not sharing its data as required,
   * collecting data twice, outside the city's system catalogue, short of the cryptography or security
   * requirements): `role` records it, and until `role` confirms the rectification its unit may not
   * build, rebuild or extend an information system — its registrations are refused. Where the seed says
   * so the system also gets no O&M money meanwhile (`stopsOmFunding`, 001 §35), and a necessary new build
   * is allowed once `exceptionApprovedBy` approves it — that role registers it (001 §35). Null where the
   * seed has no such rule.
   */
  developmentRestriction: {
    role: Role;
    grounds: readonly DeficiencyGround[];
    rule: string;
    stopsOmFunding: boolean;
    exceptionApprovedBy: Role | null;
  } | null;
  /** No tender or procurement before this stage has passed: a contract filed earlier is refused naming the rule (004 §8), or null. */
  procurementGate: { afterStage: string; rule: string } | null;
  /** A project that cannot be accepted by its date applies for a deferral with reasons, decided by `role` (004 §16 ¶2), or null. */
  acceptanceDeferral: { role: Role; rule: string } | null;
  /**
   * Projects this jurisdiction's measures do not govern (a Ji'an county project below 500万, 004 §8 ¶3):
   * registration refuses a proposal any of these `applies` to, naming `field` and the rule.
   */
  outOfScope?: readonly { rule: string; field: string; statement: string; applies: (facts: ProjectFacts) => boolean }[];
  /** The government cloud's resource lifecycle (004 cloud measures), or null where the jurisdiction has none. */
  cloud: CloudPolicy | null;
  /** Review SLA where the regulation sets none: an office service target, not a legal deadline. */
  defaultReviewWorkingDays: number;
  /**
   * Representative projects whose paths together reach every stage and rule of the profile: the rules
   * catalogue (./catalogue.ts) says which of them each rule applies to.
   */
  catalogueScenarios: { label: string; facts: ProjectFacts }[];
}

/**
 * The government cloud (政务云) as a jurisdiction's measures run it: apply, review, expert sizing, the
 * responsibility letter, opening by the provider, deployment and cut-over by the unit with the old system
 * kept as fallback, resize, and exit with data migration, erasure and reclamation (004 cloud §9–15).
 * Every period is a working-day or month timer with a reminder at the due date's start and a breach at
 * its end, like the review clocks.
 */
export interface CloudPolicy {
  /** The stages of cloud use (004 cloud §9). */
  rule: string;
  /** The cloud's authority, which receives, reviews and approves applications and changes (004 cloud §3, §5). */
  authority: Role;
  /** The cloud provider, which opens, resizes and reclaims resources (004 cloud §8). */
  provider: Role;
  /** City units apply directly; a county's units apply through their county government (004 cloud §10). */
  application: { countyApplicant: Role; rule: string };
  /** The authority's review of the application; the seed sets no period, so the clock is a service target (004 cloud §11). */
  review: { clock: ReviewClock; rule: string };
  /** After the review passes, experts fix the resources the system may use (004 cloud §11). */
  expertSizing: { rule: string };
  /** The unit signs the responsibility letter and the opening confirmation form before anything is opened (004 cloud §12). */
  responsibilityLetter: { rule: string };
  /** The provider opens the resources within this many working days of the authority's notice (004 cloud §12). */
  opening: { workingDays: number; rule: string };
  /** The unit deploys, tests, pre-assesses security risk and cuts over within this many working days, or the system exits (004 cloud §13). */
  deployment: { workingDays: number; rule: string };
  /** The old system is kept at least this many months after cut-over as the fallback (004 cloud §13). */
  fallback: { months: number; rule: string };
  /** A resize on the unit's request: an increase is reviewed and sized like an application, a decrease approved by the authority and carried out by the provider (004 cloud §14). */
  resize: { rule: string };
  /** After the exit is approved the unit migrates its data within this many working days; then unit and provider erase the data and the resources are reclaimed (004 cloud §15). */
  exit: { migrationWorkingDays: number; rule: string };
}

/**
 * The stages after final acceptance, from the profile's data: the archive filing (001 §29, 000 §15),
 * the asset registration (002 (七)) and, where the seed has one, the post-evaluation (001 §31).
 */
export function afterAcceptanceStages(profile: PolicyProfile): { archiveFiling: SubmissionStage | null; assetRegistration: SubmissionStage | null; postEvaluation: ReviewStage | null } {
  const archive = profile.archiveFiling;
  const asset = profile.assetRegistration;
  return {
    archiveFiling: archive && {
      kind: 'submission', id: 'archiveFiling', action: 'archiveFiling', rule: archive.rule,
      deadline: archive.workingDays !== null ? { workingDays: archive.workingDays, onMiss: 'flag', flag: 'omFundingBlocked', rule: archive.rule } : undefined,
      ...(archive.omFundingBlockedUntilFiled ? { omFundingBlockedUntilFiled: archive.omFundingBlockedUntilFiled } : {}),
    },
    assetRegistration: asset
      ? { kind: 'submission', id: 'assetRegistration', action: 'assetRegistration', rule: asset.rule, documents: [{ kind: 'assetRegister', label: '资产登记表 (asset registration)', rule: asset.rule }] }
      : null,
    postEvaluation: profile.postEvaluation
      ? { kind: 'review', id: 'postEvaluation', role: profile.postEvaluation.role, clock: null, decisions: ['approve', 'reject'], onReject: 'record', rule: profile.postEvaluation.rule }
      : null,
  };
}

/** The yearly reports a project owes: those of its profile that apply to it (002 (八): stock projects, key projects). */
export function yearlyReportsOf(profile: PolicyProfile, project: ProjectFacts): NonNullable<PolicyProfile['yearlyReports']> {
  return (profile.yearlyReports ?? []).filter((item) => item.appliesTo?.(project) ?? true);
}

/**
 * Facts a proposal may declare only by the role the profile names: a stock system goes straight into
 * operation past every review (002 (一)), a key project owes a third-party evaluation (002 (八)) — the
 * unit does not decide either for itself. Null when `role` may declare what the proposal does.
 */
export function declaredFactRefusal(profile: PolicyProfile, flags: ProjectFacts['flags'], role: Role): { field: string; rule: string; message: string } | null {
  const { stockSystems, keyProjects } = profile;
  if (flags.stockSystem && stockSystems && role !== stockSystems.registeredBy) {
    return { field: '/body/flags/stockSystem', rule: stockSystems.rule, message: `a stock system is registered into operation by ${stockSystems.registeredBy}, not ${role}` };
  }
  if (flags.keyProject && keyProjects && role !== keyProjects.designatedBy) {
    return { field: '/body/flags/keyProject', rule: keyProjects.rule, message: `a key project is designated by ${keyProjects.designatedBy}, not ${role}` };
  }
  return null;
}

/** The rule named where a seed has no article for a procedure (it is then refused, or never reached). */
export const seedWithoutArticle = (profile: Pick<PolicyProfile, 'seed'>): string => `seed ${profile.seed}`;

/** Why O&M money is blocked from acceptance until the archive is filed (000 §15). */
export const UNDER_CONSTRUCTION_REASON = 'the acceptance report is not filed: the project counts as under construction';

/** The label of a clock, period or threshold that no seed sets: configurable, never given an article. */
export const SERVICE_TARGET = 'service target (no statutory period)';

/** The label of a count or length a seed requires but does not set (002's trial run, its monitoring): configurable, never given an article. */
export const CONFIGURABLE_VALUE = 'configurable value (the seed sets no figure)';

/** Whether a rule names an article, rather than a service target or a configurable value. */
export const isStatutory = (rule: string): boolean => rule !== SERVICE_TARGET && rule !== CONFIGURABLE_VALUE;

/** Yuan to fen. */
export const yuan = (amount: number): Fen => amount * 100;
/** 万元 to fen. */
export const wan = (amount: number): Fen => amount * 10_000 * 100;
