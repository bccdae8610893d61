import { workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type {
  changeDecisionInputSchema,
  changeRequestInputSchema,
  closeInputSchema,
  decideInputSchema,
  evaluationInputSchema,
  PlanDecision,
  ProjectState,
  submitInputSchema,
  terminateInputSchema,
} from '../../domain/lifecycle';
import { profileByVersion } from '../../domain/policy';
import type { PolicyProfile, ReviewStage, StageDefinition, SubmissionStage } from '../../domain/policy/profile';
import type { ProjectProposal, ProjectStage } from '../../domain/project';
import { initialMonitoring } from './monitoring';

/** What survives continue-as-new between O&M years. */
export interface ContinuedLifecycle {
  state: ProjectState;
  sequence: number;
  completedAt: Record<string, string>;
}

export interface LifecycleInput {
  proposal: ProjectProposal;
  /** The policy profile version in force at registration; it governs the project for life. */
  profileVersion: string;
  continued?: ContinuedLifecycle;
}

type Ticketed<T> = T & { ticket: number };

/**
 * Each accepted update leaves its input here with a ticket; the stage runner applies it, closing the
 * gate (state.pending) before its first await, and then completes exactly that ticket.
 */
export interface Inbox {
  decision?: Ticketed<z.infer<typeof decideInputSchema>>;
  submission?: Ticketed<z.infer<typeof submitInputSchema>>;
  changeRequests: Ticketed<z.infer<typeof changeRequestInputSchema>>[];
  changeDecisions: Ticketed<z.infer<typeof changeDecisionInputSchema>>[];
  termination?: Ticketed<z.infer<typeof terminateInputSchema>>;
  evaluation?: Ticketed<z.infer<typeof evaluationInputSchema>>;
  close?: Ticketed<z.infer<typeof closeInputSchema>>;
  plan?: PlanDecision;
  calendarChanged: boolean;
}

/** One run of a project's lifecycle: everything its handlers and stage runners share. */
export interface LifecycleRun {
  input: LifecycleInput;
  profile: PolicyProfile;
  stages: StageDefinition[];
  state: ProjectState;
  inbox: Inbox;
  /** The number of the last timeline event: event keys are `${projectId}:${sequence}`. */
  sequence: number;
  /** When each stage was completed (the trial run counts from go-live). */
  completedAt: Record<string, string>;
  /** The review or submission open now, which the validators check against. */
  currentReview?: ReviewStage;
  currentSubmission?: SubmissionStage;
  /** The last review decision that was not an approval, with its review clock: rectification starts from it. */
  lastRejection?: { rectifyBy?: string; clockFrom: string; clockDays: number; decidedAt: string };
  tickets: { last: number; completed: Set<number> };
  /** The watch over the acceptance date (./acceptance-due.ts), from the approval that set it. */
  acceptanceWatch?: Promise<void>;
  /** The watches over the rectification dates of open problems (./problems.ts); not awaited when the project ends. */
  problemWatches: Promise<void>[];
  /** The monitoring's checks and reports, applied one at a time (./monitoring.ts). */
  monitoringQueue: Promise<void>;
  /** The registration's Update (update-with-start) has been answered: it is answered once. */
  registrationAnswered: boolean;
}

export function startRun(input: LifecycleInput): LifecycleRun {
  const { proposal } = input;
  const profile = profileByVersion(input.profileVersion);
  const stages = profile.stages({ investmentFen: proposal.investmentFen, planKind: proposal.planKind, flags: proposal.flags });
  // A state continued from a release before a field existed gets the field's empty value.
  const state = input.continued ? continuedState(input.continued.state) : initialState(proposal, profile, stages, new Date(workflowInfo().startTime).toISOString());
  return {
    input,
    profile,
    stages,
    state,
    inbox: { changeRequests: [], changeDecisions: [], calendarChanged: false },
    sequence: input.continued?.sequence ?? 0,
    completedAt: input.continued?.completedAt ?? {},
    tickets: { last: 0, completed: new Set() },
    problemWatches: [],
    monitoringQueue: Promise.resolve(),
    registrationAnswered: false,
  };
}

/** A state continued from a release before a field existed gets the field's empty value. */
function continuedState(continued: ProjectState): ProjectState {
  return {
    ...continued,
    documents: continued.documents ?? [],
    acceptanceDue: continued.acceptanceDue ?? null,
    deferrals: continued.deferrals ?? [],
    deficiencies: continued.deficiencies ?? [],
    county: continued.county ?? null,
    omServiceContracts: continued.omServiceContracts ?? [],
    tenderCeilingFen: continued.tenderCeilingFen ?? null,
    postponement: continued.postponement ?? null,
    problems: continued.problems ?? [],
    yearlyReports: continued.yearlyReports ?? [],
    missingReports: continued.missingReports ?? [],
    monitoring: continued.monitoring ?? null,
    operatingSince: continued.operatingSince ?? null,
  };
}

/** A newly registered project's state: at its path's first stage (a stock system: in operation), nothing decided yet. */
export function initialState(proposal: ProjectProposal, profile: PolicyProfile, stages: StageDefinition[], registeredAt: string): ProjectState {
  return {
    projectId: proposal.projectId,
    name: proposal.name,
    unit: proposal.unit,
    jurisdiction: proposal.jurisdiction,
    profileVersion: profile.version,
    planYear: proposal.planYear,
    planKind: proposal.planKind,
    investmentFen: proposal.investmentFen,
    flags: proposal.flags,
    county: proposal.county ?? null,
    stage: (stages[0]?.id ?? 'operations') as ProjectStage,
    status: 'active',
    outcome: null,
    registeredAt,
    pending: null,
    timeline: [],
    acceptanceFailures: 0,
    acceptedOn: null,
    contract: null,
    contracts: [],
    retentionWorkflowId: null,
    retentionWorkflowIds: [],
    omFundingBlocked: false,
    paymentsWithheld: null,
    changeRequests: [],
    documents: [],
    acceptanceDue: null,
    deferrals: [],
    deficiencies: [],
    omServiceContracts: [],
    tenderCeilingFen: null,
    postponement: null,
    problems: [],
    yearlyReports: [],
    missingReports: [],
    monitoring: initialMonitoring(profile, proposal),
    operatingSince: null,
    omYear: 0,
    evaluations: [],
  };
}

/** Marks an update's input as applied: its handler answers once the project awaits its next action. */
export function complete(run: LifecycleRun, ticket: number): void {
  run.tickets.completed.add(ticket);
}
