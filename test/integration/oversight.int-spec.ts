import { randomUUID } from 'node:crypto';
import { DataSource, type Logger } from 'typeorm';
import type { OutcomeRow, PortfolioFigures } from '../../libs/domain';
import { dataSourceOptions, OversightRepository, type OutcomeFilter } from '../../libs/persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Remembers every statement the repository sends, so its plans can be checked with EXPLAIN. */
class CapturingLogger implements Logger {
  readonly queries: { query: string; parameters: unknown[] }[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    this.queries.push({ query, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

const SANTIAGO = 'America/Santiago';
const GENERATED = 3000;

interface HandOutcome {
  agency: string;
  status: 'APPROVED' | 'APPROVED_WITH_CONDITIONS' | 'REJECTED' | 'WITHDRAWN' | 'LAPSED';
  requested: number;
  approved: number | null;
  submittedAt: string;
  closedAt: string;
  verdicts?: { type: string; standardCode: string; verdict: string }[];
  conditions?: { text: string; dueDate: string; standardCode?: string }[];
  /** The outcome's time in working days (OutcomeTiming); outcomes recorded before it have none. */
  timing?: { evaluation: number; withAgency: number; withinTarget: boolean };
}

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

describe('OversightRepository on real PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let oversight: OversightRepository;
  const logger = new CapturingLogger();
  let creator: string;
  const hand: Record<string, string> = {};

  async function insertOutcome(key: string, o: HandOutcome): Promise<string> {
    const id = randomUUID();
    const title = `Hand ${key}`;
    const opinions = ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW']
      .map((type) => ({
        type,
        by: { id: creator, email: `${type.toLowerCase()}@example.test` },
        decidedAt: o.closedAt,
        decision: { opinion: 'UNFAVOURABLE', verdicts: (o.verdicts ?? []).filter((v) => v.type === type).map(({ standardCode, verdict }) => ({ standardCode, verdict, comment: 'c' })) },
      }))
      .filter((opinion) => opinion.decision.verdicts.length);
    const outcome = {
      status: o.status,
      decidedAt: o.closedAt,
      tier: 'LOW',
      requestedAmount: o.requested,
      approvedAmount: o.approved,
      opinions,
      approvals: [],
      conditions: (o.conditions ?? []).map((c) => ({ ...c, source: 'TECHNICAL_REVIEW' })),
      catalogueVersion: '2026.1',
      policyVersion: '2026.1',
      ...(o.timing
        ? { timing: { unit: 'workingDays', total: o.timing.evaluation + o.timing.withAgency, withAgency: o.timing.withAgency, evaluation: o.timing.evaluation, target: 20, withinTarget: o.timing.withinTarget } }
        : {}),
    };
    await dataSource.query(
      `INSERT INTO proposals (id, agency_code, created_by, title, data, status, tier, requested_amount, submitted_at, closed_at, outcome, catalogue_version, policy_version)
       VALUES ($1, $2, $3, $4, $5, $6, 'LOW', $7, $8, $9, $10, '2026.1', '2026.1')`,
      [id, o.agency, creator, title, { title }, o.status, o.requested, o.submittedAt, o.closedAt, outcome],
    );
    hand[key] = id;
    return id;
  }

  /** `breaches`: times its clock ran out; `escalated` alone (no breach) is nobody eligible. */
  async function insertTask(
    proposalId: string,
    type: string,
    createdAt: string,
    completedAt: string | null,
    clock: { escalated?: boolean; breaches?: number; workingDays?: number } = {},
  ): Promise<void> {
    await dataSource.query(
      `INSERT INTO tasks (id, proposal_id, proposal_title, agency_code, type, status, candidate_role, version, round, due_at, escalated, breaches, working_days, created_at, completed_at)
       VALUES ($1, $2, 't', 'MINSAL', $3, $4, 'technical_reviewer', 1, 1, $5, $6, $7, $8, $5, $9)`,
      [randomUUID(), proposalId, type, completedAt ? 'DONE' : 'OPEN', createdAt, clock.escalated ?? false, clock.breaches ?? 0, clock.workingDays ?? null, completedAt],
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource({ ...dataSourceOptions(database.url, 'oversight-int'), logging: ['query'], logger });
    await dataSource.initialize();
    oversight = new OversightRepository(dataSource);
    [{ id: creator }] = await dataSource.query(`SELECT id FROM users WHERE email = 'ana.torres@minsal.example'`);

    // A few thousand closed evaluations over 2008-2019 (about 250 a year), three to a timestamp (with microseconds)
    // so the keyset has ties to break, plus open proposals and their tasks.
    await dataSource.query(
      `WITH g AS (
         SELECT i,
                (ARRAY['MINSAL','MINEDUC','DIGITAL','HACIENDA','SEGPRES','DIPRES','CONTRALORIA'])[1 + i % 7] AS agency,
                (ARRAY['APPROVED','APPROVED_WITH_CONDITIONS','REJECTED','WITHDRAWN','LAPSED'])[1 + i % 5] AS status,
                timestamptz '2008-01-01 10:00:00.123456+00' + ((i / 3) * interval '105 hours') AS closed,
                (1000000 + i * 1000)::bigint AS requested
         FROM generate_series(1, $1::int) AS i
       )
       INSERT INTO proposals (id, agency_code, created_by, title, data, status, tier, requested_amount, submitted_at, closed_at, outcome, catalogue_version, policy_version)
       SELECT gen_random_uuid(), agency, $2::uuid, 'Generated ' || i, jsonb_build_object('title', 'Generated ' || i, 'summary', 'generated'),
              status, (ARRAY['LOW','MEDIUM','HIGH'])[1 + i % 3], requested, closed - (i % 40) * interval '1 day', closed,
              jsonb_build_object(
                'status', status, 'decidedAt', closed, 'tier', 'LOW', 'requestedAmount', requested,
                'approvedAmount', CASE WHEN status LIKE 'APPROVED%' THEN requested / 2 END,
                'opinions', jsonb_build_array(jsonb_build_object('type', 'TECHNICAL_REVIEW', 'by', jsonb_build_object('email', 'carla@x'), 'decidedAt', closed,
                  'decision', jsonb_build_object('opinion', 'UNFAVOURABLE', 'verdicts', jsonb_build_array(
                    jsonb_build_object('standardCode', 'SEC-0' || (1 + i % 3), 'verdict', CASE WHEN i % 4 = 0 THEN 'NOT_MET' ELSE 'MEETS' END),
                    jsonb_build_object('standardCode', 'DEL-01', 'verdict', 'MEETS'))))),
                'conditions', CASE WHEN status = 'APPROVED_WITH_CONDITIONS'
                  THEN jsonb_build_array(jsonb_build_object('text', 'c', 'dueDate', to_char(closed + interval '90 days', 'YYYY-MM-DD'))) ELSE '[]'::jsonb END,
                'catalogueVersion', '2026.1', 'policyVersion', '2026.1'),
              '2026.1', '2026.1'
       FROM g`,
      [GENERATED, creator],
    );
    await dataSource.query(
      `INSERT INTO proposals (id, agency_code, created_by, title, data, status, requested_amount, submitted_at)
       SELECT gen_random_uuid(), 'MINSAL', $1::uuid, 'Open ' || i, '{}'::jsonb, 'IN_REVIEW', 1, now() FROM generate_series(1, 300) AS i`,
      [creator],
    );
    await dataSource.query(
      `INSERT INTO tasks (id, proposal_id, proposal_title, agency_code, type, status, candidate_role, version, round, due_at, escalated, created_at, completed_at)
       SELECT gen_random_uuid(), p.id, p.title, p.agency_code, t.type, 'DONE', 'technical_reviewer', 1, 1, p.submitted_at + interval '10 days',
              (hashtext(p.id::text || t.type) % 10 = 0), p.submitted_at, p.submitted_at + interval '1 day' * t.n
       FROM proposals p CROSS JOIN (VALUES ('TECHNICAL_REVIEW', 3), ('COST_EFFICIENCY_REVIEW', 2), ('APPROVAL', 1)) AS t(type, n)
       WHERE p.closed_at IS NOT NULL`,
    );

    // A hand-computed portfolio in 2031, which no generated row reaches.
    const p1 = await insertOutcome('p1', {
      agency: 'MINSAL', status: 'APPROVED_WITH_CONDITIONS', requested: 100, approved: 80,
      submittedAt: '2031-03-01T12:00:00Z', closedAt: '2031-03-11T12:00:00Z',
      verdicts: [{ type: 'TECHNICAL_REVIEW', standardCode: 'SEC-01', verdict: 'NOT_MET' }, { type: 'COST_EFFICIENCY_REVIEW', standardCode: 'CE-01', verdict: 'MEETS' }],
      conditions: [{ text: 'Overdue one', dueDate: '2031-04-01', standardCode: 'SEC-02' }, { text: 'Open one', dueDate: '2031-12-01' }],
      timing: { evaluation: 8, withAgency: 0, withinTarget: true },
    });
    const p2 = await insertOutcome('p2', {
      agency: 'MINSAL', status: 'REJECTED', requested: 200, approved: null, submittedAt: '2031-05-01T12:00:00Z', closedAt: '2031-05-21T12:00:00Z',
      verdicts: [{ type: 'TECHNICAL_REVIEW', standardCode: 'SEC-01', verdict: 'NOT_MET' }, { type: 'TECHNICAL_REVIEW', standardCode: 'PRI-01', verdict: 'NOT_MET' }],
      timing: { evaluation: 12, withAgency: 3, withinTarget: true },
    });
    await insertOutcome('p3', {
      agency: 'MINEDUC', status: 'WITHDRAWN', requested: 50, approved: null, submittedAt: '2031-06-01T12:00:00Z', closedAt: '2031-06-05T12:00:00Z',
      timing: { evaluation: 25, withAgency: 0, withinTarget: false },
    });
    await insertOutcome('p4', { agency: 'MINEDUC', status: 'APPROVED', requested: 300, approved: 300, submittedAt: '2031-07-01T12:00:00Z', closedAt: '2031-07-31T12:00:00Z' });
    // 2032-01-01 02:00 UTC is still 31 December 2031 in Santiago (UTC-3 in summer).
    await insertOutcome('p5', { agency: 'MINSAL', status: 'APPROVED', requested: 10, approved: 10, submittedAt: '2031-12-30T02:00:00Z', closedAt: '2032-01-01T02:00:00Z' });
    // A draft withdrawn before submission is no evaluation.
    await dataSource.query(
      `INSERT INTO proposals (id, agency_code, created_by, title, data, status, closed_at, outcome) VALUES ($1, 'MINSAL', $2, 'Draft', '{}', 'WITHDRAWN', '2031-08-01T12:00:00Z', '{"status":"WITHDRAWN"}')`,
      [randomUUID(), creator],
    );
    await insertTask(p1, 'TECHNICAL_REVIEW', '2031-03-01T12:00:00Z', '2031-03-03T12:00:00Z', { workingDays: 1 });
    await insertTask(p2, 'TECHNICAL_REVIEW', '2031-05-01T12:00:00Z', '2031-05-05T12:00:00Z', { escalated: true, breaches: 1, workingDays: 2 });
    await insertTask(p2, 'APPROVAL', '2031-05-10T12:00:00Z', '2031-05-11T12:00:00Z', { workingDays: 1 });
    // Escalated at once because nobody eligible could take it: no breach of its clock.
    await insertTask(p2, 'COST_EFFICIENCY_REVIEW', '2031-05-01T12:00:00Z', null, { escalated: true });
    // As autovacuum would leave them: statistics, and a visibility map for index-only scans.
    await dataSource.query('VACUUM ANALYZE proposals');
    await dataSource.query('VACUUM ANALYZE tasks');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const all: OutcomeFilter = { timeZone: SANTIAGO };

  it('pages the exports by keyset in exactly the list order, ties and microseconds included', async () => {
    const fromPages: string[] = [];
    for await (const page of oversight.outcomePages(all, 7)) fromPages.push(...page.map((r) => r.proposalId));
    const expected: { id: string }[] = await dataSource.query(
      `SELECT id FROM proposals WHERE closed_at IS NOT NULL AND submitted_at IS NOT NULL ORDER BY closed_at DESC, id DESC`,
    );
    expect(fromPages).toEqual(expected.map((r) => r.id));
    expect(fromPages).toHaveLength(GENERATED + 5);

    const listed: string[] = [];
    for (let page = 1; ; page += 1) {
      const { items, total } = await oversight.listOutcomes(all, page, 100);
      expect(total).toBe(GENERATED + 5);
      if (!items.length) break;
      listed.push(...items.map((r) => r.proposalId));
    }
    expect(listed).toEqual(fromPages);
  });

  it('expands every verdict of the opinions in force, keyset-paged too', async () => {
    let rows = 0;
    for await (const page of oversight.verdictPages(all, 50)) rows += page.reduce((sum, o) => sum + o.verdicts.length, 0);
    expect(rows).toBe(GENERATED * 2 + 4);
    const p2: { verdicts: unknown[] }[] = [];
    for await (const page of oversight.verdictPages({ ...all, from: '2031-05-21', to: '2031-05-21' })) p2.push(...page);
    expect(p2).toEqual([
      expect.objectContaining({
        proposalId: hand.p2,
        outcome: 'REJECTED',
        verdicts: [
          { reviewType: 'TECHNICAL_REVIEW', standardCode: 'SEC-01', verdict: 'NOT_MET', comment: 'c', decidedBy: 'technical_review@example.test', decidedAt: '2031-05-21T12:00:00Z' },
          { reviewType: 'TECHNICAL_REVIEW', standardCode: 'PRI-01', verdict: 'NOT_MET', comment: 'c', decidedBy: 'technical_review@example.test', decidedAt: '2031-05-21T12:00:00Z' },
        ],
      }),
    ]);
  });

  it('filters by local days (inclusive), agency, scope, outcome, tier and text', async () => {
    const ids = async (filter: Partial<OutcomeFilter>) => (await oversight.listOutcomes({ ...all, ...filter }, 1, 100)).items.map((r: OutcomeRow) => r.proposalId);
    expect(await ids({ from: '2031-01-01', to: '2031-12-31' })).toEqual([hand.p5, hand.p4, hand.p3, hand.p2, hand.p1]);
    expect(await ids({ from: '2031-01-01', to: '2031-12-31', timeZone: 'UTC' })).toEqual([hand.p4, hand.p3, hand.p2, hand.p1]);
    expect(await ids({ from: '2031-03-11', to: '2031-03-11' })).toEqual([hand.p1]);
    expect(await ids({ from: '2031-01-01', scopeAgencyCode: 'MINEDUC' })).toEqual([hand.p4, hand.p3]);
    expect(await ids({ from: '2031-01-01', scopeAgencyCode: 'MINEDUC', agencyCode: 'MINSAL' })).toEqual([]);
    expect(await ids({ from: '2031-01-01', outcome: 'REJECTED' })).toEqual([hand.p2]);
    expect(await ids({ q: 'hand p3' })).toEqual([hand.p3]);
    expect(await ids({ q: '%' })).toEqual([]);
    const [p1] = (await oversight.listOutcomes({ ...all, from: '2031-03-11', to: '2031-03-11' }, 1, 1)).items;
    expect(p1).toEqual({
      proposalId: hand.p1,
      title: 'Hand p1',
      agencyCode: 'MINSAL',
      tier: 'LOW',
      outcome: 'APPROVED_WITH_CONDITIONS',
      requestedAmount: 100,
      approvedAmount: 80,
      decidedAt: '2031-03-11T12:00:00.000Z',
      submittedAt: '2031-03-01T12:00:00.000Z',
      cycleDays: 10,
      conditions: [
        { text: 'Overdue one', dueDate: '2031-04-01', standardCode: 'SEC-02', source: 'TECHNICAL_REVIEW' },
        { text: 'Open one', dueDate: '2031-12-01', source: 'TECHNICAL_REVIEW' },
      ],
      catalogueVersion: '2026.1',
      policyVersion: '2026.1',
    });
  });

  it('computes the portfolio figures of a period, and an empty baseline beside them', async () => {
    const [period, baseline] = await oversight.portfolio([{ from: '2031-01-01', to: '2031-12-31' }, { from: '2005-01-01', to: '2005-12-31' }], SANTIAGO, '2031-06-01');
    expect(period).toEqual<PortfolioFigures>({
      outcomes: { total: 5, APPROVED: 2, APPROVED_WITH_CONDITIONS: 1, REJECTED: 1, WITHDRAWN: 1, LAPSED: 0 },
      byAgency: [
        { agencyCode: 'MINEDUC', year: 2031, requested: 350, approved: 300, count: 2 },
        { agencyCode: 'MINSAL', year: 2031, requested: 310, approved: 90, count: 3 },
      ],
      approvalRate: 0.75,
      requestedTotal: 660,
      approvedTotal: 390,
      cycleDays: { p50: 10, p90: 26 },
      // Outcomes p1-p3 measured it (p4, p5 were recorded before): percentile_cont over 8, 12, 25 and 0, 3, 0.
      workingDays: { evaluation: { p50: 12, p90: 22.4 }, withAgency: { p50: 0, p90: 2.4 }, measured: 3, withinTarget: 2 },
      stageDays: {
        TECHNICAL_REVIEW: { p50: 3, p90: 3.8, count: 2 },
        COST_EFFICIENCY_REVIEW: { p50: null, p90: null, count: 0 },
        APPROVAL: { p50: 1, p90: 1, count: 1 },
      },
      stageWorkingDays: {
        TECHNICAL_REVIEW: { p50: 1.5, p90: 1.9, count: 2 },
        COST_EFFICIENCY_REVIEW: { p50: null, p90: null, count: 0 },
        APPROVAL: { p50: 1, p90: 1, count: 1 },
      },
      slaBreaches: { total: 1, byType: { TECHNICAL_REVIEW: 1, COST_EFFICIENCY_REVIEW: 0, APPROVAL: 0 } },
      mostNotMetStandards: [
        { standardCode: 'SEC-01', count: 2 },
        { standardCode: 'PRI-01', count: 1 },
      ],
      openConditions: {
        count: 1,
        items: [{ proposalId: hand.p1, title: 'Hand p1', agencyCode: 'MINSAL', text: 'Open one', dueDate: '2031-12-01', source: 'TECHNICAL_REVIEW' }],
      },
      overdueConditions: {
        count: 1,
        items: [{ proposalId: hand.p1, title: 'Hand p1', agencyCode: 'MINSAL', text: 'Overdue one', standardCode: 'SEC-02', dueDate: '2031-04-01', source: 'TECHNICAL_REVIEW' }],
      },
    });
    expect(baseline).toMatchObject({ outcomes: { total: 0 }, byAgency: [], approvalRate: null, requestedTotal: 0, approvedTotal: 0, cycleDays: { p50: null, p90: null } });
    expect(baseline.mostNotMetStandards).toEqual([]);
    expect(baseline.openConditions).toEqual({ count: 0, items: [] });
  });

  it('aggregates the generated years as SQL over the whole table says', async () => {
    const [figures] = await oversight.portfolio([{ from: '2008-01-01', to: '2019-12-31' }], SANTIAGO, '2031-06-01');
    const [check] = await dataSource.query(
      `SELECT count(*)::int AS total, sum(requested_amount)::text AS requested FROM proposals WHERE title LIKE 'Generated %'`,
    );
    expect(figures.outcomes.total).toBe(check.total);
    expect(figures.requestedTotal).toBe(Number(check.requested));
    expect(figures.byAgency.reduce((sum, r) => sum + r.count, 0)).toBe(check.total);
    expect(figures.mostNotMetStandards.map((s) => s.standardCode).sort()).toEqual(['SEC-01', 'SEC-02', 'SEC-03']);
    expect(figures.mostNotMetStandards.reduce((sum, s) => sum + s.count, 0)).toBe(GENERATED / 4);
  });

  it('answers the period queries from the indexes, never a sequential scan of proposals or tasks', async () => {
    logger.queries.length = 0;
    await oversight.portfolio([{ from: '2015-01-01', to: '2015-12-31' }], SANTIAGO, '2031-06-01');
    await oversight.listOutcomes({ ...all, from: '2015-01-01', to: '2015-03-31' }, 1, 20);
    await oversight.listOutcomes({ ...all, scopeAgencyCode: 'MINSAL' }, 1, 20);
    await oversight.listOutcomes({ ...all, outcome: 'REJECTED', from: '2016-01-01', to: '2016-12-31' }, 1, 20);
    const pages = oversight.outcomePages({ ...all, from: '2017-01-01' }, 50);
    await pages.next();
    await pages.next();
    await pages.return(undefined);
    const selects = logger.queries.filter((q) => /^\s*(WITH|SELECT)/i.test(q.query) && /FROM (proposals|tasks)/.test(q.query));
    expect(selects.length).toBeGreaterThanOrEqual(11);
    const used = new Set<string>();
    for (const { query, parameters } of selects) {
      const [{ 'QUERY PLAN': plan }] = await dataSource.query(`EXPLAIN (FORMAT JSON) ${query}`, parameters);
      const nodes = planNodes((plan as { Plan: PlanNode }[])[0].Plan);
      const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && ['proposals', 'tasks'].includes(n['Relation Name'] ?? ''));
      expect({ query: query.replace(/\s+/g, ' ').slice(0, 160), seqScans }).toEqual({ query: expect.any(String), seqScans: [] });
      for (const n of nodes) if (n['Index Name']) used.add(n['Index Name']);
    }
    expect([...used]).toEqual(
      // The period aggregates read the covering index of closed evaluations (1764350000000-outcome-figures).
      expect.arrayContaining(['proposals_closed_figures_idx', 'proposals_agency_closed_idx', 'tasks_done_completed_idx', 'tasks_breached_created_idx']),
    );
  });
});
