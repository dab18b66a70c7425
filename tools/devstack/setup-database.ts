/** Migrates the database and seeds reference data and demo accounts (idempotent). */
import { hashPassword } from '../../libs/auth';
import { makeDefaultPolicy } from '../../libs/calendar';
import { loadConfig } from '../../libs/config';
import { writeLog } from '../../libs/logging';
import { createDataSource, runMigrations, seedDatabase } from '../../libs/persistence';

async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = createDataSource(config.databaseUrl, 'appraise-setup', writeLog);
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    console.error(`  migrations applied: ${applied.length ? applied.join(', ') : 'none pending'}`);
    const report = await seedDatabase(dataSource, () => hashPassword(config.demoPassword), makeDefaultPolicy(new Date()));
    console.error(
      `  seeded: ${report.catalogues} catalogue(s), ${report.policies} polic(ies), ${report.agencies} agenc(ies), ${report.users} user(s)` +
        (Object.values(report).every((n) => n === 0) ? ' (already seeded)' : ''),
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`database setup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
