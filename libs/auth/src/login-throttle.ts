export interface LoginThrottleLimits {
  maxFailuresPerEmail: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Where failed logins are counted. The API uses PostgreSQL (`LoginFailuresRepository`), so every
 * API process sees the same counts; the in-memory store is for a single process and for tests.
 */
export interface LoginFailureStore {
  /** Failure times (epoch ms) of each key at or after `sinceMs`. */
  recent(keys: string[], sinceMs: number): Promise<Map<string, number[]>>;
  /** Records a failure under each key; may drop what is older than `forgetBeforeMs`. */
  add(keys: string[], atMs: number, forgetBeforeMs: number): Promise<void>;
  clear(key: string): Promise<void>;
}

export class MemoryLoginFailureStore implements LoginFailureStore {
  private readonly failures = new Map<string, number[]>();

  async recent(keys: string[], sinceMs: number): Promise<Map<string, number[]>> {
    return new Map(keys.map((key) => [key, (this.failures.get(key) ?? []).filter((t) => t >= sinceMs)]));
  }

  async add(keys: string[], atMs: number, forgetBeforeMs: number): Promise<void> {
    for (const key of keys) this.failures.set(key, [...(this.failures.get(key) ?? []).filter((t) => t >= forgetBeforeMs), atMs]);
  }

  async clear(key: string): Promise<void> {
    this.failures.delete(key);
  }
}

/**
 * Counts failed logins per e-mail and per client address in a sliding window, so password
 * guessing is slowed for one account and from one address, across every API process that
 * shares the store.
 */
export class LoginThrottle {
  constructor(
    private readonly limits: LoginThrottleLimits,
    private readonly now: () => number = Date.now,
    private readonly store: LoginFailureStore = new MemoryLoginFailureStore(),
  ) {}

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  async retryAfter(email: string, address: string): Promise<number> {
    const windowMs = this.limits.windowSeconds * 1000;
    const [emailKey, addressKey] = keysOf(email, address);
    const recent = await this.store.recent([emailKey, addressKey], this.now() - windowMs + 1);
    const wait = (key: string, max: number): number => {
      const times = (recent.get(key) ?? []).sort((a, b) => a - b);
      if (times.length < max) return 0;
      return Math.max(1, Math.ceil((times[times.length - max] + windowMs - this.now()) / 1000));
    };
    return Math.max(wait(emailKey, this.limits.maxFailuresPerEmail), wait(addressKey, this.limits.maxFailuresPerAddress));
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const at = this.now();
    await this.store.add(keysOf(email, address), at, at - this.limits.windowSeconds * 1000);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.store.clear(keysOf(email, '')[0]);
  }
}

function keysOf(email: string, address: string): [string, string] {
  return [`email:${email.toLowerCase()}`, `address:${address}`];
}
