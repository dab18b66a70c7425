import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agencies (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_]{2,32}$'),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        name text NOT NULL,
        password_hash text,
        roles text[] NOT NULL,
        agency_code text NOT NULL REFERENCES agencies(code),
        approval_level text,
        deputy boolean NOT NULL DEFAULT false,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE standards_catalogues (
        version text PRIMARY KEY,
        standards jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE policies (
        version text PRIMARY KEY,
        body jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE proposals (
        id uuid PRIMARY KEY,
        agency_code text NOT NULL REFERENCES agencies(code),
        created_by uuid NOT NULL REFERENCES users(id),
        title text NOT NULL,
        data jsonb NOT NULL,
        status text NOT NULL,
        stages text[] NOT NULL DEFAULT '{}',
        tier text,
        tier_reasons jsonb,
        route jsonb,
        screening_issues jsonb,
        current_version int NOT NULL DEFAULT 0,
        catalogue_version text REFERENCES standards_catalogues(version),
        policy_version text REFERENCES policies(version),
        workflow_id text UNIQUE,
        requested_amount bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz
      )`);
    await q.query(`CREATE INDEX proposals_agency_created_idx ON proposals (agency_code, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX proposals_created_idx ON proposals (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX proposals_status_idx ON proposals (status, created_at DESC)`);
    await q.query(`
      CREATE TABLE proposal_versions (
        proposal_id uuid NOT NULL REFERENCES proposals(id),
        version int NOT NULL CHECK (version > 0),
        data jsonb NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (proposal_id, version)
      )`);
    await q.query(`
      CREATE TABLE records (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        proposal_id uuid REFERENCES proposals(id),
        actor text NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL UNIQUE,
        dedupe_key text NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX records_proposal_seq_idx ON records (proposal_id, seq)`);
    // The log is append-only: the database itself refuses edits and deletions.
    await q.query(`
      CREATE FUNCTION records_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'records are append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON records
      FOR EACH ROW EXECUTE FUNCTION records_are_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE records`);
    await q.query(`DROP FUNCTION records_are_append_only`);
    await q.query(`DROP TABLE proposal_versions`);
    await q.query(`DROP TABLE proposals`);
    await q.query(`DROP TABLE policies`);
    await q.query(`DROP TABLE standards_catalogues`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE agencies`);
  }
}
