/**
 * The engine floor's worker, a process of its own like apps/worker: the bare workflow
 * (floor.workflow.ts) on its own task queue, with activities that do nothing.
 * Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, BENCH_FLOOR_TASK_QUEUE, and the engine's
 * TEMPORAL_TLS_* and codec keys (engine.ts).
 */
import { join } from 'node:path';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { temporalConnectionOptions, temporalDataConverter } from '../../libs/temporal/src/temporal-connection';
import { benchTemporal } from './engine';
import type { FloorActivities } from './floor.contract';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.BENCH_FLOOR_TASK_QUEUE;
  if (!address || !taskQueue) throw new Error('TEMPORAL_ADDRESS and BENCH_FLOOR_TASK_QUEUE are required');
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const temporal = benchTemporal(process.env, address);
  const connection = await NativeConnection.connect(temporalConnectionOptions(temporal));
  const activities: FloorActivities = { step: async () => undefined };
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    workflowBundle: { codePath: join(__dirname, 'floor-bundle.js') },
    dataConverter: temporalDataConverter(temporal),
    activities,
    shutdownGraceTime: '5 seconds',
  });
  console.log(JSON.stringify({ msg: 'floor worker started', taskQueue }));
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
