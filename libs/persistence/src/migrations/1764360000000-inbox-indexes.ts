import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The task inbox (`GET /tasks?scope=available`, TasksRepository.list) at 100,000 proposals
 * (`npm run bench`): its page and its count read every open unassigned task from the table
 * through tasks_assignee_idx, then, for each, the proposal's tasks to apply separation of duties.
 *
 * - tasks_available_idx: open unassigned tasks in the inbox's order (due_at, id), carrying what
 *   the inbox filters on, so the page and the count are answered from the index;
 * - tasks_decided_by_idx: who decided which stage of a proposal, so the separation-of-duties
 *   check (NOT EXISTS ... decided_by = me) is an index-only probe.
 *
 * Plain CREATE INDEX inside the migration's transaction, like the earlier ones; on a large live
 * database, build them CONCURRENTLY by hand first (same names): IF NOT EXISTS then skips them.
 */
export class InboxIndexes1764360000000 implements MigrationInterface {
  name = 'InboxIndexes1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX IF NOT EXISTS tasks_available_idx ON tasks (due_at, id)
        INCLUDE (candidate_role, approval_level, agency_code, proposal_id, type)
        WHERE status = 'OPEN' AND assignee_id IS NULL`);
    await q.query(`
      CREATE INDEX IF NOT EXISTS tasks_decided_by_idx ON tasks (proposal_id, decided_by)
        INCLUDE (type, approval_level)
        WHERE decided_by IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tasks_decided_by_idx`);
    await q.query(`DROP INDEX IF EXISTS tasks_available_idx`);
  }
}
