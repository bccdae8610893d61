import { Client, Connection } from '@temporalio/client';

/**
 * For suites that build the activities but never call the ones that reach Temporal: a real client on
 * a lazy connection, which opens nothing unless used.
 */
export const unusedTemporal = {
  client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
  taskQueue: 'unused',
};
