import express, { type Express } from 'express';
import { dirname } from 'node:path';
import type { Client } from '@temporalio/client';
import { openApiDocument } from './openapi';
import { notFoundRoute, problemHandler } from './problems';
import { healthRouter } from './routes/health';
import { projectsRouter } from './routes/projects';

export interface AppDependencies {
  client: Client;
  taskQueue: string;
}

/** The Express app without listen(), so tests drive exactly what production serves. */
export function createApp({ client, taskQueue }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));

  app.use(healthRouter(client, taskQueue));
  app.use(projectsRouter(client, taskQueue));

  const document = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage);
  });
  app.use('/docs/assets', express.static(dirname(require.resolve('swagger-ui-dist/package.json'))));

  app.use(notFoundRoute);
  app.use(problemHandler);
  return app;
}

const docsPage = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>Zhengwu Flow API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' });</script>
</body></html>`;
