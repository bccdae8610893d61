import { execFileSync, execSync } from 'node:child_process';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import { Client as PgClient } from 'pg';
import type { StorageHandle } from '../../activities/storage/database';
import { runWithHeartbeat } from '../../worker/heartbeat';
import { prepareNamespace } from '../../worker/namespace-setup';
import { as, seedTestUnits, testApp } from '../helpers/api';
import { eventually, waitFor, waitForPending } from '../helpers/lifecycle';
import type { ProjectState } from '../../domain/lifecycle';
import type { ProjectLifecycle } from '../../workflows/project-lifecycle';
import { aProposal } from '../helpers/proposals';
import { openTestStorage } from '../helpers/storage';
import { createTestWorker, TASK_QUEUE } from '../helpers/temporal';

/**
 * The scale path docker-compose.yml promises, real on this machine: the full Temporal server (v1.29.1,
 * built from its Go module) with PostgreSQL persistence and visibility and four history shards, started
 * by scripts/start-temporal-postgres.sh. The app's own worker and API run a project on it.
 */
const root = join(__dirname, '..', '..');
let address: string;
let persistenceUrl: string;
let stopServer: string;
let storage: StorageHandle;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let app: Express;

beforeAll(async () => {
  const lines = execFileSync('bash', [join(root, 'scripts', 'start-temporal-postgres.sh')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n');
  [address, persistenceUrl, stopServer] = lines as [string, string, string];
  storage = await openTestStorage('sqlite');
  await seedTestUnits(storage);
  nativeConnection = await NativeConnection.connect({ address });
  // As the worker does at start: the app's search attributes (on PostgreSQL visibility) and the retention.
  await prepareNamespace(nativeConnection, 'default', 30);
  connection = await Connection.connect({ address });
  client = new Client({ connection, namespace: 'default' });
  worker = await createTestWorker(nativeConnection, storage, client);
  running = runWithHeartbeat(worker, storage.db, TASK_QUEUE);
  app = testApp(client, storage);
}, 20 * 60_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await nativeConnection?.close();
  await storage?.close();
  if (stopServer) execSync(stopServer, { stdio: 'ignore' });
});

describe('the app on the full Temporal server with PostgreSQL persistence and visibility (docker-compose.yml\'s scale path)', () => {
  it('registers a project, takes its decisions through the API and finds it by its search attributes; its history is rows in PostgreSQL', async () => {
    const proposal = aProposal({ investmentFen: 1_500_000 * 100, planKind: 'supplementary', supplementaryBasis: '省政务服务一体化平台对接要求' });
    const id = proposal.projectId;
    await as(app, 'unit').post('/projects').send(proposal).expect(201);
    // Waits read the workflow's query directly: the API's rate limit is for people, not for polling.
    const handle = client.workflow.getHandle<typeof ProjectLifecycle>(id);
    for (const stage of ['jointReview', 'leadingGroupDecision', 'governmentApproval']) {
      await waitForPending(handle, stage, 'review');
      await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage, decision: 'approve' }).expect(200);
    }
    await waitFor(handle, (s) => s.pending !== null && s.stage !== 'governmentApproval', 'the next stage');
    const after = (await as(app, 'auditor').get(`/projects/${id}`).expect(200)).body as ProjectState;
    expect(after.timeline.filter((t) => t.kind === 'decision').map((t) => t.stage)).toEqual(['jointReview', 'leadingGroupDecision', 'governmentApproval']);

    // SQL visibility answers the app's custom search attributes.
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const execution of client.workflow.list({ query: `ProjectJurisdiction = 'yiyang' AND ProjectUnit = '${proposal.unit}' AND WorkflowId = '${id}'` })) ids.push(execution.workflowId);
      return ids;
    }, (ids) => ids.length === 1, 'the project in visibility', 30_000);
    expect(found).toEqual([id]);

    // The workflow lives in the server's PostgreSQL database, spread over its history shards.
    const pg = new PgClient({ connectionString: persistenceUrl });
    await pg.connect();
    try {
      const executions = await pg.query('SELECT count(*)::int AS n FROM executions WHERE workflow_id = $1', [id]);
      expect(executions.rows[0].n).toBe(1);
      const shards = await pg.query('SELECT count(*)::int AS n FROM shards');
      expect(shards.rows[0].n).toBe(4);
    } finally {
      await pg.end();
    }
  });
});
