import type { TaskEntity } from '../../../../libs/persistence';

/** A task as API.md shows it. */
export interface TaskView {
  id: string;
  proposalId: string;
  proposalTitle: string;
  agencyCode: string;
  type: TaskEntity['type'];
  approvalLevel: string | null;
  status: TaskEntity['status'];
  candidateRole: string;
  assigneeId: string | null;
  dueAt: string;
  escalated: boolean;
  createdAt: string;
  completedAt: string | null;
}

export function toTaskView(t: TaskEntity): TaskView {
  return {
    id: t.id,
    proposalId: t.proposalId,
    proposalTitle: t.proposalTitle,
    agencyCode: t.agencyCode,
    type: t.type,
    approvalLevel: t.approvalLevel,
    status: t.status,
    candidateRole: t.candidateRole,
    assigneeId: t.assigneeId,
    dueAt: t.dueAt.toISOString(),
    escalated: t.escalated,
    createdAt: t.createdAt.toISOString(),
    completedAt: t.completedAt?.toISOString() ?? null,
  };
}
