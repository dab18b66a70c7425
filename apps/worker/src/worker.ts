import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { AppConfig } from '../../../libs/config';
import { JsonLogger, writeLog } from '../../../libs/logging';
import { Database, mailSettings } from '../../../libs/persistence';
import { temporalConnectionOptions, temporalDataConverter } from '../../../libs/temporal';
import { createEvaluationActivities } from './evaluation.activities';
import { MailDispatcher } from './mail.dispatcher';

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
  const database = await Database.open(config.databaseUrl, 'appraise-worker', { log: writeLog, mail: mailSettings(config.mail, config.auth.jwtSecret) });
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
  const { smtpUrl } = config.mail;
  const mail = smtpUrl ? new MailDispatcher(database.mailOutbox, { ...config.mail, smtpUrl }) : null;
  if (mail) mail.start();
  else log.info('mail is queued, not sent: SMTP_URL is not set');
  const done = worker.run().finally(async () => {
    await mail?.stop().catch(() => undefined);
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
