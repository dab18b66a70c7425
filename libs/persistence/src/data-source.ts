import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { TypeOrmJsonLogger, type DatabaseLog } from './typeorm-json-logger';

/** Without `log` (tests, tools), TypeORM's own messages are dropped. */
export function dataSourceOptions(databaseUrl: string, applicationName = 'appraise', log: DatabaseLog = () => undefined): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error', 'warn', 'migration'],
    logger: new TypeOrmJsonLogger(log),
    maxQueryExecutionTime: 1_000,
    applicationName,
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}

export function createDataSource(databaseUrl: string, applicationName?: string, log?: DatabaseLog): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, applicationName, log));
}

/** Runs pending migrations; safe to call from several processes at once (advisory lock). */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', ['appraise:migrations']);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', ['appraise:migrations']).catch(() => undefined);
    await runner.release();
  }
}
