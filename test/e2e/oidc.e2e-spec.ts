import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { ApiClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(60_000);

const ISSUER = 'https://idp.gob.example';
const AUDIENCE = 'appraise';

/** An identity provider replaces local accounts by configuration: its JWKS, issuer and audience. */
describe('sign-in through an OpenID Connect provider (JWKS)', () => {
  let stack: TestStack;
  let jwksServer: Server;
  let privateKey: KeyLike;
  let otherKey: KeyLike;
  let anon: ApiClient;

  const token = (claims: Record<string, unknown>, options: { key?: KeyLike; issuer?: string; audience?: string; expiresIn?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.key === otherKey ? 'other' : 'idp-key-1' })
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setSubject('idp-user-42')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? privateKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    stack = await startTestStack({
      env: {
        OIDC_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        OIDC_ISSUER: ISSUER,
        OIDC_AUDIENCE: AUDIENCE,
        OIDC_AGENCY_CLAIM: 'gob.agency',
        AUTH_LOCAL_LOGIN: 'false',
      },
    });
    anon = new ApiClient(stack.baseUrl);
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => jwksServer?.close(resolve));
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
      await token(claims, { key: otherKey }),
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
