import type { ProposalData, ProposalStatus, Route, Tier } from '../../../domain';

export type { ProposalStatus } from '../../../domain';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintNumber } from './column-transformers';


export interface ScreeningIssue {
  field: string;
  message: string;
}

/**
 * The read model of a proposal: the draft data while drafting, then the projection the
 * evaluation workflow keeps up to date through its activities.
 */
@Entity({ name: 'proposals' })
@Index('proposals_agency_created_idx', ['agencyCode', 'createdAt'])
export class ProposalEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'agency_code', type: 'text' })
  agencyCode: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'jsonb' })
  data: ProposalData;

  @Column({ type: 'text' })
  status: ProposalStatus;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  stages: string[];

  @Column({ type: 'text', nullable: true })
  tier: Tier | null;

  @Column({ name: 'tier_reasons', type: 'jsonb', nullable: true })
  tierReasons: string[] | null;

  @Column({ type: 'jsonb', nullable: true })
  route: Route | null;

  @Column({ name: 'screening_issues', type: 'jsonb', nullable: true })
  screeningIssues: ScreeningIssue[] | null;

  @Column({ name: 'current_version', type: 'int', default: 0 })
  currentVersion: number;

  @Column({ name: 'catalogue_version', type: 'text', nullable: true })
  catalogueVersion: string | null;

  @Column({ name: 'policy_version', type: 'text', nullable: true })
  policyVersion: string | null;

  @Column({ name: 'workflow_id', type: 'text', nullable: true })
  workflowId: string | null;

  @Column({ name: 'requested_amount', type: 'bigint', transformer: bigintNumber, default: 0 })
  requestedAmount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  /** The final decision record, once the evaluation has closed. */
  @Column({ type: 'jsonb', nullable: true })
  outcome: object | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
