import express, { type Express, type RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options as RateLimitOptions } from 'express-rate-limit';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { StorageHandle } from '../activities/storage/database';
import { createStore } from '../activities/storage/store';
import { authenticate, type AuthOptions } from './auth';
import { openApiDocument } from './openapi';
import { idempotency } from './idempotency';
import { httpMetrics, requestLogging } from './observability';
import { notFoundRoute, parseOr422, problemHandler, ProblemError } from './problems';
import { projectRoot, readRulesCatalogue } from './project-files';
import { filterRules, rulesQuerySchema } from './rules';
import { mountRoutes } from './route-spec';
import { cloudRoutes } from './routes/cloud';
import { codecRoutes } from './routes/codec';
import { healthRouter } from './routes/health';
import { oversightRoutes } from './routes/oversight';
import { paymentRoutes } from './routes/payments';
import { monitoringRoutes } from './routes/monitoring';
import { projectRoutes } from './routes/project-actions';
import { sessionRoutes } from './routes/session';

export interface AppDependencies {
  client: Client;
  taskQueue: string;
  storage: StorageHandle;
  auth: AuthOptions;
  /** Where document bytes are kept (DATA_DIR). */
  dataDir: string;
  rateLimitPerMinute?: number;
  /** How long POST /projects waits for the worker's first answer before it answers 202 (default REGISTRATION_ANSWER_MS). */
  registrationAnswerMs?: number;
  /** Failed sign-ins a client address may make in a minute before it is refused for the rest of it. */
  authFailuresPerMinute?: number;
  /** Express "trust proxy" (API_TRUST_PROXY), so the client address is the caller's, not the proxy's. */
  trustProxy?: string;
  corsOrigins?: string[];
  logLevel?: string;
  /** The worker's Prometheus endpoint, served together with the API's own metrics. */
  workerMetricsUrl?: string;
  /** The payload codec, when payloads are encrypted: served as a codec endpoint for the Temporal UI. */
  payloadCodec?: PayloadCodec;
}

/** The Express app without listen(), so tests drive exactly what production serves. */
export function createApp(dependencies: AppDependencies): Express {
  const { client, taskQueue, storage, auth, dataDir, rateLimitPerMinute = 600, authFailuresPerMinute = 60, corsOrigins = [], logLevel = 'info', workerMetricsUrl, payloadCodec } = dependencies;
  const store = createStore(storage);
  const specs = [
    ...projectRoutes(client, taskQueue, store, dataDir, dependencies.registrationAnswerMs),
    ...cloudRoutes(client, taskQueue, store),
    ...oversightRoutes(client, storage, store),
    ...paymentRoutes(store),
    ...monitoringRoutes(store),
    ...sessionRoutes(),
    ...(payloadCodec ? codecRoutes(payloadCodec) : []),
  ];
  const document = openApiDocument(specs);
  const rulesCatalogue = readRulesCatalogue();
  const metrics = httpMetrics();

  const app = express();
  app.disable('x-powered-by');
  if (dependencies.trustProxy) {
    const hops = Number(dependencies.trustProxy);
    app.set('trust proxy', dependencies.trustProxy === 'true' ? true : Number.isInteger(hops) ? hops : dependencies.trustProxy.split(',').map((s) => s.trim()));
  }
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(requestLogging(logLevel));
  app.use(metrics.middleware);
  app.use(cors(corsOrigins));
  app.use(express.json({ limit: '256kb' }));

  // Public: liveness, readiness, metrics and the API's own documentation.
  app.use(healthRouter(client, taskQueue, storage));
  app.get('/metrics', async (_req, res) => {
    let worker = '';
    if (workerMetricsUrl) {
      // The worker is another process; its exposition is appended when it answers within a second.
      worker = await fetch(workerMetricsUrl, { signal: AbortSignal.timeout(1_000) })
        .then((response) => (response.ok ? response.text() : ''))
        .catch(() => '');
    }
    res.type(metrics.registry.contentType).send(`${await metrics.registry.metrics()}\n${worker}`);
  });
  // The rules the engine enforces, per jurisdiction, with article, stage and proving test: public, as the regulations are.
  app.get('/rules', (req, res) => {
    const query = parseOr422(rulesQuerySchema, req.query, 'query');
    res.json(filterRules(rulesCatalogue, query));
  });
  app.get('/', (_req, res) => {
    res.type('html').send(landingPage(document.info.version));
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage);
  });
  app.use('/docs/assets', express.static(dirname(require.resolve('swagger-ui-dist/package.json'))));
  // The web console: static files only, public like the docs. Every datum it shows comes from the API
  // routes below with the signed-in token, so it can show nothing the token may not read.
  app.use(CONSOLE_PATH, consoleFiles());

  // Everything else: a bearer token, then a per-token rate limit, then the routes' role checks.
  // Guessing tokens costs: a client address that fails to sign in too often in a minute is refused
  // (429) for the rest of it, before any token is checked. Successful requests are not counted.
  app.use(
    perMinute(authFailuresPerMinute, (req) => `address:${ipKeyGenerator(req.ip ?? 'unknown')}`, 'Too many failed sign-ins', 'failed sign-ins a minute from this address; wait a minute', {
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    }),
  );
  app.use(authenticate(auth));
  app.use(perMinute(rateLimitPerMinute, (_req, res) => `principal:${(res.locals.principal as { id: string }).id}`, 'Too many requests', 'requests a minute for this token'));
  app.use(mountRoutes(specs, [idempotency(storage.db)]));

  app.use(notFoundRoute);
  app.use(problemHandler);
  return app;
}

/** A limit per minute and key, answered as a 429 problem ("More than <limit> <what>"). */
function perMinute(limit: number, keyGenerator: RateLimitOptions['keyGenerator'], title: string, what: string, extra: Partial<RateLimitOptions> = {}): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator,
    handler: (_req, _res, next) => next(new ProblemError({ type: 'https://zhengwu-flow.example/problems/rate-limited', title, status: 429, detail: `More than ${limit} ${what}` })),
    ...extra,
  });
}

/** CORS is closed unless origins are configured; then only those origins get the headers. */
function cors(origins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && origins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, X-Request-Id');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT');
      if (req.method === 'OPTIONS') return void res.status(204).end();
    }
    next();
  };
}

const landingPage = (version: string) => `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>Zhengwu Flow 政务流</title></head>
<body>
<h1>Zhengwu Flow 政务流 <small>${version}</small></h1>
<p>政务信息化项目全生命周期管理 — lifecycle orchestration of government IT projects.</p>
<ul>
<li><a href="${CONSOLE_PATH}/">Web console 管理控制台</a> — reviewers' inbox, projects, finance</li>
<li><a href="/docs">API documentation</a> (<a href="/openapi.json">OpenAPI</a>) — every call needs <code>Authorization: Bearer &lt;API key or SSO JWT&gt;</code></li>
<li><a href="/rules">Rules catalogue</a> — every rule the engine enforces, per jurisdiction, with its article and the test that proves it</li>
<li><a href="/health">Health</a> · <a href="/ready">Readiness</a> · <a href="/metrics">Metrics</a></li>
</ul>
</body></html>`;

const docsPage = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>Zhengwu Flow API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' });</script>
</body></html>`;

const CONSOLE_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** Where the API serves the web console (web/, built into web/dist by `npm run build:console`). */
const CONSOLE_PATH = '/console';

function consoleFiles(): RequestHandler {
  const root = join(projectRoot(), 'web', 'dist');
  const files = express.static(root, { index: 'index.html', fallthrough: true });
  return (req, res, next) => {
    // A clone that has not built the console says so, instead of a bare 404.
    if (!existsSync(join(root, 'index.html'))) {
      return next(new ProblemError({ type: 'https://zhengwu-flow.example/problems/not-found', title: 'Console not built', status: 404, detail: 'The web console is not built: run `npm run build:console` (npm start does)' }));
    }
    // The console holds a bearer token: it runs only its own scripts and styles and talks only to this API.
    res.setHeader('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
    files(req, res, next);
  };
}
