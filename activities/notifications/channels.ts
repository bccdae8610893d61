import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Transporter } from 'nodemailer';

/**
 * Delivery channels. Each turns one outbox message into one request to its receiver and classifies
 * failures: retryable ones (network, 5xx, 429, robot rate limits) go back to the outbox with backoff;
 * permanent ones (a receiver that rejects the message itself) are recorded and not retried.
 */
export const channelSchema = z.enum(['log', 'webhook', 'dingtalk', 'wecom', 'email']);
export type Channel = z.infer<typeof channelSchema>;

export const channelTargetSchemas = {
  log: z.object({}).strict(),
  webhook: z.object({ url: z.url(), secret: z.string().min(16, 'must be at least 16 characters') }).strict(),
  /** The robot's webhook URL (with access_token) and its signing secret (加签, "SEC…"). */
  dingtalk: z.object({ url: z.url(), secret: z.string().min(1) }).strict(),
  wecom: z.object({ url: z.url() }).strict(),
  email: z.object({ to: z.array(z.email()).min(1) }).strict(),
} satisfies Record<Channel, z.ZodType>;

export type ChannelTarget<C extends Channel> = z.infer<(typeof channelTargetSchemas)[C]>;

export interface OutgoingMessage {
  idempotencyKey: string;
  kind: string;
  locale: string;
  subject: string;
  body: string;
  projectId: string | null;
  recipientRole: string;
  unit: string | null;
}

export class DeliveryError extends Error {
  readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface ChannelContext {
  /** Where log-channel messages go (the worker's log). */
  log: (line: string) => void;
  /** SMTP transport for e-mail; absent when SMTP is not configured. */
  mailer?: Transporter;
  mailFrom: string;
  /** Per-request timeout, so a slow receiver cannot hold the dispatcher. */
  timeoutMs: number;
  now: () => Date;
}

/** The endpoint a message goes to, for per-endpoint rate limits (robots: about 20 a minute). */
export function endpointOf(channel: Channel, target: unknown): string {
  if (channel === 'dingtalk' || channel === 'wecom' || channel === 'webhook') {
    const { url } = target as { url: string };
    return `${channel}:${createHash('sha256').update(url).digest('hex').slice(0, 16)}`;
  }
  return channel;
}

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DeliveryError(`${url}: ${(error as Error).message}`, true);
  }
}

function checkHttp(response: Response, text: string): void {
  if (response.ok) return;
  const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
  throw new DeliveryError(`HTTP ${response.status}: ${text.slice(0, 200)}`, retryable);
}

/** Robots answer HTTP 200 with an errcode; these codes mean "too fast", so the message waits and retries. */
const ROBOT_RATE_LIMIT_CODES = new Set([130101, 45009]);

async function checkRobot(response: Response): Promise<void> {
  const text = await response.text();
  checkHttp(response, text);
  let reply: { errcode?: number; errmsg?: string };
  try {
    reply = JSON.parse(text) as typeof reply;
  } catch {
    throw new DeliveryError(`robot answered non-JSON: ${text.slice(0, 200)}`, true);
  }
  if (reply.errcode !== undefined && reply.errcode !== 0) {
    throw new DeliveryError(`robot errcode ${reply.errcode}: ${reply.errmsg ?? ''}`, ROBOT_RATE_LIMIT_CODES.has(reply.errcode));
  }
}

/** DingTalk's signature: base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)), URL-encoded. */
export function dingTalkSign(timestamp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** The generic webhook's signature header value: HMAC-SHA256 of the exact body bytes, hex. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function deliver(channel: Channel, rawTarget: unknown, message: OutgoingMessage, context: ChannelContext): Promise<void> {
  switch (channel) {
    case 'log': {
      context.log(`[notification ${message.idempotencyKey}] to ${message.recipientRole}${message.unit ? `@${message.unit}` : ''}: ${message.subject} — ${message.body}`);
      return;
    }
    case 'webhook': {
      const target = channelTargetSchemas.webhook.parse(rawTarget);
      const body = JSON.stringify({
        idempotencyKey: message.idempotencyKey,
        kind: message.kind,
        locale: message.locale,
        subject: message.subject,
        body: message.body,
        projectId: message.projectId,
        recipientRole: message.recipientRole,
        unit: message.unit,
      });
      const response = await post(target.url, body, {
        'X-Signature': webhookSignature(body, target.secret),
        'Idempotency-Key': message.idempotencyKey,
      }, context.timeoutMs);
      checkHttp(response, await response.text());
      return;
    }
    case 'dingtalk': {
      const target = channelTargetSchemas.dingtalk.parse(rawTarget);
      const timestamp = context.now().getTime();
      const url = new URL(target.url);
      url.searchParams.set('timestamp', String(timestamp));
      url.searchParams.set('sign', dingTalkSign(timestamp, target.secret));
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { title: message.subject, text: `### ${message.subject}\n\n${message.body}` } });
      await checkRobot(await post(url.toString(), body, { 'Idempotency-Key': message.idempotencyKey }, context.timeoutMs));
      return;
    }
    case 'wecom': {
      const target = channelTargetSchemas.wecom.parse(rawTarget);
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { content: `### ${message.subject}\n${message.body}` } });
      await checkRobot(await post(target.url, body, { 'Idempotency-Key': message.idempotencyKey }, context.timeoutMs));
      return;
    }
    case 'email': {
      const target = channelTargetSchemas.email.parse(rawTarget);
      if (!context.mailer) throw new DeliveryError('SMTP is not configured (SMTP_URL)', true);
      try {
        await context.mailer.sendMail({
          from: context.mailFrom,
          to: target.to,
          subject: message.subject,
          text: message.body,
          // The same message always carries the same Message-ID, so mail systems can drop a duplicate.
          messageId: `<${createHash('sha256').update(message.idempotencyKey).digest('hex')}@zhengwu-flow>`,
          headers: { 'X-Idempotency-Key': message.idempotencyKey },
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        throw new DeliveryError(`SMTP: ${(error as Error).message}`, code === undefined || code < 500);
      }
      return;
    }
  }
}
