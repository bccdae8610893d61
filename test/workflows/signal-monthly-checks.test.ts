import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createMonthlyCheckActivity } from '../../activities/monitoring';
import type { StorageHandle } from '../../activities/storage/database';
import { createStore, type Store } from '../../activities/storage/store';
import { openTestStorage } from '../helpers/storage';
import { createDevServerEnv } from '../helpers/temporal';

/**
 * One page of the monthly round (002 (二)) against the real dev server: each system in operation gets the
 * signal in its workflow's history; one whose workflow is gone is skipped, not an error. The workflows
 * here wait on a task queue no worker polls — a signal is accepted and recorded all the same.
 */
const IDLE_QUEUE = 'monthly-checks-no-worker';
const at = (day: string) => `${day}T02:00:00.000Z`;

describe('signalMonthlyChecks', () => {
  let env: TestWorkflowEnvironment;
  let storage: StorageHandle;
  let store: Store;

  async function systemInOperation(projectId: string): Promise<void> {
    await store.registerProject({
      projectId, name: '智慧监管平台', unit: '益阳市市场监督管理局', jurisdiction: 'yiyang', profileVersion: 'yiyang@2022',
      planYear: 2025, investmentFen: 80_000_000, fundingSource: '市本级财政', stage: 'operations', registeredAt: at('2025-01-10'),
    });
  }

  beforeAll(async () => {
    storage = await openTestStorage('sqlite');
    store = createStore(storage);
    env = await createDevServerEnv();
    for (const projectId of ['MC-1', 'MC-2', 'MC-3', 'MC-GONE', 'MC-NEVER']) await systemInOperation(projectId);
    for (const projectId of ['MC-1', 'MC-2', 'MC-3', 'MC-GONE']) {
      await env.client.workflow.start('ProjectLifecycle', { workflowId: projectId, taskQueue: IDLE_QUEUE, args: [] });
    }
    await env.client.workflow.getHandle('MC-GONE').terminate('ended for the test');
  });
  afterAll(async () => {
    await env?.teardown();
    await storage?.close();
  });

  const signalsOf = async (workflowId: string) => {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap((event) => {
      const signal = event.workflowExecutionSignaledEventAttributes;
      if (!signal) return [];
      return [{ name: signal.signalName, args: (signal.input?.payloads ?? []).map((payload) => defaultPayloadConverter.fromPayload(payload)) }];
    });
  };
  const monthlyCheckDue = { name: 'monthlyCheckDue', args: [{ period: '2027-03', roundId: 'round-2027-03' }] };

  it('signals one page of systems in id order, skips workflows that are gone, and says where the next page starts', async () => {
    const signalMonthlyChecks = createMonthlyCheckActivity(store, env.client);
    const round = { jurisdiction: 'yiyang', period: '2027-03', roundId: 'round-2027-03' };

    const first = await signalMonthlyChecks({ ...round, pageSize: 3 });
    expect(first).toEqual({ signalled: ['MC-1', 'MC-2', 'MC-3'], skipped: [], nextAfter: 'MC-3' });
    const second = await signalMonthlyChecks({ ...round, pageSize: 3, after: 'MC-3' });
    expect(second).toEqual({ signalled: [], skipped: ['MC-GONE', 'MC-NEVER'], nextAfter: null });

    expect(await signalsOf('MC-1')).toEqual([monthlyCheckDue]);
    expect(await signalsOf('MC-3')).toEqual([monthlyCheckDue]);
  });

  it('refuses a round that is not one (a bad period) before signalling anyone', async () => {
    const signalMonthlyChecks = createMonthlyCheckActivity(store, env.client);
    await expect(signalMonthlyChecks({ jurisdiction: 'yiyang', period: '2027-3', roundId: 'r' })).rejects.toThrow(/month/);
    expect(await signalsOf('MC-2')).toEqual([monthlyCheckDue]);
  });
});
