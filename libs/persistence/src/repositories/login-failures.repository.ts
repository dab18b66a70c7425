import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { managerOf, type Db } from './db';

/** The API's store of sign-in attempts (LoginThrottle's LoginFailureStore), shared by its processes. */
export class LoginFailuresRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  /**
   * One transaction holding an advisory lock per key (taken in sorted order, so two attempts never
   * wait on each other crosswise): the attempts of a key, from any API process, pass one at a
   * time, each seeing the failures recorded before it.
   */
  async reserve(
    keys: string[],
    sinceMs: number,
    atMs: number,
    decide: (recent: Map<string, number[]>) => number,
  ): Promise<{ waitSeconds: number; attempt: string | null }> {
    return this.db.transaction(async (tx) => {
      for (const key of [...new Set(keys)].sort()) await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`login:${key}`]);
      await tx.query(`DELETE FROM login_failures WHERE key = ANY($1) AND at < $2`, [keys, new Date(sinceMs)]);
      const rows: { key: string; at: Date }[] = await tx.query(`SELECT key, at FROM login_failures WHERE key = ANY($1)`, [keys]);
      const recent = new Map<string, number[]>(keys.map((key) => [key, []]));
      for (const row of rows) recent.get(row.key)?.push(row.at.getTime());
      const waitSeconds = decide(recent);
      if (waitSeconds > 0) return { waitSeconds, attempt: null };
      const attempt = randomUUID();
      await tx.query(`INSERT INTO login_failures (key, at, attempt) SELECT unnest($1::text[]), $2, $3`, [keys, new Date(atMs), attempt]);
      return { waitSeconds: 0, attempt };
    });
  }

  async release(attempt: string): Promise<void> {
    await this.db.query(`DELETE FROM login_failures WHERE attempt = $1`, [attempt]);
  }

  async clear(key: string): Promise<void> {
    await this.db.query(`DELETE FROM login_failures WHERE key = $1`, [key]);
  }

  /** Housekeeping: forgets failures older than `before` (past every login window); returns how many. */
  async purgeOlderThan(before: Date): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(`DELETE FROM login_failures WHERE at < $1`, [before]);
    return count;
  }
}
