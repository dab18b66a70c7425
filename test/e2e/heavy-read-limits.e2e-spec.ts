import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApiApp } from '../../apps/api/src/app.factory';
import { loginAll, type DemoName } from '../support/demo-users';
import type { ApiClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

describe('rate limit of the heavy reads (RATE_LIMIT_HEAVY_READS=3/60s)', () => {
  let stack: TestStack;
  let second: NestExpressApplication | null = null;
  let u: Record<DemoName, ApiClient>;
  let elsewhere: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack({ withoutWorker: true, env: { RATE_LIMIT_HEAVY_READS: '3/60s' } });
    u = await loginAll(stack.baseUrl, ['elena', 'lucia', 'admin']);
    // A second API process on the same database, as behind a load balancer.
    second = await createApiApp(stack.config);
    await second.listen(0, '127.0.0.1');
    const { port } = second.getHttpServer().address() as { port: number };
    elsewhere = u.elena.withBaseUrl(`http://127.0.0.1:${port}/api/v1`);
  });

  afterAll(async () => {
    await second?.close();
    await stack?.stop();
  });

  it('answers 429 problem+json with Retry-After once a user spent the budget, over every heavy read and every API process', async () => {
    expect((await u.elena.get('/reports/portfolio')).status).toBe(200);
    expect((await elsewhere.get('/outcomes/export.csv')).status).toBe(200);
    expect((await u.elena.get('/outcomes/verdicts.csv')).status).toBe(200);
    for (const refused of [await u.elena.get('/reports/portfolio'), await elsewhere.get('/outcomes/export.csv')]) {
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', detail: expect.stringContaining('at most 3 every 60 s') });
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Light reads are not limited, and other users have budgets of their own.
    expect((await u.elena.get('/outcomes')).status).toBe(200);
    expect((await u.lucia.get('/reports/portfolio')).status).toBe(200);
    expect((await u.lucia.get('/audit/verify')).status).toBe(200);
  });

  it('limits GET /audit/verify as a heavy read', async () => {
    for (let i = 0; i < 3; i += 1) expect((await u.admin.get('/audit/verify')).status).toBe(200);
    expect((await u.admin.get('/audit/verify')).status).toBe(429);
  });

  it('documents the 429 on the throttled routes only', async () => {
    const paths = (await u.lucia.get('/docs-json')).body.paths as Record<string, { get?: { responses: Record<string, unknown> } }>;
    for (const path of ['/api/v1/reports/portfolio', '/api/v1/outcomes/export.csv', '/api/v1/outcomes/verdicts.csv', '/api/v1/audit/verify']) {
      expect({ path, has429: '429' in (paths[path].get?.responses ?? {}) }).toEqual({ path, has429: true });
    }
    expect('429' in (paths['/api/v1/outcomes'].get?.responses ?? {})).toBe(false);
  });
});
