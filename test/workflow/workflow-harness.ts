import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, Worker } from '@temporalio/worker';
import { installWorkerRuntime } from '../../apps/worker/src/worker-runtime';
import type { EvaluationActivities } from '../../libs/temporal';
import { testEnvironment } from '../support/test-env';
import { WORKFLOW_BUNDLE } from '../support/test-stack';

export const HISTORIES_DIR = join(__dirname, '..', 'replay', 'histories');

export interface WorkflowHarness {
  client: Client;
  taskQueue: string;
  /** Runs `fn` while a worker with these activities polls the harness's task queue. */
  withWorker<T>(activities: EvaluationActivities, fn: () => Promise<T>): Promise<T>;
  /** With RECORD_HISTORIES=1, saves a finished workflow's history for the replay tests. */
  recordHistory(workflowId: string, name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Workflow tests run the prebuilt bundle on the real dev server; activities are implementations
 * of the contract type written for each test, so the workflow's decisions are observed alone.
 */
export async function createWorkflowHarness(): Promise<WorkflowHarness> {
  installWorkerRuntime('warn', false);
  const { temporalAddress } = testEnvironment();
  const connection = await Connection.connect({ address: temporalAddress });
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  const taskQueue = `wf-test-${randomBytes(6).toString('hex')}`;
  return {
    client,
    taskQueue,
    async withWorker(activities, fn) {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: { codePath: WORKFLOW_BUNDLE }, activities });
      return worker.runUntil(fn);
    },
    async recordHistory(workflowId, name) {
      if (process.env.RECORD_HISTORIES !== '1') return;
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      mkdirSync(HISTORIES_DIR, { recursive: true });
      writeFileSync(join(HISTORIES_DIR, `${name}.json`), historyToJSON(history));
    },
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}
