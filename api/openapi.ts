import { z } from 'zod';
import { rulesCatalogueSchema } from '../domain/policy/catalogue';
import { productVersion } from './project-files';
import { rulesQuerySchema } from './rules';
import { openApiPaths, type RouteSpec } from './route-spec';

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
      '/': { get: { operationId: 'home', summary: 'Landing page with links to the docs and the rules catalogue', responses: { '200': { description: 'HTML' } } } },
      '/rules': {
        get: {
          operationId: 'rules',
          summary: 'The rules catalogue: every rule the engine enforces, per jurisdiction, with its article, the stage it guards and the tests that prove it (public)',
          parameters: Object.entries((z.toJSONSchema(rulesQuerySchema, { target: 'openapi-3.0' }) as { properties: Record<string, unknown> }).properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
          responses: {
            '200': { description: 'The catalogue', content: { 'application/json': { schema: z.toJSONSchema(rulesCatalogueSchema, { target: 'openapi-3.0' }) } } },
            '422': problem('A query parameter breaks a rule'),
          },
        },
      },
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
