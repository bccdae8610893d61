import type { ProjectProposal } from '../domain/project';
import { lifecycleInputFor } from '../domain/policy';
import { investmentFenKey, jurisdictionKey, planYearKey, unitKey } from '../workflows/search-attributes';

/**
 * How a project's ProjectLifecycle starts: under its project id, never reused, with the search
 * attributes the Temporal UI and the lists find it by. The API registers with it; the idle-fleet
 * benchmark starts its fleet with it.
 */
export function lifecycleStartOptions(proposal: ProjectProposal, taskQueue: string) {
  return {
    taskQueue,
    workflowId: proposal.projectId,
    args: [lifecycleInputFor(proposal)] as const,
    // A project id names one project forever: a closed project's id is not reused either.
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    workflowIdConflictPolicy: 'FAIL' as const,
    typedSearchAttributes: [
      { key: jurisdictionKey, value: proposal.jurisdiction },
      { key: planYearKey, value: proposal.planYear },
      { key: unitKey, value: proposal.unit },
      { key: investmentFenKey, value: proposal.investmentFen },
    ],
  };
}
