import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { decode, visit, walkGetWorkflowExecutionHistoryResponse } from '@temporalio/common/lib/internal-non-workflow';
import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, Worker } from '@temporalio/worker';
import { installWorkerRuntime } from '../../libs/temporal/src/worker-runtime';
import { temporalConnectionOptions, temporalDataConverter, type EvaluationActivities } from '../../libs/temporal';
import { testTemporalSecurity } from '../support/test-env';
import { WORKFLOW_BUNDLE } from '../support/test-stack';

export const HISTORIES_DIR = join(__dirname, '..', 'replay', 'histories');

/** A worker polling in the background until `shutdown` has drained it. */
export interface RunningWorker {
  /** Stops polling, cancels running activities, and resolves once the worker has stopped. */
  shutdown(): Promise<void>;
}

export interface WorkflowHarness {
  client: Client;
  taskQueue: string;
  /**
   * Starts a worker on the harness's task queue that polls until shut down. One worker per task
   * queue at a time: the SDK refuses a second one in the same process.
   */
  startWorker(activities: EvaluationActivities): Promise<RunningWorker>;
  /**
   * With RECORD_HISTORIES=1, saves a finished workflow's history for the replay tests, decoded:
   * recorded histories stay plain, so they replay whatever key a later run has.
   */
  recordHistory(workflowId: string, name: string): Promise<void>;
  /** A workflow's history with every payload (and encoded failure) passed through the codec. */
  decodedHistory(workflowId: string): Promise<History>;
  close(): Promise<void>;
}

/**
 * Workflow tests run the prebuilt bundle on the real dev server; activities are implementations
 * of the contract type written for each test, so the workflow's decisions are observed alone.
 */
export async function createWorkflowHarness(): Promise<WorkflowHarness> {
  installWorkerRuntime('warn', false);
  const security = testTemporalSecurity();
  const dataConverter = temporalDataConverter(security);
  const connection = await Connection.connect(temporalConnectionOptions(security));
  const nativeConnection = await NativeConnection.connect(temporalConnectionOptions(security));
  const client = new Client({ connection, dataConverter });
  const taskQueue = `wf-test-${randomBytes(6).toString('hex')}`;
  const running = new Set<RunningWorker>();
  async function decodedHistory(workflowId: string): Promise<History> {
    const response = { history: await client.workflow.getHandle(workflowId).fetchHistory() };
    const codecs: PayloadCodec[] = dataConverter.payloadCodecs ?? [];
    await visit(response, walkGetWorkflowExecutionHistoryResponse, {
      transformPayload: async (payload) => (await decode(codecs, [payload]))[0],
      transformPayloads: (payloads) => decode(codecs, payloads),
    });
    return response.history;
  }
  return {
    client,
    taskQueue,
    async startWorker(activities) {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: { codePath: WORKFLOW_BUNDLE }, dataConverter, activities });
      const run = worker.run();
      const handle: RunningWorker = {
        async shutdown() {
          if (!running.delete(handle)) return;
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await run;
        },
      };
      running.add(handle);
      // A worker that dies on its own must not leave an unhandled rejection; `shutdown` reports it.
      run.catch(() => undefined);
      return handle;
    },
    decodedHistory,
    async recordHistory(workflowId, name) {
      if (process.env.RECORD_HISTORIES !== '1') return;
      const history = await decodedHistory(workflowId);
      mkdirSync(HISTORIES_DIR, { recursive: true });
      writeFileSync(join(HISTORIES_DIR, `${name}.json`), historyToJSON(history));
    },
    async close() {
      // The native connection refuses to close while a worker still holds it.
      for (const worker of [...running]) await worker.shutdown();
      await connection.close();
      await nativeConnection.close();
    },
  };
}
