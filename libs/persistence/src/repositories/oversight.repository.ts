import type {
  ConditionItem,
  OutcomeCondition,
  OutcomeRow,
  OutcomeStatus,
  PortfolioFigures,
  PortfolioPeriod,
  Tier,
} from '../../../domain';
import type { EntityManager } from 'typeorm';
import { managerOf, type Db } from './db';

/**
 * The finance-and-oversight read side. Everything is computed by PostgreSQL: lists are paged
 * in SQL, exports are read in keyset pages, and the portfolio figures are aggregates, so no
 * query ever brings a whole table into Node.
 *
 * An outcome here is a closed evaluation: a proposal that was submitted and whose outcome is
 * recorded. `proposals.status` mirrors `outcome.status` once closed (the outcome activity writes
 * both), and `closed_at` is the outcome's `decidedAt`; the indexed columns are used for both.
 * The amounts, the NOT_MET codes and the conditions are read from the columns PostgreSQL
 * generates from `outcome` (migration 1764350000000-outcome-figures), never from the jsonb
 * itself, which is kilobytes per row.
 */


export const STAGE_TYPES = ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW', 'APPROVAL'] as const;
export type StageType = (typeof STAGE_TYPES)[number];

/** Local calendar dates (yyyy-mm-dd, both inclusive) in `timeZone`. */
export interface DateRange {
  from?: string;
  to?: string;
}

export interface OutcomeFilter extends DateRange {
  /** The caller's own agency when they may see only it; undefined sees all. */
  scopeAgencyCode?: string;
  agencyCode?: string;
  tier?: Tier;
  outcome?: OutcomeStatus;
  q?: string;
  /** The zone whose calendar days `from` and `to` name. */
  timeZone: string;
}

export interface VerdictRow {
  reviewType: string;
  standardCode: string;
  verdict: string;
  comment: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

/** One outcome with the standard verdicts of its opinions in force, in the order they were given. */
export interface OutcomeVerdicts {
  proposalId: string;
  title: string;
  agencyCode: string;
  outcome: OutcomeStatus;
  outcomeDecidedAt: string;
  verdicts: VerdictRow[];
}

/** Where a keyset page ended: the last row's `closed_at` (as text, to keep microseconds) and id. */
interface Cursor {
  at: string;
  id: string;
}

/** A submitted proposal whose outcome is recorded; the oversight indexes are partial on exactly this. */
const CLOSED_EVALUATION = 'p.closed_at IS NOT NULL AND p.submitted_at IS NOT NULL AND p.outcome IS NOT NULL';

const CONDITION_LIST_LENGTH = 20;
const MOST_NOT_MET_LENGTH = 10;

/** Collects positional parameters so every value reaches PostgreSQL as a bind parameter. */
class Params {
  private readonly list: unknown[] = [];
  add(value: unknown): string {
    this.list.push(value);
    return `$${this.list.length}`;
  }
  /** A copy, so adding more for a later statement never changes what an earlier one was sent. */
  get values(): unknown[] {
    return [...this.list];
  }
}

/** A jsonb value as an array, or an empty one when it is missing or of another shape. */
function jsonArray(expression: string): string {
  return `CASE WHEN jsonb_typeof(${expression}) = 'array' THEN ${expression} ELSE '[]'::jsonb END`;
}

/** `column` within the local calendar days [from, to] of `timeZone`; either end may be open. */
function withinDays(column: string, range: DateRange, params: Params, timeZone: string): string[] {
  if (!range.from && !range.to) return [];
  // Added only when used: PostgreSQL refuses a parameter that the statement never mentions.
  const tz = `${params.add(timeZone)}::text`;
  const clauses: string[] = [];
  if (range.from) clauses.push(`${column} >= (${params.add(range.from)}::date::timestamp AT TIME ZONE ${tz})`);
  if (range.to) clauses.push(`${column} < ((${params.add(range.to)}::date + 1)::timestamp AT TIME ZONE ${tz})`);
  return clauses;
}

function escapeLike(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The WHERE clause shared by the outcome list and both exports. */
function outcomeWhere(filter: OutcomeFilter, params: Params): string {
  const clauses = [CLOSED_EVALUATION, ...withinDays('p.closed_at', filter, params, filter.timeZone)];
  if (filter.scopeAgencyCode !== undefined) clauses.push(`p.agency_code = ${params.add(filter.scopeAgencyCode)}`);
  if (filter.agencyCode) clauses.push(`p.agency_code = ${params.add(filter.agencyCode)}`);
  if (filter.tier) clauses.push(`p.tier = ${params.add(filter.tier)}`);
  if (filter.outcome) clauses.push(`p.status = ${params.add(filter.outcome)}`);
  if (filter.q) {
    const like = params.add(escapeLike(filter.q));
    clauses.push(`(p.title ILIKE ${like} OR p.data->>'summary' ILIKE ${like})`);
  }
  return clauses.join(' AND ');
}

const OUTCOME_COLUMNS = `
  p.id AS "proposalId",
  p.title,
  p.agency_code AS "agencyCode",
  COALESCE(p.outcome->>'tier', p.tier) AS tier,
  p.status AS outcome,
  COALESCE(p.outcome_requested_amount, p.requested_amount) AS "requestedAmount",
  p.outcome_approved_amount AS "approvedAmount",
  p.closed_at AS "decidedAt",
  p.submitted_at AS "submittedAt",
  round((extract(epoch FROM p.closed_at - p.submitted_at) / 86400)::numeric, 1)::float8 AS "cycleDays",
  COALESCE(p.outcome_conditions, '[]'::jsonb) AS conditions,
  COALESCE(p.outcome->>'catalogueVersion', p.catalogue_version) AS "catalogueVersion",
  COALESCE(p.outcome->>'policyVersion', p.policy_version) AS "policyVersion",
  p.closed_at::text AS "cursorAt"`;

interface RawOutcome {
  proposalId: string;
  title: string;
  agencyCode: string;
  tier: Tier | null;
  outcome: OutcomeStatus;
  requestedAmount: string;
  approvedAmount: string | null;
  decidedAt: Date;
  submittedAt: Date;
  cycleDays: number;
  conditions: OutcomeCondition[];
  catalogueVersion: string | null;
  policyVersion: string | null;
  cursorAt: string;
}

function toOutcomeRow(raw: RawOutcome): OutcomeRow {
  return {
    proposalId: raw.proposalId,
    title: raw.title,
    agencyCode: raw.agencyCode,
    tier: raw.tier,
    outcome: raw.outcome,
    requestedAmount: Number(raw.requestedAmount),
    approvedAmount: raw.approvedAmount === null ? null : Number(raw.approvedAmount),
    decidedAt: raw.decidedAt.toISOString(),
    submittedAt: raw.submittedAt.toISOString(),
    cycleDays: raw.cycleDays,
    conditions: raw.conditions,
    catalogueVersion: raw.catalogueVersion,
    policyVersion: raw.policyVersion,
  };
}

function emptyByStage<T>(make: () => T): Record<StageType, T> {
  return { TECHNICAL_REVIEW: make(), COST_EFFICIENCY_REVIEW: make(), APPROVAL: make() };
}

/** Percentiles and days are shown to one decimal, ratios to four (DOMAIN.md). */
const DAYS = (seconds: string) => `round((${seconds} / 86400)::numeric, 1)::float8`;
/** Working days (already days), shown to one decimal like the calendar days. */
const WORKING = (days: string) => `round((${days})::numeric, 1)::float8`;

export class OversightRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  /** One page of outcomes, newest decided first, with the total; both read from one snapshot. */
  async listOutcomes(filter: OutcomeFilter, page: number, pageSize: number): Promise<{ items: OutcomeRow[]; total: number }> {
    return this.snapshot(async (manager) => {
      const params = new Params();
      const where = outcomeWhere(filter, params);
      const [{ total }] = (await manager.query(`SELECT count(*)::int AS total FROM proposals p WHERE ${where}`, params.values)) as { total: number }[];
      if (total === 0 || (page - 1) * pageSize >= total) return { items: [], total };
      const limit = params.add(pageSize);
      const offset = params.add((page - 1) * pageSize);
      const rows = (await manager.query(
        `SELECT ${OUTCOME_COLUMNS} FROM proposals p WHERE ${where} ORDER BY p.closed_at DESC, p.id DESC LIMIT ${limit} OFFSET ${offset}`,
        params.values,
      )) as RawOutcome[];
      return { items: rows.map(toOutcomeRow), total };
    });
  }

  /**
   * Every matching outcome in the list's order, a page at a time. Keyset pages (not OFFSET, not
   * a held cursor): each page is one short query on the (closed_at, id) index, and a client that
   * stops reading leaves no transaction or connection behind.
   */
  async *outcomePages(filter: OutcomeFilter, pageSize = 500): AsyncGenerator<OutcomeRow[]> {
    let cursor: Cursor | null = null;
    for (;;) {
      const rows: RawOutcome[] = await this.keysetPage<RawOutcome>(OUTCOME_COLUMNS, filter, cursor, pageSize);
      if (rows.length) yield rows.map(toOutcomeRow);
      if (rows.length < pageSize) return;
      const last: RawOutcome = rows[rows.length - 1];
      cursor = { at: last.cursorAt, id: last.proposalId };
    }
  }

  /** Like `outcomePages`, each outcome with the standard verdicts of its opinions in force. */
  async *verdictPages(filter: OutcomeFilter, pageSize = 200): AsyncGenerator<OutcomeVerdicts[]> {
    const columns = `
      p.id AS "proposalId", p.title, p.agency_code AS "agencyCode", p.status AS outcome,
      p.closed_at AS "outcomeDecidedAt", p.closed_at::text AS "cursorAt",
      COALESCE((
        SELECT jsonb_agg(jsonb_build_object(
                 'reviewType', o.value->>'type',
                 'standardCode', v.value->>'standardCode',
                 'verdict', v.value->>'verdict',
                 'comment', v.value->>'comment',
                 'decidedBy', o.value->'by'->>'email',
                 'decidedAt', o.value->>'decidedAt')
               ORDER BY o.ord, v.ord)
        FROM jsonb_array_elements(${jsonArray(`p.outcome->'opinions'`)}) WITH ORDINALITY AS o(value, ord)
        CROSS JOIN LATERAL jsonb_array_elements(${jsonArray(`o.value->'decision'->'verdicts'`)}) WITH ORDINALITY AS v(value, ord)
      ), '[]'::jsonb) AS verdicts`;
    type Raw = Omit<OutcomeVerdicts, 'outcomeDecidedAt'> & { outcomeDecidedAt: Date; cursorAt: string };
    let cursor: Cursor | null = null;
    for (;;) {
      const rows: Raw[] = await this.keysetPage<Raw>(columns, filter, cursor, pageSize);
      if (rows.length) {
        yield rows.map(({ cursorAt: _, outcomeDecidedAt, ...rest }) => ({ ...rest, outcomeDecidedAt: outcomeDecidedAt.toISOString() }));
      }
      if (rows.length < pageSize) return;
      const last: Raw = rows[rows.length - 1];
      cursor = { at: last.cursorAt, id: last.proposalId };
    }
  }

  /**
   * The portfolio figures of each period, all read in one REPEATABLE READ snapshot so that the
   * period and its baseline (and the figures within each) describe the same moment.
   * `today` (yyyy-mm-dd in `timeZone`) splits open conditions from overdue ones.
   */
  async portfolio(periods: PortfolioPeriod[], timeZone: string, today: string): Promise<PortfolioFigures[]> {
    return this.snapshot(async (manager) => {
      const out: PortfolioFigures[] = [];
      for (const period of periods) out.push(await this.periodFigures(manager, period, timeZone, today));
      return out;
    });
  }

  private async periodFigures(manager: EntityManager, period: PortfolioPeriod, timeZone: string, today: string): Promise<PortfolioFigures> {
    const closedIn = (params: Params) =>
      [CLOSED_EVALUATION, ...withinDays('p.closed_at', period, params, timeZone)].join(' AND ');

    const summary = new Params();
    const [totals] = (await manager.query(
      `SELECT
         count(*)::int AS total,
         count(*) FILTER (WHERE p.status = 'APPROVED')::int AS "APPROVED",
         count(*) FILTER (WHERE p.status = 'APPROVED_WITH_CONDITIONS')::int AS "APPROVED_WITH_CONDITIONS",
         count(*) FILTER (WHERE p.status = 'REJECTED')::int AS "REJECTED",
         count(*) FILTER (WHERE p.status = 'WITHDRAWN')::int AS "WITHDRAWN",
         count(*) FILTER (WHERE p.status = 'LAPSED')::int AS "LAPSED",
         COALESCE(sum(COALESCE(p.outcome_requested_amount, p.requested_amount)), 0) AS "requestedTotal",
         COALESCE(sum(p.outcome_approved_amount), 0) AS "approvedTotal",
         ${DAYS(`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.closed_at - p.submitted_at))`)} AS p50,
         ${DAYS(`percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM p.closed_at - p.submitted_at))`)} AS p90,
         count(p.outcome_evaluation_days)::int AS "measured",
         count(*) FILTER (WHERE p.outcome_within_target)::int AS "withinTarget",
         ${WORKING(`percentile_cont(0.5) WITHIN GROUP (ORDER BY p.outcome_evaluation_days)`)} AS "evaluationP50",
         ${WORKING(`percentile_cont(0.9) WITHIN GROUP (ORDER BY p.outcome_evaluation_days)`)} AS "evaluationP90",
         ${WORKING(`percentile_cont(0.5) WITHIN GROUP (ORDER BY p.outcome_agency_days)`)} AS "agencyP50",
         ${WORKING(`percentile_cont(0.9) WITHIN GROUP (ORDER BY p.outcome_agency_days)`)} AS "agencyP90"
       FROM proposals p WHERE ${closedIn(summary)}`,
      summary.values,
    )) as ({
      total: number;
      requestedTotal: string;
      approvedTotal: string;
      p50: number | null;
      p90: number | null;
      measured: number;
      withinTarget: number;
      evaluationP50: number | null;
      evaluationP90: number | null;
      agencyP50: number | null;
      agencyP90: number | null;
    } & Record<OutcomeStatus, number>)[];

    const agencies = new Params();
    const agencyTz = `${agencies.add(timeZone)}::text`;
    const byAgency = (await manager.query(
      `SELECT p.agency_code AS "agencyCode",
              extract(year FROM p.closed_at AT TIME ZONE ${agencyTz})::int AS year,
              sum(COALESCE(p.outcome_requested_amount, p.requested_amount)) AS requested,
              COALESCE(sum(p.outcome_approved_amount), 0) AS approved,
              count(*)::int AS count
       FROM proposals p WHERE ${closedIn(agencies)}
       GROUP BY 1, 2 ORDER BY 1, 2`,
      agencies.values,
    )) as { agencyCode: string; year: number; requested: string; approved: string; count: number }[];

    const stages = new Params();
    const stageRows = (await manager.query(
      `SELECT t.type,
              count(*)::int AS count,
              ${DAYS(`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.completed_at - t.created_at))`)} AS p50,
              ${DAYS(`percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM t.completed_at - t.created_at))`)} AS p90,
              count(t.working_days)::int AS "workingCount",
              ${WORKING(`percentile_cont(0.5) WITHIN GROUP (ORDER BY t.working_days)`)} AS "workingP50",
              ${WORKING(`percentile_cont(0.9) WITHIN GROUP (ORDER BY t.working_days)`)} AS "workingP90"
       FROM tasks t
       WHERE ${["t.status = 'DONE'", ...withinDays('t.completed_at', period, stages, timeZone)].join(' AND ')}
       GROUP BY t.type`,
      stages.values,
    )) as { type: StageType; count: number; p50: number | null; p90: number | null; workingCount: number; workingP50: number | null; workingP90: number | null }[];

    // Breaches only: a task escalated because nobody eligible could take it has breached nothing.
    const breaches = new Params();
    const breachRows = (await manager.query(
      `SELECT t.type, sum(t.breaches)::int AS count
       FROM tasks t
       WHERE ${['t.breaches > 0', ...withinDays('t.created_at', period, breaches, timeZone)].join(' AND ')}
       GROUP BY t.type`,
      breaches.values,
    )) as { type: StageType; count: number }[];

    const notMet = new Params();
    const mostNotMet = (await manager.query(
      `SELECT code AS "standardCode", count(*)::int AS count
       FROM proposals p
       CROSS JOIN LATERAL unnest(p.outcome_not_met) AS code
       WHERE ${closedIn(notMet)} AND p.outcome_not_met IS NOT NULL
       GROUP BY 1 ORDER BY count DESC, 1 ASC LIMIT ${notMet.add(MOST_NOT_MET_LENGTH)}`,
      notMet.values,
    )) as { standardCode: string; count: number }[];

    const conditions = new Params();
    const where = closedIn(conditions);
    const day = `${conditions.add(today)}::text`;
    const listLength = conditions.add(CONDITION_LIST_LENGTH);
    // Absent keys stay absent (a condition without a standard has no standardCode), as in the outcome.
    const item = `jsonb_strip_nulls(jsonb_build_object('proposalId', c.id, 'title', c.title, 'agencyCode', c.agency_code, 'text', c.value->>'text',
                    'standardCode', c.value->>'standardCode', 'dueDate', c.due, 'source', c.value->>'source'))`;
    const [conditionFigures] = (await manager.query(
      `WITH c AS (
         SELECT p.id, p.title, p.agency_code, p.closed_at, cond.value, cond.ord, cond.value->>'dueDate' AS due
         FROM proposals p
         CROSS JOIN LATERAL jsonb_array_elements(p.outcome_conditions) WITH ORDINALITY AS cond(value, ord)
         WHERE ${where} AND p.outcome_conditions IS NOT NULL AND p.status IN ('APPROVED', 'APPROVED_WITH_CONDITIONS')
       )
       SELECT
         (SELECT count(*)::int FROM c WHERE c.due >= ${day}) AS "openCount",
         (SELECT count(*)::int FROM c WHERE c.due < ${day}) AS "overdueCount",
         COALESCE((SELECT jsonb_agg(x.item ORDER BY x.due, x.closed_at, x.id, x.ord) FROM (
           SELECT ${item} AS item, c.due, c.closed_at, c.id, c.ord FROM c WHERE c.due >= ${day}
           ORDER BY c.due, c.closed_at, c.id, c.ord LIMIT ${listLength}) x), '[]'::jsonb) AS "openItems",
         COALESCE((SELECT jsonb_agg(x.item ORDER BY x.due, x.closed_at, x.id, x.ord) FROM (
           SELECT ${item} AS item, c.due, c.closed_at, c.id, c.ord FROM c WHERE c.due < ${day}
           ORDER BY c.due, c.closed_at, c.id, c.ord LIMIT ${listLength}) x), '[]'::jsonb) AS "overdueItems"`,
      conditions.values,
    )) as { openCount: number; overdueCount: number; openItems: ConditionItem[]; overdueItems: ConditionItem[] }[];

    const approved = totals.APPROVED + totals.APPROVED_WITH_CONDITIONS;
    const decided = approved + totals.REJECTED;
    const stageDays = emptyByStage(() => ({ p50: null as number | null, p90: null as number | null, count: 0 }));
    const stageWorkingDays = emptyByStage(() => ({ p50: null as number | null, p90: null as number | null, count: 0 }));
    for (const row of stageRows) {
      stageDays[row.type] = { p50: row.p50, p90: row.p90, count: row.count };
      stageWorkingDays[row.type] = { p50: row.workingP50, p90: row.workingP90, count: row.workingCount };
    }
    const byType = emptyByStage(() => 0);
    for (const row of breachRows) byType[row.type] = row.count;

    return {
      outcomes: {
        total: totals.total,
        APPROVED: totals.APPROVED,
        APPROVED_WITH_CONDITIONS: totals.APPROVED_WITH_CONDITIONS,
        REJECTED: totals.REJECTED,
        WITHDRAWN: totals.WITHDRAWN,
        LAPSED: totals.LAPSED,
      },
      byAgency: byAgency.map((r) => ({ agencyCode: r.agencyCode, year: r.year, requested: Number(r.requested), approved: Number(r.approved), count: r.count })),
      approvalRate: decided === 0 ? null : Math.round((approved / decided) * 10_000) / 10_000,
      requestedTotal: Number(totals.requestedTotal),
      approvedTotal: Number(totals.approvedTotal),
      cycleDays: { p50: totals.p50, p90: totals.p90 },
      workingDays: {
        evaluation: { p50: totals.evaluationP50, p90: totals.evaluationP90 },
        withAgency: { p50: totals.agencyP50, p90: totals.agencyP90 },
        measured: totals.measured,
        withinTarget: totals.withinTarget,
      },
      stageDays,
      stageWorkingDays,
      slaBreaches: { total: breachRows.reduce((sum, r) => sum + r.count, 0), byType },
      mostNotMetStandards: mostNotMet,
      openConditions: { count: conditionFigures.openCount, items: conditionFigures.openItems },
      overdueConditions: { count: conditionFigures.overdueCount, items: conditionFigures.overdueItems },
    };
  }

  private keysetPage<T>(columns: string, filter: OutcomeFilter, cursor: Cursor | null, pageSize: number): Promise<T[]> {
    const params = new Params();
    const where = [outcomeWhere(filter, params)];
    if (cursor) where.push(`(p.closed_at, p.id) < (${params.add(cursor.at)}::timestamptz, ${params.add(cursor.id)}::uuid)`);
    return this.db.query(
      `SELECT ${columns} FROM proposals p WHERE ${where.join(' AND ')} ORDER BY p.closed_at DESC, p.id DESC LIMIT ${params.add(pageSize)}`,
      params.values,
    ) as Promise<T[]>;
  }

  /** Read-only work on one consistent snapshot. */
  private snapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      return work(manager);
    });
  }
}
