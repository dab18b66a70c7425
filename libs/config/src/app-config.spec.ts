import { ConfigError, loadConfig } from './app-config';
import { PUBLISHED_SECRETS } from './published-secrets';

describe('loadConfig', () => {
  const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db' };

  it('applies the documented defaults', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(3000);
    expect(config.temporal).toEqual({
      address: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'appraise-evaluations',
      commandTimeoutMs: 10_000,
      tls: null,
      codecKeys: [],
    });
    expect(config.corsOrigins).toEqual([]);
    expect(config.trustProxy).toEqual([]);
    expect(config.heavyReads).toEqual({ limit: 30, ttlSeconds: 60 });
    expect(config.auth).toMatchObject({ loginFreeFailuresPerPair: 3, loginPairDelaySeconds: 15, loginMaxFailuresPerEmail: 50, loginMaxFailuresPerAddress: 30, loginWindowSeconds: 900 });
  });

  it('reads the trusted proxies as addresses and CIDR ranges, naming a bad entry', () => {
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.5, 10.1.0.0/16, ::1, fd00::/8' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', '::1', 'fd00::/8']);
    for (const bad of ['proxy.example', '10.0.0.0/33', '10.0.0.1/8/8', 'loopback']) {
      expect(() => loadConfig({ ...base, TRUST_PROXY: bad })).toThrow(`TRUST_PROXY entries must be IP addresses or CIDR ranges such as 10.0.0.5 or 10.0.0.0/8, got "${bad}"`);
    }
  });

  it('reads the heavy reads\' rate limit as requests per seconds', () => {
    expect(loadConfig({ ...base, RATE_LIMIT_HEAVY_READS: '5/10s' }).heavyReads).toEqual({ limit: 5, ttlSeconds: 10 });
    for (const bad of ['30', '30/60', '0/60s', '30/0s', 'many']) {
      expect(() => loadConfig({ ...base, RATE_LIMIT_HEAVY_READS: bad })).toThrow(`RATE_LIMIT_HEAVY_READS must read <requests>/<seconds>s, e.g. 30/60s, got "${bad}"`);
    }
  });

  it('reads mutual TLS only as a whole, naming the missing files', () => {
    expect(() => loadConfig({ ...base, TEMPORAL_TLS_CA_FILE: '/tls/ca.pem' })).toThrow(/TEMPORAL_TLS_CERT_FILE is required[\s\S]*TEMPORAL_TLS_KEY_FILE is required/);
    const config = loadConfig({ ...base, TEMPORAL_TLS_CA_FILE: '/tls/ca.pem', TEMPORAL_TLS_CERT_FILE: '/tls/client.pem', TEMPORAL_TLS_KEY_FILE: '/tls/client-key.pem' });
    expect(config.temporal.tls).toEqual({ caFile: '/tls/ca.pem', certFile: '/tls/client.pem', keyFile: '/tls/client-key.pem', serverName: null });
  });

  it('reads an identity provider’s claim names, the verified e-mail’s included', () => {
    const oidc = { ...base, OIDC_JWKS_URL: 'https://idp.example/jwks', OIDC_ISSUER: 'https://idp.example', OIDC_AUDIENCE: 'appraise' };
    expect(loadConfig(base).auth.oidc).toBeNull();
    expect(loadConfig(oidc).auth.oidc?.claims).toEqual({ email: 'email', emailVerified: 'email_verified', name: 'name', roles: 'roles', agency: 'agency', approvalLevel: 'approval_level' });
    expect(loadConfig({ ...oidc, OIDC_EMAIL_VERIFIED_CLAIM: 'gob.email_ok' }).auth.oidc?.claims.emailVerified).toBe('gob.email_ok');
  });

  it('reads codec keys newest first and names a bad one', () => {
    const key = (byte: number, length = 32) => Buffer.alloc(length, byte).toString('base64');
    const config = loadConfig({ ...base, TEMPORAL_CODEC_KEYS: `k2:${key(2)}, k1:${key(1)}` });
    expect(config.temporal.codecKeys.map((k) => [k.id, k.key[0]])).toEqual([['k2', 2], ['k1', 1]]);
    expect(() => loadConfig({ ...base, TEMPORAL_CODEC_KEYS: `short:${key(1, 16)}` })).toThrow('TEMPORAL_CODEC_KEYS key "short" must be 32 bytes in base64 (AES-256), got 16 bytes');
    expect(() => loadConfig({ ...base, TEMPORAL_CODEC_KEYS: `a:${key(1)},a:${key(2)}` })).toThrow('names key "a" twice');
    expect(() => loadConfig({ ...base, TEMPORAL_CODEC_KEYS: key(1) })).toThrow('entry 1 must read <key id>:<base64 key>');
  });

  it('names every bad key at once', () => {
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          'DATABASE_URL is required',
          'PORT must be an integer from 1 to 65535, got "eighty"',
          'LOG_LEVEL must be one of debug, info, warn, error',
        ]),
      );
    }
  });

  describe('in production', () => {
    const strong = 'a-deployment-own-signing-key-of-48-bytes-000000000';
    const codec = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    const production = { ...base, NODE_ENV: 'production', JWT_SECRET: strong, TEMPORAL_CODEC_KEYS: codec, AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-signing-key.pem', SMTP_URL: 'smtp://mail.example.gob.cl:587', PUBLIC_BASE_URL: 'https://appraise.example.gob.cl' };
    const problemsOf = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.problems;
      }
    };

    it('needs a mail server, or mail disabled on purpose, and the address people open', () => {
      const { SMTP_URL: _smtp, ...withoutSmtp } = production;
      expect(problemsOf(withoutSmtp)).toEqual([expect.stringMatching(/^SMTP_URL is required when NODE_ENV=production/)]);
      expect(loadConfig({ ...withoutSmtp, MAIL_DISABLED: 'true' }).mail.smtpUrl).toBeNull();
      const { PUBLIC_BASE_URL: _base, ...withoutBase } = production;
      expect(problemsOf(withoutBase)).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL is required when NODE_ENV=production/)]);
      expect(problemsOf({ ...production, SMTP_URL: 'http://mail.example.gob.cl' })).toEqual([expect.stringMatching(/^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/)]);
      expect(problemsOf({ ...production, MAIL_FROM: 'nobody' })).toEqual([expect.stringMatching(/^MAIL_FROM must be an address/)]);
      expect(loadConfig({ ...production, MAIL_FROM: 'Appraise <avisos@digital.gob.cl>' }).mail).toMatchObject({ messageIdDomain: 'digital.gob.cl', publicBaseUrl: 'https://appraise.example.gob.cl' });
    });

    it('starts with a signing key of its own and a codec key, and no demo accounts', () => {
      const config = loadConfig(production);
      expect(config.auth).toMatchObject({ jwtSecret: strong, jwtSecretEphemeral: false });
      expect(config.temporal.codecKeys.map((k) => k.id)).toEqual(['k1']);
      expect(config.demoAccounts).toBeNull();
      expect(loadConfig({ ...production, DEMO_PASSWORD: 'demo-password' }).demoAccounts).toBeNull();
    });

    it('refuses a missing, short or published JWT_SECRET, naming it', () => {
      expect(problemsOf({ ...production, JWT_SECRET: '' })).toEqual([expect.stringMatching(/^JWT_SECRET is required when NODE_ENV=production/)]);
      expect(problemsOf({ ...production, JWT_SECRET: 'x'.repeat(31) })).toEqual(['JWT_SECRET must be at least 32 bytes when NODE_ENV=production, got 31']);
      // Bytes, not characters: 16 two-byte characters are 32 bytes.
      expect(problemsOf({ ...production, JWT_SECRET: 'ñ'.repeat(16) })).toEqual([]);
      for (const published of PUBLISHED_SECRETS) {
        expect(problemsOf({ ...production, JWT_SECRET: published })).toContain(
          'JWT_SECRET is a value published in the repository (libs/config/src/published-secrets.ts): generate one of your own',
        );
      }
      expect(problemsOf({ ...production, JWT_SECRET: ' change-me-to-a-long-random-secret ' })).toHaveLength(1);
    });

    it('refuses a missing TEMPORAL_CODEC_KEYS, naming it with the JWT_SECRET at once', () => {
      const { TEMPORAL_CODEC_KEYS: _codec, ...withoutCodec } = production;
      expect(problemsOf(withoutCodec)).toEqual([expect.stringMatching(/^TEMPORAL_CODEC_KEYS is required when NODE_ENV=production/)]);
      expect(problemsOf({ ...withoutCodec, JWT_SECRET: 'dev-only-insecure-secret-change-me' })).toEqual([
        expect.stringMatching(/^JWT_SECRET is a value published/),
        expect.stringMatching(/^TEMPORAL_CODEC_KEYS is required/),
      ]);
    });
  });

  describe('the audit signing key', () => {
    it('is required in production, named; its checkpoints file lies beside it unless given', () => {
      const production = { ...base, NODE_ENV: 'production', JWT_SECRET: 'a-deployment-own-signing-key-of-48-bytes-000000000', TEMPORAL_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`, MAIL_DISABLED: 'true' };
      expect(() => loadConfig(production)).toThrow(/AUDIT_SIGNING_KEY_FILE is required when NODE_ENV=production/);
      expect(loadConfig({ ...production, AUDIT_SIGNING_KEY_FILE: '/keys/audit.pem' }).audit).toMatchObject({ signingKeyFile: '/keys/audit.pem', checkpointsFile: '/keys/audit-checkpoints.ndjson' });
      expect(loadConfig({ ...base, AUDIT_SIGNING_KEY_FILE: '/keys/audit.pem', AUDIT_CHECKPOINTS_FILE: '/log/cp.ndjson' }).audit.checkpointsFile).toBe('/log/cp.ndjson');
      expect(loadConfig(base).audit).toMatchObject({ signingKeyFile: null, checkpointsFile: null, checkpointEveryRecords: 1000, checkpointIntervalSeconds: 3600, idempotencyKeyTtlHours: 24 });
    });

    it('names a bad checkpoint setting', () => {
      expect(() => loadConfig({ ...base, AUDIT_CHECKPOINT_EVERY_RECORDS: '0' })).toThrow(/AUDIT_CHECKPOINT_EVERY_RECORDS must be an integer from 1/);
      expect(() => loadConfig({ ...base, AUDIT_TRUSTED_KEY_IDS: '0123456789abcdef,not-a-key-id' })).toThrow(/AUDIT_TRUSTED_KEY_IDS must list key ids of 16 lower-case hex digits.*"not-a-key-id"/);
      expect(loadConfig({ ...base, AUDIT_TRUSTED_KEY_IDS: ' 0123456789abcdef , fedcba9876543210 ' }).audit.trustedKeyIds).toEqual(['0123456789abcdef', 'fedcba9876543210']);
      expect(loadConfig(base).audit.trustedKeyIds).toBeNull();
    });
  });

  describe('outside production', () => {
    it('has no constant signing key: without JWT_SECRET each process draws its own', () => {
      const first = loadConfig(base).auth;
      const second = loadConfig(base).auth;
      expect(first.jwtSecretEphemeral).toBe(true);
      expect(Buffer.from(first.jwtSecret, 'base64url')).toHaveLength(32);
      expect(first.jwtSecret).not.toEqual(second.jwtSecret);
      expect(PUBLISHED_SECRETS).not.toContain(first.jwtSecret);
    });

    it('takes the JWT_SECRET given, at least 16 characters, and seeds the demo accounts', () => {
      const config = loadConfig({ ...base, JWT_SECRET: 'test-secret-of-enough-length' });
      expect(config.auth).toMatchObject({ jwtSecret: 'test-secret-of-enough-length', jwtSecretEphemeral: false });
      expect(config.demoAccounts).toEqual({ password: 'demo-password' });
      expect(loadConfig({ ...base, DEMO_PASSWORD: 'another-password' }).demoAccounts).toEqual({ password: 'another-password' });
      expect(() => loadConfig({ ...base, JWT_SECRET: 'short' })).toThrow('JWT_SECRET must be at least 16 characters');
    });
  });

  it('splits CORS origins', () => {
    expect(loadConfig({ ...base, CORS_ORIGINS: 'https://a.gob.cl, https://b.gob.cl' }).corsOrigins).toEqual([
      'https://a.gob.cl',
      'https://b.gob.cl',
    ]);
  });

  it('reads the codec endpoint\'s origins apart, and names one that is not an origin', () => {
    const config = loadConfig({ ...base, CODEC_CORS_ORIGINS: 'https://temporal.gob.cl, http://localhost:8233' });
    expect(config.codecCorsOrigins).toEqual(['https://temporal.gob.cl', 'http://localhost:8233']);
    expect(config.corsOrigins).toEqual([]);
    expect(() => loadConfig({ ...base, CODEC_CORS_ORIGINS: 'https://temporal.gob.cl/' })).toThrow('CODEC_CORS_ORIGINS entries must be origins');
    expect(() => loadConfig({ ...base, CORS_ORIGINS: '*' })).toThrow('CORS_ORIGINS entries must be origins');
  });
});
