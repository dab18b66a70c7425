/**
 * An HTTP client that behaves as a real client of the API under failures: it spreads calls over
 * the API processes, retries on connection errors and on 500/502/503/504 with backoff (with the
 * same Idempotency-Key where it sent one), and tells the caller when an earlier attempt may have
 * taken effect (`uncertain`), so that a later 409 can be checked against the state.
 */

export interface Reply<T = unknown> {
  status: number;
  body: T;
  /** An earlier attempt failed in a way that leaves its effect unknown. */
  uncertain: boolean;
  attempts: number;
}

export interface ClientStats {
  requests: number;
  retries: number;
  connectionErrors: number;
  byStatus: Record<string, number>;
  /** 500s are bugs even under failures: kept with the request that got them. */
  serverErrors: { at: string; method: string; path: string; status: number; body: string }[];
}

export function newStats(): ClientStats {
  return { requests: 0, retries: 0, connectionErrors: 0, byStatus: {}, serverErrors: [] };
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown when the run's deadline passes while a call is still being retried. */
export class DeadlineReached extends Error {}

const RETRY_STATUSES = new Set([500, 502, 503, 504]);

export class ChaosHttp {
  private next = 0;

  constructor(
    private readonly baseUrls: string[],
    readonly stats: ClientStats,
    private readonly deadline: number,
  ) {}

  async call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    let uncertain = false;
    for (let attempt = 1; ; attempt += 1) {
      if (Date.now() > this.deadline) throw new DeadlineReached(`deadline reached during ${method} ${path}`);
      if (attempt > 1) this.stats.retries += 1;
      this.stats.requests += 1;
      const baseUrl = this.baseUrls[this.next++ % this.baseUrls.length];
      let status: number;
      let text: string;
      try {
        const res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            ...options.headers,
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(60_000),
        });
        status = res.status;
        text = await res.text();
      } catch {
        // Refused, reset or timed out: the request may or may not have been acted on.
        this.stats.connectionErrors += 1;
        if (method !== 'GET') uncertain = true;
        await backoff(attempt);
        continue;
      }
      this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
      const body = parse(text);
      if (status >= 500 && status !== 503) {
        this.stats.serverErrors.push({ at: new Date().toISOString(), method, path, status, body: text.slice(0, 500) });
      }
      const inProgress = status === 409 && /still being processed/.test(text);
      if (RETRY_STATUSES.has(status) || inProgress) {
        if (method !== 'GET') uncertain = true;
        await backoff(attempt);
        continue;
      }
      return { status, body: body as T, uncertain, attempts: attempt };
    }
  }
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(3_000, 150 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
  return new Promise((r) => setTimeout(r, ms));
}
