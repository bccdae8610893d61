import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { canonicalJson } from '../activities/storage/audit';
import type { StorageHandle } from '../activities/storage/database';
import { createStore, type RetentionTerms } from '../activities/storage/store';
import { loadCalendarData } from '../activities/calendar/calendar-data';
import { addDays, WorkingDayCalendar } from '../activities/calendar/working-days';
import type { RetentionState } from '../domain/lifecycle';
import { profileFor } from '../domain/policy';
import { retentionSchedule } from '../domain/policy/retention';
import type { RetentionTranche, TrancheStatus } from '../domain/records';
import { as, bearer, OTHER_UNIT, testApp } from '../test/helpers/api';
import { UNIT } from '../test/helpers/lifecycle';
import { openTestStorage } from '../test/helpers/storage';
import { machine, percentile } from './measure';

/**
 * Finance's reads at scale, from the system of record: a store seeded through its own write methods
 * with `projects` accepted Yiyang projects (one contract each, its three retention tranches falling
 * due over the three years after acceptances spread over three years, some money blocks, some
 * payments), then five reads through the real express app at concurrency 16. Every answer is first
 * checked against what was seeded. No Temporal: the app's client points at no server, and no read
 * may ask one. `node dist/bench/finance-reads.js [--backend postgres] [--projects N]` writes
 * bench/results/<date>-finance-reads-<backend>.json and .md.
 */
export interface FinanceReadsOptions {
  projects: number;
  backend: 'sqlite' | 'postgres';
  /** Timed requests per read (after a warm-up). */
  requests?: number;
  /** Where the .json and .md go (bench/results unless given). */
  resultsDir?: string;
}
/**
 * A read at concurrency 16, and its p50 one at a time: the app's own time for it, plus the client's and the loopback's.
 * The app answers in one event loop (SQLite synchronously in it), so at concurrency 16 a request waits
 * for the others ahead of it: p50 comes near 16 times the time one at a time, less what the database
 * does in its own process (PostgreSQL).
 */
export interface ReadFigure { name: string; example: string; count: number; p50: number; p95: number; p99: number; perSecond: number; sequentialP50: number }
/** A read's answer against what was seeded: `actual` must equal `expected`. */
export interface Check { name: string; expected: unknown; actual: unknown }
const agrees = (check: Check) => canonicalJson(check.actual) === canonicalJson(check.expected);
export interface FinanceReadsResult {
  date: string;
  backend: string;
  machine: object;
  seeded: { projects: number; contracts: number; tranches: Record<TrancheStatus, number>; withheldFen: number; openBlocks: number; liftedBlocks: number; payments: number; seedMs: number };
  concurrency: number;
  figures: ReadFigure[];
  checks: Check[];
}

const CONCURRENCY = 16;
const WARM_UP = 32;
const SEQUENTIAL = 200;
/** The day the seeded ledger stands at: tranches due before it are due, blocked or released. */
const AS_OF = '2026-07-01';
/** Acceptances spread over the three years before AS_OF, so tranches fall due from mid-2024 to mid-2029. */
const FIRST_ACCEPTANCE = '2023-07-01';
const ACCEPTANCE_DAYS = 1096;

/** The repository root, from bench/ in the sources or dist/bench/ compiled. */
const root = __dirname.includes(`${join('dist', 'bench')}`) ? join(__dirname, '..', '..') : join(__dirname, '..');

/** A seeded generator, so two runs seed the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The load generator, in a thread of its own: supertest against the app's address, `concurrency`
 * requests at a time. In the app's own thread its cost (building each request, reading each answer)
 * would queue in the same event loop as the app's and be counted as the app's.
 */
const GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const request = require(workerData.supertest);
const { url, authorization, paths, concurrency } = workerData;
const latencies = [];
let next = 0;
const started = performance.now();
Promise.all(Array.from({ length: concurrency }, async () => {
  for (let i = next++; i < paths.length; i = next++) {
    const t = performance.now();
    const response = await request(url).get(paths[i]).set('Authorization', authorization);
    if (response.status !== 200) throw new Error(paths[i] + ': ' + response.status + ' ' + response.text.slice(0, 200));
    latencies.push(performance.now() - t);
  }
})).then(() => parentPort.postMessage({ latencies, wallMs: performance.now() - started }));
`;

/** GETs every path as finance, at most `concurrency` at once; each latency in ms and the wall time. */
function load(url: string, paths: string[], concurrency: number): Promise<{ latencies: number[]; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(GENERATOR, { eval: true, workerData: { supertest: require.resolve('supertest'), url, authorization: bearer('finance'), paths, concurrency } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`The load generator exited with ${code}`)));
  });
}

interface SeededProject {
  projectId: string;
  retention: RetentionState;
  block: { since: string; lifted: boolean } | null;
  paid: boolean;
}

/** Projects written at once while seeding: PostgreSQL overlaps their round trips (the audit chain's lock orders their entries). */
const SEED_CONCURRENCY = 8;
const instant = (date: string) => `${date}T02:00:00.000Z`;

/** Seeds the store as the product writes it: the same methods, rows and audit entries, without Temporal. */
async function seed(storage: StorageHandle, projects: number): Promise<SeededProject[]> {
  const store = createStore(storage);
  const profile = profileFor('yiyang');
  const policy = profile.retention!;
  const calendar = new WorkingDayCalendar(await loadCalendarData(storage.db));
  const next = random(16);
  const seeded = Array.from({ length: projects }, (_, i): SeededProject => {
    const projectId = `FR-${String(i).padStart(6, '0')}`;
    const contractId = `${projectId}-HT1`;
    const acceptedOn = addDays(FIRST_ACCEPTANCE, Math.floor(next() * ACCEPTANCE_DAYS));
    const sumFen = (50 + Math.floor(next() * 4950)) * 1_000_000; // 50万 to 5000万
    const schedule = retentionSchedule(sumFen, policy);
    const tranches = schedule.tranches.map((t) => {
      const dueDate = calendar.addMonths(acceptedOn, 12 * t.yearsAfterAcceptance).date;
      const roll = next();
      // Past its due date a tranche is paid, payable or held by a failed assessment; before it, a failed assessment already shows why it will be held.
      const status: TrancheStatus = dueDate >= AS_OF ? 'scheduled' : roll < 0.6 ? 'released' : roll < 0.85 ? 'due' : 'blocked';
      const blockedReason = status === 'blocked' || (status === 'scheduled' && roll < 0.05) ? `第${t.trancheNo}年度考核未通过：系统可用率低于 99%` : null;
      return { trancheNo: t.trancheNo, amountFen: t.amountFen, dueDate, condition: t.condition, status, blockedReason, voucherRef: status === 'released' ? `PZ-${contractId}-${t.trancheNo}` : null };
    });
    const block = next() < 0.06 ? { since: instant(addDays(acceptedOn, Math.floor(next() * 300))), lifted: next() < 0.3 } : null;
    return { projectId, retention: { projectId, contractId, sumFen, withheldFen: schedule.withheldFen, acceptedOn, rule: policy.rule, tranches }, block, paid: next() < 0.3 };
  });

  const write = async ({ projectId, retention, block, paid }: SeededProject, i: number) => {
    const { contractId, sumFen, acceptedOn, tranches, ...rest } = retention;
    await store.registerProject({
      projectId, name: `政务信息化项目 ${i}`, unit: i % 2 === 0 ? UNIT : OTHER_UNIT, jurisdiction: 'yiyang', profileVersion: profile.version, planYear: Number(acceptedOn.slice(0, 4)) - 1,
      investmentFen: sumFen, fundingSource: '市本级财政', flags: {}, stage: 'operations', registeredAt: instant(addDays(acceptedOn, -400)),
    });
    await store.recordContract({ contractId, projectId, contractor: '湖南某信息技术有限公司', sumFen, omYears: 3, signedDate: addDays(acceptedOn, -300), filedAt: instant(addDays(acceptedOn, -299)) });
    // The retention workflow's ledger as it stands: its first write carries the terms (activities/transitions.ts); a paid tranche was due first.
    const terms: RetentionTerms = { ...rest, contractId, sumFen, acceptedOn };
    const ledger: RetentionTranche[] = tranches.map((t) => ({ contractId, projectId, trancheNo: t.trancheNo, amountFen: t.amountFen, dueDate: t.dueDate, condition: t.condition, status: t.status === 'released' ? 'due' : t.status, blockedReason: t.blockedReason }));
    await store.upsertRetentionTranches(ledger, instant(acceptedOn), terms);
    for (const t of tranches.filter((tranche) => tranche.status === 'released')) {
      await store.releaseTranche({ contractId, trancheNo: t.trancheNo, voucherRef: t.voucherRef!, releasedBy: 'finance:bench', releasedAt: instant(addDays(t.dueDate, 10)) });
    }
    if (block) {
      await store.blockPayments({ projectId, scope: 'allPayments', reason: '验收整改未完成，剩余款项暂停支付', rule: '001 §28', since: block.since });
      if (block.lifted) await store.liftPaymentBlock({ projectId, scope: 'allPayments', liftedAt: instant(addDays(block.since.slice(0, 10), 60)) });
    }
    if (paid) {
      await store.recordPayment({ projectId, contractId, purpose: 'progress', amountFen: Math.floor(sumFen * 0.3), voucherRef: `PZ-JD-${projectId}`, paidOn: addDays(acceptedOn, -120), recordedBy: 'finance:bench', recordedAt: instant(addDays(acceptedOn, -119)) });
    }
  };
  let nextProject = 0;
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, async () => {
    for (let i = nextProject++; i < projects; i = nextProject++) await write(seeded[i]!, i);
  }));
  return seeded;
}

const quarters = (from: string, to: string): { from: string; to: string }[] => {
  const out: { from: string; to: string }[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1) {
    for (const [start, end] of [['01-01', '03-31'], ['04-01', '06-30'], ['07-01', '09-30'], ['10-01', '12-31']] as const) out.push({ from: `${year}-${start}`, to: `${year}-${end}` });
  }
  return out;
};
const months = (from: string, to: string): { from: string; to: string }[] => {
  const out: { from: string; to: string }[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1) {
    for (let month = 1; month <= 12; month += 1) {
      const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
      out.push({ from: `${year}-${String(month).padStart(2, '0')}-01`, to: `${year}-${String(month).padStart(2, '0')}-${last}` });
    }
  }
  return out;
};

export async function runFinanceReads({ projects, backend, requests = 600, resultsDir = join(root, 'bench', 'results') }: FinanceReadsOptions): Promise<FinanceReadsResult> {
  const storage = await openTestStorage(backend);
  // The reads answer from the store alone: a client to no server makes any Temporal call fail.
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  try {
    const seedStarted = performance.now();
    const seeded = await seed(storage, projects);
    const seedMs = Math.round(performance.now() - seedStarted);
    // As autovacuum leaves a table soon after a bulk load: statistics for the planner, and the visibility map an index-only scan needs.
    if (backend === 'postgres') await sql`VACUUM ANALYZE`.execute(storage.db);
    // The bench measures the reads, not the per-token rate limit (600 a minute by default).
    const app = testApp(new Client({ connection }), storage, { rateLimitPerMinute: 1_000_000 });
    const finance = as(app, 'finance');
    const get = async (path: string) => (await finance.get(path).expect(200)).body as unknown;
    const getText = async (path: string) => (await finance.get(path).expect(200)).text;

    const tranches = seeded.flatMap((p) => p.retention.tranches.map((t) => ({ ...t, contractId: p.retention.contractId })));
    const dueDates = tranches.map((t) => t.dueDate).sort();
    const quarterRanges = quarters(dueDates[0]!, dueDates[dueDates.length - 1]!);
    const monthRanges = months(dueDates[0]!, dueDates[dueDates.length - 1]!);
    const projectIds = seeded.map((p) => p.projectId).sort();
    const openBlocks = seeded.filter((p) => p.block && !p.block.lifted).sort((a, b) => (a.block!.since < b.block!.since ? -1 : a.block!.since > b.block!.since ? 1 : a.projectId < b.projectId ? -1 : 1));
    const inRange = (range: { from: string; to: string }) => tranches.filter((t) => t.dueDate >= range.from && t.dueDate <= range.to);

    // Every read's answer against the seeded data, before anything is timed.
    const checks: Check[] = [];
    const busiest = quarterRanges.map((range) => ({ range, count: inRange(range).length })).sort((a, b) => b.count - a.count)[0]!.range;
    const payable = (await get(`/retention/payable?from=${busiest.from}&to=${busiest.to}`)) as { totals: Record<string, { count: number; amountFen: number }>; items: { contractId: string; trancheNo: number }[] };
    const statuses: TrancheStatus[] = ['scheduled', 'due', 'blocked', 'released', 'forfeited'];
    checks.push({
      name: `payable totals ${busiest.from}..${busiest.to}`,
      expected: Object.fromEntries(statuses.map((status) => [status, inRange(busiest).filter((t) => t.status === status).reduce((sum, t) => ({ count: sum.count + 1, amountFen: sum.amountFen + t.amountFen }), { count: 0, amountFen: 0 })])),
      actual: payable.totals,
    });
    checks.push({
      name: `payable first page ${busiest.from}..${busiest.to}`,
      expected: inRange(busiest).sort((a, b) => (a.dueDate !== b.dueDate ? (a.dueDate < b.dueDate ? -1 : 1) : `${a.contractId}#${a.trancheNo}` < `${b.contractId}#${b.trancheNo}` ? -1 : 1)).slice(0, 100).map((t) => `${t.contractId}#${t.trancheNo}`),
      actual: payable.items.map((t) => `${t.contractId}#${t.trancheNo}`),
    });
    const month = monthRanges.map((range) => ({ range, count: inRange(range).length })).sort((a, b) => b.count - a.count)[0]!.range;
    const csvRows = (await getText(`/retention/payable.csv?from=${month.from}&to=${month.to}`)).trim().split('\n').slice(1);
    checks.push({
      name: `CSV ${month.from}..${month.to}: rows and yuan`,
      expected: { rows: inRange(month).length, fen: inRange(month).reduce((sum, t) => sum + t.amountFen, 0) },
      actual: { rows: csvRows.length, fen: csvRows.reduce((sum, row) => sum + Math.round(Number(row.split(',')[3]) * 100), 0) },
    });
    const sampled = Array.from({ length: Math.min(25, seeded.length) }, (_, i) => seeded[Math.floor((i * seeded.length) / Math.min(25, seeded.length))]!);
    checks.push({
      name: `retention of ${sampled.length} contracts`,
      expected: sampled.map((p) => p.retention),
      actual: await Promise.all(sampled.map((p) => get(`/contracts/${p.retention.contractId}/retention`))),
    });
    const offset = Math.max(0, Math.floor(projects / 2) - 25);
    checks.push({
      name: `projects ${offset}..${offset + 49}`,
      expected: projectIds.slice(offset, offset + 50),
      actual: ((await get(`/projects?limit=50&offset=${offset}`)) as { items: { projectId: string }[] }).items.map((p) => p.projectId),
    });
    checks.push({
      name: 'blocks in force, first page',
      expected: openBlocks.slice(0, 100).map((p) => p.projectId),
      actual: ((await get('/payments/blocks')) as { items: { projectId: string }[] }).items.map((b) => b.projectId),
    });

    const pick = random(4242);
    const any = <T>(items: T[]) => items[Math.floor(pick() * items.length)]!;
    const reads: { name: string; example: string; path: () => string }[] = [
      { name: 'GET /retention/payable (a quarter, first page of 100, totals)', example: `/retention/payable?from=${busiest.from}&to=${busiest.to}`, path: () => { const q = any(quarterRanges); return `/retention/payable?from=${q.from}&to=${q.to}`; } },
      { name: 'GET /retention/payable.csv (a month)', example: `/retention/payable.csv?from=${month.from}&to=${month.to}`, path: () => { const m = any(monthRanges); return `/retention/payable.csv?from=${m.from}&to=${m.to}`; } },
      { name: 'GET /contracts/{contractId}/retention (random contracts)', example: `/contracts/${seeded[0]!.retention.contractId}/retention`, path: () => `/contracts/${any(seeded).retention.contractId}/retention` },
      { name: 'GET /projects?limit=50&offset=<random>', example: `/projects?limit=50&offset=${offset}`, path: () => `/projects?limit=50&offset=${Math.floor(pick() * Math.max(1, projects - 50))}` },
      { name: 'GET /payments/blocks (in force, first page of 100)', example: '/payments/blocks', path: () => '/payments/blocks' },
    ];
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const paths = (read: { path: () => string }, count: number) => Array.from({ length: count }, () => read.path());
    const figures: ReadFigure[] = [];
    for (const read of reads) {
      await load(url, paths(read, WARM_UP), CONCURRENCY);
      const { latencies, wallMs } = await load(url, paths(read, requests), CONCURRENCY);
      const sorted = latencies.sort((a, b) => a - b);
      const sequential = (await load(url, paths(read, Math.min(requests, SEQUENTIAL)), 1)).latencies.sort((a, b) => a - b);
      figures.push({
        name: read.name, example: read.example, count: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)),
        perSecond: round(sorted.length / (wallMs / 1000)), sequentialP50: round(percentile(sequential, 50)),
      });
    }
    server.closeAllConnections();
    server.close();

    const version = backend === 'postgres' ? (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(storage.db)).rows[0]!.v : (await sql<{ v: string }>`SELECT sqlite_version() AS v`.execute(storage.db)).rows[0]!.v;
    const count = (status: TrancheStatus) => tranches.filter((t) => t.status === status).length;
    const result: FinanceReadsResult = {
      date: new Date().toISOString(),
      backend,
      machine: { ...machine(), loadAverage: loadavg().map(round), database: `${backend} ${version}` },
      seeded: {
        projects, contracts: seeded.length, tranches: Object.fromEntries(statuses.map((s) => [s, count(s)])) as Record<TrancheStatus, number>,
        withheldFen: seeded.reduce((sum, p) => sum + p.retention.withheldFen, 0), openBlocks: openBlocks.length, liftedBlocks: seeded.filter((p) => p.block?.lifted).length,
        payments: seeded.filter((p) => p.paid).length, seedMs,
      },
      concurrency: CONCURRENCY,
      figures,
      checks,
    };
    mkdirSync(resultsDir, { recursive: true });
    const name = `${result.date.slice(0, 10)}-finance-reads-${backend}`;
    // The file says whether each answer agreed; the answers themselves are for the caller (the smoke test).
    writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify({ ...result, checks: result.checks.map((c) => ({ name: c.name, agrees: agrees(c) })) }, null, 2)}\n`);
    writeFileSync(join(resultsDir, `${name}.md`), markdown(result));
    return result;
  } finally {
    await connection.close();
    await storage.close();
  }
}

export function markdown(result: FinanceReadsResult): string {
  const failed = result.checks.filter((c) => !agrees(c));
  return [
    `# Finance reads ${result.date} (${result.backend}, ${result.seeded.projects} projects)`, '',
    `Machine: ${JSON.stringify(result.machine)}`, '',
    `Seeded through the store's write methods in ${(result.seeded.seedMs / 1000).toFixed(1)} s: ${JSON.stringify(result.seeded)}`, '',
    `Through the express app (testApp) listening on loopback, from supertest in a thread of its own, at concurrency ${result.concurrency} after a warm-up of ${WARM_UP}; no Temporal server or worker.`, '',
    '| read | n | p50 ms | p95 ms | p99 ms | per second | p50 one at a time, ms |', '|---|---|---|---|---|---|---|',
    ...result.figures.map((f) => `| ${f.name} | ${f.count} | ${f.p50} | ${f.p95} | ${f.p99} | ${f.perSecond} | ${f.sequentialP50} |`),
    '', `Answers checked against the seeded data: ${result.checks.length - failed.length} of ${result.checks.length} equal${failed.length ? ` (differ: ${failed.map((c) => c.name).join('; ')})` : ''}.`, '',
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const backend = option('--backend') ?? 'sqlite';
  const projects = Number(option('--projects') ?? 10_000);
  if (backend !== 'sqlite' && backend !== 'postgres') throw new Error('--backend is sqlite or postgres');
  if (!Number.isInteger(projects) || projects < 50) throw new Error('--projects is a whole number of at least 50');
  runFinanceReads({ projects, backend })
    .then((result) => console.log(markdown(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
