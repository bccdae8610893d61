import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openApiPaths, type RouteSpec } from './route-spec';

/** The product's version, from package.json (found from here both in the sources and in dist/). */
export function productVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'zhengwu-flow' && manifest.version) return manifest.version;
    }
    if (dirname(dir) === dir) throw new Error('package.json of zhengwu-flow not found above ' + __dirname);
  }
}

/**
 * The OpenAPI description, generated from the route declarations and their zod schemas, so the
 * document cannot drift from what the app serves (a test compares the two).
 */
export function openApiDocument(specs: RouteSpec[]) {
  const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
  return {
    openapi: '3.0.3',
    info: {
      title: 'Zhengwu Flow API',
      version: productVersion(),
      description:
        'Lifecycle orchestration of government IT projects (政务信息化项目). Money is integer fen. Errors are RFC 9457 problem+json naming the field and the rule. ' +
        'Authenticate with "Authorization: Bearer <API key or SSO JWT>".',
    },
    paths: {
      ...openApiPaths(specs),
      '/health': { get: { operationId: 'health', summary: 'Liveness', responses: { '200': { description: 'Alive' } } } },
      '/ready': { get: { operationId: 'ready', summary: 'Readiness: Temporal and the database reachable, a worker polling', responses: { '200': { description: 'Ready' }, '503': problem('A dependency is down') } } },
      '/metrics': { get: { operationId: 'metrics', summary: 'Prometheus metrics of the API', responses: { '200': { description: 'text/plain exposition' } } } },
      '/openapi.json': { get: { operationId: 'openApi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.0' } } } },
      '/docs': { get: { operationId: 'docs', summary: 'Browsable API documentation', responses: { '200': { description: 'HTML' } } } },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A service API key, or a JWT (HS256 or RS256) with sub, role and unit claims' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            rule: { type: 'string', description: 'The article that decided, e.g. "001 §26(4)"' },
            errors: { type: 'array', items: { type: 'object', properties: { pointer: { type: 'string' }, detail: { type: 'string' }, code: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
