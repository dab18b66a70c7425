import { readFile } from 'node:fs/promises';
import { Context } from '@temporalio/activity';
import type { AppConfig } from '../../../libs/config';
import { writeLog } from '../../../libs/logging';
import { checkpointLines, checkpointProblem, trustedKeyring, untrustedKeyProblem, type AuditRepository, type Checkpoint, type IdempotencyRepository, type LoginFailuresRepository, type RecordsRepository } from '../../../libs/persistence';
import type { HousekeepingActivities } from '../../../libs/temporal';
import type { AuditSigner } from './audit-signer';

export interface HousekeepingActivityDeps {
  records: RecordsRepository;
  audit: AuditRepository;
  idempotency: IdempotencyRepository;
  loginFailures: LoginFailuresRepository;
  /** Null when no signing key is configured (never in production): no checkpoints. */
  signer: AuditSigner | null;
  config: Pick<AppConfig['audit'], 'checkpointEveryRecords' | 'checkpointIntervalSeconds' | 'idempotencyKeyTtlHours' | 'checkpointsFile' | 'trustedKeyIds'> & { loginWindowSeconds: number };
  now?: () => Date;
}

/** Records verified per page (and per heartbeat) by a full verification. */
const VERIFY_PAGE = 5_000;
/** Checkpoints compared with the log per query. */
const CHECKPOINT_PAGE = 1_000;
/** Problem sentences a job keeps; past them, one line counts the rest. */
const PROBLEMS_LISTED = 100;

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
      // Every hash may hold and still not be what was signed (a chain rewritten with recomputed
      // hashes): every checkpoint must vouch for the stored record at its seq.
      const { keys, untrusted } = trustedKeyring((await audit.keys()).map((k) => k.pem), config.trustedKeyIds);
      const problems = new Set<string>(untrusted.map(untrustedKeyProblem));
      let failing = problems.size;
      const compare = async (page: Checkpoint[]) => {
        const stored = await records.hashesAt(page.map((c) => c.seq));
        for (const checkpoint of page) {
          const problem = checkpointProblem(checkpoint, keys, stored.get(checkpoint.seq) ?? null);
          if (!problem || problems.has(problem)) continue;
          failing += 1;
          if (problems.size < PROBLEMS_LISTED) problems.add(problem);
        }
        context.heartbeat(result.records);
      };
      for (let after = 0; ; ) {
        const page = await audit.checkpointsAfter(after, CHECKPOINT_PAGE);
        await compare(page);
        if (page.length < CHECKPOINT_PAGE) break;
        after = page[page.length - 1].seq;
      }
      // The same for the copy outside the database, where this worker keeps one: checkpoints
      // deleted from the database still vouch for what was signed.
      const filed = await checkpointsOnFile(config.checkpointsFile);
      for (let i = 0; i < filed.length; i += CHECKPOINT_PAGE) await compare(filed.slice(i, i + CHECKPOINT_PAGE));
      const listed = [...problems];
      if (failing > listed.length) listed.push(`and ${failing - listed.length} more checkpoints that do not hold`);
      const outcome = { ...result, ok: result.ok && listed.length === 0, problems: listed };
      await audit.finishVerification(job.id, outcome);
      if (outcome.ok) writeLog('info', 'AuditVerification', 'full verification passed', { jobId: job.id, records: result.records, requestedBy });
      // The operator's alert: an error line naming the first bad record and the first checkpoints that do not hold.
      else writeLog('error', 'AuditAlert', 'the decision log failed its full verification', { jobId: job.id, records: result.records, firstBadSeq: result.firstBadSeq, problems: listed.slice(0, 10), requestedBy });
      return { jobId: job.id, ok: outcome.ok, records: result.records, firstBadSeq: result.firstBadSeq, problems: failing };
    },
  };
}

/** The checkpoints of the file beside the signing key; none when this worker keeps no file or it does not exist yet. */
async function checkpointsOnFile(file: string | null): Promise<Checkpoint[]> {
  if (!file) return [];
  try {
    return checkpointLines(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
