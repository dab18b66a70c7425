import { applicableStandards, CATALOGUE_2026_1, costEfficiencyStandards, technicalStandards, type ProposalData, type Tier } from '../../libs/domain';
import { eventually, type ApiClient } from './http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';

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

/** A LOW-tier proposal (no public service, no personal data, whole-of-life cost under 50,000,000): two reviews, one approval level. */
export function lowProposal(title: string, overrides: Partial<ProposalData> = {}): ProposalData {
  return hospitalProposal({
    title,
    citizenFacing: false,
    handlesPersonalData: false,
    costs: [
      { year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', description: 'Build', amount: 15_000_000 },
      { year: 2, kind: 'OPEX', category: 'HOSTING', description: 'Hosting', amount: 5_000_000 },
    ],
    ...overrides,
  });
}

/** Drafts and submits a proposal as `who`; the evaluation has started when this returns. */
export async function submitted(who: ApiClient, data: ProposalData = hospitalProposal()): Promise<{ id: string; data: ProposalData }> {
  const created = await who.post('/proposals', data);
  expect({ status: created.status, body: created.body }).toMatchObject({ status: 201 });
  const id = created.body.id as string;
  expect((await who.post(`/proposals/${id}/submit`)).status).toBe(202);
  return { id, data };
}

/** `who` decides the task of this type offered to them on the proposal (200). */
export async function decideAvailable(who: ApiClient, proposalId: string, type: string, body: object, approvalLevel?: string): Promise<TaskRow> {
  const task = await availableTask(who, proposalId, type, approvalLevel);
  const res = await who.post(`/tasks/${task.id}/decision`, body);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return task;
}

export type HistoryRecord = { seq: number; type: string; actor: string; data: Record<string, any> };

/** The proposal's records of a type, oldest first; with `taskId`, only that task's. */
export async function recordsOf(who: ApiClient, proposalId: string, type: string, taskId?: string): Promise<HistoryRecord[]> {
  const items = (await who.get(`/proposals/${proposalId}/history`)).body.items as HistoryRecord[];
  return items.filter((r) => r.type === type && (taskId === undefined || r.data.taskId === taskId));
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
