import type { ProposalData } from '../../../domain';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Every submitted version is kept, never edited. */
@Entity({ name: 'proposal_versions' })
export class ProposalVersionEntity {
  @PrimaryColumn({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'jsonb' })
  data: ProposalData;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
