import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request limits every API process shares.
 * - Sign-in attempts are counted before the password is checked (atomically with the check of the
 *   limits) and forgiven when it was right: each row names its attempt, so the forgiving removes
 *   exactly that attempt's rows. Rows from before have none and simply age out.
 * - The heavy reads' rate limit: one counter per key and window, incremented by an upsert.
 */
export class RequestLimits1764400000000 implements MigrationInterface {
  name = 'RequestLimits1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE login_failures ADD COLUMN attempt uuid`);
    await q.query(`CREATE INDEX login_failures_attempt ON login_failures (attempt)`);
    await q.query(`CREATE TABLE rate_limits (key text PRIMARY KEY, hits integer NOT NULL, expires_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX rate_limits_expires_at ON rate_limits (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limits`);
    await q.query(`DROP INDEX login_failures_attempt`);
    await q.query(`ALTER TABLE login_failures DROP COLUMN attempt`);
  }
}
