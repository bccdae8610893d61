import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString, getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { Client as PgClient } from 'pg';
import { CACHE_SHARE_OF_HEAP, PLANNED_MIB_PER_CACHED_WORKFLOW } from '../worker/create-worker';
import { prepareNamespace } from '../worker/namespace-setup';
import { devServerDynamicConfigArgs } from '../worker/server-settings';
import { workflowBundlerOptions, workflowsPath } from '../worker/workflow-bundle';
import { ProjectLifecycle } from '../workflows/project-lifecycle';
import { projectSearchAttributeKeys } from '../workflows/search-attributes';
import { lifecycleStartOptions } from '../api/lifecycle-start';
import { seedTestUnits } from '../test/helpers/api';
import { aProposal } from '../test/helpers/proposals';
import { openTestStorage } from '../test/helpers/storage';
import { createTestWorker, TASK_QUEUE } from '../test/helpers/temporal';
import { load, machine, percentile, quietLogger } from './measure';
import { TimerWorkflow } from './timer-workflow';

/**
 * The idle-fleet figure (issue 16): what a fleet of idle ProjectLifecycle workflows, each waiting at its
 * first review, costs the Temporal server, its PostgreSQL and the worker; and how late timers wake when
 * many fall due at the same instant.
 *
 *   node --expose-gc dist/bench/idle-fleet.js [--count 10000] [--timers <count>] [--server postgres|dev]
 *     [--concurrency 32] [--window <n>] [--fleet-minutes 12] [--max-cached <n>] [--timer-lead <s>] [--label <suffix>]
 *
 * Lifecycle starts are bounded twice: at most --concurrency start calls at once, and at most --window
 * workflows started and not yet at their first review (so the worker's cache does not thrash while the
 * fleet grows); no new start after --fleet-minutes (the fleet is then smaller than --count, and says so).
 * Timers: a warm-up batch of 300 measures the start rate, then --timers workflows are started all due at
 * one instant far enough ahead (--timer-lead overrides) for every start to finish first.
 *
 * The product worker is the real one (createTestWorker → worker/create-worker.ts, the workflow bundle
 * built with worker/workflow-bundle.ts's options). Its cache (maxCachedWorkflows) follows the V8 heap
 * limit (worker/create-worker.ts cachedWorkflowsFor: 8,288 at node's default 4 GiB); to cache a whole
 * fleet of 10,000 raise the limit (`node --expose-gc --max-old-space-size=5120 …`), or set it outright
 * with --max-cached (the worker's WORKER_MAX_CACHED_WORKFLOWS).
 * Workflows run in a worker thread (the SDK's reusable V8 context) whose heap is separate from the main
 * thread's: both are measured after a forced GC (the thread is reached through a BroadcastChannel from a
 * small wrapper around the SDK's thread script). Writes bench/results/<date>-idle-fleet-<server>[-label].json and .md.
 */

const root = __dirname.includes(`${join('dist', 'bench')}`) ? join(__dirname, '..', '..') : join(__dirname, '..');
const MiB = 2 ** 20;
const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
const round1 = (n: number) => Math.round(n * 10) / 10;
const log = (message: string) => process.stderr.write(`[idle-fleet ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------
// The workflow threads' heaps. The SDK starts its workflow thread with `new Worker(<its script>)`; the
// wrapper below runs that script unchanged and answers 'measure' on a BroadcastChannel with its heap
// after a full GC. Each thread is tagged with the bench Worker it belongs to.
const HEAP_CHANNEL = 'zhengwu-idle-fleet-heap';
const threadWrapper = `
const { workerData, threadId } = require('node:worker_threads');
const v8 = require('node:v8');
if (typeof globalThis.gc !== 'function') { v8.setFlagsFromString('--expose-gc'); globalThis.gc = require('node:vm').runInNewContext('gc'); }
const channel = new BroadcastChannel(${JSON.stringify(HEAP_CHANNEL)});
channel.unref();
channel.onmessage = (event) => {
  if (event.data !== 'measure') return;
  globalThis.gc(); globalThis.gc();
  const heap = v8.getHeapStatistics();
  channel.postMessage({ threadId, usedHeapBytes: heap.used_heap_size, totalHeapBytes: heap.total_heap_size, heapLimitBytes: heap.heap_size_limit, nativeContexts: heap.number_of_native_contexts });
};
require(workerData.idleFleetTarget);
`;
interface ThreadHeap { threadId: number; usedHeapBytes: number; totalHeapBytes: number; heapLimitBytes: number; nativeContexts: number }
const threadTags = new Map<number, string>();
const liveThreads = new Set<number>();
let nextThreadTag = 'unknown';
function measureWorkflowThreads(): void {
  const threads = require('node:worker_threads') as typeof import('node:worker_threads');
  const Original = threads.Worker;
  class MeasuredThread extends Original {
    constructor(filename: string | URL, options?: import('node:worker_threads').WorkerOptions) {
      const isWorkflowThread = typeof filename === 'string' && filename.includes('workflow-worker-thread');
      super(isWorkflowThread ? threadWrapper : filename, isWorkflowThread ? { ...options, eval: true, workerData: { idleFleetTarget: filename } } : options);
      if (isWorkflowThread) {
        threadTags.set(this.threadId, nextThreadTag);
        liveThreads.add(this.threadId);
        const id = this.threadId;
        this.on('exit', () => liveThreads.delete(id));
      }
    }
  }
  threads.Worker = MeasuredThread;
}

async function workflowThreadHeaps(): Promise<Array<ThreadHeap & { tag: string }>> {
  const channel = new BroadcastChannel(HEAP_CHANNEL);
  const replies: ThreadHeap[] = [];
  channel.onmessage = (event) => replies.push((event as unknown as { data: ThreadHeap }).data);
  channel.postMessage('measure');
  const deadline = Date.now() + 120_000;
  while (replies.length < liveThreads.size && Date.now() < deadline) await delay(50);
  channel.close();
  return replies.map((reply) => ({ ...reply, tag: threadTags.get(reply.threadId) ?? 'unknown' }));
}

/** A full GC of the main thread; which means was available is noted in the result. */
let gcMeans = '';
function forceGc(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gcMeans ||= 'global.gc (node --expose-gc)';
  else {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
    gcMeans ||= "v8.setFlagsFromString('--expose-gc') (node run without --expose-gc)";
  }
  gc();
  gc();
}

// ---------------------------------------------------------------------------------------------------
// Processes' memory, from /proc.
interface ProcessMemory { pid: number; rssKiB: number; pssKiB: number | null }
function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  let pssKiB: number | null = null;
  try {
    pssKiB = Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? NaN);
  } catch {
    pssKiB = null;
  }
  return { pid, rssKiB, pssKiB };
}
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}
const allPids = () => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
function descendantsOf(pid: number): number[] {
  const pids = allPids();
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const children = pids.filter((p) => frontier.includes(parentOf(p) ?? -1));
    found.push(...children);
    frontier = children;
  }
  return found;
}
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** User + system CPU seconds a process has used (its own threads; for PostgreSQL, summed over its live processes). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
interface CpuMark { thisProcess: number; temporal: number; postgres: number | null; at: number }
function cpuMark(handles: ServerHandles): CpuMark {
  const own = process.cpuUsage();
  return {
    thisProcess: (own.user + own.system) / 1e6,
    temporal: cpuSeconds(handles.temporalPid),
    postgres: handles.postmasterPid ? [handles.postmasterPid, ...descendantsOf(handles.postmasterPid)].reduce((sum, pid) => sum + cpuSeconds(pid), 0) : null,
    at: performance.now(),
  };
}
/** CPU seconds each process used between two marks, and per workflow in ms. */
function cpuBetween(a: CpuMark, b: CpuMark, n: number) {
  const per = (x: number) => Math.round((x / n) * 1000 * 10) / 10;
  const pg = a.postgres !== null && b.postgres !== null ? b.postgres - a.postgres : null;
  return {
    unit: 'CPU seconds (user + system); perWorkflow in CPU ms', wallSeconds: round1((b.at - a.at) / 1000), n,
    workerAndClientProcess: round1(b.thisProcess - a.thisProcess), temporalServer: round1(b.temporal - a.temporal), postgres: pg === null ? null : round1(pg),
    perWorkflow: { workerAndClientProcess: per(b.thisProcess - a.thisProcess), temporalServer: per(b.temporal - a.temporal), postgres: pg === null ? null : per(pg) },
    note: 'PostgreSQL: its processes alive at both marks (the server keeps pooled connections); the machine has 2 cores shared with other work (see loadAverage)',
  };
}

interface ServerHandles { temporalPid: number; postmasterPid: number | null; pprofPort: number | null; persistenceUrl: string | null }

/** The Go runtime's own account of the server's memory (pprof's heap profile header). */
async function goMemStats(pprofPort: number | null): Promise<Record<string, number> | null> {
  if (!pprofPort) return null;
  try {
    const text = await (await fetch(`http://127.0.0.1:${pprofPort}/debug/pprof/heap?debug=1`)).text();
    const stat = (name: string) => Number(new RegExp(`^# ${name} = (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    return { heapAllocMiB: mib(stat('HeapAlloc')), heapInuseMiB: mib(stat('HeapInuse')), heapIdleMiB: mib(stat('HeapIdle')), heapReleasedMiB: mib(stat('HeapReleased')), sysMiB: mib(stat('Sys')), numGC: stat('NumGC') };
  } catch {
    return null;
  }
}

interface ServerMemory {
  temporal: { pid: number; rssMiB: number; pssMiB: number | null; go: Record<string, number> | null };
  postgres: { processes: number; rssMiB: number; pssMiB: number | null } | null;
  databases: Array<{ name: string; MiB: number }>;
  largestTables: Array<{ database: string; table: string; MiB: number }>;
}
async function serverMemory(handles: ServerHandles): Promise<ServerMemory> {
  const temporal = processMemory(handles.temporalPid);
  let postgres: ServerMemory['postgres'] = null;
  const databases: ServerMemory['databases'] = [];
  const largestTables: ServerMemory['largestTables'] = [];
  if (handles.postmasterPid) {
    const pids = [handles.postmasterPid, ...descendantsOf(handles.postmasterPid)];
    const memories = pids.flatMap((pid) => { try { return [processMemory(pid)]; } catch { return []; } });
    postgres = {
      processes: memories.length,
      rssMiB: round1(memories.reduce((sum, m) => sum + m.rssKiB, 0) / 1024),
      pssMiB: memories.every((m) => m.pssKiB !== null) ? round1(memories.reduce((sum, m) => sum + m.pssKiB!, 0) / 1024) : null,
    };
  }
  if (handles.persistenceUrl) {
    for (const database of ['temporal', 'temporal_visibility']) {
      const url = new URL(handles.persistenceUrl);
      url.pathname = `/${database}`;
      const pg = new PgClient({ connectionString: url.toString() });
      await pg.connect();
      try {
        const size = await pg.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes');
        databases.push({ name: database, MiB: mib(Number(size.rows[0]!.bytes)) });
        const tables = await pg.query<{ relname: string; bytes: string }>('select relname, pg_total_relation_size(relid) as bytes from pg_catalog.pg_statio_user_tables order by 2 desc limit 4');
        largestTables.push(...tables.rows.map((row) => ({ database, table: row.relname, MiB: mib(Number(row.bytes)) })));
      } finally {
        await pg.end();
      }
    }
  }
  return {
    temporal: { pid: temporal.pid, rssMiB: round1(temporal.rssKiB / 1024), pssMiB: temporal.pssKiB === null ? null : round1(temporal.pssKiB / 1024), go: await goMemStats(handles.pprofPort) },
    postgres, databases, largestTables,
  };
}

interface WorkerMemory {
  rssMiB: number; mainHeapUsedMiB: number; mainHeapTotalMiB: number; externalMiB: number; arrayBuffersMiB: number;
  workflowThreads: Array<{ tag: string; usedHeapMiB: number; totalHeapMiB: number; heapLimitMiB: number; nativeContexts: number }>;
  cachedWorkflows: Record<string, number>;
}
async function workerMemory(workers: Record<string, Worker>): Promise<WorkerMemory> {
  forceGc();
  const threads = await workflowThreadHeaps();
  const usage = process.memoryUsage();
  return {
    rssMiB: mib(usage.rss), mainHeapUsedMiB: mib(usage.heapUsed), mainHeapTotalMiB: mib(usage.heapTotal), externalMiB: mib(usage.external), arrayBuffersMiB: mib(usage.arrayBuffers),
    workflowThreads: threads.map((t) => ({ tag: t.tag, usedHeapMiB: mib(t.usedHeapBytes), totalHeapMiB: mib(t.totalHeapBytes), heapLimitMiB: mib(t.heapLimitBytes), nativeContexts: t.nativeContexts })),
    cachedWorkflows: Object.fromEntries(Object.entries(workers).map(([name, w]) => [name, w.getStatus().numCachedWorkflows])),
  };
}
const threadUsed = (m: WorkerMemory, tag: string) => m.workflowThreads.filter((t) => t.tag === tag).reduce((sum, t) => sum + t.usedHeapMiB, 0);

// ---------------------------------------------------------------------------------------------------
/** A load's progress in the log: `what: done/count (rate/s)`. */
const progressOf = (what: string, count: number) => (done: number, perSecond: number) => log(`${what}: ${done}/${count} (${round1(perSecond)}/s)`);
interface Distribution { unit: 'ms'; count: number; min: number; p50: number; p95: number; p99: number; max: number; mean: number }
function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { unit: 'ms', count: 0, min: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  return {
    unit: 'ms', count: sorted.length, min: round1(sorted[0]!), p50: round1(percentile(sorted, 50)), p95: round1(percentile(sorted, 95)), p99: round1(percentile(sorted, 99)),
    max: round1(sorted[sorted.length - 1]!), mean: round1(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  };
}



export interface IdleFleetOptions {
  count: number; timers: number; server: 'dev' | 'postgres'; concurrency: number; timerLeadSeconds?: number; label?: string;
  /** maxCachedWorkflows for the product worker; unset, the SDK's default (see above). */
  maxCached?: number;
  /** At most this many workflows started and not yet at their first review (default: half the cache, at most 256). */
  window?: number;
  /** No new lifecycle starts after this many minutes; the fleet is then what was started. */
  fleetMinutes: number;
}

export async function runIdleFleet(options: IdleFleetOptions) {
  const { count, timers, server, concurrency } = options;
  const wallStarted = performance.now();
  measureWorkflowThreads();
  process.env.TEMPORAL_CLI_PATH ??= execFileSync('bash', [join(root, 'scripts', 'obtain-temporal-cli.sh')], { encoding: 'utf8' }).trim();
  let stop = '';
  let env: TestWorkflowEnvironment | undefined;
  let address: string;
  let handles: ServerHandles;
  log(`starting the ${server} server`);
  if (server === 'postgres') {
    const lines = execFileSync('bash', [join(root, 'scripts', 'start-temporal-postgres.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n');
    address = lines[0]!;
    stop = lines[2]!;
    // The stop command: kill <server pid>; …; pg_ctl -D <data dir> … stop …; rm -rf <server root>
    const temporalPid = Number(/^kill (\d+);/.exec(stop)?.[1]);
    const dataDir = /-D (\S+) /.exec(stop)?.[1];
    const serverRoot = /rm -rf (\S+)\s*$/.exec(stop)?.[1];
    const postmasterFile = dataDir ? join(dataDir, 'postmaster.pid') : '';
    const pprofMatch = serverRoot && existsSync(join(serverRoot, 'config', 'postgres.yaml')) ? /pprof:\s*\n\s*port: (\d+)/.exec(readFileSync(join(serverRoot, 'config', 'postgres.yaml'), 'utf8')) : null;
    handles = {
      temporalPid,
      postmasterPid: postmasterFile && existsSync(postmasterFile) ? Number(readFileSync(postmasterFile, 'utf8').split('\n')[0]) : null,
      pprofPort: pprofMatch ? Number(pprofMatch[1]) : null,
      persistenceUrl: lines[1]!,
    };
    if (!Number.isInteger(temporalPid) || !existsSync(`/proc/${temporalPid}`)) throw new Error(`No server process found in the stop command: ${stop}`);
  } else {
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_CLI_PATH }, searchAttributes: projectSearchAttributeKeys, extraArgs: devServerDynamicConfigArgs } });
    address = env.address;
    const cli = descendantsOf(process.pid).find((pid) => cmdline(pid).includes(process.env.TEMPORAL_CLI_PATH!));
    if (!cli) throw new Error('The dev server process was not found among this process\'s children');
    handles = { temporalPid: cli, postmasterPid: null, pprofPort: null, persistenceUrl: null };
  }

  let bundleDir = '';
  try {
    const nativeConnection = await NativeConnection.connect({ address });
    await prepareNamespace(nativeConnection, 'default', 30);
    const connection = await Connection.connect({ address });
    const client = new Client({ connection, namespace: 'default' });
    const sqliteDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('zhengwu-sqlite-'));
    const sqliteBefore = new Set(sqliteDirs());
    const storage = await openTestStorage('sqlite');
    const sqliteDir = sqliteDirs().find((d) => !sqliteBefore.has(d));
    await seedTestUnits(storage);

    const { code } = await bundleWorkflowCode({ workflowsPath, ...workflowBundlerOptions, logger: quietLogger });
    bundleDir = mkdtempSync(join(tmpdir(), 'zhengwu-idle-fleet-'));
    const bundlePath = join(bundleDir, 'bundle.js');
    writeFileSync(bundlePath, code);
    process.env.ZHENGWU_WORKFLOW_BUNDLE = bundlePath;
    nextThreadTag = 'product';
    const product = await createTestWorker(nativeConnection, storage, client, { maxCachedWorkflows: options.maxCached });
    let workerFailure: unknown;
    const productRun = product.run().catch((error: unknown) => {
      workerFailure = error;
      log(`the product worker failed: ${String(error)}`);
    });
    await delay(2000);
    const settings = {
      maxCachedWorkflows: product.options.maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions: product.options.maxConcurrentWorkflowTaskExecutions ?? null,
      maxConcurrentActivityTaskExecutions: product.options.maxConcurrentActivityTaskExecutions ?? null,
      reuseV8Context: product.options.reuseV8Context,
      mainHeapLimitMiB: mib(getHeapStatistics().heap_size_limit),
      cacheRule: options.maxCached !== undefined ? `set by --max-cached (WORKER_MAX_CACHED_WORKFLOWS)` : `the product's own (worker/create-worker.ts): V8 heap limit MiB × ${CACHE_SHARE_OF_HEAP} / ${PLANNED_MIB_PER_CACHED_WORKFLOW} MiB per workflow`,
    };
    log(`worker cache: maxCachedWorkflows ${settings.maxCachedWorkflows} (heap limit ${settings.mainHeapLimitMiB} MiB)`);

    const serverBefore = await serverMemory(handles);
    const workerBefore = await workerMemory({ product });

    // 1. The fleet: `count` lifecycles, each until its first review is open.
    const run = Date.now().toString(36);
    const proposals = Array.from({ length: count }, () => aProposal({ investmentFen: 1_500_000 * 100, planKind: 'supplementary', supplementaryBasis: '省平台对接要求' }));
    const startCalledAt = new Map<string, number>();
    const countOpen = async () => Number((await storage.db.selectFrom('reviews').select(sql<number>`count(distinct project_id)`.as('n')).where('status', '=', 'open').executeTakeFirstOrThrow()).n);
    const window = options.window ?? Math.max(2, Math.min(256, Math.floor(settings.maxCachedWorkflows / 2)));
    log(`starting ${count} ProjectLifecycle workflows at concurrency ${concurrency}, at most ${window} not yet at their first review, for at most ${options.fleetMinutes} min (run ${run})`);
    const cpuBeforeFleet = cpuMark(handles);
    const fleetStarted = performance.now();
    const deadline = fleetStarted + options.fleetMinutes * 60_000;
    let started = 0;
    let open = 0;
    let cutOff = false;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        open = await countOpen();
        await delay(250);
      }
    })();
    const startLatencies: number[] = [];
    const starts = await load(count, concurrency, async (i) => {
      const proposal = proposals[i]!;
      while (started - open >= window && !workerFailure) await delay(50);
      if (workerFailure) throw new Error(`The product worker failed with ${started} started, ${open} at their first review: ${String(workerFailure)}`);
      if (performance.now() > deadline) {
        cutOff = true;
        return;
      }
      started += 1;
      const t = performance.now();
      startCalledAt.set(proposal.projectId, Date.now());
      await client.workflow.start(ProjectLifecycle, lifecycleStartOptions(proposal, TASK_QUEUE));
      startLatencies.push(performance.now() - t);
    }, progressOf('lifecycle starts', count));
    polling = false;
    await poller;
    const fleetCount = started;
    if (cutOff) log(`time cap: ${fleetCount} of ${count} started in ${options.fleetMinutes} min`);
    log(`${fleetCount} started in ${Math.round(starts.wallMs / 1000)} s; waiting for their first reviews`);
    open = await countOpen();
    let lastProgress = Date.now();
    let lastLog = Date.now();
    while (open < fleetCount) {
      if (workerFailure) throw new Error(`The product worker failed with ${open}/${fleetCount} at their first review: ${String(workerFailure)}`);
      await delay(1000);
      const now = await countOpen();
      if (now > open) lastProgress = Date.now();
      open = now;
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`first reviews open: ${open}/${fleetCount}`);
      }
      if (Date.now() - lastProgress > 180_000) throw new Error(`Stalled: ${open}/${fleetCount} first reviews open, none new for 3 minutes`);
    }
    const fleetWallMs = performance.now() - fleetStarted;
    const fleetCpu = cpuBetween(cpuBeforeFleet, cpuMark(handles), fleetCount);
    // Quiet: nothing in flight on the worker for three seconds running.
    for (let quiet = 0; quiet < 3;) {
      const status = product.getStatus();
      quiet = status.numInFlightWorkflowActivations === 0 && status.numInFlightActivities === 0 ? quiet + 1 : 0;
      await delay(1000);
    }
    const reviews = await storage.db.selectFrom('reviews').select(['project_id', 'opened_at']).where('status', '=', 'open').execute();
    const toFirstReview = reviews.flatMap((r) => (startCalledAt.has(r.project_id) ? [Date.parse(r.opened_at) - startCalledAt.get(r.project_id)!] : []));
    log(`all ${fleetCount} at their first review after ${Math.round(fleetWallMs / 1000)} s; measuring`);
    const serverIdle = await serverMemory(handles);
    const workerIdle = await workerMemory({ product });
    const sqliteFile = sqliteDir ? join(tmpdir(), sqliteDir, 'test.sqlite') : undefined;

    const cached = workerIdle.cachedWorkflows.product!;
    const perWorkflowKiB = (after: number | null | undefined, before: number | null | undefined, n: number) => (after == null || before == null || n === 0 ? null : round1(((after - before) * 1024) / n));
    const fleet = {
      count: fleetCount, requested: count, cutOffByTime: cutOff, fleetMinutes: options.fleetMinutes,
      starts: { concurrency, window, wallMs: Math.round(starts.wallMs), perSecond: round1(fleetCount / (starts.wallMs / 1000)), latency: distribution(startLatencies), note: `at most ${window} workflows started and not yet at their first review, so the rate is that of reaching the first review` },
      allAtFirstReview: { wallMs: Math.round(fleetWallMs), perSecond: round1(fleetCount / (fleetWallMs / 1000)), note: 'from the first start call until every workflow has its first review open in the system of record' },
      cpu: fleetCpu,
      startToFirstReview: { ...distribution(toFirstReview), note: 'start call (client clock) to the review\'s opened_at (workflow time), per workflow' },
      memory: {
        before: { server: serverBefore, worker: workerBefore },
        idle: { server: serverIdle, worker: workerIdle },
        perOpenWorkflow: {
          unit: 'KiB per workflow',
          temporalServerRss: perWorkflowKiB(serverIdle.temporal.rssMiB, serverBefore.temporal.rssMiB, fleetCount),
          temporalServerGoHeapInuse: perWorkflowKiB(serverIdle.temporal.go?.heapInuseMiB, serverBefore.temporal.go?.heapInuseMiB, fleetCount),
          postgresRss: perWorkflowKiB(serverIdle.postgres?.rssMiB, serverBefore.postgres?.rssMiB, fleetCount),
          postgresPss: perWorkflowKiB(serverIdle.postgres?.pssMiB, serverBefore.postgres?.pssMiB, fleetCount),
          persistenceDatabaseOnDisk: perWorkflowKiB(serverIdle.databases.find((d) => d.name === 'temporal')?.MiB, serverBefore.databases.find((d) => d.name === 'temporal')?.MiB, fleetCount),
          visibilityDatabaseOnDisk: perWorkflowKiB(serverIdle.databases.find((d) => d.name === 'temporal_visibility')?.MiB, serverBefore.databases.find((d) => d.name === 'temporal_visibility')?.MiB, fleetCount),
          workerRssPerCached: perWorkflowKiB(workerIdle.rssMiB, workerBefore.rssMiB, cached),
          workerMainHeapPerCached: perWorkflowKiB(workerIdle.mainHeapUsedMiB, workerBefore.mainHeapUsedMiB, cached),
          workerWorkflowThreadHeapPerCached: perWorkflowKiB(threadUsed(workerIdle, 'product'), threadUsed(workerBefore, 'product'), cached),
          note: 'server and PostgreSQL figures are divided by the open workflows; worker figures by the workflows in its cache (getStatus().numCachedWorkflows). Deltas from before the first start; RSS after a forced GC of both the main thread and the workflow thread.',
        },
        sqliteSystemOfRecordMiB: sqliteFile && existsSync(sqliteFile) ? mib(statSync(sqliteFile).size + (existsSync(`${sqliteFile}-wal`) ? statSync(`${sqliteFile}-wal`).size : 0)) : null,
      },
      workerCache: { ...settings, cachedAtIdle: cached, allCached: cached >= fleetCount },
    };
    log(`fleet: ${JSON.stringify(fleet.memory.perOpenWorkflow)}`);

    // 2. Timers falling due together, on their own task queue and Worker (the fleet stays open and idle).
    const timerFigures = timers > 0 ? await timerPhase() : null;
    async function timerPhase() {
    nextThreadTag = 'timers';
    const timerWorker = await Worker.create({ connection: nativeConnection, taskQueue: 'bench-timers', workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('./timer-workflow'), logger: quietLogger }) });
    const timerRun = timerWorker.run();
    await delay(1000);
    const timerThreadIdle = threadUsed(await workerMemory({ timers: timerWorker }), 'timers');
    const startTimers = async (n: number, dueAt: number, prefix: string) => {
      const ids: string[] = [];
      const loadResult = await load(n, concurrency, async (i) => {
        const id = `timer-${run}-${prefix}-${i}`;
        await client.workflow.start(TimerWorkflow, { taskQueue: 'bench-timers', workflowId: id, args: [dueAt] });
        ids.push(id);
      }, progressOf(`timer starts (${prefix})`, n));
      return { ids, ...loadResult };
    };
    const collect = async (ids: string[]) => {
      const outcomes: Array<{ lateMs: number; askedMs: number }> = [];
      await load(ids.length, 64, async (i) => outcomes.push(await client.workflow.getHandle<typeof TimerWorkflow>(ids[i]!).result()), progressOf('timer results', ids.length));
      return outcomes;
    };
    // A warm-up batch measures the start rate, which sets how far ahead the big batch's due time lies.
    const warmCount = Math.min(300, timers);
    // Far enough ahead for the warm-up's first workflow tasks too (on a loaded machine they queue behind the starts).
    const warmDue = Date.now() + 30_000;
    const warm = await startTimers(warmCount, warmDue, 'warm');
    const warmOutcomes = await collect(warm.ids);
    const startRate = warmCount / (warm.wallMs / 1000);
    const leadMs = options.timerLeadSeconds !== undefined ? options.timerLeadSeconds * 1000 : Math.round(30_000 + (3 * timers * 1000) / startRate);
    const dueAt = Date.now() + leadMs;
    log(`starting ${timers} timers due together in ${Math.round(leadMs / 1000)} s (warm-up start rate ${round1(startRate)}/s)`);
    const batch = await startTimers(timers, dueAt, 'due');
    const startsDoneBeforeDueMs = dueAt - Date.now();
    // The timer worker's memory while the batch sleeps (if there is time before it falls due): the
    // per-workflow cost of a workflow whose bundle is little more than the SDK.
    let timerWorkerSleeping: (WorkerMemory & { timerThreadHeapPerCachedKiB: number | null }) | null = null;
    if (startsDoneBeforeDueMs > 15_000) {
      const memory = await workerMemory({ product, timers: timerWorker });
      const cachedTimers = memory.cachedWorkflows.timers!;
      timerWorkerSleeping = { ...memory, timerThreadHeapPerCachedKiB: cachedTimers > 0 ? round1(((threadUsed(memory, 'timers') - timerThreadIdle) * 1024) / cachedTimers) : null };
    }
    const cpuBeforeDue = cpuMark(handles);
    log(`timer starts done ${Math.round(startsDoneBeforeDueMs / 1000)} s before the due time; collecting`);
    const outcomes = await collect(batch.ids);
    const timersCpu = cpuBetween(cpuBeforeDue, cpuMark(handles), timers);
    const valid = outcomes.filter((o) => o.askedMs > 0);
    // Where the lateness arises, from a sample of histories: the server's timer (fired vs its fire time),
    // the queue to the worker (task started vs timer fired), and the first task's own time (the timer was
    // set from the task's time, so it fires that much after the due time).
    const sampleIds = batch.ids.filter((_, i) => i % Math.max(1, Math.floor(timers / 300)) === 0);
    const breakdown = { timerFiredVsFireTime: [] as number[], timerFiredVsDue: [] as number[], wakeTaskStartedVsFired: [] as number[], firstTaskStartedToTimerStarted: [] as number[] };
    await load(sampleIds.length, 16, async (i) => {
      const history = await client.workflow.getHandle(sampleIds[i]!).fetchHistory();
      const events = history.events ?? [];
      const timerStarted = events.find((e) => e.timerStartedEventAttributes);
      const timerFired = events.find((e) => e.timerFiredEventAttributes);
      const firstTaskStarted = events.find((e) => e.workflowTaskStartedEventAttributes);
      if (!timerStarted || !timerFired || !firstTaskStarted) return;
      const wakeTaskStarted = events.find((e) => e.workflowTaskStartedEventAttributes && Number(e.eventId) > Number(timerFired.eventId));
      const firedAt = tsToMs(timerFired.eventTime);
      const fireTime = tsToMs(timerStarted.eventTime) + tsToMs(timerStarted.timerStartedEventAttributes!.startToFireTimeout);
      breakdown.timerFiredVsFireTime.push(firedAt - fireTime);
      breakdown.timerFiredVsDue.push(firedAt - dueAt);
      breakdown.firstTaskStartedToTimerStarted.push(tsToMs(timerStarted.eventTime) - tsToMs(firstTaskStarted.eventTime));
      if (wakeTaskStarted) breakdown.wakeTaskStartedVsFired.push(tsToMs(wakeTaskStarted.eventTime) - firedAt);
    }, progressOf('timer histories', sampleIds.length));
    const figures = {
      count: timers,
      dueTogether: { lateness: { ...distribution(valid.map((o) => o.lateMs)), note: 'workflow time of the waking task (Date.now() in the workflow) minus the due time' }, startedAfterDue: outcomes.length - valid.length, leadMs, startsFinishedBeforeDueMs: Math.round(startsDoneBeforeDueMs), starts: { perSecond: round1(timers / (batch.wallMs / 1000)), wallMs: Math.round(batch.wallMs) } },
      warmUp: { count: warmCount, note: `${warmCount} timers due together, started at ${round1(startRate)}/s`, lateness: distribution(warmOutcomes.filter((o) => o.askedMs > 0).map((o) => o.lateMs)) },
      cpuFromLastStartToLastResult: { ...timersCpu, note: `${timersCpu.note}; from the end of the starts to the last result, so it includes the wait until the due time` },
      timerWorkerWhileSleeping: timerWorkerSleeping,
      breakdownFromHistories: Object.fromEntries(Object.entries(breakdown).map(([k, v]) => [k, distribution(v)])),
      timerWorker: { maxCachedWorkflows: timerWorker.options.maxCachedWorkflows, maxConcurrentWorkflowTaskExecutions: timerWorker.options.maxConcurrentWorkflowTaskExecutions ?? null, note: 'SDK defaults; the fleet\'s worker runs idle alongside in the same process' },
    };
    log(`timers: ${JSON.stringify(figures.dueTogether.lateness)}`);
    timerWorker.shutdown();
    await timerRun;
    return figures;
    }
    const serverAfterTimers = await serverMemory(handles);

    // The worker with its cache emptied: the fleet's worker shut down (every cached workflow evicted).
    product.shutdown();
    await productRun;
    const workerAfterShutdown = await workerMemory({});

    await connection.close();
    await nativeConnection.close();
    await storage.close();

    const result = {
      date: new Date().toISOString(), server, label: options.label ?? null,
      machine: { ...machine(), nodeFlags: process.execArgv },
      serverSetup: server === 'postgres' ? { temporal: 'temporal-server v1.29.1 (scripts/start-temporal-postgres.sh)', historyShards: Number(process.env.TEMPORAL_HISTORY_SHARDS ?? 4), persistence: 'PostgreSQL (Debian), SQL visibility' } : { temporal: 'Temporal CLI dev server (in memory)' },
      forcedGc: gcMeans,
      fleet,
      timers: timerFigures,
      serverAfterTimers,
      workerAfterShutdown,
      wallMs: Math.round(performance.now() - wallStarted),
      loadGenerator: 'in-process: the Temporal client that starts the workflows shares the process (and its RSS and main heap) with both Workers',
    };
    const dir = join(root, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const name = `${result.date.slice(0, 10)}-idle-fleet-${server}${options.label ? `-${options.label}` : ''}`;
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(dir, `${name}.md`), markdown(result));
    return result;
  } finally {
    await env?.teardown();
    if (stop) execSync(stop, { stdio: 'ignore' });
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  }
}

type IdleFleetResult = Awaited<ReturnType<typeof runIdleFleet>>;

function markdown(r: IdleFleetResult): string {
  const d = (x: Distribution) => `p50 ${x.p50} ms, p95 ${x.p95} ms, p99 ${x.p99} ms, max ${x.max} ms (n=${x.count})`;
  const { fleet, timers } = r;
  const before = fleet.memory.before;
  const idle = fleet.memory.idle;
  const per = fleet.memory.perOpenWorkflow;
  const kib = (v: number | null) => (v === null ? '—' : `${v} KiB`);
  const threadOf = (m: WorkerMemory) => threadUsed(m, 'product');
  return [
    `# Idle fleet ${r.date} (${r.server} server${r.label ? `, ${r.label}` : ''})`, '',
    `Machine: ${JSON.stringify(r.machine)}`, '',
    `Server: ${JSON.stringify(r.serverSetup)}. Forced GC: ${r.forcedGc}. Wall time of the whole run: ${round1(r.wallMs / 1000)} s.`, '',
    `## ${fleet.count} idle ProjectLifecycle workflows at their first review`, '',
    `- Starts (client.workflow.start, concurrency ${fleet.starts.concurrency}): ${fleet.starts.perSecond}/s, ${round1(fleet.starts.wallMs / 1000)} s for ${fleet.count}; latency ${d(fleet.starts.latency)}`,
    `- All at their first review: ${round1(fleet.allAtFirstReview.wallMs / 1000)} s after the first start (${fleet.allAtFirstReview.perSecond} workflows/s); start call to review opened ${d(fleet.startToFirstReview)}`,
    `- Fleet: ${fleet.count} of ${fleet.requested} requested${fleet.cutOffByTime ? ` (cut off after ${fleet.fleetMinutes} min)` : ''}; at most ${fleet.starts.window} not yet at their first review at once`,
    `- CPU from the first start until all at their first review (${fleet.cpu.wallSeconds} s wall): this process (worker + client) ${fleet.cpu.workerAndClientProcess} s, Temporal server ${fleet.cpu.temporalServer} s, PostgreSQL ${fleet.cpu.postgres ?? '—'} s; per workflow ${fleet.cpu.perWorkflow.workerAndClientProcess} / ${fleet.cpu.perWorkflow.temporalServer} / ${fleet.cpu.perWorkflow.postgres ?? '—'} CPU ms`,
    `- Worker cache: maxCachedWorkflows ${fleet.workerCache.maxCachedWorkflows} (main heap limit ${fleet.workerCache.mainHeapLimitMiB} MiB; ${fleet.workerCache.cacheRule}); cached at idle: ${fleet.workerCache.cachedAtIdle} of ${fleet.count}`, '',
    '| process / store | before the fleet | fleet idle | per workflow |', '|---|---|---|---|',
    `| Temporal server RSS | ${before.server.temporal.rssMiB} MiB | ${idle.server.temporal.rssMiB} MiB | ${kib(per.temporalServerRss)} (n=${fleet.count}) |`,
    `| Temporal server Go heap in use | ${before.server.temporal.go?.heapInuseMiB ?? '—'} MiB | ${idle.server.temporal.go?.heapInuseMiB ?? '—'} MiB | ${kib(per.temporalServerGoHeapInuse)} (n=${fleet.count}) |`,
    `| PostgreSQL RSS, ${idle.server.postgres?.processes ?? 0} processes (shared buffers counted in each) | ${before.server.postgres?.rssMiB ?? '—'} MiB | ${idle.server.postgres?.rssMiB ?? '—'} MiB | ${kib(per.postgresRss)} (n=${fleet.count}) |`,
    `| PostgreSQL PSS (shared pages split) | ${before.server.postgres?.pssMiB ?? '—'} MiB | ${idle.server.postgres?.pssMiB ?? '—'} MiB | ${kib(per.postgresPss)} (n=${fleet.count}) |`,
    ...idle.server.databases.map((db) => `| database ${db.name} on disk | ${before.server.databases.find((b) => b.name === db.name)?.MiB ?? '—'} MiB | ${db.MiB} MiB | ${kib(db.name === 'temporal' ? per.persistenceDatabaseOnDisk : per.visibilityDatabaseOnDisk)} (n=${fleet.count}) |`),
    `| worker process RSS (after GC) | ${before.worker.rssMiB} MiB | ${idle.worker.rssMiB} MiB | ${kib(per.workerRssPerCached)} per cached (n=${fleet.workerCache.cachedAtIdle}) |`,
    `| worker main-thread heap used (after GC) | ${before.worker.mainHeapUsedMiB} MiB | ${idle.worker.mainHeapUsedMiB} MiB | ${kib(per.workerMainHeapPerCached)} per cached (n=${fleet.workerCache.cachedAtIdle}) |`,
    `| worker workflow-thread heap used (after GC) | ${threadOf(before.worker)} MiB | ${threadOf(idle.worker)} MiB | ${kib(per.workerWorkflowThreadHeapPerCached)} per cached (n=${fleet.workerCache.cachedAtIdle}) |`,
    `| system of record (SQLite file) | | ${fleet.memory.sqliteSystemOfRecordMiB ?? '—'} MiB | |`, '',
    `Largest tables at idle: ${idle.server.largestTables.map((t) => `${t.database}.${t.table} ${t.MiB} MiB`).join(', ') || '—'}.`, '',
    `Worker after both Workers shut down (cache emptied): RSS ${r.workerAfterShutdown.rssMiB} MiB, main heap used ${r.workerAfterShutdown.mainHeapUsedMiB} MiB.`, '',
    ...(timers ? [
      `## ${timers.count} timers due at the same instant`, '',
      `- Lateness (waking task's workflow time − due time): ${d(timers.dueTogether.lateness)}; mean ${timers.dueTogether.lateness.mean} ms`,
      `- Started after the due time (excluded): ${timers.dueTogether.startedAfterDue}; starts ${timers.dueTogether.starts.perSecond}/s, finished ${round1(timers.dueTogether.startsFinishedBeforeDueMs / 1000)} s before the due time`,
      `- Warm-up, ${timers.warmUp.count} due together: ${d(timers.warmUp.lateness)}`,
      `- From a sample of histories (timerFiredVsFireTime: the server's TimerFired event against the timer's own fire time, i.e. the server's timer queue; timerFiredVsDue: the same against the due time; wakeTaskStartedVsFired: the waking workflow task's start against TimerFired, i.e. the queue to and through the worker; firstTaskStartedToTimerStarted: the first task's own duration, by which the timer, set from the task's time, fires after the due time): ${Object.entries(timers.breakdownFromHistories).map(([k, v]) => `${k} ${d(v)}`).join('; ')}`,
      `- Timer worker: ${JSON.stringify(timers.timerWorker)}`,
      `- Timer worker while the batch sleeps: ${timers.timerWorkerWhileSleeping ? `${timers.timerWorkerWhileSleeping.cachedWorkflows.timers} cached, workflow-thread heap ${threadUsed(timers.timerWorkerWhileSleeping, 'timers')} MiB, ${timers.timerWorkerWhileSleeping.timerThreadHeapPerCachedKiB} KiB per cached TimerWorkflow` : 'not measured (too little time before the due time)'}`,
      `- CPU from the last start to the last result (${timers.cpuFromLastStartToLastResult.wallSeconds} s wall, including the wait for the due time): this process ${timers.cpuFromLastStartToLastResult.workerAndClientProcess} s, Temporal server ${timers.cpuFromLastStartToLastResult.temporalServer} s, PostgreSQL ${timers.cpuFromLastStartToLastResult.postgres ?? '—'} s`, '',
    ] : ['## Timers', '', 'Not run (--timers 0).', '']),
    `Server after the timers: Temporal RSS ${r.serverAfterTimers.temporal.rssMiB} MiB, PostgreSQL RSS ${r.serverAfterTimers.postgres?.rssMiB ?? '—'} MiB / PSS ${r.serverAfterTimers.postgres?.pssMiB ?? '—'} MiB.`, '',
    `Load generator: ${r.loadGenerator}`, '',
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const server = arg('--server') ?? 'postgres';
  if (server !== 'dev' && server !== 'postgres') throw new Error('--server is dev or postgres');
  const count = Number(arg('--count') ?? 10_000);
  runIdleFleet({
    count, server,
    timers: Number(arg('--timers') ?? count),
    concurrency: Number(arg('--concurrency') ?? 32),
    timerLeadSeconds: arg('--timer-lead') === undefined ? undefined : Number(arg('--timer-lead')),
    label: arg('--label'),
    maxCached: arg('--max-cached') === undefined ? undefined : Number(arg('--max-cached')),
    window: arg('--window') === undefined ? undefined : Number(arg('--window')),
    fleetMinutes: Number(arg('--fleet-minutes') ?? 12),
  })
    .then((result) => {
      console.log(markdown(result));
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
