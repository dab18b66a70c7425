import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A closed evaluation, exactly as OversightRepository selects it (see 1764330000000-oversight-indexes). */
const CLOSED_EVALUATION = 'closed_at IS NOT NULL AND submitted_at IS NOT NULL AND outcome IS NOT NULL';

/**
 * The figures GET /reports/portfolio and GET /outcomes take from an outcome, as columns of their
 * own. `npm run bench` showed the portfolio report at seconds with 100,000 proposals: every
 * aggregate unpacked the whole `outcome` jsonb (opinions, verdicts, figures: kilobytes, stored
 * compressed out of line) of every closed evaluation of the period, several times per request.
 *
 * They are STORED generated columns: PostgreSQL computes them from `outcome` in the very statement
 * that writes it (the worker's recordOutcome activity, a withdrawn draft, the portfolio seeder),
 * so they can never disagree with it, and adding them backfills every existing row (the ALTER
 * rewrites the table under an exclusive lock: on a large live table, schedule it).
 *
 * - `outcome_requested_amount`, `outcome_approved_amount`: the amounts, when the outcome holds numbers;
 * - `outcome_not_met`: the codes of the standards rated NOT_MET in the opinions, in their order
 *   (NULL when none), for "most not met standards";
 * - `outcome_conditions`: the conditions (NULL when there are none), for open and overdue conditions.
 *
 * And one covering index of closed evaluations by decision date, so that a period's totals, its
 * per-agency figures, its cycle-time percentiles and its NOT_MET counts are read from the index
 * alone, and one of the few that carry conditions.
 */
export class OutcomeFigures1764350000000 implements MigrationInterface {
  name = 'OutcomeFigures1764350000000';

  async up(q: QueryRunner): Promise<void> {
    // The same reading of `opinions` and `verdicts` as the report made in SQL before: anything
    // but an array counts as none.
    await q.query(`
      CREATE FUNCTION outcome_not_met_codes(outcome jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_agg(v.value ->> 'standardCode' ORDER BY o.ord, v.ord)
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(outcome -> 'opinions') = 'array' THEN outcome -> 'opinions' ELSE '[]'::jsonb END) WITH ORDINALITY AS o(value, ord)
        CROSS JOIN LATERAL jsonb_array_elements(
          CASE WHEN jsonb_typeof(o.value -> 'decision' -> 'verdicts') = 'array' THEN o.value -> 'decision' -> 'verdicts' ELSE '[]'::jsonb END
        ) WITH ORDINALITY AS v(value, ord)
        WHERE v.value ->> 'verdict' = 'NOT_MET'
      $$`);
    const amount = (key: string) => `CASE WHEN jsonb_typeof(outcome -> '${key}') = 'number' THEN (outcome ->> '${key}')::numeric END`;
    await q.query(`
      ALTER TABLE proposals
        ADD COLUMN outcome_requested_amount numeric GENERATED ALWAYS AS (${amount('requestedAmount')}) STORED,
        ADD COLUMN outcome_approved_amount numeric GENERATED ALWAYS AS (${amount('approvedAmount')}) STORED,
        ADD COLUMN outcome_not_met text[] GENERATED ALWAYS AS (outcome_not_met_codes(outcome)) STORED,
        ADD COLUMN outcome_conditions jsonb GENERATED ALWAYS AS (
          CASE WHEN jsonb_typeof(outcome -> 'conditions') = 'array' AND jsonb_array_length(outcome -> 'conditions') > 0 THEN outcome -> 'conditions' END
        ) STORED`);
    await q.query(`
      CREATE INDEX proposals_closed_figures_idx ON proposals (closed_at)
        INCLUDE (submitted_at, status, agency_code, requested_amount, outcome_requested_amount, outcome_approved_amount, outcome_not_met)
        WHERE ${CLOSED_EVALUATION}`);
    await q.query(`CREATE INDEX proposals_closed_conditions_idx ON proposals (closed_at) WHERE ${CLOSED_EVALUATION} AND outcome_conditions IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS proposals_closed_conditions_idx`);
    await q.query(`DROP INDEX IF EXISTS proposals_closed_figures_idx`);
    await q.query(`
      ALTER TABLE proposals
        DROP COLUMN outcome_conditions,
        DROP COLUMN outcome_not_met,
        DROP COLUMN outcome_approved_amount,
        DROP COLUMN outcome_requested_amount`);
    await q.query(`DROP FUNCTION outcome_not_met_codes(jsonb)`);
  }
}
