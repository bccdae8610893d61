import { z } from 'zod';

/**
 * The one place the application reads its environment. Every variable is documented in README.md
 * ("Configuration"); docker-compose.yml may only set names that appear here (test/unit/docker-compose).
 */
const port = z.coerce.number().int().min(1).max(65535);
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

/** The monitoring's HTTP timeout unless HEALTH_CHECK_TIMEOUT_MS sets another (also the activities' default). */
export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 10_000;

export const configSchema = z.object({
  /** host:port of the Temporal frontend. Unset: `npm start` runs the embedded dev server. */
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  /**
   * Whether `npm start` runs the embedded dev server: "auto" when TEMPORAL_ADDRESS is unset, "always"
   * to run it at TEMPORAL_ADDRESS (another port, say), "never" to use an existing cluster.
   */
  TEMPORAL_DEV_SERVER: z.enum(['auto', 'always', 'never']).default('auto'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('zhengwu-flow'),
  /** mTLS client certificate and key (PEM files), e.g. for Temporal Cloud or a secured cluster. */
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  /** CA bundle (PEM) to trust instead of the system roots. */
  TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud API key; implies TLS. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /**
   * Register the app's search attributes and set the namespace retention at worker start. On by
   * default (the dev server needs it every start); turn off where an operator manages the namespace.
   */
  TEMPORAL_MANAGE_NAMESPACE: flag.default(true),
  /** Retention of closed workflows, in days; the dev server's own default (1 day) is far too short. */
  TEMPORAL_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(90),
  /** Where the Temporal Web UI is, for the links the API and the run command print. */
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  /** Embedded state: the dev server's temporal.db and the application's zhengwu-flow.sqlite. */
  DATA_DIR: z.string().min(1).default('data'),
  /** PostgreSQL for the system of record (postgres://…); unset uses the embedded SQLite file. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Operator-published calendar years (JSON, see README) imported into the database at worker start. */
  CALENDAR_DATA_FILE: z.string().min(1).optional(),
  /** SMTP server for the e-mail channel, e.g. smtp://user:pass@mail.example.gov.cn:587. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('zhengwu-flow@localhost'),
  /** How often the notification dispatcher looks for due messages. */
  NOTIFICATION_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  /** Construction units to register at API start-up (JSON list of { name, jurisdiction }). */
  UNITS_FILE: z.string().min(1).optional(),
  /** How often the worker looks for projects whose workflow was ended outside the application (0: never). */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /**
   * How long a system's health endpoint has to answer the monthly monitoring (002 (二)). The check
   * activity's start-to-close timeout is 30 s, so at most 20 s leaves room for the rest of it.
   */
  HEALTH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(20_000).default(DEFAULT_HEALTH_CHECK_TIMEOUT_MS),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * Static service API keys: a JSON file of [{ "key", "id", "role", "unit"? }]. `npm start` generates
   * data/api-keys.json with one key per role when it is missing.
   */
  AUTH_API_KEYS_FILE: z.string().min(1).optional(),
  /** HS256 secret for JWTs from a government SSO (at least 32 characters). */
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** JWKS URL for RS256 JWTs from a government SSO. */
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  /** The longest a JWT may be valid (exp − iat, or exp − now without iat); every JWT must carry exp. */
  AUTH_JWT_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(12 * 3600),
  /** Requests per minute per token (or per client address without one). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  /**
   * Express's "trust proxy" for the client address (failed-sign-in throttling, logs) behind a reverse
   * proxy: "true", a hop count, or the proxies' addresses/subnets, comma-separated. Unset: no proxy.
   */
  API_TRUST_PROXY: z.string().min(1).optional(),
  /** Failed sign-ins per minute per client address before it is refused for the rest of the minute. */
  API_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /**
   * How many workflows the worker keeps in its cache (an evicted one is replayed from its history when
   * it next has work). Unset: sized from the heap (worker/create-worker.ts cachedWorkflowsFor).
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(10).max(1_000_000).optional(),
  /** Where the worker serves its Temporal SDK metrics (Prometheus); empty disables them. */
  WORKER_METRICS_BIND: z.string().default('127.0.0.1:9464'),
  /** Where the API fetches the worker's metrics to serve them with its own on /metrics. */
  WORKER_METRICS_URL: z.string().url().optional(),
  /**
   * Payload encryption keys (JSON: { activeKeyId, keys: { id: base64 } }). Set, every payload is
   * AES-256-GCM encrypted before it reaches Temporal. `npm start` generates data/payload-keys.json.
   */
  PAYLOAD_KEYS_FILE: z.string().min(1).optional(),
  /** Browser origins allowed by CORS, comma-separated; none by default (CORS closed). */
  API_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean)),
});

export type AppConfig = z.infer<typeof configSchema>;

/** The environment variable names the application understands. */
export const configEnvNames = Object.keys(configSchema.shape) as (keyof AppConfig)[];

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.fromEntries(
    configEnvNames.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]),
  );
  const parsed = configSchema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (Boolean(config.TEMPORAL_TLS_CERT_PATH) !== Boolean(config.TEMPORAL_TLS_KEY_PATH)) {
    throw new ConfigError(
      'Invalid configuration:\n  TEMPORAL_TLS_CERT_PATH/TEMPORAL_TLS_KEY_PATH: set both for mTLS, or neither',
    );
  }
  return config;
}
