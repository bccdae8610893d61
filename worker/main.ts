import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config';
import { temporalConnectionOptions } from '../config/temporal';
import { createWorker } from './create-worker';
import { prepareNamespace } from './namespace-setup';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  try {
    if (config.TEMPORAL_MANAGE_NAMESPACE) {
      const { added } = await prepareNamespace(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_RETENTION_DAYS);
      if (added.length > 0) console.log(`Registered search attributes: ${added.join(', ')}`);
    }
    const worker = await createWorker(connection, config);
    console.log(`Worker polling task queue "${config.TEMPORAL_TASK_QUEUE}" in namespace "${config.TEMPORAL_NAMESPACE}"`);
    // Worker.run() returns after SIGINT/SIGTERM once in-flight tasks are drained (the SDK installs the handlers).
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
