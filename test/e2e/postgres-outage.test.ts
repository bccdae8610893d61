import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { openDatabase, type StorageHandle } from '../../activities/storage/database';
import { createStore } from '../../activities/storage/store';
import { lifecycleInputFor } from '../../domain/policy';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { decideUpdate } from '../../workflows/messages';
import { ProjectLifecycle } from '../../workflows/project-lifecycle';
import { actor, waitFor } from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';
import { runWithHeartbeat } from '../../worker/heartbeat';
import { createDevServerEnv, createTestWorker, TASK_QUEUE } from '../helpers/temporal';

/**
 * The system of record goes down while a decision is being recorded: the activity fails, Temporal
 * retries it with backoff, and once PostgreSQL is back the decision is written exactly once.
 */
describe('PostgreSQL stops while activities write', () => {
  let server: { url: string; cleanup: string; stop: string; start: string };
  let storage: StorageHandle;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    const lines = execSync(`bash ${join(__dirname, '..', '..', 'scripts', 'start-test-postgres.sh')}`, { encoding: 'utf8' }).trim().split('\n');
    server = { url: lines[0]!, cleanup: lines[1]!, stop: lines[2]!, start: lines[3]! };
    storage = await openDatabase({ databaseUrl: server.url, sqliteFile: '' });
    env = await createDevServerEnv();
    worker = await createTestWorker(env.nativeConnection, storage, env.client);
    running = runWithHeartbeat(worker, storage.db, TASK_QUEUE);
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await storage?.close();
    if (server) execSync(server.cleanup, { shell: '/bin/bash' });
  });

  it('retries until the database is back, then records the decision once', async () => {
    const proposal = aProposal();
    const handle = await env.client.workflow.start(ProjectLifecycle, { taskQueue: TASK_QUEUE, workflowId: proposal.projectId, args: [lifecycleInputFor(proposal)] });
    await waitFor(handle, (s) => s.pending?.stage === 'preTechnicalReview' && s.pending.dueDate !== undefined, 'the open review');

    execSync(server.stop, { shell: '/bin/bash' });
    const decided = handle.executeUpdate(decideUpdate, { args: [{ stage: 'preTechnicalReview', decision: 'approve', reasons: [], experts: [], refusalGrounds: [], actor: actor('technicalReviewer') }] });
    // The transition activity fails against the stopped server and is retried.
    let failedAttempts = 0;
    for (let i = 0; i < 100 && failedAttempts === 0; i += 1) {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      failedAttempts = pending.filter((a) => (a.attempt ?? 0) > 1 && a.lastFailure).length;
      if (failedAttempts === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(failedAttempts).toBeGreaterThan(0);

    execSync(server.start, { shell: '/bin/bash' });
    const after = await decided;
    expect(after.timeline.filter((t) => t.kind === 'decision')).toHaveLength(1);
    const store = createStore(storage);
    await waitFor(handle, (s) => s.stage === 'annualPlan', 'the next stage');
    const decisions = (await store.stageEventsOf(proposal.projectId)).filter((event) => event.kind === 'decision');
    expect(decisions).toHaveLength(1);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
  });
});
