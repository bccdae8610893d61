import { createHmac } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { createActivities } from '../../activities';
import { unusedTemporal } from '../helpers/temporal-client';
import { createDispatcher, defaultDispatcherOptions } from '../../activities/notifications/dispatcher';
import { saveRoute, type NotificationRequest } from '../../activities/notifications/outbox';
import type { StorageHandle } from '../../activities/storage/database';
import { engines, openTestStorage } from '../helpers/storage';
import { HttpReceiver, SmtpReceiver } from '../helpers/receivers';

/** A clock the test moves, so backoff and robot windows pass without waiting. */
class TestClock {
  constructor(private time = Date.parse('2027-03-01T01:00:00Z')) {}
  now = () => new Date(this.time);
  advance(ms: number) {
    this.time += ms;
  }
}

const params = { projectId: 'YY-2027-001', projectName: '智慧城管综合平台', stage: '方案评审', actor: '市智慧城市和大数据中心', dueDate: '2027-03-12', rule: '001 §14' };

describe.each(engines)('notifications on %s', (engine) => {
  let storage: StorageHandle;
  let clock: TestClock;
  let logged: string[];
  const receivers: HttpReceiver[] = [];
  const receiver = async (port?: number) => {
    const r = await new HttpReceiver().start(port);
    receivers.push(r);
    return r;
  };

  beforeEach(async () => {
    storage = await openTestStorage(engine);
    clock = new TestClock();
    logged = [];
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
    await storage.close();
  });

  const activities = () => createActivities({ storage, temporal: unusedTemporal, now: clock.now });
  /** Enqueues through the real transition activity, returning the outbox keys it wrote. */
  const notify = async (request: NotificationRequest) => {
    const before = new Set((await outbox()).map((row) => row.idempotency_key));
    await activities().recordTransition({ notifications: [request] });
    return { keys: (await outbox()).map((row) => row.idempotency_key).filter((key) => !before.has(key)) };
  };
  const dispatcher = (options = {}) =>
    createDispatcher(storage.db, { log: (line) => logged.push(line), mailFrom: 'zhengwu@example.gov.cn', timeoutMs: 2_000, now: clock.now }, { ...defaultDispatcherOptions, ...options });
  const outbox = () => storage.db.selectFrom('notification_outbox').selectAll().orderBy('idempotency_key').execute();
  const attempts = () => storage.db.selectFrom('notification_attempts').selectAll().orderBy('attempt_key').execute();

  it('sends to the log channel when a role has no route, in Chinese, once per key', async () => {
    const request = { key: 'YY-2027-001:review:1:open', kind: 'actionRequired' as const, recipientRole: 'technicalReviewer' as const, unit: null, params };
    await notify(request);
    await notify(request); // a retried activity
    expect(await outbox()).toHaveLength(1);
    expect(await dispatcher().runOnce()).toMatchObject({ sent: 1 });
    expect(await dispatcher().runOnce()).toMatchObject({ sent: 0 });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('【待办】智慧城管综合平台：方案评审');
    expect(logged[0]).toContain('办理期限 2027-03-12');
    expect((await outbox())[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('signs webhook bodies (X-Signature HMAC-SHA256) and retries a 500 with backoff until it is accepted once', async () => {
    const secret = 'webhook-secret-0123456789';
    const hook = await receiver();
    hook.verify = (req) => req.headers['x-signature'] === `sha256=${createHmac('sha256', secret).update(req.body).digest('hex')}`;
    hook.replies = [{ status: 500, body: 'boom' }, { status: 503, body: 'busy' }];
    await saveRoute(storage.db, { routeId: 'office-hook', role: 'reviewOffice', channel: 'webhook', target: { url: hook.url(), secret }, locale: 'en' }, clock.now().toISOString());
    const { keys } = await notify({ key: 'P1:approval:overdue', kind: 'reviewOverdue', recipientRole: 'reviewOffice', unit: '市城管局', params });

    const d = dispatcher({ baseBackoffMs: 1_000 });
    expect(await d.runOnce()).toMatchObject({ retried: 1 });
    expect(await d.runOnce()).toMatchObject({ sent: 0, retried: 0 }); // backing off
    clock.advance(60_000);
    expect(await d.runOnce()).toMatchObject({ retried: 1 });
    clock.advance(60_000);
    expect(await d.runOnce()).toMatchObject({ sent: 1 });
    clock.advance(3_600_000);
    expect(await d.runOnce()).toMatchObject({ sent: 0 });

    expect(hook.requests.map((r) => r.reply.status)).toEqual([500, 503, 200]); // signature accepted each time
    expect(hook.received).toHaveLength(1);
    const delivered = hook.received[0]!;
    expect(delivered.headers['idempotency-key']).toBe(keys[0]);
    expect(JSON.parse(delivered.body)).toMatchObject({ idempotencyKey: keys[0], kind: 'reviewOverdue', locale: 'en', subject: '[Overdue] 智慧城管综合平台: 方案评审' });
    expect((await attempts()).map((a) => a.outcome)).toEqual(['retry', 'retry', 'sent']);
  });

  it('keeps retrying while the receiver is down and delivers once it is back', async () => {
    const hook = await receiver();
    const port = hook.port;
    await hook.stop();
    await saveRoute(storage.db, { routeId: 'finance-hook', role: 'finance', channel: 'webhook', target: { url: `http://127.0.0.1:${port}/hook`, secret: 'finance-secret-0123456789' } }, clock.now().toISOString());
    await notify({ key: 'C1:tranche:1:due', kind: 'trancheDue', recipientRole: 'finance', unit: null, params: { ...params, amountFen: 5_000_000 } });
    const d = dispatcher();
    for (let i = 0; i < 3; i += 1) {
      expect(await d.runOnce()).toMatchObject({ retried: 1 });
      clock.advance(3_600_000);
    }
    const back = await receiver(port);
    expect(await d.runOnce()).toMatchObject({ sent: 1 });
    expect(back.received).toHaveLength(1);
    expect(JSON.parse(back.received[0]!.body).body).toContain('¥50,000.00');
    expect(await attempts()).toHaveLength(4);
  });

  it('records a permanent refusal (HTTP 400) as failed after one attempt, and keeps the message', async () => {
    const hook = await receiver();
    hook.replies = [{ status: 400, body: 'unknown recipient' }];
    await saveRoute(storage.db, { routeId: 'bad', role: 'audit', channel: 'webhook', target: { url: hook.url(), secret: 'audit-secret-0123456789' } }, clock.now().toISOString());
    await notify({ key: 'K-400', kind: 'decisionRecorded', recipientRole: 'audit', unit: null, params });
    expect(await dispatcher().runOnce()).toMatchObject({ failed: 1 });
    expect((await outbox())[0]).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringContaining('HTTP 400') });
  });

  it('signs DingTalk robot calls (timestamp + HMAC-SHA256 sign), retries its rate-limit code, and throttles to 20 a minute', async () => {
    const secret = 'SECdingtalk-test-secret';
    const robot = await receiver();
    robot.verify = (req) => {
      const url = new URL(req.url, 'http://x');
      const timestamp = url.searchParams.get('timestamp')!;
      const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
      return url.searchParams.get('access_token') === 'tok' && url.searchParams.get('sign') === expected && Math.abs(Number(timestamp) - clock.now().getTime()) < 3_600_000;
    };
    robot.replies = [{ status: 200, body: '{"errcode":130101,"errmsg":"send too fast"}' }];
    await saveRoute(storage.db, { routeId: 'unit-robot', role: 'unit', unit: '市城管局', channel: 'dingtalk', target: { url: `${robot.url('/robot/send')}?access_token=tok`, secret } }, clock.now().toISOString());
    await saveRoute(storage.db, { routeId: 'units-log', role: 'unit', channel: 'log', target: {} }, clock.now().toISOString());

    for (let i = 0; i < 25; i += 1) {
      await notify({ key: `P${i}:goLive`, kind: 'actionRequired', recipientRole: 'unit', unit: '市城管局', params });
    }
    const rows = await outbox();
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(['dingtalk'])); // the unit's own route wins
    const d = dispatcher({ batchSize: 100, baseBackoffMs: 1_000 });
    const first = await d.runOnce();
    expect(first).toEqual({ sent: 19, retried: 1, failed: 0, throttled: 5 });
    clock.advance(61_000);
    const second = await d.runOnce();
    expect(second.sent).toBe(6);
    expect(robot.requests).toHaveLength(26);
    expect(robot.requests.every((r) => r.reply.status === 200)).toBe(true); // every signature verified
    expect(new Set(robot.received.map((r) => r.headers['idempotency-key'])).size).toBe(25);
    expect(robot.received).toHaveLength(25);
    const payload = JSON.parse(robot.received[0]!.body);
    expect(payload).toMatchObject({ msgtype: 'markdown', markdown: { title: '【待办】智慧城管综合平台：方案评审' } });
    expect((await outbox()).every((r) => r.status === 'sent')).toBe(true);
  });

  it('sends WeCom robot markdown', async () => {
    const robot = await receiver();
    await saveRoute(storage.db, { routeId: 'wecom', role: 'expert', channel: 'wecom', target: { url: robot.url('/cgi-bin/webhook/send?key=k') } }, clock.now().toISOString());
    await notify({ key: 'E1', kind: 'reviewReminder', recipientRole: 'expert', unit: null, params: { ...params, provisional: true } });
    expect(await dispatcher().runOnce()).toMatchObject({ sent: 1 });
    const payload = JSON.parse(robot.received[0]!.body);
    expect(payload.msgtype).toBe('markdown');
    expect(payload.markdown.content).toContain('暂定');
  });

  it('delivers e-mail over SMTP with a stable Message-ID and idempotency header', async () => {
    const smtp = await new SmtpReceiver().start();
    try {
      await saveRoute(storage.db, { routeId: 'mail', role: 'finance', channel: 'email', target: { to: ['caizheng@example.gov.cn'] } }, clock.now().toISOString());
      await notify({ key: 'M1', kind: 'trancheBlocked', recipientRole: 'finance', unit: null, params: { ...params, amountFen: 123_45, reasons: ['2028 年度考核未通过'] } });
      const mailer = createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
      const d = createDispatcher(storage.db, { log: () => undefined, mailer, mailFrom: 'zhengwu@example.gov.cn', timeoutMs: 2_000, now: clock.now });
      expect(await d.runOnce()).toMatchObject({ sent: 1 });
      mailer.close();
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.to).toEqual(['caizheng@example.gov.cn']);
      expect(smtp.received[0]!.raw).toMatch(/X-Idempotency-Key: M1@mail/);
      expect(smtp.received[0]!.raw).toMatch(/Message-ID:\s+<[0-9a-f]{64}@zhengwu-flow>/);
    } finally {
      await smtp.stop();
    }
  });

  it('lets two dispatchers share an outbox without sending anything twice', async () => {
    const hook = await receiver();
    await saveRoute(storage.db, { routeId: 'h', role: 'reform', channel: 'webhook', target: { url: hook.url(), secret: 'reform-secret-0123456789' } }, clock.now().toISOString());
    for (let i = 0; i < 30; i += 1) {
      await notify({ key: `R${i}`, kind: 'actionRequired', recipientRole: 'reform', unit: null, params });
    }
    const [a, b] = await Promise.all([dispatcher({ batchSize: 100 }).runOnce(), dispatcher({ batchSize: 100 }).runOnce()]);
    expect(a.sent + b.sent).toBe(30);
    expect(hook.received).toHaveLength(30);
    expect(new Set(hook.received.map((r) => r.headers['idempotency-key'])).size).toBe(30);
  });
});
