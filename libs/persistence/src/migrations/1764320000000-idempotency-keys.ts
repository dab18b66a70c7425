import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeys1764320000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users(id),
        scope text NOT NULL,
        key text NOT NULL,
        request_hash char(64) NOT NULL,
        status_code int,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, scope, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
