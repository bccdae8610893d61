import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openDatabase, type StorageHandle } from '../../activities/storage/database';
import { createStore } from '../../activities/storage/store';
import { lifecycleInputFor } from '../../domain/policy';
import { decideUpdate } from '../../workflows/messages';
import { ProjectLifecycle } from '../../workflows/project-lifecycle';
import request from 'supertest';
import { WORKER_STALE_AFTER_MS } from '../../activities/storage/heartbeats';
import { as, OTHER_UNIT, seedTestUnits, testApp } from '../helpers/api';
import { actor, eventually, waitFor } from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';
import { createDevServerEnv } from '../helpers/temporal';

/**
 * SIGKILL the worker process in the middle of an activity: after a new worker starts, the lifecycle
 * goes on, with exactly one row and one notification per step.
 */
const root = join(__dirname, '..', '..');
const taskQueue = `crash-${process.pid}`;

describe('the worker is killed mid-activity', () => {
  let env: TestWorkflowEnvironment;
  let dataDir: string;
  let storage: StorageHandle;
  let worker: ChildProcess | undefined;

  const startWorker = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, [join(root, 'dist', 'worker', 'main.js')], {
      env: { ...process.env, TEMPORAL_ADDRESS: env.connection.options.address, TEMPORAL_TASK_QUEUE: taskQueue, DATA_DIR: dataDir, WORKER_METRICS_BIND: '', NOTIFICATION_POLL_MS: '600000', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Worker polling task queue')) resolve();
      });
    });
    child.removeAllListeners('exit');
    return child;
  };

  beforeAll(async () => {
    env = await createDevServerEnv();
    dataDir = mkdtempSync(join(tmpdir(), 'zhengwu-crash-'));
    worker = await startWorker();
    storage = await openDatabase({ sqliteFile: join(dataDir, 'zhengwu-flow.sqlite') });
    await seedTestUnits(storage);
  });

  afterAll(async () => {
    worker?.kill('SIGKILL');
    await storage?.close();
    await env?.teardown();
  });

  it('completes the step once after the crash', async () => {
    const proposal = aProposal();
    const handle = await env.client.workflow.start(ProjectLifecycle, { taskQueue, workflowId: proposal.projectId, args: [lifecycleInputFor(proposal)] });
    await waitFor(handle, (s) => s.pending?.stage === 'preTechnicalReview' && s.pending.dueDate !== undefined, 'the open review');

    // Hold the database's write lock, so the decision's activity is certainly in flight when the worker dies.
    const blocker = new SQLite(join(dataDir, 'zhengwu-flow.sqlite'));
    blocker.exec('BEGIN IMMEDIATE');
    const decided = handle.executeUpdate(decideUpdate, { args: [{ stage: 'preTechnicalReview', decision: 'approve', reasons: [], experts: [], refusalGrounds: [], actor: actor('technicalReviewer') }] });
    for (let i = 0; i < 100; i += 1) {
      const running = (await handle.describe()).raw.pendingActivities ?? [];
      if (running.some((a) => a.activityType?.name === 'recordTransition' && a.state === 2 /* STARTED */)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    worker!.kill('SIGKILL');
    blocker.exec('ROLLBACK');
    blocker.close();

    worker = await startWorker();
    const after = await decided; // the attempt of the dead worker times out and is retried by the new one
    expect(after.timeline.filter((t) => t.kind === 'decision')).toHaveLength(1);
    await waitFor(handle, (s) => s.stage === 'annualPlan', 'the next stage');

    const store = createStore(storage);
    const events = await store.stageEventsOf(proposal.projectId);
    expect(events.filter((e) => e.kind === 'decision')).toHaveLength(1);
    expect(new Set(events.map((e) => e.event_key)).size).toBe(events.length);
    const outbox = await storage.db.selectFrom('notification_outbox').select('idempotency_key').where('project_id', '=', proposal.projectId).execute();
    expect(outbox.filter((m) => m.idempotency_key.includes(':decisionRecorded:'))).toHaveLength(1);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
  }, 120_000);

  it('tells the truth while no worker runs: /ready within seconds, 503 at once with Retry-After for actions, records still read', async () => {
    const app = testApp(env.client, storage, { taskQueue });
    const proposal = aProposal({ investmentFen: 400_000 * 100 });
    const id = proposal.projectId;
    await as(app, 'unit').post('/projects').send(proposal).expect(201);
    await as(app, 'unit').post(`/projects/${id}/documents?kind=proposal&title=${encodeURIComponent('项目建议书')}`).set('Content-Type', 'application/octet-stream').send(Buffer.from('建议书')).expect(201);
    const theirs = aProposal({ unit: OTHER_UNIT, investmentFen: 400_000 * 100 });
    await as(app, 'otherUnit').post('/projects').send(theirs).expect(201);
    await request(app).get('/ready').expect(200);

    const exited = new Promise((resolve) => worker!.once('exit', resolve));
    worker!.kill('SIGKILL');
    await exited;
    // /ready turns within the heartbeat's staleness window (20 s), not Temporal's minutes of stale pollers.
    const killedAt = Date.now();
    const ready = await eventually(() => request(app).get('/ready'), (r) => r.status === 503, '/ready to say the worker is down', 40_000);
    expect(ready.body.checks).toMatchObject({ worker: 'down' });
    expect(Date.now() - killedAt).toBeLessThan(WORKER_STALE_AFTER_MS + 5_000);

    // Actions and live reads answer at once, with the cause and when to come back.
    for (const call of [
      () => as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'contract', contract: { contractId: `${id}-HT`, contractor: '某公司', sumFen: 100, omYears: 3, signedDate: '2026-10-15' }, supervisor: '湖南某工程监理有限公司' }),
      () => as(app, 'unit').get(`/projects/${id}`),
      () => as(app, 'unit').post('/projects').send(aProposal()),
    ]) {
      const started = Date.now();
      const answer = await call().expect(503);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(answer.headers['retry-after']).toBe('10');
      expect(answer.body.detail).toMatch(/^No worker is running/);
    }
    // Another unit's project still answers exactly as a missing one (404), not 503.
    for (const projectId of [theirs.projectId, `${theirs.projectId}X`]) {
      await as(app, 'unit').get(`/projects/${projectId}`).expect(404);
      await as(app, 'unit').post(`/projects/${projectId}/submissions`).send({ action: 'goLive' }).expect(404);
    }
    // What the system of record holds is still served.
    expect((await as(app, 'unit').get('/projects').expect(200)).body.items.map((p: { projectId: string }) => p.projectId)).toContain(id);
    expect((await as(app, 'unit').get(`/projects/${id}/documents`).expect(200)).body.items).toHaveLength(1);

    worker = await startWorker();
    await eventually(() => request(app).get('/ready'), (r) => r.status === 200, '/ready after the restart', 30_000);
    await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'contract', contract: { contractId: `${id}-HT`, contractor: '某公司', sumFen: 100, omYears: 3, signedDate: '2026-10-15' }, supervisor: '湖南某工程监理有限公司' }).expect(200);
  }, 120_000);
});
