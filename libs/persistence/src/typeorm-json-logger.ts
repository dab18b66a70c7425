import type { Logger as TypeOrmLogger } from 'typeorm';

/** Where database messages go: the process's structured log (libs/logging's writeLog, given by the app). */
export type DatabaseLog = (level: 'debug' | 'info' | 'warn' | 'error', context: string, message: string, fields?: Record<string, unknown>) => void;

/** TypeORM's messages as the process's log lines. Parameters are left out: they may hold personal data. */
export class TypeOrmJsonLogger implements TypeOrmLogger {
  constructor(private readonly write: DatabaseLog) {}

  logQuery(): void {}
  logQueryError(error: string | Error, query: string): void {
    this.write('warn', 'Database', 'query failed', { error: error instanceof Error ? error.message : error, query: query.slice(0, 500) });
  }
  logQuerySlow(time: number, query: string): void {
    this.write('warn', 'Database', 'slow query', { ms: time, query: query.slice(0, 500) });
  }
  logSchemaBuild(message: string): void {
    this.write('debug', 'Database', message);
  }
  logMigration(message: string): void {
    this.write('info', 'Database', message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.write(level === 'log' ? 'info' : level, 'Database', String(message));
  }
}
