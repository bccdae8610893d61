import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

/** RFC 9457 problem details; every error the API returns has this shape. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Field-level findings, each naming the field (a JSON pointer) and the rule it broke. */
  errors?: { pointer: string; detail: string; code?: string }[];
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://zhengwu-flow.example/problems/';

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export const problem = {
  notFound: (detail: string) =>
    new ProblemError({ type: `${PROBLEM_BASE}not-found`, title: 'Not found', status: 404, detail }),
  conflict: (detail: string, extra: Record<string, unknown> = {}) =>
    new ProblemError({ type: `${PROBLEM_BASE}conflict`, title: 'Conflict', status: 409, detail, ...extra }),
  unsupportedMediaType: (detail: string) =>
    new ProblemError({ type: `${PROBLEM_BASE}unsupported-media-type`, title: 'Unsupported media type', status: 415, detail }),
  unavailable: (detail: string, extra: Record<string, unknown> = {}) =>
    new ProblemError({ type: `${PROBLEM_BASE}unavailable`, title: 'Service unavailable', status: 503, detail, ...extra }),
  /** A request that is well-formed but breaks a rule of the regulations; names the rule. */
  rule: (detail: string, rule: string, pointer?: string) =>
    new ProblemError({
      type: `${PROBLEM_BASE}rule-violation`,
      title: 'Refused by rule',
      status: 422,
      detail,
      rule,
      ...(pointer ? { errors: [{ pointer, detail }] } : {}),
    }),
  /** One field that is well-formed but unusable, named by its JSON pointer. */
  field: (pointer: string, detail: string) =>
    new ProblemError({ type: `${PROBLEM_BASE}validation`, title: 'Invalid request', status: 422, detail, errors: [{ pointer, detail }] }),
  /**
   * The findings of a schema, bounded: at most MAX_LISTED_PROBLEMS, each message cut to a readable
   * length, so a hostile body (thousands of unknown keys) costs a small answer, not one per byte.
   */
  invalid: (error: z.ZodError, where: 'body' | 'path' | 'query') => {
    const listed = error.issues.slice(0, MAX_LISTED_PROBLEMS).map((issue) => ({
      pointer: clip(`/${[where, ...issue.path.map(String)].join('/')}`),
      detail: clip(issue.message),
      code: issue.code,
    }));
    const more = error.issues.length - listed.length;
    return new ProblemError({
      type: `${PROBLEM_BASE}validation`,
      title: 'Invalid request',
      status: 422,
      detail: listed.map((issue) => `${describePath(where, issue.pointer)}: ${issue.detail}`).join('; ') + (more > 0 ? `; and ${more} more` : ''),
      errors: listed,
    });
  },
};

const MAX_LISTED_PROBLEMS = 20;
const MAX_MESSAGE_CHARS = 300;
const clip = (text: string) => (text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text);

/** "investmentFen" for /body/investmentFen, "body" for /body itself. */
function describePath(where: string, pointer: string): string {
  const path = pointer.split('/').slice(2);
  return path.length === 0 ? where : path.join('.');
}

/** Parses `value` with `schema`, or throws a 422 problem naming each offending field. */
export function parseOr422<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'path' | 'query'): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw problem.invalid(result.error, where);
  return result.data;
}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(problem.notFound(`No route ${req.method} ${req.path}`));
};

/** Sends problems as application/problem+json; anything unexpected becomes a 500 without internals. */
export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  let body: Problem;
  if (error instanceof ProblemError) {
    body = error.problem;
  } else if (error?.type === 'entity.too.large') {
    body = { type: `${PROBLEM_BASE}too-large`, title: 'Payload too large', status: 413, detail: `The body exceeds the limit of ${error.limit} bytes` };
  } else if (error?.type === 'entity.parse.failed') {
    body = { type: `${PROBLEM_BASE}malformed`, title: 'Malformed JSON', status: 400, detail: 'The request body is not valid JSON' };
  } else {
    console.error(error);
    body = { type: `${PROBLEM_BASE}internal`, title: 'Internal error', status: 500, detail: 'An unexpected error occurred' };
  }
  if (typeof body.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(body.retryAfterSeconds));
  res.status(body.status).type('application/problem+json').json({ ...body, instance: req.originalUrl });
};
