import type { DataSource } from 'typeorm';
import { hashPassword, verifyPassword } from '../../libs/auth';
import { makeDefaultPolicy } from '../../libs/calendar';
import { CATALOGUE_2026_1, DEFAULT_POLICY, validateCalendarForPublication, validatePolicy, type Policy } from '../../libs/domain';
import { CatalogueRepository, createDataSource, DEMO_USERS, runMigrations, seedDatabase, UsersRepository } from '../../libs/persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('migrations and seed on an empty PostgreSQL database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase(null);
    dataSource = createDataSource(database.url);
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('applies the migrations once', async () => {
    expect(await runMigrations(dataSource)).toEqual(['InitialSchema1764300000000', 'TasksAndOutcomes1764310000000', 'IdempotencyKeys1764320000000', 'OversightIndexes1764330000000', 'ReadIndexes1764340000000', 'OutcomeFigures1764350000000', 'InboxIndexes1764360000000', 'LoginFailures1764370000000', 'TaskClocks1764380000000', 'AuditCheckpoints1764390000000', 'RequestLimits1764400000000', 'ExternalIdentities1764410000000', 'MailOutbox1764420000000']);
    expect(await runMigrations(dataSource)).toEqual([]);
    const tables = (await dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r: { tablename: string }) => r.tablename);
    expect(tables).toEqual([
      'agencies',
      'audit_checkpoints',
      'audit_signing_keys',
      'audit_verifications',
      'external_identities',
      'idempotency_keys',
      'login_failures',
      'mail_outbox',
      'policies',
      'proposal_versions',
      'proposals',
      'rate_limits',
      'records',
      'schema_migrations',
      'standards_catalogues',
      'tasks',
      'users',
    ]);
  });

  // Made once: each takes a few hundred milliseconds of the holiday library.
  const YEAR_MS = 366 * 86_400_000;
  let today: Policy;
  let nextYear: Policy;
  let yearAfter: Policy;
  beforeAll(() => {
    [today, nextYear, yearAfter] = [0, 1, 2].map((years) => makeDefaultPolicy(new Date(Date.now() + years * YEAR_MS)));
  }, 30_000);
  const seed = (policy: Policy = today) => seedDatabase(dataSource, () => hashPassword('demo-password'), policy);
  // Seeding hashes every demo password (scrypt), seconds on a busy machine; the project's
  // testTimeout of jest.config.js does not reach the tests (Jest reads only the global one).
  const SEEDING_MS = 30_000;

  it('seeds the catalogue, policies, agencies and demo users, and seeds nothing twice', async () => {
    const first = await seed();
    expect(first).toEqual({ catalogues: 1, policies: 2, agencies: 7, users: DEMO_USERS.length });
    expect(await seed()).toEqual({ catalogues: 0, policies: 0, agencies: 0, users: 0 });

    const catalogues = new CatalogueRepository(dataSource);
    expect(await catalogues.currentCatalogue()).toEqual(JSON.parse(JSON.stringify(CATALOGUE_2026_1)));
    // 2026.1 stays as it was published; the default made with today's holiday calendar is current.
    expect(await catalogues.policy('2026.1')).toEqual(JSON.parse(JSON.stringify(DEFAULT_POLICY)));
    const current = (await catalogues.currentPolicy())!;
    expect(current.version).toMatch(/^default-\d{4}$/);
    expect(validatePolicy(current)).toEqual([]);
    expect(validateCalendarForPublication(current.calendar, new Date())).toEqual([]);
    const gabriela = await new UsersRepository(dataSource).findByEmail('Gabriela.Pinto@digital.example ');
    expect(gabriela).toMatchObject({ roles: ['approver', 'supervisor'], agencyCode: 'DIGITAL', approvalLevel: 'DIGITAL_HEAD', deputy: false });
    expect(await verifyPassword('demo-password', gabriela!.passwordHash)).toBe(true);
  }, SEEDING_MS);

  it('does not overwrite what an admin changed when seeding again', async () => {
    await dataSource.query(`UPDATE users SET disabled = true WHERE email = 'bruno.diaz@mineduc.example'`);
    await seed();
    const bruno = await new UsersRepository(dataSource).findByEmail('bruno.diaz@mineduc.example');
    expect(bruno?.disabled).toBe(true);
  }, SEEDING_MS);

  it('makes a default that reaches further current while the seed’s own policy is, never over an admin’s', async () => {
    const catalogues = new CatalogueRepository(dataSource);
    expect(await seed(nextYear)).toMatchObject({ policies: 1 });
    expect((await catalogues.currentPolicy())?.version).toBe(nextYear.version);
    // A default that reaches less far (made by a clock behind) does not displace it.
    expect(await seed({ ...today, version: 'default-behind' })).toMatchObject({ policies: 0 });
    expect((await catalogues.currentPolicy())?.version).toBe(nextYear.version);

    await catalogues.insertPolicyIfAbsent({ ...nextYear, version: 'admin-choice' }, 'admin@digital.example');
    expect(await seed(yearAfter)).toMatchObject({ policies: 0 });
    expect((await catalogues.currentPolicy())?.version).toBe('admin-choice');
  }, SEEDING_MS);
});
