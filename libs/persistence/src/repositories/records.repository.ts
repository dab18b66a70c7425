import type { EntityManager } from 'typeorm';
import type { ChainVerification } from '../../../domain';
import { RecordEntity } from '../entities';
import { CHAIN_LOCK, ChainVerifier, GENESIS_HASH, recordHash, type ChainAnchor } from '../record-chain';
import type { NewRecord } from '../ledger/evaluation.records';
import { managerOf, type Db } from './db';


export class RecordsRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  /**
   * Appends to the global chain inside the transaction this repository is bound to (the
   * evaluation ledger's), so a projection change and the record of it commit together; unbound,
   * in a transaction of its own. Appends are serialised by a transaction-scoped advisory lock:
   * the chain has exactly one head.
   */
  async append(record: NewRecord): Promise<RecordEntity> {
    return (await this.appendOnce(record)).record;
  }

  /** As `append`, saying whether this call appended the record (false: it was there already). */
  async appendOnce(record: NewRecord): Promise<{ record: RecordEntity; appended: boolean }> {
    if (!this.db.queryRunner?.isTransactionActive) return this.db.transaction((tx) => new RecordsRepository(tx).appendOnce(record));
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CHAIN_LOCK]);
    const repo = this.db.getRepository(RecordEntity);
    const existing = await repo.findOneBy({ dedupeKey: record.dedupeKey });
    if (existing) return { record: existing, appended: false };
    const [head] = await repo.find({ order: { seq: 'DESC' }, take: 1 });
    const seq = head ? head.seq + 1 : 1;
    const prevHash = head ? head.hash : GENESIS_HASH;
    const at = new Date();
    const fields = { seq, at, proposalId: record.proposalId, actor: record.actor, type: record.type, data: record.data };
    const entity = repo.create({ ...fields, prevHash, hash: recordHash(prevHash, fields), dedupeKey: record.dedupeKey });
    return { record: await repo.save(entity), appended: true };
  }

  listForProposal(proposalId: string): Promise<RecordEntity[]> {
    return this.db.getRepository(RecordEntity).find({ where: { proposalId }, order: { seq: 'ASC' } });
  }

  /** Recomputes every hash of the whole log, a page at a time. */
  verifyAll(pageSize = 5_000): Promise<ChainVerification> {
    return this.verifyFrom(null, { pageSize });
  }

  /**
   * Recomputes every hash after `anchor` (a record already trusted), or of the whole log, a page
   * at a time; `onPage` hears the records checked so far after each page (a job's progress).
   */
  async verifyFrom(anchor: ChainAnchor | null, options: { pageSize?: number; onPage?: (checked: number) => Promise<void> | void } = {}): Promise<ChainVerification> {
    const { pageSize = 5_000, onPage } = options;
    const verifier = new ChainVerifier(anchor);
    let after = anchor?.seq ?? 0;
    for (;;) {
      const page = await this.pageAfter(after, null, pageSize);
      for (const record of page) verifier.feed(record);
      await onPage?.(verifier.checked);
      if (page.length < pageSize) return verifier.result();
      after = page[page.length - 1].seq;
    }
  }

  /** Up to `limit` records after `afterSeq` (and at most `toSeq`), in order: a page of an export or a verification. */
  pageAfter(afterSeq: number, toSeq: number | null, limit: number): Promise<RecordEntity[]> {
    const query = this.db.getRepository(RecordEntity).createQueryBuilder('r').where('r.seq > :afterSeq', { afterSeq });
    if (toSeq !== null) query.andWhere('r.seq <= :toSeq', { toSeq });
    return query.orderBy('r.seq', 'ASC').limit(limit).getMany();
  }

  /** The chain's last record's seq and hash; null while the log is empty. */
  async head(): Promise<ChainAnchor | null> {
    const [head] = await this.db.getRepository(RecordEntity).find({ select: { seq: true, hash: true }, order: { seq: 'DESC' }, take: 1 });
    return head ? { seq: head.seq, hash: head.hash } : null;
  }

  /** The stored hashes of these records, by seq (a seq without a record is absent). */
  async hashesAt(seqs: number[]): Promise<Map<number, string>> {
    if (!seqs.length) return new Map();
    const rows: { seq: string; hash: string }[] = await this.db.query(`SELECT seq, hash FROM records WHERE seq = ANY($1::bigint[])`, [seqs]);
    return new Map(rows.map((row) => [Number(row.seq), row.hash]));
  }

  /** How many records the log has after `afterSeq`. */
  countAfter(afterSeq: number): Promise<number> {
    return this.db.getRepository(RecordEntity).createQueryBuilder('r').where('r.seq > :afterSeq', { afterSeq }).getCount();
  }

  /** A page of the log for auditors: optionally one type, a seq range (both ends included). */
  async list(filter: { type?: string; fromSeq?: number; toSeq?: number }, page: number, pageSize: number): Promise<{ items: RecordEntity[]; total: number }> {
    const query = this.db.getRepository(RecordEntity).createQueryBuilder('r');
    if (filter.type !== undefined) query.andWhere('r.type = :type', { type: filter.type });
    if (filter.fromSeq !== undefined) query.andWhere('r.seq >= :fromSeq', { fromSeq: filter.fromSeq });
    if (filter.toSeq !== undefined) query.andWhere('r.seq <= :toSeq', { toSeq: filter.toSeq });
    const [items, total] = await query
      .orderBy('r.seq', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items, total };
  }
}
