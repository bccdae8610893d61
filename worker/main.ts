import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createTransport } from 'nodemailer';
import { createActivities } from '../activities';
import { importCalendarFile } from '../activities/calendar/calendar-data';
import { createDispatcher } from '../activities/notifications/dispatcher';
import { openDatabase, storageOptionsFrom } from '../activities/storage/database';
import { loadConfig } from '../config';
import { dataConverterFor, temporalConnectionOptions } from '../config/temporal';
import { createWorker } from './create-worker';
import { runWithHeartbeat } from './heartbeat';
import { reconcileEndedOutside } from './reconcile';
import { createStore } from '../activities/storage/store';
import { prepareNamespace } from './namespace-setup';
import { ensureIntakeSchedules, ensureMonitoringSchedules } from './schedules';

/** The worker process: Temporal worker, plus the notification dispatcher that drains the outbox. */
async function main(): Promise<void> {
  // Files this process creates (the SQLite system of record, documents) are the owner's alone.
  process.umask(0o077);
  const config = loadConfig();
  if (config.WORKER_METRICS_BIND) {
    // The SDK's own metrics (task latencies, schedule-to-start, polls…) for Prometheus.
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_BIND } } } });
  }
  const storage = await openDatabase(storageOptionsFrom(config));
  console.log(`System of record: ${storage.engine === 'postgres' ? 'PostgreSQL' : storageOptionsFrom(config).sqliteFile}`);
  if (config.CALENDAR_DATA_FILE) {
    const years = await importCalendarFile(storage.db, config.CALENDAR_DATA_FILE, new Date().toISOString());
    console.log(`Calendar years imported from ${config.CALENDAR_DATA_FILE}: ${years.join(', ')}`);
  }

  const mailer = config.SMTP_URL ? createTransport(config.SMTP_URL) : undefined;
  const dispatcher = createDispatcher(storage.db, {
    log: (line) => console.log(line),
    mailer,
    mailFrom: config.MAIL_FROM,
    timeoutMs: 10_000,
    now: () => new Date(),
  });
  const stopDispatcher = dispatcher.start(config.NOTIFICATION_POLL_MS, (error) => console.error('Notification dispatch failed; will retry', error));

  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // Activities that start or signal other workflows use an ordinary client.
  const clientConnection = await Connection.connect(temporalConnectionOptions(config));
  const dataConverter = dataConverterFor(config);
  const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  try {
    if (config.TEMPORAL_MANAGE_NAMESPACE) {
      const { added } = await prepareNamespace(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_RETENTION_DAYS);
      if (added.length > 0) console.log(`Registered search attributes: ${added.join(', ')}`);
      const schedules = [...(await ensureIntakeSchedules(client, config.TEMPORAL_TASK_QUEUE)), ...(await ensureMonitoringSchedules(client, config.TEMPORAL_TASK_QUEUE))];
      if (schedules.length > 0) console.log(`Created schedules: ${schedules.join(', ')}`);
    }
    const activities = createActivities({
      storage,
      temporal: { client, taskQueue: config.TEMPORAL_TASK_QUEUE },
      monitoring: { healthCheckTimeoutMs: config.HEALTH_CHECK_TIMEOUT_MS },
    });
    const store = createStore(storage);
    const reconcile = () =>
      reconcileEndedOutside(client, store)
        .then((ended) => ended.length > 0 && console.warn(`Projects ended outside the application (recorded, audited): ${ended.join(', ')}`))
        .catch((error: unknown) => console.error('Reconciliation with Temporal failed; will retry', error));
    const reconciler = config.RECONCILE_INTERVAL_MS > 0 ? setInterval(() => void reconcile(), config.RECONCILE_INTERVAL_MS) : undefined;
    reconciler?.unref();
    if (reconciler) void reconcile();
    const worker = await createWorker(connection, config, activities, undefined, dataConverter);
    console.log(`Worker polling task queue "${config.TEMPORAL_TASK_QUEUE}" in namespace "${config.TEMPORAL_NAMESPACE}"`);
    // Worker.run() returns after SIGINT/SIGTERM once in-flight tasks are drained (the SDK installs the handlers).
    await runWithHeartbeat(worker, storage.db, config.TEMPORAL_TASK_QUEUE);
  } finally {
    await stopDispatcher();
    mailer?.close();
    await connection.close();
    await clientConnection.close();
    await storage.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
