import { ApiClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(60_000);

/** What the API fuzzing (test/fuzz, npm run fuzz) found, each pinned as a regression test. */
describe('findings of the API fuzzing', () => {
  let stack: TestStack;
  let anon: ApiClient;
  let ana: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack({ withoutWorker: true });
    anon = new ApiClient(stack.baseUrl);
    ana = await anon.login('ana.torres@minsal.example');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 401 before looking at a body that is JSON but not an object', async () => {
    for (const body of ['null', '0', '"text"', '[]']) {
      const res = await anon.request('POST', '/proposals', body);
      expect(res.status).toBe(401);
    }
  });

  it('refuses a JSON body that is not an object with a 400 naming the body', async () => {
    for (const body of ['null', '0', '"text"', '[]']) {
      const res = await ana.request('POST', '/proposals', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body' }] });
    }
    expect((await ana.get('/proposals')).body.total).toBe(0);
  });

  it('answers 405 with Allow for a method the document does not list on a path it does', async () => {
    const res = await ana.request('PUT', '/health');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const put = await ana.request('DELETE', `/proposals/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`);
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, PATCH, HEAD');
    expect((await ana.request('PUT', '/no-such-thing')).status).toBe(404);
  });

  it('documents the problem responses and UUID path ids of every operation', async () => {
    const document = (await anon.get('/docs-json')).body;
    for (const [path, operations] of Object.entries<Record<string, any>>(document.paths)) {
      if (path === '/api/v1/health') continue; // its 503 is the health body itself
      for (const [method, operation] of Object.entries<any>(operations)) {
        const errors = Object.keys(operation.responses).filter((status) => status >= '400');
        for (const status of errors) expect(operation.responses[status].content?.['application/problem+json']).toBeDefined();
        if (operation.security) expect({ path, method, errors }).toEqual({ path, method, errors: expect.arrayContaining(['401']) });
        for (const parameter of operation.parameters ?? []) {
          if (parameter.in === 'path' && parameter.name === 'id') expect(parameter.schema.format).toBe('uuid');
        }
      }
    }
  });

  // Found by a full fuzz run with another seed: `risk.identityComponent: null` was accepted (and
  // stored as a third value of a yes/no answer) although the document says boolean.
  it('refuses null for a risk answer, as the document says, while null still clears the whole risk field', async () => {
    const flags = (await anon.get('/docs-json')).body.components.schemas.RiskDto.properties;
    for (const flag of ['novelTechnology', 'securityCritical', 'identityComponent']) expect(flags[flag]).toEqual({ type: 'boolean', example: false });

    const created = await ana.post('/proposals', { title: 'A null risk answer', risk: { identityComponent: null } });
    expect(created.status).toBe(400);
    expect(created.body.errors).toEqual([{ field: 'risk.identityComponent', message: 'identityComponent must be a boolean value' }]);

    const draft = await ana.post('/proposals', { title: 'Risk answered', risk: { identityComponent: true } });
    expect(draft.status).toBe(201);
    const patched = await ana.patch(`/proposals/${draft.body.id}`, { risk: { novelTechnology: null, securityCritical: false } });
    expect(patched.status).toBe(400);
    expect(patched.body.errors.map((e: { field: string }) => e.field)).toEqual(['risk.novelTechnology']);
    expect((await ana.get(`/proposals/${draft.body.id}`)).body.risk).toEqual({ identityComponent: true });

    const cleared = await ana.patch(`/proposals/${draft.body.id}`, { risk: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.risk).toBeUndefined();
  });
});
