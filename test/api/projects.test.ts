import { yiyangProfile } from '../../domain/policy/yiyang';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import type { Express } from 'express';
import { aProposal } from '../helpers/proposals';
import { useWorkflowEnvironment } from '../helpers/workflow-context';
import { as, testApp } from '../helpers/api';
import { UNIT } from '../helpers/lifecycle';
import { beat } from '../../activities/storage/heartbeats';
import { registeredUpdate } from '../../workflows/messages';

/** The real app on the real Temporal CLI dev server, with the production worker. */
const context = useWorkflowEnvironment('devServer');
let app: Express;
beforeAll(() => {
  app = testApp(context.env.client, context.storage);
});

async function countWorkflows(query: string): Promise<number> {
  let count = 0;
  for await (const _ of context.env.client.workflow.list({ query })) count += 1;
  return count;
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const value = await probe();
    if (accept(value) || attempt >= 50) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('POST /projects → ProjectLifecycle → GET /projects/:id', () => {
  it('registers a proposal, starts its workflow under the project id, and reads the stage by query', async () => {
    const proposal = aProposal();
    const created = await as(app, 'unit').post('/projects').send(proposal).expect(201);
    expect(created.headers.location).toBe(`/projects/${proposal.projectId}`);
    expect(created.body).toMatchObject({ projectId: proposal.projectId, stage: 'preTechnicalReview' });

    const read = await as(app, 'unit').get(`/projects/${proposal.projectId}`).expect(200);
    expect(read.body).toMatchObject({
      projectId: proposal.projectId,
      name: proposal.name,
      unit: proposal.unit,
      jurisdiction: 'yiyang',
      investmentFen: proposal.investmentFen,
      stage: 'preTechnicalReview',
    });

    const description = await context.env.client.workflow.getHandle(proposal.projectId).describe();
    expect(description.type).toBe('ProjectLifecycle');
    expect(description.status.name).toBe('RUNNING');

    // The workflow wrote the project and its first stage event to the system of record.
    const row = await context.storage.db.selectFrom('projects').selectAll().where('project_id', '=', proposal.projectId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ stage: 'preTechnicalReview', investment_fen: proposal.investmentFen, profile_version: yiyangProfile.version });
  });

  it('answers in one call from the workflow (update-with-start), and with 202 instead of holding the caller when the worker does not answer', async () => {
    const proposal = aProposal();
    const created = await as(app, 'unit').post('/projects').send(proposal).expect(201);
    expect(created.body).toMatchObject({ projectId: proposal.projectId, status: 'active', registeredAt: expect.any(String) });
    // The row is there when 201 answers, with the instant the workflow started.
    const row = await context.storage.db.selectFrom('projects').selectAll().where('project_id', '=', proposal.projectId).executeTakeFirstOrThrow();
    expect(row.registered_at).toBe(created.body.registeredAt);
    const history = await context.env.client.workflow.getHandle(proposal.projectId).fetchHistory();
    const accepted = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.name)).toEqual(['registered']);
    // It is answered once: asked again, the validator refuses before anything enters the history.
    const again = await context.env.client.workflow.getHandle(proposal.projectId).executeUpdate(registeredUpdate).catch((error: Error) => error);
    expect(again).toMatchObject({ name: 'WorkflowUpdateFailedError', cause: { message: expect.stringMatching(/registered already/) } });

    // A worker that has beaten lately but does not answer (busy, or stuck on the first task): the caller
    // is not held beyond registrationAnswerMs once the start is durable — 202 with the Location.
    const silentQueue = `nobody-polls-${Date.now()}`;
    await beat(context.storage.db, 'silent-worker', silentQueue);
    const impatient = testApp(context.env.client, context.storage, { taskQueue: silentQueue, registrationAnswerMs: 300 });
    const later = aProposal();
    const accepting = await as(impatient, 'unit').post('/projects').send(later).expect(202);
    expect(accepting.headers.location).toBe(`/projects/${later.projectId}`);
    expect(accepting.body).toEqual({ projectId: later.projectId, detail: expect.stringContaining(`GET /projects/${later.projectId}`) });
    const description = await context.env.client.workflow.getHandle(later.projectId).describe();
    expect(description.status.name).toBe('RUNNING');
    // A taken id is still 409, without a Location of its own making.
    const taken = await as(impatient, 'unit').post('/projects').send(later).expect(409);
    expect(taken.headers.location).toBeUndefined();
    await context.env.client.workflow.getHandle(later.projectId).terminate('no worker polls its task queue');
  });

  it('makes projects findable by stage, jurisdiction, unit, plan year and investment (search attributes)', async () => {
    const unit = `审计局-${Date.now()}`;
    const proposal = aProposal({ unit, planYear: 2028, investmentFen: 12_000_000 * 100 });
    await as(app, 'admin').put(`/units/${encodeURIComponent(unit)}`).send({ jurisdiction: 'yiyang' }).expect(200);
    // Unit ops register for their own unit only; the review office may register for any unit.
    await as(app, 'unit').post('/projects').send(proposal).expect(403);
    await as(app, 'reviewOffice').post('/projects').send(proposal).expect(201);
    const query =
      `ProjectUnit = "${unit}" AND ProjectStage = "preTechnicalReview" AND ProjectJurisdiction = "yiyang" ` +
      `AND ProjectPlanYear = 2028 AND ProjectInvestmentFen >= 1000000000`;
    expect(await eventually(() => countWorkflows(query), (n) => n === 1)).toBe(1);
  });

  it('refuses a duplicate registration with 409 and never starts a second workflow', async () => {
    const proposal = aProposal();
    await as(app, 'unit').post('/projects').send(proposal).expect(201);
    const again = await as(app, 'unit').post('/projects').send({ ...proposal, name: '另一个名字' }).expect(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 409, detail: `Project ${proposal.projectId} is already registered`, location: `/projects/${proposal.projectId}` });
    expect(await eventually(() => countWorkflows(`WorkflowId = "${proposal.projectId}"`), (n) => n >= 1)).toBe(1);
    const read = await as(app, 'unit').get(`/projects/${proposal.projectId}`).expect(200);
    expect(read.body.name).toBe(proposal.name);
  });

  it('refuses bad input with a problem naming each field and its rule, and starts nothing', async () => {
    const proposal = aProposal();
    const response = await as(app, 'unit')
      .post('/projects')
      .send({ ...proposal, investmentFen: 12.5, planYear: 'next', extra: true })
      .expect(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    const pointers = response.body.errors.map((error: { pointer: string }) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/investmentFen', '/body/planYear', '/body']));
    expect(response.body.detail).toMatch(/investmentFen: must be a whole number of fen/);
    expect(response.body.detail).toMatch(/extra/);
    await as(app, 'unit').get(`/projects/${proposal.projectId}`).expect(404);
  });

  it('refuses a late annual-plan proposal with the rule and the way to the supplementary plan (001 §5, §7)', async () => {
    const late = aProposal({ planYear: 2027 }); // due 2026-09-30; the dev server runs at today's date
    const response = await as(app, 'unit').post('/projects').send(late).expect(422);
    expect(response.body).toMatchObject({ rule: '001 §5', errors: [{ pointer: '/body/planKind' }] });
    expect(response.body.detail).toMatch(/due by 2026-09-30 23:59:59 \(Asia\/Shanghai\).*supplementary/);
    await as(app, 'unit').get(`/projects/${late.projectId}`).expect(404);
    const urgent = await as(app, 'unit').post('/projects').send({ ...late, planKind: 'supplementary' }).expect(422);
    expect(urgent.body.errors).toEqual([expect.objectContaining({ pointer: '/body/supplementaryBasis', detail: expect.stringMatching(/^001 §7/) })]);
    const accepted = await as(app, 'unit').post('/projects').send({ ...late, planKind: 'supplementary', supplementaryBasis: '省级一体化平台对接要求' }).expect(201);
    expect(accepted.body.stage).toBe('jointReview');
  });

  it('answers a body that is not JSON with 415 naming the type it takes, and starts nothing', async () => {
    const proposal = aProposal();
    const text = await as(app, 'unit').post('/projects').set('content-type', 'text/plain').send(JSON.stringify(proposal)).expect(415);
    expect(text.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(text.body).toMatchObject({ status: 415, detail: expect.stringMatching(/Content-Type: application\/json, not text\/plain/) });
    await as(app, 'unit').post('/projects').set('content-type', 'application/octet-stream').send(Buffer.from(JSON.stringify(proposal))).expect(415);
    await as(app, 'unit').get(`/projects/${proposal.projectId}`).expect(404);
  });

  it('answers a hostile body cheaply: a binary body only where a file is expected, and at most 20 problems listed', async () => {
    const proposal = aProposal();
    await as(app, 'unit').post('/projects').send(proposal).expect(201);
    const rssBefore = process.memoryUsage().rss;
    // 10 MB of random bytes to a JSON route, twice at once: it used to be parsed and answered with one
    // "Unrecognized key" per byte (a 271 MB answer, gigabytes of memory).
    const binary = randomBytes(10 * 1024 * 1024);
    const answers = await Promise.all(
      [1, 2].map(() => as(app, 'unit').post(`/projects/${proposal.projectId}/submissions`).set('Content-Type', 'application/octet-stream').send(binary)),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(415);
      expect(answer.text.length).toBeLessThan(2_000);
    }
    // A JSON body just under the size limit with 20,000 unknown keys: one bounded answer.
    const keys = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, 1]));
    const many = await as(app, 'unit').post('/projects').send({ ...aProposal(), ...keys }).expect(422);
    expect(many.body.errors.length).toBeLessThanOrEqual(20);
    expect(many.text.length).toBeLessThan(10_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * 1024 * 1024);
  });

  it('names each problem once: a negative investment is one message, not two', async () => {
    const response = await as(app, 'unit').post('/projects').send({ ...aProposal(), investmentFen: -100 }).expect(422);
    expect(response.body.errors).toEqual([{ pointer: '/body/investmentFen', detail: 'must be greater than zero', code: 'too_small' }]);
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const malformed = await as(app, 'unit').post('/projects').set('content-type', 'application/json').send('{"projectId":').expect(400);
    expect(malformed.body.title).toBe('Malformed JSON');
    const huge = await as(app, 'unit').post('/projects').send({ ...aProposal(), summary: 'x'.repeat(300_000) }).expect(413);
    expect(huge.body.status).toBe(413);
  });

  it('answers an unknown project with 404 and a malformed id with 422', async () => {
    const missing = await as(app, 'unit').get('/projects/NO-SUCH-PROJECT').expect(404);
    expect(missing.body).toMatchObject({ status: 404, detail: 'No project NO-SUCH-PROJECT' });
    const malformed = await as(app, 'unit').get('/projects/%E2%9C%93').expect(422);
    expect(malformed.body.errors[0].pointer).toBe('/path');
  });
});

describe('health, readiness and documentation', () => {
  it('serves Prometheus metrics of its HTTP traffic', async () => {
    await as(app, 'auditor').get('/projects').expect(200);
    const metrics = await request(app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/zhengwu_http_requests_total\{method="GET",route="\/projects",status="200"\} \d+/);
    expect(metrics.text).toContain('zhengwu_http_request_duration_seconds_bucket');
  });

  it('sets security headers and a request id, and keeps CORS closed', async () => {
    const response = await request(app).get('/health').set('Origin', 'https://evil.example').set('X-Request-Id', 'trace-123').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is live and ready while a worker polls its task queue', async () => {
    await request(app).get('/health').expect(200, { status: 'ok' });
    const ready = await eventually(() => request(app).get('/ready'), (r) => r.status === 200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'up', temporal: 'up', worker: 'up' } });
  });

  it('is not ready when no worker polls the task queue', async () => {
    const orphan = testApp(context.env.client, context.storage, { taskQueue: 'nobody-polls-this-queue' });
    const response = await request(orphan).get('/ready').expect(503);
    expect(response.body).toMatchObject({ checks: { database: 'up', temporal: 'up', worker: 'down' } });
  });

  it('serves the rules catalogue to anyone, by jurisdiction, stage or article, and a landing page that leads to it', async () => {
    type Rule = { id: string; jurisdiction: string; article: string; statutory: boolean; provenBy: string[] };
    const all: Rule[] = (await request(app).get('/rules').expect(200)).body.rules;
    expect(all.length).toBeGreaterThan(50);
    const approval: Rule[] = (await request(app).get('/rules?jurisdiction=yiyang&stage=approval').expect(200)).body.rules;
    expect(approval).toContainEqual(expect.objectContaining({ id: 'yiyang:approval:clock', article: '001 §14', provenBy: expect.arrayContaining([expect.stringMatching(/pauses the approval clock .*\(001 §14\)/)]) }));
    const article26: Rule[] = (await request(app).get(`/rules?article=${encodeURIComponent('001 §26')}`).expect(200)).body.rules;
    expect(new Set(article26.map((rule) => rule.article))).toEqual(new Set(['001 §26', '001 §26(1)', '001 §26(2)', '001 §26(3)', '001 §26(4)']));
    const nanfeng: Rule[] = (await request(app).get('/rules?jurisdiction=nanfeng').expect(200)).body.rules;
    expect(nanfeng.filter((rule) => rule.statutory && !rule.article.startsWith('000 §'))).toEqual([]);
    const bad = await request(app).get('/rules?colour=red').expect(422);
    expect(bad.body.errors[0].pointer).toBe('/query');
    const home = await request(app).get('/').expect(200);
    expect(home.headers['content-type']).toMatch(/text\/html/);
    expect(home.text).toEqual(expect.stringContaining('href="/docs"'));
    expect(home.text).toEqual(expect.stringContaining('href="/rules"'));
  });

  it('documents every route it serves in /openapi.json, and serves the docs page', async () => {
    const document = (await request(app).get('/openapi.json').expect(200)).body;
    const documented = Object.entries(document.paths as Record<string, object>)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(servedRoutes(app));
    expect(document.paths['/projects'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['projectId', 'name', 'unit', 'planYear', 'investmentFen', 'fundingSource']),
    );
    expect(document.info.version).toBe(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
    // The document is valid OpenAPI 3.0 (swagger-parser validates against the official schema).
    await SwaggerParser.validate(structuredClone(document));
    const docs = await request(app).get('/docs').expect(200);
    expect(docs.text).toContain('/openapi.json');
    await request(app).get('/docs/assets/swagger-ui-bundle.js').expect(200);
  });

  it('serves the built web console without a token, locked to its own scripts and this API; GET /me says who a token is', async () => {
    const page = await request(app).get('/console/').expect(200);
    expect(page.text).toContain('<div id="app">');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';.*connect-src 'self'/);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.text)![1]!;
    await request(app).get(script).expect(200).expect('content-type', /javascript/);
    // Nothing else is public: an unknown console path is not a file, and the API behind it still wants a token.
    await request(app).get('/console/no-such-file.js').expect(401);
    await request(app).get('/me').expect(401);
    expect((await as(app, 'unit').get('/me').expect(200)).body).toEqual({ id: 'unit:tester', role: 'unit', unit: UNIT, via: 'apiKey' });
    expect((await as(app, 'finance').get('/me').expect(200)).body).toEqual({ id: 'finance:tester', role: 'finance', unit: null, via: 'apiKey' });
  });
});

/** Every method + path the Express app routes, in OpenAPI notation. */
function servedRoutes(express: Express): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]): string[] =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`)
        : layer.handle?.stack
          ? walk(layer.handle.stack)
          : [],
    );
  return walk((express as unknown as { router: { stack: Layer[] } }).router.stack).sort();
}
