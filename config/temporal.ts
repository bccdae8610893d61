import { readFileSync } from 'node:fs';
import type { DataConverter } from '@temporalio/common';
import type { AppConfig } from './index';
import { AesGcmPayloadCodec } from './payload-codec';

/** Connection options shared by the worker (NativeConnection) and the API (Connection). */
export function temporalConnectionOptions(config: AppConfig) {
  const wantsTls =
    Boolean(config.TEMPORAL_TLS_CERT_PATH || config.TEMPORAL_TLS_CA_PATH || config.TEMPORAL_API_KEY);
  const tls = wantsTls
    ? {
        serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
        serverRootCACertificate: config.TEMPORAL_TLS_CA_PATH ? readFileSync(config.TEMPORAL_TLS_CA_PATH) : undefined,
        clientCertPair:
          config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH
            ? { crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH), key: readFileSync(config.TEMPORAL_TLS_KEY_PATH) }
            : undefined,
      }
    : undefined;
  return { address: config.TEMPORAL_ADDRESS, tls, apiKey: config.TEMPORAL_API_KEY };
}

/** The data converter: payload encryption when keys are configured, else Temporal's default. */
export function dataConverterFor(config: Pick<AppConfig, 'PAYLOAD_KEYS_FILE'>): DataConverter | undefined {
  return config.PAYLOAD_KEYS_FILE ? { payloadCodecs: [AesGcmPayloadCodec.fromFile(config.PAYLOAD_KEYS_FILE)] } : undefined;
}
