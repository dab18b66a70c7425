import type { Logger as TypeOrmLogger } from 'typeorm';
import { writeLog } from '../../logging';

/** TypeORM's messages as our JSON lines. Parameters are left out: they may hold personal data. */
export class TypeOrmJsonLogger implements TypeOrmLogger {
  logQuery(): void {}
  logQueryError(error: string | Error, query: string): void {
    writeLog('warn', 'Database', 'query failed', { error: error instanceof Error ? error.message : error, query: query.slice(0, 500) });
  }
  logQuerySlow(time: number, query: string): void {
    writeLog('warn', 'Database', 'slow query', { ms: time, query: query.slice(0, 500) });
  }
  logSchemaBuild(message: string): void {
    writeLog('debug', 'Database', message);
  }
  logMigration(message: string): void {
    writeLog('info', 'Database', message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    writeLog(level === 'log' ? 'info' : level, 'Database', String(message));
  }
}
