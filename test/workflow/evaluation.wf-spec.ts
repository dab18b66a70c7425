import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DEFAULT_POLICY, type ProposalData } from '../../libs/domain';
import { EVALUATION_WORKFLOW_TYPE, SEARCH_ATTRIBUTES } from '../../libs/temporal';
import { EvaluationEnvironment, eventually, type EvaluationRun } from './evaluation-driver';
import { ACTORS, highProposal, mediumProposal } from './evaluation-fixtures';

jest.setTimeout(30_000);

/**
 * Screening and triage, the first steps of every evaluation. Since the full-evaluation patch the
 * workflow goes on to wait for reviewers, so each test ends its evaluation with a withdrawal.
 * These runs are not recorded as histories: the recorded `triaged-medium` and
 * `returned-incomplete` come from the workflow before the patch and must stay as they are.
 */
const env = new EvaluationEnvironment();
afterAll(() => env.close());

async function withdraw(run: EvaluationRun): Promise<void> {
  await run.withdraw(ACTORS.submitter);
  expect((await run.outcome()).status).toBe('WITHDRAWN');
}

describe('evaluation workflow: screening and triage', () => {
  it.concurrent('triages a complete MEDIUM proposal into parallel reviews and sets its search attributes', async () => {
    const run = await env.start(mediumProposal(), { input: { requestId: 'test-request-0001' } });
    await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    const { calls } = run.fake;
    expect(calls.begin).toEqual([run.input]);
    expect(calls.screening).toHaveLength(1);
    expect(calls.screening[0].result.passed).toBe(true);
    expect(calls.triage).toHaveLength(1);
    expect(calls.triage[0]).toMatchObject({
      proposalId: run.input.proposalId,
      version: 1,
      tier: 'MEDIUM',
      stages: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'],
      route: { approvalLevels: ['DIGITAL_HEAD', 'BUDGET_DIRECTOR'] },
      requestId: 'test-request-0001',
    });
    const described = await run.handle.describe();
    expect(described.type).toBe(EVALUATION_WORKFLOW_TYPE);
    expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status)).toBe('IN_REVIEW');
    expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.tier)).toBe('MEDIUM');
    await withdraw(run);
  });

  it.concurrent('routes a HIGH proposal to three approval levels with the committee quorum', async () => {
    const run = await env.start(highProposal());
    await run.fake.waitForTask('TECHNICAL_REVIEW');
    const [triage] = run.fake.calls.triage;
    expect(triage).toMatchObject({ tier: 'HIGH', route: { approvalLevels: ['DIGITAL_HEAD', 'BUDGET_DIRECTOR', 'COMMITTEE'], committeeQuorum: 2 } });
    expect(triage.tierReasons.join(' ')).toMatch(/novel technology/i);
    await withdraw(run);
  });

  it.concurrent('starts with the technical review alone when the pinned policy says sequential', async () => {
    const run = await env.start(mediumProposal(), { policy: { ...DEFAULT_POLICY, reviewMode: 'SEQUENTIAL' } });
    await run.fake.waitForTask('TECHNICAL_REVIEW');
    expect(run.fake.calls.triage[0].stages).toEqual(['TECHNICAL_REVIEW']);
    await withdraw(run);
  });

  it.concurrent('returns an incomplete proposal with what is missing and does not triage it', async () => {
    const data: ProposalData = { title: 'Incomplete', summary: 'Only a summary' };
    const run = await env.start(data);
    await run.fake.waitForCall('requestChanges');
    expect(run.fake.calls.triage).toHaveLength(0);
    const missing = run.fake.calls.screening[0].result.missing.map((m) => m.field);
    expect(missing).toEqual(expect.arrayContaining(['category', 'costs', 'horizonYears']));
    expect(run.fake.calls.requestChanges[0]).toMatchObject({ status: 'RETURNED', missing: run.fake.calls.screening[0].result.missing });
    // The status attribute is set in the workflow task after the request is recorded.
    await eventually('the RETURNED search attribute', async () => (await run.handle.describe()).typedSearchAttributes.get(SEARCH_ATTRIBUTES.status) === 'RETURNED');
    await withdraw(run);
  });

  it.concurrent('refuses a second evaluation of the same proposal', async () => {
    const run = await env.start(mediumProposal());
    const harness = await env.harness();
    const startAgain = () =>
      harness.client.workflow.start(EVALUATION_WORKFLOW_TYPE, { workflowId: run.workflowId, taskQueue: harness.taskQueue, args: [run.input], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    await expect(startAgain()).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    await withdraw(run);
    // Not even once the first has closed.
    await expect(startAgain()).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  });
});
