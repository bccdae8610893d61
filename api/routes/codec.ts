import type { PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { PayloadDecodeError } from '../../config/payload-codec';
import { problem } from '../problems';
import type { RouteSpec } from '../route-spec';

/**
 * The codec server protocol of the Temporal UI (and CLI): POST {payloads:[{metadata, data}]} with
 * base64 values to /codec/decode or /codec/encode. Only authorised roles see decoded project data.
 */
/** Strict base64: Buffer.from() would silently turn anything else into fewer (or no) bytes. */
const base64Schema = z.string().max(4_000_000).regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64');
const jsonPayloadSchema = z.object({ metadata: z.record(z.string().max(200), base64Schema).default({}), data: base64Schema.default('') }).strict();
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
    handler: async ({ body }) => {
      const payloads = body.payloads.map(fromJson);
      const out: ReturnType<typeof toJson>[] = [];
      // One at a time, so a payload that cannot be decrypted is named by its place in the request.
      for (const [index, payload] of payloads.entries()) {
        try {
          out.push(...(await codec[direction]([payload])).map(toJson));
        } catch (error) {
          if (error instanceof PayloadDecodeError) throw problem.field(`/body/payloads/${index}`, `payload ${index} cannot be decoded: ${error.message}`);
          throw error;
        }
      }
      return { payloads: out };
    },
  });
  return [route('decode'), route('encode')];
}
