import type { EntityManager } from 'typeorm';
import { managerOf, type Db } from './db';

/**
 * Fixed-window request counters every API process shares (the heavy reads' rate limit). One row
 * per key; expired rows are taken away as the limiter goes (`purgeExpired`).
 */
export class RateLimitsRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  /**
   * Counts one request under `key`, in one statement (the row lock serialises parallel requests
   * of every process): the window starts afresh when the last one has expired. Returns the
   * window's count, this request included, and the milliseconds left in it.
   */
  async hit(key: string, windowMs: number): Promise<{ hits: number; msLeft: number }> {
    const [row]: { hits: number; ms_left: string }[] = await this.db.query(
      `INSERT INTO rate_limits AS r (key, hits, expires_at) VALUES ($1, 1, clock_timestamp() + make_interval(secs => $2::double precision / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.expires_at <= clock_timestamp() THEN 1 ELSE r.hits + 1 END,
         expires_at = CASE WHEN r.expires_at <= clock_timestamp() THEN EXCLUDED.expires_at ELSE r.expires_at END
       RETURNING r.hits, ceil(extract(epoch FROM r.expires_at - clock_timestamp()) * 1000) AS ms_left`,
      [key, windowMs],
    );
    return { hits: row.hits, msLeft: Math.max(0, Number(row.ms_left)) };
  }

  /** Removes the counters whose window has ended; returns how many. */
  async purgeExpired(): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(`DELETE FROM rate_limits WHERE expires_at <= clock_timestamp()`);
    return count;
  }
}
