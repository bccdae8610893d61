import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  annualPlanId,
  compilePlanInputSchema,
  planApprovalInputSchema,
  type AnnualPlanState,
  type PlanApprovalInput,
} from '../domain/annual-plan';
import { profileOfInput } from '../domain/policy';
import { closedPlanMessage, intakeCutoff, openPlanYear } from '../domain/policy/intake';
import { seedWithoutArticle } from '../domain/policy/profile';
import type { Jurisdiction } from '../domain/project';
import { annualPlanStateQuery, approvePlanUpdate, compilePlanUpdate, planDecisionSignal, proposalEnrolledSignal } from './messages';
import { acceptedInput, refused } from './refusal';

export interface AnnualPlanInput {
  jurisdiction: Jurisdiction;
  /** The profile version in force when the plan was opened (absent in plans opened before 0.4.0). */
  profileVersion?: string;
  /** Plan year; omitted when a Schedule opens the intake: then the year whose intake is open. */
  planYear?: number;
}

/**
 * One jurisdiction's annual plan for one plan year (001 §5–6): proposals that passed the pre-technical
 * review enrol until the cut-off (30 September of the year before, 23:59:59 Asia/Shanghai); then the
 * review office compiles the plan with reform and finance, the leading group and the executive meeting
 * approve it, and every enrolled project is told whether it is in.
 */
export async function AnnualPlan(input: AnnualPlanInput): Promise<AnnualPlanState> {
  const profile = profileOfInput(input);
  const rule = profile.annualPlan?.rule ?? seedWithoutArticle(profile);
  const planYear = input.planYear ?? openPlanYear(profile, workflowInfo().startTime);
  const cutoff = intakeCutoff(profile, planYear);
  if (!cutoff) throw ApplicationFailure.nonRetryable(`${input.jurisdiction} has no annual plan intake`);
  const state: AnnualPlanState = {
    planId: annualPlanId(input.jurisdiction, planYear),
    jurisdiction: input.jurisdiction,
    planYear,
    phase: 'intake',
    intakeClosesAt: cutoff.toISOString(),
    proposals: [],
    included: [],
    excluded: [],
  };
  let approval: PlanApprovalInput | undefined;

  setHandler(annualPlanStateQuery, () => state);
  const lateEnrolments: string[] = [];
  setHandler(proposalEnrolledSignal, (proposal) => {
    // Enrolment is idempotent by project id (a retried activity signals twice).
    if (state.proposals.some((p) => p.projectId === proposal.projectId)) return;
    // Once compiled, the plan takes no more proposals; they are answered at publication.
    if (state.phase === 'intake' || state.phase === 'compilation' || state.phase === 'returned') state.proposals.push(proposal);
    else if (!lateEnrolments.includes(proposal.projectId)) lateEnrolments.push(proposal.projectId);
  });
  setHandler(
    compilePlanUpdate,
    (raw) => {
      const plan = acceptedInput(compilePlanInputSchema, raw);
      state.included = plan.included;
      state.excluded = plan.excluded;
      state.phase = 'leadingGroup';
      return state;
    },
    {
      validator: (raw) => {
        const plan = compilePlanInputSchema.parse(raw);
        if (plan.actor.role !== 'reviewOffice') throw refused('forbidden', rule, `the plan is compiled by the review office (with reform and finance), not ${plan.actor.role}`, 'actor.role');
        if (state.phase !== 'compilation' && state.phase !== 'returned') throw refused('conflict', rule, `the plan cannot be compiled during ${state.phase}${state.phase === 'intake' ? ` (intake closes ${state.intakeClosesAt})` : ''}`, 'phase');
        const decided = [...plan.included, ...plan.excluded.map((e) => e.projectId)];
        const enrolled = new Set(state.proposals.map((p) => p.projectId));
        const unknown = decided.filter((id) => !enrolled.has(id));
        const twice = decided.filter((id, i) => decided.indexOf(id) !== i);
        const undecided = [...enrolled].filter((id) => !decided.includes(id));
        if (unknown.length) throw refused('rule', rule, `not enrolled in this plan: ${unknown.join(', ')}`, 'included');
        if (twice.length) throw refused('rule', rule, `decided twice: ${twice.join(', ')}`, 'included');
        if (undecided.length) throw refused('rule', rule, `every enrolled proposal must be included or excluded; undecided: ${undecided.join(', ')}`, 'excluded');
      },
    },
  );
  setHandler(
    approvePlanUpdate,
    async (raw) => {
      approval = acceptedInput(planApprovalInputSchema, raw);
      await condition(() => approval === undefined);
      return state;
    },
    {
      validator: (raw) => {
        const step = planApprovalInputSchema.parse(raw);
        if (step.actor.role !== 'reviewOffice') throw refused('forbidden', rule, `approvals are recorded by the review office, not ${step.actor.role}`, 'actor.role');
        if (state.phase !== step.step) throw refused('conflict', rule, `the plan awaits ${state.phase}, not ${step.step}`, 'phase');
        if (!step.approved && step.reasons.length === 0) throw refused('rule', rule, 'a plan sent back must give its reasons', 'reasons');
        if (approval) throw refused('conflict', rule, 'an approval is already being recorded');
      },
    },
  );

  // Intake until the cut-off; proposals enrolled later (their review ran late) still join before publication.
  await condition(() => false, Math.max(1, cutoff.getTime() - Date.now()));
  state.phase = 'compilation';

  for (;;) {
    await condition(() => approval !== undefined);
    const step = approval!;
    if (!step.approved) {
      state.phase = 'returned';
    } else if (step.step === 'leadingGroup') {
      state.phase = 'executiveMeeting';
    } else {
      state.phase = 'published';
    }
    approval = undefined;
    if (state.phase === 'published') break;
  }

  for (const projectId of state.included) {
    await getExternalWorkflowHandle(projectId).signal(planDecisionSignal, { planId: state.planId, included: true });
  }
  for (const { projectId, reason } of state.excluded) {
    await getExternalWorkflowHandle(projectId).signal(planDecisionSignal, { planId: state.planId, included: false, reason });
  }
  // A proposal whose review finished after compilation is told so, rather than left waiting; the plan
  // stays open a while for such stragglers, then completes (enrolment then finds it closed).
  const tooLate = closedPlanMessage(profile, planYear);
  for (;;) {
    const arrived = await condition(() => lateEnrolments.length > 0, '30 days');
    if (!arrived) {
      await condition(allHandlersFinished);
      return state;
    }
    for (const projectId of lateEnrolments.splice(0)) {
      await getExternalWorkflowHandle(projectId).signal(planDecisionSignal, { planId: state.planId, included: false, reason: tooLate });
    }
  }
}

/**
 * Started by each jurisdiction's yearly Schedule: opens next year's intake by starting its AnnualPlan
 * under the plan's stable id (a proposal may already have started it by enrolling).
 */
export async function OpenAnnualIntake(input: { jurisdiction: Jurisdiction; profileVersion?: string }): Promise<{ planId: string; started: boolean }> {
  // On 1 January that is the coming year's plan; a manual trigger after 30 September opens the one after.
  const profile = profileOfInput(input);
  const planYear = openPlanYear(profile, workflowInfo().startTime);
  const planId = annualPlanId(input.jurisdiction, planYear);
  try {
    await startChild(AnnualPlan, { workflowId: planId, args: [{ jurisdiction: input.jurisdiction, profileVersion: profile.version, planYear }], parentClosePolicy: ParentClosePolicy.ABANDON });
    return { planId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { planId, started: false };
    throw error;
  }
}
