import type { EntityManager } from 'typeorm';
import { managerOf, type Db } from './db';

/** The API's store of failed logins (LoginThrottle's LoginFailureStore), shared by its processes. */
export class LoginFailuresRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  async recent(keys: string[], sinceMs: number): Promise<Map<string, number[]>> {
    const rows: { key: string; at: Date }[] = await this.db.query(`SELECT key, at FROM login_failures WHERE key = ANY($1) AND at >= $2`, [keys, new Date(sinceMs)]);
    const out = new Map<string, number[]>(keys.map((key) => [key, []]));
    for (const row of rows) out.get(row.key)?.push(row.at.getTime());
    return out;
  }

  async add(keys: string[], atMs: number, forgetBeforeMs: number): Promise<void> {
    await this.db.query(`DELETE FROM login_failures WHERE key = ANY($1) AND at < $2`, [keys, new Date(forgetBeforeMs)]);
    await this.db.query(`INSERT INTO login_failures (key, at) SELECT unnest($1::text[]), $2`, [keys, new Date(atMs)]);
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
