import { DEMO_EMAILS } from '../support/demo-users';
import { ApiClient } from '../support/http-client';
import { IDP_ISSUER, startIdentityProvider, type IdentityProvider } from '../support/identity-provider';
import { adminRecords, chainHead } from '../support/test-database';
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

  it('maps the provider’s claims to a user, roles and agency, provisioned on first sight and recorded', async () => {
    const head = await chainHead(stack.database.url);
    const jwt = await token({ email: 'Pia.Leiva@minsal.example', email_verified: true, name: 'Pía Leiva', roles: ['agency_submitter', 'not-a-role'], gob: { agency: 'MINSAL' } }, { subject: 'pia' });
    const me = await anon.as(jwt).get('/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'pia.leiva@minsal.example', name: 'Pía Leiva', roles: ['agency_submitter'], agencyCode: 'MINSAL', approvalLevel: null });
    const created = await anon.as(jwt).post('/proposals', { title: 'Drafted by an IdP user' });
    expect(created.status).toBe(201);
    expect(created.body.agencyCode).toBe('MINSAL');

    const promoted = await token({ email: 'pia.leiva@minsal.example', email_verified: 'true', name: 'Pía Leiva', roles: 'agency_submitter auditor', gob: { agency: 'MINSAL' } }, { subject: 'pia' });
    const again = await anon.as(promoted).get('/auth/me');
    expect(again.body.id).toBe(me.body.id);
    expect(again.body.roles).toEqual(['agency_submitter', 'auditor']);
    // The same claims again change nothing, and record nothing.
    expect((await anon.as(promoted).get('/auth/me')).status).toBe(200);

    const identity = { issuer: IDP_ISSUER, subject: 'pia' };
    expect((await adminRecords(stack.database.url, head)).map(({ actor, type, data }) => ({ actor, type, data }))).toEqual([
      {
        actor: `identity-provider:${IDP_ISSUER}`,
        type: 'USER_PROVISIONED',
        data: { userId: me.body.id, email: 'pia.leiva@minsal.example', name: 'Pía Leiva', roles: ['agency_submitter'], agencyCode: 'MINSAL', approvalLevel: null, ...identity },
      },
      {
        actor: `identity-provider:${IDP_ISSUER}`,
        type: 'USER_UPDATED_BY_PROVIDER',
        data: { userId: me.body.id, email: 'pia.leiva@minsal.example', ...identity, before: { roles: ['agency_submitter'] }, after: { roles: ['agency_submitter', 'auditor'] } },
      },
    ]);
  });

  it('refuses an e-mail the provider has not verified, saying so', async () => {
    const claims = { email: 'unverified@minsal.example', roles: ['auditor'], gob: { agency: 'MINSAL' } };
    for (const verified of [undefined, false, 'false', 'yes']) {
      const res = await anon.as(await token({ ...claims, email_verified: verified }, { subject: 'unverified' })).get('/auth/me');
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/not verified the e-mail unverified@minsal\.example \(its claim email_verified is not true\)/);
    }
    expect((await adminRecords(stack.database.url)).filter((r) => r.data.email === 'unverified@minsal.example')).toEqual([]);
  });

  it('never hands a local account to the provider by its e-mail: refused until an admin links them, and its roles stay', async () => {
    const head = await chainHead(stack.database.url);
    // An administrator who signs in through the provider (local sign-in is off here).
    const boss = anon.as(await token({ email: 'jefa@digital.example', email_verified: true, name: 'Jefa', roles: ['admin'], gob: { agency: 'DIGITAL' } }, { subject: 'jefa' }));
    const users = (await boss.get('/admin/users?pageSize=100')).body.items as { id: string; email: string; roles: string[]; agencyCode: string; approvalLevel: string | null }[];
    const nicolas = users.find((x) => x.email === DEMO_EMAILS.nicolas)!;
    expect(nicolas).toMatchObject({ roles: ['approver'], agencyCode: 'DIGITAL', approvalLevel: 'DIGITAL_HEAD' });

    // Someone at the provider with the approver's e-mail, asking for more.
    const claims = { email: DEMO_EMAILS.nicolas, email_verified: true, name: 'Impostor', roles: ['admin', 'approver'], gob: { agency: 'MINSAL' }, approval_level: 'BUDGET_DIRECTOR' };
    const refused = await anon.as(await token(claims, { subject: 'nicolas-at-idp' })).get('/auth/me');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/belongs to an account this identity provider’s person is not linked to: an administrator must link them/);
    const untouched = (await boss.get('/admin/users?pageSize=100')).body.items.find((x: { id: string }) => x.id === nicolas.id);
    expect(untouched).toMatchObject({ name: 'Nicolás Reyes', roles: ['approver'], agencyCode: 'DIGITAL', approvalLevel: 'DIGITAL_HEAD' });

    // The admin links the provider's person to the account.
    const link = { issuer: IDP_ISSUER, subject: 'nicolas-at-idp' };
    expect((await boss.post(`/admin/users/${nicolas.id}/identity`, { ...link, issuer: 'https://evil.example' })).status).toBe(400);
    expect((await boss.post('/admin/users/00000000-0000-4000-8000-000000000000/identity', link)).status).toBe(404);
    const linked = await boss.post(`/admin/users/${nicolas.id}/identity`, link);
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({ userId: nicolas.id, ...link, provisioned: false });
    expect((await boss.post(`/admin/users/${nicolas.id}/identity`, link)).status).toBe(409);
    expect((await boss.post(`/admin/users/${nicolas.id}/identity`, { ...link, subject: 'another' })).status).toBe(409);

    // Now he signs in through the provider, as the account the admins keep: the claims change nothing.
    const me = await anon.as(await token(claims, { subject: 'nicolas-at-idp' })).get('/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: nicolas.id, name: 'Nicolás Reyes', roles: ['approver'], agencyCode: 'DIGITAL', approvalLevel: 'DIGITAL_HEAD' });
    // Another person at the provider with the same e-mail is still refused.
    expect((await anon.as(await token(claims, { subject: 'someone-else' })).get('/auth/me')).status).toBe(403);

    // A link can be undone (the wrong person linked); the provider's own accounts keep theirs.
    const jefa = (await boss.get('/auth/me')).body.id as string;
    expect((await boss.request('DELETE', `/admin/users/${jefa}/identity`)).status).toBe(409);
    expect((await boss.request('DELETE', `/admin/users/${nicolas.id}/identity`)).status).toBe(204);
    expect((await boss.request('DELETE', `/admin/users/${nicolas.id}/identity`)).status).toBe(409);
    expect((await anon.as(await token(claims, { subject: 'nicolas-at-idp' })).get('/auth/me')).status).toBe(403);
    expect((await boss.post(`/admin/users/${nicolas.id}/identity`, link)).status).toBe(201);

    const records = (await adminRecords(stack.database.url, head)).map(({ actor, type, data }) => ({ actor, type, email: data.email }));
    expect(records).toEqual([
      { actor: `identity-provider:${IDP_ISSUER}`, type: 'USER_PROVISIONED', email: 'jefa@digital.example' },
      { actor: 'jefa@digital.example', type: 'IDENTITY_LINKED', email: DEMO_EMAILS.nicolas },
      { actor: 'jefa@digital.example', type: 'IDENTITY_UNLINKED', email: DEMO_EMAILS.nicolas },
      { actor: 'jefa@digital.example', type: 'IDENTITY_LINKED', email: DEMO_EMAILS.nicolas },
    ]);
    expect((await boss.get('/audit/verify')).body).toMatchObject({ ok: true });
  });

  it('refuses a wrong signature, issuer, audience, expiry or unknown agency', async () => {
    const claims = { email: 'x@minsal.example', email_verified: true, roles: ['auditor'], gob: { agency: 'MINSAL' } };
    const refused = [
      await token(claims, { foreignKey: true }),
      await token(claims, { audience: 'someone-else' }),
      await token(claims, { expiresIn: '-1m' }),
      await token({ ...claims, gob: { agency: 'NOWHERE' } }),
      await token({ email_verified: true, roles: ['auditor'], gob: { agency: 'MINSAL' } }),
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
