import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { AppConfig } from '../../../libs/config';
import { JsonLogger, writeLog } from '../../../libs/logging';
import { Database, mailSettings } from '../../../libs/persistence';
import { temporalConnectionOptions, temporalDataConverter } from '../../../libs/temporal';
import { ensureHousekeepingSchedules } from '../../../libs/temporal/src/housekeeping-schedules';
import { AuditSigner } from './audit-signer';
import { createEvaluationActivities } from './evaluation.activities';
import { createHousekeepingActivities } from './housekeeping.activities';
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
  // A bad signing key stops the worker before it takes any work, naming the file.
  const { signingKeyFile, checkpointsFile } = config.audit;
  const signer = signingKeyFile && checkpointsFile ? AuditSigner.load(signingKeyFile, checkpointsFile) : null;
  if (!signer) log.info('no AUDIT_SIGNING_KEY_FILE: the decision log gets no signed checkpoints (production requires one)');
  const database = await Database.open(config.databaseUrl, 'appraise-worker', { log: writeLog, mail: mailSettings(config.mail, config.auth.jwtSecret) });
  if (signer) await database.audit.registerKey(signer.publicKey);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const activities = {
    ...createEvaluationActivities(database),
    ...createHousekeepingActivities({
      records: database.records,
      audit: database.audit,
      idempotency: database.idempotency,
      loginFailures: database.loginFailures,
      signer,
      config: { ...config.audit, loginWindowSeconds: config.auth.loginWindowSeconds },
    }),
  };
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle,
    dataConverter: temporalDataConverter(config.temporal),
    activities,
    shutdownGraceTime: '20 seconds',
  });
  const schedules = await ensureSchedules(config, signer !== null);
  log.info('worker started', { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, schedules, auditKeyId: signer?.publicKey.keyId ?? null });
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

/** The housekeeping schedules (libs/temporal/src/housekeeping-schedules.ts), created or updated through a client connection of their own. */
async function ensureSchedules(config: AppConfig, signing: boolean): Promise<string[]> {
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config.temporal) });
    return await ensureHousekeepingSchedules(client, { taskQueue: config.temporal.taskQueue, signing, checkpointIntervalSeconds: config.audit.checkpointIntervalSeconds });
  } finally {
    await connection.close().catch(() => undefined);
  }
}
