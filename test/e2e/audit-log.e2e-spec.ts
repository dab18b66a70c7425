import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker';
import type { AuditPublicKeysView, ChainVerificationReport, CheckpointPage, VerificationJobView } from '../../libs/http-contract';
import { createDataSource, GENESIS_HASH, publicKeyInfo, recordHash, RecordsRepository, type RecordEntity } from '../../libs/persistence';
import { housekeepingScheduleId, temporalConnectionOptions, temporalDataConverter, type HousekeepingSchedule } from '../../libs/temporal';
import { runAuditVerify } from '../../tools/audit/audit-verify';
import { testSigningKeyFile } from '../support/audit-key';
import { loginAll } from '../support/demo-users';
import { ApiClient, eventually } from '../support/http-client';
import { startTestStack, WORKFLOW_BUNDLE, type TestStack } from '../support/test-stack';
import { testTemporalSecurity } from '../support/test-env';

jest.setTimeout(180_000);

const SCHEDULES: HousekeepingSchedule[] = ['appraise-audit-checkpoint', 'appraise-purge', 'appraise-nightly-verification'];

/**
 * The decision log's accountability, on the whole stack: the worker signs checkpoints on its own
 * schedule, writes each to a file beside its key, and publishes its public key; an auditor
 * exports the log and verifies it offline with nothing but files. A database superuser who
 * rewrites the chain and recomputes every hash is caught by both the API and the offline tool,
 * even after deleting the checkpoints from the database.
 */
describe('the accountable decision log', () => {
  let stack: TestStack;
  let dataSource: DataSource;
  let records: RecordsRepository;
  let temporal: Client;
  let connection: Connection;
  let auditor: ApiClient;
  let admin: ApiClient;
  let rotated: RunningWorker | null = null;
  const firstKey = testSigningKeyFile();
  const checkpointsFile = join(dirname(firstKey), 'audit-checkpoints.ndjson');
  const workDir = dirname(firstKey);
  let appended = 0;
  /** The head before this file appended anything (a seed may write records). */
  let base = 0;

  const append = async (n: number) => {
    for (let i = 0; i < n; i += 1) {
      appended += 1;
      await records.append({ proposalId: null, actor: 'system', type: 'SUBMITTED', data: { n: appended, amount: 1_000_000 }, dedupeKey: `audit-e2e:${appended}` });
    }
    return (await records.head())!;
  };
  const checkpoints = async () => (await auditor.get<CheckpointPage>('/audit/checkpoints?pageSize=100')).body;
  const checkpointAt = (seq: number, keyId?: string) =>
    eventually(async () => (await checkpoints()).items.find((c) => c.seq === seq && (!keyId || c.keyId === keyId)), { timeoutMs: 60_000, what: `a checkpoint at seq ${seq}` });
  const download = async (path: string, file: string) => {
    const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${(auditor as unknown as { token: string }).token}` } });
    expect(res.status).toBe(200);
    writeFileSync(join(workDir, file), await res.text());
    return { file: join(workDir, file), type: res.headers.get('content-type') };
  };
  const offline = async (checkpointFiles: string[]) => {
    const exported = await download('/audit/export', 'export.ndjson');
    const keys = await download('/audit/public-key', 'public-key.json');
    const out: string[] = [];
    const code = await runAuditVerify(['--records', exported.file, ...checkpointFiles.flatMap((f) => ['--checkpoints', f]), '--public-key', keys.file], (t) => out.push(t));
    return { code, report: out.join('\n') };
  };

  beforeAll(async () => {
    stack = await startTestStack({ env: { AUDIT_SIGNING_KEY_FILE: firstKey, AUDIT_CHECKPOINT_INTERVAL_SECONDS: '2', AUDIT_CHECKPOINT_EVERY_RECORDS: '1' } });
    dataSource = createDataSource(stack.database.url);
    await dataSource.initialize();
    records = new RecordsRepository(dataSource);
    base = (await records.head())?.seq ?? 0;
    ({ lucia: auditor, admin } = await loginAll(stack.baseUrl, ['lucia', 'admin']));
    const security = testTemporalSecurity();
    connection = await Connection.connect(temporalConnectionOptions(security));
    temporal = new Client({ connection, namespace: stack.config.temporal.namespace, dataConverter: temporalDataConverter(security) });
  });

  afterAll(async () => {
    await rotated?.shutdown();
    for (const kind of SCHEDULES) await temporal?.schedule.getHandle(housekeepingScheduleId(kind, stack.config.temporal.taskQueue)).delete().catch(() => undefined);
    await connection?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await stack?.stop();
  });

  it('runs checkpoints, the purge and the nightly verification as schedules of its task queue', async () => {
    for (const kind of SCHEDULES) {
      const description = await temporal.schedule.getHandle(housekeepingScheduleId(kind, stack.config.temporal.taskQueue)).describe();
      expect(description.action).toMatchObject({ type: 'startWorkflow', taskQueue: stack.config.temporal.taskQueue });
    }
    const nightly = await temporal.schedule.getHandle(housekeepingScheduleId('appraise-nightly-verification', stack.config.temporal.taskQueue)).describe();
    expect(nightly.spec.timezone).toBe('America/Santiago');
  });

  it('signs the head without anyone asking, publishes its key, and verifies from the checkpoint', async () => {
    const head = await append(5);
    const checkpoint = await checkpointAt(head.seq);
    const keys = (await new ApiClient(stack.baseUrl).get<AuditPublicKeysView>('/audit/public-key')).body;
    expect(keys.current?.keyId).toBe(publicKeyInfo(readFileSync(firstKey, 'utf8')).keyId);
    expect(checkpoint).toMatchObject({ hash: head.hash, keyId: keys.current?.keyId });
    // The file beside the key has it too, written before the database.
    expect(readFileSync(checkpointsFile, 'utf8')).toContain(`"seq":${head.seq},"hash":"${head.hash}"`);

    const more = await append(3);
    const verify = await auditor.get<ChainVerificationReport>('/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
    expect(verify.body.problems).toEqual([]);
    expect(verify.body.checkpoint?.seq).toBeGreaterThanOrEqual(head.seq);
    expect(verify.body.from).toBe(verify.body.checkpoint?.seq);
    expect(verify.body.records).toBe(more.seq - verify.body.from);
    await checkpointAt(more.seq);
  });

  it('lists records by type and seq range, and names a bad filter', async () => {
    const page = await auditor.get(`/audit/records?type=SUBMITTED&from=${base + 2}&to=${base + 4}&pageSize=2`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page.body.items.map((r: RecordEntity) => r.seq)).toEqual([base + 2, base + 3]);
    expect((await auditor.get(`/audit/records?type=NO_SUCH_TYPE`)).body).toMatchObject({ items: [], total: 0 });
    const bad = await auditor.get('/audit/records?from=5&to=2');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
    expect((await auditor.get('/audit/export?from=zero')).body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
    expect((await auditor.get('/audit/records?to=100000000000000000000')).body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
  });

  it('streams the export as NDJSON that the offline verifier accepts with the checkpoints file', async () => {
    const exported = await download(`/audit/export?from=${base + 2}&to=${base + 3}`, 'part.ndjson');
    expect(exported.type).toContain('application/x-ndjson');
    expect(readFileSync(exported.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).seq)).toEqual([base + 2, base + 3]);
    const result = await offline([checkpointsFile]);
    expect(result.report).toContain('VERIFICADO');
    expect(result.code).toBe(0);
  });

  it('keeps old checkpoints verifiable after the key is rotated', async () => {
    const before = (await checkpoints()).items.length;
    await stack.stopWorker();
    const secondKey = testSigningKeyFile();
    rotated = await startWorker({ ...stack.config, audit: { ...stack.config.audit, signingKeyFile: secondKey, checkpointsFile } }, { codePath: WORKFLOW_BUNDLE });
    const secondId = publicKeyInfo(readFileSync(secondKey, 'utf8')).keyId;
    const head = await append(2);
    await checkpointAt(head.seq, secondId);
    const keys = (await auditor.get<AuditPublicKeysView>('/audit/public-key')).body;
    expect(keys.current?.keyId).toBe(secondId);
    expect(keys.previous.map((k) => k.keyId)).toEqual([publicKeyInfo(readFileSync(firstKey, 'utf8')).keyId]);
    expect((await checkpoints()).items.length).toBeGreaterThan(before);
    expect((await auditor.get<ChainVerificationReport>('/audit/verify')).body).toMatchObject({ ok: true, checkpoint: { keyId: secondId } });
    const result = await offline([checkpointsFile]);
    expect(result.code).toBe(0);
  });

  it('runs a full verification as a job whose progress and result a GET reports', async () => {
    const started = await auditor.get('/audit/verify?full=true');
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/v1/audit/verifications/${started.body.id}`);
    const done = await eventually(
      async () => {
        const job = (await auditor.get<VerificationJobView>(`/audit/verifications/${started.body.id}`)).body;
        return job.status === 'PASSED' || job.status === 'FAILED' ? job : undefined;
      },
      { timeoutMs: 60_000, what: 'the full verification to finish' },
    );
    const head = (await records.head())!;
    expect(done).toMatchObject({ status: 'PASSED', ok: true, checked: head.seq, total: head.seq, requestedBy: 'lucia.campos@contraloria.example', firstBadSeq: null, problems: [] });
    expect((await auditor.get('/audit/verifications/not-a-uuid')).status).toBe(400);
    expect((await auditor.get('/audit/verifications')).body.items[0]).toMatchObject({ id: started.body.id, status: 'PASSED' });
  });

  it('purges expired idempotency keys and old login failures when its schedule runs', async () => {
    const [{ id: adminId }] = await dataSource.query(`SELECT id FROM users WHERE email = 'admin@digital.example'`);
    await dataSource.query(`INSERT INTO idempotency_keys (user_id, scope, key, request_hash, created_at) VALUES ($1, 's', 'old', $2, now() - interval '3 days'), ($1, 's', 'fresh', $2, now())`, [adminId, 'a'.repeat(64)]);
    await dataSource.query(`INSERT INTO login_failures (key, at) VALUES ('old', now() - interval '2 days'), ('fresh', now())`);
    await temporal.schedule.getHandle(housekeepingScheduleId('appraise-purge', stack.config.temporal.taskQueue)).trigger();
    const purged = async () => {
      const [{ count }] = await dataSource.query(`SELECT (SELECT count(*) FROM idempotency_keys WHERE key = 'old') + (SELECT count(*) FROM login_failures WHERE key = 'old') AS count`);
      return Number(count) === 0 ? true : undefined;
    };
    await eventually(purged, { what: 'the purge' });
    expect((await dataSource.query(`SELECT key FROM idempotency_keys WHERE key IN ('old', 'fresh')`)).map((r: { key: string }) => r.key)).toEqual(['fresh']);
    expect((await dataSource.query(`SELECT key FROM login_failures WHERE key IN ('old', 'fresh')`)).map((r: { key: string }) => r.key)).toEqual(['fresh']);
  });

  it('catches a chain rewritten by a database superuser who recomputed every hash, even with the checkpoints deleted from the database', async () => {
    // The signing worker stops first: it must not sign the rewritten head (a thief of the database
    // does not hold the key). A worker without a key, which keeps the checkpoints file, runs the jobs.
    await rotated?.shutdown();
    rotated = await startWorker({ ...stack.config, audit: { ...stack.config.audit, signingKeyFile: null, checkpointsFile } }, { codePath: WORKFLOW_BUNDLE });
    const signed = (await checkpoints()).items;
    const fromSeq = base + 4;
    await dataSource.query('ALTER TABLE records DISABLE TRIGGER records_append_only');
    let prev = (await records.pageAfter(fromSeq - 2, fromSeq - 1, 1))[0]?.hash ?? GENESIS_HASH;
    for (const record of await records.pageAfter(fromSeq - 1, null, 10_000)) {
      const data = { ...record.data, amount: 1 };
      const hash = recordHash(prev, { ...record, data });
      await dataSource.query(`UPDATE records SET data = $2, prev_hash = $3, hash = $4 WHERE seq = $1`, [record.seq, JSON.stringify(data), prev, hash]);
      prev = hash;
    }
    await dataSource.query('ALTER TABLE records ENABLE TRIGGER records_append_only');
    expect(await records.verifyAll()).toMatchObject({ ok: true });

    const verify = (await auditor.get<ChainVerificationReport>('/audit/verify')).body;
    expect(verify.ok).toBe(false);
    expect(verify.problems[0]).toMatch(/^checkpoint at seq \d+ signed hash [0-9a-f]{64}; the log has [0-9a-f]{64}$/);
    expect(verify.checkpoint === null || verify.checkpoint.seq < fromSeq).toBe(true);

    // The full verification finds every hash in order, and every checkpoint signed before contradicting it.
    const job = (await auditor.get('/audit/verify?full=true')).body;
    const failed = await eventually(
      async () => {
        const view = (await auditor.get<VerificationJobView>(`/audit/verifications/${job.id}`)).body;
        return view.status === 'FAILED' || view.status === 'PASSED' ? view : undefined;
      },
      { timeoutMs: 60_000, what: 'the full verification of the rewritten chain' },
    );
    expect(failed).toMatchObject({ status: 'FAILED', ok: false, firstBadSeq: null });
    expect(failed.problems).toHaveLength(signed.length);

    const caught = await offline([checkpointsFile]);
    expect(caught.code).toBe(1);
    expect(caught.report).toContain('NO VERIFICADO');
    expect(caught.report).toMatch(/checkpoint at seq \d+ .*signed hash/);

    // The thief deletes every checkpoint from the database: the API has nothing left to compare...
    await dataSource.query('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only');
    await dataSource.query('DELETE FROM audit_checkpoints');
    await dataSource.query('ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only');
    expect((await auditor.get<ChainVerificationReport>('/audit/verify')).body).toMatchObject({ ok: true, checkpoint: null, from: 0 });
    // ...but the file beside the key still has what was signed: the offline verifier and the
    // full verification (run by the worker that keeps the file) both compare the log with it.
    const stillCaught = await offline([checkpointsFile]);
    expect(stillCaught.code).toBe(1);
    expect(signed.length).toBeGreaterThan(0);
    const again = (await auditor.get('/audit/verify?full=true')).body;
    const failedAgain = await eventually(
      async () => {
        const view = (await auditor.get<VerificationJobView>(`/audit/verifications/${again.id}`)).body;
        return view.status === 'FAILED' || view.status === 'PASSED' ? view : undefined;
      },
      { timeoutMs: 60_000, what: 'the full verification with the checkpoints deleted from the database' },
    );
    expect(failedAgain).toMatchObject({ status: 'FAILED', ok: false, firstBadSeq: null });
    expect(failedAgain.problems[0]).toMatch(/^checkpoint at seq \d+ signed hash [0-9a-f]{64}; the log has [0-9a-f]{64}$/);
  });

  it('lets only auditors and admins read the log; the public key is public', async () => {
    const { ana } = await loginAll(stack.baseUrl, ['ana']);
    for (const path of ['/audit/checkpoints', '/audit/records', '/audit/export', '/audit/verify']) expect((await ana.get(path)).status).toBe(403);
    expect((await admin.get('/audit/checkpoints')).status).toBe(200);
    expect((await new ApiClient(stack.baseUrl).get('/audit/public-key')).status).toBe(200);
  });
});
