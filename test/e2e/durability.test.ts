import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { StorageHandle } from '../../activities/storage/database';
import { prepareNamespace } from '../../worker/namespace-setup';
import { openTestStorage } from '../helpers/storage';
import { as, testApp } from '../helpers/api';
import { DevServerProcess, freePort } from '../helpers/dev-server-process';
import { createTestWorker } from '../helpers/temporal';
import { aProposal } from '../helpers/proposals';

/**
 * Durability on the real dev server: a registered project survives SIGKILL of the Temporal server,
 * because the server persists to its SQLite file and the project's state is rebuilt from history.
 */
describe('a project survives SIGKILL of the Temporal dev server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhengwu-durability-'));
  let server: DevServerProcess;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let worker: Worker;
  let running: Promise<void>;
  let storage: StorageHandle;

  beforeAll(async () => {
    storage = await openTestStorage('sqlite');
    server = new DevServerProcess(join(dir, 'temporal.db'), await freePort());
    await server.start();
    nativeConnection = await NativeConnection.connect({ address: server.address });
    await prepareNamespace(nativeConnection, 'default', 30);
    connection = await Connection.connect({ address: server.address });
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await nativeConnection?.close();
    await server?.kill();
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('still has the project, its stage and its history after a restart on the same database', async () => {
    const client = new Client({ connection, namespace: 'default' });
    worker = await createTestWorker(nativeConnection, storage, client);
    running = worker.run();
    const app = testApp(client, storage);

    const proposal = aProposal();
    const created = (await as(app, 'unit').post('/projects').send(proposal).expect(201)).body;
    expect(created.stage).toBe('preTechnicalReview');
    // Let the review open (its due date comes from the calendar activity) before the crash.
    let before = created;
    while (!before.pending?.dueDate) before = (await as(app, 'unit').get(`/projects/${proposal.projectId}`).expect(200)).body;

    await server.kill('SIGKILL');
    await server.start();

    // The same API process and worker reconnect on their own.
    const after = await as(app, 'unit').get(`/projects/${proposal.projectId}`).expect(200);
    expect(after.body).toEqual(before);
    const description = await client.workflow.getHandle(proposal.projectId).describe();
    expect(description.status.name).toBe('RUNNING');
    // Retention was raised from the dev server's 1-day default and persisted with the namespace.
    const namespace = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(Number(namespace.config?.workflowExecutionRetentionTtl?.seconds)).toBeGreaterThanOrEqual(30 * 86_400);

    // The review's SLA timer (the reminder on its due date) is pending in the persisted history — the
    // activity interrupted by the crash is retried first, then the workflow arms the timer.
    const pendingTimers = async () => {
      const history = await client.workflow.getHandle(proposal.projectId).fetchHistory();
      const events = history.events ?? [];
      const ended = new Set(events.flatMap((e) => [e.timerFiredEventAttributes?.timerId, e.timerCanceledEventAttributes?.timerId]).filter(Boolean));
      return events.filter((e) => e.timerStartedEventAttributes && !ended.has(e.timerStartedEventAttributes.timerId)).length;
    };
    let timers = await pendingTimers();
    for (let attempt = 0; attempt < 900 && timers === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      timers = await pendingTimers();
    }
    expect(timers).toBe(1);

    // The open review is decided after the crash and the project moves on.
    const decided = await as(app, 'technicalReviewer').post(`/projects/${proposal.projectId}/decisions`).send({ stage: 'preTechnicalReview', decision: 'approve' }).expect(200);
    expect(decided.body.stage).toBe('annualPlan');

    // The restarted system keeps working: a new project registers, the old id is still taken.
    const next = aProposal();
    await as(app, 'unit').post('/projects').send(next).expect(201);
    await as(app, 'unit').post('/projects').send(proposal).expect(409);
  });
});
