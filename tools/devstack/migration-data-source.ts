/**
 * The data source TypeORM's CLI loads for `npm run migration:generate|run|revert` (compiled to
 * dist/tools/devstack/migration-data-source.js): the application's one data source, on the
 * DATABASE_URL of libs/config, logging at its LOG_LEVEL (`debug` lists each migration).
 */
import { loadConfig } from '../../libs/config';
import { setLogLevel } from '../../libs/logging';
import { createDataSource } from '../../libs/persistence';

const config = loadConfig();
setLogLevel(config.logLevel);

export const migrationDataSource = createDataSource(config.databaseUrl, 'appraise-migrations');
