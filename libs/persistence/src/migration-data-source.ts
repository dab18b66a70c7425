/**
 * The data source TypeORM's CLI loads for `npm run migration:generate|run|revert` (compiled to
 * dist/libs/persistence/src/migration-data-source.js): the application's one data source, on the
 * DATABASE_URL of libs/config, logging at its LOG_LEVEL (`debug` lists each migration). Not
 * exported from the index, since loading it reads the configuration.
 */
import { loadConfig } from '../../config';
import { setLogLevel } from '../../logging';
import { createDataSource } from './data-source';

const config = loadConfig();
setLogLevel(config.logLevel);

export const migrationDataSource = createDataSource(config.databaseUrl, 'appraise-migrations');
