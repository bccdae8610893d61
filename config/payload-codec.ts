import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';

/**
 * Encrypts every payload (workflow inputs, results, activity arguments, update and query values)
 * with AES-256-GCM before it reaches Temporal, so the server's history holds no plaintext project or
 * money data. The key id travels in the payload's metadata: new payloads use the active key, and
 * payloads written under an older key stay readable as long as that key is listed (rotation).
 */
const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const utf8 = (text: string) => new TextEncoder().encode(text);

export const payloadKeysFileSchema = z.object({
  activeKeyId: z.string().min(1),
  /** Key id → base64 of 32 random bytes. */
  keys: z.record(z.string().min(1), z.string().refine((b64) => Buffer.from(b64, 'base64').length === 32, 'must be 32 bytes, base64')),
}).refine((file) => file.activeKeyId in file.keys, { message: 'activeKeyId must name one of the keys', path: ['activeKeyId'] });
export type PayloadKeysFile = z.infer<typeof payloadKeysFileSchema>;

/** A payload that cannot be decrypted, with what is wrong with it (never the key or the plaintext). */
export class PayloadDecodeError extends Error {
  readonly name = 'PayloadDecodeError';
}

/** 12-byte IV + at least the 16-byte tag. */
const MIN_SEALED_BYTES = 28;

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;

  constructor(private readonly file: PayloadKeysFile) {
    this.keys = new Map(Object.entries(file.keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')]));
  }

  static fromFile(path: string): AesGcmPayloadCodec {
    return new AesGcmPayloadCodec(payloadKeysFileSchema.parse(JSON.parse(readFileSync(path, 'utf8'))));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.file.activeKeyId;
    const key = this.keys.get(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: utf8(ENCODING), [KEY_ID]: utf8(keyId) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding ? new TextDecoder().decode(payload.metadata.encoding) : '';
      if (encoding !== ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID];
      if (!keyIdBytes || keyIdBytes.length === 0) throw new PayloadDecodeError(`it is marked ${ENCODING} but names no ${KEY_ID}`);
      const keyId = new TextDecoder().decode(keyIdBytes);
      const key = this.keys.get(keyId);
      if (!key) throw new PayloadDecodeError(`it was encrypted with key id "${keyId}", which is not in the payload keys file`);
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      if (sealed.length < MIN_SEALED_BYTES) throw new PayloadDecodeError(`its data has ${sealed.length} bytes, fewer than an encrypted payload's ${MIN_SEALED_BYTES}`);
      let plain: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
        decipher.setAuthTag(sealed.subarray(sealed.length - 16));
        plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
      } catch {
        throw new PayloadDecodeError(`it does not authenticate under key "${keyId}": the data or its tag was altered`);
      }
      try {
        return temporal.api.common.v1.Payload.decode(plain) as Payload;
      } catch {
        throw new PayloadDecodeError('its decrypted content is not a payload');
      }
    });
  }
}
