import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { parseCodecKeys } from '../../libs/config';
import { temporalConnectionOptions, temporalDataConverter, type TemporalSecurity } from '../../libs/temporal';
import { tlsFiles } from '../../tools/devstack/lib/stack-tls';
import { loginAll, type DemoName } from '../support/demo-users';
import { freePort } from '../support/process-stack';
import { availableTask, meetsAll, waitForStatus } from '../support/evaluation-driver';
import { eventually } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { testEnvironment } from '../support/test-env';

/**
 * The runbook of README "Backup and recovery", on a stack of real processes (`npm start`: API,
 * worker, Temporal dev server, PostgreSQL): an evaluation is driven to its approval, both stores
 * are backed up while everything runs (`npm run backup`), the stack is stopped and its data
 * destroyed, the backup is restored into a fresh data folder (`npm run restore`), the stack is
 * started again, and the evaluation is finished. The record must be whole and verify. The keys and
 * certificates of DATA_DIR come back byte for byte; a backup whose dump cannot be restored is
 * refused and leaves nothing behind; restore refuses a damaged backup before touching anything.
 */
jest.setTimeout(6 * 60_000);

const ROOT = join(__dirname, '..', '..');
const USERS: DemoName[] = ['ana', 'carla', 'elena', 'gabriela', 'hector', 'lucia'];

/** Runs one of the npm scripts to completion (stdout and stderr kept for the failure message). */
function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'tools', 'devstack', script), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${script} exited with ${code}:\n${output}`))));
  });
}

/** Every file under DATA_DIR's key folders (README "Backup and recovery"): its bytes and permissions. */
function keyMaterial(dataDir: string): Record<string, { sha256: string; mode: number }> {
  const out: Record<string, { sha256: string; mode: number }> = {};
  const walk = (rel: string): void => {
    const abs = join(dataDir, rel);
    if (!existsSync(abs)) return;
    if (statSync(abs).isDirectory()) for (const entry of readdirSync(abs)) walk(join(rel, entry));
    else out[rel] = { sha256: createHash('sha256').update(readFileSync(abs)).digest('hex'), mode: statSync(abs).mode & 0o777 };
  };
  for (const folder of ['secrets', 'tls']) walk(folder);
  return out;
}

/**
 * A PostgreSQL bin folder whose pg_dump loses the second half of what it writes (a full disk, a
 * cut copy), the other tools being the real ones.
 */
function binDirWithTruncatingPgDump(realBinDir: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of ['initdb', 'pg_ctl', 'postgres', 'psql', 'pg_restore']) symlinkSync(join(realBinDir, tool), join(dir, tool));
  const script = [
    '#!/bin/sh',
    `"${join(realBinDir, 'pg_dump')}" "$@" || exit $?`,
    'for arg in "$@"; do case "$arg" in --file=*) out="${arg#--file=}" ;; esac; done',
    '[ -z "$out" ] || truncate -s "$(( $(stat -c %s "$out") / 2 ))" "$out"',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'pg_dump'), script, { mode: 0o755 });
  return dir;
}

/** A client of the stack's Temporal: plain on the dev engine, with the stack's client certificate on the server engine. */
function stackTemporal(dataDir: string, port: string | undefined): TemporalSecurity {
  const files = tlsFiles(dataDir);
  const tls = existsSync(files.client) ? { caFile: files.ca, certFile: files.client, keyFile: files.clientKey, serverName: null } : null;
  return { address: `127.0.0.1:${port}`, tls, codecKeys: [] };
}

class Stack {
  private output = '';
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {}

  /** `npm start` (tools/devstack/start.js) on this data folder; resolves once the API is healthy. */
  static async start(env: NodeJS.ProcessEnv): Promise<Stack> {
    const child = spawn(process.execPath, [join(ROOT, 'tools', 'devstack', 'start.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stack = new Stack(child, `http://127.0.0.1:${env.PORT}/api/v1`);
    child.stdout?.on('data', (d) => (stack.output += d));
    child.stderr?.on('data', (d) => (stack.output += d));
    let exited = false;
    child.on('exit', () => (exited = true));
    await eventually(
      async () => {
        if (exited) throw new Error(`npm start exited:\n${stack.output}`);
        const ok = await fetch(`${stack.baseUrl}/health`).then((r) => r.status === 200, () => false);
        // Healthy, and past the demo data: start.js says so once everything is up.
        return ok && stack.output.includes('Appraise is up') ? true : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500, what: 'npm start to be up' },
    );
    return stack;
  }

  /** SIGTERM, as Ctrl-C: start.js stops the API, the worker, Temporal and PostgreSQL. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

describe('backup and restore of a running stack (README "Backup and recovery")', () => {
  const base = join(testEnvironment().dataDir, `recovery-${randomBytes(4).toString('hex')}`);
  const stacks: Stack[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    mkdirSync(base, { recursive: true });
    const { DATABASE_URL: _db, TEMPORAL_ADDRESS: _temporal, ...inherited } = process.env;
    env = {
      ...inherited,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PORT: String(await freePort()),
      POSTGRES_PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      // The deployment's key, as production gives it (both stacks read the same history).
      TEMPORAL_CODEC_KEYS: testEnvironment().temporalEnv.TEMPORAL_CODEC_KEYS ?? '',
    };
  });

  afterAll(async () => {
    for (const stack of stacks) await stack.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('resumes an evaluation from the backup, finishes it, and the record verifies', async () => {
    // 1. A stack, and an evaluation driven to its first approval.
    const first = { ...env, DATA_DIR: join(base, 'first') };
    const stackA = await Stack.start(first);
    stacks.push(stackA);
    let u = await loginAll(stackA.baseUrl, USERS);
    const data = hospitalProposal();
    const created = await u.ana.post('/proposals', data);
    expect((await u.ana.post(`/proposals/${created.body.id}/submit`)).status).toBe(202);
    const id: string = created.body.id;
    const tier = (await waitForStatus(u.ana, id, 'IN_REVIEW')).tier;
    for (const [who, type] of [[u.carla, 'TECHNICAL_REVIEW'], [u.elena, 'COST_EFFICIENCY_REVIEW']] as const) {
      const task = await availableTask(who, id, type);
      expect((await who.post(`/tasks/${task.id}/decision`, meetsAll(type, data, tier))).status).toBe(200);
    }
    await waitForStatus(u.ana, id, 'IN_APPROVAL');
    await availableTask(u.gabriela, id, 'APPROVAL', 'DIGITAL_HEAD');
    const recordedBefore = (await u.lucia.get(`/proposals/${id}/history`)).body.items;
    const proposalsBefore = (await u.lucia.get('/proposals?pageSize=100')).body.items as { id: string; status: string }[];

    // Keys and certificates beside whatever the stack generated: a CA and a client key as the
    // server engine writes them, and a signing key.
    mkdirSync(join(first.DATA_DIR, 'tls'), { recursive: true, mode: 0o700 });
    mkdirSync(join(first.DATA_DIR, 'secrets'), { recursive: true, mode: 0o700 });
    writeFileSync(join(first.DATA_DIR, 'tls', 'ca.pem'), randomBytes(900), { mode: 0o644 });
    writeFileSync(join(first.DATA_DIR, 'tls', 'client-key.pem'), randomBytes(300), { mode: 0o600 });
    writeFileSync(join(first.DATA_DIR, 'secrets', 'signing-key'), randomBytes(64), { mode: 0o600 });
    const keysBefore = keyMaterial(first.DATA_DIR);
    expect(Object.keys(keysBefore)).toEqual(expect.arrayContaining([join('tls', 'ca.pem'), join('tls', 'client-key.pem'), join('secrets', 'signing-key')]));

    // 2. Backup while it runs.
    const backupDir = join(base, 'backup');
    await runScript('backup.js', ['--out', backupDir], first);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')) as { tools: { pgDump: string }; files: Record<string, unknown> };
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['temporal.sqlite', 'appraise.dump', 'data/tls/ca.pem', 'data/tls/client-key.pem', 'data/secrets/signing-key']));

    // A backup that could not be restored is refused: a pg_dump that loses half its output.
    const refusedDir = join(base, 'refused');
    const faultyBin = binDirWithTruncatingPgDump(dirname(manifest.tools.pgDump), join(base, 'faulty-bin'));
    await expect(runScript('backup.js', ['--out', refusedDir], { ...first, PG_BIN_DIR: faultyBin })).rejects.toThrow(/backup refused: appraise\.dump cannot be restored/);
    expect(existsSync(refusedDir)).toBe(false);

    // Then the stack goes, with its data.
    await stackA.stop();
    rmSync(first.DATA_DIR, { recursive: true, force: true });

    // 3. Restore into a fresh data folder and start again. A damaged copy of the backup is
    // refused first, and leaves the folder as it was.
    const second = { ...env, DATA_DIR: join(base, 'second') };
    const damagedDir = join(base, 'damaged');
    cpSync(backupDir, damagedDir, { recursive: true });
    const damagedKey = join(damagedDir, 'data', 'tls', 'ca.pem');
    writeFileSync(damagedKey, Buffer.concat([readFileSync(damagedKey).subarray(1), Buffer.from([0])]));
    await expect(runScript('restore.js', ['--from', damagedDir], second)).rejects.toThrow(/cannot be restored, nothing was changed: data\/tls\/ca\.pem does not match its SHA-256/);
    expect(existsSync(second.DATA_DIR)).toBe(false);

    await runScript('restore.js', ['--from', backupDir], second);
    expect(keyMaterial(second.DATA_DIR)).toEqual(keysBefore);
    const stackB = await Stack.start(second);
    stacks.push(stackB);
    u = await loginAll(stackB.baseUrl, USERS);
    expect((await u.lucia.get('/proposals?pageSize=100')).body.items).toEqual(proposalsBefore);
    expect((await u.lucia.get(`/proposals/${id}/history`)).body.items).toEqual(recordedBefore);

    // Every evaluation in the database has its workflow back, running exactly when it is open.
    const connection = await Connection.connect(temporalConnectionOptions(stackTemporal(second.DATA_DIR, env.TEMPORAL_PORT)));
    try {
      const client = new Client({ connection, dataConverter: temporalDataConverter({ codecKeys: parseCodecKeys(env.TEMPORAL_CODEC_KEYS) }) });
      for (const p of proposalsBefore.filter((x) => x.status !== 'DRAFT')) {
        const description = await client.workflow.getHandle(`proposal-${p.id}`).describe();
        expect({ id: p.id, workflow: description.status.name }).toEqual({ id: p.id, workflow: 'RUNNING' });
      }

      // 4. The evaluation finishes from where the backup left it.
      for (const [who, level] of [[u.gabriela, 'DIGITAL_HEAD'], [u.hector, 'BUDGET_DIRECTOR']] as const) {
        const task = await availableTask(who, id, 'APPROVAL', level);
        expect((await who.post(`/tasks/${task.id}/claim`)).status).toBe(200);
        expect((await who.post(`/tasks/${task.id}/decision`, { decision: 'APPROVE', comment: `Approved after the restore (${level})` })).status).toBe(200);
      }
      await waitForStatus(u.ana, id, 'APPROVED');
      await eventually(async () => ((await client.workflow.getHandle(`proposal-${id}`).describe()).status.name === 'COMPLETED' ? true : undefined), {
        what: 'the workflow to complete',
      });
    } finally {
      await connection.close();
    }

    // 5. The record: what was there before, then the approvals, once each; the chain verifies.
    const after = (await u.lucia.get(`/proposals/${id}/history`)).body.items as { seq: number; type: string }[];
    expect(after.slice(0, recordedBefore.length)).toEqual(recordedBefore);
    expect(new Set(after.map((r) => r.seq)).size).toBe(after.length);
    const verify = await u.lucia.get('/audit/verify');
    expect(verify.body).toMatchObject({ ok: true, firstBadSeq: null });
    // Verified from the latest checkpoint (`from`) to the head: the head lies past every record before the backup.
    expect(verify.body.from + verify.body.records).toBeGreaterThan(after.length);
    await stackB.stop();
  });
});
