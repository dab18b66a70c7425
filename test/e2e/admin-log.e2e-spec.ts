import { CATALOGUE_2026_1 } from '../../libs/domain';
import { contentHash } from '../../libs/persistence';
import { DEMO_EMAILS, loginAll, type DemoName } from '../support/demo-users';
import { ApiClient } from '../support/http-client';
import { adminRecords, chainHead, type LoggedRecord } from '../support/test-database';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(60_000);

/** Every change an admin makes is a record of the decision log: who, and what it was before and after. */
describe('administrative changes in the decision log', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;
  let seq: number;

  /** The records of administration appended since the last call. */
  const appended = async (): Promise<LoggedRecord[]> => {
    const records = await adminRecords(stack.database.url, seq);
    seq = await chainHead(stack.database.url);
    return records;
  };

  beforeAll(async () => {
    stack = await startTestStack({ withoutWorker: true });
    u = await loginAll(stack.baseUrl, ['admin', 'lucia']);
    seq = await chainHead(stack.database.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const newUser = { email: 'Rosa.Mena@minsal.example', name: 'Rosa Mena', password: 'a-long-initial-password', roles: ['technical_reviewer'], agencyCode: 'MINSAL' };

  it('refuses a published password, naming the field, and records nothing', async () => {
    for (const password of ['demo-password', 'test-secret-of-enough-length', ' demo-password ']) {
      const res = await u.admin.post('/admin/users', { ...newUser, password });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(/published/) }]);
    }
    const carla = (await u.admin.get('/admin/users?pageSize=100')).body.items.find((x: { email: string }) => x.email === DEMO_EMAILS.carla);
    const reset = await u.admin.patch(`/admin/users/${carla.id}`, { password: 'demo-password' });
    expect(reset.status).toBe(400);
    expect(reset.body.errors.map((e: { field: string }) => e.field)).toEqual(['password']);
    // Still her password: nothing changed.
    await new ApiClient(stack.baseUrl).login(DEMO_EMAILS.carla);
    expect(await appended()).toEqual([]);
  });

  it('records a user created by an admin, with the admin as actor', async () => {
    const created = await u.admin.post('/admin/users', newUser);
    expect(created.status).toBe(201);
    expect(await appended()).toEqual([
      {
        seq: expect.any(Number),
        actor: DEMO_EMAILS.admin,
        type: 'ADMIN_USER_CREATED',
        data: { userId: created.body.id, email: 'rosa.mena@minsal.example', name: 'Rosa Mena', roles: ['technical_reviewer'], agencyCode: 'MINSAL', approvalLevel: null, deputy: false },
      },
    ]);
    expect((await u.admin.post('/admin/users', newUser)).status).toBe(409);
    expect(await appended()).toEqual([]);
  });

  it('records each change of a user with the changed fields before and after, and a change that changes nothing not at all', async () => {
    const users = (await u.admin.get('/admin/users?pageSize=100')).body.items as { id: string; email: string }[];
    const { id } = users.find((x) => x.email === 'rosa.mena@minsal.example')!;
    const ref = { userId: id, email: 'rosa.mena@minsal.example' };

    const changed = await u.admin.patch(`/admin/users/${id}`, { roles: ['technical_reviewer', 'approver'], approvalLevel: 'DIGITAL_HEAD', name: 'Rosa Mena' });
    expect(changed.status).toBe(200);
    expect(await appended()).toEqual([
      expect.objectContaining({ actor: DEMO_EMAILS.admin, type: 'ADMIN_USER_UPDATED', data: { ...ref, before: { roles: ['technical_reviewer'], approvalLevel: null }, after: { roles: ['technical_reviewer', 'approver'], approvalLevel: 'DIGITAL_HEAD' } } }),
    ]);

    expect((await u.admin.patch(`/admin/users/${id}`, { roles: ['technical_reviewer', 'approver'], approvalLevel: 'DIGITAL_HEAD', disabled: false })).status).toBe(200);
    expect((await u.admin.patch(`/admin/users/${id}`, {})).status).toBe(200);
    expect(await appended()).toEqual([]);

    expect((await u.admin.patch(`/admin/users/${id}`, { deputy: true, agencyCode: 'DIGITAL', approvalLevel: null })).status).toBe(200);
    expect((await u.admin.patch(`/admin/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await u.admin.patch(`/admin/users/${id}`, { disabled: false, password: 'another-long-password' })).status).toBe(200);
    const records = await appended();
    expect(records.map(({ actor, type, data }) => ({ actor, type, data }))).toEqual([
      { actor: DEMO_EMAILS.admin, type: 'ADMIN_USER_UPDATED', data: { ...ref, before: { deputy: false, agencyCode: 'MINSAL', approvalLevel: 'DIGITAL_HEAD' }, after: { deputy: true, agencyCode: 'DIGITAL', approvalLevel: null } } },
      { actor: DEMO_EMAILS.admin, type: 'ADMIN_USER_DISABLED', data: ref },
      { actor: DEMO_EMAILS.admin, type: 'ADMIN_USER_ENABLED', data: ref },
      { actor: DEMO_EMAILS.admin, type: 'ADMIN_PASSWORD_RESET', data: ref },
    ]);
    // The reset is recorded as such: neither the password nor its hash is in the log.
    expect(JSON.stringify(records)).not.toMatch(/another-long-password|scrypt/);
    await new ApiClient(stack.baseUrl).login('rosa.mena@minsal.example', 'another-long-password');
  });

  it('records two admins’ concurrent changes of one user in turn, each with the value it really replaced', async () => {
    const second = await u.admin.post('/admin/users', { email: 'tomas.vidal@digital.example', name: 'Tomás Vidal', password: 'second-admin-password', roles: ['admin'], agencyCode: 'DIGITAL' });
    expect(second.status).toBe(201);
    const tomas = await new ApiClient(stack.baseUrl).login('tomas.vidal@digital.example', 'second-admin-password');
    const users = (await u.admin.get('/admin/users?pageSize=100')).body.items as { id: string; email: string; name: string }[];
    const lucia = users.find((x) => x.email === DEMO_EMAILS.lucia)!;
    await appended();

    const names = Array.from({ length: 12 }, (_, i) => `Lucía Campos ${i}`);
    const results = await Promise.all(names.map((name, i) => (i % 2 ? tomas : u.admin).patch(`/admin/users/${lucia.id}`, { name })));
    expect(results.map((r) => r.status)).toEqual(names.map(() => 200));

    const records = await appended();
    expect(records).toHaveLength(names.length);
    expect(new Set(records.map((r) => r.actor))).toEqual(new Set([DEMO_EMAILS.admin, 'tomas.vidal@digital.example']));
    let current = lucia.name;
    for (const record of records) {
      expect(record.type).toBe('ADMIN_USER_UPDATED');
      expect(record.data.before).toEqual({ name: current });
      current = record.data.after.name;
    }
    const now = (await u.admin.get('/admin/users?pageSize=100')).body.items.find((x: { id: string }) => x.id === lucia.id);
    expect(now.name).toBe(current);
  });

  it('records an agency registered, once', async () => {
    expect((await u.admin.post('/admin/agencies', { code: 'MINVU', name: 'Ministerio de Vivienda' })).status).toBe(201);
    expect((await u.admin.post('/admin/agencies', { code: 'MINVU', name: 'Again' })).status).toBe(409);
    expect((await appended()).map(({ actor, type, data }) => ({ actor, type, data }))).toEqual([
      { actor: DEMO_EMAILS.admin, type: 'ADMIN_AGENCY_CREATED', data: { code: 'MINVU', name: 'Ministerio de Vivienda' } },
    ]);
  });

  it('records catalogue and policy publications with the hash of what was published', async () => {
    const catalogue = { version: '2027.1', standards: CATALOGUE_2026_1.standards.map((s) => (s.code === 'INT-02' ? { ...s, mandatory: true } : s)) };
    expect((await u.admin.post('/standards/versions', catalogue)).status).toBe(201);
    const policy = { ...(await u.admin.get('/policy')).body, version: 'logged-policy' };
    const published = await u.admin.post('/policy/versions', policy);
    expect(published.status).toBe(201);
    expect((await u.admin.post('/policy/versions', policy)).status).toBe(409);

    const records = await appended();
    expect(records.map(({ actor, type, data }) => ({ actor, type, data }))).toEqual([
      { actor: DEMO_EMAILS.admin, type: 'CATALOGUE_PUBLISHED', data: { version: '2027.1', standards: catalogue.standards.length, sha256: contentHash(catalogue) } },
      // What GET /policy serves is what the record vouches for.
      { actor: DEMO_EMAILS.admin, type: 'POLICY_PUBLISHED', data: { version: 'logged-policy', sha256: contentHash((await u.admin.get('/policy')).body) } },
    ]);
    expect(published.body.version).toBe('logged-policy');
  });

  it('keeps the whole chain verifiable after all of them', async () => {
    const res = await u.lucia.get('/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, firstBadSeq: null });
  });
});
