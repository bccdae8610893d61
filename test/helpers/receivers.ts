import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** What the receiver answered. */
  reply: Reply;
}

type Reply = { status: number; body: string };

/**
 * A real HTTP receiver on loopback that records every request. `replies` scripts its answers in order
 * (then 200 {"errcode":0}); `verify` may refuse a request (e.g. a bad signature) with 401.
 */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  replies: Reply[] = [];
  verify?: (request: ReceivedRequest) => boolean;
  private server?: Server;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        const reply =
          this.verify && !this.verify({ ...request, reply: { status: 0, body: '' } })
            ? { status: 401, body: 'bad signature' }
            : (this.replies.shift() ?? { status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
        this.requests.push({ ...request, reply });
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The requests it accepted: HTTP 2xx and, for robots, errcode 0. */
  get received(): ReceivedRequest[] {
    return this.requests.filter((r) => r.reply.status < 300 && !/"errcode":[1-9]/.test(r.reply.body));
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server (the smtp-server package) on loopback, without TLS or auth. */
export class SmtpReceiver {
  readonly received: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
