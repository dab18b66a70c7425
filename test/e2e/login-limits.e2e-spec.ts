import { Client } from 'pg';
import { DEMO_EMAILS } from '../support/demo-users';
import { ApiClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

const PASSWORD = 'demo-password';

/** A sign-in as it arrives through a proxy that names the client in X-Forwarded-For. */
function signIn(client: ApiClient, email: string, password: string, forwardedFor?: string) {
  return client.request('POST', '/auth/token', { email, password }, forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});
}

async function failureKeys(stack: TestStack): Promise<string[]> {
  const db = new Client({ connectionString: stack.database.url });
  await db.connect();
  try {
    return (await db.query<{ key: string }>(`SELECT DISTINCT key FROM login_failures ORDER BY key`)).rows.map((r) => r.key);
  } finally {
    await db.end();
  }
}

describe('login limits', () => {
  describe('reached directly (no TRUST_PROXY)', () => {
    let stack: TestStack;
    let anon: ApiClient;
    beforeAll(async () => {
      stack = await startTestStack({ withoutWorker: true });
      anon = new ApiClient(stack.baseUrl);
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it('evaluates only the free failures of a burst of 30 parallel wrong passwords', async () => {
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(anon, DEMO_EMAILS.olga, `guess-${i}`)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(27);
      const refused = results.find((r) => r.status === 429);
      expect(refused?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused?.body.code).toBe('RATE_LIMITED');
      expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
      // Even the right password waits its turn from that address.
      expect((await signIn(anon, DEMO_EMAILS.olga, PASSWORD)).status).toBe(429);
    });

    it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
      for (let i = 1; i <= 3; i += 1) expect((await signIn(anon, DEMO_EMAILS.diego, 'wrong', `203.0.113.${i}`)).status).toBe(401);
      expect((await signIn(anon, DEMO_EMAILS.diego, 'wrong', '198.51.100.9')).status).toBe(429);
      expect((await failureKeys(stack)).filter((k) => k.includes('203.0.113.'))).toEqual([]);
    });
  });

  describe('behind a trusted proxy (TRUST_PROXY)', () => {
    let stack: TestStack;
    let proxy: ApiClient;
    beforeAll(async () => {
      stack = await startTestStack({ withoutWorker: true, env: { TRUST_PROXY: '127.0.0.1,::1', LOGIN_MAX_FAILURES_PER_EMAIL: '10' } });
      proxy = new ApiClient(stack.baseUrl);
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it('counts the forwarded client address, not the proxy’s', async () => {
      expect((await signIn(proxy, 'nobody@nowhere.example', 'wrong', '192.0.2.44')).status).toBe(401);
      expect(await failureKeys(stack)).toEqual(expect.arrayContaining(['address:192.0.2.44', 'pair:nobody@nowhere.example|192.0.2.44']));
    });

    it('lets the owner sign in from their own address while others fail below the e-mail ceiling, then holds everyone at it', async () => {
      const email = DEMO_EMAILS.gabriela;
      for (let i = 1; i <= 9; i += 1) expect((await signIn(proxy, email, `guess-${i}`, `203.0.113.${i}`)).status).toBe(401);
      const own = await signIn(proxy, email, PASSWORD, '198.51.100.7');
      expect({ status: own.status, body: own.body }).toMatchObject({ status: 200 });
      // The tenth failure reaches the ceiling: from then on every address waits, the owner's too.
      expect((await signIn(proxy, email, 'guess-10', '203.0.113.10')).status).toBe(401);
      const held = await signIn(proxy, email, PASSWORD, '198.51.100.7');
      expect(held.status).toBe(429);
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(800);
    });
  });
});
