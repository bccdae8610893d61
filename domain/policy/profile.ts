import type { Fen } from '../project';
import type { SubmissionActionName } from '../lifecycle';
import type { Decision, Role } from '../records';

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

/** Facts declared at registration that change the path (preconditions, trial length). */
export interface ProjectFlags {
  /** 等保 assessment required (001 §26(4)). */
  mlpsRequired?: boolean;
  /** 密评 required (001 §26(4)). */
  cryptoAssessmentRequired?: boolean;
  /** Third-party software testing required (001 §26(4)). */
  softwareTestingRequired?: boolean;
  /** Classified-system testing required (001 §26(4)). */
  classifiedSystemTestingRequired?: boolean;
  /** A major project (重大项目): 6-month trial run in Nanfeng (000 §12). */
  major?: boolean;
  /** State/provincial funding: municipal pre-acceptance first (001 §27). */
  stateOrProvincialFunding?: boolean;
}


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
  /** What a rejection does: end the project, or open rectification (acceptance, 001 §28). */
  onReject: 'end' | 'rectify';
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
        | { workingDays: number; onMiss: 'flag'; flag: string; rule: string };
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
  changeReviewRole: Role;
  rule: string;
}

export type StageDefinition = ReviewStage | SubmissionStage | PlanStage | ImplementationStage;

export interface RetentionPolicy {
  /** Share withheld, in basis points of the contract sum: 1500 = 15% (001 §19). */
  withheldBasisPoints: number;
  tranches: { trancheNo: 1 | 2 | 3; basisPoints: number; yearsAfterAcceptance: number; condition: 'postEvaluation' | 'assessment' }[];
  rule: string;
}

export interface PolicyProfile {
  jurisdiction: 'yiyang' | 'nanfeng';
  version: string;
  seed: string;
  /** Annual intake cut-off (month-day, inclusive to 23:59:59 Asia/Shanghai) of the year before the plan year, or null. */
  intakeCutoff: { month: number; day: number; rule: string } | null;
  /** Projects at or below this are implemented by the unit without plan or approval, or null. */
  selfImplementationCeilingFen: Fen | null;
  /** The stages from registration to final acceptance. */
  stages(project: ProjectFacts): StageDefinition[];
  /**
   * A failed acceptance opens rectification; after maxFailures failures the remaining payments are
   * forfeited (`rule`), or never where the seed has no forfeiture (null). The rectification period is
   * the deciding body's (001 §28 限期整改): rectificationWorkingDays is only the default it starts from.
   */
  acceptance: { maxFailures: number | null; rectificationWorkingDays: number; rule: string };
  /** After acceptance. */
  archiveFiling: { workingDays: number | null; rule: string };
  postEvaluation: { role: Role; rule: string } | null;
  retention: RetentionPolicy | null;
  /** The O&M period a contract must agree at least (001 §21: generally 3 years), or null where the seed sets none. */
  minOmYears: { years: number; rule: string } | null;
  /** The yearly O&M evaluation (001 §19's yearly assessment, 000 §18) and closure (000 §22) or retirement (001 §36). */
  operations: { evaluationRole: Role; evaluationRule: string; closureRule: string };
  /** Review SLA where the regulation sets none: an office service target, not a legal deadline. */
  defaultReviewWorkingDays: number;
  /**
   * Representative projects whose paths together reach every stage and rule of the profile: the rules
   * catalogue (./catalogue.ts) says which of them each rule applies to.
   */
  catalogueScenarios: { label: string; facts: ProjectFacts }[];
}

/** The label of a clock, period or threshold that no seed sets: configurable, never given an article. */
export const SERVICE_TARGET = 'service target (no statutory period)';

/** Yuan to fen. */
export const yuan = (amount: number): Fen => amount * 100;
/** 万元 to fen. */
export const wan = (amount: number): Fen => amount * 10_000 * 100;
