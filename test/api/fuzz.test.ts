import fc from 'fast-check';
import type { Express } from 'express';
import { sql } from 'kysely';
import { ALL_ROLES } from '../../api/route-spec';
import { oversightRoutes } from '../../api/routes/oversight';
import { paymentRoutes } from '../../api/routes/payments';
import { projectRoutes } from '../../api/routes/project-actions';
import { createStore } from '../../activities/storage/store';
import { as, testApp } from '../helpers/api';
import { aProposal } from '../helpers/proposals';
import { settledHistoryLength } from '../helpers/lifecycle';
import { TASK_QUEUE } from '../helpers/temporal';
import { useWorkflowEnvironment } from '../helpers/workflow-context';
import { tmpdir } from 'node:os';

/**
 * Property-based fuzzing of every endpoint's body and query string on the real app and dev server:
 * whatever arrives, the answer is never a 5xx, every 4xx is problem+json, and a 4xx changes nothing
 * (no workflow, no row, no audit entry).
 */
const context = useWorkflowEnvironment('devServer');
let app: Express;
let projectId: string;
beforeAll(async () => {
  // Fuzzing sends hundreds of requests a minute with one token; the per-token limit is not under test here.
  app = testApp(context.env.client, context.storage, { rateLimitPerMinute: 100_000 });
  const proposal = aProposal();
  projectId = proposal.projectId;
  await as(app, 'unit').post('/projects').send(proposal).expect(201);
  // Let the new project settle (its first review opened and recorded) before comparing snapshots.
  await settledHistoryLength(context.env.client, projectId);
});

const tables = ['projects', 'stage_events', 'contracts', 'retention_tranches', 'documents', 'notification_routes', 'calendar_years', 'audit_log'] as const;
async function snapshot(): Promise<string> {
  const counts = [];
  for (const table of tables) counts.push((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(context.storage.db)).rows[0]!.n);
  const read = await as(app, 'auditor').get(`/projects/${projectId}`);
  if (read.status !== 200) return JSON.stringify({ counts, read: read.status, detail: read.body.detail });
  return JSON.stringify({ counts, timeline: read.body.timeline?.length, stage: read.body.stage });
}

// Hostile values: wrong types, absurd and negative money, impossible dates, long and odd Unicode text.
const hostile = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(-1, 0, 1.5, Number.MAX_SAFE_INTEGER + 2, 1e308, '2027-02-30', '9999-99-99', '', ' ', '\u0000', '𠀀'.repeat(300), '<script>', null),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
);
const hostileBody = fc.oneof(
  fc.dictionary(fc.constantFrom('stage', 'decision', 'reasons', 'action', 'contract', 'projectId', 'investmentFen', 'planYear', 'trancheNo', 'voucherRef', 'role', 'channel', 'target', 'holidays', 'kind', 'year', 'unit', 'extra'), hostile, { maxKeys: 6 }),
  hostile,
);

describe('fuzzing every endpoint', () => {
  it('never answers 5xx, answers 4xx as problem+json, and changes nothing on a 4xx', async () => {
    const store = createStore(context.storage);
    const specs = [...projectRoutes(context.env.client, TASK_QUEUE, store, tmpdir()), ...oversightRoutes(context.env.client, context.storage, store), ...paymentRoutes(store)];
    const fill = (path: string) => path.replace(':projectId', projectId).replace(':contractId', `${projectId}-HT1`).replace(':jurisdiction', 'yiyang').replace(':planYear', '2028').replace(':year', '2031').replace(':routeId', 'fuzz');
    for (const spec of specs) {
      await fc.assert(
        fc.asyncProperty(hostileBody, fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }), fc.constantFrom(...ALL_ROLES), async (body, query, role) => {
          const before = await snapshot();
          const path = fill(spec.path);
          const call = as(app, role)[spec.method](path).query(query);
          // Any JSON text at all, not only objects (a bare number, string or null is hostile too).
          const response = spec.method === 'get' ? await call : await call.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null');
          if (response.status >= 500) throw new Error(`${spec.method} ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
          if (response.status >= 400) {
            expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
            expect(typeof response.body.detail).toBe('string');
            expect(await snapshot()).toBe(before);
          }
        }),
        { numRuns: 12 },
      );
    }
  });

  it('refuses an oversized body with 413 and Unicode names are kept intact', async () => {
    await as(app, 'unit').post('/projects').send({ ...aProposal(), summary: 'x'.repeat(300_000) }).expect(413);
    const unicode = aProposal({ name: '𠀀𪚥 智慧城管 — “测试” ☯' });
    const created = await as(app, 'unit').post('/projects').send(unicode).expect(201);
    expect(created.body.name).toBe('𠀀𪚥 智慧城管 — “测试” ☯');
  });
});
