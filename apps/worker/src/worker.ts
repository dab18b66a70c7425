import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { AppConfig } from '../../../libs/config';
import { JsonLogger, writeLog } from '../../../libs/logging';
import { Database } from '../../../libs/persistence';
import { temporalConnectionOptions, temporalDataConverter } from '../../../libs/temporal';
import { createEvaluationActivities } from './evaluation.activities';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has drained and every connection it opened is closed. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Starts a worker on the evaluation task queue. The workflow code comes prebuilt
 * (`workflowBundle`), never bundled at start-up in production.
 */
export async function startWorker(config: AppConfig, workflowBundle: WorkerOptions['workflowBundle']): Promise<RunningWorker> {
  const log = new JsonLogger('Worker');
  const database = await Database.open(config.databaseUrl, 'appraise-worker', { log: writeLog });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const activities = createEvaluationActivities(database);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle,
    dataConverter: temporalDataConverter(config.temporal),
    activities,
    shutdownGraceTime: '20 seconds',
  });
  log.info('worker started', { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace });
  const done = worker.run().finally(async () => {
    await connection.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    log.info('worker stopped');
  });
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
