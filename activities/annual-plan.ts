import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { annualPlanId, type PlanProposal } from '../domain/annual-plan';
import { profileFor } from '../domain/policy';
import type { Jurisdiction } from '../domain/project';
import { proposalEnrolledSignal } from '../workflows/messages';

/**
 * Enrols a reviewed proposal in its jurisdiction's annual plan: signal-with-start, so the plan
 * workflow exists whether or not the yearly Schedule has opened it yet. Signals are deduplicated by
 * project id inside the plan, so a retried activity enrols once.
 */
export function createPlanEnrolmentActivity(client: Client, taskQueue: string) {
  return async function enrolInAnnualPlan(input: { jurisdiction: Jurisdiction; planYear: number; proposal: PlanProposal }): Promise<{ planId: string; closed: boolean }> {
    const planId = annualPlanId(input.jurisdiction, input.planYear);
    try {
      await client.workflow.signalWithStart('AnnualPlan', {
        workflowId: planId,
        taskQueue,
        // A plan is made under the profile version in force when it opens.
        args: [{ jurisdiction: input.jurisdiction, profileVersion: profileFor(input.jurisdiction).version, planYear: input.planYear }],
        signal: proposalEnrolledSignal,
        signalArgs: [input.proposal],
        // A year's plan is made once: a completed plan is not started again for a straggler.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      return { planId, closed: false };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { planId, closed: true };
      throw error;
    }
  };
}
