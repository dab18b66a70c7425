import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { loginAll } from '../support/demo-users';
import { waitForStatus } from '../support/evaluation-driver';
import { ApiClient } from '../support/http-client';
import { readableForms, temporalWorkflowShow } from '../support/temporal-cli';
import { testTemporalSecurity } from '../support/test-env';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(60_000);

/**
 * The codec endpoint (Temporal's codec-server protocol) on the real stack: what an administrator's
 * Temporal UI or CLI calls to show the encrypted history in clear, and nobody else may.
 */
const UI_ORIGIN = 'http://temporal-ui.example:8233';
const json = (text: string) => Buffer.from(text).toString('base64');
const plainPayload = (value: unknown) => ({ metadata: { encoding: json('json/plain') }, data: json(JSON.stringify(value)) });

describe('POST /codec/decode and /codec/encode', () => {
  let stack: TestStack;
  let u: Awaited<ReturnType<typeof loginAll>>;
  let adminToken: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { CODEC_CORS_ORIGINS: UI_ORIGIN } });
    u = await loginAll(stack.baseUrl, ['ana', 'lucia', 'admin']);
    const login = await new ApiClient(stack.baseUrl).post('/auth/token', { email: 'admin@digital.example', password: 'demo-password' });
    adminToken = login.body.accessToken as string;
  });
  afterAll(() => stack?.stop());

  it('encrypts with the newest key and decrypts for an admin; plain payloads pass as they are', async () => {
    const secret = { title: 'Ficha clínica compartida' };
    const encoded = await u.admin.post('/codec/encode', { payloads: [plainPayload(secret)] }, { 'x-namespace': 'default' });
    expect(encoded.status).toBe(200);
    const [payload] = encoded.body.payloads;
    expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(payload.metadata['encryption-key-id'], 'base64').toString()).toBe(testTemporalSecurity().codecKeys[0].id);
    expect(Buffer.from(payload.data, 'base64').toString()).not.toContain('clínica');

    const decoded = await u.admin.post('/codec/decode', { payloads: [payload, plainPayload('antes del códec')] }, { 'x-namespace': 'default' });
    expect(decoded.status).toBe(200);
    expect(decoded.body.payloads.map((p: { data: string }) => JSON.parse(Buffer.from(p.data, 'base64').toString()))).toEqual([secret, 'antes del códec']);
  });

  it('is for admins only: 401 without a token, 403 for any other role', async () => {
    const body = { payloads: [plainPayload(1)] };
    const anonymous = await new ApiClient(stack.baseUrl).post('/codec/decode', body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/application\/problem\+json/);
    for (const who of [u.ana, u.lucia]) {
      const refused = await who.post('/codec/decode', body);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect((await who.post('/codec/encode', body)).status).toBe(403);
    }
  });

  it('answers 400, naming the payload, for one it cannot decrypt or a body that is not the protocol', async () => {
    const foreign = { metadata: { encoding: json('binary/encrypted'), 'encryption-key-id': json('retired-long-ago') }, data: json('x'.repeat(64)) };
    const refused = await u.admin.post('/codec/decode', { payloads: [plainPayload(1), foreign] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'payloads[1]', message: expect.stringContaining('key "retired-long-ago", which is not configured') }]);
    for (const body of [{}, { payloads: 'x' }, { payloads: [{ data: 'not base64!' }] }, { payloads: [{ metadata: { encoding: '%%%' } }] }, { payloads: [], other: 1 }]) {
      const bad = await u.admin.post('/codec/decode', body);
      expect({ body, status: bad.status }).toEqual({ body, status: 400 });
    }
  });

  it('lets the configured Temporal UI origin through CORS, with the headers the UI sends, and no other origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.baseUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
      });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-headers')?.split(',')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-namespace']));
    const other = await preflight('https://elsewhere.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // The rest of the API keeps its own policy (CORS_ORIGINS, empty here).
    const api = await fetch(`${stack.baseUrl}/proposals`, { method: 'OPTIONS', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'GET' } });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('shows an evaluation\'s history in clear to the Temporal CLI given the endpoint and an admin token, and only then', async () => {
    const title = `Historia clínica ${Date.now()}`;
    const created = await u.ana.post('/proposals', hospitalProposal({ title }));
    expect((await u.ana.post(`/proposals/${created.body.id}/submit`)).status).toBe(202);
    await waitForStatus(u.ana, created.body.id, 'IN_REVIEW');
    const show = async (...extra: string[]) => readableForms(await temporalWorkflowShow(`proposal-${created.body.id}`, stack.config.temporal.namespace, extra));
    expect(await show()).not.toContain(title);
    expect(await show('--codec-endpoint', `${stack.baseUrl}/codec`, '--codec-auth', `Bearer ${adminToken}`)).toContain(title);
  });
});
