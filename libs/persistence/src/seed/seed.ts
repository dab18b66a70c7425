import type { DataSource } from 'typeorm';
import { calendarCoverage, CATALOGUE_2026_1, DEFAULT_POLICY, type Policy } from '../../../domain';
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

/** Whether a policy's holidays are listed further ahead than another's. */
function reachesFurther(policy: Policy, than: Policy): boolean {
  const ahead = calendarCoverage(policy.calendar)?.through ?? '';
  return ahead > (calendarCoverage(than.calendar)?.through ?? '');
}

/**
 * Idempotent: every row is inserted only when absent, so a second start seeds nothing twice
 * and never overwrites what an admin changed.
 *
 * The demo accounts (`DEMO_USERS`) are seeded only when `demoPasswordHash` is given: production
 * passes null and never has them (its first administrator comes from `npm run admin:create`).
 * The agencies are reference data, seeded everywhere.
 *
 * Policies: the starter version 2026.1 is kept as it always was (evaluations and data folders pin
 * it). `defaultPolicy` is the default made now with its holiday calendar (libs/calendar, which
 * persistence does not import, makes it; see tools/devstack/setup-database.ts). It is published, and so
 * becomes current, when the current policy is the seed's own and lists holidays less far ahead:
 * a fresh database, or one nobody has published a policy into, always has holidays listed ten
 * years ahead. A policy an admin published stays current.
 */
export async function seedDatabase(dataSource: DataSource, demoPasswordHash: (() => Promise<string>) | null, defaultPolicy: Policy): Promise<SeedReport> {
  const users = new UsersRepository(dataSource);
  const catalogues = new CatalogueRepository(dataSource);
  const report: SeedReport = { agencies: 0, users: 0, catalogues: 0, policies: 0 };

  if (await catalogues.insertCatalogueIfAbsent(CATALOGUE_2026_1, SEEDER)) report.catalogues += 1;
  if (await catalogues.insertPolicyIfAbsent(DEFAULT_POLICY, SEEDER)) report.policies += 1;
  const current = await catalogues.currentPolicyWithPublisher();
  const seedsOwn = !current || (current.publishedBy === SEEDER && reachesFurther(defaultPolicy, current.policy));
  if (seedsOwn && (await catalogues.insertPolicyIfAbsent(defaultPolicy, SEEDER))) report.policies += 1;
  for (const agency of DEMO_AGENCIES) {
    if (await users.insertAgencyIfAbsent(agency)) report.agencies += 1;
  }
  for (const demo of DEMO_USERS) {
    if (!demoPasswordHash || (await users.findByEmail(demo.email))) continue;
    if (await users.insertIfAbsent({ ...demo, passwordHash: await demoPasswordHash(), disabled: false })) report.users += 1;
  }
  return report;
}
