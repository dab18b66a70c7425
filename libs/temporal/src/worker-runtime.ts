import { DefaultLogger, Runtime, type LogLevel as SdkLogLevel } from '@temporalio/worker';
import { writeLog, type LogLevel } from '../../logging';

const SDK_LEVEL: Record<LogLevel, SdkLogLevel> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };
const OUR_LEVEL: Record<SdkLogLevel, LogLevel> = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * Installs the Temporal runtime once per process: SDK and activity logs become our JSON lines
 * (with the workflow and activity ids the SDK attaches), and SIGINT/SIGTERM drain the worker.
 */
export function installWorkerRuntime(level: LogLevel, handleSignals: boolean): void {
  try {
    Runtime.install({
      logger: new DefaultLogger(SDK_LEVEL[level], (entry) =>
        writeLog(OUR_LEVEL[entry.level], 'Temporal', entry.message, (entry.meta ?? {}) as Record<string, unknown>),
      ),
      shutdownSignals: handleSignals ? ['SIGINT', 'SIGTERM'] : [],
    });
  } catch (error) {
    // Already installed in this process (several workers, or a test file's second stack).
    if (!(error instanceof Error && /already/i.test(error.message))) throw error;
  }
}
