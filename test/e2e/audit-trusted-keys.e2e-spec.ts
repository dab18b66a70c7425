import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import type { AuditPublicKeysView, ChainVerificationReport, CheckpointPage } from '../../libs/http-contract';
import { AuditRepository, createDataSource, GENESIS_HASH, keyIdOf, recordHash, RecordsRepository, signCheckpoint } from '../../libs/persistence';
import { auditKeyId } from '../../tools/devstack/lib/stack-secrets';
import { testSigningKeyFile } from '../support/audit-key';
import { loginAll } from '../support/demo-users';
import { eventually, type ApiClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(180_000);

/**
 * Whoever can write the database can also add a public key of their own, rewrite the chain,
 * delete the honest checkpoints and sign new ones. With AUDIT_TRUSTED_KEY_IDS pinned, the API's
 * verification uses only the pinned keys: the planted one is named, its checkpoints do not hold,
 * and the published keys leave it out.
 */
describe('the decision log with its trusted keys pinned (AUDIT_TRUSTED_KEY_IDS)', () => {
  let stack: TestStack;
  let dataSource: DataSource;
  let records: RecordsRepository;
  let auditor: ApiClient;
  const keyFile = testSigningKeyFile();
  const ourKeyId = keyIdOf(createPublicKey(createPrivateKey(readFileSync(keyFile, 'utf8'))));

  beforeAll(async () => {
    stack = await startTestStack({
      env: { AUDIT_SIGNING_KEY_FILE: keyFile, AUDIT_TRUSTED_KEY_IDS: ourKeyId, AUDIT_CHECKPOINT_INTERVAL_SECONDS: '2', AUDIT_CHECKPOINT_EVERY_RECORDS: '1' },
    });
    dataSource = createDataSource(stack.database.url);
    await dataSource.initialize();
    records = new RecordsRepository(dataSource);
    ({ lucia: auditor } = await loginAll(stack.baseUrl, ['lucia']));
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await stack?.stop();
  });

  it('computes the key id in the devstack (npm start pins its generated key) as the verifiers do', () => {
    expect(auditKeyId(keyFile)).toBe(ourKeyId);
  });

  it('refuses checkpoints signed with a key someone added to the database', async () => {
    for (let n = 1; n <= 3; n += 1) await records.append({ proposalId: null, actor: 'system', type: 'SUBMITTED', data: { n, amount: 1_000_000 }, dedupeKey: `trusted-keys:${n}` });
    const head = (await records.head())!;
    await eventually(async () => (await auditor.get<CheckpointPage>('/audit/checkpoints')).body.items.find((c) => c.seq === head.seq), { timeoutMs: 60_000, what: `a checkpoint at seq ${head.seq}` });
    expect((await auditor.get<ChainVerificationReport>('/audit/verify')).body).toMatchObject({ ok: true, checkpoint: { seq: head.seq, keyId: ourKeyId } });

    // The thief holds the database, not the key: the worker that holds it stops first.
    await stack.stopWorker();
    await dataSource.query('ALTER TABLE records DISABLE TRIGGER records_append_only');
    let prev = GENESIS_HASH;
    for (const record of await records.pageAfter(0, null, 10_000)) {
      const data = record.type === 'SUBMITTED' && record.dedupeKey?.startsWith('trusted-keys:') ? { ...record.data, amount: 1 } : record.data;
      const hash = recordHash(prev, { ...record, data });
      await dataSource.query(`UPDATE records SET data = $2, prev_hash = $3, hash = $4 WHERE seq = $1`, [record.seq, JSON.stringify(data), prev, hash]);
      prev = hash;
    }
    await dataSource.query('ALTER TABLE records ENABLE TRIGGER records_append_only');
    await dataSource.query('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only');
    await dataSource.query('DELETE FROM audit_checkpoints');
    await dataSource.query('ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only');
    const planted = generateKeyPairSync('ed25519');
    const plantedId = keyIdOf(planted.publicKey);
    const audit = new AuditRepository(dataSource);
    await audit.registerKey({ keyId: plantedId, pem: planted.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    const rewritten = (await records.head())!;
    await audit.addCheckpoint(signCheckpoint(planted.privateKey, plantedId, { seq: rewritten.seq, hash: rewritten.hash }, new Date()));
    expect(await records.verifyAll()).toMatchObject({ ok: true });

    const verify = (await auditor.get<ChainVerificationReport>('/audit/verify')).body;
    expect(verify.ok).toBe(false);
    expect(verify.checkpoint).toBeNull();
    expect(verify.problems).toEqual(
      expect.arrayContaining([
        `public key ${plantedId} is in the database but not among AUDIT_TRUSTED_KEY_IDS: checkpoints it signed are not trusted`,
        expect.stringMatching(new RegExp(`^checkpoint at seq ${rewritten.seq}: its signature does not verify with published key ${plantedId}`)),
      ]),
    );
    const keys = (await auditor.get<AuditPublicKeysView>('/audit/public-key')).body;
    expect([keys.current?.keyId, ...keys.previous.map((k) => k.keyId)]).toEqual([ourKeyId]);
  });
});
