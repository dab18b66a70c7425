import type { DataSource, EntityManager } from 'typeorm';
import { RecordEntity } from '../entities';
import { ChainVerifier, GENESIS_HASH, recordHash, type ChainVerification } from '../record-chain';

export interface NewRecord {
  proposalId: string | null;
  actor: string;
  type: string;
  data: Record<string, unknown>;
  /** The same fact appended twice (an activity retried after a crash) is stored once. */
  dedupeKey: string;
}

const CHAIN_LOCK = 'appraise:records';

export class RecordsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends to the global chain inside the caller's transaction when one is given, so a
   * projection change and the record of it commit together. Appends are serialised by a
   * transaction-scoped advisory lock: the chain has exactly one head.
   */
  async append(record: NewRecord, manager?: EntityManager): Promise<RecordEntity> {
    if (manager) return this.appendWith(manager, record);
    return this.dataSource.transaction((m) => this.appendWith(m, record));
  }

  private async appendWith(manager: EntityManager, record: NewRecord): Promise<RecordEntity> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CHAIN_LOCK]);
    const repo = manager.getRepository(RecordEntity);
    const existing = await repo.findOneBy({ dedupeKey: record.dedupeKey });
    if (existing) return existing;
    const [head] = await repo.find({ order: { seq: 'DESC' }, take: 1 });
    const seq = head ? head.seq + 1 : 1;
    const prevHash = head ? head.hash : GENESIS_HASH;
    const at = new Date();
    const fields = { seq, at, proposalId: record.proposalId, actor: record.actor, type: record.type, data: record.data };
    const entity = repo.create({ ...fields, prevHash, hash: recordHash(prevHash, fields), dedupeKey: record.dedupeKey });
    return repo.save(entity);
  }

  listForProposal(proposalId: string): Promise<RecordEntity[]> {
    return this.dataSource.getRepository(RecordEntity).find({ where: { proposalId }, order: { seq: 'ASC' } });
  }

  /** Recomputes every hash of the whole log, a page at a time. */
  async verifyAll(pageSize = 5_000): Promise<ChainVerification> {
    const verifier = new ChainVerifier();
    const repo = this.dataSource.getRepository(RecordEntity);
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
