/**
 * `npm run seed:portfolio -- [--proposals N] [--seed S] [--from-year Y] [--to-year Y] [--as-of ISO] [--append]`
 *
 * Fills the database with a realistic portfolio of evaluations (default 100,000 proposals over
 * 2022-2026), written directly in PostgreSQL: they are history, so Temporal is bypassed. Each
 * proposal's life is simulated as the evaluation workflow would have run it (tools/portfolio/
 * generator.ts), and its projection, versions, tasks and records are inserted in batches of about
 * 1,000 proposals (multi-row INSERTs, the rows sent as one jsonb parameter per statement): one
 * transaction writes a batch's proposals, versions and tasks while a second connection writes the
 * previous batch's records, so that PostgreSQL works on both cores. (Should a run fail, the last
 * batch or two may lack their records: seed a fresh database.) The records join the one global hash chain (recordHash from libs/persistence) in
 * time order, after whatever the log already holds, so GET /audit/verify stays ok; the seeder
 * holds the chain's advisory lock for its whole run, so a running system's appends wait for it.
 * VACUUM (ANALYZE) runs at the end: planner statistics, and the visibility map index-only scans need.
 *
 * Generated rows are told apart by who created them: every generated proposal's `created_by` is
 * one of the seed's own submitter accounts, `portfolio.submitter.<agency>@portfolio-seed.example`
 * (one per agency, no password, so nobody signs in as them). Their versions, tasks and records
 * hang off those proposals. Four more seed accounts (`portfolio.*@portfolio-seed.example`, also
 * without password) stand in where the demo directory has nobody outside the proposal's agency
 * (technical and finance reviews of DIGITAL's and HACIENDA's proposals, their first approval levels).
 */
import { Client } from 'pg';
import { ConfigError, loadConfig } from '../../libs/config';
import { CATALOGUE_2026_1, DEFAULT_POLICY, type ApprovalLevel } from '../../libs/domain';
import { CHAIN_LOCK, DEMO_AGENCIES, GENESIS_HASH, recordHash } from '../../libs/persistence';
import type { ActorRef } from '../../libs/temporal/src/evaluation.contract';
import { AGENCY_PROFILES } from './content';
import { simulateProposal, type ProposalRow, type SeedEvent, type Staff, type StaffMember, type TaskRow, type VersionRow } from './generator';
import { ProgressBar } from './progress';
import { Random } from './random';

export const SEED_EMAIL_DOMAIN = 'portfolio-seed.example';

export interface SeedPortfolioOptions {
  /** How many proposals to generate. */
  proposals: number;
  /** Any text; the same seed (and database state) gives the same portfolio. */
  seed: string;
  fromYear: number;
  toYear: number;
  /** The moment the portfolio is seen at (default: now, within the years). In-flight work is open at this moment. */
  asOf?: Date;
  /** Add to a database that already holds more than half of `proposals` generated ones. */
  append?: boolean;
  /** Proposals per transaction (default 1,000). */
  batchSize?: number;
  /** VACUUM (ANALYZE) the tables at the end (default true). */
  analyze?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedPortfolioReport {
  proposals: number;
  versions: number;
  tasks: number;
  records: number;
  byStatus: Record<string, number>;
  /** Generated proposals already in the database before this run. */
  existingGenerated: number;
  asOf: string;
  firstSeq: number | null;
  lastSeq: number | null;
  seconds: number;
}

export class SeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedRefusedError';
  }
}

interface SeedAccount {
  email: string;
  name: string;
  roles: string[];
  agencyCode: string;
  approvalLevel: ApprovalLevel | null;
  deputy: boolean;
}

function seedAccounts(): SeedAccount[] {
  const account = (local: string, name: string, roles: string[], agencyCode: string, approvalLevel: ApprovalLevel | null = null, deputy = false): SeedAccount => ({
    email: `${local}@${SEED_EMAIL_DOMAIN}`,
    name,
    roles,
    agencyCode,
    approvalLevel,
    deputy,
  });
  return [
    ...DEMO_AGENCIES.map((a) => account(`portfolio.submitter.${a.code.toLowerCase()}`, `Portfolio seed submitter (${a.code})`, ['agency_submitter'], a.code)),
    account('portfolio.reviewer.segpres', 'Portfolio seed technical reviewer', ['technical_reviewer'], 'SEGPRES'),
    account('portfolio.finance.dipres', 'Portfolio seed finance reviewer', ['finance_reviewer'], 'DIPRES'),
    account('portfolio.digital-head.segpres', 'Portfolio seed deputy digital head', ['approver'], 'SEGPRES', 'DIGITAL_HEAD', true),
    account('portfolio.budget-director.dipres', 'Portfolio seed deputy budget director', ['approver'], 'DIPRES', 'BUDGET_DIRECTOR', true),
  ];
}

interface UserRow {
  id: string;
  email: string;
  roles: string[];
  agency_code: string;
  approval_level: string | null;
  deputy: boolean;
}

/** The seed's accounts (created when absent) and everyone who may decide, from the users table. */
async function prepareStaff(client: Client): Promise<Staff> {
  for (const a of DEMO_AGENCIES) await client.query('INSERT INTO agencies (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING', [a.code, a.name]);
  for (const a of seedAccounts()) {
    await client.query(
      `INSERT INTO users (email, name, password_hash, roles, agency_code, approval_level, deputy)
       VALUES ($1, $2, NULL, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING`,
      [a.email, a.name, a.roles, a.agencyCode, a.approvalLevel, a.deputy],
    );
  }
  const { rows } = await client.query<UserRow>('SELECT id, email, roles, agency_code, approval_level, deputy FROM users WHERE NOT disabled ORDER BY email');
  const member = (u: UserRow): StaffMember => ({
    id: u.id,
    email: u.email,
    agencyCode: u.agency_code,
    // The demo directory's holders take most of the work; deputies and the seed's stand-ins less.
    weight: u.email.endsWith(`@${SEED_EMAIL_DOMAIN}`) ? 0.3 : u.deputy ? 0.4 : 1,
  });
  const withRole = (role: string) => rows.filter((u) => u.roles.includes(role));
  const atLevel = (level: ApprovalLevel) => withRole('approver').filter((u) => u.approval_level === level).map(member);
  const submitters: Record<string, ActorRef> = {};
  for (const a of DEMO_AGENCIES) {
    const u = rows.find((r) => r.email === `portfolio.submitter.${a.code.toLowerCase()}@${SEED_EMAIL_DOMAIN}`);
    if (u) submitters[a.code] = { id: u.id, email: u.email };
  }
  return {
    submitters,
    technical: withRole('technical_reviewer').map(member),
    finance: withRole('finance_reviewer').map(member),
    approvers: { DIGITAL_HEAD: atLevel('DIGITAL_HEAD'), BUDGET_DIRECTOR: atLevel('BUDGET_DIRECTOR'), COMMITTEE: atLevel('COMMITTEE') },
  };
}

async function countGenerated(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM proposals WHERE created_by IN (SELECT id FROM users WHERE email LIKE $1)`,
    [`%@${SEED_EMAIL_DOMAIN}`],
  );
  return rows[0]?.n ?? 0;
}

/** A min-heap of records by time (then by the order they were made), so the chain runs in time order. */
class EventQueue {
  private readonly heap: { at: number; order: number; event: SeedEvent }[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(event: SeedEvent): void {
    const heap = this.heap;
    heap.push({ at: event.at, order: this.counter++, event });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Removes and returns every event at or before `until`, oldest first. */
  popUntil(until: number, into: SeedEvent[]): void {
    while (this.heap.length && this.heap[0]!.at <= until) into.push(this.pop());
  }

  private pop(): SeedEvent {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.less(l, m)) m = l;
        if (r < heap.length && this.less(r, m)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top.event;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.order < y.order);
  }
}

interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * One transaction's rows, serialised as they are generated (between yields to the event loop),
 * so that when the batch is written PostgreSQL gets its statements at once, while the next batch
 * is being generated.
 */
class Batch {
  readonly proposals: string[] = [];
  readonly versions: string[] = [];
  readonly tasks: string[] = [];
  readonly records: string[] = [];
  /** The chain head before this batch's first record, and after its last. */
  readonly before: ChainHead;
  after: ChainHead;
  /** Generated proposals once this batch is committed. */
  doneAfter = 0;

  constructor(head: ChainHead) {
    this.before = head;
    this.after = head;
  }

  add(proposal: ProposalRow, versions: VersionRow[], tasks: TaskRow[]): void {
    this.proposals.push(JSON.stringify(proposal));
    for (const v of versions) this.versions.push(JSON.stringify(v));
    for (const t of tasks) this.tasks.push(JSON.stringify(t));
  }

  /** Appends records to the chain, in the order given. */
  chain(events: readonly SeedEvent[]): void {
    let { seq, hash } = this.after;
    for (const e of events) {
      seq += 1;
      const at = new Date(e.at);
      const prevHash = hash;
      hash = recordHash(prevHash, { seq, at, proposalId: e.proposalId, actor: e.actor, type: e.type, data: e.data });
      this.records.push(
        JSON.stringify({ seq, at: at.toISOString(), proposal_id: e.proposalId, actor: e.actor, type: e.type, data: e.data, prev_hash: prevHash, hash, dedupe_key: e.dedupeKey }),
      );
    }
    this.after = { seq, hash };
  }
}

const COLUMNS = {
  proposals: [
    'id', 'agency_code', 'created_by', 'title', 'data', 'status', 'stages', 'tier', 'tier_reasons', 'route', 'screening_issues', 'current_version',
    'catalogue_version', 'policy_version', 'workflow_id', 'requested_amount', 'created_at', 'updated_at', 'submitted_at', 'outcome', 'closed_at',
  ],
  proposal_versions: ['proposal_id', 'version', 'data', 'created_by', 'created_at'],
  tasks: [
    'id', 'proposal_id', 'proposal_title', 'agency_code', 'type', 'approval_level', 'status', 'candidate_role', 'assignee_id', 'version', 'round',
    'due_at', 'reminded_at', 'escalated', 'breaches', 'decision', 'decided_by', 'working_days', 'created_at', 'completed_at',
  ],
  records: ['seq', 'at', 'proposal_id', 'actor', 'type', 'data', 'prev_hash', 'hash', 'dedupe_key'],
} as const;

const ROWS_PER_STATEMENT = 2_500;

/** Multi-row INSERTs of a few thousand rows each: the rows travel as one jsonb parameter. */
async function insertRows(client: Client, table: keyof typeof COLUMNS, rows: readonly string[]): Promise<void> {
  const columns = COLUMNS[table].join(', ');
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const json = `[${rows.slice(i, i + ROWS_PER_STATEMENT).join(',')}]`;
    await client.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`, [json]);
  }
}

async function readHead(client: Client): Promise<ChainHead> {
  const { rows } = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1');
  return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : { seq: 0, hash: GENESIS_HASH };
}

/** One transaction: the projections, then their records, which must continue the chain where it is. */
async function inTransaction(client: Client, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The batch's proposals, versions and tasks, in one transaction. */
function writeProjections(client: Client, batch: Batch): Promise<void> {
  return inTransaction(client, async () => {
    await insertRows(client, 'proposals', batch.proposals);
    await insertRows(client, 'proposal_versions', batch.versions);
    await insertRows(client, 'tasks', batch.tasks);
  });
}

/** The batch's records, in one transaction, continuing the chain exactly where it is. */
function writeRecords(client: Client, batch: Batch): Promise<void> {
  return inTransaction(client, async () => {
    const head = await readHead(client);
    if (head.seq !== batch.before.seq || head.hash !== batch.before.hash) {
      throw new Error(`the record chain moved under the seeder (head is seq ${head.seq}, expected ${batch.before.seq}): something appended without the chain lock`);
    }
    await insertRows(client, 'records', batch.records);
  });
}

/** Creation times for `count` proposals over [from, to), sorted, with the volume growing about 60% over the span. */
function creationTimes(rng: Random, count: number, from: number, to: number): (i: number) => number {
  const span = to - from;
  const growth = Math.log(1.6) / span;
  const scale = Math.expm1(growth * span);
  return (i) => {
    const u = (i + rng.next()) / count;
    return Math.round(from + Math.log1p(u * scale) / growth);
  };
}

/** Defaults to now, kept within the years asked for. */
function resolveAsOf(options: SeedPortfolioOptions): number {
  const start = Date.UTC(options.fromYear, 0, 1);
  const end = Date.UTC(options.toYear + 1, 0, 1) - 1;
  const asOf = options.asOf ? options.asOf.getTime() : Math.floor(Date.now() / 60_000) * 60_000;
  if (!Number.isFinite(asOf)) throw new RangeError('asOf is not a valid date');
  if (asOf <= start) throw new RangeError(`asOf (${new Date(asOf).toISOString()}) must be after the start of ${options.fromYear}`);
  return Math.min(asOf, end);
}

/** Generates and writes the portfolio. The database must be migrated and seeded (tools/devstack/setup-database). */
export async function seedPortfolio(databaseUrl: string, options: SeedPortfolioOptions): Promise<SeedPortfolioReport> {
  const started = Date.now();
  const total = options.proposals;
  if (!Number.isInteger(total) || total < 1) throw new RangeError('proposals must be a whole number of at least 1');
  if (!(options.fromYear <= options.toYear)) throw new RangeError('fromYear must not be after toYear');
  const batchSize = options.batchSize ?? 1_000;
  const asOf = resolveAsOf(options);
  const from = Date.UTC(options.fromYear, 0, 1);

  const client = new Client({ connectionString: databaseUrl, application_name: 'appraise-seed-portfolio' });
  await client.connect();
  const clients = [client];
  try {
    const pinned = await client.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM standards_catalogues WHERE version = $1) + (SELECT count(*) FROM policies WHERE version = $2) AS n`,
      [CATALOGUE_2026_1.version, DEFAULT_POLICY.version],
    );
    if (Number(pinned.rows[0]?.n) !== 2) {
      throw new SeedRefusedError(`catalogue ${CATALOGUE_2026_1.version} and policy ${DEFAULT_POLICY.version} are not in the database: set it up first (node dist/tools/devstack/setup-database.js)`);
    }
    // The chain has one head: hold its lock (the one RecordsRepository.append takes) for the
    // whole run, so nothing appends between our batches (a running system's appends wait) and a
    // second seeder waits here, then counts what the first one wrote.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [CHAIN_LOCK]);
    const staff = await prepareStaff(client);
    const existingGenerated = await countGenerated(client);
    if (existingGenerated > total / 2 && !options.append) {
      throw new SeedRefusedError(
        `the database already holds ${existingGenerated.toLocaleString('en-US')} generated proposals (created by *@${SEED_EMAIL_DOMAIN}), ` +
          `more than half of the ${total.toLocaleString('en-US')} asked for. Seed a fresh database, or pass --append to add ${total.toLocaleString('en-US')} more.`,
      );
    }
    const agencyWeights: Record<string, number> = {};
    for (const code of Object.keys(staff.submitters)) agencyWeights[code] = AGENCY_PROFILES[code]?.weight ?? 1;
    // Later runs (--append) draw new streams: the run's offset is part of every proposal's seed.
    const offset = existingGenerated;
    const timeAt = creationTimes(Random.derive(options.seed, `times:${offset}`), total, from, asOf);

    const queue = new EventQueue();
    const byStatus: Record<string, number> = {};
    const counts = { versions: 0, tasks: 0, records: 0 };
    const first = await readHead(client);
    let batch = new Batch(first);
    // Two connections, so that PostgreSQL parses and indexes on both cores: one writes a batch's
    // projections while the other writes the previous batch's records (which may refer to any
    // proposal already committed). Node generates the next batch meanwhile.
    const projections = new Client({ connectionString: databaseUrl, application_name: 'appraise-seed-portfolio' });
    await projections.connect();
    clients.push(projections);
    let projected: Promise<void> = Promise.resolve();
    let recorded: Promise<void> = Promise.resolve();
    let recordedBefore: Promise<void> = Promise.resolve();

    const ship = async (current: Batch): Promise<void> => {
      counts.records += current.records.length;
      // At most one batch of projections and two of records in flight.
      await Promise.all([projected, recordedBefore]);
      const thisProjected = writeProjections(projections, current);
      const previousRecorded = recorded;
      const thisRecorded = Promise.all([thisProjected, previousRecorded]).then(async () => {
        await writeRecords(client, current);
        options.onProgress?.(current.doneAfter, total);
      });
      // A failure surfaces at the next await, not as an unhandled rejection meanwhile.
      thisProjected.catch(() => undefined);
      thisRecorded.catch(() => undefined);
      projected = thisProjected;
      recordedBefore = previousRecorded;
      recorded = thisRecorded;
    };

    options.onProgress?.(0, total);
    const due: SeedEvent[] = [];
    for (let i = 0; i < total; i++) {
      const index = offset + i;
      const rng = Random.derive(options.seed, index);
      const createdAt = timeAt(i);
      // Every record of later proposals comes after this moment: the older ones can be chained now.
      due.length = 0;
      queue.popUntil(createdAt, due);
      batch.chain(due);
      const life = simulateProposal(rng, { staff, asOf }, rng.weighted(agencyWeights), index + 1, createdAt);
      batch.add(life.proposal, life.versions, life.tasks);
      for (const e of life.events) queue.push(e);
      byStatus[life.proposal.status] = (byStatus[life.proposal.status] ?? 0) + 1;
      counts.versions += life.versions.length;
      counts.tasks += life.tasks.length;
      if (batch.proposals.length >= batchSize && i < total - 1) {
        batch.doneAfter = i + 1;
        await ship(batch);
        batch = new Batch(batch.after);
      }
      // Let the pending write's next statement go out while generating.
      if (i % 5 === 4) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    due.length = 0;
    queue.popUntil(Infinity, due);
    batch.chain(due);
    batch.doneAfter = total;
    await ship(batch);
    await Promise.all([projected, recorded]);
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [CHAIN_LOCK]);
    const last = batch.after;

    if (options.analyze ?? true) {
      // Statistics for the planner, and a visibility map so index-only scans work at once
      // (autovacuum would get there too, later).
      await client.query('VACUUM (ANALYZE) proposals, proposal_versions, tasks, records, users');
    }
    return {
      proposals: total,
      versions: counts.versions,
      tasks: counts.tasks,
      records: counts.records,
      byStatus,
      existingGenerated,
      asOf: new Date(asOf).toISOString(),
      firstSeq: counts.records ? first.seq + 1 : null,
      lastSeq: counts.records ? last.seq : null,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const c of clients) await c.end().catch(() => undefined);
  }
}

// ----- command line --------------------------------------------------------------------------------

const USAGE = `usage: node dist/tools/portfolio/seed-portfolio.js [--proposals N] [--seed S] [--from-year YYYY] [--to-year YYYY] [--as-of ISO-8601] [--append]
  --proposals N    proposals to generate (default 100000)
  --seed S         seed of the deterministic generator (default "appraise")
  --from-year Y    first year of the portfolio (default 2022)
  --to-year Y      last year of the portfolio (default 2026)
  --as-of T        the moment the portfolio is seen at (default now, kept within the years)
  --append         add to a database that already holds more than N/2 generated proposals
Reads DATABASE_URL (libs/config). Generated proposals are created by *@${SEED_EMAIL_DOMAIN}.`;

interface CliArgs {
  proposals: number;
  seed: string;
  fromYear: number;
  toYear: number;
  asOf?: Date;
  append: boolean;
}

export function parseSeedArgs(argv: readonly string[]): CliArgs | 'help' {
  const args: CliArgs = { proposals: 100_000, seed: 'appraise', fromYear: 2022, toYear: 2026, append: false };
  const integer = (flag: string, raw: string | undefined, min: number, max: number): number => {
    const value = Number(raw);
    if (raw === undefined || !Number.isInteger(value) || value < min || value > max) throw new RangeError(`${flag} needs a whole number from ${min} to ${max}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '--proposals':
        args.proposals = integer(name, value(), 1, 10_000_000);
        break;
      case '--seed': {
        const seed = value();
        if (!seed) throw new RangeError('--seed needs a value');
        args.seed = seed;
        break;
      }
      case '--from-year':
        args.fromYear = integer(name, value(), 2000, 2100);
        break;
      case '--to-year':
        args.toYear = integer(name, value(), 2000, 2100);
        break;
      case '--as-of': {
        const raw = value();
        const at = raw ? new Date(raw) : new Date(Number.NaN);
        if (Number.isNaN(at.getTime())) throw new RangeError('--as-of needs an ISO-8601 date or time');
        args.asOf = at;
        break;
      }
      case '--append':
        args.append = true;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new RangeError(`unknown argument ${flag}`);
    }
  }
  if (args.fromYear > args.toYear) throw new RangeError('--from-year must not be after --to-year');
  return args;
}

/** Only the database matters here: a problem with another setting (a production JWT_SECRET, say) does not stop a seeding run. */
export function databaseUrlFromConfig(): string {
  try {
    return loadConfig().databaseUrl;
  } catch (error) {
    if (!(error instanceof ConfigError) || error.problems.some((p) => p.startsWith('DATABASE_URL'))) throw error;
    console.error(`  (ignoring settings this script does not use: ${error.problems.join('; ')})`);
    return (process.env.DATABASE_URL ?? '').trim();
  }
}

async function main(): Promise<void> {
  const args = parseSeedArgs(process.argv.slice(2));
  if (args === 'help') {
    console.error(USAGE);
    return;
  }
  const databaseUrl = databaseUrlFromConfig();
  const bar = new ProgressBar('seeding', args.proposals, 'proposals');
  const report = await seedPortfolio(databaseUrl, { ...args, onProgress: (done) => bar.update(done) });
  const statuses = Object.entries(report.byStatus)
    .sort(([, a], [, b]) => b - a)
    .map(([status, n]) => `${status} ${n.toLocaleString('en-US')}`)
    .join(', ');
  console.error(
    `  seeded ${report.proposals.toLocaleString('en-US')} proposals as of ${report.asOf} in ${report.seconds.toFixed(1)}s ` +
      `(${Math.round(report.proposals / report.seconds).toLocaleString('en-US')} proposals/s, ANALYZE included)\n` +
      `  ${report.versions.toLocaleString('en-US')} versions, ${report.tasks.toLocaleString('en-US')} tasks, ${report.records.toLocaleString('en-US')} records (seq ${report.firstSeq}..${report.lastSeq})\n` +
      `  by status: ${statuses}`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`seeding failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof SeedRefusedError || error instanceof RangeError ? 2 : 1);
  });
}
