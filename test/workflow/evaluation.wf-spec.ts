import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { CATALOGUE_2026_1, DEFAULT_POLICY, type Policy, type ProposalData } from '../../libs/domain';
import {
  EVALUATION_WORKFLOW_TYPE,
  evaluationWorkflowId,
  SEARCH_ATTRIBUTES,
  type EvaluationActivities,
  type EvaluationInput,
  type EvaluationResult,
  type ScreeningRecord,
  type TriageRecord,
} from '../../libs/temporal';
import { completeProposal } from '../support/proposal-factory';
import { createWorkflowHarness, type WorkflowHarness } from './workflow-harness';

jest.setTimeout(60_000);

/** Activities that keep what the workflow asked them to persist. */
function recordingActivities(data: ProposalData, policy: Policy = DEFAULT_POLICY) {
  const calls = { begin: [] as EvaluationInput[], screening: [] as ScreeningRecord[], triage: [] as TriageRecord[] };
  const activities: EvaluationActivities = {
    async beginEvaluation(input) {
      calls.begin.push(input);
      return { version: 1, data, catalogue: CATALOGUE_2026_1, policy };
    },
    async recordScreening(record) {
      calls.screening.push(record);
    },
    async recordTriage(record) {
      calls.triage.push(record);
    },
    async createTasks() {
      return { withoutEligibleCandidate: [] };
    },
    async committeeMembers() {
      return [];
    },
    async recordDecision() {},
    async remindTask() {},
    async escalateTask() {},
    async cancelTasks() {},
    async requestChanges() {},
    async remindAgency() {},
    async recordResponse() {},
    async recordOutcome() {},
  };
  return { activities, calls };
}

function input(data: ProposalData): EvaluationInput {
  return {
    proposalId: randomUUID(),
    agencyCode: 'MINSAL',
    requestedAmount: 180_000_000,
    data,
    catalogueVersion: '2026.1',
    policyVersion: '2026.1',
    submittedBy: { id: randomUUID(), email: 'ana.torres@minsal.example' },
    requestId: 'test-request-0001',
  };
}

describe('evaluation workflow: screening and triage', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await createWorkflowHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function run(args: EvaluationInput): Promise<EvaluationResult> {
    return harness.client.workflow.execute(EVALUATION_WORKFLOW_TYPE, {
      workflowId: evaluationWorkflowId(args.proposalId),
      taskQueue: harness.taskQueue,
      args: [args],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  }

  it('triages a complete MEDIUM proposal into parallel reviews and sets its search attributes', async () => {
    const data = completeProposal();
    const { activities, calls } = recordingActivities(data);
    const args = input(data);
    const result = await harness.withWorker(activities, () => run(args));

    expect(result).toEqual({ status: 'IN_REVIEW', version: 1, tier: 'MEDIUM' });
    expect(calls.screening).toHaveLength(1);
    expect(calls.screening[0].result.passed).toBe(true);
    expect(calls.triage).toHaveLength(1);
    expect(calls.triage[0]).toMatchObject({
      proposalId: args.proposalId,
      tier: 'MEDIUM',
      stages: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'],
      route: { approvalLevels: ['DIGITAL_HEAD', 'BUDGET_DIRECTOR'] },
      requestId: 'test-request-0001',
    });
    const described = await harness.client.workflow.getHandle(evaluationWorkflowId(args.proposalId)).describe();
    expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status)).toBe('IN_REVIEW');
    expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.tier)).toBe('MEDIUM');
    await harness.recordHistory(evaluationWorkflowId(args.proposalId), 'triaged-medium');
  });

  it('routes a HIGH proposal to three approval levels with the committee quorum', async () => {
    const data = completeProposal({ risk: { novelTechnology: true, securityCritical: false, identityComponent: false } });
    const { activities, calls } = recordingActivities(data);
    const result = await harness.withWorker(activities, () => run(input(data)));
    expect(result).toMatchObject({ status: 'IN_REVIEW', tier: 'HIGH' });
    expect(calls.triage[0].route).toMatchObject({ approvalLevels: ['DIGITAL_HEAD', 'BUDGET_DIRECTOR', 'COMMITTEE'], committeeQuorum: 2 });
    expect(calls.triage[0].tierReasons.join(' ')).toMatch(/novel technology/i);
  });

  it('starts with the technical review alone when the pinned policy says sequential', async () => {
    const data = completeProposal();
    const { activities, calls } = recordingActivities(data, { ...DEFAULT_POLICY, reviewMode: 'SEQUENTIAL' });
    await harness.withWorker(activities, () => run(input(data)));
    expect(calls.triage[0].stages).toEqual(['TECHNICAL_REVIEW']);
  });

  it('returns an incomplete proposal with what is missing and does not triage it', async () => {
    const data: ProposalData = { title: 'Incomplete', summary: 'Only a summary' };
    const { activities, calls } = recordingActivities(data);
    const args = input(data);
    const result = await harness.withWorker(activities, () => run(args));
    expect(result.status).toBe('RETURNED');
    expect(calls.triage).toHaveLength(0);
    const missing = calls.screening[0].result.missing.map((m) => m.field);
    expect(missing).toEqual(expect.arrayContaining(['category', 'costs', 'horizonYears']));
    await harness.recordHistory(evaluationWorkflowId(args.proposalId), 'returned-incomplete');
  });

  it('refuses a second evaluation of the same proposal', async () => {
    const data = completeProposal();
    const { activities } = recordingActivities(data);
    const args = input(data);
    await harness.withWorker(activities, () => run(args));
    await expect(run(args)).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  });
});
