import { completeBaseProposal } from '../../libs/domain/src/testing/proposal.factory';
import { loginAll, type DemoName } from '../support/demo-users';
import { availableTask, meetsAll, waitForStatus } from '../support/evaluation-driver';
import { eventually, type ApiClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

type HistoryRecord = { type: string; data: Record<string, unknown> };

/**
 * The clocks on the real worker, its activities and PostgreSQL (the workflow tier runs them on
 * fakes): an admin publishes a policy with second-scale review clocks (DOMAIN.md allows them for
 * tests and demos), and the reminders and breaches reach the record, the tasks and the portfolio.
 */
describe('service levels on the whole stack', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;

  beforeAll(async () => {
    stack = await startTestStack();
    u = await loginAll(stack.baseUrl, ['admin', 'ana', 'carla', 'elena', 'gabriela', 'lucia']);
    const current = (await u.admin.get('/policy')).body;
    const fast = { ...current, version: 'e2e-seconds', sla: { ...current.sla, technicalReview: { seconds: 2 }, costEfficiencyReview: { seconds: 2 }, reminderFraction: 0.5 } };
    expect((await u.admin.post('/policy/versions', fast)).status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('reminds at half the clock, escalates each breach, counts breaches apart from other escalations, and still takes the decisions', async () => {
    const data = completeBaseProposal();
    const id = (await u.ana.post('/proposals', data)).body.id as string;
    expect((await u.ana.post(`/proposals/${id}/submit`)).status).toBe(202);
    const technical = await availableTask(u.carla, id, 'TECHNICAL_REVIEW');
    const finance = await availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW');

    const history = await eventually(
      async () => {
        const items = (await u.ana.get(`/proposals/${id}/history`)).body.items as HistoryRecord[];
        return items.filter((r) => r.type === 'ESCALATED').length === 2 ? items : undefined;
      },
      { what: 'both review clocks to run out', timeoutMs: 20_000 },
    );
    for (const task of [technical, finance]) {
      const about = history.filter((r) => r.data.taskId === task.id);
      expect(about.filter((r) => r.type === 'REMINDER_SENT')).toHaveLength(1);
      expect(about.filter((r) => r.type === 'ESCALATED')).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ kind: 'BREACH', reason: 'the task is past its due date', supervisorRole: 'supervisor' }) }),
      ]);
      // The reminder before the breach.
      expect(about.findIndex((r) => r.type === 'REMINDER_SENT')).toBeLessThan(about.findIndex((r) => r.type === 'ESCALATED'));
    }
    const escalated = (await u.gabriela.get(`/tasks?scope=all&escalated=true&proposalId=${id}`)).body.items as { id: string }[];
    expect(escalated.map((t) => t.id).sort()).toEqual([technical.id, finance.id].sort());

    // Past their due date, the decisions still count.
    expect((await u.carla.post(`/tasks/${technical.id}/decision`, meetsAll('TECHNICAL_REVIEW', data, 'LOW'))).status).toBe(200);
    expect((await u.elena.post(`/tasks/${finance.id}/decision`, meetsAll('COST_EFFICIENCY_REVIEW', data, 'LOW'))).status).toBe(200);
    const head = await availableTask(u.gabriela, id, 'APPROVAL', 'DIGITAL_HEAD');
    expect((await u.gabriela.post(`/tasks/${head.id}/decision`, { decision: 'APPROVE' })).status).toBe(200);
    const proposal = await waitForStatus(u.ana, id, 'APPROVED');
    expect(proposal.outcome.timing).toMatchObject({ unit: 'workingDays', target: 20, withAgency: 0, withinTarget: true });

    // The portfolio counts the two breaches, and the stage times in working days.
    const report = (await u.lucia.get('/reports/portfolio')).body;
    expect(report.slaBreaches).toMatchObject({ byType: { TECHNICAL_REVIEW: 1, COST_EFFICIENCY_REVIEW: 1, APPROVAL: 0 } });
    expect(report.stageWorkingDays.TECHNICAL_REVIEW.count).toBe(1);
    expect(report.workingDays).toMatchObject({ measured: 1, withinTarget: 1 });
  });
});
