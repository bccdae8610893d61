import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import type { StorageHandle } from '../../activities/storage/database';
import { prepareNamespace } from '../../worker/namespace-setup';
import { devServerDynamicConfigArgs } from '../../worker/server-settings';
import { testApp } from './api';
import { seedTestUnits } from './api';
import { openTestStorage } from './storage';
import { runWithHeartbeat } from '../../worker/heartbeat';
import { createTestWorker, TASK_QUEUE, temporalCliPath } from './temporal';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Temporal CLI dev server as its own OS process, persisting to a SQLite file, so a test can kill it
 * with SIGKILL and start it again on the same file — what the SDK's managed environments cannot do.
 */
export class DevServerProcess {
  private child?: ChildProcess;
  readonly address: string;
  /** Seconds the server's wall clock runs ahead of the real one (clock-shift build only). */
  wallClockShiftSeconds = 0;

  constructor(readonly dbFilename: string, readonly port: number, private readonly cliPath = temporalCliPath()) {
    this.address = `127.0.0.1:${port}`;
  }

  /** The server's idea of now (what workflows see as their time). */
  now(): number {
    return Date.now() + this.wallClockShiftSeconds * 1000;
  }

  /**
   * Starts the server; with `wallClockShiftSeconds` (the clock-shift build of
   * scripts/obtain-temporal-cli.sh) its wall clock runs that far ahead, as if it had been
   * down until then. The shift may only grow from one start to the next: time does not run backwards.
   */
  async start(options: { wallClockShiftSeconds?: number } = {}): Promise<void> {
    const shift = options.wallClockShiftSeconds ?? this.wallClockShiftSeconds;
    if (shift < this.wallClockShiftSeconds) throw new Error('the wall clock cannot be moved backwards');
    this.wallClockShiftSeconds = shift;
    const child = spawn(
      this.cliPath,
      ['server', 'start-dev', '--headless', '--db-filename', this.dbFilename, '--ip', '127.0.0.1',
        '--port', String(this.port), '--namespace', 'default', '--log-level', 'error', ...devServerDynamicConfigArgs],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, WALL_CLOCK_SHIFT_SECONDS: String(shift) } },
    );
    this.child = child;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`dev server exited with code ${child.exitCode}`);
      try {
        const connection = await Connection.connect({ address: this.address, connectTimeout: 1_000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: 'default' });
          return;
        } finally {
          await connection.close();
        }
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** Kills the server without any chance to flush or shut down cleanly. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}

export interface KillableServerContext {
  server: DevServerProcess;
  connection: Connection;
  client: Client;
  storage: StorageHandle;
  /** The API on `client`, as ops, reviewers and finance reach the system. */
  app: Express;
}

/**
 * For a test file that kills the Temporal server: a dev server process on its own SQLite file, the
 * production worker on a SQLite system of record and the API — clients that reconnect on their own
 * when the server comes back. Set up in beforeAll, torn down in afterAll.
 */
export function useKillableDevServer(cliPath = temporalCliPath()): KillableServerContext {
  const context = {} as KillableServerContext;
  const dir = mkdtempSync(join(tmpdir(), 'zhengwu-dev-server-'));
  let nativeConnection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    context.storage = await openTestStorage('sqlite');
    await seedTestUnits(context.storage);
    context.server = new DevServerProcess(join(dir, 'temporal.db'), await freePort(), cliPath);
    await context.server.start();
    nativeConnection = await NativeConnection.connect({ address: context.server.address });
    await prepareNamespace(nativeConnection, 'default', 30);
    context.connection = await Connection.connect({ address: context.server.address });
    context.client = new Client({ connection: context.connection, namespace: 'default' });
    worker = await createTestWorker(nativeConnection, context.storage, context.client);
    running = runWithHeartbeat(worker, context.storage.db, TASK_QUEUE);
    context.app = testApp(context.client, context.storage);
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await context.connection?.close();
    await nativeConnection?.close();
    await context.server?.kill();
    await context.storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return context;
}
