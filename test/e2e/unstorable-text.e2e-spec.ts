import { CATALOGUE_2026_1, DEFAULT_POLICY, type ProposalData } from '../../libs/domain';
import { loginAll, type DemoName } from '../support/demo-users';
import { availableTask, meetsAll, waitForStatus } from '../support/evaluation-driver';
import type { ApiClient, HttpResponse } from '../support/http-client';
import { startIdentityProvider, type IdentityProvider } from '../support/identity-provider';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

/** What a client sends when its text holds half of a UTF-16 pair: JSON's `"x \ud800 y"`. */
const LONE = 'x \ud800 y';
/** The same lone surrogate in a URL: the three bytes UTF-8 would give it, which are not UTF-8. */
const LONE_IN_URL = 'x%20%ED%A0%80%20y';

interface Fixtures {
  /** A complete draft (three cost lines and more). */
  draft: string;
  /** Screening returned it: it waits for the agency's answer. */
  returned: string;
  /** In review: the technical and cost-efficiency tasks are open and held. */
  reviewed: string;
  reviewedData: ProposalData;
  technical: string;
  costEfficiency: string;
  /** Both reviews done: the first approval task is open and held. */
  approval: string;
  lucia: string;
}

type Case = [route: string, field: string | RegExp, send: (f: Fixtures) => Promise<HttpResponse>];

/**
 * Nothing a person types can reach the database unstorable: a lone UTF-16 surrogate (which
 * PostgreSQL's jsonb refuses and text silently turns into U+FFFD) in any text the API takes, at
 * any depth, is a 400 naming the field, and nothing changes: proposals, their versions, tasks,
 * records, users, agencies and the published versions are as before.
 */
describe('text that cannot be stored', () => {
  let stack: TestStack;
  let idp: IdentityProvider;
  let u: Record<DemoName, ApiClient>;
  const f = {} as Fixtures;

  beforeAll(async () => {
    idp = await startIdentityProvider();
    // Local sign-in stays on: the demo users act, and a provider's tokens are accepted besides.
    // Every case reads the whole state twice, the log's verification included: more heavy reads than a person's budget.
    stack = await startTestStack({ env: { ...idp.env, RATE_LIMIT_HEAVY_READS: '100000/60s' } });
    u = await loginAll(stack.baseUrl, ['ana', 'carla', 'diego', 'elena', 'felipe', 'gabriela', 'admin']);

    f.draft = (await u.ana.post('/proposals', hospitalProposal({ title: 'A draft to keep as it is' }))).body.id;
    f.returned = (await u.ana.post('/proposals', { title: 'Returned by screening' })).body.id;
    expect((await u.ana.post(`/proposals/${f.returned}/submit`)).status).toBe(202);

    f.reviewedData = hospitalProposal({ title: 'Under review' });
    f.reviewed = (await u.ana.post('/proposals', f.reviewedData)).body.id;
    expect((await u.ana.post(`/proposals/${f.reviewed}/submit`)).status).toBe(202);
    f.technical = (await availableTask(u.carla, f.reviewed, 'TECHNICAL_REVIEW')).id;
    f.costEfficiency = (await availableTask(u.elena, f.reviewed, 'COST_EFFICIENCY_REVIEW')).id;
    expect((await u.carla.post(`/tasks/${f.technical}/claim`)).status).toBe(200);
    expect((await u.elena.post(`/tasks/${f.costEfficiency}/claim`)).status).toBe(200);

    const approving = hospitalProposal({ title: 'Awaiting approval' });
    const approvingId = (await u.ana.post('/proposals', approving)).body.id;
    expect((await u.ana.post(`/proposals/${approvingId}/submit`)).status).toBe(202);
    const technical = await availableTask(u.diego, approvingId, 'TECHNICAL_REVIEW');
    const finance = await availableTask(u.felipe, approvingId, 'COST_EFFICIENCY_REVIEW');
    expect((await u.diego.post(`/tasks/${technical.id}/decision`, meetsAll('TECHNICAL_REVIEW', approving, 'MEDIUM'))).status).toBe(200);
    expect((await u.felipe.post(`/tasks/${finance.id}/decision`, meetsAll('COST_EFFICIENCY_REVIEW', approving, 'MEDIUM'))).status).toBe(200);
    f.approval = (await availableTask(u.gabriela, approvingId, 'APPROVAL', 'DIGITAL_HEAD')).id;
    expect((await u.gabriela.post(`/tasks/${f.approval}/claim`)).status).toBe(200);

    await waitForStatus(u.ana, f.returned, 'RETURNED');
    f.lucia = ((await u.admin.get('/admin/users?pageSize=100')).body.items as { id: string; email: string }[]).find((x) => x.email === 'lucia.campos@contraloria.example')!.id;
  });

  afterAll(async () => {
    await stack?.stop();
    await idp?.stop();
  });

  const technicalBody = (extra: Record<string, unknown> = {}, opinion = 'FAVOURABLE') => meetsAll('TECHNICAL_REVIEW', f.reviewedData, 'MEDIUM', opinion, extra);
  const financeBody = (extra: Record<string, unknown> = {}, opinion = 'FAVOURABLE') => meetsAll('COST_EFFICIENCY_REVIEW', f.reviewedData, 'MEDIUM', opinion, extra);
  const withComment = <T extends { verdicts: { standardCode: string; verdict: string }[] }>(body: T, i: number) => ({
    ...body,
    verdicts: body.verdicts.map((v, j) => (j === i ? { ...v, verdict: 'PARTIAL', comment: LONE } : v)),
  });
  const conditions = [{ text: LONE, dueDate: '2099-06-30' }];

  const cases: Case[] = [
    // Proposals: create and PATCH.
    ['POST /proposals', 'title', () => u.ana.post('/proposals', { title: LONE })],
    ['POST /proposals', 'summary', () => u.ana.post('/proposals', { title: 'Lone surrogate in the summary', summary: LONE })],
    ['POST /proposals', 'costs[2].description', () => u.ana.post('/proposals', { ...hospitalProposal(), costs: hospitalProposal().costs!.map((c, i) => (i === 2 ? { ...c, description: LONE } : c)) })],
    ['POST /proposals', 'benefits[1].description', () => u.ana.post('/proposals', { ...hospitalProposal(), benefits: hospitalProposal().benefits!.map((b, i) => (i === 1 ? { ...b, description: LONE } : b)) })],
    ['POST /proposals', 'selfAssessment[0].evidence', () => u.ana.post('/proposals', { ...hospitalProposal(), selfAssessment: hospitalProposal().selfAssessment!.map((a, i) => (i === 0 ? { ...a, evidence: LONE } : a)) })],
    ['POST /proposals', 'title', () => u.ana.post('/proposals', { title: 'Low surrogate \udc00 alone' })],
    ['PATCH /proposals/:id', 'title', (x) => u.ana.patch(`/proposals/${x.draft}`, { title: LONE })],
    ['PATCH /proposals/:id', 'summary', (x) => u.ana.patch(`/proposals/${x.draft}`, { summary: LONE })],
    ['PATCH /proposals/:id', 'costs[2].description', (x) => u.ana.patch(`/proposals/${x.draft}`, { costs: hospitalProposal().costs!.map((c, i) => (i === 2 ? { ...c, description: LONE } : c)) })],
    ['PATCH /proposals/:id', 'benefits[0].description', (x) => u.ana.patch(`/proposals/${x.draft}`, { benefits: [{ year: 2, amount: 1, description: LONE }] })],
    ['PATCH /proposals/:id', 'selfAssessment[1].evidence', (x) => u.ana.patch(`/proposals/${x.draft}`, { selfAssessment: hospitalProposal().selfAssessment!.map((a, i) => (i === 1 ? { ...a, evidence: LONE } : a)) })],
    // The agency's answer and its withdrawal.
    ['POST /proposals/:id/respond', 'response', (x) => u.ana.post(`/proposals/${x.returned}/respond`, { response: LONE })],
    ['POST /proposals/:id/respond', 'changes.summary', (x) => u.ana.post(`/proposals/${x.returned}/respond`, { response: 'Completed', changes: { summary: LONE } })],
    ['POST /proposals/:id/respond', 'changes.costs[0].description', (x) => u.ana.post(`/proposals/${x.returned}/respond`, { response: 'Costed', changes: { costs: [{ year: 1, kind: 'CAPEX', category: 'OTHER', amount: 1, description: LONE }] } })],
    ['POST /proposals/:id/withdraw (draft)', 'reason', (x) => u.ana.post(`/proposals/${x.draft}/withdraw`, { reason: LONE })],
    // Decisions of the three kinds of task.
    ['POST /tasks/:id/decision (technical)', 'verdicts[0].comment', (x) => u.carla.post(`/tasks/${x.technical}/decision`, withComment(technicalBody(), 0))],
    ['POST /tasks/:id/decision (technical)', 'comment', (x) => u.carla.post(`/tasks/${x.technical}/decision`, technicalBody({ comment: LONE }))],
    ['POST /tasks/:id/decision (technical)', 'conditions[0].text', (x) => u.carla.post(`/tasks/${x.technical}/decision`, technicalBody({ conditions }, 'FAVOURABLE_WITH_CONDITIONS'))],
    ['POST /tasks/:id/decision (technical)', 'questions[1]', (x) => u.carla.post(`/tasks/${x.technical}/decision`, technicalBody({ questions: ['Which platform?', LONE] }, 'CHANGES_REQUESTED'))],
    ['POST /tasks/:id/decision (cost-efficiency)', 'verdicts[1].comment', (x) => u.elena.post(`/tasks/${x.costEfficiency}/decision`, withComment(financeBody(), 1))],
    ['POST /tasks/:id/decision (cost-efficiency)', 'comment', (x) => u.elena.post(`/tasks/${x.costEfficiency}/decision`, financeBody({ comment: LONE }))],
    ['POST /tasks/:id/decision (cost-efficiency)', 'conditions[0].text', (x) => u.elena.post(`/tasks/${x.costEfficiency}/decision`, financeBody({ conditions }, 'FAVOURABLE_WITH_CONDITIONS'))],
    ['POST /tasks/:id/decision (cost-efficiency)', 'questions[0]', (x) => u.elena.post(`/tasks/${x.costEfficiency}/decision`, financeBody({ questions: [LONE] }, 'CHANGES_REQUESTED'))],
    ['POST /tasks/:id/decision (cost-efficiency)', 'flaggedCostLines[0].reason', (x) => u.elena.post(`/tasks/${x.costEfficiency}/decision`, financeBody({ flaggedCostLines: [{ costIndex: 0, reason: LONE }] }))],
    ['POST /tasks/:id/decision (approval)', 'comment', (x) => u.gabriela.post(`/tasks/${x.approval}/decision`, { decision: 'APPROVE', comment: LONE })],
    ['POST /tasks/:id/decision (approval)', 'conditions[0].text', (x) => u.gabriela.post(`/tasks/${x.approval}/decision`, { decision: 'APPROVE_WITH_CONDITIONS', conditions })],
    // Last of those on the proposal under review: today's code would withdraw it.
    ['POST /proposals/:id/withdraw (submitted)', 'reason', (x) => u.ana.post(`/proposals/${x.reviewed}/withdraw`, { reason: LONE })],
    // Administration.
    ['POST /admin/users', 'name', () => u.admin.post('/admin/users', { email: 'pedro.ramos@minsal.example', name: LONE, password: 'a-long-enough-password', roles: ['agency_submitter'], agencyCode: 'MINSAL' })],
    ['PATCH /admin/users/:id', 'name', (x) => u.admin.patch(`/admin/users/${x.lucia}`, { name: LONE })],
    ['POST /admin/agencies', 'name', () => u.admin.post('/admin/agencies', { code: 'MINVU', name: LONE })],
    ['POST /policy/versions', 'version', () => u.admin.post('/policy/versions', { ...DEFAULT_POLICY, version: `2099.1 ${LONE}` })],
    ['POST /policy/versions', 'sla', () => u.admin.post('/policy/versions', { ...DEFAULT_POLICY, version: '2099.2', sla: { ...DEFAULT_POLICY.sla, [LONE]: 1 } })],
    ['POST /standards/versions', 'standards[0].title', () => u.admin.post('/standards/versions', { version: '2099.1', standards: CATALOGUE_2026_1.standards.map((s, i) => (i === 0 ? { ...s, title: LONE } : s)) })],
    ['POST /standards/versions', 'standards[3].description', () => u.admin.post('/standards/versions', { version: '2099.2', standards: CATALOGUE_2026_1.standards.map((s, i) => (i === 3 ? { ...s, description: LONE } : s)) })],
    // Query strings and path segments: the bytes a lone surrogate would have in UTF-8 are not UTF-8.
    ['GET /proposals?q=', 'q', () => u.ana.get(`/proposals?q=${LONE_IN_URL}`)],
    ['GET /outcomes?q=', 'q', () => u.elena.get(`/outcomes?q=${LONE_IN_URL}`)],
    ['GET /outcomes/export.csv?q=', 'q', () => u.elena.get(`/outcomes/export.csv?q=${LONE_IN_URL}`)],
    ['GET /proposals/:id', 'path', () => u.ana.get(`/proposals/${LONE_IN_URL}`)],
    ['GET /standards/versions/:version', 'path', () => u.ana.get(`/standards/versions/${LONE_IN_URL}`)],
    // Headers: the key is stored; a provider's token's claims provision the person.
    ['POST /proposals with Idempotency-Key', 'Idempotency-Key', () => u.ana.post('/proposals', { title: 'Keyed draft' }, { 'Idempotency-Key': 'key-\u00ed\u00a0\u0080' })],
    ['Authorization (provider token, name claim)', 'Authorization', async () => u.ana.as(await idp.token({ email: 'pia.leiva@minsal.example', name: LONE, roles: ['agency_submitter'], agency: 'MINSAL' })).get('/auth/me')],
    ['Authorization (provider token, email claim)', 'Authorization', async () => u.ana.as(await idp.token({ email: 'pia\ud800@minsal.example', name: 'Pía Leiva', roles: ['agency_submitter'], agency: 'MINSAL' })).get('/auth/me')],
    ['Authorization (provider token, NUL in name)', 'Authorization', async () => u.ana.as(await idp.token({ email: 'pia.leiva@minsal.example', name: 'Pía\u0000', roles: ['agency_submitter'], agency: 'MINSAL' })).get('/auth/me')],
    // Not text, but as unstorable: bytes that are not UTF-8, and nesting deeper than any body of the API has.
    ['POST /proposals (bytes that are not UTF-8)', 'body', () => u.ana.request('POST', '/proposals', Buffer.concat([Buffer.from('{"title":"x '), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(' y"}')]))],
    ['POST /proposals (deeply nested)', /^costs(\[0\]){31}$/, () => u.ana.request('POST', '/proposals', `{"title":"Deeply nested","costs":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)],
  ];

  /** Everything a refused request must leave as it was. */
  async function state() {
    const [proposals, tasks, records, users, agencies, policy, catalogue] = await Promise.all([
      u.admin.get('/proposals?pageSize=100'),
      u.admin.get('/tasks?scope=all&pageSize=100'),
      u.admin.get('/audit/verify'),
      u.admin.get('/admin/users?pageSize=100'),
      u.admin.get('/admin/agencies'),
      u.admin.get('/policy'),
      u.admin.get('/standards'),
    ]);
    const fixtures = await Promise.all(
      [f.draft, f.returned, f.reviewed].map(async (id) => {
        const { status, currentVersion, updatedAt, title, summary, costs, benefits, selfAssessment } = (await u.admin.get(`/proposals/${id}`)).body;
        return { id, status, currentVersion, updatedAt, title, summary, costs, benefits, selfAssessment };
      }),
    );
    return {
      proposals: proposals.body.items.map((p: Record<string, unknown>) => [p.id, p.status, p.currentVersion, p.updatedAt]),
      tasks: tasks.body.items.map((t: Record<string, unknown>) => [t.id, t.status, t.assigneeId]),
      records: records.body,
      users: users.body.items.map((x: Record<string, unknown>) => [x.email, x.name, x.updatedAt]),
      agencies: agencies.body.items.length,
      policy: policy.body.version,
      catalogue: catalogue.body.version,
      fixtures,
    };
  }

  it.each(cases)('%s: a 400 naming %s, and nothing changes', async (_route, field, send) => {
    const before = await state();
    const res = await send(f);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: typeof field === 'string' ? field : expect.stringMatching(field) })]);
    expect(await state()).toEqual(before);
  });
});
