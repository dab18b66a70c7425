import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A closed evaluation, exactly as OversightRepository selects it, so the planner can match it. */
const CLOSED_EVALUATION = 'closed_at IS NOT NULL AND submitted_at IS NOT NULL AND outcome IS NOT NULL';

/**
 * Indexes for the finance-and-oversight reads (OversightRepository). Every outcome query filters
 * on `closed_at` (a date range) and orders by (closed_at DESC, id DESC), which the exports also
 * use as their keyset; the portfolio reads DONE tasks by completion time and escalated tasks by
 * creation time. All are partial, so open proposals, withdrawn drafts and open tasks cost them
 * nothing, and the proposals ones carry exactly the repository's "closed evaluation" predicate so
 * that counts can be answered from the index alone.
 *
 * The outcome filter uses `proposals.status`, which equals `outcome->>'status'` once a proposal is
 * closed, so no expression index on the jsonb is needed.
 *
 * Plain CREATE INDEX (inside the migration's transaction) while the tables are small; on a large
 * live table these would be built CONCURRENTLY from a migration with `transaction = false`.
 */
export class OversightIndexes1764330000000 implements MigrationInterface {
  name = 'OversightIndexes1764330000000';

  async up(q: QueryRunner): Promise<void> {
    // Supersedes proposals_closed_idx (closed_at DESC): the id makes the order total and serves the keyset.
    await q.query(`CREATE INDEX proposals_closed_id_idx ON proposals (closed_at DESC, id DESC) WHERE ${CLOSED_EVALUATION}`);
    await q.query(`DROP INDEX proposals_closed_idx`);
    // An agency's own outcomes (agency_submitter scope, agencyCode filter).
    await q.query(`CREATE INDEX proposals_agency_closed_idx ON proposals (agency_code, closed_at DESC, id DESC) WHERE ${CLOSED_EVALUATION}`);
    // The outcome filter (?outcome=REJECTED) within a period.
    await q.query(`CREATE INDEX proposals_status_closed_idx ON proposals (status, closed_at DESC, id DESC) WHERE ${CLOSED_EVALUATION}`);
    // Stage durations: DONE tasks completed in the period, read without touching the table.
    await q.query(`CREATE INDEX tasks_done_completed_idx ON tasks (completed_at) INCLUDE (type, created_at) WHERE status = 'DONE'`);
    // SLA breaches: escalated tasks created in the period.
    await q.query(`CREATE INDEX tasks_escalated_created_idx ON tasks (created_at) INCLUDE (type) WHERE escalated`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tasks_escalated_created_idx`);
    await q.query(`DROP INDEX tasks_done_completed_idx`);
    await q.query(`DROP INDEX proposals_status_closed_idx`);
    await q.query(`DROP INDEX proposals_agency_closed_idx`);
    await q.query(`CREATE INDEX proposals_closed_idx ON proposals (closed_at DESC) WHERE closed_at IS NOT NULL`);
    await q.query(`DROP INDEX proposals_closed_id_idx`);
  }
}
