import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type Actor } from '../../../../libs/domain';
import type { AuditPublicKeysView, AuditRecordView, ChainVerificationReport, CheckpointPage, VerificationJobPage, VerificationJobStarted, VerificationJobView } from '../../../../libs/http-contract';
import {
  AuditRepository,
  checkpointProblem,
  exportedRecord,
  RecordsRepository,
  trustedKeyring,
  untrustedKeyProblem,
  type Checkpoint,
  type RecordEntity,
  type VerificationJob,
} from '../../../../libs/persistence';
import type { AppConfig } from '../../../../libs/config';
import { EvaluationEngine, verificationWorkflowId } from '../../../../libs/temporal';
import { APP_CONFIG } from '../core.module';

/** Records per page read from the database while an export streams. */
const EXPORT_PAGE = 1_000;
/** Checkpoints looked at per query while walking back to one that holds. */
const CHECKPOINT_BATCH = 50;
/** Problem sentences an answer lists; past them, one line counts the rest. */
const PROBLEMS_LISTED = 100;

const recordView = (record: RecordEntity): AuditRecordView => exportedRecord(record);

/**
 * The decision log for auditors: its records, the signed checkpoints and their public keys, the
 * NDJSON export, and verification (fast from a checkpoint; full as a job on the engine). The API
 * never holds the signing key: the worker publishes the public half in the database.
 */
@Injectable()
export class AuditService {
  constructor(
    @Inject(RecordsRepository) private readonly records: RecordsRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(EvaluationEngine) private readonly engine: EvaluationEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The stored public keys this API may trust (all of them, unless AUDIT_TRUSTED_KEY_IDS pins some). */
  private async trustedKeys() {
    return trustedKeyring((await this.audit.keys()).map((k) => k.pem), this.config.audit.trustedKeyIds);
  }

  async checkpoints(page: number, pageSize: number): Promise<CheckpointPage> {
    const { items, total } = await this.audit.listCheckpoints(page, pageSize);
    return { items, total, page, pageSize };
  }

  async publicKeys(): Promise<AuditPublicKeysView> {
    const trusted = this.config.audit.trustedKeyIds;
    const [current, ...previous] = (await this.audit.keys()).filter(({ keyId }) => !trusted || trusted.includes(keyId)).map(({ keyId, pem }) => ({ keyId, pem }));
    return { current: current ?? null, previous };
  }

  async listRecords(filter: { type?: string; fromSeq?: number; toSeq?: number }, page: number, pageSize: number): Promise<{ items: AuditRecordView[]; total: number; page: number; pageSize: number }> {
    const { items, total } = await this.records.list(filter, page, pageSize);
    return { items: items.map(recordView), total, page, pageSize };
  }

  /** One NDJSON line per record, one chunk per page read: the log is never whole in memory. */
  async *exportLines(fromSeq: number, toSeq: number | null): AsyncGenerator<string> {
    let after = fromSeq - 1;
    for (;;) {
      const page = await this.records.pageAfter(after, toSeq, EXPORT_PAGE);
      if (page.length) yield page.map((record) => `${JSON.stringify(recordView(record))}\n`).join('');
      if (page.length < EXPORT_PAGE) return;
      after = page[page.length - 1].seq;
    }
  }

  /**
   * Re-hashes the records after the latest checkpoint whose signature verifies with a published
   * key and whose hash is the stored record's. Walking back to it, every checkpoint that fails
   * either test is a problem, and the answer is not ok: a rewritten chain does not match what was
   * signed before it was rewritten.
   */
  async verifyFast(): Promise<ChainVerificationReport> {
    const { keys, untrusted } = await this.trustedKeys();
    const problems: string[] = untrusted.map(untrustedKeyProblem);
    let unlisted = 0;
    let anchor: Checkpoint | null = null;
    let before: number | null = null;
    while (!anchor) {
      const batch = await this.audit.checkpointsBefore(before, CHECKPOINT_BATCH);
      const stored = await this.records.hashesAt(batch.map((c) => c.seq));
      for (const checkpoint of batch) {
        const problem = checkpointProblem(checkpoint, keys, stored.get(checkpoint.seq) ?? null);
        if (problem) {
          if (problems.length < PROBLEMS_LISTED) problems.push(problem);
          else unlisted += 1;
          continue;
        }
        anchor = checkpoint;
        break;
      }
      if (batch.length < CHECKPOINT_BATCH) break;
      before = batch[batch.length - 1].seq;
    }
    if (unlisted) problems.push(`and ${unlisted} more checkpoints that do not hold`);
    const chain = await this.records.verifyFrom(anchor);
    return {
      ...chain,
      ok: chain.ok && problems.length === 0,
      from: anchor?.seq ?? 0,
      checkpoint: anchor ? { seq: anchor.seq, hash: anchor.hash, signedAt: anchor.signedAt, keyId: anchor.keyId } : null,
      problems,
    };
  }

  /** A full verification as a job on the engine; its row exists before the workflow starts, so a GET finds it at once. */
  async startFullVerification(actor: Actor): Promise<VerificationJobStarted> {
    const workflowId = verificationWorkflowId(randomUUID());
    const job = await this.audit.openVerification(workflowId, actor.email);
    await this.engine.startChainVerification(workflowId, { requestedBy: actor.email });
    return { id: job.id, status: job.status };
  }

  async verifications(page: number, pageSize: number): Promise<VerificationJobPage> {
    const { items, total } = await this.audit.listVerifications(page, pageSize);
    return { items: items.map(jobView), total, page, pageSize };
  }

  async verification(id: string): Promise<VerificationJobView> {
    const job = await this.audit.verification(id);
    if (!job) throw new DomainError('NOT_FOUND', 'No verification with this id.');
    return jobView(job);
  }
}

function jobView(job: VerificationJob): VerificationJobView {
  const finished = job.status === 'PASSED' || job.status === 'FAILED';
  return {
    id: job.id,
    status: job.status,
    requestedBy: job.requestedBy,
    checked: job.checked,
    total: job.total,
    ok: finished ? job.status === 'PASSED' : null,
    firstBadSeq: job.firstBadSeq,
    problems: job.problems,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
