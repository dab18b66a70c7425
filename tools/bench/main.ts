/**
 * The benchmark itself (`npm run bench` starts PostgreSQL and Temporal, then runs this; the
 * smoke test in `npm test` runs it against the services `npm test` started). Phases, in order,
 * on the same machine: the engine floor, the whole system, the soak, the reads at scale; then
 * the results, as JSON and as a Markdown table. See tools/bench/README.md.
 *
 * Environment: BENCH_DATABASE_URL (an administrative connection to the cluster),
 * BENCH_TEMPLATE_DATABASE (migrated and seeded), BENCH_TEMPORAL_ADDRESS, and the BENCH_* knobs
 * of benchConfig().
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Client } from 'pg';
import { evaluationWorkflowId } from '../../libs/temporal/src/evaluation.contract';
import { temporalConnectionOptions, temporalDataConverter, type TemporalSecurity } from '../../libs/temporal/src/temporal-connection';
import { benchTemporal } from './engine';
import { runFloor, type FloorResult } from './floor';
import { PORTFOLIO_AS_OF, portfolioDatabase, runRead, sampleProposalIds, seedVersion, type ReadResult, type ReadTarget } from './reads';
import { analyzeSoak, writeResults, type BenchResults, type SoakResult } from './report';
import { DIST, freePort, ROOT, sampleMemory, spawnNode, waitHealthy, type MemorySeries, type Service } from './services';
import { countShape, type HistoryShape } from './shape';
import { ApiDriver, runSystem, type SystemResult } from './system';

export interface BenchConfig {
  smoke: boolean;
  concurrency: number;
  floorSeconds: number;
  systemSeconds: number;
  maxEvaluations: number;
  soakSeconds: number;
  proposals: number;
  readSeconds: number;
  readConnections: number;
  keepPortfolio: boolean;
  cpuProfile: boolean;
  logLevel: string;
  resultsDir: string;
  phases: string[];
}

const PHASES = ['floor', 'system', 'soak', 'reads'];

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${key} must be a whole number of at least ${min}, got "${raw}"`);
  return n;
}

/** BENCH_SMOKE=1 is the small configuration `npm test` runs: a few evaluations, a thousand proposals. */
export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const smoke = env.BENCH_SMOKE === '1';
  const phases = (env.BENCH_PHASES ?? PHASES.join(',')).split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = phases.filter((p) => !PHASES.includes(p));
  if (unknown.length) throw new Error(`BENCH_PHASES: unknown phase(s) ${unknown.join(', ')}; known: ${PHASES.join(', ')}`);
  return {
    smoke,
    concurrency: int(env, 'BENCH_CONCURRENCY', smoke ? 2 : 50, 1),
    floorSeconds: int(env, 'BENCH_FLOOR_SECONDS', smoke ? 120 : 60, 1),
    systemSeconds: int(env, 'BENCH_SYSTEM_SECONDS', smoke ? 120 : 90, 1),
    maxEvaluations: int(env, 'BENCH_MAX_EVALUATIONS', smoke ? 2 : 1_000_000, 1),
    soakSeconds: int(env, 'BENCH_SOAK_SECONDS', smoke ? 0 : 600, 0),
    proposals: int(env, 'BENCH_PROPOSALS', smoke ? 1_000 : 100_000, 1),
    readSeconds: int(env, 'BENCH_READ_SECONDS', smoke ? 1 : 10, 1),
    readConnections: int(env, 'BENCH_READ_CONNECTIONS', smoke ? 2 : 10, 1),
    keepPortfolio: env.BENCH_KEEP_PORTFOLIO ? env.BENCH_KEEP_PORTFOLIO !== '0' : !smoke,
    cpuProfile: env.BENCH_CPU_PROF === '1',
    logLevel: env.BENCH_LOG_LEVEL ?? 'info',
    resultsDir: env.BENCH_RESULTS_DIR ?? join(ROOT, 'tools', 'bench', 'results'),
    phases,
  };
}

function required(env: NodeJS.ProcessEnv, key: string): string {
  const value = env[key];
  if (!value) throw new Error(`${key} is required (npm run bench sets it)`);
  return value;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function log(line: string): void {
  console.error(`  [bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function adminQuery(adminUrl: string, sql: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const res = await client.query(sql);
    return String(Object.values(res.rows[0] ?? {})[0] ?? '');
  } finally {
    await client.end();
  }
}

/**
 * The benchmark's simulated users read the portfolio far more often than the per-user limit of
 * heavy reads allows a person to; it is raised (and the report says so) to measure the reads, not the limit.
 */
const BENCH_HEAVY_READS = '1000000/60s';

/** A fresh Ed25519 key for the run's worker, in its log folder. */
function benchSigningKey(logDir: string): string {
  mkdirSync(logDir, { recursive: true });
  const file = join(logDir, 'audit-signing-key.pem');
  writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return file;
}

interface Stack {
  baseUrl: string;
  api: Service;
  worker: Service;
  stop(): Promise<void>;
}

/** The API and the worker, from the build, as `npm start` runs them, on the given database. */
async function startStack(o: { databaseUrl: string; temporalAddress: string; logDir: string; config: BenchConfig; profileDir: string | null; setup: boolean }): Promise<Stack> {
  if (o.setup) await migrate(o.databaseUrl, o.logDir);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    // Production refuses to start without its own signing key and a payload codec key.
    JWT_SECRET: randomBytes(32).toString('hex'),
    TEMPORAL_CODEC_KEYS: process.env.TEMPORAL_CODEC_KEYS || `bench:${randomBytes(32).toString('base64')}`,
    // ...and the decision log's checkpoint signing key (its checkpoints file lands beside it, in the run's logs).
    AUDIT_SIGNING_KEY_FILE: benchSigningKey(o.logDir),
    // No mail server: the ledger still queues each message in the outbox (its cost is measured), nothing is sent.
    MAIL_DISABLED: 'true',
    PORT: String(port),
    DATABASE_URL: o.databaseUrl,
    TEMPORAL_ADDRESS: o.temporalAddress,
    TEMPORAL_TASK_QUEUE: `bench-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: o.config.logLevel,
    RATE_LIMIT_HEAVY_READS: BENCH_HEAVY_READS,
  };
  const nodeArgs = (name: string) => (o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(o.profileDir, name)}`] : []);
  const worker = spawnNode('worker', join(DIST, 'apps', 'worker', 'src', 'main.js'), env, join(o.logDir, 'worker.log'), nodeArgs('worker'));
  const api = spawnNode('api', join(DIST, 'apps', 'api', 'src', 'main.js'), env, join(o.logDir, 'api.log'), nodeArgs('api'));
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  try {
    await waitHealthy(`${baseUrl}/health`, api);
  } catch (error) {
    await Promise.all([api.stop(), worker.stop()]);
    throw error;
  }
  return {
    baseUrl,
    api,
    worker,
    async stop() {
      await api.stop();
      await worker.stop();
    },
  };
}

/** Migrations and the reference seed (tools/devstack/setup-database.ts), idempotent. */
async function migrate(databaseUrl: string, logDir: string): Promise<void> {
  const setup = spawnNode('setup', join(DIST, 'tools', 'devstack', 'setup-database.js'), { ...process.env, DATABASE_URL: databaseUrl }, join(logDir, 'setup.log'));
  const code = await setup.exited;
  if (code !== 0) throw new Error(`database setup failed (exit ${code}); see ${join(logDir, 'setup.log')}`);
}

async function shapeOf(temporal: TemporalSecurity, namespace: string, proposalId: string | undefined): Promise<HistoryShape | null> {
  if (!proposalId) return null;
  const connection = await Connection.connect(temporalConnectionOptions(temporal));
  try {
    const client = new TemporalClient({ connection, namespace, dataConverter: temporalDataConverter(temporal) });
    return countShape(await client.workflow.getHandle(evaluationWorkflowId(proposalId)).fetchHistory());
  } finally {
    await connection.close();
  }
}

function version(pkg: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<BenchResults> {
  const config = benchConfig(env);
  const adminUrl = required(env, 'BENCH_DATABASE_URL');
  const template = required(env, 'BENCH_TEMPLATE_DATABASE');
  const temporalAddress = required(env, 'BENCH_TEMPORAL_ADDRESS');
  const temporal = benchTemporal(env, temporalAddress);
  const namespace = env.TEMPORAL_NAMESPACE ?? 'default';
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const runDir = join(config.resultsDir, 'runs', stamp);
  const logDir = join(runDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const profileDir = config.cpuProfile ? join(runDir, 'profiles') : null;

  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    config: { ...config, resultsDir: undefined, heavyReadsLimit: BENCH_HEAVY_READS },
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      node: process.version,
      temporalSdk: version('@temporalio/client'),
      temporalServer: env.BENCH_TEMPORAL_SERVER ?? 'unknown',
      postgres: await adminQuery(adminUrl, 'SHOW server_version'),
      loadAverageStart: loadavg().map((n) => Math.round(n * 100) / 100),
      loadAverageEnd: [],
      note: env.BENCH_NOTE ?? '',
    },
    floor: null,
    system: null,
    ratio: null,
    soak: null,
    reads: null,
    memory: {},
  };
  log(`${config.smoke ? 'smoke configuration' : 'full run'}: phases ${config.phases.join(', ')}; concurrency ${config.concurrency}; ${results.machine.cores} cores; load average ${results.machine.loadAverageStart.join(' ')}`);

  if (config.phases.includes('floor')) {
    log(`1/4 engine floor: bare MEDIUM-shaped workflows, ${config.concurrency} at a time, for ${config.floorSeconds}s`);
    const floor: FloorResult = await runFloor({ temporal, namespace, concurrency: config.concurrency, seconds: config.floorSeconds, maxEvaluations: config.maxEvaluations, logDir, log });
    results.floor = { ...floor, memory: undefined };
    results.memory.floor = { peak: floor.memory.peak };
    log(`floor: ${floor.evaluationsPerSecond} evaluations/s; update round trip p50 ${floor.update.p50} ms, p99 ${floor.update.p99} ms`);
  }

  if (config.phases.includes('system') || config.phases.includes('soak')) {
    const name = `bench_system_${randomBytes(5).toString('hex')}`;
    await adminQuery(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    const stack = await startStack({ databaseUrl: withDatabase(adminUrl, name), temporalAddress, logDir, config, profileDir: profileDir && join(profileDir, 'system'), setup: false });
    try {
      // One evaluation before the clock starts: the worker polls, pools and caches are warm.
      const warmUp = new ApiDriver(stack.baseUrl);
      await warmUp.login();
      await runSystem({ baseUrl: stack.baseUrl, concurrency: 1, seconds: 120, maxEvaluations: 1, log, label: 'warm-up' }, warmUp);
      const driver = new ApiDriver(stack.baseUrl);
      await driver.login();
      if (config.phases.includes('system')) {
        log(`2/4 whole system: ${config.concurrency} simulated users driving MEDIUM evaluations over HTTP for ${config.systemSeconds}s`);
        const memory = sampleMemory([stack.api, stack.worker]);
        const system: SystemResult = await runSystem({ baseUrl: stack.baseUrl, concurrency: config.concurrency, seconds: config.systemSeconds, maxEvaluations: config.maxEvaluations, log, label: 'system' }, driver);
        results.memory.system = { peak: memory.stop().peak };
        results.system = { ...system, shape: await shapeOf(temporal, namespace, system.sampleProposalIds[0]) };
        log(`system: ${system.evaluationsPerSecond} evaluations/s; next task visible p99 ${system.nextTaskVisible.p99} ms`);
        if (results.floor) {
          results.ratio = Math.round((system.evaluationsPerSecond / results.floor.evaluationsPerSecond) * 1000) / 1000;
          log(`ratio system/floor: ${(results.ratio * 100).toFixed(1)}%`);
        }
      }
      if (config.phases.includes('soak') && config.soakSeconds > 0) {
        log(`3/4 soak: the same load for ${config.soakSeconds}s, RSS sampled every 5s`);
        const memory = sampleMemory([stack.api, stack.worker], 5_000);
        const soakRun = await runSystem({ baseUrl: stack.baseUrl, concurrency: config.concurrency, seconds: config.soakSeconds, maxEvaluations: Number.MAX_SAFE_INTEGER, log, label: 'soak' }, driver);
        const series: MemorySeries = memory.stop();
        const soak: SoakResult = analyzeSoak(series, config.soakSeconds, soakRun.evaluations, soakRun.evaluationsPerSecond);
        results.soak = soak;
        results.memory.soak = { peak: series.peak };
        log(`soak: ${Object.entries(soak.processes).map(([n, p]) => `${n} ${p.firstMiB}→${p.lastMiB} MiB (${p.growthPercent}%, ${p.verdict})`).join('; ')}`);
      }
    } finally {
      await stack.stop();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  }

  if (config.phases.includes('reads')) {
    log(`4/4 reads at scale: ${config.proposals.toLocaleString('en-US')} proposals (seed version ${seedVersion(config.proposals)})`);
    const db = await portfolioDatabase({ adminUrl, template, proposals: config.proposals, keep: config.keepPortfolio, migrate: (url) => migrate(url, logDir), log });
    const stack = await startStack({ databaseUrl: db.url, temporalAddress, logDir, config, profileDir: profileDir && join(profileDir, 'reads'), setup: false });
    try {
      const driver = new ApiDriver(stack.baseUrl);
      await driver.login();
      const ids = await sampleProposalIds(db.url, 500);
      const reviewer = driver.token('technical');
      const finance = driver.token('finance');
      const year = new Date(PORTFOLIO_AS_OF).getUTCFullYear();
      const targets: ReadTarget[] = [
        { name: 'task inbox', who: 'technical reviewer', token: reviewer, paths: ['/tasks?scope=available'] },
        { name: 'proposal list: status filter', who: 'technical reviewer', token: reviewer, paths: ['/proposals?status=IN_REVIEW', '/proposals?status=APPROVED&page=5'] },
        { name: 'proposal list: agency and tier', who: 'technical reviewer', token: reviewer, paths: ['/proposals?agencyCode=MINSAL&tier=MEDIUM', '/proposals?agencyCode=MINEDUC&tier=HIGH'] },
        { name: 'proposal list: text search', who: 'technical reviewer', token: reviewer, paths: ['/proposals?q=hospital', '/proposals?q=registry'] },
        { name: 'proposal page', who: 'technical reviewer', token: reviewer, paths: ids.map((id) => `/proposals/${id}`), pick: 'random' },
        { name: 'GET /outcomes', who: 'finance reviewer', token: finance, paths: ['/outcomes', `/outcomes?agencyCode=MINSAL&from=${year - 1}-01-01`] },
        { name: 'GET /reports/portfolio', who: 'finance reviewer', token: finance, paths: [`/reports/portfolio?from=${year}-01-01&to=${year}-12-31&baselineFrom=${year - 1}-01-01&baselineTo=${year - 1}-12-31`] },
      ];
      const memory = sampleMemory([stack.api, stack.worker]);
      const reads: ReadResult[] = [];
      for (const target of targets) {
        const read = await runRead(stack.baseUrl, target, { connections: config.readConnections, seconds: config.readSeconds });
        reads.push(read);
        log(`reads: ${read.name}: p50 ${read.p50} ms, p99 ${read.p99} ms, ${read.requestsPerSecond} req/s${read.non2xx || read.errors ? `, ${read.non2xx} non-2xx, ${read.errors} errors` : ''}`);
      }
      results.memory.reads = { peak: memory.stop().peak };
      results.reads = { proposals: config.proposals, database: db.name, reusedSeed: db.reused, seedSeconds: db.seedSeconds, connections: config.readConnections, secondsEach: config.readSeconds, results: reads };
    } finally {
      await stack.stop();
      await db.drop();
    }
  }

  results.machine.loadAverageEnd = loadavg().map((n) => Math.round(n * 100) / 100);
  results.finishedAt = new Date().toISOString();
  const written = writeResults(results, config.resultsDir, runDir);
  log(`results: ${written.join(', ')}`);
  if (profileDir) log(`CPU profiles: ${profileDir} (open in Chrome DevTools, or: node dist/tools/bench/profile-top.js <file>)`);
  return results;
}

if (require.main === module) {
  // Exiting runs the services' exit hook, which stops every process this run started.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
  main().then(
    (results) => {
      const failed = (results.system?.failures ?? 0) + (results.floor?.failures ?? 0) + (results.reads?.results.reduce((n, r) => n + r.non2xx + r.errors, 0) ?? 0);
      process.exit(failed ? 1 : 0);
    },
    (error: unknown) => {
      console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
