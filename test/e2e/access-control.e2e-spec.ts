import type { ProposalData } from '../../libs/domain';
import { createUser, loginAll } from '../support/demo-users';
import { availableTask, lowProposal, meetsAll, waitForStatus, type TaskRow } from '../support/evaluation-driver';
import { ApiClient, eventually } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(60_000);

/**
 * The table "Who may do what" of README.md, cell by cell, over HTTP on the real stack.
 *
 * One caller per column: the demo users of API.md, plus `sam`, a supervisor with no other role
 * (created by the admin), because the demo supervisors (gabriela, hector) are approvers too, and
 * the approver role lets them claim and decide approval tasks that the supervisor column forbids.
 * Each row sends the same real request as every caller and compares the observed statuses with
 * the README's row at once, so a failure shows the whole row. The requests are chosen so that an
 * authorized caller gets past authorization into the state or validation checks (409, 400), which
 * the guard's 403 and the scoping 404 would otherwise hide: "authorization is checked before state".
 */
const WHO = ['ana', 'bruno', 'carla', 'elena', 'nicolas', 'gabriela', 'sam', 'lucia', 'admin'] as const;
type Who = (typeof WHO)[number];

/** Which column of the README each caller stands for. */
const COLUMN: Record<Who, string> = {
  ana: 'agency_submitter, MINSAL (owns the fixtures)',
  bruno: 'agency_submitter, MINEDUC (another agency)',
  carla: 'technical_reviewer, DIGITAL',
  elena: 'finance_reviewer, HACIENDA',
  nicolas: 'approver DIGITAL_HEAD (deputy), DIGITAL',
  gabriela: 'supervisor AND approver DIGITAL_HEAD, DIGITAL',
  sam: 'supervisor only (created), DIGITAL',
  lucia: 'auditor, CONTRALORIA',
  admin: 'admin, DIGITAL',
};

type Statuses = Record<Who, number>;

/** A row of expected statuses: `base` for every caller but the ones named. */
function statuses(base: number, cells: Partial<Statuses> = {}): Statuses {
  return Object.fromEntries(WHO.map((who) => [who, cells[who] ?? base])) as Statuses;
}

const OVERSIGHT_COLUMNS = { gabriela: 200, sam: 200, lucia: 200, admin: 200 } as const;

interface Fixtures {
  /** Ana's draft (MINSAL). */
  draft: string;
  /** Bruno's draft (MINEDUC). */
  brunoDraft: string;
  /** Ana's LOW proposal in review: the technical task is held by carla, the cost-efficiency task is open. */
  submitted: string;
  trTask: string;
  ceTask: string;
  /** Ana's LOW proposal whose DIGITAL_HEAD approval task is open and held by nicolas. */
  inApproval: string;
  approvalTask: string;
  /** Ana's LOW proposal closed by gabriela's REJECT at DIGITAL_HEAD. */
  rejected: string;
  rejectedApprovalTask: string;
  /** A LOW proposal of the DIGITAL agency (dani): every DIGITAL_HEAD approver is DIGITAL staff. */
  digital: string;
  digitalTrTask: string;
  digitalCeTask: string;
  digitalApprovalTask: string;
  userIds: Record<'carla' | 'diego' | 'jorge' | 'nicolas' | 'sam', string>;
}

interface Row {
  action: string;
  request: (f: Fixtures, who: Who) => { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: unknown };
  expected: Statuses;
}

const get = (path: string) => ({ method: 'GET' as const, path });
const post = (path: string, body: unknown = {}) => ({ method: 'POST' as const, path, body });
const patch = (path: string, body: unknown) => ({ method: 'PATCH' as const, path, body });

const ROWS: Row[] = [
  // --- POST /proposals, PATCH, submit, respond, withdraw: own agency; 403 for every other role.
  { action: 'POST /proposals (valid body)', request: () => post('/proposals', { title: 'Access-control probe draft' }), expected: statuses(403, { ana: 201, bruno: 201 }) },
  { action: 'POST /proposals (empty body: 400 after authorization)', request: () => post('/proposals', {}), expected: statuses(403, { ana: 400, bruno: 400 }) },
  { action: 'PATCH /proposals/:id (a MINSAL draft)', request: (f) => patch(`/proposals/${f.draft}`, { summary: 'Changed by its agency' }), expected: statuses(403, { ana: 200, bruno: 404 }) },
  // The body is validated before the proposal is looked up, so another agency gets the 400 too
  // (which says nothing about whether the id exists).
  { action: 'PATCH /proposals/:id (a MINSAL draft, invalid body)', request: (f) => patch(`/proposals/${f.draft}`, { title: 'x' }), expected: statuses(403, { ana: 400, bruno: 400 }) },
  { action: 'POST /proposals/:id/submit (already submitted: 409 for the owner)', request: (f) => post(`/proposals/${f.submitted}/submit`), expected: statuses(403, { ana: 409, bruno: 404 }) },
  { action: 'POST /proposals/:id/respond (nothing awaited: 409 for the owner)', request: (f) => post(`/proposals/${f.submitted}/respond`, { response: 'An answer' }), expected: statuses(403, { ana: 409, bruno: 404 }) },
  { action: 'POST /proposals/:id/withdraw (closed: 409 for the owner)', request: (f) => post(`/proposals/${f.rejected}/withdraw`, { reason: 'Too late' }), expected: statuses(403, { ana: 409, bruno: 404 }) },

  // --- GET /proposals, GET /proposals/:id, history: own agency; everyone else all.
  { action: 'GET /proposals', request: () => get('/proposals?pageSize=100'), expected: statuses(200) },
  { action: 'GET /proposals/:id (MINSAL)', request: (f) => get(`/proposals/${f.submitted}`), expected: statuses(200, { bruno: 404 }) },
  { action: 'GET /proposals/:id (MINEDUC)', request: (f) => get(`/proposals/${f.brunoDraft}`), expected: statuses(200, { ana: 404 }) },
  { action: 'GET /proposals/:id/history (MINSAL)', request: (f) => get(`/proposals/${f.submitted}/history`), expected: statuses(200, { bruno: 404 }) },

  // --- GET /tasks.
  { action: 'GET /tasks?scope=mine', request: () => get('/tasks?scope=mine'), expected: statuses(200, { ana: 403, bruno: 403 }) },
  { action: 'GET /tasks?scope=available', request: () => get('/tasks?scope=available'), expected: statuses(200, { ana: 403, bruno: 403 }) },
  { action: 'GET /tasks?scope=all', request: () => get('/tasks?scope=all'), expected: statuses(403, OVERSIGHT_COLUMNS) },

  // --- GET /tasks/:id: agencies 403; workers if eligible or holder (else the API answers 404,
  // which the README leaves open); supervisors, auditors and admins always.
  {
    action: 'GET /tasks/:id (technical review, carla holds it)',
    request: (f) => get(`/tasks/${f.trTask}`),
    expected: statuses(404, { ana: 403, bruno: 403, carla: 200, ...OVERSIGHT_COLUMNS }),
  },
  {
    action: 'GET /tasks/:id (cost-efficiency review, open and unassigned)',
    request: (f) => get(`/tasks/${f.ceTask}`),
    expected: statuses(404, { ana: 403, bruno: 403, elena: 200, ...OVERSIGHT_COLUMNS }),
  },
  {
    action: 'GET /tasks/:id (DIGITAL_HEAD approval, nicolas holds it)',
    request: (f) => get(`/tasks/${f.approvalTask}`),
    expected: statuses(404, { ana: 403, bruno: 403, nicolas: 200, ...OVERSIGHT_COLUMNS }),
  },

  // --- claim / decide: technical reviews, cost-efficiency reviews, approval at own level; 403 for
  // agencies, supervisors, auditors and admins. Gabriela is an approver too, so on an approval
  // task she is eligible (409: nicolas holds it). An eligible caller reaches the state (409) and
  // body (400) checks; an ineligible one gets 403 even when the task is closed. The holder
  // claiming again gets 409 ALREADY_APPLIED (the claim stands; test/e2e/holders.e2e-spec.ts).
  { action: 'POST /tasks/:id/claim (technical review carla holds)', request: (f) => post(`/tasks/${f.trTask}/claim`), expected: statuses(403, { carla: 409 }) },
  { action: 'POST /tasks/:id/decision (technical review, empty body)', request: (f) => post(`/tasks/${f.trTask}/decision`, {}), expected: statuses(403, { carla: 400 }) },
  { action: 'POST /tasks/:id/claim (cost-efficiency review)', request: (f) => post(`/tasks/${f.ceTask}/claim`), expected: statuses(403, { elena: 200 }) },
  { action: 'POST /tasks/:id/decision (cost-efficiency review, empty body)', request: (f) => post(`/tasks/${f.ceTask}/decision`, {}), expected: statuses(403, { elena: 400 }) },
  { action: 'POST /tasks/:id/claim (DIGITAL_HEAD approval held by nicolas)', request: (f) => post(`/tasks/${f.approvalTask}/claim`), expected: statuses(403, { nicolas: 409, gabriela: 409 }) },
  {
    action: 'POST /tasks/:id/decision (DIGITAL_HEAD approval held by nicolas, empty body)',
    request: (f) => post(`/tasks/${f.approvalTask}/decision`, {}),
    expected: statuses(403, { nicolas: 400, gabriela: 409 }),
  },
  { action: 'POST /tasks/:id/claim (closed DIGITAL_HEAD approval)', request: (f) => post(`/tasks/${f.rejectedApprovalTask}/claim`), expected: statuses(403, { nicolas: 409, gabriela: 409 }) },
  {
    action: 'POST /tasks/:id/decision (closed DIGITAL_HEAD approval)',
    request: (f) => post(`/tasks/${f.rejectedApprovalTask}/decision`, { decision: 'APPROVE', comment: 'Late' }),
    expected: statuses(403, { nicolas: 409, gabriela: 409 }),
  },
  // Separation of duties: no DIGITAL_HEAD approver may act on a proposal of their own agency.
  { action: 'POST /tasks/:id/claim (DIGITAL_HEAD approval of a DIGITAL proposal)', request: (f) => post(`/tasks/${f.digitalApprovalTask}/claim`), expected: statuses(403) },
  {
    action: 'POST /tasks/:id/decision (DIGITAL_HEAD approval of a DIGITAL proposal)',
    request: (f) => post(`/tasks/${f.digitalApprovalTask}/decision`, { decision: 'APPROVE', comment: 'Own agency' }),
    expected: statuses(403),
  },

  // --- assign: supervisor (to an eligible person) and admin.
  {
    // Each allowed assignment changes the holder (carla holds it): to diego, to jorge, back to carla.
    action: 'POST /tasks/:id/assign (technical review to diego, jorge, carla: eligible)',
    request: (f, who) => post(`/tasks/${f.trTask}/assign`, { userId: who === 'admin' ? f.userIds.carla : who === 'sam' ? f.userIds.jorge : f.userIds.diego }),
    expected: statuses(403, { gabriela: 200, sam: 200, admin: 200 }),
  },
  {
    action: 'POST /tasks/:id/assign (DIGITAL proposal’s approval to nicolas, not eligible)',
    request: (f) => post(`/tasks/${f.digitalApprovalTask}/assign`, { userId: f.userIds.nicolas }),
    expected: statuses(403, { gabriela: 422, sam: 422, admin: 422 }),
  },
  { action: 'POST /tasks/:id/assign (empty body)', request: (f) => post(`/tasks/${f.trTask}/assign`, {}), expected: statuses(403, { gabriela: 400, sam: 400, admin: 400 }) },
  { action: 'GET /tasks/:id/candidates', request: (f) => get(`/tasks/${f.trTask}/candidates`), expected: statuses(403, { gabriela: 200, sam: 200, admin: 200 }) },
  { action: 'GET /supervision/workload', request: () => get('/supervision/workload'), expected: statuses(403, { gabriela: 200, sam: 200, admin: 200 }) },

  // --- reference data: everyone reads; only admins publish, and /admin/* is theirs.
  { action: 'GET /policy', request: () => get('/policy'), expected: statuses(200) },
  { action: 'GET /standards', request: () => get('/standards'), expected: statuses(200) },
  { action: 'POST /policy/versions (empty body)', request: () => post('/policy/versions', {}), expected: statuses(403, { admin: 400 }) },
  { action: 'POST /standards/versions (empty body)', request: () => post('/standards/versions', {}), expected: statuses(403, { admin: 400 }) },
  { action: 'GET /admin/users', request: () => get('/admin/users'), expected: statuses(403, { admin: 200 }) },
  { action: 'POST /admin/users (empty body)', request: () => post('/admin/users', {}), expected: statuses(403, { admin: 400 }) },
  { action: 'PATCH /admin/users/:id (invalid body)', request: (f) => patch(`/admin/users/${f.userIds.sam}`, { roles: [] }), expected: statuses(403, { admin: 400 }) },
  { action: 'GET /admin/agencies', request: () => get('/admin/agencies'), expected: statuses(403, { admin: 200 }) },
  { action: 'POST /admin/agencies (empty body)', request: () => post('/admin/agencies', {}), expected: statuses(403, { admin: 400 }) },

  // --- oversight.
  { action: 'GET /audit/verify', request: () => get('/audit/verify'), expected: statuses(403, { lucia: 200, admin: 200 }) },
  { action: 'GET /audit/checkpoints', request: () => get('/audit/checkpoints'), expected: statuses(403, { lucia: 200, admin: 200 }) },
  { action: 'GET /audit/records', request: () => get('/audit/records'), expected: statuses(403, { lucia: 200, admin: 200 }) },
  { action: 'GET /audit/export', request: () => get('/audit/export'), expected: statuses(403, { lucia: 200, admin: 200 }) },
  { action: 'GET /audit/verifications', request: () => get('/audit/verifications'), expected: statuses(403, { lucia: 200, admin: 200 }) },
  { action: 'GET /audit/verifications/:id (unknown)', request: () => get('/audit/verifications/00000000-0000-4000-8000-000000000000'), expected: statuses(403, { lucia: 404, admin: 404 }) },
  { action: 'GET /audit/public-key', request: () => get('/audit/public-key'), expected: statuses(200) },
  { action: 'GET /outcomes', request: () => get('/outcomes?pageSize=100'), expected: statuses(200, { carla: 403 }) },
  { action: 'GET /outcomes/export.csv', request: () => get('/outcomes/export.csv'), expected: statuses(200, { carla: 403 }) },
  { action: 'GET /outcomes/verdicts.csv', request: () => get('/outcomes/verdicts.csv'), expected: statuses(200, { carla: 403 }) },
  { action: 'GET /reports/portfolio', request: () => get('/reports/portfolio'), expected: statuses(200, { ana: 403, bruno: 403, carla: 403 }) },
];

const ids = (items: { id?: string; proposalId?: string }[]) => items.map((i) => i.proposalId ?? i.id);

describe('access control: every cell of the README table "Who may do what"', () => {
  let stack: TestStack;
  let u: Record<Who | 'hector', ApiClient>;
  /** Created by the admin: a DIGITAL submitter, and a SEGPRES reviewer holding both review roles. */
  let dani: ApiClient;
  let rita: ApiClient;
  const f = { userIds: {} } as Fixtures;

  async function draft(who: ApiClient, data: ProposalData | { title: string }): Promise<string> {
    const res = await who.post('/proposals', data);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body.id as string;
  }

  async function submitLow(who: ApiClient, title: string): Promise<{ id: string; data: ProposalData }> {
    const data = lowProposal(title);
    const id = await draft(who, data);
    const res = await who.post(`/proposals/${id}/submit`);
    expect(res.status).toBe(202);
    return { id, data };
  }

  async function decide(who: ApiClient, proposalId: string, type: string, body: object): Promise<TaskRow> {
    const task = await availableTask(who, proposalId, type);
    const res = await who.post(`/tasks/${task.id}/decision`, body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return task;
  }

  async function reviewBoth(proposalId: string, data: ProposalData, technical: ApiClient): Promise<void> {
    await Promise.all([
      decide(technical, proposalId, 'TECHNICAL_REVIEW', meetsAll('TECHNICAL_REVIEW', data, 'LOW')),
      decide(u.elena, proposalId, 'COST_EFFICIENCY_REVIEW', meetsAll('COST_EFFICIENCY_REVIEW', data, 'LOW')),
    ]);
  }

  beforeAll(async () => {
    stack = await startTestStack();
    const demo = await loginAll(stack.baseUrl, ['ana', 'bruno', 'carla', 'elena', 'nicolas', 'gabriela', 'hector', 'lucia', 'admin']);
    const [sam, daniUser, ritaUser] = await Promise.all([
      createUser(demo.admin, 'sam.supervisor@digital.example', ['supervisor'], 'DIGITAL'),
      createUser(demo.admin, 'dani.submitter@digital.example', ['agency_submitter'], 'DIGITAL'),
      createUser(demo.admin, 'rita.reviewer@segpres.example', ['technical_reviewer', 'finance_reviewer'], 'SEGPRES'),
    ]);
    u = { ...demo, sam: sam.client };
    dani = daniUser.client;
    rita = ritaUser.client;
    f.userIds.sam = sam.id;
    f.userIds.carla = (await u.carla.get('/auth/me')).body.id;
    const reviewers = await loginAll(stack.baseUrl, ['diego', 'jorge']);
    f.userIds.diego = (await reviewers.diego.get('/auth/me')).body.id;
    f.userIds.jorge = (await reviewers.jorge.get('/auth/me')).body.id;
    f.userIds.nicolas = (await u.nicolas.get('/auth/me')).body.id;

    f.draft = await draft(u.ana, { title: 'MINSAL draft for access control' });
    f.brunoDraft = await draft(u.bruno, { title: 'MINEDUC draft for access control' });

    await Promise.all([
      (async () => {
        const { id } = await submitLow(u.ana, 'In review for access control');
        f.submitted = id;
        const [tr, ce] = await Promise.all([availableTask(u.carla, id, 'TECHNICAL_REVIEW'), availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW')]);
        [f.trTask, f.ceTask] = [tr.id, ce.id];
        expect((await u.carla.post(`/tasks/${tr.id}/claim`)).status).toBe(200);
      })(),
      (async () => {
        const { id, data } = await submitLow(u.ana, 'In approval for access control');
        f.inApproval = id;
        await reviewBoth(id, data, u.carla);
        f.approvalTask = (await availableTask(u.nicolas, id, 'APPROVAL', 'DIGITAL_HEAD')).id;
        expect((await u.nicolas.post(`/tasks/${f.approvalTask}/claim`)).status).toBe(200);
      })(),
      (async () => {
        const { id, data } = await submitLow(u.ana, 'Rejected for access control');
        f.rejected = id;
        await reviewBoth(id, data, u.carla);
        f.rejectedApprovalTask = (await decide(u.gabriela, id, 'APPROVAL', { decision: 'REJECT', comment: 'Not a priority' })).id;
        await waitForStatus(u.ana, id, 'REJECTED');
      })(),
      (async () => {
        // No demo technical reviewer may review a DIGITAL proposal (they are all DIGITAL): rita does.
        const { id, data } = await submitLow(dani, 'DIGITAL agency proposal for access control');
        f.digital = id;
        const [tr, ce] = await Promise.all([
          decide(rita, id, 'TECHNICAL_REVIEW', meetsAll('TECHNICAL_REVIEW', data, 'LOW')),
          decide(u.elena, id, 'COST_EFFICIENCY_REVIEW', meetsAll('COST_EFFICIENCY_REVIEW', data, 'LOW')),
        ]);
        [f.digitalTrTask, f.digitalCeTask] = [tr.id, ce.id];
        const approval = await eventually(
          async () => ((await u.gabriela.get(`/tasks?scope=all&proposalId=${id}&type=APPROVAL`)).body.items as TaskRow[])[0],
          { what: 'the approval task of the DIGITAL proposal' },
        );
        f.digitalApprovalTask = approval.id;
      })(),
    ]);
    // The outcome row is written with the REJECTED projection; wait until oversight reads it.
    await eventually(async () => (ids((await u.admin.get('/outcomes?pageSize=100')).body.items).includes(f.rejected) ? true : undefined), {
      what: 'the rejected outcome',
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('the matrix: one row of the README table per request, one status per role', () => {
    it.each(ROWS)('$action', async ({ request, expected }) => {
      const observed = {} as Statuses;
      // One caller after another: a row's requests may change state (claims, drafts).
      for (const who of WHO) {
        const { method, path, body } = request(f, who);
        observed[who] = (await u[who].request(method, path, body)).status;
      }
      const label = (s: Statuses) => Object.fromEntries(WHO.map((who) => [`${who} (${COLUMN[who]})`, s[who]]));
      expect(label(observed)).toEqual(label(expected));
    });
  });

  describe('agency scoping of proposals ("own agency" vs "all")', () => {
    it('an agency lists only its own proposals, whatever filter it sends', async () => {
      const ana = await u.ana.get('/proposals?pageSize=100');
      expect(ana.status).toBe(200);
      expect(ids(ana.body.items)).toEqual(expect.arrayContaining([f.draft, f.submitted, f.inApproval, f.rejected]));
      expect(ids(ana.body.items)).not.toContain(f.brunoDraft);
      expect(ids(ana.body.items)).not.toContain(f.digital);
      expect(new Set(ana.body.items.map((p: { agencyCode: string }) => p.agencyCode))).toEqual(new Set(['MINSAL']));

      const bruno = await u.bruno.get('/proposals?pageSize=100');
      expect(ids(bruno.body.items)).toContain(f.brunoDraft);
      expect(new Set(bruno.body.items.map((p: { agencyCode: string }) => p.agencyCode))).toEqual(new Set(['MINEDUC']));
      const probing = await u.bruno.get('/proposals?pageSize=100&agencyCode=MINSAL');
      expect(probing.status).toBe(200);
      expect(ids(probing.body.items)).not.toContain(f.submitted);
      expect(probing.body.items.every((p: { agencyCode: string }) => p.agencyCode === 'MINEDUC')).toBe(true);
    });

    it('another agency’s proposal is a 404 for every proposal route, never a 403', async () => {
      for (const id of [f.draft, f.submitted, f.rejected]) {
        expect((await u.bruno.get(`/proposals/${id}`)).status).toBe(404);
        expect((await u.bruno.get(`/proposals/${id}/history`)).status).toBe(404);
        expect((await u.bruno.patch(`/proposals/${id}`, { summary: 'Hijack' })).status).toBe(404);
        expect((await u.bruno.post(`/proposals/${id}/submit`)).status).toBe(404);
        expect((await u.bruno.post(`/proposals/${id}/respond`, { response: 'Hijack' })).status).toBe(404);
        expect((await u.bruno.post(`/proposals/${id}/withdraw`, { reason: 'Hijack' })).status).toBe(404);
      }
      // The same for a proposal that does not exist: ids cannot be probed.
      const missing = '00000000-0000-4000-8000-000000000000';
      expect((await u.bruno.get(`/proposals/${missing}`)).status).toBe(404);
      expect((await u.ana.get(`/proposals/${f.digital}`)).status).toBe(404);
      expect((await dani.get(`/proposals/${f.digital}`)).status).toBe(200);
    });

    it('every other role lists the proposals of every agency', async () => {
      for (const who of ['carla', 'elena', 'nicolas', 'gabriela', 'sam', 'lucia', 'admin'] as const) {
        const list = await u[who].get('/proposals?pageSize=100');
        expect({ who, status: list.status }).toEqual({ who, status: 200 });
        expect(ids(list.body.items)).toEqual(expect.arrayContaining([f.draft, f.submitted, f.brunoDraft, f.digital]));
      }
    });

    it('an agency does everything with its own proposal: PATCH 200, submit 202, respond 202, withdraw 202', async () => {
      const id = await draft(u.ana, { title: 'Own-agency lifecycle' });
      expect((await u.ana.patch(`/proposals/${id}`, { summary: 'Still incomplete' })).status).toBe(200);
      expect((await u.ana.post(`/proposals/${id}/submit`)).status).toBe(202);
      await waitForStatus(u.ana, id, 'RETURNED');
      expect((await u.carla.post(`/proposals/${id}/respond`, { response: 'Not theirs' })).status).toBe(403);
      expect((await u.bruno.post(`/proposals/${id}/respond`, { response: 'Not theirs' })).status).toBe(404);
      // The workflow accepts the answer as soon as the projection shows RETURNED: no retry.
      const answered = await u.ana.post(`/proposals/${id}/respond`, { response: 'Answered, still incomplete' });
      expect(answered.status).toBe(202);
      expect((await u.admin.post(`/proposals/${id}/withdraw`, { reason: 'Not theirs' })).status).toBe(403);
      expect((await u.ana.post(`/proposals/${id}/withdraw`, { reason: 'Merged elsewhere' })).status).toBe(202);
      await waitForStatus(u.ana, id, 'WITHDRAWN');

      const other = await draft(u.ana, { title: 'Withdrawn as a draft' });
      expect((await u.ana.post(`/proposals/${other}/withdraw`, { reason: 'Not needed' })).status).toBe(202);
    });
  });

  describe('tasks: offering, eligibility and separation of duties (the * of the table)', () => {
    it('scope=mine and scope=available show a worker only their own and eligible tasks', async () => {
      expect(ids((await u.nicolas.get('/tasks?scope=mine')).body.items)).toContain(f.inApproval);
      const carlaMine = (await u.carla.get('/tasks?scope=mine&pageSize=100')).body.items as TaskRow[];
      expect(carlaMine.map((t) => t.id)).toContain(f.trTask);
      const elenaAvailable = (await u.elena.get(`/tasks?scope=available&proposalId=${f.submitted}`)).body.items as TaskRow[];
      expect(elenaAvailable.every((t) => t.type === 'COST_EFFICIENCY_REVIEW')).toBe(true);
      for (const who of ['carla', 'elena', 'nicolas', 'gabriela'] as const) {
        const available = (await u[who].get('/tasks?scope=available&pageSize=100')).body.items as TaskRow[];
        // The open DIGITAL_HEAD approval of a DIGITAL proposal is offered to nobody at DIGITAL.
        expect({ who, offered: available.map((t) => t.id) }).toEqual({ who, offered: expect.not.arrayContaining([f.digitalApprovalTask]) });
      }
      for (const who of ['gabriela', 'sam', 'lucia', 'admin'] as const) {
        expect(((await u[who].get(`/tasks?scope=all&proposalId=${f.digital}`)).body.items as TaskRow[]).map((t) => t.id)).toContain(f.digitalApprovalTask);
      }
    });

    it('approval only at one’s own level: a BUDGET_DIRECTOR approver may not take a DIGITAL_HEAD task', async () => {
      // Hector is also the finance supervisor: he may read every task, but reading is not acting.
      expect((await u.hector.get(`/tasks/${f.approvalTask}`)).status).toBe(200);
      expect((await u.hector.post(`/tasks/${f.approvalTask}/claim`)).status).toBe(403);
      expect((await u.hector.post(`/tasks/${f.approvalTask}/decision`, { decision: 'APPROVE', comment: 'Wrong level' })).status).toBe(403);
    });

    it('never a proposal of one’s own agency: DIGITAL staff may not act on a DIGITAL proposal, even on a closed task', async () => {
      expect((await u.carla.post(`/tasks/${f.digitalTrTask}/claim`)).status).toBe(403);
      expect((await u.carla.post(`/tasks/${f.digitalTrTask}/decision`, {})).status).toBe(403);
      expect((await u.carla.get(`/tasks/${f.digitalTrTask}`)).status).toBe(404);
      for (const who of ['nicolas', 'gabriela'] as const) {
        expect({ who, status: (await u[who].post(`/tasks/${f.digitalApprovalTask}/claim`)).status }).toEqual({ who, status: 403 });
      }
      // Hacienda's finance reviewer is not DIGITAL: the closed task is a state conflict for her.
      expect((await u.elena.post(`/tasks/${f.digitalCeTask}/claim`)).status).toBe(409);
    });

    it('one stage per person: who reviewed technically may not review cost-efficiency (403 even once closed)', async () => {
      expect((await rita.get(`/tasks/${f.digitalTrTask}`)).status).toBe(200);
      expect((await rita.get(`/tasks/${f.digitalCeTask}`)).status).toBe(404);
      expect((await rita.post(`/tasks/${f.digitalCeTask}/claim`)).status).toBe(403);
      expect((await rita.post(`/tasks/${f.digitalCeTask}/decision`, {})).status).toBe(403);
      // On another proposal she is eligible for either review.
      expect((await rita.get(`/tasks/${f.ceTask}`)).status).toBe(200);
    });
  });

  describe('outcomes are scoped like proposals', () => {
    it('an agency sees its own outcomes (JSON and CSV); finance and oversight see all', async () => {
      const ana = await u.ana.get('/outcomes?pageSize=100');
      expect(ids(ana.body.items)).toContain(f.rejected);
      const bruno = await u.bruno.get('/outcomes?pageSize=100');
      expect(ids(bruno.body.items)).not.toContain(f.rejected);
      expect(ids((await u.bruno.get('/outcomes?pageSize=100&agencyCode=MINSAL')).body.items)).not.toContain(f.rejected);
      expect((await u.ana.get('/outcomes/export.csv')).body).toContain(f.rejected);
      expect((await u.ana.get('/outcomes/verdicts.csv')).body).toContain(f.rejected);
      expect((await u.bruno.get('/outcomes/export.csv')).body).not.toContain(f.rejected);
      expect((await u.bruno.get('/outcomes/verdicts.csv')).body).not.toContain(f.rejected);
      for (const who of ['elena', 'nicolas', 'gabriela', 'sam', 'lucia', 'admin'] as const) {
        expect({ who, ids: ids((await u[who].get('/outcomes?pageSize=100')).body.items) }).toEqual({ who, ids: expect.arrayContaining([f.rejected]) });
        expect({ who, csv: (await u[who].get('/outcomes/export.csv')).body }).toEqual({ who, csv: expect.stringContaining(f.rejected) });
      }
    });
  });

  describe('authentication comes first', () => {
    it('no token, a forged token, and a disabled user’s token are 401 on a protected route', async () => {
      const anon = new ApiClient(stack.baseUrl);
      expect((await anon.get('/proposals')).status).toBe(401);
      expect((await anon.get('/tasks?scope=all')).status).toBe(401);
      expect((await anon.post('/proposals', {})).status).toBe(401);
      expect((await anon.as('not-a-token').get('/policy')).status).toBe(401);

      const { id, client } = await createUser(u.admin, 'vera.leaving@minsal.example', ['agency_submitter'], 'MINSAL');
      expect((await client.get('/proposals')).status).toBe(200);
      expect((await u.admin.patch(`/admin/users/${id}`, { disabled: true })).status).toBe(200);
      expect((await client.get('/proposals')).status).toBe(401);
      expect((await client.post('/proposals', { title: 'After being disabled' })).status).toBe(401);
      expect((await anon.post('/auth/token', { email: 'vera.leaving@minsal.example', password: 'access-control-password' })).status).toBe(401);
    });
  });
});
