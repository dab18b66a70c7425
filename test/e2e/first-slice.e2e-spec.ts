import { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES, temporalConnectionOptions, temporalDataConverter } from '../../libs/temporal';
import { ApiClient, eventually } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { testTemporalSecurity } from '../support/test-env';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(60_000);

describe('first vertical slice over HTTP on the real stack', () => {
  let stack: TestStack;
  let anon: ApiClient;
  let ana: ApiClient;
  let bruno: ApiClient;
  let carla: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack();
    anon = new ApiClient(stack.baseUrl);
    [ana, bruno, carla] = await Promise.all([
      anon.login('ana.torres@minsal.example'),
      anon.login('bruno.diaz@mineduc.example'),
      anon.login('carla.rojas@digital.example'),
    ]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reports both dependencies up', async () => {
    const res = await anon.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'up', temporal: 'up' } });
  });

  it('logs in with the seeded demo password and returns the user', async () => {
    const res = await anon.post('/auth/token', { email: 'ana.torres@minsal.example', password: 'demo-password' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600, user: { email: 'ana.torres@minsal.example', roles: ['agency_submitter'], agencyCode: 'MINSAL', approvalLevel: null } });
    const me = await anon.as(res.body.accessToken).get('/auth/me');
    expect(me.body).toEqual(res.body.user);
  });

  it('refuses a wrong password and a missing or forged token with 401 problem+json', async () => {
    const wrong = await anon.post('/auth/token', { email: 'ana.torres@minsal.example', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(wrong.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', correlationId: expect.any(String) });
    expect((await anon.get('/auth/me')).status).toBe(401);
    expect((await anon.as('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl').get('/auth/me')).status).toBe(401);
  });

  it('slows password guessing: after 3 failures for one e-mail from one address, 429 with a Retry-After that grows', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await anon.post('/auth/token', { email: 'olga.castro@hacienda.example', password: `guess-${i}` })).status).toBe(401);
    }
    const blocked = await anon.post('/auth/token', { email: 'olga.castro@hacienda.example', password: 'demo-password' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(blocked.body.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(10);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(15);
    expect((await anon.post('/auth/token', { email: 'ana.torres@minsal.example', password: 'demo-password' })).status).toBe(200);
  });

  it('serves the current standards catalogue', async () => {
    const res = await ana.get('/standards');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe('2026.1');
    expect(res.body.standards).toHaveLength(26);
    expect(res.body.standards[0]).toMatchObject({ code: 'SEC-01', area: 'security', mandatory: true });
    expect((await ana.get('/standards/versions/2026.1')).body.version).toBe('2026.1');
    expect((await ana.get('/standards/versions/1999.9')).status).toBe(404);
  });

  it('drafts a proposal whose tier and applicable standards follow its data while drafting', async () => {
    const created = await ana.post('/proposals', { title: 'Small internal tool', costs: [{ year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', amount: 10_000_000 }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'DRAFT', agencyCode: 'MINSAL', tier: 'LOW', requestedAmount: 10_000_000 });
    expect(created.body.tierReasons[0]).toMatch(/^tier LOW because/);
    const lowCodes = created.body.applicableStandards.map((s: { code: string }) => s.code);
    expect(lowCodes).not.toContain('SEC-03');

    const patched = await ana.patch(`/proposals/${created.body.id}`, { citizenFacing: true });
    expect(patched.status).toBe(200);
    expect(patched.body.tier).toBe('MEDIUM');
    expect(patched.body.title).toBe('Small internal tool');
    expect(patched.body.costs).toEqual([{ year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', amount: 10_000_000 }]);
    expect((await ana.patch(`/proposals/${created.body.id}`, { title: null })).status).toBe(400);
    const cleared = await ana.patch(`/proposals/${created.body.id}`, { costs: null });
    expect(cleared.body.costs).toBeUndefined();
    expect(cleared.body.title).toBe('Small internal tool');
    const mediumCodes = patched.body.applicableStandards.map((s: { code: string }) => s.code);
    expect(mediumCodes).toEqual(expect.arrayContaining(['SEC-03', 'IDN-01', 'SVC-01', 'SVC-04', 'CE-02']));
  });

  it('scopes proposals to the caller’s agency: another agency gets 404, reviewers see all', async () => {
    const created = await ana.post('/proposals', { title: 'Scoped proposal' });
    const id = created.body.id as string;
    expect((await bruno.get(`/proposals/${id}`)).status).toBe(404);
    expect((await bruno.patch(`/proposals/${id}`, { summary: 'hijack' })).status).toBe(404);
    expect((await bruno.post(`/proposals/${id}/submit`)).status).toBe(404);
    const brunoList = await bruno.get('/proposals?pageSize=100');
    expect(brunoList.body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    const anaList = await ana.get('/proposals?pageSize=100');
    expect(anaList.body.items.map((p: { id: string }) => p.id)).toContain(id);
    expect((await carla.get(`/proposals/${id}`)).status).toBe(200);
    expect((await carla.post('/proposals', { title: 'Reviewer cannot draft' })).status).toBe(403);
  });

  it('submits once: screening and triage run in the workflow and the projection shows the tier and its reasons', async () => {
    const created = await ana.post('/proposals', hospitalProposal());
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const submitted = await ana.post(`/proposals/${id}/submit`);
    expect(submitted.status).toBe(202);
    expect(submitted.body).toEqual({ id, status: 'SUBMITTED', workflowId: `proposal-${id}` });
    expect((await ana.post(`/proposals/${id}/submit`)).status).toBe(409);
    expect((await ana.patch(`/proposals/${id}`, { summary: 'too late' })).status).toBe(409);

    const triaged = await eventually(async () => {
      const res = await ana.get(`/proposals/${id}`);
      return res.body.status === 'IN_REVIEW' ? res.body : undefined;
    }, { what: 'the proposal to reach IN_REVIEW' });
    expect(triaged).toMatchObject({
      tier: 'MEDIUM',
      currentVersion: 1,
      catalogueVersion: '2026.1',
      policyVersion: (await ana.get('/policy')).body.version,
      stages: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'],
      route: { approvalLevels: ['DIGITAL_HEAD', 'BUDGET_DIRECTOR'] },
    });
    expect(triaged.tierReasons.join(' ')).toMatch(/public-facing|personal data/);

    const security = testTemporalSecurity();
    const connection = await Connection.connect(temporalConnectionOptions(security));
    try {
      // The projection is written by the activity; the workflow sets the attributes right after.
      const description = await eventually(async () => {
        const d = await new Client({ connection, dataConverter: temporalDataConverter(security) }).workflow.getHandle(`proposal-${id}`).describe();
        return d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status) === 'IN_REVIEW' ? d : undefined;
      }, { what: 'the status search attribute' });
      expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.tier)).toBe('MEDIUM');
      expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.agency)).toBe('MINSAL');
    } finally {
      await connection.close();
    }
  });

  it('returns an incomplete proposal from screening with the list of what is missing', async () => {
    const created = await ana.post('/proposals', { title: 'Missing almost everything', summary: 'A summary' });
    const id = created.body.id as string;
    expect((await ana.post(`/proposals/${id}/submit`)).status).toBe(202);
    const returned = await eventually(async () => {
      const res = await ana.get(`/proposals/${id}`);
      return res.body.status === 'RETURNED' ? res.body : undefined;
    }, { what: 'the proposal to be RETURNED' });
    const fields = returned.screeningIssues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['category', 'costs']));
  });

  describe('errors are problem+json, 4xx, and change nothing', () => {
    it('400 for unreadable JSON', async () => {
      const res = await ana.request('POST', '/proposals', '{"title": "broken",');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'body', message: 'body is not valid JSON' }] });
    });

    it('413 for a body over 1 MB', async () => {
      const res = await ana.post('/proposals', { title: 'Too large', summary: 'x'.repeat(1_100_000) });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('400 naming each bad field, including unknown ones and indexed paths', async () => {
      const before = (await ana.get('/proposals?pageSize=1')).body.total;
      const res = await ana.post('/proposals', {
        title: 'Bad',
        agencyCode: 'MINEDUC',
        costs: [{ year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', amount: -5 }],
        horizonYears: 3,
        benefits: [{ year: 4, amount: 1 }],
        selfAssessment: [{ standardCode: 'XXX-99', answer: 'MEETS' }],
      });
      expect(res.status).toBe(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['title', 'agencyCode', 'costs[0].amount']));
      expect((await ana.get('/proposals?pageSize=1')).body.total).toBe(before);

      const crossField = await ana.post('/proposals', {
        title: 'Years outside the horizon',
        horizonYears: 3,
        benefits: [{ year: 4, amount: 1 }],
        selfAssessment: [{ standardCode: 'XXX-99', answer: 'MEETS' }],
      });
      expect(crossField.status).toBe(400);
      expect(crossField.body.errors.map((e: { field: string }) => e.field)).toEqual(['benefits[0].year', 'selfAssessment[0].standardCode']);
    });

    it('400 for NUL characters anywhere, which PostgreSQL cannot store', async () => {
      const inQuery = await ana.get('/proposals?q=%00');
      expect(inQuery.status).toBe(400);
      expect(inQuery.body.errors).toEqual([{ field: 'q', message: 'q must not contain NUL characters' }]);
      const inBody = await ana.post('/proposals', { title: 'Has a \u0000 inside', costs: [{ year: 1, kind: 'CAPEX', category: 'OTHER', amount: 1, description: 'x\u0000' }] });
      expect(inBody.status).toBe(400);
      expect(inBody.body.errors.map((e: { field: string }) => e.field)).toEqual(['title', 'costs[0].description']);
    });

    it('400 for an invalid id and for pageSize over 100', async () => {
      expect((await ana.get('/proposals/not-a-uuid')).status).toBe(400);
      expect((await ana.get('/proposals?pageSize=101')).status).toBe(400);
    });

    it('404 problem for an unknown route', async () => {
      const res = await ana.get('/nowhere');
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });
  });

  it('serves the OpenAPI document', async () => {
    const res = await anon.get('/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/proposals', '/api/v1/proposals/{id}/submit', '/api/v1/auth/token']));
  });
});
