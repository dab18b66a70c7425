import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let clock = 0;
  const throttle = () => new LoginThrottle({ maxFailuresPerEmail: 3, maxFailuresPerAddress: 5, windowSeconds: 60 }, () => clock);
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('blocks an e-mail after its failures and tells how long to wait', () => {
    const t = throttle();
    for (let i = 0; i < 3; i += 1) {
      expect(t.retryAfter('Ana@x', '10.0.0.1')).toBe(0);
      t.recordFailure('ana@x', '10.0.0.1');
      clock += 1000;
    }
    expect(t.retryAfter('ana@x', '10.0.0.2')).toBe(57);
    clock += 57_000;
    expect(t.retryAfter('ana@x', '10.0.0.2')).toBe(0);
  });

  it('blocks an address trying many e-mails', () => {
    const t = throttle();
    for (let i = 0; i < 5; i += 1) t.recordFailure(`user${i}@x`, '10.0.0.9');
    expect(t.retryAfter('someone@x', '10.0.0.9')).toBeGreaterThan(0);
    expect(t.retryAfter('someone@x', '10.0.0.8')).toBe(0);
  });

  it('forgets an e-mail’s failures after a successful login', () => {
    const t = throttle();
    for (let i = 0; i < 3; i += 1) t.recordFailure('ana@x', `10.0.0.${i}`);
    t.recordSuccess('ana@x');
    expect(t.retryAfter('ana@x', '10.0.0.7')).toBe(0);
  });
});
