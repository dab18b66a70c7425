import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TasksAndOutcomes1764310000000 implements MigrationInterface {
  name = 'TasksAndOutcomes1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY,
        proposal_id uuid NOT NULL REFERENCES proposals(id),
        proposal_title text NOT NULL,
        agency_code text NOT NULL,
        type text NOT NULL CHECK (type IN ('TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW', 'APPROVAL')),
        approval_level text,
        status text NOT NULL CHECK (status IN ('OPEN', 'DONE', 'CANCELLED')),
        candidate_role text NOT NULL,
        assignee_id uuid REFERENCES users(id),
        version int NOT NULL,
        round int NOT NULL,
        due_at timestamptz NOT NULL,
        reminded_at timestamptz,
        escalated boolean NOT NULL DEFAULT false,
        decision jsonb,
        decided_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX tasks_open_due_idx ON tasks (due_at, id) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, status, due_at)`);
    await q.query(`CREATE INDEX tasks_proposal_idx ON tasks (proposal_id, created_at)`);
    await q.query(`ALTER TABLE proposals ADD COLUMN outcome jsonb, ADD COLUMN closed_at timestamptz`);
    await q.query(`CREATE INDEX proposals_closed_idx ON proposals (closed_at DESC) WHERE closed_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX proposals_closed_idx`);
    await q.query(`ALTER TABLE proposals DROP COLUMN outcome, DROP COLUMN closed_at`);
    await q.query(`DROP TABLE tasks`);
  }
}
