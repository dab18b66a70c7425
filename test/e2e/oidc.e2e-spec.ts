import { ApiClient } from '../support/http-client';
import { startIdentityProvider, type IdentityProvider } from '../support/identity-provider';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(60_000);

/** An identity provider replaces local accounts by configuration: its JWKS, issuer and audience. */
describe('sign-in through an OpenID Connect provider (JWKS)', () => {
  let stack: TestStack;
  let idp: IdentityProvider;
  let anon: ApiClient;

  const token: IdentityProvider['token'] = (claims, options) => idp.token(claims, options);

  beforeAll(async () => {
    idp = await startIdentityProvider();
    stack = await startTestStack({ env: { ...idp.env, OIDC_AGENCY_CLAIM: 'gob.agency', AUTH_LOCAL_LOGIN: 'false' } });
    anon = new ApiClient(stack.baseUrl);
  });

  afterAll(async () => {
    await stack?.stop();
    await idp?.stop();
  });

  it('maps the provider’s claims to a user, roles and agency, provisioned on first sight', async () => {
    const jwt = await token({ email: 'Pia.Leiva@minsal.example', name: 'Pía Leiva', roles: ['agency_submitter', 'not-a-role'], gob: { agency: 'MINSAL' } });
    const me = await anon.as(jwt).get('/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'pia.leiva@minsal.example', name: 'Pía Leiva', roles: ['agency_submitter'], agencyCode: 'MINSAL', approvalLevel: null });
    const created = await anon.as(jwt).post('/proposals', { title: 'Drafted by an IdP user' });
    expect(created.status).toBe(201);
    expect(created.body.agencyCode).toBe('MINSAL');

    const promoted = await token({ email: 'pia.leiva@minsal.example', roles: 'agency_submitter auditor', gob: { agency: 'MINSAL' } });
    const again = await anon.as(promoted).get('/auth/me');
    expect(again.body.id).toBe(me.body.id);
    expect(again.body.roles).toEqual(['agency_submitter', 'auditor']);
  });

  it('refuses a wrong signature, issuer, audience, expiry or unknown agency', async () => {
    const claims = { email: 'x@minsal.example', roles: ['auditor'], gob: { agency: 'MINSAL' } };
    const refused = [
      await token(claims, { foreignKey: true }),
      await token(claims, { audience: 'someone-else' }),
      await token(claims, { expiresIn: '-1m' }),
      await token({ ...claims, gob: { agency: 'NOWHERE' } }),
      await token({ roles: ['auditor'], gob: { agency: 'MINSAL' } }),
    ];
    for (const jwt of refused) expect((await anon.as(jwt).get('/auth/me')).status).toBe(401);
    // Another issuer is not the provider: it is checked as one of our own tokens, and fails.
    expect((await anon.as(await token(claims, { issuer: 'https://evil.example' })).get('/auth/me')).status).toBe(401);
  });

  it('turns local sign-in off by configuration', async () => {
    const res = await anon.post('/auth/token', { email: 'ana.torres@minsal.example', password: 'demo-password' });
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/identity provider/);
  });
});
