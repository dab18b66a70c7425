import type { DataSource } from 'typeorm';
import { hashPassword, verifyPassword } from '../../libs/auth';
import { CATALOGUE_2026_1, DEFAULT_POLICY } from '../../libs/domain';
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
    expect(await runMigrations(dataSource)).toEqual(['InitialSchema1764300000000', 'TasksAndOutcomes1764310000000', 'IdempotencyKeys1764320000000', 'OversightIndexes1764330000000', 'ReadIndexes1764340000000', 'OutcomeFigures1764350000000', 'InboxIndexes1764360000000', 'LoginFailures1764370000000']);
    expect(await runMigrations(dataSource)).toEqual([]);
    const tables = (await dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r: { tablename: string }) => r.tablename);
    expect(tables).toEqual([
      'agencies',
      'idempotency_keys',
      'login_failures',
      'policies',
      'proposal_versions',
      'proposals',
      'records',
      'schema_migrations',
      'standards_catalogues',
      'tasks',
      'users',
    ]);
  });

  it('seeds the catalogue, policy, agencies and demo users, and seeds nothing twice', async () => {
    const first = await seedDatabase(dataSource, () => hashPassword('demo-password'));
    expect(first).toEqual({ catalogues: 1, policies: 1, agencies: 7, users: DEMO_USERS.length });
    expect(await seedDatabase(dataSource, () => hashPassword('demo-password'))).toEqual({ catalogues: 0, policies: 0, agencies: 0, users: 0 });

    const catalogues = new CatalogueRepository(dataSource);
    expect(await catalogues.currentCatalogue()).toEqual(JSON.parse(JSON.stringify(CATALOGUE_2026_1)));
    expect(await catalogues.currentPolicy()).toEqual(JSON.parse(JSON.stringify(DEFAULT_POLICY)));
    const gabriela = await new UsersRepository(dataSource).findByEmail('Gabriela.Pinto@digital.example ');
    expect(gabriela).toMatchObject({ roles: ['approver', 'supervisor'], agencyCode: 'DIGITAL', approvalLevel: 'DIGITAL_HEAD', deputy: false });
    expect(await verifyPassword('demo-password', gabriela!.passwordHash)).toBe(true);
  });

  it('does not overwrite what an admin changed when seeding again', async () => {
    await dataSource.query(`UPDATE users SET disabled = true WHERE email = 'bruno.diaz@mineduc.example'`);
    await seedDatabase(dataSource, () => hashPassword('demo-password'));
    const bruno = await new UsersRepository(dataSource).findByEmail('bruno.diaz@mineduc.example');
    expect(bruno?.disabled).toBe(true);
  });
});
