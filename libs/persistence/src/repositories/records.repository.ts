import type { EntityManager } from 'typeorm';
import type { ChainVerification } from '../../../domain';
import { RecordEntity } from '../entities';
import { CHAIN_LOCK, ChainVerifier, GENESIS_HASH, recordHash } from '../record-chain';
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
  async verifyAll(pageSize = 5_000): Promise<ChainVerification> {
    const verifier = new ChainVerifier();
    const repo = this.db.getRepository(RecordEntity);
    let after = 0;
    for (;;) {
      const page = await repo
        .createQueryBuilder('r')
        .where('r.seq > :after', { after })
        .orderBy('r.seq', 'ASC')
        .limit(pageSize)
        .getMany();
      for (const record of page) verifier.feed(record);
      if (page.length < pageSize) return verifier.result();
      after = page[page.length - 1].seq;
    }
  }
}
