import { condition, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { LifecycleState, ProjectProposal, ProjectStage } from '../domain/project';
import { initialStage } from '../domain/policy/yiyang';
import { lifecycleStateQuery } from './messages';
import { projectStageKey } from './search-attributes';

/**
 * One workflow per project, its workflow id the project id, carrying the project from proposal to the
 * last retention release. Registration already puts the project in its first stage by the rules of its
 * profile; the later stages hang off the same state.
 */
export async function ProjectLifecycle(proposal: ProjectProposal): Promise<LifecycleState> {
  const registeredAt = new Date(workflowInfo().startTime).toISOString();
  const state: LifecycleState = {
    projectId: proposal.projectId,
    name: proposal.name,
    unit: proposal.unit,
    jurisdiction: proposal.jurisdiction,
    planYear: proposal.planYear,
    investmentFen: proposal.investmentFen,
    stage: 'preTechnicalReview',
    registeredAt,
    timeline: [],
  };
  setHandler(lifecycleStateQuery, () => state);

  const enterStage = (stage: ProjectStage, rule?: string): void => {
    state.stage = stage;
    state.timeline.push({ stage, enteredAt: new Date().toISOString(), rule });
    upsertSearchAttributes([{ key: projectStageKey, value: stage }]);
  };

  const first = initialStage(proposal.investmentFen);
  enterStage(first.stage, first.rule);

  // The project waits here for the decisions and events of its next stages.
  await condition(() => false);
  return state;
}
