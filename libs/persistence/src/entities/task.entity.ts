import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { numericNumber } from './column-transformers';

export type TaskRowStatus = 'OPEN' | 'DONE' | 'CANCELLED';

/** The projection of a human task that inboxes query; the workflow owns the truth. */
@Entity({ name: 'tasks' })
export class TaskEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @Column({ name: 'proposal_title', type: 'text' })
  proposalTitle: string;

  @Column({ name: 'agency_code', type: 'text' })
  agencyCode: string;

  @Column({ type: 'text' })
  type: 'TECHNICAL_REVIEW' | 'COST_EFFICIENCY_REVIEW' | 'APPROVAL';

  @Column({ name: 'approval_level', type: 'text', nullable: true })
  approvalLevel: string | null;

  @Column({ type: 'text' })
  status: TaskRowStatus;

  @Column({ name: 'candidate_role', type: 'text' })
  candidateRole: string;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId: string | null;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'int' })
  round: number;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  escalated: boolean;

  /** How many times its clock ran out (an escalation because nobody eligible could take it is not one). */
  @Column({ type: 'int', default: 0 })
  breaches: number;

  /** Working days it was open, once decided. */
  @Column({ name: 'working_days', type: 'numeric', nullable: true, transformer: numericNumber })
  workingDays: number | null;

  @Column({ type: 'jsonb', nullable: true })
  decision: object | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
