import { LoginThrottle, MemoryLoginFailureStore } from './login-throttle';

describe('LoginThrottle', () => {
  let clock = 0;
  const limits = { freeFailuresPerPair: 3, pairDelaySeconds: 15, maxFailuresPerEmail: 10, maxFailuresPerAddress: 20, windowSeconds: 900 };
  const throttle = (store = new MemoryLoginFailureStore()) => new LoginThrottle(limits, () => clock, store);
  /** One wrong password: the attempt's wait (0 when it was let through, and so counted). */
  const fail = async (t: LoginThrottle, email: string, address: string) => (await t.begin(email, address)).retryAfterSeconds;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('lets a pair fail a few times, then makes it wait longer after each further failure', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i += 1) expect(await fail(t, 'Ana@x', '10.0.0.1')).toBe(0);
    expect(await fail(t, 'ana@x', '10.0.0.1')).toBe(15);
    clock += 15_000;
    expect(await fail(t, 'ana@x', '10.0.0.1')).toBe(0);
    expect(await fail(t, 'ana@x', '10.0.0.1')).toBe(30);
    clock += 30_000;
    expect(await fail(t, 'ana@x', '10.0.0.1')).toBe(0);
    expect(await fail(t, 'ana@x', '10.0.0.1')).toBe(60);
  });

  it('does not let failures elsewhere lock the owner out of their own address, below the e-mail ceiling', async () => {
    const t = throttle();
    for (let i = 0; i < 9; i += 1) expect(await fail(t, 'ana@x', `203.0.113.${i}`)).toBe(0);
    const own = await t.begin('ana@x', '10.0.0.1');
    expect(own.retryAfterSeconds).toBe(0);
    await own.succeeded();
    // The right password was no failure: the ceiling still has one left.
    expect(await fail(t, 'ana@x', '203.0.113.50')).toBe(0);
    expect(await fail(t, 'ana@x', '10.0.0.1')).toBeGreaterThan(0);
  });

  it('stops every address at the e-mail ceiling, until the oldest failure leaves the window', async () => {
    const t = throttle();
    for (let i = 0; i < 10; i += 1) {
      expect(await fail(t, 'ana@x', `203.0.113.${i}`)).toBe(0);
      clock += 1000;
    }
    expect(await fail(t, 'ana@x', '10.0.0.1')).toBe(890);
    clock += 890_000;
    expect(await fail(t, 'ana@x', '10.0.0.1')).toBe(0);
  });

  it('stops an address trying many e-mails', async () => {
    const t = throttle();
    for (let i = 0; i < 20; i += 1) expect(await fail(t, `user${i}@x`, '10.0.0.9')).toBe(0);
    expect(await fail(t, 'someone@x', '10.0.0.9')).toBeGreaterThan(0);
    expect(await fail(t, 'someone@x', '10.0.0.8')).toBe(0);
  });

  it('forgets the pair’s failures after a right password, but not the e-mail’s from elsewhere', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i += 1) await fail(t, 'ana@x', '10.0.0.1');
    for (let i = 0; i < 4; i += 1) await fail(t, 'ana@x', `203.0.113.${i}`);
    clock += 15_000;
    await (await t.begin('ana@x', '10.0.0.1')).succeeded();
    // The pair starts afresh (three free failures, then the first wait) ...
    for (let i = 0; i < 3; i += 1) expect(await fail(t, 'ana@x', '10.0.0.1')).toBe(0);
    // ... and the e-mail's ten now hold every address: four from elsewhere, three before, three after.
    expect(await fail(t, 'ana@x', '198.51.100.1')).toBeGreaterThan(800);
  });

  it('counts parallel attempts one by one, so a burst cannot pass the limit', async () => {
    const t = throttle();
    const waits = await Promise.all(Array.from({ length: 30 }, () => fail(t, 'ana@x', '10.0.0.1')));
    expect(waits.filter((w) => w === 0)).toHaveLength(3);
  });

  it('counts across instances that share a store, as API processes share PostgreSQL', async () => {
    const store = new MemoryLoginFailureStore();
    const [one, two] = [throttle(store), throttle(store)];
    await fail(one, 'ana@x', '10.0.0.1');
    await fail(two, 'ana@x', '10.0.0.1');
    await fail(one, 'ana@x', '10.0.0.1');
    expect(await fail(two, 'ana@x', '10.0.0.1')).toBe(15);
  });
});
