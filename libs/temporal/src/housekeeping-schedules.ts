import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction, type ScheduleSpec, type Workflow } from '@temporalio/client';
import { HOUSEKEEPING_WORKFLOW_TYPES, housekeepingScheduleId, type HousekeepingSchedule, type VerificationInput } from './housekeeping.contract';

/** How often the checkpoint schedule looks at the head: often enough for "every N records", never slower than the interval. */
export const CHECKPOINT_POLL_SECONDS = 60;
/** The purge runs hourly. */
export const PURGE_EVERY = '1 hour';
/** The nightly full verification: 03:00 in Chile. */
export const NIGHTLY_VERIFICATION = { hour: 3, minute: 0, timezone: 'America/Santiago' } as const;

export interface HousekeepingScheduleOptions {
  taskQueue: string;
  /** Whether the worker signs checkpoints (a signing key is configured): without one there is no checkpoint schedule. */
  signing: boolean;
  checkpointIntervalSeconds: number;
}

interface Planned {
  kind: HousekeepingSchedule;
  spec: ScheduleSpec;
  action: ScheduleOptionsStartWorkflowAction<Workflow>;
}

/** The schedules this configuration wants, as the Temporal UI shows them. */
export function plannedSchedules(options: HousekeepingScheduleOptions): Planned[] {
  const start = (workflowType: string, kind: HousekeepingSchedule, args: unknown[] = []): ScheduleOptionsStartWorkflowAction<Workflow> => ({
    type: 'startWorkflow',
    workflowType,
    taskQueue: options.taskQueue,
    workflowId: housekeepingScheduleId(kind, options.taskQueue),
    args,
    workflowRunTimeout: kind === 'appraise-nightly-verification' ? '13 hours' : '10 minutes',
  });
  const planned: Planned[] = [
    { kind: 'appraise-purge', spec: { intervals: [{ every: PURGE_EVERY }] }, action: start(HOUSEKEEPING_WORKFLOW_TYPES.purge, 'appraise-purge') },
    {
      kind: 'appraise-nightly-verification',
      spec: { calendars: [{ hour: NIGHTLY_VERIFICATION.hour, minute: NIGHTLY_VERIFICATION.minute }], timezone: NIGHTLY_VERIFICATION.timezone },
      action: start(HOUSEKEEPING_WORKFLOW_TYPES.verification, 'appraise-nightly-verification', [{ requestedBy: 'schedule' } satisfies VerificationInput]),
    },
  ];
  if (options.signing) {
    const every = Math.min(CHECKPOINT_POLL_SECONDS, options.checkpointIntervalSeconds);
    planned.push({ kind: 'appraise-audit-checkpoint', spec: { intervals: [{ every: `${every} seconds` }] }, action: start(HOUSEKEEPING_WORKFLOW_TYPES.checkpoint, 'appraise-audit-checkpoint') });
  }
  return planned;
}

/**
 * Creates the housekeeping schedules, or brings existing ones to this configuration: every worker
 * calls it at start, so the last one started wins and a second one changes nothing. A run still
 * going when the next is due is skipped, not queued.
 */
export async function ensureHousekeepingSchedules(client: Client, options: HousekeepingScheduleOptions): Promise<string[]> {
  const ids: string[] = [];
  for (const { kind, spec, action } of plannedSchedules(options)) {
    const scheduleId = housekeepingScheduleId(kind, options.taskQueue);
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' };
    try {
      await client.schedule.create({ scheduleId, spec, action, policies });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
    }
    ids.push(scheduleId);
  }
  return ids;
}
