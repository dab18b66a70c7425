export interface LoginThrottleLimits {
  /** Failures of one e-mail and address pair before each further one makes the pair wait. */
  freeFailuresPerPair: number;
  /** The pair's first wait; it doubles with each further failure, up to the window. */
  pairDelaySeconds: number;
  /** The ceiling of one e-mail's failures from every address together. */
  maxFailuresPerEmail: number;
  /** The ceiling of one address's failures over every e-mail. */
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/** Failure times (epoch ms) per key; decides how long to wait (0: go on). */
export type AttemptDecision = (recent: Map<string, number[]>) => number;

/**
 * Where sign-in attempts are counted. The API uses PostgreSQL (`LoginFailuresRepository`), so
 * every API process sees the same counts; the in-memory store is for a single process and tests.
 */
export interface LoginFailureStore {
  /**
   * In one atomic step: reads each key's failures at or after `sinceMs`, asks `decide`, and when it
   * answers 0 records this attempt under every key as a failure (dropping what is older than
   * `sinceMs`). Parallel attempts on a key are serialised, so a burst cannot slip past the check.
   * Returns the wait and, when recorded, the attempt's id.
   */
  reserve(keys: string[], sinceMs: number, atMs: number, decide: AttemptDecision): Promise<{ waitSeconds: number; attempt: string | null }>;
  /** The attempt succeeded: it was not a failure after all. */
  release(attempt: string): Promise<void>;
  clear(key: string): Promise<void>;
}

export class MemoryLoginFailureStore implements LoginFailureStore {
  private readonly failures = new Map<string, { at: number; attempt: string }[]>();
  private next = 0;

  // No await between the check and the write: atomic within the one process that owns the map.
  async reserve(keys: string[], sinceMs: number, atMs: number, decide: AttemptDecision): Promise<{ waitSeconds: number; attempt: string | null }> {
    for (const key of keys) this.failures.set(key, (this.failures.get(key) ?? []).filter((f) => f.at >= sinceMs));
    const waitSeconds = decide(new Map(keys.map((key) => [key, (this.failures.get(key) ?? []).map((f) => f.at)])));
    if (waitSeconds > 0) return { waitSeconds, attempt: null };
    this.next += 1;
    const attempt = String(this.next);
    for (const key of keys) this.failures.get(key)?.push({ at: atMs, attempt });
    return { waitSeconds: 0, attempt };
  }

  async release(attempt: string): Promise<void> {
    for (const [key, list] of this.failures) this.failures.set(key, list.filter((f) => f.attempt !== attempt));
  }

  async clear(key: string): Promise<void> {
    this.failures.delete(key);
  }
}

/** One admitted sign-in attempt: counted as a failure unless `succeeded` is called. */
export interface LoginAttempt {
  /** Seconds until another attempt is allowed; when above 0 the attempt was refused and not counted. */
  retryAfterSeconds: number;
  /** The password was right: the attempt is no failure, and the pair's earlier failures are forgotten. */
  succeeded(): Promise<void>;
}

/**
 * Limits password guessing without handing attackers a way to lock people out:
 * - per e-mail and address pair, a progressive delay: a few free failures, then a wait that
 *   doubles with each further failure (the person mistyping, or a guesser at one address);
 * - per e-mail alone, a much higher ceiling, so failures from elsewhere below it do not stop the
 *   owner signing in from their own address;
 * - per address, a ceiling over every e-mail (one address trying many accounts).
 * The attempt is counted before the password is checked, atomically with the check of the limits,
 * and forgiven when the password was right.
 */
export class LoginThrottle {
  constructor(
    private readonly limits: LoginThrottleLimits,
    private readonly now: () => number = Date.now,
    private readonly store: LoginFailureStore = new MemoryLoginFailureStore(),
  ) {}

  async begin(email: string, address: string): Promise<LoginAttempt> {
    const windowMs = this.limits.windowSeconds * 1000;
    const keys = keysOf(email, address);
    const at = this.now();
    const { waitSeconds, attempt } = await this.store.reserve([keys.pair, keys.email, keys.address], at - windowMs + 1, at, (recent) => {
      const ceiling = (key: string, max: number): number => {
        const times = [...(recent.get(key) ?? [])].sort((a, b) => a - b);
        return times.length < max ? 0 : times[times.length - max] + windowMs - at;
      };
      const pair = recent.get(keys.pair) ?? [];
      const beyondFree = pair.length - this.limits.freeFailuresPerPair;
      const pairWait = beyondFree < 0 ? 0 : Math.max(...pair) + Math.min(windowMs, this.limits.pairDelaySeconds * 1000 * 2 ** beyondFree) - at;
      const waitMs = Math.max(pairWait, ceiling(keys.email, this.limits.maxFailuresPerEmail), ceiling(keys.address, this.limits.maxFailuresPerAddress));
      return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
    });
    return {
      retryAfterSeconds: waitSeconds,
      succeeded: async () => {
        if (attempt === null) return;
        await this.store.release(attempt);
        await this.store.clear(keys.pair);
      },
    };
  }
}

function keysOf(email: string, address: string): { pair: string; email: string; address: string } {
  const normalised = email.toLowerCase();
  return { pair: `pair:${normalised}|${address}`, email: `email:${normalised}`, address: `address:${address}` };
}
