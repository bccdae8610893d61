import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { roleSchema, type Role } from '../domain/records';
import { principalOf, requireRole, type Principal } from './auth';
import { parseOr422, problem } from './problems';

/**
 * A route declared once: Express mounts it (role check, body and query validation) and the OpenAPI
 * document is generated from the same declaration, so the two cannot drift.
 */
export interface RouteSpec {
  method: 'get' | 'post' | 'put';
  /** Express path, e.g. /projects/:projectId/decisions. */
  path: string;
  summary: string;
  roles: readonly Role[];
  body?: z.ZodType;
  /** A binary body (e.g. a document upload) instead of JSON. */
  rawBody?: { contentType: string; description: string };
  query?: z.ZodType;
  success: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  /** Another success a handler may answer with (res.locals.successStatus), e.g. 202 when the work goes on. */
  alsoSuccess?: { status: number; description: string; schema: z.ZodType };
  /** Problems this route may answer with, by status. */
  problems: Record<number, string>;
  handler: (context: RouteContext) => Promise<unknown>;
}

export interface RouteContext {
  req: Request;
  res: Response;
  principal: Principal;
  params: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- typed by the spec's zod schema
  query: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export const ALL_ROLES: readonly Role[] = roleSchema.options;

/** The paging of the project-level lists (projects, cloud resources, monitored systems). */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

/** 20 MB: the largest document the API takes (a scanned report); only the upload route reads bytes. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/**
 * A body must come as the route declares it: JSON for JSON routes, the declared binary type for an
 * upload. Anything else is 415, not a 422 about fields that were never read. Binary bodies are parsed
 * only on the route that takes them, after the role check.
 */
function bodyParsing(spec: RouteSpec): RequestHandler[] {
  if (!spec.body && !spec.rawBody) return [];
  const expected = spec.rawBody ? spec.rawBody.contentType : 'application/json';
  const checkType: RequestHandler = (req, _res, next) => {
    // req.is() answers null for a request without a body: nothing to refuse then.
    if (req.is(expected) !== false) return next();
    next(problem.unsupportedMediaType(`Send the body as Content-Type: ${expected}${req.get('content-type') ? `, not ${req.get('content-type')}` : ''}`));
  };
  return spec.rawBody ? [checkType, express.raw({ type: expected, limit: MAX_DOCUMENT_BYTES })] : [checkType];
}

/**
 * Mounts every spec: role check, body parsing, then `afterBody` (the Idempotency-Key check, which must
 * see the body it fingerprints), validation and the handler.
 */
export function mountRoutes(specs: RouteSpec[], afterBody: RequestHandler[] = []): Router {
  const router = Router();
  for (const spec of specs) {
    router[spec.method](spec.path, requireRole(...spec.roles), ...bodyParsing(spec), ...afterBody, async (req, res) => {
      const body = spec.body ? parseOr422(spec.body, req.body ?? {}, 'body') : undefined;
      const query = spec.query ? parseOr422(spec.query, req.query, 'query') : undefined;
      const result = await spec.handler({ req, res, principal: principalOf(res), params: req.params as Record<string, string>, body, query });
      if (res.headersSent) return;
      // A handler may answer with another success status (200 for "already there" on a 201 route).
      const status = typeof res.locals.successStatus === 'number' ? res.locals.successStatus : spec.success.status;
      if (spec.success.contentType && typeof result === 'string') {
        res.status(status).type(spec.success.contentType).send(result);
      } else {
        res.status(status).json(result);
      }
    });
  }
  return router;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });

/** OpenAPI path items for the specs. */
export function openApiPaths(specs: RouteSpec[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [...spec.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (spec.query) {
      const query = jsonSchema(spec.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: 'query', required: (query.required ?? []).includes(name), schema } as never);
      }
    }
    const problems = Object.fromEntries(
      Object.entries({ 401: 'Missing or invalid bearer token', 403: 'Wrong role or another unit', ...spec.problems }).map(([status, description]) => [
        status,
        { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      ]),
    );
    paths[path] ??= {};
    paths[path][spec.method] = {
      operationId: `${spec.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: spec.summary,
      description: `Roles: ${spec.roles.join(', ')}.`,
      security: [{ bearer: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } } : {}),
      ...(spec.rawBody ? { requestBody: { required: true, description: spec.rawBody.description, content: { [spec.rawBody.contentType]: { schema: { type: 'string', format: 'binary' } } } } } : {}),
      responses: {
        [spec.success.status]: {
          description: spec.success.description,
          ...(spec.success.schema
            ? { content: { [spec.success.contentType ?? 'application/json']: { schema: jsonSchema(spec.success.schema, 'output') } } }
            : spec.success.contentType
              ? { content: { [spec.success.contentType]: { schema: { type: 'string' } } } }
              : {}),
        },
        ...(spec.alsoSuccess
          ? { [spec.alsoSuccess.status]: { description: spec.alsoSuccess.description, content: { 'application/json': { schema: jsonSchema(spec.alsoSuccess.schema, 'output') } } } }
          : {}),
        ...problems,
      },
    };
  }
  return paths;
}
