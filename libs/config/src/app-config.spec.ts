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
    });
    expect(config.corsOrigins).toEqual([]);
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
});
