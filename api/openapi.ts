import { z } from 'zod';
import { projectStateSchema } from '../domain/lifecycle';
import { projectProposalSchema } from '../domain/project';

/**
 * The OpenAPI description, generated from the same zod schemas the routes validate with, so the
 * document cannot drift from the code.
 */
const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') =>
  z.toJSONSchema(s, { target: 'openapi-3.0', io, unrepresentable: 'any' });

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

export function openApiDocument() {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Zhengwu Flow API',
      version: '0.1.0',
      description: 'Lifecycle orchestration of government IT projects (政务信息化项目). Money is integer fen.',
    },
    paths: {
      '/projects': {
        post: {
          operationId: 'registerProject',
          summary: 'Register a project proposal; starts its ProjectLifecycle workflow',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ProjectProposal' } } } },
          responses: {
            '201': { description: 'Registered', content: { 'application/json': { schema: { $ref: '#/components/schemas/ProjectState' } } } },
            '400': problemResponse('Malformed JSON'),
            '409': problemResponse('A project with this id is already registered'),
            '413': problemResponse('Body too large'),
            '422': problemResponse('A field breaks a rule; each is named'),
          },
        },
      },
      '/projects/{projectId}': {
        get: {
          operationId: 'getProject',
          summary: 'The project as its workflow sees it (stage, timeline)',
          parameters: [{ name: 'projectId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The project', content: { 'application/json': { schema: { $ref: '#/components/schemas/ProjectState' } } } },
            '404': problemResponse('No such project'),
            '422': problemResponse('Malformed project id'),
          },
        },
      },
      '/health': { get: { operationId: 'health', summary: 'Liveness', responses: { '200': { description: 'Alive' } } } },
      '/ready': {
        get: {
          operationId: 'ready',
          summary: 'Readiness: Temporal reachable and a worker polling',
          responses: { '200': { description: 'Ready' }, '503': problemResponse('A dependency is down') },
        },
      },
      '/openapi.json': { get: { operationId: 'openApi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.0' } } } },
      '/docs': { get: { operationId: 'docs', summary: 'Browsable API documentation', responses: { '200': { description: 'HTML' } } } },
    },
    components: {
      schemas: {
        ProjectProposal: schema(projectProposalSchema, 'input'),
        ProjectState: schema(projectStateSchema),
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { pointer: { type: 'string' }, detail: { type: 'string' }, code: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}
