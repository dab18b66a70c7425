import type { EntityManager } from 'typeorm';
import type { Checkpoint, PublicKeyInfo } from '../audit-checkpoint';
import { managerOf, type Db } from './db';

export type VerificationStatus = 'PENDING' | 'RUNNING' | 'PASSED' | 'FAILED';

export interface VerificationJob {
  id: string;
  workflowId: string;
  requestedBy: string;
  status: VerificationStatus;
  checked: number;
  total: number | null;
  firstBadSeq: number | null;
  /** Checkpoints that did not vouch for the log (checkpointProblem), each a sentence. */
  problems: string[];
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

interface CheckpointRow {
  seq: string;
  hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

interface JobRow {
  id: string;
  workflow_id: string;
  requested_by: string;
  status: VerificationStatus;
  checked: string;
  total: string | null;
  first_bad_seq: string | null;
  problems: string[];
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const checkpointOf = (row: CheckpointRow): Checkpoint => ({ seq: Number(row.seq), hash: row.hash, signedAt: row.signed_at.toISOString(), keyId: row.key_id, signature: row.signature });
const numberOrNull = (value: string | null): number | null => (value === null ? null : Number(value));
const jobOf = (row: JobRow): VerificationJob => ({
  id: row.id,
  workflowId: row.workflow_id,
  requestedBy: row.requested_by,
  status: row.status,
  checked: Number(row.checked),
  total: numberOrNull(row.total),
  firstBadSeq: numberOrNull(row.first_bad_seq),
  problems: row.problems,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

/** The decision log's signed checkpoints, the public keys that signed them, and full verifications run as jobs. */
export class AuditRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  /** The worker publishes its public key before it signs with it; a key is never forgotten (rotation). */
  async registerKey(key: PublicKeyInfo): Promise<void> {
    await this.db.query(`INSERT INTO audit_signing_keys (key_id, public_key) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING`, [key.keyId, key.pem]);
  }

  /** Every public key that ever signed, newest registration first. */
  async keys(): Promise<(PublicKeyInfo & { registeredAt: Date })[]> {
    const rows: { key_id: string; public_key: string; registered_at: Date }[] = await this.db.query(`SELECT key_id, public_key, registered_at FROM audit_signing_keys ORDER BY registered_at DESC, key_id`);
    return rows.map((row) => ({ keyId: row.key_id, pem: row.public_key, registeredAt: row.registered_at }));
  }

  /** Idempotent on the seq: a retried signing of the same head adds nothing. */
  async addCheckpoint(checkpoint: Checkpoint): Promise<void> {
    await this.db.query(`INSERT INTO audit_checkpoints (seq, hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING`, [
      checkpoint.seq,
      checkpoint.hash,
      new Date(checkpoint.signedAt),
      checkpoint.keyId,
      checkpoint.signature,
    ]);
  }

  async latestCheckpoint(): Promise<Checkpoint | null> {
    return (await this.checkpointsBefore(null, 1))[0] ?? null;
  }

  /** Oldest first, those with a seq above `afterSeq`: a full verification reads them all, a page at a time. */
  async checkpointsAfter(afterSeq: number, limit: number): Promise<Checkpoint[]> {
    const rows: CheckpointRow[] = await this.db.query(`SELECT seq, hash, signed_at, key_id, signature FROM audit_checkpoints WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit]);
    return rows.map(checkpointOf);
  }

  /** Newest first, those with a seq below `beforeSeq` (all when null): the fast verification walks back through them. */
  async checkpointsBefore(beforeSeq: number | null, limit: number): Promise<Checkpoint[]> {
    const rows: CheckpointRow[] = await this.db.query(
      `SELECT seq, hash, signed_at, key_id, signature FROM audit_checkpoints WHERE ($1::bigint IS NULL OR seq < $1) ORDER BY seq DESC LIMIT $2`,
      [beforeSeq, limit],
    );
    return rows.map(checkpointOf);
  }

  async listCheckpoints(page: number, pageSize: number): Promise<{ items: Checkpoint[]; total: number }> {
    const rows: CheckpointRow[] = await this.db.query(`SELECT seq, hash, signed_at, key_id, signature FROM audit_checkpoints ORDER BY seq DESC OFFSET $1 LIMIT $2`, [(page - 1) * pageSize, pageSize]);
    const [{ total }]: { total: string }[] = await this.db.query(`SELECT count(*) AS total FROM audit_checkpoints`);
    return { items: rows.map(checkpointOf), total: Number(total) };
  }

  /** A job row for a full verification run by `workflowId`; the existing one when the workflow asked before (a retry). */
  async openVerification(workflowId: string, requestedBy: string): Promise<VerificationJob> {
    await this.db.query(`INSERT INTO audit_verifications (workflow_id, requested_by) VALUES ($1, $2) ON CONFLICT (workflow_id) DO NOTHING`, [workflowId, requestedBy]);
    const [row]: JobRow[] = await this.db.query(`SELECT * FROM audit_verifications WHERE workflow_id = $1`, [workflowId]);
    return jobOf(row);
  }

  async startVerification(id: string, total: number): Promise<void> {
    await this.db.query(`UPDATE audit_verifications SET status = 'RUNNING', checked = 0, total = $2, started_at = now() WHERE id = $1`, [id, total]);
  }

  async verificationProgress(id: string, checked: number): Promise<void> {
    await this.db.query(`UPDATE audit_verifications SET checked = $2 WHERE id = $1`, [id, checked]);
  }

  async finishVerification(id: string, result: { ok: boolean; records: number; firstBadSeq: number | null; problems: string[] }): Promise<void> {
    await this.db.query(`UPDATE audit_verifications SET status = $2, checked = $3, first_bad_seq = $4, problems = $5, finished_at = now() WHERE id = $1`, [
      id,
      result.ok ? 'PASSED' : 'FAILED',
      result.records,
      result.firstBadSeq,
      JSON.stringify(result.problems),
    ]);
  }

  /** Newest first: the nightly runs and those asked for. */
  async listVerifications(page: number, pageSize: number): Promise<{ items: VerificationJob[]; total: number }> {
    const rows: JobRow[] = await this.db.query(`SELECT * FROM audit_verifications ORDER BY created_at DESC, id OFFSET $1 LIMIT $2`, [(page - 1) * pageSize, pageSize]);
    const [{ total }]: { total: string }[] = await this.db.query(`SELECT count(*) AS total FROM audit_verifications`);
    return { items: rows.map(jobOf), total: Number(total) };
  }

  async verification(id: string): Promise<VerificationJob | null> {
    const [row]: JobRow[] = await this.db.query(`SELECT * FROM audit_verifications WHERE id = $1`, [id]);
    return row ? jobOf(row) : null;
  }
}
