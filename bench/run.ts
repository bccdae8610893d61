import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { prepareNamespace } from '../worker/namespace-setup';
import { devServerDynamicConfigArgs } from '../worker/server-settings';
import { workflowBundlerOptions, workflowsPath } from '../worker/workflow-bundle';
import type { ProjectLifecycle } from '../workflows/project-lifecycle';
import { projectStateQuery } from '../workflows/messages';
import { projectSearchAttributeKeys } from '../workflows/search-attributes';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { bearer, seedTestUnits, testApp, type TestCaller } from '../test/helpers/api';
import { aProposal } from '../test/helpers/proposals';
import { openTestStorage } from '../test/helpers/storage';
import { createTestWorker, TASK_QUEUE } from '../test/helpers/temporal';
import { runWithHeartbeat } from '../worker/heartbeat';
import { createActivities } from '../activities';
import { lifecycleInputFor } from '../domain/policy';
import { BareWorkflow, bareDecideUpdate } from './bare-workflow';
import { load, machine, percentile, quietLogger } from './measure';

/**
 * `npm run bench`: the product measured against bare Temporal on the same server, in one run. Loads are
 * bounded and loopback only. `--smoke` runs tiny counts (CI); `--server postgres` runs on the full
 * Temporal server with PostgreSQL (scripts/start-temporal-postgres.sh) instead of the dev server.
 * Writes bench/results/<date>-<server>.json and .md.
 */
export interface Sample { count: number; p50: number; p95: number; p99: number; perSecond?: number }
export interface Figure { name: string; product: Sample; bare: Sample | null; ratio: string | null; note?: string }

/** The repository root, from bench/ in the sources or dist/bench/ compiled. */
const root = __dirname.includes(`${join('dist', 'bench')}`) ? join(__dirname, '..', '..') : join(__dirname, '..');

function sample(latencies: number[], wallMs?: number): Sample {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)),
    ...(wallMs ? { perSecond: round(sorted.length / (wallMs / 1000)) } : {}),
  };
}


const ratioOf = (product: number, bare: number) => `${(product / bare).toFixed(2)}×`;

export interface BenchOptions { smoke: boolean; server: 'dev' | 'postgres' }

export async function runBench({ smoke, server }: BenchOptions): Promise<BenchResult> {
  const counts = smoke ? { registrations: 16, decisions: 6, cached: 20 } : { registrations: 200, decisions: 60, cached: 400 };
  process.env.TEMPORAL_CLI_PATH ??= execFileSync('bash', [join(root, 'scripts', 'obtain-temporal-cli.sh')], { encoding: 'utf8' }).trim();
  let stop = '';
  let env: TestWorkflowEnvironment | undefined;
  let address: string;
  if (server === 'postgres') {
    const lines = execFileSync('bash', [join(root, 'scripts', 'start-temporal-postgres.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n');
    address = lines[0]!;
    stop = lines[2]!;
  } else {
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_CLI_PATH }, searchAttributes: projectSearchAttributeKeys, extraArgs: devServerDynamicConfigArgs } });
    address = env.address;
  }
  const nativeConnection = await NativeConnection.connect({ address });
  await prepareNamespace(nativeConnection, 'default', 30);
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const storage = await openTestStorage('sqlite');
  await seedTestUnits(storage);

  const { code } = await bundleWorkflowCode({ workflowsPath, ...workflowBundlerOptions, logger: quietLogger });
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'zhengwu-bench-')), 'bundle.js');
  writeFileSync(bundlePath, code);
  process.env.ZHENGWU_WORKFLOW_BUNDLE = bundlePath;
  const product = await createTestWorker(nativeConnection, storage, client);
  const bare = await Worker.create({ connection: nativeConnection, taskQueue: 'bench-bare', workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('./bare-workflow'), logger: quietLogger }) });
  // The API answers only while a worker heartbeat is fresh, as in production.
  const running = [runWithHeartbeat(product, storage.db, TASK_QUEUE), bare.run()];
  const app = testApp(client, storage);
  // The API listens as in production and the load generator keeps its connections alive, as a browser
  // or a gateway does (supertest would open a server and a connection per request).
  const listener = app.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const api = apiCaller(`http://127.0.0.1:${(listener.address() as AddressInfo).port}`);
  const figures: Figure[] = [];
  const run = `${Date.now().toString(36)}`;

  // Registration: POST /projects (the API's checks, the start, the first state) against workflow.start.
  const proposals = Array.from({ length: counts.registrations }, () => aProposal({ investmentFen: 1_500_000 * 100, planKind: 'supplementary', supplementaryBasis: '省平台对接要求' }));
  const registered = await load(counts.registrations, 16, (i) => api('unit', 'POST', '/projects', 201, proposals[i]));
  const started = await load(counts.registrations, 16, (i) => client.workflow.start(BareWorkflow, { taskQueue: 'bench-bare', workflowId: `bare-${run}-${i}` }));
  const reg = { product: sample(registered.latencies, registered.wallMs), bare: sample(started.latencies, started.wallMs) };
  figures.push({ name: 'registrations, concurrency 16 (POST /projects vs workflow.start)', ...reg, ratio: ratioOf(reg.product.perSecond!, reg.bare.perSecond!), note: 'ratio of throughput (higher is better)' });

  // A reviewer's decision: POST /decisions (scope check, validator, recording) against an Update answered at once.
  for (const concurrency of [1, 8]) {
    const offset = concurrency === 1 ? 0 : counts.decisions;
    if (offset + counts.decisions > counts.registrations) break;
    for (let i = 0; i < counts.decisions; i += 1) await waitForReview(client, proposals[offset + i]!.projectId);
    const decided = await load(counts.decisions, concurrency, (i) => api('reviewOffice', 'POST', `/projects/${proposals[offset + i]!.projectId}/decisions`, 200, { stage: 'jointReview', decision: 'approve' }));
    const updated = await load(counts.decisions, concurrency, (i) => client.workflow.getHandle(`bare-${run}-${offset + i}`).executeUpdate(bareDecideUpdate, { args: ['approve'] }));
    const product = sample(decided.latencies);
    const baseline = sample(updated.latencies);
    figures.push({ name: `reviewer decision, concurrency ${concurrency} (POST /decisions vs executeUpdate)`, product, bare: baseline, ratio: ratioOf(product.p95, baseline.p95), note: 'ratio of p95 (lower is better)' });
  }

  // Worker memory per cached workflow, the product's lifecycle waiting at its first review against the bare workflow.
  const memory = await memoryPerCachedWorkflow(nativeConnection, client, storage, code, counts.cached, run);

  // History: events and bytes per run of the committed corpus, and the replay time of the longest.
  const runs = readdirSync(join(root, 'test', 'histories'))
    .flatMap((release) => readdirSync(join(root, 'test', 'histories', release)).map((file) => join(root, 'test', 'histories', release, file)))
    .map((path) => ({ path, events: (JSON.parse(readFileSync(path, 'utf8')) as { events: unknown[] }).events.length, bytes: statSync(path).size }))
    .sort((a, b) => b.events - a.events);
  const longest = runs[0]!;
  const replayStarted = performance.now();
  await Worker.runReplayHistory({ workflowBundle: { code } }, temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(longest.path, 'utf8'))), longest.path);
  const replayMs = performance.now() - replayStarted;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const corpus = { runs: runs.length, eventsP50: median(runs.map((r) => r.events)), bytesP50: median(runs.map((r) => r.bytes)), eventsMax: longest.events, bytesMax: Math.max(...runs.map((r) => r.bytes)) };

  // What the load generator itself costs: the same loops against answers that do no work — the API's
  // liveness probe through HTTP and express, and a bare gRPC call through the Temporal client.
  const apiNoop = await load(counts.registrations, 16, () => api('unit', 'GET', '/health', 200));
  const clientNoop = await load(counts.registrations, 16, () => client.workflowService.getSystemInfo({}));
  const loadGenerator = { apiNoop: sample(apiNoop.latencies, apiNoop.wallMs), clientNoop: sample(clientNoop.latencies, clientNoop.wallMs) };

  listener.close();
  product.shutdown();
  bare.shutdown();
  await Promise.all(running);
  for (const proposal of proposals) await client.workflow.getHandle(proposal.projectId).terminate('bench finished').catch(() => undefined);
  await connection.close();
  await nativeConnection.close();
  await storage.close();
  await env?.teardown();
  if (stop) execSync(stop, { stdio: 'ignore' });

  const result = {
    date: new Date().toISOString(), server, smoke,
    machine: machine(),
    figures,
    memory,
    history: { longest: longest.path.slice(root.length + 1), events: longest.events, bytes: longest.bytes, replayMs: Math.round(replayMs), corpus },
    loadGenerator: {
      ...loadGenerator,
      note: 'in-process: the HTTP client and the Temporal client share the process with the API and the workers; HTTP/1.1 with keep-alive (Node fetch) to the listening API; a request that does no work costs apiNoop (this product\'s column) or clientNoop (the bare column)',
    },
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const name = `${result.date.slice(0, 10)}-${server}${smoke ? '-smoke' : ''}`;
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), markdown(result));
  return result;
}

export type BenchResult = { date: string; server: string; smoke: boolean; machine: object; figures: Figure[]; memory: MemoryFigure; history: { longest: string; events: number; bytes: number; replayMs: number; corpus: { runs: number; eventsP50: number; bytesP50: number; eventsMax: number; bytesMax: number } }; loadGenerator: { apiNoop: Sample; clientNoop: Sample; note: string } };

export interface MemoryFigure { workflows: number; productMiBPerWorkflow: number; bareMiBPerWorkflow: number; ratio: string; note: string }

/** The heap after a full GC, on demand: without starting node with --expose-gc, and only when measured. */
const heapMiB = () => {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/**
 * The heap a cached workflow holds: `count` workflows started and left waiting in a worker's cache,
 * the heap after a full GC before and after, divided by the count. The worker runs its workflows in
 * this thread (debugMode) so that the heap read is theirs; production runs the same objects in a worker
 * thread.
 */
async function memoryPerCachedWorkflow(connection: NativeConnection, client: Client, storage: Awaited<ReturnType<typeof openTestStorage>>, code: string, count: number, run: string): Promise<MemoryFigure> {
  const measure = async (worker: Worker, start: (i: number) => Promise<unknown>, ready: (i: number) => Promise<void>) => {
    const running = worker.run();
    // Warm: the first workflows load the bundle and fill the worker's own structures, which is not per workflow.
    for (let i = 0; i < 3; i += 1) await start(count + i).then(() => ready(count + i));
    const before = heapMiB();
    await load(count, 16, (i) => start(i));
    for (let i = 0; i < count; i += 1) await ready(i);
    const perWorkflow = (heapMiB() - before) / count;
    worker.shutdown();
    await running;
    return Math.round(perWorkflow * 1000) / 1000;
  };
  const lifecycleQueue = `bench-memory-${run}`;
  const proposals = Array.from({ length: count + 3 }, () => aProposal({ investmentFen: 1_500_000 * 100, planKind: 'supplementary', supplementaryBasis: '省平台对接要求' }));
  const product = await measure(
    await Worker.create({ connection, taskQueue: lifecycleQueue, activities: createActivities({ storage, temporal: { client, taskQueue: lifecycleQueue } }), workflowBundle: { code }, debugMode: true }),
    (i) => client.workflow.start('ProjectLifecycle', { taskQueue: lifecycleQueue, workflowId: proposals[i]!.projectId, args: [lifecycleInputFor(proposals[i]!)] }),
    (i) => waitForReview(client, proposals[i]!.projectId),
  );
  const bareQueue = `bench-memory-bare-${run}`;
  const bare = await measure(
    await Worker.create({ connection, taskQueue: bareQueue, workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('./bare-workflow'), logger: quietLogger }), debugMode: true }),
    (i) => client.workflow.start(BareWorkflow, { taskQueue: bareQueue, workflowId: `bare-memory-${run}-${i}` }),
    (i) => client.workflow.getHandle(`bare-memory-${run}-${i}`).query('__stack_trace').then(() => undefined),
  );
  for (const proposal of proposals) await client.workflow.getHandle(proposal.projectId).terminate('bench finished').catch(() => undefined);
  for (let i = 0; i < count + 3; i += 1) await client.workflow.getHandle(`bare-memory-${run}-${i}`).terminate('bench finished').catch(() => undefined);
  return {
    workflows: count, productMiBPerWorkflow: product, bareMiBPerWorkflow: bare, ratio: ratioOf(product, bare),
    note: 'heap after a full GC, per workflow left in the cache; the lifecycle waits at its first review, the bare workflow at its condition',
  };
}

/** A request through the listening API with a role's token; anything but the expected status fails the run. */
function apiCaller(base: string) {
  return async (role: TestCaller, method: 'GET' | 'POST', path: string, expected: number, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: bearer(role), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== expected) throw new Error(`${method} ${path}: ${response.status} (expected ${expected}): ${text.slice(0, 500)}`);
    return text;
  };
}

/** Waits until the project's first review is open (its clock set), polling the workflow's query. */
async function waitForReview(client: Client, projectId: string): Promise<void> {
  const handle = client.workflow.getHandle<typeof ProjectLifecycle>(projectId);
  while ((await handle.query(projectStateQuery)).pending?.rule === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
}

export function markdown(result: BenchResult): string {
  const cell = (s: Sample | null) => (s ? `${s.perSecond !== undefined ? `${s.perSecond}/s, ` : ''}p50 ${s.p50} ms, p95 ${s.p95} ms, p99 ${s.p99} ms (n=${s.count})` : '—');
  return [
    `# Benchmark ${result.date} (${result.server} server${result.smoke ? ', smoke' : ''})`, '',
    `Machine: ${JSON.stringify(result.machine)}`, '',
    '| figure | this product | bare Temporal, same server | ratio |', '|---|---|---|---|',
    ...result.figures.map((f) => `| ${f.name} | ${cell(f.product)} | ${cell(f.bare)} | ${f.ratio ?? '—'}${f.note ? ` (${f.note})` : ''} |`),
    '', `Worker memory per cached workflow (${result.memory.workflows} workflows): this product ${result.memory.productMiBPerWorkflow} MiB, bare ${result.memory.bareMiBPerWorkflow} MiB, ${result.memory.ratio}`,
    '', `History: ${JSON.stringify(result.history)}`, '', `Load generator: API no-op ${cell(result.loadGenerator.apiNoop)}; client no-op ${cell(result.loadGenerator.clientNoop)} — ${result.loadGenerator.note}`, '',
  ].join('\n');
}


if (require.main === module) {
  const args = process.argv.slice(2);
  const server = args.includes('--server') ? args[args.indexOf('--server') + 1] : 'dev';
  if (server !== 'dev' && server !== 'postgres') throw new Error('--server is dev or postgres');
  runBench({ smoke: args.includes('--smoke'), server })
    .then((result) => console.log(markdown(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
