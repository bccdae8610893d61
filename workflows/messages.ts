import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AssessmentSignal,
  ChangeDecisionInput,
  ChangeRequestInput,
  CloseInput,
  DecideInput,
  DeficiencyInput,
  DeferralDecisionInput,
  DeferralRequestInput,
  EvaluationInput,
  OmServiceContractInput,
  PlanDecision,
  PostponementInput,
  ProblemInput,
  ProblemReportInput,
  ProblemVerdictInput,
  ProjectState,
  RectificationConfirmedInput,
  ReleaseInput,
  RetentionState,
  SubmitInput,
  TerminateInput,
  YearlyReportInput,
  HealthEndpointInput,
  HealthReportInput,
} from '../domain/lifecycle';
import type { MonthlyCheckDue } from '../domain/monitoring';
import type { AnnualPlanState, CompilePlanInput, PlanApprovalInput, PlanProposal } from '../domain/annual-plan';
import type { CloudActionInput, CloudResourceState } from '../domain/cloud';

/**
 * Every signal, query and update of the workflows, declared once. The API imports this module, so a
 * renamed message cannot drift between the two sides.
 *
 * Decisions and submissions are Updates with validators: a decision from the wrong role, in the wrong
 * stage or without required reasons is refused synchronously and never enters history.
 */

// ---- ProjectLifecycle ----
export const projectStateQuery = defineQuery<ProjectState>('projectState');
/**
 * Registration in one call: the API starts the project with this Update (update-with-start), and the
 * workflow answers with its first state in its first task, before any activity runs.
 */
export const registeredUpdate = defineUpdate<ProjectState>('registered');
export const decideUpdate = defineUpdate<ProjectState, [DecideInput]>('decide');
export const submitUpdate = defineUpdate<ProjectState, [SubmitInput]>('submit');
export const requestChangeUpdate = defineUpdate<ProjectState, [ChangeRequestInput]>('requestChange');
export const decideChangeUpdate = defineUpdate<ProjectState, [ChangeDecisionInput]>('decideChange');
export const terminateUpdate = defineUpdate<ProjectState, [TerminateInput]>('terminate');
export const recordEvaluationUpdate = defineUpdate<ProjectState, [EvaluationInput]>('recordEvaluation');
export const closeProjectUpdate = defineUpdate<ProjectState, [CloseInput]>('closeProject');
/** A deferral of the acceptance date, applied for by the unit and decided per profile (004 §16). */
export const requestDeferralUpdate = defineUpdate<ProjectState, [DeferralRequestInput]>('requestDeferral');
export const decideDeferralUpdate = defineUpdate<ProjectState, [DeferralDecisionInput]>('decideDeferral');
/** An O&M service contract after the warranty (004 §13). */
export const fileOmServiceContractUpdate = defineUpdate<ProjectState, [OmServiceContractInput]>('fileOmServiceContract');
/** A deficient system in service, and its rectification confirmed (004 §17). */
export const recordDeficiencyUpdate = defineUpdate<ProjectState, [DeficiencyInput]>('recordDeficiency');
export const confirmRectificationUpdate = defineUpdate<ProjectState, [RectificationConfirmedInput]>('confirmRectification');
/** Implementation postponed while the unit's spending lags, and resumed (003 §12). */
export const postponementUpdate = defineUpdate<ProjectState, [PostponementInput]>('postponement');
/** A problem found in supervision, the unit's rectification report, and the department's verdict on it (003 §31). */
export const recordProblemUpdate = defineUpdate<ProjectState, [ProblemInput]>('recordProblem');
export const reportProblemRectificationUpdate = defineUpdate<ProjectState, [ProblemReportInput]>('reportProblemRectification');
export const decideProblemRectificationUpdate = defineUpdate<ProjectState, [ProblemVerdictInput]>('decideProblemRectification');
/** A report the profile requires every O&M year (003 §28, §33). */
export const fileYearlyReportUpdate = defineUpdate<ProjectState, [YearlyReportInput]>('fileYearlyReport');
/** From the AnnualPlan workflow: the project is in the plan, or not. */
// Monitoring of a system in operation (002 (二)): the endpoint, a recheck or a report by hand, the monthly round's call.
export const declareHealthEndpointUpdate = defineUpdate<ProjectState, [HealthEndpointInput]>('declareHealthEndpoint');
export const reportHealthUpdate = defineUpdate<ProjectState, [HealthReportInput]>('reportHealth');
export const monthlyCheckDueSignal = defineSignal<[MonthlyCheckDue]>('monthlyCheckDue');

export const planDecisionSignal = defineSignal<[PlanDecision]>('planDecision');
/** From an admin: calendar data changed; recompute provisional deadlines. */
export const calendarUpdatedSignal = defineSignal('calendarUpdated');

// ---- RetentionRelease (one per contract, 001 §19) ----
export const retentionStateQuery = defineQuery<RetentionState>('retentionState');
export const assessmentSignal = defineSignal<[AssessmentSignal]>('assessment');
export const recordReleaseUpdate = defineUpdate<RetentionState, [ReleaseInput]>('recordRelease');

// ---- AnnualPlan (one per jurisdiction and plan year, 001 §5–6) ----
export const annualPlanStateQuery = defineQuery<AnnualPlanState>('annualPlanState');
export const proposalEnrolledSignal = defineSignal<[PlanProposal]>('proposalEnrolled');
export const compilePlanUpdate = defineUpdate<AnnualPlanState, [CompilePlanInput]>('compilePlan');
export const approvePlanUpdate = defineUpdate<AnnualPlanState, [PlanApprovalInput]>('approvePlan');

// ---- CloudResource (004 cloud measures) ----
export const cloudResourceStateQuery = defineQuery<CloudResourceState>('cloudResourceState');
/**
 * Every step of a cloud resource — decisions, sizing, the letter, the provider's reports, the unit's
 * requests — is this one Update, its input discriminated by `action`; the validator (a pure function,
 * workflows/cloud/validators.ts) refuses the wrong role, moment or rule before anything enters history.
 * A calendar change reaches the resource through `calendarUpdatedSignal` above.
 */
export const cloudActionUpdate = defineUpdate<CloudResourceState, [CloudActionInput]>('cloudAction');
