import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { TokenService } from '../../libs/auth';
import { testSigningKeyFile } from '../support/audit-key';
import { eventually } from '../support/http-client';
import { freePort } from '../support/process-stack';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testEnvironment } from '../support/test-env';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');

interface App {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * The built processes (`dist/apps/*`, as `npm start` and the Docker images run them) with
 * NODE_ENV=production refuse what anyone can read in this repository, and outside production no
 * constant key signs tokens any more: a token forged with the old development default is refused.
 */
describe('production mode ships nothing known', () => {
  let database: TestDatabase;
  const running: ChildProcess[] = [];
  const ownSecret = randomBytes(48).toString('base64url');
  const codecKeys = testEnvironment().temporalEnv.TEMPORAL_CODEC_KEYS ?? `k1:${randomBytes(32).toString('base64')}`;
  const signingKeyFile = testSigningKeyFile();

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await database?.drop();
  });

  async function start(app: 'api' | 'worker', env: Record<string, string>): Promise<App & { port: number }> {
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, `dist/apps/${app}/src/main.js`)], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: testEnvironment().temporalAddress,
        ...testEnvironment().temporalEnv,
        TEMPORAL_TASK_QUEUE: `production-${randomBytes(4).toString('hex')}`,
        AUDIT_SIGNING_KEY_FILE: signingKeyFile,
        MAIL_DISABLED: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, output: () => output, exited, port };
  }

  async function healthy(app: App & { port: number }): Promise<string> {
    const base = `http://127.0.0.1:${app.port}/api/v1`;
    await eventually(async () => (app.child.exitCode !== null ? Promise.reject(new Error(`the API exited:\n${app.output()}`)) : (await fetch(`${base}/health`).catch(() => null))?.status === 200 || undefined), {
      timeoutMs: 60_000,
      what: 'the API to be healthy',
    });
    return base;
  }

  async function stop(app: App): Promise<void> {
    app.child.kill('SIGTERM');
    await app.exited;
  }

  const meStatus = async (base: string, token: string): Promise<number> => (await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  it.each([
    ['api', 'change-me-to-a-long-random-secret'],
    ['worker', 'change-me-to-a-long-random-secret'],
    ['api', 'dev-only-insecure-secret-change-me'],
  ] as const)('the %s refuses the published JWT_SECRET "%s", naming it, and exits', async (app, secret) => {
    const child = await start(app, { NODE_ENV: 'production', JWT_SECRET: secret, TEMPORAL_CODEC_KEYS: codecKeys });
    expect(await child.exited).toBe(1);
    expect(child.output()).toContain('JWT_SECRET is a value published in the repository');
  });

  it('the API refuses a short JWT_SECRET, a missing TEMPORAL_CODEC_KEYS and a missing AUDIT_SIGNING_KEY_FILE, naming each', async () => {
    const api = await start('api', { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(31), TEMPORAL_CODEC_KEYS: '', AUDIT_SIGNING_KEY_FILE: '' });
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain('JWT_SECRET must be at least 32 bytes when NODE_ENV=production');
    expect(api.output()).toContain('TEMPORAL_CODEC_KEYS is required when NODE_ENV=production');
    expect(api.output()).toContain('AUDIT_SIGNING_KEY_FILE is required when NODE_ENV=production');
  });

  it('with its own secret and codec key the API serves, and refuses a token forged with the old development default', async () => {
    const api = await start('api', { NODE_ENV: 'production', JWT_SECRET: ownSecret, TEMPORAL_CODEC_KEYS: codecKeys });
    const base = await healthy(api);
    const forged = await new TokenService('dev-only-insecure-secret-change-me', 'appraise', 3600).sign(await userId('ana.torres@minsal.example'));
    expect(await meStatus(base, forged)).toBe(401);
    expect(await meStatus(base, await new TokenService(ownSecret, 'appraise', 3600).sign(await userId('ana.torres@minsal.example')))).toBe(200);
    // The sign-in page names no demo password: production has no demo accounts.
    expect(await (await fetch(`${base}/auth/options`)).json()).toEqual({ localLogin: true, demoAccounts: null });
    await stop(api);
  });

  it('outside production, an API started without JWT_SECRET signs with its own random key and says so', async () => {
    const api = await start('api', { NODE_ENV: 'development', LOG_LEVEL: 'info' });
    const base = await healthy(api);
    const forged = await new TokenService('dev-only-insecure-secret-change-me', 'appraise', 3600).sign(await userId('ana.torres@minsal.example'));
    expect(await meStatus(base, forged)).toBe(401);
    const login = await fetch(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ana.torres@minsal.example', password: 'demo-password' }) });
    expect(login.status).toBe(200);
    expect(await meStatus(base, ((await login.json()) as { accessToken: string }).accessToken)).toBe(200);
    expect(api.output()).toContain('JWT_SECRET is not set: tokens are signed with a random key of this process');
    const options = (await (await fetch(`${base}/auth/options`)).json()) as { localLogin: boolean; demoAccounts: { password: string; emails: string[] } | null };
    expect(options.demoAccounts?.password).toBe('demo-password');
    expect(options.demoAccounts?.emails).toContain('ana.torres@minsal.example');
    await stop(api);
  });

  async function userId(email: string): Promise<string> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email])).rows[0].id;
    } finally {
      await client.end();
    }
  }
});
