import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApiApp } from '../../apps/api/src/app.factory';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker';
import { installWorkerRuntime } from '../../apps/worker/src/worker-runtime';
import { loadConfig, type AppConfig } from '../../libs/config';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testEnvironment } from './test-env';

/** The workflow bundle `npm test` builds before any test runs, exactly as the worker ships it. */
export const WORKFLOW_BUNDLE = join(__dirname, '..', '..', 'dist', 'workflows', 'workflow-bundle.js');

export interface TestStack {
  baseUrl: string;
  config: AppConfig;
  database: TestDatabase;
  app: NestExpressApplication;
  worker: RunningWorker;
  stop(): Promise<void>;
}

/** Test-only configuration: the shared services, a private database and task queue. */
export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): AppConfig {
  const env = testEnvironment();
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_TASK_QUEUE: `test-${randomBytes(6).toString('hex')}`,
    JWT_SECRET: 'test-secret-of-enough-length',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...overrides,
  });
}

/** The whole system for one test file: its own database (cloned template), worker and API. */
export async function startTestStack(): Promise<TestStack> {
  const database = await createTestDatabase();
  const config = testConfig(database.url);
  installWorkerRuntime(config.logLevel, false);
  const worker = await startWorker(config, { codePath: WORKFLOW_BUNDLE });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${address.port}/api/v1`,
    config,
    database,
    app,
    worker,
    async stop() {
      await app.close();
      await worker.shutdown();
      await database.drop();
    },
  };
}
