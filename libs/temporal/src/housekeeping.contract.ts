/**
 * Housekeeping on the engine: the decision log's signed checkpoints, the purge of expired
 * idempotency keys and old login failures, the full verification of the chain (nightly, or asked
 * for through GET /audit/verify?full=true). Names here are on the wire: never rename them. Imported
 * by the workflow bundle, so it may import only workflow-safe modules.
 */

export const HOUSEKEEPING_WORKFLOW_TYPES = {
  checkpoint: 'auditCheckpointWorkflow',
  purge: 'housekeepingPurgeWorkflow',
  verification: 'chainVerificationWorkflow',
} as const;

/** What a schedule is for; its id adds the task queue, so stacks sharing a namespace never collide. */
export type HousekeepingSchedule = 'appraise-audit-checkpoint' | 'appraise-purge' | 'appraise-nightly-verification';

export function housekeepingScheduleId(kind: HousekeepingSchedule, taskQueue: string): string {
  return `${kind}@${taskQueue}`;
}

/** The workflow of one full verification asked for over HTTP; its job row is keyed by this id. */
export function verificationWorkflowId(jobKey: string): string {
  return `audit-verification-${jobKey}`;
}

export interface CheckpointOutcome {
  /** False when the head did not move enough (or at all) since the last checkpoint, or no key is configured. */
  signed: boolean;
  seq: number | null;
}

export interface PurgeOutcome {
  idempotencyKeys: number;
  loginFailures: number;
}

export interface VerificationInput {
  /** Who asked: a user's e-mail, or `schedule` for the nightly run. */
  requestedBy: string;
}

export interface VerificationOutcome {
  jobId: string;
  ok: boolean;
  records: number;
  firstBadSeq: number | null;
  /** How many checkpoints did not vouch for the stored log (the job row lists them). */
  problems: number;
}

export interface HousekeepingActivities {
  signCheckpoint(): Promise<CheckpointOutcome>;
  purgeExpired(): Promise<PurgeOutcome>;
  /** Re-hashes the whole log, heartbeating its progress into the job row named by the workflow's id, then compares every checkpoint with it. */
  verifyChainFully(input: VerificationInput): Promise<VerificationOutcome>;
}
