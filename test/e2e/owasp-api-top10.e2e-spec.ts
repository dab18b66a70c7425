import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { Client } from 'pg';
import { IS_PUBLIC, REQUIRED_ROLES } from '../../apps/api/src/auth/auth.decorators';
import { API_PREFIX, createApiApp } from '../../apps/api/src/app.factory';
import { TokenService } from '../../libs/auth';
import { ROLES, type ProposalData, type Role } from '../../libs/domain';
import { DEMO_EMAILS, loginAll, type DemoName } from '../support/demo-users';
import { availableTask, lowProposal, meetsAll, submitted, waitForStatus } from '../support/evaluation-driver';
import { ApiClient, type HttpResponse } from '../support/http-client';
import { IDP_AUDIENCE, IDP_ISSUER, startIdentityProvider, type IdentityProvider } from '../support/identity-provider';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(120_000);

/**
 * The OWASP API Security Top 10 (2023), item by item, for what no other test proves already
 * (docs/SECURITY.md names, for each item, these tests and the others). Everything runs over HTTP
 * against the whole stack; the route inventory is read from the running application itself.
 */

/** The origin a deployment lets call the API from a browser (CORS_ORIGINS). */
const PORTAL_ORIGIN = 'https://portal.gob.example';

/** The routes anyone may call without a token: a reviewed list, so a new public route fails here until it is added. */
const PUBLIC_OPERATIONS = ['post /api/v1/auth/token', 'get /api/v1/auth/options', 'get /api/v1/health', 'get /api/v1/audit/public-key', 'get /api/v1/mail/unsubscribe', 'post /api/v1/mail/unsubscribe'];

/** A caller holding exactly one role, for each role (sam, the supervisor, is created: the demo supervisors are approvers too). */
const ONE_ROLE: Record<Role, DemoName | 'sam'> = {
  agency_submitter: 'ana',
  technical_reviewer: 'carla',
  finance_reviewer: 'elena',
  approver: 'irene',
  supervisor: 'sam',
  auditor: 'lucia',
  admin: 'admin',
};

/** A route the application serves, as the controllers declare it. */
interface DeclaredRoute {
  /** `get /api/v1/proposals/{id}`, as the OpenAPI document spells it. */
  operation: string;
  isPublic: boolean;
  /** The roles the guard asks for; empty: any signed-in user. */
  roles: Role[];
}

const HTTP_METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

const openApiPath = (...parts: string[]) =>
  `/${parts.flatMap((p) => p.split('/')).filter(Boolean).join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Every handler of every controller, with the metadata the guard reads (a method's own overrides its class's). */
function declaredRoutes(app: NestExpressApplication): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = HTTP_METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        if (path === undefined || !method) continue;
        const isPublic = (Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller) ?? false) as boolean;
        const roles = (Reflect.getMetadata(REQUIRED_ROLES, handler) ?? Reflect.getMetadata(REQUIRED_ROLES, controller) ?? []) as Role[];
        routes.push({ operation: `${method} ${openApiPath(API_PREFIX, base, path)}`, isPublic, roles });
      }
    }
  }
  return routes;
}

/** What Express answers: every route registered on its router under the API base (not the documentation's own). */
function servedOperations(app: NestExpressApplication): string[] {
  type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> } };
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
  const served = new Set<string>();
  for (const layer of router.stack) {
    if (!layer.route) continue;
    for (const path of [layer.route.path].flat()) {
      if (!path.startsWith(`/${API_PREFIX}/`) || path.startsWith(`/${API_PREFIX}/docs`)) continue;
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') served.add(`${method} ${openApiPath(path)}`);
    }
  }
  return [...served].sort();
}

/** The document's operations, as `method path`. */
function documentedOperations(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  const methods = ['get', 'put', 'post', 'delete', 'patch'];
  return Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).filter((m) => methods.includes(m)).map((m) => `${m} ${path}`))
    .sort();
}

/** Fills the path's parameters with ids that parse (a version for the catalogue). */
const concretePath = (path: string) => path.replace(`/${API_PREFIX}`, '').replace(/\{version\}/g, '2026.1').replace(/\{[^}]+\}/g, randomUUID());

/** The fields a problem names. */
const fieldsOf = (res: HttpResponse) => ((res.body?.errors ?? []) as { field: string }[]).map((e) => e.field);

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into.push(key);
      keysOf(inner, into);
    }
  }
  return into;
}

/** An HTTP listener that only counts what reaches it: the place a server-side request would land. */
async function startListener(): Promise<{ url: string; requests: string[]; stop(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('OWASP API Security Top 10 (2023)', () => {
  let stack: TestStack;
  let idp: IdentityProvider;
  let listener: Awaited<ReturnType<typeof startListener>>;
  let anon: ApiClient;
  let u: Record<DemoName | 'sam', ApiClient>;
  let samId: string;
  /** The application whose routes are walked: the stack's own, or (scale-out) one built alike. */
  let app: NestExpressApplication;
  let ownApp: NestExpressApplication | null = null;
  let document: { paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema?: { maximum?: number } }[] }>> };
  let declared: DeclaredRoute[];

  beforeAll(async () => {
    [idp, listener] = await Promise.all([startIdentityProvider(), startListener()]);
    stack = await startTestStack({ env: { ...idp.env, CORS_ORIGINS: PORTAL_ORIGIN } });
    anon = new ApiClient(stack.baseUrl);
    const demo = await loginAll(stack.baseUrl, ['ana', 'bruno', 'carla', 'elena', 'irene', 'gabriela', 'nicolas', 'lucia', 'admin']);
    const password = randomBytes(18).toString('base64url');
    const created = await demo.admin.post('/admin/users', { email: 'sam.solo@digital.example', name: 'Sam Solo', password, roles: ['supervisor'], agencyCode: 'DIGITAL' });
    expect(created.status).toBe(201);
    samId = created.body.id;
    u = { ...demo, sam: await anon.login('sam.solo@digital.example', password) };
    if (stack.app) app = stack.app;
    else {
      ownApp = await createApiApp(stack.config);
      await ownApp.init();
      app = ownApp;
    }
    declared = declaredRoutes(app);
    document = (await anon.get('/docs-json')).body;
  });

  afterAll(async () => {
    await ownApp?.close();
    await stack?.stop();
    await Promise.all([idp?.stop(), listener?.stop()]);
  });

  describe('API1 broken object level authorization', () => {
    it('keeps an Idempotency-Key per user: another agency sending the same key gets its own proposal, never the first caller’s', async () => {
      const key = `bola-${randomUUID()}`;
      const body = { title: 'Same key, two agencies' };
      const first = await u.ana.post('/proposals', body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      const second = await u.bruno.post('/proposals', body, { 'idempotency-key': key });
      expect(second.status).toBe(201);
      expect(second.headers.get('idempotent-replayed')).toBeNull();
      expect(second.body).toMatchObject({ agencyCode: 'MINEDUC' });
      expect(second.body.id).not.toBe(first.body.id);
      expect((await u.bruno.get(`/proposals/${first.body.id}`)).status).toBe(404);
    });

    it('searches only within the caller’s agency: another agency’s title is not found by text', async () => {
      const title = `Registro clínico confidencial ${randomBytes(4).toString('hex')}`;
      const own = await u.ana.post('/proposals', { title });
      expect(own.status).toBe(201);
      const q = encodeURIComponent(title);
      expect((await u.ana.get(`/proposals?q=${q}`)).body.items.map((p: { id: string }) => p.id)).toEqual([own.body.id]);
      const probe = await u.bruno.get(`/proposals?q=${q}`);
      expect(probe.status).toBe(200);
      expect(probe.body).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('API2 broken authentication', () => {
    let anaId: string;
    const secret = () => new TextEncoder().encode(stack.config.auth.jwtSecret);
    const issuer = () => stack.config.auth.jwtIssuer;
    const now = () => Math.floor(Date.now() / 1000);
    const meStatus = async (token: string) => (await anon.as(token).get('/auth/me')).status;

    beforeAll(async () => {
      anaId = (await u.ana.get('/auth/me')).body.id;
    });

    it('takes a token the API signed, and refuses every forgery of one: alg none, another key, another algorithm, expired, another issuer or audience, an unknown subject', async () => {
      const own = new TokenService(stack.config.auth.jwtSecret, issuer(), 60);
      expect(await meStatus(await own.sign(anaId))).toBe(200);
      const claims = (sub = anaId) => new SignJWT({}).setSubject(sub).setIssuer(issuer()).setAudience(issuer()).setIssuedAt();
      const rsa = await generateKeyPair('RS256');
      const forgeries: Record<string, string> = {
        'alg none': new UnsecuredJWT({}).setSubject(anaId).setIssuer(issuer()).setAudience(issuer()).setIssuedAt().setExpirationTime('5m').encode(),
        'another secret': await claims().setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode('another-secret-of-enough-length-1234')),
        'HS512 with the right secret': await claims().setProtectedHeader({ alg: 'HS512' }).setExpirationTime('5m').sign(secret()),
        'RS256 with a key of its own': await claims().setProtectedHeader({ alg: 'RS256' }).setExpirationTime('5m').sign(rsa.privateKey),
        expired: await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(anaId).setIssuer(issuer()).setAudience(issuer()).setIssuedAt(now() - 120).setExpirationTime(now() - 60).sign(secret()),
        'not valid yet': await claims().setProtectedHeader({ alg: 'HS256' }).setNotBefore(now() + 600).setExpirationTime('20m').sign(secret()),
        'another issuer': await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(anaId).setIssuer('someone-else').setAudience(issuer()).setExpirationTime('5m').sign(secret()),
        'another audience': await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(anaId).setIssuer(issuer()).setAudience('someone-else').setExpirationTime('5m').sign(secret()),
        'a user that does not exist': await claims(randomUUID()).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(secret()),
        'a subject that is not a user id': await claims('admin').setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(secret()),
        'an altered payload': (await own.sign(anaId)).replace(/^([^.]+)\.[^.]+\./, (_m, header: string) => `${header}.${Buffer.from(JSON.stringify({ sub: samId, iss: issuer(), aud: issuer(), exp: now() + 300 })).toString('base64url')}.`),
      };
      const observed = Object.fromEntries(await Promise.all(Object.entries(forgeries).map(async ([name, token]) => [name, await meStatus(token)] as const)));
      expect(observed).toEqual(Object.fromEntries(Object.keys(forgeries).map((name) => [name, 401])));
    });

    it('reads the token from the Authorization header only: not from the query, a cookie, or another scheme', async () => {
      const token = await new TokenService(stack.config.auth.jwtSecret, issuer(), 60).sign(anaId);
      expect((await anon.get(`/auth/me?access_token=${token}`)).status).not.toBe(200);
      expect((await anon.request('GET', '/auth/me', undefined, { cookie: `access_token=${token}` })).status).toBe(401);
      expect((await anon.request('GET', '/auth/me', undefined, { authorization: `Basic ${token}` })).status).toBe(401);
      expect((await anon.request('GET', '/auth/me', undefined, { authorization: `Bearer ${token} ${token}` })).status).toBe(401);
    });

    it('trusts no privilege in the token: a role taken away stops working at once, with the same token', async () => {
      const password = randomBytes(18).toString('base64url');
      const created = await u.admin.post('/admin/users', { email: 'temporary.admin@digital.example', name: 'Temporary admin', password, roles: ['admin'], agencyCode: 'DIGITAL' });
      expect(created.status).toBe(201);
      const temporary = await anon.login('temporary.admin@digital.example', password);
      expect((await temporary.get('/admin/users')).status).toBe(200);
      expect((await u.admin.patch(`/admin/users/${created.body.id}`, { roles: ['auditor'] })).status).toBe(200);
      expect((await temporary.get('/admin/users')).status).toBe(403);
      expect((await temporary.get('/audit/verify')).status).toBe(200);
    });

    it('tells nobody which e-mails have accounts: an unknown e-mail and a wrong password get the same answer', async () => {
      const unknown = await anon.post('/auth/token', { email: 'nobody.here@minsal.example', password: 'a-wrong-password' });
      const wrong = await anon.post('/auth/token', { email: DEMO_EMAILS.bruno, password: 'a-wrong-password' });
      const shape = (res: HttpResponse) => ({ status: res.status, code: res.body.code, title: res.body.title, detail: res.body.detail });
      expect(shape(unknown)).toEqual(shape(wrong));
      expect(unknown.status).toBe(401);
    });

    // Login limits (per e-mail and address, progressive delay, TRUST_PROXY): test/e2e/login-limits.e2e-spec.ts.
  });

  describe('API3 broken object property level authorization', () => {
    let draft: string;
    const createdPassword = randomBytes(18).toString('base64url');

    beforeAll(async () => {
      draft = (await u.ana.post('/proposals', { title: 'Property-level probe' })).body.id;
    });

    it('refuses every property a caller may not set, naming it, in proposal bodies', async () => {
      const cases: [string, () => Promise<HttpResponse>, string][] = [
        ['create with an id', () => u.ana.post('/proposals', { title: 'Chosen id', id: randomUUID() }), 'id'],
        ['create with a tier', () => u.ana.post('/proposals', { title: 'Chosen tier', tier: 'LOW' }), 'tier'],
        ['create with a version', () => u.ana.post('/proposals', { title: 'Chosen version', currentVersion: 7 }), 'currentVersion'],
        ['PATCH the agency', () => u.ana.patch(`/proposals/${draft}`, { agencyCode: 'MINEDUC' }), 'agencyCode'],
        ['PATCH the status', () => u.ana.patch(`/proposals/${draft}`, { status: 'APPROVED' }), 'status'],
        ['PATCH the id', () => u.ana.patch(`/proposals/${draft}`, { id: randomUUID() }), 'id'],
        ['PATCH the outcome', () => u.ana.patch(`/proposals/${draft}`, { outcome: { decision: 'APPROVED' } }), 'outcome'],
        ['respond changing the agency', () => u.ana.post(`/proposals/${draft}/respond`, { response: 'Moved', changes: { agencyCode: 'MINEDUC' } }), 'changes.agencyCode'],
        ['respond changing the status', () => u.ana.post(`/proposals/${draft}/respond`, { response: 'Done', changes: { status: 'APPROVED' } }), 'changes.status'],
      ];
      for (const [name, send, field] of cases) {
        const res = await send();
        expect({ name, status: res.status, fields: fieldsOf(res) }).toEqual({ name, status: 400, fields: expect.arrayContaining([field]) });
      }
      expect((await u.ana.get(`/proposals/${draft}`)).body).toMatchObject({ agencyCode: 'MINSAL', status: 'DRAFT', title: 'Property-level probe' });
    });

    it('refuses every property an admin may not set, naming it, in user bodies', async () => {
      const user = { email: 'pedro.ramos@minsal.example', name: 'Pedro Ramos', password: createdPassword, roles: ['agency_submitter'], agencyCode: 'MINSAL' };
      const cases: [string, () => Promise<HttpResponse>, string][] = [
        ['create with a password hash', () => u.admin.post('/admin/users', { ...user, passwordHash: 'scrypt$forged' }), 'passwordHash'],
        ['create with an id', () => u.admin.post('/admin/users', { ...user, id: randomUUID() }), 'id'],
        ['create with a creation time', () => u.admin.post('/admin/users', { ...user, createdAt: '2020-01-01T00:00:00.000Z' }), 'createdAt'],
        ['PATCH a password hash', () => u.admin.patch(`/admin/users/${samId}`, { passwordHash: 'scrypt$forged' }), 'passwordHash'],
        ['PATCH the e-mail', () => u.admin.patch(`/admin/users/${samId}`, { email: 'someone.else@digital.example' }), 'email'],
        ['PATCH the id', () => u.admin.patch(`/admin/users/${samId}`, { id: randomUUID() }), 'id'],
        ['sign in asking for roles', () => anon.post('/auth/token', { email: DEMO_EMAILS.ana, password: 'demo-password', roles: ['admin'] }), 'roles'],
      ];
      for (const [name, send, field] of cases) {
        const res = await send();
        expect({ name, status: res.status, fields: fieldsOf(res) }).toEqual({ name, status: 400, fields: expect.arrayContaining([field]) });
      }
      expect((await u.sam.get('/auth/me')).body).toMatchObject({ email: 'sam.solo@digital.example', roles: ['supervisor'] });
    });

    it('never answers with a password, its hash or a secret: every view of users, walked key by key', async () => {
      const created = await u.admin.post('/admin/users', { email: 'pedro.ramos@minsal.example', name: 'Pedro Ramos', password: createdPassword, roles: ['agency_submitter'], agencyCode: 'MINSAL' });
      expect(created.status).toBe(201);
      const changed = await u.admin.patch(`/admin/users/${created.body.id}`, { password: `${createdPassword}-2`, name: 'Pedro Ramos Soto' });
      expect(changed.status).toBe(200);
      const login = await anon.post('/auth/token', { email: 'pedro.ramos@minsal.example', password: `${createdPassword}-2` });
      expect(login.status).toBe(200);
      const views: HttpResponse[] = [created, changed, login, await anon.as(login.body.accessToken).get('/auth/me'), await u.sam.get('/supervision/workload')];
      for (let page = 1; ; page += 1) {
        const res = await u.admin.get(`/admin/users?page=${page}&pageSize=100`);
        expect(res.status).toBe(200);
        views.push(res);
        if (page * 100 >= res.body.total) break;
      }
      const task = await availableTask(u.carla, (await submitLow(u.ana, 'Candidates probe')).id, 'TECHNICAL_REVIEW');
      views.push(await u.gabriela.get(`/tasks/${task.id}/candidates`));
      for (const view of views) {
        expect(view.status).toBeLessThan(300);
        const text = JSON.stringify(view.body);
        expect(keysOf(view.body).filter((key) => /password|secret|salt|hash/i.test(key))).toEqual([]);
        for (const secret of [createdPassword, stack.config.auth.jwtSecret, 'scrypt$']) expect(text).not.toContain(secret);
      }
    });
  });

  describe('API4 unrestricted resource consumption', () => {
    it('caps pageSize at 100 on every paged list of the document, which says so', async () => {
      const paged = Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([method, op]) => method === 'get' && (op.parameters ?? []).some((p) => p.in === 'query' && p.name === 'pageSize'))
          .map(([, op]) => ({ path, maximum: op.parameters?.find((p) => p.name === 'pageSize')?.schema?.maximum })),
      );
      expect(paged.map((p) => p.path)).toEqual(expect.arrayContaining(['/api/v1/proposals', '/api/v1/tasks', '/api/v1/outcomes', '/api/v1/admin/users']));
      for (const { path, maximum } of paged) {
        expect({ path, maximum }).toEqual({ path, maximum: 100 });
        const over = await u.admin.get(`${concretePath(path)}?pageSize=101`);
        expect({ path, status: over.status, fields: fieldsOf(over) }).toEqual({ path, status: 400, fields: expect.arrayContaining(['pageSize']) });
        const most = await u.admin.get(`${concretePath(path)}?pageSize=100`);
        expect({ path, fields: fieldsOf(most) }).toEqual({ path, fields: expect.not.arrayContaining(['pageSize']) });
      }
    });

    it('refuses a body over 1 MB before parsing it, on a route that takes any JSON, and without a token too', async () => {
      const huge = JSON.stringify({ payloads: [{ data: 'x'.repeat(1024 * 1024) }] });
      expect((await u.admin.request('POST', '/codec/decode', huge)).status).toBe(413);
      expect((await anon.request('POST', '/auth/token', JSON.stringify({ email: 'a@b.example', password: 'x'.repeat(1024 * 1024) }))).status).toBe(413);
    });

    // Per-user rate limits on the heavy reads (portfolio, exports, verification), 429 with Retry-After: test/e2e/heavy-read-limits.e2e-spec.ts.
    // Failed sign-ins, atomically counted: test/e2e/login-limits.e2e-spec.ts.
  });

  describe('API5 broken function level authorization', () => {
    it('declares exactly the reviewed public routes, and every other route answers 401 without a token', async () => {
      expect(declared.filter((r) => r.isPublic).map((r) => r.operation).sort()).toEqual([...PUBLIC_OPERATIONS].sort());
      for (const operation of documentedOperations(document)) {
        if (PUBLIC_OPERATIONS.includes(operation)) continue;
        const [method, path] = operation.split(' ');
        const res = await anon.request(method.toUpperCase(), concretePath(path), method === 'get' ? undefined : {});
        expect({ operation, status: res.status }).toEqual({ operation, status: 401 });
      }
    });

    it('answers 403 to every role the guard does not list, on every route, before anything else; admin-only routes refuse every other role', async () => {
      const adminOnly = declared.filter((r) => r.roles.length === 1 && r.roles[0] === 'admin').map((r) => r.operation);
      // Everything under /admin is for admins only, and so are publishing and the engine's payloads in clear.
      expect(declared.filter((r) => r.operation.includes(`/${API_PREFIX}/admin/`)).every((r) => adminOnly.includes(r.operation))).toBe(true);
      expect(adminOnly).toEqual(expect.arrayContaining(['post /api/v1/policy/versions', 'post /api/v1/standards/versions', 'post /api/v1/codec/decode', 'post /api/v1/codec/encode']));
      const observed: string[] = [];
      let probes = 0;
      for (const route of declared.filter((r) => r.roles.length > 0)) {
        const [method, path] = route.operation.split(' ');
        for (const role of ROLES.filter((r) => !route.roles.includes(r))) {
          const res = await u[ONE_ROLE[role]].request(method.toUpperCase(), concretePath(path), method === 'get' ? undefined : {});
          probes += 1;
          if (res.status !== 403) observed.push(`${route.operation} as ${role}: ${res.status}`);
        }
      }
      expect(observed).toEqual([]);
      // Each admin-only route alone is probed by the six other roles.
      expect(probes).toBeGreaterThanOrEqual(adminOnly.length * (ROLES.length - 1));
    });
  });

  describe('API6 unrestricted access to sensitive business flows', () => {
    it('lets nobody approve what they reviewed, nor skip a stage: no approval before both reviews, no approval body on a review', async () => {
      const password = randomBytes(18).toString('base64url');
      // Eligible for both stages of a MINSAL proposal: a reviewer who is also a DIGITAL_HEAD approver, from another agency.
      const both = await u.admin.post('/admin/users', {
        email: 'tomas.doble@segpres.example',
        name: 'Tomás Doble',
        password,
        roles: ['technical_reviewer', 'approver'],
        agencyCode: 'SEGPRES',
        approvalLevel: 'DIGITAL_HEAD',
      });
      expect(both.status).toBe(201);
      const tomas = await anon.login('tomas.doble@segpres.example', password);
      const { id, data } = await submitLow(u.ana, 'Four eyes probe');
      const technical = await availableTask(tomas, id, 'TECHNICAL_REVIEW');
      const finance = await availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW');

      // In review: no approval task exists for anyone, an approver may not decide a review, an approval body is not a review.
      expect(((await u.gabriela.get(`/tasks?scope=all&proposalId=${id}`)).body.items as { type: string }[]).map((t) => t.type).sort()).toEqual(['COST_EFFICIENCY_REVIEW', 'TECHNICAL_REVIEW']);
      expect((await u.nicolas.post(`/tasks/${technical.id}/decision`, { decision: 'APPROVE', comment: 'Skipping the review' })).status).toBe(403);
      const approvalBody = await tomas.post(`/tasks/${technical.id}/decision`, { decision: 'APPROVE', comment: 'Skipping the review' });
      expect(approvalBody.status).toBe(400);
      expect((await u.ana.patch(`/proposals/${id}`, { title: 'Changed after submitting' })).status).toBe(409);

      expect((await tomas.post(`/tasks/${technical.id}/decision`, meetsAll('TECHNICAL_REVIEW', data, 'LOW'))).status).toBe(200);
      expect((await u.elena.post(`/tasks/${finance.id}/decision`, meetsAll('COST_EFFICIENCY_REVIEW', data, 'LOW'))).status).toBe(200);
      await waitForStatus(u.ana, id, 'IN_APPROVAL');
      const approval = await availableTask(u.nicolas, id, 'APPROVAL', 'DIGITAL_HEAD');
      expect(((await tomas.get(`/tasks?scope=available&proposalId=${id}`)).body.items as unknown[]).length).toBe(0);
      expect((await tomas.post(`/tasks/${approval.id}/claim`)).status).toBe(403);
      expect((await tomas.post(`/tasks/${approval.id}/decision`, { decision: 'APPROVE', comment: 'My own review was fine' })).status).toBe(403);
      expect((await u.gabriela.post(`/tasks/${approval.id}/assign`, { userId: both.body.id })).status).toBe(422);
      expect((await u.ana.get(`/proposals/${id}`)).body.status).toBe('IN_APPROVAL');
    });

    // Mass sign-in attempts against one person: test/e2e/login-limits.e2e-spec.ts. Reading the portfolio or exports in a loop: test/e2e/heavy-read-limits.e2e-spec.ts.
  });

  describe('API7 server side request forgery', () => {
    it('stores links in proposals and decisions and never fetches them', async () => {
      const link = (what: string) => `${listener.url}/${what}`;
      const base = lowProposal('Evidence links probe', { summary: `Details at ${link('summary')}` });
      const data: ProposalData = { ...base, selfAssessment: (base.selfAssessment ?? []).map((a) => ({ ...a, evidence: link(`evidence/${a.standardCode}`) })) };
      const { id } = await submitted(u.ana, data);
      await waitForStatus(u.ana, id, 'IN_REVIEW');
      const task = await availableTask(u.carla, id, 'TECHNICAL_REVIEW');
      const decided = await u.carla.post(`/tasks/${task.id}/decision`, { ...meetsAll('TECHNICAL_REVIEW', data, 'LOW'), comment: `See ${link('comment')}` });
      expect(decided.status).toBe(200);
      const stored = await u.ana.get(`/proposals/${id}`);
      expect(JSON.stringify(stored.body)).toContain(link('evidence/SEC-01'));
      expect(listener.requests).toEqual([]);
    });

    it('fetches the identity provider’s keys from its configured address only, never from a token’s jku, x5u or embedded key', async () => {
      const attacker = await generateKeyPair('RS256');
      const jwk = await exportJWK(attacker.publicKey);
      const claims = { email: 'intruso@minsal.example', roles: ['admin'], agency: 'MINSAL' };
      for (const header of [
        { alg: 'RS256', kid: 'attacker', jku: `${listener.url}/jwks.json` },
        { alg: 'RS256', kid: 'attacker', x5u: `${listener.url}/cert.pem` },
        { alg: 'RS256', jwk },
        { alg: 'RS256', kid: `${listener.url}/kid` },
      ]) {
        const token = await new SignJWT(claims).setProtectedHeader(header).setIssuer(IDP_ISSUER).setAudience(IDP_AUDIENCE).setSubject('x').setExpirationTime('5m').sign(attacker.privateKey);
        expect({ header: Object.keys(header), status: (await anon.as(token).get('/auth/me')).status }).toEqual({ header: Object.keys(header), status: 401 });
      }
      expect(listener.requests).toEqual([]);
    });
  });

  describe('API8 security misconfiguration', () => {
    it('sends the security headers on data, problems and the documentation, and names no server software', async () => {
      for (const res of [await u.ana.get('/proposals'), await anon.get('/proposals'), await anon.get('/docs-json'), await anon.get('/no-such-route')]) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('x-frame-options') ?? res.headers.get('content-security-policy')).toBeTruthy();
        expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('x-powered-by')).toBeNull();
        expect(res.headers.get('server')).toBeNull();
      }
      // The Content Security Policy of the web interface: test/browser/content-security-policy.browser-spec.ts.
    });

    it('lets the configured origin through CORS and no other, never with a wildcard or credentials', async () => {
      const preflight = (origin: string) =>
        fetch(`${stack.baseUrl}/proposals`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
      const allowed = await preflight(PORTAL_ORIGIN);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
      for (const origin of ['https://evil.example', 'https://portal.gob.example.evil.example', 'null']) {
        const refused = await preflight(origin);
        expect({ origin, allow: refused.headers.get('access-control-allow-origin') }).toEqual({ origin, allow: null });
        const read = await fetch(`${stack.baseUrl}/auth/options`, { headers: { origin } });
        expect({ origin, allow: read.headers.get('access-control-allow-origin') }).toEqual({ origin, allow: null });
      }
    });

    it('answers TRACE with a 405, without echoing the request', async () => {
      // fetch refuses to send TRACE at all, so a plain HTTP request.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`${stack.baseUrl}/proposals`, { method: 'TRACE', headers: { authorization: 'Bearer trace-me-if-you-can' } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer.status).toBe(405);
      expect(answer.body).not.toContain('trace-me-if-you-can');
    });

    it('shows no stack trace, SQL or library message in a 4xx, nor in a 500 from a failing query', async () => {
      const leaks = /\bat [\w.<>]+ \(|node_modules|SyntaxError|QueryFailedError|relation "|SELECT |typeorm|Cannot (GET|POST)/i;
      const clientErrors = [
        await u.ana.request('POST', '/proposals', '{"title": '),
        await u.ana.request('POST', '/proposals', '{"title": "x"}', { 'content-type': 'application/xml' }),
        await u.ana.get('/proposals/not-a-uuid'),
        await u.ana.get('/no-such-route'),
        await u.ana.get('/proposals?pageSize=abc'),
      ];
      for (const res of clientErrors) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(JSON.stringify(res.body)).not.toMatch(leaks);
      }
      // A query that fails inside the API: the agencies table is renamed under it for a moment.
      const db = new Client({ connectionString: stack.database.url });
      await db.connect();
      try {
        await db.query('ALTER TABLE agencies RENAME TO agencies_hidden');
        const failed = await u.admin.get('/admin/agencies');
        expect(failed.status).toBe(500);
        expect(failed.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(failed.body).toEqual({
          type: expect.any(String),
          title: 'Internal Server Error',
          status: 500,
          detail: expect.any(String),
          code: 'INTERNAL',
          correlationId: expect.any(String),
        });
        expect(JSON.stringify(failed.body)).not.toMatch(leaks);
        expect(JSON.stringify(failed.body)).not.toContain('agencies');
      } finally {
        await db.query('ALTER TABLE agencies_hidden RENAME TO agencies');
        await db.end();
      }
      expect((await u.admin.get('/admin/agencies')).status).toBe(200);
    });
  });

  describe('API9 improper inventory management', () => {
    it('serves exactly the operations the OpenAPI document lists, and the controllers declare', () => {
      const served = servedOperations(app);
      const documented = documentedOperations(document);
      expect({ servedButUndocumented: served.filter((o) => !documented.includes(o)), documentedButNotServed: documented.filter((o) => !served.includes(o)) }).toEqual({
        servedButUndocumented: [],
        documentedButNotServed: [],
      });
      expect(declared.map((r) => r.operation).sort()).toEqual(served);
    });

    it('has one version of the API: nothing answers outside /api/v1 but the documentation and the web interface', async () => {
      for (const path of ['/api/v2/proposals', '/api/proposals', '/proposals', '/api/v1.0/proposals']) {
        const res = await fetch(new URL(path, stack.baseUrl), { headers: { authorization: 'Bearer x' } });
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
      }
    });
  });

  describe('API10 unsafe consumption of APIs', () => {
    it('refuses the identity provider’s tokens that are unsigned, signed with HMAC over its public key, or of another provider', async () => {
      const jwks = (await (await fetch(idp.env.OIDC_JWKS_URL)).json()) as { keys: Record<string, unknown>[] };
      const claims = { email: 'pia.leiva@minsal.example', email_verified: true, roles: ['admin'], agency: 'MINSAL' };
      const forged: Record<string, string> = {
        'alg none': new UnsecuredJWT(claims).setIssuer(IDP_ISSUER).setAudience(IDP_AUDIENCE).setSubject('x').setExpirationTime('5m').encode(),
        'HS256 keyed with the public key': await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: 'idp-key-1' })
          .setIssuer(IDP_ISSUER)
          .setAudience(IDP_AUDIENCE)
          .setSubject('x')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0]))),
        'the provider’s key, another issuer': await idp.token(claims, { issuer: 'https://other-idp.example' }),
        'the provider’s key, our own issuer': await idp.token(claims, { issuer: stack.config.auth.jwtIssuer, audience: stack.config.auth.jwtIssuer }),
        'the provider’s key, another audience': await idp.token(claims, { audience: 'another-app' }),
      };
      const observed = Object.fromEntries(await Promise.all(Object.entries(forged).map(async ([name, token]) => [name, (await anon.as(token).get('/auth/me')).status] as const)));
      expect(observed).toEqual(Object.fromEntries(Object.keys(forged).map((name) => [name, 401])));
      // The control: the provider's own token, as it signs them, is accepted.
      expect((await anon.as(await idp.token({ ...claims, roles: ['auditor'] })).get('/auth/me')).status).toBe(200);
    });

    it('keeps a provisioned person disabled by an admin out, whatever fresh tokens the provider signs', async () => {
      const claims = { email: 'rosa.fuentes@minsal.example', email_verified: true, roles: ['agency_submitter'], agency: 'MINSAL' };
      // A person of their own at the provider (identities are keyed by issuer and subject).
      const subject = { subject: 'idp-user-rosa' };
      const me = await anon.as(await idp.token(claims, subject)).get('/auth/me');
      expect(me.body.email).toBe(claims.email);
      expect(me.status).toBe(200);
      expect((await u.admin.patch(`/admin/users/${me.body.id}`, { disabled: true })).status).toBe(200);
      expect((await anon.as(await idp.token(claims, subject)).get('/auth/me')).status).toBe(401);
      expect((await anon.as(await idp.token({ ...claims, roles: ['admin'] }, subject)).get('/admin/users')).status).toBe(401);
      const users = (await u.admin.get('/admin/users?pageSize=100')).body.items as { email: string; disabled: boolean }[];
      expect(users.find((x) => x.email === claims.email)).toMatchObject({ disabled: true });
    });

    it('answers 401, never a 500, when the identity provider’s key set is broken or unreachable', async () => {
      const broken = await startListener();
      const own = await generateKeyPair('RS256');
      const issuer = 'https://broken-idp.gob.example';
      const other = await startTestStack({ withoutWorker: true, env: { OIDC_JWKS_URL: `${broken.url}/jwks.json`, OIDC_ISSUER: issuer, OIDC_AUDIENCE: IDP_AUDIENCE } });
      const token = await new SignJWT({ email: 'ana.torres@minsal.example', email_verified: true, agency: 'MINSAL', roles: ['auditor'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience(IDP_AUDIENCE)
        .setSubject('x')
        .setExpirationTime('5m')
        .sign(own.privateKey);
      const me = async () => {
        const res = await new ApiClient(other.baseUrl).as(token).get('/auth/me');
        return { status: res.status, code: res.body.code };
      };
      try {
        // The key set answers 404.
        expect(await me()).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
        expect(broken.requests.length).toBeGreaterThan(0);
        expect(broken.requests.every((r) => r === 'GET /jwks.json')).toBe(true);
        // Nothing listens any more.
        await broken.stop();
        expect(await me()).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      } finally {
        await other.stop();
        await broken.stop(); // a second close of a stopped listener resolves too
      }
    });

    // The identity provider's e-mail must be verified and may not take over a local account: test/e2e/oidc.e2e-spec.ts.
  });

  function submitLow(who: ApiClient, title: string): Promise<{ id: string; data: ProposalData }> {
    return submitted(who, lowProposal(title));
  }
});
