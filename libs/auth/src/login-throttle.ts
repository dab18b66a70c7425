export interface LoginThrottleLimits {
  maxFailuresPerEmail: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Counts failed logins per e-mail and per client address in a sliding window, so password
 * guessing is slowed for one account and from one address. In memory: each API process counts
 * its own attempts (with N processes an attacker gets at most N times the limit).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfter(email: string, address: string): number {
    const windowMs = this.limits.windowSeconds * 1000;
    const wait = (key: string, max: number): number => {
      const recent = this.recent(key, windowMs);
      if (recent.length < max) return 0;
      return Math.max(1, Math.ceil((recent[recent.length - max] + windowMs - this.now()) / 1000));
    };
    return Math.max(wait(`email:${email.toLowerCase()}`, this.limits.maxFailuresPerEmail), wait(`address:${address}`, this.limits.maxFailuresPerAddress));
  }

  recordFailure(email: string, address: string): void {
    const at = this.now();
    for (const key of [`email:${email.toLowerCase()}`, `address:${address}`]) this.failures.set(key, [...this.recent(key, this.limits.windowSeconds * 1000), at]);
  }

  recordSuccess(email: string): void {
    this.failures.delete(`email:${email.toLowerCase()}`);
  }

  private recent(key: string, windowMs: number): number[] {
    const cutoff = this.now() - windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }
}
