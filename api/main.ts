import { Client, Connection } from '@temporalio/client';
import { openDatabase, storageOptionsFrom } from '../activities/storage/database';
import { createStore } from '../activities/storage/store';
import { importUnitsFile } from '../activities/storage/units-file';
import { loadConfig } from '../config';
import { dataConverterFor, temporalConnectionOptions } from '../config/temporal';
import { createApp } from './app';
import { authOptionsFrom } from './auth';

async function main(): Promise<void> {
  // Files this process creates (the SQLite system of record, documents) are the owner's alone.
  process.umask(0o077);
  const config = loadConfig();
  const auth = authOptionsFrom(config);
  if (auth.apiKeys.length === 0 && !auth.jwtSecret && !auth.jwksUrl) {
    console.warn('No API keys and no JWT verification configured: every request but /health, /ready, /metrics and the docs will get 401');
  }
  const storage = await openDatabase(storageOptionsFrom(config));
  if (config.UNITS_FILE) {
    const added = await importUnitsFile(createStore(storage), config.UNITS_FILE, new Date().toISOString());
    if (added.length > 0) console.log(`Registered units from ${config.UNITS_FILE}: ${added.join(', ')}`);
  }
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const dataConverter = dataConverterFor(config);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const app = createApp({
    client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    storage,
    auth,
    dataDir: config.DATA_DIR,
    payloadCodec: dataConverter?.payloadCodecs?.[0],
    rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: config.API_AUTH_FAILURES_PER_MINUTE,
    trustProxy: config.API_TRUST_PROXY,
    corsOrigins: config.API_CORS_ORIGINS,
    logLevel: config.LOG_LEVEL,
    workerMetricsUrl: config.WORKER_METRICS_URL ?? (config.WORKER_METRICS_BIND ? `http://${config.WORKER_METRICS_BIND}/metrics` : undefined),
  });
  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    console.log(`API listening on http://${config.API_HOST}:${config.API_PORT}`);
  });
  const shutdown = () => {
    server.close(() => {
      void Promise.all([connection.close(), storage.close()]).then(() => process.exit(0));
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
