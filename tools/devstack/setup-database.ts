/** Migrates the database and seeds reference data, and the demo accounts outside production (idempotent). */
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
    const { demoAccounts } = config;
    const report = await seedDatabase(dataSource, demoAccounts ? () => hashPassword(demoAccounts.password) : null, makeDefaultPolicy(new Date()));
    console.error(
      `  seeded: ${report.catalogues} catalogue(s), ${report.policies} polic(ies), ${report.agencies} agenc(ies), ${report.users} user(s)` +
        (Object.values(report).every((n) => n === 0) ? ' (already seeded)' : '') +
        (demoAccounts ? '' : '; no demo accounts in production'),
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`database setup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
