import { condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { LifecycleState, ProjectProposal, ProjectStage } from '../domain/project';
import { initialStage, PROFILE_VERSION } from '../domain/policy/yiyang';
import { lifecycleStateQuery } from './messages';
import { projectStageKey } from './search-attributes';

const records = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // Storage outages are waited out, not failed: a lost write would be a lost decision.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * One workflow per project, its workflow id the project id, carrying the project from proposal to the
 * last retention release. Registration already puts the project in its first stage by the rules of its
 * profile and writes it to the system of record; the later stages hang off the same state.
 */
export async function ProjectLifecycle(proposal: ProjectProposal): Promise<LifecycleState> {
  const registeredAt = new Date(workflowInfo().startTime).toISOString();
  const first = initialStage(proposal.investmentFen);
  const state: LifecycleState = {
    projectId: proposal.projectId,
    name: proposal.name,
    unit: proposal.unit,
    jurisdiction: proposal.jurisdiction,
    planYear: proposal.planYear,
    investmentFen: proposal.investmentFen,
    stage: first.stage,
    registeredAt,
    timeline: [],
  };
  setHandler(lifecycleStateQuery, () => state);

  /** The state changes at once (queries see it); the system of record follows through an activity. */
  const enterStage = (stage: ProjectStage, rule?: string): Promise<unknown> => {
    const enteredAt = new Date().toISOString();
    state.stage = stage;
    state.timeline.push({ stage, enteredAt, rule });
    upsertSearchAttributes([{ key: projectStageKey, value: stage }]);
    return records.recordStageEvent({
      eventKey: `${workflowInfo().workflowId}:${state.timeline.length}`,
      projectId: state.projectId,
      stage,
      kind: 'entered',
      rule,
      occurredAt: enteredAt,
    });
  };

  const registration = records.registerProjectRecord({
    projectId: proposal.projectId,
    name: proposal.name,
    unit: proposal.unit,
    jurisdiction: proposal.jurisdiction,
    profileVersion: PROFILE_VERSION,
    planYear: proposal.planYear,
    investmentFen: proposal.investmentFen,
    fundingSource: proposal.fundingSource,
    stage: first.stage,
    registeredAt,
  });
  await Promise.all([registration, enterStage(first.stage, first.rule)]);

  // The project waits here for the decisions and events of its next stages.
  await condition(() => false);
  return state;
}
