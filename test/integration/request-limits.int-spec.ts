import type { DataSource } from 'typeorm';
import { PostgresThrottlerStorage } from '../../apps/api/src/common/heavy-read';
import { LoginThrottle } from '../../libs/auth';
import { createDataSource, LoginFailuresRepository, RateLimitsRepository } from '../../libs/persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Two connection pools on one database: two API processes, as far as PostgreSQL can tell. */
describe('request limits in PostgreSQL, shared by API processes', () => {
  let database: TestDatabase;
  let pools: DataSource[];

  beforeAll(async () => {
    database = await createTestDatabase();
    pools = [createDataSource(database.url), createDataSource(database.url)];
    await Promise.all(pools.map((p) => p.initialize()));
  });

  afterAll(async () => {
    await Promise.all((pools ?? []).map((p) => p.destroy()));
    await database?.drop();
  });

  it('lets exactly the limit through when both processes count a burst at once', async () => {
    const storages = pools.map((p) => new PostgresThrottlerStorage(new RateLimitsRepository(p)));
    const records = await Promise.all(Array.from({ length: 50 }, (_, i) => storages[i % 2].increment('heavy-reads:user:burst', 60_000, 30, 60_000, 'heavy-reads')));
    expect(records.filter((r) => !r.isBlocked)).toHaveLength(30);
    expect(Math.max(...records.map((r) => r.totalHits))).toBe(50);
    const blocked = records.find((r) => r.isBlocked);
    expect(blocked?.timeToBlockExpire).toBeGreaterThan(55);
    expect(blocked?.timeToBlockExpire).toBeLessThanOrEqual(60);
  });

  it('starts a new window when the last one ended, and purges ended windows', async () => {
    const counters = new RateLimitsRepository(pools[0]);
    expect((await counters.hit('short', 50)).hits).toBe(1);
    expect((await counters.hit('short', 50)).hits).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await counters.hit('short', 50)).hits).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await counters.hit('long', 60_000);
    expect(await counters.purgeExpired()).toBeGreaterThanOrEqual(1);
    const keys = (await pools[0].query(`SELECT key FROM rate_limits ORDER BY key`)).map((r: { key: string }) => r.key);
    expect(keys).toEqual(['heavy-reads:user:burst', 'long']);
  });

  it('admits no more sign-in attempts than the limits allow when both processes check a burst at once', async () => {
    const limits = { freeFailuresPerPair: 3, pairDelaySeconds: 15, maxFailuresPerEmail: 50, maxFailuresPerAddress: 30, windowSeconds: 900 };
    const throttles = pools.map((p) => new LoginThrottle(limits, Date.now, new LoginFailuresRepository(p)));
    const attempts = await Promise.all(Array.from({ length: 30 }, (_, i) => throttles[i % 2].begin('ana@x', '10.0.0.1')));
    expect(attempts.filter((a) => a.retryAfterSeconds === 0)).toHaveLength(3);
    const rows = await pools[0].query(`SELECT key, count(*)::int AS n FROM login_failures GROUP BY key ORDER BY key`);
    expect(rows).toEqual([
      { key: 'address:10.0.0.1', n: 3 },
      { key: 'email:ana@x', n: 3 },
      { key: 'pair:ana@x|10.0.0.1', n: 3 },
    ]);
    await attempts.find((a) => a.retryAfterSeconds === 0)?.succeeded();
    expect(await pools[0].query(`SELECT key, count(*)::int AS n FROM login_failures GROUP BY key ORDER BY key`)).toEqual([
      { key: 'address:10.0.0.1', n: 2 },
      { key: 'email:ana@x', n: 2 },
    ]);
  });
});
