/**
 * Phase 1, the engine floor: `concurrency` lanes each run bare evaluations (floor.workflow.ts)
 * back to back for the phase's duration, through the same Temporal client the API uses.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { CONVERTER_PATHS, temporalConnectionOptions, temporalDataConverter, type TemporalSecurity } from '../../libs/temporal/src/temporal-connection';
import { FLOOR_WORKFLOW_TYPE, floorClaim, floorDecide } from './floor.contract';
import { spawnNode, sampleMemory, type MemorySeries } from './services';
import { Recorder, summarize, throttled, type Summary } from './stats';
import { countShape, type HistoryShape } from './shape';

export interface FloorOptions {
  temporal: TemporalSecurity;
  namespace: string;
  concurrency: number;
  seconds: number;
  maxEvaluations: number;
  logDir: string;
  log: (line: string) => void;
}

export interface FloorResult {
  evaluations: number;
  seconds: number;
  evaluationsPerSecond: number;
  /**
   * One Update round trip, sent while the workflow waits for it (the approvals): accepted, its
   * activity, the next step's activity, the answer.
   */
  update: Summary;
  /** The reviews' Updates, sent right after the start: they wait for the first five activities. */
  earlyUpdate: Summary;
  /** From start to the workflow's result. */
  evaluation: Summary;
  shape: HistoryShape;
  memory: MemorySeries;
  failures: number;
}

/** Bundles the floor workflow once per build (webpack takes seconds). */
export async function floorBundle(): Promise<string> {
  const source = join(__dirname, 'floor.workflow.js');
  const bundle = join(__dirname, 'floor-bundle.js');
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(source).mtimeMs) return bundle;
  const { code } = await bundleWorkflowCode({ workflowsPath: source, ...CONVERTER_PATHS, logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } });
  writeFileSync(bundle, code);
  return bundle;
}

export async function runFloor(o: FloorOptions): Promise<FloorResult> {
  await floorBundle();
  const taskQueue = `bench-floor-${randomBytes(4).toString('hex')}`;
  const worker = spawnNode(
    'floor-worker',
    join(__dirname, 'floor-worker.js'),
    { ...process.env, TEMPORAL_ADDRESS: o.temporal.address, TEMPORAL_NAMESPACE: o.namespace, BENCH_FLOOR_TASK_QUEUE: taskQueue },
    join(o.logDir, 'floor-worker.log'),
  );
  const connection = await Connection.connect(temporalConnectionOptions(o.temporal));
  const client = new Client({ connection, namespace: o.namespace, dataConverter: temporalDataConverter(o.temporal) });
  const memory = sampleMemory([worker]);
  const recorder = new Recorder();
  let completed = 0;
  let failures = 0;
  let started = 0;
  let lastWorkflowId = '';

  /** Only Updates sent once the workflow waits for them (the approvals) count as round trips. */
  const timedUpdate = async (handle: ReturnType<Client['workflow']['getHandle']>, stage: string, record: 'update' | 'early update' | null) => {
    // A person claims the task, then decides it, as the system's simulated users do.
    await handle.executeUpdate(floorClaim, { args: [stage] });
    const at = performance.now();
    await handle.executeUpdate(floorDecide, { args: [stage] });
    if (record) recorder.add(record, performance.now() - at);
  };
  const evaluation = async (record: boolean) => {
    const at = performance.now();
    const workflowId = `bench-floor-${randomBytes(6).toString('hex')}`;
    const handle = await client.workflow.start(FLOOR_WORKFLOW_TYPE, { workflowId, taskQueue, args: [] });
    // The two reviews decide together; each approval level after the previous one.
    // The reviews' Updates go at once, and wait in the workflow for its first five activities.
    await Promise.all([timedUpdate(handle, 'technical', record ? 'early update' : null), timedUpdate(handle, 'finance', record ? 'early update' : null)]);
    await timedUpdate(handle, 'head', record ? 'update' : null);
    await timedUpdate(handle, 'budget', record ? 'update' : null);
    await handle.result();
    if (record) recorder.add('evaluation', performance.now() - at);
    lastWorkflowId = workflowId;
  };

  // One evaluation before the clock starts: the worker has started polling, the caches are warm.
  await evaluation(false);
  const t0 = Date.now();
  const end = t0 + o.seconds * 1000;
  let lastDone = t0;
  const progress = throttled(5_000, () => o.log(`floor: ${completed} evaluations in ${((Date.now() - t0) / 1000).toFixed(0)}s (${(completed / ((Date.now() - t0) / 1000)).toFixed(1)}/s)`));
  const lane = async () => {
    while (Date.now() < end && started < o.maxEvaluations) {
      started += 1;
      try {
        await evaluation(true);
        completed += 1;
        lastDone = Date.now();
      } catch (error) {
        failures += 1;
        o.log(`floor: evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
        if (failures > 10) throw error;
      }
      progress();
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, lane));
    const seconds = (lastDone - t0) / 1000;
    const shape = lastWorkflowId ? countShape(await client.workflow.getHandle(lastWorkflowId).fetchHistory()) : countShape(null);
    return {
      evaluations: completed,
      seconds: Math.round(seconds * 10) / 10,
      evaluationsPerSecond: Math.round((completed / seconds) * 100) / 100,
      update: summarize(recorder.all('update')),
      earlyUpdate: summarize(recorder.all('early update')),
      evaluation: summarize(recorder.all('evaluation')),
      shape,
      memory: memory.stop(),
      failures,
    };
  } finally {
    await connection.close();
    await worker.stop();
  }
}
