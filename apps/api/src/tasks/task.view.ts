import type { TaskView } from '../../../../libs/http-contract';
import type { TaskEntity } from '../../../../libs/persistence';

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
