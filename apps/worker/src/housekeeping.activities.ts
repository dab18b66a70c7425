import { Context } from '@temporalio/activity';
import type { AppConfig } from '../../../libs/config';
import { writeLog } from '../../../libs/logging';
import type { AuditRepository, IdempotencyRepository, LoginFailuresRepository, RecordsRepository } from '../../../libs/persistence';
import type { HousekeepingActivities } from '../../../libs/temporal';
import type { AuditSigner } from './audit-signer';

export interface HousekeepingActivityDeps {
  records: RecordsRepository;
  audit: AuditRepository;
  idempotency: IdempotencyRepository;
  loginFailures: LoginFailuresRepository;
  /** Null when no signing key is configured (never in production): no checkpoints. */
  signer: AuditSigner | null;
  config: Pick<AppConfig['audit'], 'checkpointEveryRecords' | 'checkpointIntervalSeconds' | 'idempotencyKeyTtlHours'> & { loginWindowSeconds: number };
  now?: () => Date;
}

/** Records verified per page (and per heartbeat) by a full verification. */
const VERIFY_PAGE = 5_000;

export function createHousekeepingActivities(deps: HousekeepingActivityDeps): HousekeepingActivities {
  const { records, audit, signer, config } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    /**
     * Signs the head when it moved `checkpointEveryRecords` or more since the last checkpoint, or
     * moved at all and the last checkpoint is `checkpointIntervalSeconds` old; never when it did
     * not move. The file first, then the database (a retry after a crash between the two adds a
     * second line for the same seq to the file, which verifies as well).
     */
    async signCheckpoint() {
      if (!signer) return { signed: false, seq: null };
      const head = await records.head();
      if (!head) return { signed: false, seq: null };
      const last = await audit.latestCheckpoint();
      if (last && last.seq >= head.seq) return { signed: false, seq: last.seq };
      const at = now();
      const moved = head.seq - (last?.seq ?? 0);
      const due = !last || moved >= config.checkpointEveryRecords || at.getTime() - new Date(last.signedAt).getTime() >= config.checkpointIntervalSeconds * 1000;
      if (!due) return { signed: false, seq: last.seq };
      await audit.registerKey(signer.publicKey);
      const checkpoint = signer.sign(head, at);
      signer.append(checkpoint);
      await audit.addCheckpoint(checkpoint);
      writeLog('info', 'AuditCheckpoint', 'checkpoint signed', { seq: checkpoint.seq, keyId: checkpoint.keyId });
      return { signed: true, seq: checkpoint.seq };
    },

    async purgeExpired() {
      const at = now().getTime();
      const idempotencyKeys = await deps.idempotency.purgeOlderThan(new Date(at - config.idempotencyKeyTtlHours * 3_600_000));
      const loginFailures = await deps.loginFailures.purgeOlderThan(new Date(at - config.loginWindowSeconds * 1000));
      writeLog('info', 'Housekeeping', 'expired rows purged', { idempotencyKeys, loginFailures });
      return { idempotencyKeys, loginFailures };
    },

    async verifyChainFully({ requestedBy }) {
      const context = Context.current();
      const job = await audit.openVerification(context.info.workflowExecution?.workflowId ?? context.info.activityId, requestedBy);
      await audit.startVerification(job.id, await records.countAfter(0));
      const result = await records.verifyFrom(null, {
        pageSize: VERIFY_PAGE,
        onPage: async (checked) => {
          context.heartbeat(checked);
          await audit.verificationProgress(job.id, checked);
        },
      });
      await audit.finishVerification(job.id, result);
      if (result.ok) writeLog('info', 'AuditVerification', 'full verification passed', { jobId: job.id, records: result.records, requestedBy });
      // The operator's alert: an error line naming the first bad record.
      else writeLog('error', 'AuditAlert', 'the decision log failed its full verification', { jobId: job.id, records: result.records, firstBadSeq: result.firstBadSeq, requestedBy });
      return { jobId: job.id, ...result };
    },
  };
}
