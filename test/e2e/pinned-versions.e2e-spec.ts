import { CATALOGUE_2026_1 } from '../../libs/domain';
import { loginAll, type DemoName } from '../support/demo-users';
import { availableTask, meetsAll, submitted, waitForStatus } from '../support/evaluation-driver';
import type { ApiClient } from '../support/http-client';
import { answering } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

/**
 * An evaluation keeps the catalogue and policy versions pinned when it was submitted; the
 * agency's answer to a change request is a new version of that evaluation, so it is checked
 * against those versions too, not against what an admin published since.
 */
describe('an answer is validated against the versions pinned at submit', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;

  beforeAll(async () => {
    stack = await startTestStack();
    u = await loginAll(stack.baseUrl, ['ana', 'carla', 'elena', 'admin']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('accepts an answer the newly published catalogue would refuse, and refuses one only the new catalogue allows', async () => {
    const { id, data } = await submitted(u.ana);
    const [technical, finance] = await Promise.all([availableTask(u.carla, id, 'TECHNICAL_REVIEW'), availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW')]);
    const questions = { questions: ['How are service levels measured?'] };
    expect((await u.carla.post(`/tasks/${technical.id}/decision`, meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM', 'CHANGES_REQUESTED', questions))).status).toBe(200);
    expect((await u.elena.post(`/tasks/${finance.id}/decision`, meetsAll('COST_EFFICIENCY_REVIEW', data, 'MEDIUM'))).status).toBe(200);
    await waitForStatus(u.ana, id, 'CHANGES_REQUESTED');

    // The next catalogue drops a standard this proposal answers, and adds one.
    const dropped = (data.selfAssessment ?? [])[0].standardCode;
    const added = { ...CATALOGUE_2026_1.standards[0], code: 'OPS-99', title: 'A standard published after the submit' };
    const next = { version: '2027.1', standards: [...CATALOGUE_2026_1.standards.filter((s) => s.code !== dropped), added] };
    expect((await u.admin.post('/standards/versions', next)).status).toBe(201);
    // A draft now is validated against it: answering the dropped standard is refused.
    const draft = await u.ana.post('/proposals', { title: 'Drafted under catalogue 2027.1', selfAssessment: answering([dropped]) });
    expect({ status: draft.status, errors: draft.body.errors }).toEqual({ status: 400, errors: [expect.objectContaining({ field: 'selfAssessment[0].standardCode' })] });

    // The answer is validated against 2026.1, pinned at submit: the new standard is unknown there...
    const selfAssessment = [...(data.selfAssessment ?? []).filter((a) => a.standardCode !== dropped), ...answering([added.code])];
    const unknown = await u.ana.post(`/proposals/${id}/respond`, { response: 'Self-assessment updated to the new catalogue.', changes: { selfAssessment } });
    expect({ status: unknown.status, errors: unknown.body.errors }).toEqual({
      status: 400,
      errors: [{ field: `selfAssessment[${selfAssessment.length - 1}].standardCode`, message: expect.stringContaining('catalogue 2026.1') }],
    });

    // ...and the dropped one, which the proposal still answers, is known: the answer is accepted.
    const answered = await u.ana.post(`/proposals/${id}/respond`, { response: 'Service levels are measured monthly.', changes: { summary: 'Online appointments, with monthly service-level reports.' } });
    expect({ status: answered.status, body: answered.body }).toMatchObject({ status: 202, body: { status: 'IN_REVIEW' } });
    expect((await u.ana.get(`/proposals/${id}`)).body).toMatchObject({ catalogueVersion: CATALOGUE_2026_1.version, currentVersion: 2 });
  });
});
