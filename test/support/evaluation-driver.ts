import { applicableStandards, CATALOGUE_2026_1, costEfficiencyStandards, technicalStandards, type ProposalData, type Tier } from '../../libs/domain';
import { eventually, type ApiClient } from './http-client';

export type TaskRow = { id: string; type: string; approvalLevel: string | null; proposalId: string; status: string; assigneeId: string | null };

/** Waits until `who` is offered a task of this type on the proposal. */
export function availableTask(who: ApiClient, proposalId: string, type: string, approvalLevel?: string): Promise<TaskRow> {
  return eventually(
    async () => {
      const res = await who.get(`/tasks?scope=available&proposalId=${proposalId}`);
      return (res.body.items as TaskRow[]).find((t) => t.type === type && (approvalLevel === undefined || t.approvalLevel === approvalLevel));
    },
    { what: `a ${type}${approvalLevel ? ` ${approvalLevel}` : ''} task on ${proposalId}` },
  );
}

export function waitForStatus(who: ApiClient, proposalId: string, status: string): Promise<Record<string, any>> {
  return eventually(
    async () => {
      const res = await who.get(`/proposals/${proposalId}`);
      return res.body.status === status ? res.body : undefined;
    },
    { what: `proposal ${proposalId} to be ${status}` },
  );
}

/** A review decision rating every applicable standard MEETS. */
export function meetsAll(type: 'TECHNICAL_REVIEW' | 'COST_EFFICIENCY_REVIEW', data: ProposalData, tier: Tier, opinion = 'FAVOURABLE', extra: Record<string, unknown> = {}) {
  const applicable = applicableStandards(data, tier, CATALOGUE_2026_1);
  const standards = type === 'TECHNICAL_REVIEW' ? technicalStandards(applicable) : costEfficiencyStandards(applicable);
  return { opinion, verdicts: standards.map((s) => ({ standardCode: s.code, verdict: 'MEETS' })), comment: 'Reviewed', ...extra };
}
