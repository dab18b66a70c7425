import type { DataSource } from 'typeorm';
import { AdministrationLedger, createDataSource, RecordsRepository, UsersRepository, type ProviderClaims } from '../../libs/persistence';
import { adminRecords, createTestDatabase, type TestDatabase } from '../support/test-database';

describe('the administration ledger on real PostgreSQL: identity provider admissions', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let ledger: AdministrationLedger;

  const claims = (over: Partial<ProviderClaims> = {}): ProviderClaims => ({
    issuer: 'https://idp.gob.example',
    subject: 'sub-1',
    email: 'marta.pena@minsal.example',
    name: 'Marta Peña',
    roles: ['agency_submitter'],
    agencyCode: 'MINSAL',
    approvalLevel: null,
    ...over,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource(database.url);
    await dataSource.initialize();
    ledger = new AdministrationLedger(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('provisions a person signing in many times at once exactly once, with one record', async () => {
    const admissions = await Promise.all(Array.from({ length: 8 }, () => ledger.admitExternal(claims())));
    const ids = new Set(admissions.map((a) => ('user' in a ? a.user.id : a.refused)));
    expect(ids.size).toBe(1);
    const records = (await adminRecords(database.url)).filter((r) => r.data.email === 'marta.pena@minsal.example');
    expect(records.map((r) => r.type)).toEqual(['USER_PROVISIONED']);
    expect(await new RecordsRepository(dataSource).verifyAll()).toMatchObject({ ok: true });
  });

  it('gives an account the provider made before identities were kept its identity, then follows the claims', async () => {
    const users = new UsersRepository(dataSource);
    await users.insertIfAbsent({ email: 'old.provisioned@minsal.example', name: 'Old', passwordHash: null, roles: ['auditor'], agencyCode: 'MINSAL', approvalLevel: null, deputy: false, disabled: false });
    const old = (await users.findByEmail('old.provisioned@minsal.example'))!;
    const admitted = await ledger.admitExternal(claims({ subject: 'old', email: old.email, name: 'Old', roles: ['auditor', 'supervisor'] }));
    expect(admitted).toEqual({ user: expect.objectContaining({ id: old.id, roles: ['auditor', 'supervisor'] }) });
    expect(await users.findIdentity('https://idp.gob.example', 'old')).toMatchObject({ userId: old.id, provisioned: true });
    const records = (await adminRecords(database.url)).filter((r) => r.data.userId === old.id);
    expect(records.map((r) => [r.type, r.data.adopted ?? null, r.data.after ?? null])).toEqual([
      ['USER_PROVISIONED', true, null],
      ['USER_UPDATED_BY_PROVIDER', null, { roles: ['auditor', 'supervisor'] }],
    ]);
  });

  it('refuses an e-mail of a local account or of another identity, and an unknown agency, writing nothing', async () => {
    const before = (await adminRecords(database.url)).length;
    expect(await ledger.admitExternal(claims({ subject: 'someone', email: 'ana.torres@minsal.example' }))).toEqual({ refused: 'EMAIL_TAKEN' });
    expect(await ledger.admitExternal(claims({ subject: 'sub-2' }))).toEqual({ refused: 'EMAIL_TAKEN' });
    expect(await ledger.admitExternal(claims({ subject: 'sub-3', email: 'new.person@minsal.example', agencyCode: 'NOWHERE' }))).toEqual({ refused: 'UNKNOWN_AGENCY' });
    expect(await ledger.admitExternal(claims({ agencyCode: 'NOWHERE' }))).toEqual({ refused: 'UNKNOWN_AGENCY' });
    expect((await adminRecords(database.url)).length).toBe(before);
    expect(await new UsersRepository(dataSource).findByEmail('new.person@minsal.example')).toBeNull();
  });
});
