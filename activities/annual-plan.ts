import type { Client } from '@temporalio/client';
import { annualPlanId, type PlanProposal } from '../domain/annual-plan';
import type { Jurisdiction } from '../domain/project';
import { proposalEnrolledSignal } from '../workflows/messages';

/**
 * Enrols a reviewed proposal in its jurisdiction's annual plan: signal-with-start, so the plan
 * workflow exists whether or not the yearly Schedule has opened it yet. Signals are deduplicated by
 * project id inside the plan, so a retried activity enrols once.
 */
export function createPlanEnrolmentActivity(client: Client, taskQueue: string) {
  return async function enrolInAnnualPlan(input: { jurisdiction: Jurisdiction; planYear: number; proposal: PlanProposal }): Promise<{ planId: string }> {
    const planId = annualPlanId(input.jurisdiction, input.planYear);
    await client.workflow.signalWithStart('AnnualPlan', {
      workflowId: planId,
      taskQueue,
      args: [{ jurisdiction: input.jurisdiction, planYear: input.planYear }],
      signal: proposalEnrolledSignal,
      signalArgs: [input.proposal],
    });
    return { planId };
  };
}
