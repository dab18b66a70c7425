import type { EntityManager } from 'typeorm';
import { managerOf, type Db } from './db';

export type IdempotencyClaim =
  | { state: 'new' }
  /** An earlier request with this key never finished (its process died): this one takes over. */
  | { state: 'resumed' }
  | { state: 'replay'; statusCode: number; response: unknown }
  | { state: 'in-progress' }
  | { state: 'mismatch' };

/**
 * First responses stored under a client's Idempotency-Key. The row is written before the work
 * starts, so two requests racing with one key cannot both do it.
 */
export class IdempotencyRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  /**
   * A claim whose request has not finished after `abandonAfterMs` belongs to a process that died
   * (every request gives up well before: the engine's deadline is seconds): the next request
   * with the key takes it over instead of waiting forever.
   */
  async claim(userId: string, scope: string, key: string, requestHash: string, abandonAfterMs = 20_000): Promise<IdempotencyClaim> {
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO idempotency_keys (user_id, scope, key, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING key`,
      [userId, scope, key, requestHash],
    );
    if (inserted.length) return { state: 'new' };
    const [row]: { request_hash: string; status_code: number | null; response: unknown; abandoned: boolean; created_at: Date }[] = await this.db.query(
      `SELECT request_hash, status_code, response, created_at, created_at < now() - make_interval(secs => $4) AS abandoned
         FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3`,
      [userId, scope, key, abandonAfterMs / 1000],
    );
    if (!row) return this.claim(userId, scope, key, requestHash, abandonAfterMs);
    if (row.request_hash !== requestHash) return { state: 'mismatch' };
    if (row.status_code === null && row.abandoned) {
      // Compare-and-set on the claim time, so that of two retries only one takes over.
      const taken: unknown[] = await this.db.query(
        `UPDATE idempotency_keys SET created_at = now() WHERE user_id = $1 AND scope = $2 AND key = $3 AND status_code IS NULL AND created_at = $4 RETURNING key`,
        [userId, scope, key, row.created_at],
      );
      return taken.length ? { state: 'resumed' } : { state: 'in-progress' };
    }
    if (row.status_code === null) return { state: 'in-progress' };
    return { state: 'replay', statusCode: row.status_code, response: row.response };
  }

  async complete(userId: string, scope: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.db.query(`UPDATE idempotency_keys SET status_code = $4, response = $5 WHERE user_id = $1 AND scope = $2 AND key = $3`, [
      userId,
      scope,
      key,
      statusCode,
      JSON.stringify(response ?? null),
    ]);
  }

  /**
   * The work may have happened without being confirmed (the engine did not answer in time): the
   * next request with the key takes the claim over at once, as `resumed`, and finds out.
   */
  async abandon(userId: string, scope: string, key: string): Promise<void> {
    await this.db.query(`UPDATE idempotency_keys SET created_at = to_timestamp(0) WHERE user_id = $1 AND scope = $2 AND key = $3 AND status_code IS NULL`, [userId, scope, key]);
  }

  /** The work failed: forget the key so that the client's retry runs it again. */
  async release(userId: string, scope: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3 AND status_code IS NULL`, [userId, scope, key]);
  }

  /** Housekeeping: forgets keys first claimed before `before` (expired); returns how many. */
  async purgeOlderThan(before: Date): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(`DELETE FROM idempotency_keys WHERE created_at < $1`, [before]);
    return count;
  }
}
