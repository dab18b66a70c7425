import { ConfigError, loadConfig } from './app-config';

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
  });

  it('reads mutual TLS only as a whole, naming the missing files', () => {
    expect(() => loadConfig({ ...base, TEMPORAL_TLS_CA_FILE: '/tls/ca.pem' })).toThrow(/TEMPORAL_TLS_CERT_FILE is required[\s\S]*TEMPORAL_TLS_KEY_FILE is required/);
    const config = loadConfig({ ...base, TEMPORAL_TLS_CA_FILE: '/tls/ca.pem', TEMPORAL_TLS_CERT_FILE: '/tls/client.pem', TEMPORAL_TLS_KEY_FILE: '/tls/client-key.pem' });
    expect(config.temporal.tls).toEqual({ caFile: '/tls/ca.pem', certFile: '/tls/client.pem', keyFile: '/tls/client-key.pem', serverName: null });
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

  it('requires a real signing key in production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow('JWT_SECRET is required');
    expect(() => loadConfig({ ...base, JWT_SECRET: 'short' })).toThrow('at least 16 characters');
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
