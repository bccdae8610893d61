import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { temporalConnectionOptions } from '../config/temporal';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({ client, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    console.log(`API listening on http://${config.API_HOST}:${config.API_PORT}`);
  });
  const shutdown = () => {
    server.close(() => {
      void connection.close().then(() => process.exit(0));
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
