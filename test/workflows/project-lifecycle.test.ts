import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { StorageHandle } from '../../activities/storage/database';
import { lifecycleStateQuery } from '../../workflows/messages';
import { openTestStorage } from '../helpers/storage';
import { ProjectLifecycle } from '../../workflows/project-lifecycle';
import { createTestWorker, createTimeSkippingEnv, TASK_QUEUE } from '../helpers/temporal';
import { aProposal } from '../helpers/proposals';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let storage: StorageHandle;

beforeAll(async () => {
  storage = await openTestStorage('sqlite');
  env = await createTimeSkippingEnv();
  worker = await createTestWorker(env.nativeConnection, storage);
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await storage?.close();
});

const start = (proposal = aProposal()) =>
  env.client.workflow.start(ProjectLifecycle, {
    taskQueue: TASK_QUEUE,
    workflowId: proposal.projectId,
    args: [proposal],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });

describe('ProjectLifecycle registration', () => {
  it('puts a project above 50万 into the pre-technical review (001 §5) and keeps it there', async () => {
    const proposal = aProposal({ investmentFen: 500_000 * 100 + 1 });
    const handle = await start(proposal);
    await env.sleep('30 days');
    const state = await handle.query(lifecycleStateQuery);
    expect(state).toMatchObject({
      projectId: proposal.projectId,
      unit: proposal.unit,
      jurisdiction: 'yiyang',
      planYear: 2027,
      investmentFen: 50_000_001,
      stage: 'preTechnicalReview',
    });
    expect(state.timeline).toEqual([expect.objectContaining({ stage: 'preTechnicalReview', rule: '001 §5' })]);
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');

    const events = await storage.db.selectFrom('stage_events').selectAll().where('project_id', '=', proposal.projectId).execute();
    expect(events).toEqual([expect.objectContaining({ stage: 'preTechnicalReview', kind: 'entered', rule: '001 §5' })]);
  });

  it('lets a project of exactly 50万 go to self-implementation: 以下 includes the number (001 §8)', async () => {
    const handle = await start(aProposal({ investmentFen: 500_000 * 100 }));
    const state = await handle.query(lifecycleStateQuery);
    expect(state.stage).toBe('selfImplementation');
    expect(state.timeline[0]?.rule).toBe('001 §8');
  });

  it('refuses a second workflow for the same project id', async () => {
    const proposal = aProposal();
    await start(proposal);
    await expect(start(proposal)).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  });
});
