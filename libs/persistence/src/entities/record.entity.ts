import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './column-transformers';

/** One entry of the global, append-only, hash-chained decision log. */
@Entity({ name: 'records' })
@Index('records_proposal_seq_idx', ['proposalId', 'seq'])
export class RecordEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  seq: number;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ name: 'proposal_id', type: 'uuid', nullable: true })
  proposalId: string | null;

  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;

  /** Lets an activity retried after a crash append the same fact once. */
  @Column({ name: 'dedupe_key', type: 'text', unique: true })
  dedupeKey: string;
}
