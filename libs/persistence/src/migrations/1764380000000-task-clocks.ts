import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A closed evaluation, exactly as OversightRepository selects it (see 1764330000000-oversight-indexes). */
const CLOSED_EVALUATION = 'closed_at IS NOT NULL AND submitted_at IS NOT NULL AND outcome IS NOT NULL';

/**
 * What the evaluation now measures, in working days:
 * - of each task, the working days it was open (cycle times per stage) and how many times its
 *   clock ran out (`breaches`: an escalation because nobody eligible could take it is not one).
 *   Tasks escalated before are counted from their ESCALATED records: a breach is one whose reason
 *   is the due date;
 * - of each outcome, its time against the whole-evaluation target (the outcome's `timing`, when
 *   measured in working days), with the agency's time apart: STORED generated columns, as the
 *   other outcome figures (1764350000000-outcome-figures), so the portfolio never unpacks the
 *   outcome's jsonb.
 */
export class TaskClocks1764380000000 implements MigrationInterface {
  name = 'TaskClocks1764380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN working_days numeric`);
    await q.query(`ALTER TABLE tasks ADD COLUMN breaches int NOT NULL DEFAULT 0`);
    await q.query(`
      UPDATE tasks t SET breaches = b.n
      FROM (SELECT (data ->> 'taskId')::uuid AS id, count(*)::int AS n FROM records
            WHERE type = 'ESCALATED' AND (data ->> 'kind' = 'BREACH' OR (data ->> 'kind' IS NULL AND data ->> 'reason' = 'the task is past its due date'))
            GROUP BY 1) b
      WHERE t.id = b.id`);
    const timing = (key: string) =>
      `CASE WHEN outcome -> 'timing' ->> 'unit' = 'workingDays' AND jsonb_typeof(outcome -> 'timing' -> '${key}') = 'number' THEN (outcome -> 'timing' ->> '${key}')::numeric END`;
    await q.query(`
      ALTER TABLE proposals
        ADD COLUMN outcome_evaluation_days numeric GENERATED ALWAYS AS (${timing('evaluation')}) STORED,
        ADD COLUMN outcome_agency_days numeric GENERATED ALWAYS AS (${timing('withAgency')}) STORED,
        ADD COLUMN outcome_within_target boolean GENERATED ALWAYS AS (
          CASE WHEN outcome -> 'timing' ->> 'unit' = 'workingDays' AND jsonb_typeof(outcome -> 'timing' -> 'withinTarget') = 'boolean' THEN (outcome -> 'timing' ->> 'withinTarget')::boolean END
        ) STORED`);
    // The period aggregates keep reading the covering index of closed evaluations alone, and the
    // breaches an index of their own (only the tasks that breached, a small share).
    await q.query(`DROP INDEX proposals_closed_figures_idx`);
    await q.query(`
      CREATE INDEX proposals_closed_figures_idx ON proposals (closed_at)
        INCLUDE (submitted_at, status, agency_code, requested_amount, outcome_requested_amount, outcome_approved_amount, outcome_not_met,
                 outcome_evaluation_days, outcome_agency_days, outcome_within_target)
        WHERE ${CLOSED_EVALUATION}`);
    await q.query(`CREATE INDEX tasks_breached_created_idx ON tasks (created_at) INCLUDE (type, breaches) WHERE breaches > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tasks_breached_created_idx`);
    await q.query(`DROP INDEX proposals_closed_figures_idx`);
    await q.query(`ALTER TABLE proposals DROP COLUMN outcome_within_target, DROP COLUMN outcome_agency_days, DROP COLUMN outcome_evaluation_days`);
    await q.query(`ALTER TABLE tasks DROP COLUMN breaches`);
    await q.query(`
      CREATE INDEX proposals_closed_figures_idx ON proposals (closed_at)
        INCLUDE (submitted_at, status, agency_code, requested_amount, outcome_requested_amount, outcome_approved_amount, outcome_not_met)
        WHERE ${CLOSED_EVALUATION}`);
    await q.query(`ALTER TABLE tasks DROP COLUMN working_days`);
  }
}
