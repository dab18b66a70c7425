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
 * The converters every client, worker and the prebuilt workflow bundle load by path (the worker
 * ignores a data converter's paths for a prebuilt bundle: tools/devstack/bundle-workflows.ts passes
 * these to the bundler). From the compiled dist they name the .js files; under Jest, the .ts sources.
 */
export const CONVERTER_PATHS = {
  payloadConverterPath: require.resolve('./payload.converter'),
  failureConverterPath: require.resolve('./failure.converter'),
} as const;

/**
 * Payloads and failure messages encrypted with the newest key; every configured key decrypts.
 * Without keys, payloads stay plain JSON as before the codec (failure messages move into their
 * encoded attributes, plain too).
 */
export function temporalDataConverter(settings: Pick<TemporalSecurity, 'codecKeys'>): DataConverter {
  return {
    ...CONVERTER_PATHS,
    payloadCodecs: settings.codecKeys.length ? [new EncryptionCodec(settings.codecKeys)] : [],
  };
}
