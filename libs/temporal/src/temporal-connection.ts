import { readFileSync } from 'node:fs';
import type { DataConverter } from '@temporalio/common';
import type { CodecKey, TemporalTlsConfig } from '../../config';
import { EncryptionCodec } from './encryption.codec';

/** What every client and worker of Appraise needs to reach Temporal: the one place that builds it. */
export interface TemporalSecurity {
  address: string;
  tls: TemporalTlsConfig | null;
  codecKeys: CodecKey[];
}

export interface TemporalConnectionOptions {
  address: string;
  tls?: { serverRootCACertificate: Buffer; clientCertPair: { crt: Buffer; key: Buffer }; serverNameOverride?: string };
}

/** For `Connection` (client) and `NativeConnection` (worker) alike: the address and, when configured, mutual TLS. */
export function temporalConnectionOptions(settings: TemporalSecurity): TemporalConnectionOptions {
  const { tls } = settings;
  if (!tls) return { address: settings.address };
  return {
    address: settings.address,
    tls: {
      serverRootCACertificate: readFileSync(tls.caFile),
      clientCertPair: { crt: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
      ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    },
  };
}

/**
 * Payloads and failure messages encrypted with the newest key; every configured key decrypts.
 * Undefined without keys: payloads stay plain JSON, as before the codec.
 */
export function temporalDataConverter(settings: Pick<TemporalSecurity, 'codecKeys'>): DataConverter | undefined {
  if (settings.codecKeys.length === 0) return undefined;
  return {
    payloadCodecs: [new EncryptionCodec(settings.codecKeys)],
    failureConverterPath: require.resolve('./failure.converter'),
  };
}
