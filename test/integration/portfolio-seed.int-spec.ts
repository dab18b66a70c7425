import type { DataSource } from 'typeorm';
import { computeTier, DEFAULT_POLICY, OUTCOME_STATUSES, type ProposalData } from '../../libs/domain';
import { createDataSource, RecordsRepository } from '../../libs/persistence';
import { explainReads, type ExplainedQuery } from '../../tools/portfolio/explain-reads';
import { simulateProposal, type Staff } from '../../tools/portfolio/generator';
import { Random } from '../../tools/portfolio/random';
import { SEED_EMAIL_DOMAIN, SeedRefusedError, seedPortfolio, type SeedPortfolioReport } from '../../tools/portfolio/seed-portfolio';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * The short version of `npm run seed:portfolio` + `npm run explain:reads`: 2,000 proposals in a
 * clone of the template database. The plan check proper is done at 100,000 proposals by the
 * script; at this size the planner may prefer a sequential scan of the (small) proposals table.
 */
const PROPOSALS = 2_000;
const AS_OF = new Date('2026-11-28T12:00:00Z');
const CLOSED = [...OUTCOME_STATUSES];
const IN_FLIGHT = ['SUBMITTED', 'RETURNED', 'IN_REVIEW', 'CHANGES_REQUESTED', 'IN_APPROVAL'];

describe('a realistic portfolio seeded directly in PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let report: SeedPortfolioReport;

  beforeAll(async () => {
    database = await createTestDatabase();
    report = await seedPortfolio(database.url, { proposals: PROPOSALS, seed: 'integration', fromYear: 2022, toYear: 2026, asOf: AS_OF });
    dataSource = createDataSource(database.url);
    await dataSource.initialize();
  }, 120_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number(((await dataSource.query(sql, params)) as { n: string | number }[])[0]?.n);

  it('has the statuses of a real portfolio: mostly closed, some in flight, a few drafts', async () => {
    const rows: { status: string; n: number }[] = await dataSource.query(`SELECT status, count(*)::int AS n FROM proposals GROUP BY status`);
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(byStatus).toEqual(report.byStatus);
    const share = (statuses: string[]) => statuses.reduce((sum, s) => sum + (byStatus[s] ?? 0), 0) / PROPOSALS;
    expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(PROPOSALS);
    expect(share(CLOSED)).toBeGreaterThan(0.85);
    expect(share(['APPROVED', 'APPROVED_WITH_CONDITIONS'])).toBeGreaterThan(0.55);
    expect(share(['APPROVED', 'APPROVED_WITH_CONDITIONS'])).toBeLessThan(0.85);
    expect(share(['APPROVED_WITH_CONDITIONS'])).toBeGreaterThan(0.1);
    expect(share(['REJECTED'])).toBeGreaterThan(0.04);
    expect(share(['REJECTED'])).toBeLessThan(0.25);
    expect(share(['WITHDRAWN', 'LAPSED'])).toBeGreaterThan(0.02);
    expect(share(['WITHDRAWN', 'LAPSED'])).toBeLessThan(0.15);
    expect(share(IN_FLIGHT)).toBeGreaterThan(0.002);
    expect(share(IN_FLIGHT)).toBeLessThan(0.08);
    expect(share(['DRAFT'])).toBeGreaterThan(0);
    expect(share(['DRAFT'])).toBeLessThan(0.08);

    // Every generated proposal is created by one of the seed's submitters, across the seven agencies.
    expect(await count(`SELECT count(*) AS n FROM proposals p JOIN users u ON u.id = p.created_by WHERE u.email LIKE $1`, [`%@${SEED_EMAIL_DOMAIN}`])).toBe(PROPOSALS);
    expect(await count(`SELECT count(DISTINCT agency_code) AS n FROM proposals`)).toBe(7);
    expect(await count(`SELECT count(DISTINCT tier) AS n FROM proposals`)).toBe(3);
    const years: { y: number }[] = await dataSource.query(`SELECT DISTINCT extract(year FROM closed_at)::int AS y FROM proposals WHERE closed_at IS NOT NULL ORDER BY 1`);
    expect(years.map((r) => r.y)).toEqual([2022, 2023, 2024, 2025, 2026]);
  });

  it('writes what the evaluation would have written: tiers, versions, tasks and outcomes', async () => {
    const submitted: { data: ProposalData; tier: string; current_version: number; versions: number }[] = await dataSource.query(
      `SELECT p.data, p.tier, p.current_version, (SELECT count(*)::int FROM proposal_versions v WHERE v.proposal_id = p.id) AS versions
       FROM proposals p WHERE p.submitted_at IS NOT NULL AND p.tier IS NOT NULL`,
    );
    expect(submitted.length).toBeGreaterThan(PROPOSALS * 0.9);
    for (const p of submitted) {
      expect(p.tier).toBe(computeTier(p.data, DEFAULT_POLICY).tier);
      expect(p.versions).toBe(p.current_version);
    }

    const outcomes: { status: string; outcome: Record<string, unknown> & { timing: { total: number; withAgency: number; evaluation: number } }; requested_amount: string; tier: string }[] = await dataSource.query(
      `SELECT status, outcome, requested_amount, tier FROM proposals WHERE closed_at IS NOT NULL AND submitted_at IS NOT NULL`,
    );
    const keys = ['approvals', 'approvedAmount', 'by', 'catalogueVersion', 'conditions', 'decidedAt', 'metrics', 'opinions', 'policyVersion', 'reason', 'requestedAmount', 'status', 'tier', 'timing', 'version'];
    for (const { status, outcome, requested_amount, tier } of outcomes) {
      expect(Object.keys(outcome).sort()).toEqual(keys);
      // Its time against the whole-evaluation target, as the workflow measures it: the agency's apart.
      expect(outcome.timing).toMatchObject({ unit: 'workingDays', target: 20 });
      expect(outcome.timing.evaluation).toBeCloseTo(outcome.timing.total - outcome.timing.withAgency, 2);
      expect(outcome.status).toBe(status);
      expect(outcome.tier).toBe(tier);
      expect(outcome.requestedAmount).toBe(Number(requested_amount));
      const conditions = outcome.conditions as { dueDate: string; source: string }[];
      if (status === 'APPROVED_WITH_CONDITIONS') {
        expect(conditions.length).toBeGreaterThan(0);
        for (const c of conditions) expect(c).toEqual(expect.objectContaining({ dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), source: expect.any(String) }));
      } else expect(conditions).toEqual([]);
      if (status.startsWith('APPROVED')) {
        expect(outcome.approvedAmount).toBeLessThanOrEqual(outcome.requestedAmount as number);
        expect((outcome.opinions as unknown[]).length).toBe(2);
        expect((outcome.approvals as unknown[]).length).toBeGreaterThan(0);
      } else expect(outcome.approvedAmount).toBeNull();
    }

    // Decided tasks carry the decision and who took it; open ones belong to evaluations in flight.
    expect(await count(`SELECT count(*) AS n FROM tasks WHERE status = 'DONE' AND (decision IS NULL OR decided_by IS NULL OR completed_at IS NULL)`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM tasks t JOIN proposals p ON p.id = t.proposal_id WHERE t.status = 'OPEN' AND p.status <> ALL($1)`, [IN_FLIGHT])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM tasks WHERE status = 'OPEN'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM tasks WHERE escalated`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM tasks WHERE type = 'TECHNICAL_REVIEW' AND status = 'DONE' AND jsonb_array_length(decision->'verdicts') = 0`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM tasks`)).toBe(report.tasks);
  }, 60_000);

  it('appends every record to the one hash chain, in time order, and GET /audit/verify stays ok', async () => {
    expect(await new RecordsRepository(dataSource).verifyAll()).toEqual({ ok: true, records: report.records, firstBadSeq: null });
    expect(report.firstSeq).toBe(1);
    expect(report.lastSeq).toBe(report.records);
    expect(await count(`SELECT count(*) AS n FROM (SELECT at < lag(at) OVER (ORDER BY seq) AS back FROM records) r WHERE back`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM records WHERE type = 'DECISION_RECORDED'`)).toBe(await count(`SELECT count(*) AS n FROM tasks WHERE status = 'DONE'`));
    const missing = await count(
      `SELECT count(*) AS n FROM proposals p WHERE p.closed_at IS NOT NULL AND p.submitted_at IS NOT NULL AND
         (SELECT count(DISTINCT type) FROM records r WHERE r.proposal_id = p.id AND r.type IN ('SUBMITTED', 'VERSION_CREATED', 'OUTCOME')) <> 3`,
    );
    expect(missing).toBe(0);
  }, 60_000);

  it('generates the same proposal from the same seed', () => {
    const member = (id: string, agencyCode: string) => ({ id, email: `${id}@example.test`, agencyCode, weight: 1 });
    const staff: Staff = {
      submitters: { MINSAL: { id: 'submitter', email: 'submitter@example.test' } },
      technical: [member('t1', 'DIGITAL'), member('t2', 'SEGPRES')],
      finance: [member('f1', 'HACIENDA')],
      approvers: {
        DIGITAL_HEAD: [member('d1', 'DIGITAL')],
        BUDGET_DIRECTOR: [member('b1', 'HACIENDA')],
        COMMITTEE: [member('c1', 'HACIENDA'), member('c2', 'SEGPRES'), member('c3', 'DIPRES')],
      },
    };
    const life = (seed: string) => simulateProposal(Random.derive(seed, 7), { staff, asOf: AS_OF.getTime() }, 'MINSAL', 7, Date.UTC(2024, 2, 1));
    expect(life('same')).toEqual(life('same'));
    expect(life('same').proposal.id).not.toBe(life('other').proposal.id);
  });

  it('keeps the hot reads off sequential scans of large tables', async () => {
    const results: ExplainedQuery[] = await explainReads(database.url);
    expect(results.length).toBeGreaterThan(50);
    // At this size records (about 40,000 rows) counts as large; proposals (2,000) and tasks
    // (about 9,000) do not, and the planner may legitimately read those whole.
    const failing = results.filter((r) => r.violation && !r.plannerChoice).map((r) => `${r.read} #${r.statement}: ${r.topNode}`);
    expect(failing).toEqual([]);
    expect(results.filter((r) => r.seqScans.some((s) => s.relation === 'records'))).toEqual([]);
    // The history, the one read of records, uses its index.
    expect(results.find((r) => r.read === 'GET /proposals/:id/history')?.indexes).toEqual(['records_proposal_seq_idx']);
    // The indexes the plans need at 100,000 proposals exist (the script checks the plans there).
    const indexes: { indexname: string }[] = await dataSource.query(`SELECT indexname FROM pg_indexes WHERE tablename IN ('proposals', 'tasks', 'records')`);
    expect(indexes.map((i) => i.indexname)).toEqual(
      expect.arrayContaining([
        'proposals_created_idx',
        'proposals_agency_created_idx',
        'proposals_status_idx',
        'proposals_tier_created_idx',
        'proposals_agency_status_created_idx',
        'proposals_title_trgm_idx',
        'proposals_summary_trgm_idx',
        'proposals_closed_id_idx',
        'proposals_agency_closed_idx',
        'proposals_status_closed_idx',
        'proposals_tier_closed_idx',
        'tasks_open_due_idx',
        'tasks_assignee_idx',
        'tasks_assignee_due_idx',
        'tasks_proposal_idx',
        'tasks_done_completed_idx',
        'tasks_escalated_created_idx',
        'records_proposal_seq_idx',
      ]),
    );
  }, 60_000);

  it('refuses to seed the same database again unless told to append, and appending keeps the chain whole', async () => {
    await expect(seedPortfolio(database.url, { proposals: PROPOSALS, seed: 'integration', fromYear: 2022, toYear: 2026, asOf: AS_OF })).rejects.toThrow(SeedRefusedError);
    const more = await seedPortfolio(database.url, { proposals: 50, seed: 'integration', fromYear: 2022, toYear: 2026, asOf: AS_OF, append: true, analyze: false });
    expect(more.existingGenerated).toBe(PROPOSALS);
    expect(more.firstSeq).toBe(report.records + 1);
    expect(await count(`SELECT count(*) AS n FROM proposals`)).toBe(PROPOSALS + 50);
    expect(await new RecordsRepository(dataSource).verifyAll()).toEqual({ ok: true, records: report.records + more.records, firstBadSeq: null });
  }, 60_000);
});
