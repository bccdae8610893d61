import type { PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { RouteSpec } from '../route-spec';

/**
 * The codec server protocol of the Temporal UI (and CLI): POST {payloads:[{metadata, data}]} with
 * base64 values to /codec/decode or /codec/encode. Only authorised roles see decoded project data.
 */
const jsonPayloadSchema = z.object({ metadata: z.record(z.string(), z.string()).default({}), data: z.string().default('') });
const bodySchema = z.object({ payloads: z.array(jsonPayloadSchema).max(1000) }).strict();

const fromJson = (p: z.infer<typeof jsonPayloadSchema>) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});
const toJson = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export function codecRoutes(codec: PayloadCodec): RouteSpec[] {
  const route = (direction: 'encode' | 'decode'): RouteSpec => ({
    method: 'post',
    path: `/codec/${direction}`,
    summary: `${direction === 'decode' ? 'Decrypt' : 'Encrypt'} payloads for the Temporal UI/CLI (codec server)`,
    roles: ['auditor', 'admin', 'reviewOffice'],
    body: bodySchema,
    success: { status: 200, description: 'The payloads', schema: bodySchema },
    problems: { 422: 'Malformed payloads' },
    handler: async ({ body }) => ({ payloads: (await codec[direction](body.payloads.map(fromJson))).map(toJson) }),
  });
  return [route('decode'), route('encode')];
}
