import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Failed logins, counted in PostgreSQL so that every API process applies the same limits. */
export class LoginFailures1764370000000 implements MigrationInterface {
  name = 'LoginFailures1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE login_failures (key text NOT NULL, at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX login_failures_key_at ON login_failures (key, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_failures`);
  }
}
