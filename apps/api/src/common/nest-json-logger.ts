import type { LoggerService } from '@nestjs/common';
import { writeLog } from '../../../../libs/logging';

/** Routes Nest's own log lines through the same JSON writer as ours. */
export class NestJsonLogger implements LoggerService {
  log(message: unknown, context?: string): void {
    writeLog('info', context ?? 'Nest', String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    writeLog('error', context ?? 'Nest', String(message), trace ? { trace } : {});
  }
  warn(message: unknown, context?: string): void {
    writeLog('warn', context ?? 'Nest', String(message));
  }
  debug(message: unknown, context?: string): void {
    writeLog('debug', context ?? 'Nest', String(message));
  }
  verbose(message: unknown, context?: string): void {
    writeLog('debug', context ?? 'Nest', String(message));
  }
}
