import { LoginThrottle, MemoryLoginFailureStore } from './login-throttle';

describe('LoginThrottle', () => {
  let clock = 0;
  const throttle = () => new LoginThrottle({ maxFailuresPerEmail: 3, maxFailuresPerAddress: 5, windowSeconds: 60 }, () => clock);
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('blocks an e-mail after its failures and tells how long to wait', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i += 1) {
      expect(await t.retryAfter('Ana@x', '10.0.0.1')).toBe(0);
      await t.recordFailure('ana@x', '10.0.0.1');
      clock += 1000;
    }
    expect(await t.retryAfter('ana@x', '10.0.0.2')).toBe(57);
    clock += 57_000;
    expect(await t.retryAfter('ana@x', '10.0.0.2')).toBe(0);
  });

  it('blocks an address trying many e-mails', async () => {
    const t = throttle();
    for (let i = 0; i < 5; i += 1) await t.recordFailure(`user${i}@x`, '10.0.0.9');
    expect(await t.retryAfter('someone@x', '10.0.0.9')).toBeGreaterThan(0);
    expect(await t.retryAfter('someone@x', '10.0.0.8')).toBe(0);
  });

  it('forgets an e-mail’s failures after a successful login', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i += 1) await t.recordFailure('ana@x', `10.0.0.${i}`);
    await t.recordSuccess('ana@x');
    expect(await t.retryAfter('ana@x', '10.0.0.7')).toBe(0);
  });

  it('counts across instances that share a store, as API processes share PostgreSQL', async () => {
    const store = new MemoryLoginFailureStore();
    const limits = { maxFailuresPerEmail: 3, maxFailuresPerAddress: 5, windowSeconds: 60 };
    const [one, two] = [new LoginThrottle(limits, () => clock, store), new LoginThrottle(limits, () => clock, store)];
    await one.recordFailure('ana@x', '10.0.0.1');
    await two.recordFailure('ana@x', '10.0.0.1');
    expect(await one.retryAfter('ana@x', '10.0.0.1')).toBe(0);
    await one.recordFailure('ana@x', '10.0.0.1');
    expect(await two.retryAfter('ana@x', '10.0.0.1')).toBe(60);
  });
});
