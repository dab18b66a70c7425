/**
 * Phase 4, reads at scale: a database holding a seeded portfolio (tools/portfolio/seed-portfolio.ts),
 * kept between runs, and the hot reads under concurrent load from autocannon.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { seedPortfolio } from '../portfolio/seed-portfolio';
import { ROOT } from './services';

export interface PortfolioDatabase {
  name: string;
  url: string;
  reused: boolean;
  seedSeconds: number | null;
  drop(): Promise<void>;
}

/** The seed as of a fixed moment, so that the same sources give the same database. */
export const PORTFOLIO_AS_OF = '2026-11-27T12:00:00.000Z';
const PORTFOLIO_SEED = 'bench';
const CACHED_PREFIX = 'bench_portfolio_';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** What the seeded database depends on: the seeding code and the demo seed it builds upon. */
export function seedVersion(proposals: number): string {
  const hash = createHash('sha256').update(`${proposals}|${PORTFOLIO_SEED}|${PORTFOLIO_AS_OF}`);
  // The seeder is every module of tools/portfolio but explain-reads, which only reads.
  const seeder = readdirSync(join(ROOT, 'tools', 'portfolio')).filter((f) => f.endsWith('.ts') && f !== 'explain-reads.ts');
  const files = [
    ...seeder.sort().map((f) => join(ROOT, 'tools', 'portfolio', f)),
    ...readdirSync(join(ROOT, 'libs', 'persistence', 'src', 'seed')).sort().map((f) => join(ROOT, 'libs', 'persistence', 'src', 'seed', f)),
  ];
  for (const file of files) hash.update(file.slice(ROOT.length)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 12);
}

/**
 * A database with `proposals` seeded proposals. With `keep`, it is named after the seed version
 * and kept: a later run with the same version reuses it (after applying any new migration,
 * through `migrate`), and databases of other versions are dropped. Without, it is a throw-away.
 */
export async function portfolioDatabase(o: {
  adminUrl: string;
  template: string;
  proposals: number;
  keep: boolean;
  migrate: (url: string) => Promise<void>;
  log: (line: string) => void;
}): Promise<PortfolioDatabase> {
  const name = o.keep ? `${CACHED_PREFIX}${o.proposals}_${seedVersion(o.proposals)}` : `bench_tmp_${randomBytes(5).toString('hex')}`;
  const url = withDatabase(o.adminUrl, name);
  const drop = () => admin(o.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined);
  const handle = (reused: boolean, seedSeconds: number | null): PortfolioDatabase => ({ name, url, reused, seedSeconds, drop: o.keep ? async () => undefined : drop });

  const existing = await admin(o.adminUrl, async (c) => (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%'`)).rows.map((r) => r.datname));
  if (o.keep && existing.includes(name)) {
    o.log(`reads: reusing the seeded database ${name} (seed version matches); applying new migrations`);
    await o.migrate(url);
    return handle(true, null);
  }
  await admin(o.adminUrl, async (c) => {
    // Stale seeds (another version, or a run that stopped half-way) only take disk space.
    for (const stale of existing.filter((d) => o.keep && d.startsWith(CACHED_PREFIX))) await c.query(`DROP DATABASE IF EXISTS "${stale}" WITH (FORCE)`);
  });
  const partial = o.keep ? `${name}_partial` : name;
  await admin(o.adminUrl, (c) => c.query(`CREATE DATABASE "${partial}" TEMPLATE "${o.template}"`));
  const started = Date.now();
  let last = 0;
  await seedPortfolio(withDatabase(o.adminUrl, partial), {
    proposals: o.proposals,
    seed: PORTFOLIO_SEED,
    fromYear: 2022,
    toYear: 2026,
    asOf: new Date(PORTFOLIO_AS_OF),
    onProgress: (done, total) => {
      if (done === total || Date.now() - last > 10_000) {
        last = Date.now();
        o.log(`reads: seeding ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} proposals (${Math.round((Date.now() - started) / 1000)}s)`);
      }
    },
  });
  const seedSeconds = Math.round((Date.now() - started) / 100) / 10;
  if (o.keep) await admin(o.adminUrl, (c) => c.query(`ALTER DATABASE "${partial}" RENAME TO "${name}"`));
  o.log(`reads: seeded ${o.proposals.toLocaleString('en-US')} proposals in ${seedSeconds}s${o.keep ? ` into ${name}, kept for the next run` : ''}`);
  return handle(false, seedSeconds);
}

export interface ReadResult {
  name: string;
  who: string;
  /** The first request alone, before the load. */
  singleRequestMs: number;
  paths: string[];
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

export interface ReadTarget {
  name: string;
  who: string;
  token: string;
  /** One path, or several taken in turn (random proposals, filter variants). */
  paths: string[];
  pick?: 'random' | 'cycle';
}

export async function runRead(baseUrl: string, target: ReadTarget, o: { connections: number; seconds: number }): Promise<ReadResult> {
  const headers = { authorization: `Bearer ${target.token}` };
  const origin = new URL(baseUrl);
  const prefix = origin.pathname.replace(/\/$/, '');
  // One request first: the first read of a table pays for what the next ones find cached.
  const warmAt = performance.now();
  const warm = await fetch(`${baseUrl}${target.paths[0]}`, { headers });
  if (warm.status !== 200) throw new Error(`${target.name}: GET ${target.paths[0]} answered ${warm.status}: ${(await warm.text()).slice(0, 300)}`);
  await warm.arrayBuffer().catch(() => undefined);
  const singleMs = Math.round(performance.now() - warmAt);
  // A read too slow to complete many times within the duration runs a fixed number of times instead.
  const slow = singleMs * 20 > o.seconds * 1000;
  let i = 0;
  const next = () => {
    const path = target.pick === 'random' ? target.paths[Math.floor(Math.random() * target.paths.length)] : target.paths[i++ % target.paths.length];
    return `${prefix}${path}`;
  };
  const result = await autocannon({
    url: origin.origin,
    connections: o.connections,
    ...(slow ? { amount: o.connections * 2 } : { duration: o.seconds }),
    timeout: 60,
    headers,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: next() }) }],
  });
  return {
    name: target.name,
    who: target.who,
    singleRequestMs: singleMs,
    paths: target.paths.length > 3 ? [...target.paths.slice(0, 2), `... ${target.paths.length} in all`] : target.paths,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average * 10) / 10,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Proposal ids to read at random. */
export async function sampleProposalIds(databaseUrl: string, count: number): Promise<string[]> {
  return admin(databaseUrl, async (c) => (await c.query<{ id: string }>(`SELECT id FROM proposals ORDER BY random() LIMIT $1`, [count])).rows.map((r) => r.id));
}
