import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { actorSchema, type Actor } from '../domain/lifecycle';
import { roleSchema, type Role } from '../domain/records';
import { ProblemError } from './problems';

/**
 * Who is calling. Bearer tokens are either static service API keys (from config) or JWTs from a
 * government SSO, verified with jose (HS256 secret or RS256 via JWKS). Every decision stores this
 * identity; an identity sent in a request body is never used.
 */
export type Principal = Actor & { via: 'apiKey' | 'jwt' };

/** Roles that act only for their own area: a unit for itself, a county for its county's units and projects. */
const AREA_SCOPED_ROLES: readonly Role[] = ['unit', 'county'];

/**
 * Who a credential names, checked when it is presented (sign-in), never later: an identity that the
 * rest of the system could not store (an id longer than an actor id, say) is refused here with 401,
 * and a unit role must name its unit — without one it would be scoped to nothing, or to everything.
 */
const unitNamed: [(identity: { role: Role; unit?: string }) => boolean, { path: string[]; message: string }] = [
  (identity) => !AREA_SCOPED_ROLES.includes(identity.role) || identity.unit !== undefined,
  { path: ['unit'], message: 'a unit role must name its unit, a county role its county' },
];
const identity = { role: roleSchema, unit: actorSchema.shape.unit };

export const apiKeyEntrySchema = z
  .object({ key: z.string().min(24, 'API keys must be at least 24 characters'), id: actorSchema.shape.id, ...identity })
  .refine(...unitNamed);
export const apiKeysFileSchema = z.array(apiKeyEntrySchema);

export interface AuthOptions {
  apiKeys: z.infer<typeof apiKeysFileSchema>;
  jwtSecret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** The longest validity a JWT may have, in seconds (default 12 h). */
  jwtMaxLifetimeSeconds?: number;
}

export function authOptionsFrom(config: {
  AUTH_API_KEYS_FILE?: string;
  AUTH_JWT_SECRET?: string;
  AUTH_JWKS_URL?: string;
  AUTH_JWT_ISSUER?: string;
  AUTH_JWT_AUDIENCE?: string;
  AUTH_JWT_MAX_LIFETIME_SECONDS?: number;
}): AuthOptions {
  const apiKeys = config.AUTH_API_KEYS_FILE ? apiKeysFileSchema.parse(JSON.parse(readFileSync(config.AUTH_API_KEYS_FILE, 'utf8'))) : [];
  return {
    apiKeys, jwtSecret: config.AUTH_JWT_SECRET, jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE,
    jwtMaxLifetimeSeconds: config.AUTH_JWT_MAX_LIFETIME_SECONDS,
  };
}

const PROBLEM_BASE = 'https://zhengwu-flow.example/problems/';
export const unauthorized = (detail: string) =>
  new ProblemError({ type: `${PROBLEM_BASE}unauthorized`, title: 'Unauthorized', status: 401, detail });
export const forbidden = (detail: string, rule?: string) =>
  new ProblemError({ type: `${PROBLEM_BASE}forbidden`, title: 'Forbidden', status: 403, detail, ...(rule ? { rule } : {}) });

const digest = (value: string) => createHash('sha256').update(value).digest();

const claimsSchema = z.object({ sub: actorSchema.shape.id, exp: z.number(), iat: z.number().optional(), ...identity }).refine(...unitNamed);

/** What a caller is told about a token that does not verify: the kind of failure, not the library's words. */
function tokenRefusal(error: unknown): string {
  switch ((error as { code?: string }).code) {
    case 'ERR_JWT_EXPIRED':
      return 'The token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `The token's ${(error as { claim?: string }).claim ?? 'claims'} is not accepted (exp is required; iss and aud must match)`;
    default:
      return 'The token is not valid (signature, algorithm or format)';
  }
}

/** Sets res.locals.principal, or answers 401. */
export function authenticate(options: AuthOptions): RequestHandler {
  const keys = options.apiKeys.map((entry) => ({ ...entry, digest: digest(entry.key) }));
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  const maxLifetime = options.jwtMaxLifetimeSeconds ?? 12 * 3600;

  return async (req, res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) return next(unauthorized('Send "Authorization: Bearer <token>" (an API key or an SSO JWT)'));
    const token = match[1]!;

    const tokenDigest = digest(token);
    const key = keys.find((entry) => timingSafeEqual(entry.digest, tokenDigest));
    if (key) {
      res.locals.principal = { id: key.id, role: key.role, unit: key.unit, via: 'apiKey' } satisfies Principal;
      return next();
    }
    if (token.split('.').length === 3 && (secret || jwks)) {
      try {
        const verifyOptions = { issuer: options.issuer, audience: options.audience, requiredClaims: ['exp'] };
        const { payload } = secret ? await jwtVerify(token, secret, { ...verifyOptions, algorithms: ['HS256'] }) : await jwtVerify(token, jwks!, { ...verifyOptions, algorithms: ['RS256'] });
        const claims = claimsSchema.safeParse(payload);
        if (!claims.success) return next(unauthorized(`The token's claims are not accepted: ${claims.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`));
        // Measured from the earlier of iat and now, so a token dated in the future gains nothing.
        const lifetime = claims.data.exp - Math.min(claims.data.iat ?? Infinity, Date.now() / 1000);
        if (lifetime > maxLifetime) return next(unauthorized(`The token is valid for ${Math.round(lifetime)} s; at most ${maxLifetime} s are accepted`));
        res.locals.principal = { id: claims.data.sub, role: claims.data.role, unit: claims.data.unit, via: 'jwt' } satisfies Principal;
        return next();
      } catch (error) {
        // The SSO's key set could not be fetched: our fault, not the caller's (503, and not counted as a failed sign-in).
        if ((error as { code?: string }).code === 'ERR_JWKS_TIMEOUT') {
          return next(new ProblemError({ type: `${PROBLEM_BASE}unavailable`, title: 'Service unavailable', status: 503, detail: "The SSO's signing keys could not be fetched; try again shortly", retryAfterSeconds: 10 }));
        }
        return next(unauthorized(tokenRefusal(error)));
      }
    }
    return next(unauthorized('Unknown API key or unverifiable token'));
  };
}

export const principalOf = (res: { locals: Record<string, unknown> }): Principal => res.locals.principal as Principal;

/** 403 unless the caller has one of `roles`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const principal = principalOf(res);
    if (!roles.includes(principal.role)) return next(forbidden(`This needs one of the roles ${roles.join(', ')}; you are ${principal.role}`));
    next();
  };
}

/** Unit ops see and act on their own unit's projects only. */
export const inUnitScope = (principal: Principal, unit: string): boolean => principal.role !== 'unit' || principal.unit === unit;

/** A unit may not register or list for another unit (403: it names only the caller's own request). */
export function assertUnitScope(principal: Principal, unit: string): void {
  if (!inUnitScope(principal, unit)) throw forbidden(`Unit ops act for their own unit (${principal.unit}), not ${unit}`);
}
