import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints of the decision log, every public key that ever signed one, and the full
 * verifications run as jobs. Checkpoints, like records, are append-only.
 */
export class AuditCheckpoints1764390000000 implements MigrationInterface {
  name = 'AuditCheckpoints1764390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_signing_keys (
        key_id text PRIMARY KEY,
        public_key text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE audit_checkpoints (
        seq bigint PRIMARY KEY,
        hash char(64) NOT NULL,
        signed_at timestamptz NOT NULL,
        key_id text NOT NULL REFERENCES audit_signing_keys(key_id),
        signature text NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION audit_checkpoints_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit checkpoints are append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_are_append_only()`);
    await q.query(`
      CREATE TABLE audit_verifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workflow_id text NOT NULL UNIQUE,
        requested_by text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RUNNING', 'PASSED', 'FAILED')),
        checked bigint NOT NULL DEFAULT 0,
        total bigint,
        first_bad_seq bigint,
        problems jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX audit_verifications_created_at ON audit_verifications (created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_verifications`);
    await q.query(`DROP TABLE audit_checkpoints`);
    await q.query(`DROP FUNCTION audit_checkpoints_are_append_only`);
    await q.query(`DROP TABLE audit_signing_keys`);
  }
}
