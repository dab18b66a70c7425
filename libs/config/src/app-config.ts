import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { isPublishedSecret } from './published-secrets';

/**
 * The one place that reads the environment. Every process parses its configuration once at
 * start-up with `loadConfig`; everything else receives the typed result.
 */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  databaseUrl: string;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** How long the API waits for the engine to accept a command before answering 503. */
    commandTimeoutMs: number;
    /** Mutual TLS to the frontend; null talks plain gRPC (the development engine on loopback). */
    tls: TemporalTlsConfig | null;
    /** Payload encryption keys, newest first (the first encrypts); empty stores payloads as plain JSON. */
    codecKeys: CodecKey[];
  };
  auth: {
    /** HS256 key of access tokens. */
    jwtSecret: string;
    /**
     * True when no JWT_SECRET was given (never in production): this process signs with a random
     * key of its own, so its tokens die with it and no other process accepts them.
     */
    jwtSecretEphemeral: boolean;
    jwtIssuer: string;
    tokenTtlSeconds: number;
    /** Failures of one e-mail from one address before each further one makes that pair wait. */
    loginFreeFailuresPerPair: number;
    /** The pair's first wait; it doubles with each further failure, up to the window. */
    loginPairDelaySeconds: number;
    loginMaxFailuresPerEmail: number;
    loginMaxFailuresPerAddress: number;
    loginWindowSeconds: number;
    /** Whether e-mail and password logins are offered (off when an identity provider replaces them). */
    localLogin: boolean;
    /** Set when tokens of an OpenID Connect provider are accepted. */
    oidc: {
      jwksUrl: string;
      issuer: string;
      audience: string;
      claims: { email: string; emailVerified: string; name: string; roles: string; agency: string; approvalLevel: string };
    } | null;
  };
  /** The demo accounts the database setup seeds; null in production, which never has them. */
  demoAccounts: { password: string } | null;
  corsOrigins: string[];
  /**
   * Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed; empty: the
   * client's address is the connection's, and the header is ignored.
   */
  trustProxy: string[];
  /** Per-user limit of the heavy reads (portfolio, exports, verification). */
  heavyReads: { limit: number; ttlSeconds: number };
  /**
   * Browser origins allowed to call the codec endpoint (POST /api/v1/codec/decode|encode), e.g. the
   * Temporal UI's; apart from CORS_ORIGINS, since only the admin's UI needs it.
   */
  codecCorsOrigins: string[];
  logLevel: LogLevel;
  audit: AuditConfig;
  mail: MailConfig;
}

/** The decision log's signed checkpoints (README "The decision log") and housekeeping. */
export interface AuditConfig {
  /** Ed25519 private key (PEM, PKCS#8) the worker signs checkpoints with; only the worker reads it. Null: no checkpoints (never in production). */
  signingKeyFile: string | null;
  /** The append-only copy of every checkpoint outside the database: beside the key unless given. */
  checkpointsFile: string | null;
  /** Sign once the head has moved this many records since the last checkpoint... */
  checkpointEveryRecords: number;
  /** ...or, when it moved at all, once this long has passed since the last checkpoint. */
  checkpointIntervalSeconds: number;
  /** Idempotency keys are kept this long, then purged. */
  idempotencyKeyTtlHours: number;
  /**
   * The ids of the public keys verifications may trust (AUDIT_TRUSTED_KEY_IDS); null trusts every
   * key the database lists. Pinned, a key someone added to the database is refused.
   */
  trustedKeyIds: string[] | null;
}

/** Where mail goes and how its links read (README "Mail"). */
export interface MailConfig {
  /** smtp:// or smtps:// URL of the server the worker sends through; null sends nothing (the outbox still fills). */
  smtpUrl: string | null;
  /** The From header, e.g. `Appraise <no-reply@appraise.gob.cl>`. */
  from: string;
  /** The domain of Message-IDs: the From address's. */
  messageIdDomain: string;
  /** Where people open the web interface; links in messages start here (no trailing slash). */
  publicBaseUrl: string;
  /** How often the worker looks for due messages. */
  dispatchIntervalMs: number;
}

export interface TemporalTlsConfig {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** The name in the frontend's certificate when it differs from the address's host. */
  serverName: string | null;
}

export interface CodecKey {
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * TEMPORAL_CODEC_KEYS (`id:base64key,...`, newest first). Each bad entry is added to `problems`;
 * without a list to add to, the first one throws. Tools that only need the keys read them here too.
 */
export function parseCodecKeys(raw: string | undefined, problems?: string[]): CodecKey[] {
  const found: string[] = [];
  const keys: CodecKey[] = [];
  for (const [index, entry] of (raw?.trim() ? raw.split(',').map((e) => e.trim()) : []).entries()) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) found.push(`TEMPORAL_CODEC_KEYS entry ${index + 1} must read <key id>:<base64 key>, the id of letters, digits, dot, dash or underscore`);
    else if (key.length !== 32) found.push(`TEMPORAL_CODEC_KEYS key "${id}" must be 32 bytes in base64 (AES-256), got ${key.length} bytes`);
    else if (keys.some((k) => k.id === id)) found.push(`TEMPORAL_CODEC_KEYS names key "${id}" twice`);
    else keys.push({ id, key });
  }
  if (found.length && !problems) throw new ConfigError(found);
  problems?.push(...found);
  return keys;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const str = (key: string, fallback?: string): string => {
    const value = env[key]?.trim();
    if (value) return value;
    if (fallback === undefined) problems.push(`${key} is required`);
    return fallback ?? '';
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = env[key]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const bool = (key: string, fallback: boolean): boolean => {
    const raw = env[key]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${key} must be true or false, got "${env[key]}"`);
    return fallback;
  };
  const oidcConfig = (): AppConfig['auth']['oidc'] => {
    const jwksUrl = env.OIDC_JWKS_URL?.trim();
    if (!jwksUrl) return null;
    try {
      new URL(jwksUrl);
    } catch {
      problems.push(`OIDC_JWKS_URL must be a URL, got "${jwksUrl}"`);
    }
    return {
      jwksUrl,
      issuer: str('OIDC_ISSUER'),
      audience: str('OIDC_AUDIENCE'),
      claims: {
        email: str('OIDC_EMAIL_CLAIM', 'email'),
        emailVerified: str('OIDC_EMAIL_VERIFIED_CLAIM', 'email_verified'),
        name: str('OIDC_NAME_CLAIM', 'name'),
        roles: str('OIDC_ROLES_CLAIM', 'roles'),
        agency: str('OIDC_AGENCY_CLAIM', 'agency'),
        approvalLevel: str('OIDC_APPROVAL_LEVEL_CLAIM', 'approval_level'),
      },
    };
  };

  const temporalTls = (): TemporalTlsConfig | null => {
    const files = { caFile: 'TEMPORAL_TLS_CA_FILE', certFile: 'TEMPORAL_TLS_CERT_FILE', keyFile: 'TEMPORAL_TLS_KEY_FILE' } as const;
    const given = Object.values(files).filter((key) => env[key]?.trim());
    if (given.length === 0) return null;
    if (given.length < 3) {
      for (const key of Object.values(files)) if (!env[key]?.trim()) problems.push(`${key} is required with ${given.join(' and ')} (mutual TLS needs the CA, the client certificate and its key)`);
      return null;
    }
    return { caFile: str(files.caFile), certFile: str(files.certFile), keyFile: str(files.keyFile), serverName: env.TEMPORAL_TLS_SERVER_NAME?.trim() || null };
  };
  const origins = (key: string): string[] => {
    const list = (env[key] ?? '').split(',').map((o) => o.trim()).filter(Boolean);
    for (const origin of list) {
      let parsed: URL | null = null;
      try {
        parsed = new URL(origin);
      } catch {
        // named below
      }
      if (!parsed || parsed.origin !== origin) problems.push(`${key} entries must be origins such as https://temporal.example.gob.cl (scheme, host and port only), got "${origin}"`);
    }
    return list;
  };

  const proxies = (key: string): string[] => {
    const list = (env[key] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    for (const entry of list) {
      const [address, prefix, ...rest] = entry.split('/');
      const version = isIP(address);
      const bits = version === 4 ? 32 : 128;
      const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
      if (!version || !prefixOk || rest.length) problems.push(`${key} entries must be IP addresses or CIDR ranges such as 10.0.0.5 or 10.0.0.0/8, got "${entry}"`);
    }
    return list;
  };
  const rate = (key: string, fallback: { limit: number; ttlSeconds: number }): { limit: number; ttlSeconds: number } => {
    const raw = env[key]?.trim();
    if (!raw) return fallback;
    const match = /^(\d{1,9})\/(\d{1,7})s$/.exec(raw);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
      problems.push(`${key} must read <requests>/<seconds>s, e.g. 30/60s, got "${raw}"`);
      return fallback;
    }
    return { limit: Number(match[1]), ttlSeconds: Number(match[2]) };
  };

  const nodeEnv = str('NODE_ENV', 'development');
  const production = nodeEnv === 'production';
  // Production ships nothing known: a signing key of its own, long enough, and not one anyone can
  // read in this repository. Elsewhere there is no constant to fall back on either: `npm start`
  // generates a key per DATA_DIR, and a process started without one signs with a random key.
  const givenJwtSecret = env.JWT_SECRET?.trim() ?? '';
  const jwtSecret = givenJwtSecret || randomBytes(32).toString('base64url');
  if (production) {
    const bytes = Buffer.byteLength(givenJwtSecret);
    if (!givenJwtSecret) problems.push('JWT_SECRET is required when NODE_ENV=production (at least 32 bytes, e.g. `openssl rand -base64 48`)');
    else if (bytes < 32) problems.push(`JWT_SECRET must be at least 32 bytes when NODE_ENV=production, got ${bytes}`);
    if (isPublishedSecret(givenJwtSecret)) problems.push('JWT_SECRET is a value published in the repository (libs/config/src/published-secrets.ts): generate one of your own');
  } else if (givenJwtSecret && givenJwtSecret.length < 16) {
    problems.push('JWT_SECRET must be at least 16 characters');
  }
  // Proposal data, decisions and personal data reach Temporal's history only encrypted.
  const temporalCodecKeys = parseCodecKeys(env.TEMPORAL_CODEC_KEYS, problems);
  if (production && !env.TEMPORAL_CODEC_KEYS?.trim()) problems.push('TEMPORAL_CODEC_KEYS is required when NODE_ENV=production (<key id>:<32 random bytes in base64>, e.g. `k1:$(openssl rand -base64 32)`)');
  // The checkpoints' signing key lives outside the database; production must name it.
  const signingKeyFile = env.AUDIT_SIGNING_KEY_FILE?.trim() || null;
  if (production && !signingKeyFile) problems.push('AUDIT_SIGNING_KEY_FILE is required when NODE_ENV=production (an Ed25519 private key in PEM, e.g. `openssl genpkey -algorithm ed25519 -out audit-signing-key.pem`)');
  const checkpointsFile = env.AUDIT_CHECKPOINTS_FILE?.trim() || (signingKeyFile ? join(dirname(signingKeyFile), 'audit-checkpoints.ndjson') : null);
  const trustedKeyIds = env.AUDIT_TRUSTED_KEY_IDS?.trim() ? env.AUDIT_TRUSTED_KEY_IDS.split(',').map((id) => id.trim()).filter(Boolean) : null;
  for (const id of trustedKeyIds ?? []) if (!/^[0-9a-f]{16}$/.test(id)) problems.push(`AUDIT_TRUSTED_KEY_IDS must list key ids of 16 lower-case hex digits (as GET /audit/public-key shows them), separated by commas; got "${id}"`);
  const logLevel = str('LOG_LEVEL', 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const mailConfig = (port: number): MailConfig => {
    const smtpUrl = env.SMTP_URL?.trim() || null;
    const disabled = bool('MAIL_DISABLED', false);
    if (smtpUrl) {
      let parsed: URL | null = null;
      try {
        parsed = new URL(smtpUrl);
      } catch {
        // named below
      }
      if (!parsed || !['smtp:', 'smtps:'].includes(parsed.protocol) || !parsed.hostname) problems.push(`SMTP_URL must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example.gob.cl:587, got "${parsed ? `${parsed.protocol}//${parsed.host}` : 'an unparsable value'}"`);
    } else if (production && !disabled) {
      problems.push('SMTP_URL is required when NODE_ENV=production (smtp://user:password@host:587), unless MAIL_DISABLED=true');
    }
    const from = str('MAIL_FROM', 'Appraise <no-reply@appraise.localhost>');
    const address = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from)?.[1] ?? (/^[^<>\s]+@[^<>\s]+$/.test(from) ? from : null);
    if (!address) problems.push(`MAIL_FROM must be an address, optionally with a name (Appraise <no-reply@example.gob.cl>), got "${from}"`);
    const givenBase = env.PUBLIC_BASE_URL?.trim();
    if (!givenBase && production && smtpUrl) problems.push('PUBLIC_BASE_URL is required when NODE_ENV=production and mail is sent (the address people open the web interface at, e.g. https://appraise.example.gob.cl)');
    const publicBaseUrl = (givenBase || `http://localhost:${port}`).replace(/\/+$/, '');
    let baseOk = false;
    try {
      baseOk = ['http:', 'https:'].includes(new URL(publicBaseUrl).protocol);
    } catch {
      // named below
    }
    if (!baseOk) problems.push(`PUBLIC_BASE_URL must be an http(s) URL such as https://appraise.example.gob.cl, got "${publicBaseUrl}"`);
    return {
      smtpUrl: disabled ? null : smtpUrl,
      from,
      messageIdDomain: address?.split('@')[1] ?? 'appraise.localhost',
      publicBaseUrl,
      dispatchIntervalMs: int('MAIL_DISPATCH_INTERVAL_MS', 2_000, 100, 600_000),
    };
  };
  const port = int('PORT', 3000, 1, 65535);

  const config: AppConfig = {
    nodeEnv,
    port,
    databaseUrl: str('DATABASE_URL'),
    temporal: {
      address: str('TEMPORAL_ADDRESS', 'localhost:7233'),
      namespace: str('TEMPORAL_NAMESPACE', 'default'),
      taskQueue: str('TEMPORAL_TASK_QUEUE', 'appraise-evaluations'),
      commandTimeoutMs: int('TEMPORAL_COMMAND_TIMEOUT_MS', 10_000, 100, 300_000),
      tls: temporalTls(),
      codecKeys: temporalCodecKeys,
    },
    auth: {
      jwtSecret,
      jwtSecretEphemeral: !givenJwtSecret,
      jwtIssuer: str('JWT_ISSUER', 'appraise'),
      tokenTtlSeconds: int('JWT_TTL_SECONDS', 3600, 60, 7 * 24 * 3600),
      loginFreeFailuresPerPair: int('LOGIN_FREE_FAILURES_PER_PAIR', 3, 1, 1000),
      loginPairDelaySeconds: int('LOGIN_PAIR_DELAY_SECONDS', 15, 1, 3600),
      loginMaxFailuresPerEmail: int('LOGIN_MAX_FAILURES_PER_EMAIL', 50, 1, 100_000),
      loginMaxFailuresPerAddress: int('LOGIN_MAX_FAILURES_PER_ADDRESS', 30, 1, 100_000),
      loginWindowSeconds: int('LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
      localLogin: bool('AUTH_LOCAL_LOGIN', true),
      oidc: oidcConfig(),
    },
    demoAccounts: production ? null : { password: str('DEMO_PASSWORD', 'demo-password') },
    corsOrigins: origins('CORS_ORIGINS'),
    trustProxy: proxies('TRUST_PROXY'),
    heavyReads: rate('RATE_LIMIT_HEAVY_READS', { limit: 30, ttlSeconds: 60 }),
    codecCorsOrigins: origins('CODEC_CORS_ORIGINS'),
    logLevel,
    audit: {
      signingKeyFile,
      checkpointsFile,
      checkpointEveryRecords: int('AUDIT_CHECKPOINT_EVERY_RECORDS', 1000, 1, 10_000_000),
      checkpointIntervalSeconds: int('AUDIT_CHECKPOINT_INTERVAL_SECONDS', 3600, 1, 7 * 86_400),
      idempotencyKeyTtlHours: int('IDEMPOTENCY_KEY_TTL_HOURS', 24, 1, 24 * 365),
      trustedKeyIds,
    },
    mail: mailConfig(port),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
