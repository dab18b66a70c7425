import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testEnvironment } from './test-env';

/** Migrated and seeded once per run by tools/devstack/test.js; every test file clones it. */
export const TEMPLATE_DATABASE = 'appraise_template';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  return onDatabase(testEnvironment().databaseUrl, fn);
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file: a copy of the template (CREATE DATABASE ... TEMPLATE). */
export async function createTestDatabase(template: string | null = TEMPLATE_DATABASE): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(testEnvironment().databaseUrl, name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** A record of the decision log as a test reads it. */
export interface LoggedRecord {
  seq: number;
  actor: string;
  type: string;
  data: Record<string, any>;
}

/**
 * Administration's records (they belong to no proposal) after `afterSeq`, read straight from a
 * test database, in chain order; and the chain's head, to read only what a step appended.
 */
export async function adminRecords(databaseUrl: string, afterSeq = 0): Promise<LoggedRecord[]> {
  return onDatabase(databaseUrl, async (client) => (await client.query(`SELECT seq::int AS seq, actor, type, data FROM records WHERE proposal_id IS NULL AND seq > $1 ORDER BY seq`, [afterSeq])).rows);
}

export async function chainHead(databaseUrl: string): Promise<number> {
  return onDatabase(databaseUrl, async (client) => (await client.query(`SELECT coalesce(max(seq), 0)::int AS head FROM records`)).rows[0].head as number);
}

async function onDatabase<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
