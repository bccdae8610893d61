import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { AesGcmPayloadCodec, type PayloadKeysFile } from '../../config/payload-codec';
import type { StorageHandle } from '../../activities/storage/database';
import { lifecycleInputFor } from '../../domain/policy';
import { decideUpdate, projectStateQuery } from '../../workflows/messages';
import { ProjectLifecycle } from '../../workflows/project-lifecycle';
import { actor, waitFor } from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';
import { openTestStorage } from '../helpers/storage';
import { runWithHeartbeat } from '../../worker/heartbeat';
import { createDevServerEnv, createTestWorker, TASK_QUEUE } from '../helpers/temporal';
import { as, testApp } from '../helpers/api';

/**
 * Temporal's history holds no plaintext project or money data: every payload is AES-256-GCM encrypted
 * with a key id in its metadata; after rotating to a new key, payloads written under the old one
 * still decode; the codec endpoint decodes for authorised users of the Temporal UI.
 */
// Rotation in two steps: every reader learns the new key first (still writing the old one), then
// writers switch to it; the old key stays listed while any payload written with it may be read.
const keys = { k2026: randomBytes(32).toString('base64'), k2027: randomBytes(32).toString('base64') };
const first: PayloadKeysFile = { activeKeyId: 'k2026', keys };
const rotated: PayloadKeysFile = { activeKeyId: 'k2027', keys };

describe('payload encryption', () => {
  let env: TestWorkflowEnvironment;
  let storage: StorageHandle;
  let worker: Worker;
  let running: Promise<void>;
  const startWorker = async (keys: PayloadKeysFile) => {
    worker = await createTestWorker(env.nativeConnection, storage, env.client, { dataConverter: { payloadCodecs: [new AesGcmPayloadCodec(keys)] } });
    running = runWithHeartbeat(worker, storage.db, TASK_QUEUE);
  };

  beforeAll(async () => {
    storage = await openTestStorage('sqlite');
    env = await createDevServerEnv({ payloadCodecs: [new AesGcmPayloadCodec(first)] });
    await startWorker(first);
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await storage?.close();
  });

  it('keeps names and amounts out of the raw history, survives key rotation, and decodes through the codec endpoint', async () => {
    const proposal = aProposal({ name: '机密：社保数据共享平台', investmentFen: 987_654_321 });
    const handle = await env.client.workflow.start(ProjectLifecycle, { taskQueue: TASK_QUEUE, workflowId: proposal.projectId, args: [lifecycleInputFor(proposal)] });
    await waitFor(handle, (s) => s.pending?.dueDate !== undefined, 'the open review');

    // Rotate: the worker now writes with k2027 and still reads k2026.
    worker.shutdown();
    await running;
    await startWorker(rotated);
    await handle.executeUpdate(decideUpdate, { args: [{ stage: 'preTechnicalReview', decision: 'approve', reasons: [], experts: [], refusalGrounds: [], actor: actor('technicalReviewer') }] });
    expect((await handle.query(projectStateQuery)).name).toBe('机密：社保数据共享平台');

    // The raw history, fetched without any codec.
    const raw = await env.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: proposal.projectId } });
    const bytes = Buffer.from(JSON.stringify(raw.history?.events ?? [], (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)), 'latin1');
    for (const secret of ['机密', '社保数据共享平台', '987654321', proposal.unit]) {
      expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    }
    const keyIds = new Set<string>();
    for (const event of raw.history?.events ?? []) {
      const payloads = event.workflowExecutionStartedEventAttributes?.input?.payloads ?? event.activityTaskScheduledEventAttributes?.input?.payloads ?? [];
      for (const payload of payloads) keyIds.add(Buffer.from(payload.metadata!['encryption-key-id']!).toString());
    }
    expect([...keyIds].sort()).toEqual(['k2026', 'k2027']);

    // The codec endpoint, for the Temporal UI: only authorised roles.
    const app = testApp(env.client, storage, { payloadCodec: new AesGcmPayloadCodec(rotated), dataDir: tmpdir() });
    const input = raw.history!.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const encoded = { metadata: Object.fromEntries(Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(input.data!).toString('base64') };
    const decoded = await as(app, 'auditor').post('/codec/decode').send({ payloads: [encoded] }).expect(200);
    expect(Buffer.from(decoded.body.payloads[0].data, 'base64').toString('utf8')).toContain('机密：社保数据共享平台');
    await as(app, 'unit').post('/codec/decode').send({ payloads: [encoded] }).expect(403);

    // Malformed encrypted payloads are 422s that name the payload, never a 500 or a silent empty result.
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const sealed = Buffer.from(encoded.data, 'base64');
    const broken = {
      'names no encryption-key-id': { ...encoded, metadata: { encoding: encoded.metadata.encoding } },
      'key id "k1999", which is not in the payload keys file': { ...encoded, metadata: { ...encoded.metadata, 'encryption-key-id': b64('k1999') } },
      'does not authenticate': { ...encoded, data: Buffer.concat([sealed.subarray(0, sealed.length - 1), Buffer.from([sealed[sealed.length - 1]! ^ 1])]).toString('base64') },
      'fewer than an encrypted payload': { ...encoded, data: b64('short') },
    };
    for (const [reason, payload] of Object.entries(broken)) {
      const refused = await as(app, 'auditor').post('/codec/decode').send({ payloads: [encoded, payload] }).expect(422);
      expect(refused.body).toMatchObject({ errors: [{ pointer: '/body/payloads/1' }], detail: expect.stringContaining(reason) });
    }
    const notBase64 = await as(app, 'auditor').post('/codec/decode').send({ payloads: [{ ...encoded, data: '这不是base64!' }] }).expect(422);
    expect(notBase64.body.errors).toEqual([expect.objectContaining({ pointer: '/body/payloads/0/data', detail: 'must be base64' })]);
  });
});
