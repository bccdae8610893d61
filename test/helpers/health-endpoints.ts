import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Systems' health endpoints on loopback: each path answers with the status a test sets for it
 * (404 for a path never set), and counts the calls it got, so a test sees the monitoring call the
 * real endpoint over HTTP.
 */
export class HealthEndpoints {
  private readonly statuses = new Map<string, number>();
  readonly calls = new Map<string, number>();
  private server?: Server;
  private port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.calls.set(path, (this.calls.get(path) ?? 0) + 1);
      const status = this.statuses.get(path) ?? 404;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: status < 300 ? 'UP' : 'DOWN' }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  /** The endpoint at `path`, answering `status` from now on. */
  set(path: string, status: number): string {
    this.statuses.set(path, status);
    return this.url(path);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
