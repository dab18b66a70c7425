import { AsyncLocalStorage } from 'node:async_hooks';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Carries the request id of the HTTP request (or the workflow run) into every log line. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

let minimumLevel: LogLevel = 'info';
export function setLogLevel(level: LogLevel): void {
  minimumLevel = level;
}

/** One JSON object a line on stdout; `context` names the class that logs. */
export function writeLog(level: LogLevel, context: string, message: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < ORDER[minimumLevel]) return;
  const requestId = requestContext.getStore()?.requestId;
  const line = { time: new Date().toISOString(), level, context, msg: message, ...(requestId ? { requestId } : {}), ...fields };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export class JsonLogger {
  constructor(private readonly context: string) {}
  debug(message: string, fields?: Record<string, unknown>): void {
    writeLog('debug', this.context, message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    writeLog('info', this.context, message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    writeLog('warn', this.context, message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    writeLog('error', this.context, message, fields);
  }
}
