import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApiApp } from '../../apps/api/src/app.factory';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker';
import { installWorkerRuntime } from '../../libs/temporal/src/worker-runtime';
import { loadConfig, type AppConfig } from '../../libs/config';
import { ProcessStack, scaleOut } from './process-stack';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testEnvironment } from './test-env';

/** The workflow bundle `npm test` builds before any test runs, exactly as the worker ships it. */
export const WORKFLOW_BUNDLE = join(__dirname, '..', '..', 'dist', 'workflows', 'workflow-bundle.js');

export interface TestStack {
  baseUrl: string;
  config: AppConfig;
  database: TestDatabase;
  /** Null in scale-out mode, where the APIs are child processes. */
  app: NestExpressApplication | null;
  /** Null while the stack runs without a worker (see `startWorker`), and in scale-out mode. */
  worker: RunningWorker | null;
  /** Starts a worker on the stack's task queue (again, after `stopWorker`); in scale-out mode, the worker processes. */
  startWorker(): Promise<RunningWorker | null>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /** Start without a worker, as when every worker has crashed. */
  withoutWorker?: boolean;
  /** Extra configuration, e.g. TEMPORAL_COMMAND_TIMEOUT_MS. */
  env?: Record<string, string>;
}

/** Test-only configuration: the shared services, a private database and task queue. */
export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): AppConfig {
  const env = testEnvironment();
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: env.temporalAddress,
    ...env.temporalEnv,
    TEMPORAL_TASK_QUEUE: `test-${randomBytes(6).toString('hex')}`,
    JWT_SECRET: 'test-secret-of-enough-length',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...overrides,
  });
}

/**
 * The whole system for one test file: its own database (cloned template), worker and API; in
 * scale-out mode (`APPRAISE_SCALE_OUT=2`), that many API and worker processes instead.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, options.env);
  const processes = scaleOut();
  if (processes) return startProcessStack(database, config, options, processes);
  installWorkerRuntime(config.logLevel, false);
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const stack: TestStack = {
    baseUrl: `http://127.0.0.1:${address.port}/api/v1`,
    config,
    database,
    app,
    worker: null,
    async startWorker() {
      stack.worker = await startWorker(config, { codePath: WORKFLOW_BUNDLE });
      return stack.worker;
    },
    async stopWorker() {
      await stack.worker?.shutdown();
      stack.worker = null;
    },
    async stop() {
      await app.close();
      await stack.stopWorker();
      await database.drop();
    },
  };
  if (!options.withoutWorker) await stack.startWorker();
  return stack;
}

async function startProcessStack(database: TestDatabase, config: AppConfig, options: TestStackOptions, count: number): Promise<TestStack> {
  const processes = new ProcessStack(config, options.env ?? {}, { apis: count, workers: count });
  const [baseUrl] = await Promise.all([processes.start(), options.withoutWorker ? null : processes.startWorkers()]);
  const stack: TestStack = {
    baseUrl,
    config,
    database,
    app: null,
    worker: null,
    async startWorker() {
      await processes.startWorkers();
      return null;
    },
    stopWorker: () => processes.stopWorkers(),
    async stop() {
      await processes.stop();
      await database.drop();
    },
  };
  return stack;
}
