import { loginAll, type DemoName } from '../support/demo-users';
import { availableTask } from '../support/evaluation-driver';
import { eventually, type ApiClient, type HttpResponse } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

type Case = [name: string, send: (f: Fixtures) => Promise<HttpResponse>, status: number, field?: string];
interface Fixtures {
  draft: string;
  task: string;
}

/**
 * Bad input gets a clear 4xx problem+json naming the field, and changes nothing: the number of
 * proposals, tasks and records is the same before and after the whole battery.
 */
describe('a battery of malformed input', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;
  const f: Fixtures = { draft: '', task: '' };
  const valid = hospitalProposal();
  const cost = valid.costs![0];

  beforeAll(async () => {
    stack = await startTestStack();
    u = await loginAll(stack.baseUrl, ['ana', 'carla', 'admin']);
    f.draft = (await u.ana.post('/proposals', { title: 'Battery draft' })).body.id;
    const submitted = (await u.ana.post('/proposals', valid)).body.id;
    await u.ana.post(`/proposals/${submitted}/submit`);
    f.task = (await availableTask(u.carla, submitted, 'TECHNICAL_REVIEW')).id;
    // Let the evaluation settle (both review tasks open) so the counts below only move if the battery moves them.
    await eventually(async () => ((await u.admin.get(`/tasks?scope=all&proposalId=${submitted}`)).body.total === 2 ? true : undefined));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const create = (body: unknown) => u.ana.post('/proposals', body);
  const cases: Case[] = [
    ['bad JSON', () => u.ana.request('POST', '/proposals', '{"title": '), 400, 'body'],
    ['a JSON array body', () => create([1, 2]), 400],
    ['a 2 MB body', () => create({ title: 'Huge', summary: 'x'.repeat(2 * 1024 * 1024) }), 413],
    ['missing title', () => create({ summary: 'no title' }), 400, 'title'],
    ['title of the wrong type', () => create({ title: 42 }), 400, 'title'],
    ['title too short', () => create({ title: 'abc' }), 400, 'title'],
    ['unknown field', () => create({ title: 'Unknown field', colour: 'red' }), 400, 'colour'],
    ['agencyCode in the body', () => create({ title: 'Other agency', agencyCode: 'MINEDUC' }), 400, 'agencyCode'],
    ['status in the body', () => create({ title: 'Sneaky status', status: 'APPROVED' }), 400, 'status'],
    ['unknown category', () => create({ title: 'Bad category', category: 'GAMES' }), 400, 'category'],
    ['boolean as a string', () => create({ title: 'Bad flag', citizenFacing: 'yes' }), 400, 'citizenFacing'],
    ['negative amount', () => create({ title: 'Negative', costs: [{ ...cost, amount: -1 }] }), 400, 'costs[0].amount'],
    ['huge amount', () => create({ title: 'Huge amount', costs: [{ ...cost, amount: 1e16 }] }), 400, 'costs[0].amount'],
    ['fractional amount', () => create({ title: 'Fraction', costs: [{ ...cost, amount: 10.5 }] }), 400, 'costs[0].amount'],
    ['amount as a string', () => create({ title: 'String amount', costs: [{ ...cost, amount: '100' }] }), 400, 'costs[0].amount'],
    ['year outside the horizon', () => create({ title: 'Late year', horizonYears: 2, costs: [{ ...cost, year: 3 }] }), 400, 'costs[0].year'],
    ['year zero', () => create({ title: 'Year zero', costs: [{ ...cost, year: 0 }] }), 400, 'costs[0].year'],
    ['too many cost lines', () => create({ title: 'Too many', costs: Array.from({ length: 201 }, () => cost) }), 400, 'costs'],
    ['cost line of the wrong type', () => create({ title: 'Line type', costs: ['a line'] }), 400],
    ['unknown cost kind', () => create({ title: 'Kind', costs: [{ ...cost, kind: 'LOAN' }] }), 400, 'costs[0].kind'],
    ['unknown standard code', () => create({ title: 'Unknown code', selfAssessment: [{ standardCode: 'XYZ-99', answer: 'MEETS' }] }), 400, 'selfAssessment[0].standardCode'],
    ['malformed standard code', () => create({ title: 'Malformed code', selfAssessment: [{ standardCode: 'sec 1', answer: 'MEETS' }] }), 400, 'selfAssessment[0].standardCode'],
    ['unknown verdict', () => create({ title: 'Verdict', selfAssessment: [{ standardCode: 'SEC-01', answer: 'MAYBE' }] }), 400, 'selfAssessment[0].answer'],
    ['risk not an object', () => create({ title: 'Risk', risk: 'low' }), 400, 'risk'],
    ['horizon of 0', () => create({ title: 'Horizon', horizonYears: 0 }), 400, 'horizonYears'],
    ['NUL character', () => create({ title: 'Nul \u0000 title' }), 400, 'title'],
    ['PATCH with an unknown field', (x) => u.ana.patch(`/proposals/${x.draft}`, { owner: 'me' }), 400, 'owner'],
    ['PATCH clearing the title', (x) => u.ana.patch(`/proposals/${x.draft}`, { title: null }), 400, 'title'],
    ['invalid proposal id', () => u.ana.get('/proposals/12345'), 400, 'id'],
    ['invalid id on submit', () => u.ana.post('/proposals/not-a-uuid/submit'), 400, 'id'],
    ['unknown proposal id', () => u.ana.get('/proposals/00000000-0000-4000-8000-000000000000'), 404],
    ['pageSize over 100', () => u.ana.get('/proposals?pageSize=101'), 400, 'pageSize'],
    ['page 0', () => u.ana.get('/proposals?page=0'), 400, 'page'],
    ['unknown status filter', () => u.ana.get('/proposals?status=DONE'), 400, 'status'],
    ['unknown query parameter', () => u.ana.get('/proposals?sort=title'), 400, 'sort'],
    ['respond without a response', (x) => u.ana.post(`/proposals/${x.draft}/respond`, {}), 400, 'response'],
    ['withdraw with a numeric reason', (x) => u.ana.post(`/proposals/${x.draft}/withdraw`, { reason: 7 }), 400, 'reason'],
    ['decision with an unknown opinion', (x) => u.carla.post(`/tasks/${x.task}/decision`, { opinion: 'GREAT', verdicts: [] }), 400, 'opinion'],
    ['decision with verdicts not a list', (x) => u.carla.post(`/tasks/${x.task}/decision`, { opinion: 'FAVOURABLE', verdicts: 'all good' }), 400, 'verdicts'],
    ['decision with an unknown field', (x) => u.carla.post(`/tasks/${x.task}/decision`, { opinion: 'FAVOURABLE', verdicts: [], approve: true }), 400, 'approve'],
    ['decision with a bad condition date', (x) => u.carla.post(`/tasks/${x.task}/decision`, { opinion: 'FAVOURABLE_WITH_CONDITIONS', verdicts: [], conditions: [{ text: 't', dueDate: 'soon' }] }), 400, 'conditions[0].dueDate'],
    ['decision missing verdicts (valid shape)', (x) => u.carla.post(`/tasks/${x.task}/decision`, { opinion: 'FAVOURABLE', verdicts: [] }), 422, 'verdicts'],
    ['invalid task id', () => u.carla.get('/tasks/xyz'), 400, 'id'],
    ['assign to a non-uuid', (x) => u.admin.post(`/tasks/${x.task}/assign`, { userId: 'bob' }), 400, 'userId'],
    ['login with a malformed e-mail', () => u.ana.post('/auth/token', { email: 'not-an-email', password: 'x' }), 400, 'email'],
    ['publish a policy that is not an object', () => u.admin.post('/policy/versions', 'null'), 400],
  ];

  async function counts() {
    const [proposals, tasks, records] = await Promise.all([
      u.admin.get('/proposals?pageSize=1'),
      u.admin.get('/tasks?scope=all&pageSize=1'),
      u.admin.get('/audit/verify'),
    ]);
    return { proposals: proposals.body.total, tasks: tasks.body.total, records: records.body.records };
  }

  it('answers every case with its 4xx problem, naming the field, and changes nothing', async () => {
    const before = await counts();
    for (const [name, send, status, field] of cases) {
      const res = await send(f);
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status, code: expect.any(String), title: expect.any(String), correlationId: expect.any(String) });
      if (field) expect({ name, fields: (res.body.errors ?? []).map((e: { field: string }) => e.field) }).toEqual({ name, fields: expect.arrayContaining([field]) });
    }
    expect(await counts()).toEqual(before);
    expect((await u.ana.get(`/proposals/${f.draft}`)).body.title).toBe('Battery draft');
  });
});
