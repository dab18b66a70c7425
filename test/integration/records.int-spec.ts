import type { DataSource } from 'typeorm';
import { createDataSource, ProposalsRepository, RecordsRepository, verifyChain } from '../../libs/persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('the hash-chained record on real PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let records: RecordsRepository;
  let proposalId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource(database.url);
    await dataSource.initialize();
    records = new RecordsRepository(dataSource);
    const [user] = await dataSource.query(`SELECT id FROM users WHERE email = 'ana.torres@minsal.example'`);
    proposalId = 'a1b2c3d4-0000-4000-8000-000000000001';
    await new ProposalsRepository(dataSource).createDraft({ id: proposalId, agencyCode: 'MINSAL', createdBy: user.id, title: 'Chained', data: { title: 'Chained' }, requestedAmount: 0 });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('starts at the genesis hash and links every record to the one before', async () => {
    const first = await records.append({ proposalId, actor: 'ana', type: 'SUBMITTED', data: { version: 1 }, dedupeKey: 'k1' });
    const second = await records.append({ proposalId, actor: 'system', type: 'SCREENED', data: { passed: true }, dedupeKey: 'k2' });
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe('0'.repeat(64));
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(await records.verifyAll()).toEqual({ ok: true, records: 2, firstBadSeq: null });
  });

  it('stores a fact appended twice with the same key once', async () => {
    const again = await records.append({ proposalId, actor: 'ana', type: 'SUBMITTED', data: { version: 1 }, dedupeKey: 'k1' });
    expect(again.seq).toBe(1);
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM records');
    expect(count).toBe(2);
  });

  it('keeps one unbroken chain under concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        records.append({ proposalId, actor: `actor-${i}`, type: 'REMINDER_SENT', data: { i }, dedupeKey: `concurrent-${i}` }),
      ),
    );
    const all = await records.listForProposal(proposalId);
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    expect(verifyChain(all)).toEqual({ ok: true, records: 42, firstBadSeq: null });
  });

  it('refuses edits and deletions in the database itself', async () => {
    await expect(dataSource.query(`UPDATE records SET actor = 'mallory' WHERE seq = 3`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM records WHERE seq = 3`)).rejects.toThrow(/append-only/);
  });

  it('names the first altered record when someone bypasses the guard', async () => {
    await dataSource.query('ALTER TABLE records DISABLE TRIGGER records_append_only');
    await dataSource.query(`UPDATE records SET data = '{"i": 999}' WHERE seq = 5`);
    await dataSource.query('ALTER TABLE records ENABLE TRIGGER records_append_only');
    expect(await records.verifyAll(7)).toEqual({ ok: false, records: 42, firstBadSeq: 5 });
  });
});
