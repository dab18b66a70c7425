/**
 * `npm run explain:reads -- [--json] [--large-table N]`
 *
 * Runs the API's hot reads through the real repositories (TasksRepository, ProposalsRepository,
 * RecordsRepository, OversightRepository) with TypeORM's query log captured, then runs each
 * captured statement again, with its parameters, under EXPLAIN (ANALYZE, BUFFERS). For each it
 * prints the execution time, the top of the plan, the indexes used and any sequential scan of
 * proposals, tasks, records or proposal_versions. Exits 1 when a statement scans sequentially a
 * table of more than 10,000 rows (pg_class.reltuples; --large-table to change), 2 on an error.
 * Such a statement is explained once more with enable_seqscan = off: when an index plan exists
 * and the planner estimates it at most 1.25 times the cost of the sequential one, the scan is the
 * planner's informed choice (the read covers a large share of the table) rather than a missing
 * index; it is marked SEQ* and still fails unless --allow-planner-choice is given.
 *
 * Meant for a database seeded with tools/portfolio/seed-portfolio (it picks its users, a proposal
 * and the periods from the data); it works on any migrated and seeded database.
 */
import { DataSource, type Logger } from 'typeorm';
import { DEFAULT_POLICY, localDateOf } from '../../libs/domain';
import { dataSourceOptions, OversightRepository, ProposalsRepository, RecordsRepository, TasksRepository, type OutcomeFilter } from '../../libs/persistence';
import { databaseUrlFromConfig } from './seed-portfolio';

/**
 * A sequential scan is the planner's informed choice, not a missing index, when the best index
 * plan is estimated at most this much dearer. A missing index shows as far dearer (a whole
 * index read with a heap visit per row) or impossible (still sequential).
 */
const PLANNER_CHOICE_MARGIN = 1.25;

/** The tables whose sequential scans the check is about. */
export const WATCHED_TABLES = ['proposals', 'tasks', 'records', 'proposal_versions'] as const;

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Alias?: string;
  'Actual Rows'?: number;
  'Total Cost'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

export interface ExplainedQuery {
  /** The read as the API serves it, and which of its statements. */
  read: string;
  statement: number;
  sql: string;
  executionMs: number;
  planningMs: number;
  /** The plan from its root down to the first scan or join, e.g. "Limit → Index Scan using tasks_open_due_idx on tasks". */
  topNode: string;
  indexes: string[];
  seqScans: { relation: string; tableRows: number }[];
  /** A sequential scan of a watched table larger than the threshold. */
  violation: boolean;
  /**
   * For a violation: the same statement with sequential scans disabled (enable_seqscan = off), so
   * the report can tell a missing index (no index plan exists, or it is much faster) from the
   * planner's informed choice (an index plan exists at about the same estimated cost).
   */
  alternative?: { topNode: string; indexes: string[]; executionMs: number; cost: number; seqScans: string[] };
  /** A violation where an index plan exists and the planner estimates it at most 1.25 times the sequential plan's cost. */
  plannerChoice: boolean;
  /** The planner's estimated total cost of the plan it chose. */
  cost: number;
  /** Shared buffers hit and read by the whole statement. */
  buffers: { hit: number; read: number };
}

export interface ExplainOptions {
  /** A watched table with more rows than this must not be scanned sequentially (default 10,000). */
  largeTable?: number;
  /** Only the reads whose name contains this text. */
  only?: string;
}

interface ExplainJson {
  Plan: PlanNode & { 'Shared Hit Blocks'?: number; 'Shared Read Blocks'?: number };
  'Execution Time': number;
  'Planning Time': number;
}

/** Remembers every statement TypeORM sends while `capturing` is on. */
class CapturingLogger implements Logger {
  capturing = false;
  readonly queries: { query: string; parameters: unknown[] }[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    if (this.capturing) this.queries.push({ query, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

function nodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodes)];
}

function seqScansOf(plan: PlanNode, sizes: ReadonlyMap<string, number>): { relation: string; tableRows: number }[] {
  return nodes(plan)
    .filter((node) => node['Node Type'].endsWith('Seq Scan') && (WATCHED_TABLES as readonly string[]).includes(node['Relation Name'] ?? ''))
    .map((node) => ({ relation: node['Relation Name'] as string, tableRows: Math.round(sizes.get(node['Relation Name'] as string) ?? 0) }));
}

function describe(node: PlanNode): string {
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  return `${node['Node Type']}${using}${on}`;
}

/** Root first, through single-child nodes, to the first scan or join. */
function topOf(root: PlanNode): string {
  const path: string[] = [];
  let node: PlanNode | undefined = root;
  while (node) {
    path.push(describe(node));
    if (node['Relation Name'] || (node.Plans?.length ?? 0) !== 1) break;
    node = node.Plans?.[0];
  }
  return path.join(' → ');
}

interface Read {
  name: string;
  run: () => Promise<unknown>;
}

interface Fixtures {
  users: Record<string, { id: string; roles: string[]; agencyCode: string; approvalLevel: string | null }>;
  proposalId: string;
  proposalVersion: number;
  year: number;
  today: string;
}

/** Users, a busy proposal and a recent full year, read from the data (not captured, not explained). */
async function fixtures(dataSource: DataSource): Promise<Fixtures> {
  const rows = (await dataSource.query(`SELECT id, email, roles, agency_code AS "agencyCode", approval_level AS "approvalLevel" FROM users`)) as {
    id: string;
    email: string;
    roles: string[];
    agencyCode: string;
    approvalLevel: string | null;
  }[];
  const users: Fixtures['users'] = {};
  for (const r of rows) users[r.email.split('@')[0] as string] = r;
  for (const needed of ['carla.rojas', 'elena.vera', 'gabriela.pinto', 'irene.fuentes', 'ana.torres', 'lucia.campos']) {
    if (!users[needed]) throw new Error(`demo user ${needed} is missing: is the database seeded (tools/devstack/setup-database)?`);
  }
  // A proposal from the middle of the log: typically one with a full evaluation behind it.
  const [middle] = (await dataSource.query(
    `SELECT r.proposal_id AS id, p.current_version AS version FROM records r JOIN proposals p ON p.id = r.proposal_id
     WHERE r.seq >= (SELECT max(seq) / 2 FROM records) AND r.type = 'OUTCOME' ORDER BY r.seq LIMIT 1`,
  )) as { id: string; version: number }[];
  const [any] = (await dataSource.query(`SELECT id, current_version AS version FROM proposals ORDER BY created_at DESC LIMIT 1`)) as { id: string; version: number }[];
  const proposal = middle ?? any;
  if (!proposal) throw new Error('the database has no proposals: seed it first (npm run seed:portfolio)');
  const [{ last }] = (await dataSource.query(`SELECT max(closed_at) AS last FROM proposals`)) as { last: Date | null }[];
  const lastClosed = last ?? new Date();
  const timeZone = DEFAULT_POLICY.calendar.timeZone;
  const lastYear = Number(localDateOf(lastClosed, timeZone).slice(0, 4));
  return { users, proposalId: proposal.id, proposalVersion: Math.max(1, proposal.version), year: lastYear - 1, today: localDateOf(new Date(), timeZone) };
}

function reads(dataSource: DataSource, f: Fixtures): Read[] {
  const tasks = new TasksRepository(dataSource);
  const proposals = new ProposalsRepository(dataSource);
  const records = new RecordsRepository(dataSource);
  const oversight = new OversightRepository(dataSource);
  const u = f.users;
  const eligibility = (name: string) => {
    const user = u[name] as Fixtures['users'][string];
    return { roles: user.roles, approvalLevel: user.approvalLevel, agencyCode: user.agencyCode, excludedProposalStages: true };
  };
  const page = { page: 1, pageSize: 20 };
  const timeZone = DEFAULT_POLICY.calendar.timeZone;
  const year = { from: `${f.year}-01-01`, to: `${f.year}-12-31` };
  const all: OutcomeFilter = { timeZone };
  const firstPages = async <T>(pages: AsyncGenerator<T>, count: number) => {
    for (let i = 0; i < count; i++) if ((await pages.next()).done) break;
    await pages.return(undefined);
  };
  const carla = (u['carla.rojas'] as Fixtures['users'][string]).id;
  return [
    // The task inbox (GET /tasks): TasksRepository.list as TasksService.list calls it.
    { name: 'GET /tasks (mine, a busy technical reviewer, no filter)', run: () => tasks.list({ scope: 'mine', userId: carla, ...page }) },
    { name: 'GET /tasks?status=OPEN (mine)', run: () => tasks.list({ scope: 'mine', userId: carla, status: 'OPEN', ...page }) },
    { name: 'GET /tasks?scope=available (technical reviewer)', run: () => tasks.list({ scope: 'available', userId: carla, eligibility: eligibility('carla.rojas'), ...page }) },
    { name: 'GET /tasks?scope=available (finance reviewer)', run: () => tasks.list({ scope: 'available', userId: u['elena.vera']!.id, eligibility: eligibility('elena.vera'), ...page }) },
    { name: 'GET /tasks?scope=available (approver, DIGITAL_HEAD)', run: () => tasks.list({ scope: 'available', userId: u['gabriela.pinto']!.id, eligibility: eligibility('gabriela.pinto'), ...page }) },
    {
      name: 'GET /tasks?scope=mine&status=OPEN&type=APPROVAL (committee member)',
      run: () => tasks.list({ scope: 'mine', userId: u['irene.fuentes']!.id, status: 'OPEN', type: 'APPROVAL', ...page }),
    },
    { name: 'GET /tasks?scope=all&status=OPEN (supervisor)', run: () => tasks.list({ scope: 'all', userId: u['gabriela.pinto']!.id, status: 'OPEN', ...page }) },
    { name: 'GET /tasks?scope=all&status=OPEN&escalated=true', run: () => tasks.list({ scope: 'all', userId: u['gabriela.pinto']!.id, status: 'OPEN', escalated: true, ...page }) },
    { name: 'GET /tasks?scope=all&proposalId=', run: () => tasks.list({ scope: 'all', userId: u['gabriela.pinto']!.id, proposalId: f.proposalId, ...page }) },
    // The proposal list (GET /proposals): ProposalsRepository.list.
    { name: 'GET /proposals (sees all)', run: () => proposals.list({ ...page }) },
    { name: 'GET /proposals (an agency, own scope)', run: () => proposals.list({ scopeAgencyCode: u['ana.torres']!.agencyCode, ...page }) },
    { name: 'GET /proposals?status=IN_REVIEW', run: () => proposals.list({ status: 'IN_REVIEW', ...page }) },
    { name: 'GET /proposals?tier=HIGH', run: () => proposals.list({ tier: 'HIGH', ...page }) },
    { name: 'GET /proposals?agencyCode=MINEDUC&status=APPROVED', run: () => proposals.list({ agencyCode: 'MINEDUC', status: 'APPROVED', ...page }) },
    { name: 'GET /proposals?q=telemedicine', run: () => proposals.list({ q: 'telemedicine', ...page }) },
    { name: 'GET /proposals?q=blockchain (no match)', run: () => proposals.list({ q: 'blockchain', ...page }) },
    { name: 'GET /proposals?q=magallanes (an agency)', run: () => proposals.list({ scopeAgencyCode: u['ana.torres']!.agencyCode, q: 'magallanes', ...page }) },
    { name: 'GET /proposals?page=50', run: () => proposals.list({ page: 50, pageSize: 20 }) },
    // One proposal (GET /proposals/:id, its history, a task's view of it).
    { name: 'GET /proposals/:id', run: () => proposals.findById(f.proposalId) },
    { name: 'GET /proposals/:id (open tasks)', run: () => tasks.openForProposal(f.proposalId) },
    { name: 'GET /proposals/:id/history', run: () => records.listForProposal(f.proposalId) },
    { name: 'GET /tasks/:id (earlier opinions)', run: () => tasks.forProposal(f.proposalId) },
    { name: 'GET /tasks/:id (version under review)', run: () => proposals.findVersion(f.proposalId, f.proposalVersion) },
    // Finance and oversight: GET /outcomes, the exports, GET /reports/portfolio.
    { name: 'GET /outcomes', run: () => oversight.listOutcomes(all, 1, 20) },
    { name: `GET /outcomes?from=${year.from}&to=${year.to}`, run: () => oversight.listOutcomes({ ...all, ...year }, 1, 20) },
    { name: 'GET /outcomes (an agency, own scope)', run: () => oversight.listOutcomes({ ...all, scopeAgencyCode: u['ana.torres']!.agencyCode }, 1, 20) },
    { name: 'GET /outcomes?outcome=REJECTED (a year)', run: () => oversight.listOutcomes({ ...all, ...year, outcome: 'REJECTED' }, 1, 20) },
    { name: 'GET /outcomes?tier=HIGH (a year)', run: () => oversight.listOutcomes({ ...all, ...year, tier: 'HIGH' }, 1, 20) },
    { name: 'GET /outcomes?q=telemedicine (a year)', run: () => oversight.listOutcomes({ ...all, ...year, q: 'telemedicine' }, 1, 20) },
    { name: 'GET /outcomes?page=20 (a year)', run: () => oversight.listOutcomes({ ...all, ...year }, 20, 20) },
    { name: 'GET /outcomes/export.csv (first two keyset pages, a year)', run: () => firstPages(oversight.outcomePages({ ...all, ...year }), 2) },
    { name: 'GET /outcomes/verdicts.csv (first keyset page, a year)', run: () => firstPages(oversight.verdictPages({ ...all, ...year }), 1) },
    {
      name: `GET /reports/portfolio?from=${year.from}&to=${year.to}&baselineFrom=${f.year - 1}-01-01&baselineTo=${f.year - 1}-12-31`,
      run: () => oversight.portfolio([year, { from: `${f.year - 1}-01-01`, to: `${f.year - 1}-12-31` }], timeZone, f.today),
    },
  ];
}

/** Runs the reads, captures their statements, and explains each one. */
export async function explainReads(databaseUrl: string, options: ExplainOptions = {}): Promise<ExplainedQuery[]> {
  const largeTable = options.largeTable ?? 10_000;
  const logger = new CapturingLogger();
  const dataSource = new DataSource({ ...dataSourceOptions(databaseUrl, 'appraise-explain-reads'), logging: ['query'], logger, maxQueryExecutionTime: undefined });
  await dataSource.initialize();
  try {
    const sizes = new Map<string, number>(
      ((await dataSource.query(`SELECT relname, reltuples::float8 AS rows FROM pg_class WHERE relkind = 'r' AND relname = ANY($1)`, [[...WATCHED_TABLES]])) as {
        relname: string;
        rows: number;
      }[]).map((r) => [r.relname, Math.max(0, r.rows)]),
    );
    const f = await fixtures(dataSource);
    const out: ExplainedQuery[] = [];
    for (const read of reads(dataSource, f)) {
      if (options.only && !read.name.includes(options.only)) continue;
      logger.queries.length = 0;
      logger.capturing = true;
      try {
        await read.run();
      } finally {
        logger.capturing = false;
      }
      const statements = logger.queries.filter((q) => /^\s*(SELECT|WITH)\b/i.test(q.query));
      let n = 0;
      for (const { query, parameters } of statements) {
        n += 1;
        // In a read-only transaction (EXPLAIN ANALYZE runs the statement); for a violation, once
        // more with sequential scans disabled, to see what the index plan would do.
        const { plan, forced } = await dataSource.transaction(async (manager) => {
          await manager.query('SET TRANSACTION READ ONLY');
          const explain = async (): Promise<ExplainJson> => {
            const [row] = (await manager.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query}`, parameters)) as { 'QUERY PLAN': unknown }[];
            return (row?.['QUERY PLAN'] as ExplainJson[])[0] as ExplainJson;
          };
          const first = await explain();
          if (!seqScansOf(first.Plan, sizes).some((s) => s.tableRows > largeTable)) return { plan: first, forced: null };
          await manager.query('SET LOCAL enable_seqscan = off');
          return { plan: first, forced: await explain() };
        });
        const all = nodes(plan.Plan);
        const seqScans = seqScansOf(plan.Plan, sizes);
        const forcedAll = forced ? nodes(forced.Plan) : [];
        const alternative = forced
          ? {
              topNode: topOf(forced.Plan),
              indexes: [...new Set(forcedAll.map((node) => node['Index Name']).filter((name): name is string => Boolean(name)))],
              executionMs: forced['Execution Time'],
              cost: forced.Plan['Total Cost'] ?? 0,
              seqScans: seqScansOf(forced.Plan, sizes).filter((s) => s.tableRows > largeTable).map((s) => s.relation),
            }
          : undefined;
        out.push({
          read: read.name,
          statement: n,
          sql: query.replace(/\s+/g, ' ').trim(),
          executionMs: plan['Execution Time'],
          planningMs: plan['Planning Time'],
          topNode: topOf(plan.Plan),
          indexes: [...new Set(all.map((node) => node['Index Name']).filter((name): name is string => Boolean(name)))],
          seqScans,
          violation: seqScans.some((s) => s.tableRows > largeTable),
          cost: plan.Plan['Total Cost'] ?? 0,
          alternative,
          plannerChoice: Boolean(
            alternative && alternative.seqScans.length === 0 && alternative.indexes.length > 0 && alternative.cost <= PLANNER_CHOICE_MARGIN * (plan.Plan['Total Cost'] ?? 0),
          ),
          buffers: { hit: plan.Plan['Shared Hit Blocks'] ?? 0, read: plan.Plan['Shared Read Blocks'] ?? 0 },
        });
      }
    }
    return out;
  } finally {
    await dataSource.destroy();
  }
}

// ----- command line --------------------------------------------------------------------------------

function report(results: ExplainedQuery[], largeTable: number, allowPlannerChoice: boolean): string {
  const lines: string[] = [];
  let read = '';
  for (const r of results) {
    if (r.read !== read) {
      read = r.read;
      lines.push('', read);
    }
    const mark = r.violation ? (r.plannerChoice ? 'SEQ*' : 'SEQ ') : r.seqScans.length ? 'seq ' : 'ok  ';
    const scans = r.seqScans.length ? `  seq scan: ${r.seqScans.map((s) => `${s.relation} (${s.tableRows.toLocaleString('en-US')} rows)`).join(', ')}` : '';
    lines.push(`  ${mark} #${r.statement} ${r.executionMs.toFixed(2).padStart(9)} ms  ${r.topNode}${r.indexes.length ? `  [${r.indexes.join(', ')}]` : ''}${scans}`);
    if (r.alternative) {
      const a = r.alternative;
      lines.push(
        `         with enable_seqscan=off: ${a.executionMs.toFixed(2)} ms, cost ${Math.round(a.cost)} against ${Math.round(r.cost)}  ${a.topNode}${a.indexes.length ? `  [${a.indexes.join(', ')}]` : ''}` +
          (r.plannerChoice ? '  (an index plan exists at about the same cost: the planner’s choice)' : a.seqScans.length ? '  (still sequential: no usable index)' : '  (the index plan is far dearer: a missing index)'),
      );
    }
    lines.push(`         ${r.sql.length > 150 ? `${r.sql.slice(0, 150)}…` : r.sql}`);
  }
  const bad = results.filter((r) => r.violation);
  const failing = bad.filter((r) => !(allowPlannerChoice && r.plannerChoice));
  const slowest = [...results].sort((a, b) => b.executionMs - a.executionMs)[0];
  lines.push(
    '',
    `${results.length} statements from ${new Set(results.map((r) => r.read)).size} reads; slowest ${slowest ? `${slowest.executionMs.toFixed(1)} ms (${slowest.read} #${slowest.statement})` : '-'}`,
  );
  if (!bad.length) lines.push(`ok: no sequential scan of a table of more than ${largeTable.toLocaleString('en-US')} rows`);
  else {
    const chosen = bad.filter((r) => r.plannerChoice).length;
    lines.push(
      `${failing.length ? 'FAIL' : 'ok'}: ${bad.length} statement(s) scan a table of more than ${largeTable.toLocaleString('en-US')} rows sequentially` +
        (chosen ? `; ${chosen} of them (SEQ*) have an index plan of about the same estimated cost${allowPlannerChoice ? ', accepted (--allow-planner-choice)' : ' (--allow-planner-choice accepts those)'}` : ''),
    );
  }
  return lines.join('\n');
}

const USAGE = `usage: node dist/tools/portfolio/explain-reads.js [--json] [--large-table N] [--only TEXT] [--allow-planner-choice]
  --large-table N          a watched table with more rows than this must not be scanned sequentially (default 10000)
  --only TEXT              only the reads whose name contains TEXT
  --allow-planner-choice   do not fail on a sequential scan whose index alternative costs about the same (the planner's choice)
  --json                   the results as JSON
Reads DATABASE_URL (libs/config). Exit status: 0 ok, 1 a sequential scan of a large table, 2 an error.`;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let json = false;
  let largeTable = 10_000;
  let only: string | undefined;
  let allowPlannerChoice = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--allow-planner-choice') allowPlannerChoice = true;
    else if (arg === '--large-table') {
      largeTable = Number(argv[++i]);
      if (!Number.isInteger(largeTable) || largeTable < 0) throw new RangeError('--large-table needs a whole number');
    } else if (arg === '--only') only = argv[++i];
    else if (arg === '--help' || arg === '-h') {
      console.error(USAGE);
      return 0;
    } else throw new RangeError(`unknown argument ${arg}\n${USAGE}`);
  }
  const results = await explainReads(databaseUrlFromConfig(), { largeTable, only });
  console.log(json ? JSON.stringify(results, null, 2) : report(results, largeTable, allowPlannerChoice));
  return results.some((r) => r.violation && !(allowPlannerChoice && r.plannerChoice)) ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`explain-reads failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
