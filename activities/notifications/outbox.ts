import { z } from 'zod';
import type { Kysely } from 'kysely';
import { roleSchema } from '../../domain/records';
import type { Database } from '../storage/schema';
import { channelSchema, channelTargetSchemas } from './channels';
import { localeSchema, messageKindSchema, messageParamsSchema, renderMessage, type Locale } from './messages';

/**
 * Who gets what: routes per role, optionally per unit. A unit's own route wins over the role's
 * catch-all ('*'); a role with no route gets the log channel, so no message ever goes nowhere.
 */
export const notificationRouteSchema = z
  .object({
    routeId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, ".", "_" or "-"'),
    role: roleSchema,
    unit: z.string().min(1).default('*'),
    channel: channelSchema,
    target: z.unknown(),
    locale: localeSchema.default('zh-CN'),
  })
  .superRefine((route, ctx) => {
    const result = channelTargetSchemas[route.channel].safeParse(route.target ?? {});
    for (const issue of result.error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', path: ['target', ...issue.path.map(String)], message: issue.message });
    }
  });
export type NotificationRoute = z.input<typeof notificationRouteSchema>;

export async function saveRoute(db: Kysely<Database>, input: NotificationRoute, updatedAt: string): Promise<void> {
  const route = notificationRouteSchema.parse(input);
  const row = {
    role: route.role,
    unit: route.unit,
    channel: route.channel,
    target: JSON.stringify(route.target ?? {}),
    locale: route.locale,
    updated_at: updatedAt,
  };
  await db
    .insertInto('notification_routes')
    .values({ route_id: route.routeId, ...row })
    .onConflict((oc) => oc.column('route_id').doUpdateSet(row))
    .execute();
}

export const notificationRequestSchema = z.object({
  /** Business key of the message (e.g. `${workflowId}:review:3:reminder`); one delivery per route. */
  key: z.string().min(1).max(300),
  kind: messageKindSchema,
  recipientRole: roleSchema,
  unit: z.string().nullable().default(null),
  params: messageParamsSchema,
  /** Earliest delivery (ISO instant); default now. */
  notBefore: z.iso.datetime({ offset: true }).optional(),
});
export type NotificationRequest = z.input<typeof notificationRequestSchema>;

/**
 * Puts a message in the outbox, one row per route, keyed `${key}@${routeId}`. Inserting an existing
 * key does nothing, so an activity retried after a crash enqueues nothing twice.
 */
export async function enqueueNotification(db: Kysely<Database>, input: NotificationRequest, now: Date): Promise<{ keys: string[] }> {
  const request = notificationRequestSchema.parse(input);
  const routes = await db
    .selectFrom('notification_routes')
    .selectAll()
    .where('role', '=', request.recipientRole)
    .where('unit', 'in', request.unit ? [request.unit, '*'] : ['*'])
    .execute();
  const ownUnit = routes.filter((route) => route.unit !== '*');
  const chosen = ownUnit.length > 0 ? ownUnit : routes;
  const deliveries = chosen.length > 0
    ? chosen.map((route) => ({ routeId: route.route_id, channel: route.channel, target: route.target, locale: route.locale as Locale }))
    : [{ routeId: 'log', channel: 'log', target: '{}', locale: 'zh-CN' as Locale }];

  const createdAt = now.toISOString();
  const rows = deliveries.map((delivery) => {
    const rendered = renderMessage(request.kind, delivery.locale, request.params);
    return {
      idempotency_key: `${request.key}@${delivery.routeId}`,
      kind: request.kind,
      channel: delivery.channel,
      target: delivery.target,
      recipient_role: request.recipientRole,
      unit: request.unit,
      locale: delivery.locale,
      subject: rendered.subject,
      body: rendered.body,
      project_id: request.params.projectId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: request.notBefore ?? createdAt,
      lease_until: null,
      created_at: createdAt,
      sent_at: null,
      last_error: null,
    };
  });
  await db
    .insertInto('notification_outbox')
    .values(rows)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  return { keys: rows.map((row) => row.idempotency_key) };
}
