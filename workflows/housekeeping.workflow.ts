import { proxyActivities } from '@temporalio/workflow';
import type { CheckpointOutcome, HousekeepingActivities, PurgeOutcome, VerificationInput, VerificationOutcome } from '../libs/temporal/src/housekeeping.contract';

/** Short jobs: a checkpoint is one signature and two writes; a purge, two deletes. */
const { signCheckpoint, purgeExpired } = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5 },
});

/** A full verification reads the whole log: long, so it heartbeats each page and a lost worker is noticed within a minute. */
const { verifyChainFully } = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '12 hours',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

export async function auditCheckpointWorkflow(): Promise<CheckpointOutcome> {
  return signCheckpoint();
}

export async function housekeepingPurgeWorkflow(): Promise<PurgeOutcome> {
  return purgeExpired();
}

export async function chainVerificationWorkflow(input: VerificationInput): Promise<VerificationOutcome> {
  return verifyChainFully(input);
}
