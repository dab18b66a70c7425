import type { DataSource } from 'typeorm';
import { CATALOGUE_2026_1, DEFAULT_POLICY } from '../../../domain';
import { CatalogueRepository } from '../repositories/catalogue.repository';
import { UsersRepository } from '../repositories/users.repository';
import { DEMO_AGENCIES, DEMO_USERS } from './demo-directory';

export interface SeedReport {
  agencies: number;
  users: number;
  catalogues: number;
  policies: number;
}

const SEEDER = 'seed';

/**
 * Idempotent: every row is inserted only when absent, so a second start seeds nothing twice
 * and never overwrites what an admin changed.
 */
export async function seedDatabase(dataSource: DataSource, passwordHash: () => Promise<string>): Promise<SeedReport> {
  const users = new UsersRepository(dataSource);
  const catalogues = new CatalogueRepository(dataSource);
  const report: SeedReport = { agencies: 0, users: 0, catalogues: 0, policies: 0 };

  if (await catalogues.insertCatalogueIfAbsent(CATALOGUE_2026_1, SEEDER)) report.catalogues += 1;
  if (await catalogues.insertPolicyIfAbsent(DEFAULT_POLICY, SEEDER)) report.policies += 1;
  for (const agency of DEMO_AGENCIES) {
    if (await users.insertAgencyIfAbsent(agency)) report.agencies += 1;
  }
  for (const demo of DEMO_USERS) {
    if (await users.findByEmail(demo.email)) continue;
    if (await users.insertIfAbsent({ ...demo, passwordHash: await passwordHash(), disabled: false })) report.users += 1;
  }
  return report;
}
