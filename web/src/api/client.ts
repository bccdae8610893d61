import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from '../session';

/**
 * The console's only way to the API: a client typed by the OpenAPI document (schema.d.ts is generated
 * from it by `npm run console:api`), with the signed-in token on every call. The console therefore
 * shows and does exactly what the API lets this token show and do.
 */
export const api = createClient<paths>({ baseUrl: window.location.origin });

const bearer: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};
api.use(bearer);

export type Problem = components['schemas']['Problem'];

/** A refusal from the API (problem+json), kept whole so the page can show the detail, the article and the fields. */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/** The body of a successful answer, or an ApiProblem with the API's own words and article. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  if (response.status === 401) session.expired();
  const problem = (error && typeof error === 'object' ? error : { title: response.statusText }) as Partial<Problem>;
  throw new ApiProblem({ type: problem.type ?? 'about:blank', title: problem.title ?? response.statusText, status: problem.status ?? response.status, ...problem });
}


type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The JSON a route answers with on success (200 or 201), e.g. Answer<'/reviews/inbox', 'get'>. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer OK } ? JsonOf<OK> : R extends { 201: infer Created } ? JsonOf<Created> : never
  : never;

/** The JSON body a route takes, e.g. RequestBody<'/projects', 'post'>. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer T } } } ? T : never;
