import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { ApiClient, eventually } from '../support/http-client';
import { freePort } from '../support/process-stack';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testEnvironment } from '../support/test-env';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
/** The record chain's advisory lock (RecordsRepository): holding it parks every append. */
const CHAIN_LOCK = 'appraise:records';

interface Child {
  process: ChildProcess;
  output: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * SIGTERM to the real processes (`dist/apps/*`, as `npm start` runs them) with work in flight:
 * the API finishes the request it is serving, the worker finishes the activity it is running,
 * and nothing is lost or recorded twice.
 */
describe('graceful shutdown on SIGTERM', () => {
  let database: TestDatabase;
  let pg: Client;
  const env = () => ({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: testEnvironment().temporalAddress,
    ...testEnvironment().temporalEnv,
    TEMPORAL_TASK_QUEUE: `shutdown-${process.pid}-${Date.now()}`,
    JWT_SECRET: 'test-secret-of-enough-length',
  });
  let taskEnv: NodeJS.ProcessEnv;
  const children: Child[] = [];

  function start(app: 'api' | 'worker', extra: Record<string, string> = {}): Child {
    const child = spawn(process.execPath, [join(ROOT, `dist/apps/${app}/src/main.js`)], { env: { ...taskEnv, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    const entry: Child = {
      process: child,
      output: '',
      exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    };
    child.stdout?.on('data', (chunk: Buffer) => (entry.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (entry.output += chunk.toString()));
    children.push(entry);
    return entry;
  }

  async function startApi(): Promise<{ child: Child; api: ApiClient }> {
    const port = await freePort();
    const child = start('api', { PORT: String(port) });
    const api = new ApiClient(`http://127.0.0.1:${port}/api/v1`);
    await eventually(async () => ((await api.get('/health').catch(() => null))?.status === 200 ? true : undefined), { timeoutMs: 60_000, what: 'the API to be healthy' });
    return { child, api };
  }

  /** A backend of this database waiting for a lock (the request or activity we parked). */
  function waitingOnLock(kind: 'relation' | 'transactionid' | 'tuple' | 'advisory' | 'any') {
    return eventually(
      async () => {
        const { rows } = await pg.query(
          `SELECT l.locktype FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = $1`,
          [database.name],
        );
        return rows.some((r) => kind === 'any' || r.locktype === kind) ? true : undefined;
      },
      { timeoutMs: 60_000, what: `a ${kind} lock wait` },
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    taskEnv = env();
    pg = new Client({ connectionString: database.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.query('ROLLBACK').catch(() => undefined);
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await pg?.end();
    await database?.drop();
  });

  it('the API stops listening, completes the request in flight, then exits', async () => {
    const { child, api } = await startApi();
    const ana = await api.login('ana.torres@minsal.example');
    const id = (await ana.post('/proposals', { title: 'Parked edit' })).body.id as string;

    // Park a PATCH behind a row lock, then SIGTERM the API while it waits.
    await pg.query('BEGIN');
    await pg.query('SELECT id FROM proposals WHERE id = $1 FOR UPDATE', [id]);
    const inFlight = ana.patch(`/proposals/${id}`, { summary: 'Written during shutdown' });
    await waitingOnLock('any');
    child.process.kill('SIGTERM');
    // A new connection, not fetch's kept-alive one (an open keep-alive connection is still served).
    const port = Number(new URL(api.baseUrl).port);
    await eventually(async () => ((await refused(port)) ? true : undefined), { what: 'the API to stop accepting connections' });
    expect(child.process.exitCode).toBeNull(); // still serving the parked request
    await pg.query('COMMIT');

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.summary).toBe('Written during shutdown');
    const exit = await child.exited;
    expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
    expect(child.output).not.toMatch(/"level":"error"/);
    const { rows } = await pg.query(`SELECT data->>'summary' AS summary FROM proposals WHERE id = $1`, [id]);
    expect(rows[0].summary).toBe('Written during shutdown');
  });

  it('the worker drains: the activity in flight finishes, is recorded once, and the next worker carries on', async () => {
    const { api } = await startApi();
    const ana = await api.login('ana.torres@minsal.example');
    const first = start('worker');
    await eventually(async () => (/worker started/.test(first.output) ? true : undefined), { timeoutMs: 60_000, what: 'the worker to start' });

    // Park the evaluation's first activity on the record chain's lock.
    await pg.query('SELECT pg_advisory_lock(hashtext($1))', [CHAIN_LOCK]);
    const id = (await ana.post('/proposals', hospitalProposal())).body.id as string;
    expect((await ana.post(`/proposals/${id}/submit`)).status).toBe(202);
    await waitingOnLock('advisory');

    first.process.kill('SIGTERM');
    await eventually(async () => (/DRAINING|STOPPING/.test(first.output) ? true : undefined), { what: 'the worker to start draining' });
    expect(first.process.exitCode).toBeNull(); // waiting for its activity
    await pg.query('SELECT pg_advisory_unlock(hashtext($1))', [CHAIN_LOCK]);
    const exit = await first.exited;
    expect(exit).toEqual({ code: 0, signal: null });

    // The activity committed before the worker left; nothing else ran.
    const submitted = await pg.query(`SELECT count(*)::int AS n FROM records WHERE proposal_id = $1 AND type = 'SUBMITTED'`, [id]);
    expect(submitted.rows[0].n).toBe(1);

    start('worker');
    const proposal = await eventually(async () => {
      const res = await ana.get(`/proposals/${id}`);
      return res.body.status === 'IN_REVIEW' && res.body.openTasks.length === 2 ? res.body : undefined;
    }, { timeoutMs: 60_000, what: 'the evaluation to go on under the next worker' });
    expect(proposal.tier).toBe('MEDIUM');
    const types = (await pg.query(`SELECT type FROM records WHERE proposal_id = $1 ORDER BY seq`, [id])).rows.map((r) => r.type);
    expect(types.slice(0, 4)).toEqual(['SUBMITTED', 'VERSION_CREATED', 'SCREENED', 'TRIAGED']);
    expect(types.filter((t) => t === 'SUBMITTED')).toHaveLength(1);
  });
});

/** True when a fresh TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
