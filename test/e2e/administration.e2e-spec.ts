import { CATALOGUE_2026_1, DEFAULT_POLICY } from '../../libs/domain';
import { loginAll, type DemoName } from '../support/demo-users';
import { waitForStatus } from '../support/evaluation-driver';
import { ApiClient } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(60_000);

describe('idempotency, publishing versions, and verifying the record', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;

  beforeAll(async () => {
    stack = await startTestStack();
    u = await loginAll(stack.baseUrl, ['ana', 'carla', 'lucia', 'admin']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('returns the first response again for the same Idempotency-Key, and 409 for another body', async () => {
    const body = { title: 'Idempotent draft' };
    const first = await u.ana.post('/proposals', body, { 'Idempotency-Key': 'create-0001' });
    const second = await u.ana.post('/proposals', body, { 'Idempotency-Key': 'create-0001' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await u.ana.post('/proposals', { title: 'Another body' }, { 'Idempotency-Key': 'create-0001' })).status).toBe(409);
    expect((await u.ana.post('/proposals', body, { 'Idempotency-Key': 'bad key with spaces' })).status).toBe(400);

    const id = (await u.ana.post('/proposals', hospitalProposal())).body.id as string;
    const submit = await u.ana.post(`/proposals/${id}/submit`, undefined, { 'Idempotency-Key': 'submit-0001' });
    const again = await u.ana.post(`/proposals/${id}/submit`, undefined, { 'Idempotency-Key': 'submit-0001' });
    expect(submit.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(submit.body);
    expect((await u.ana.post(`/proposals/${id}/submit`)).status).toBe(409);
  });

  it('lets an admin publish a policy version, refusing invalid ones by field and duplicates', async () => {
    const demo = { ...DEFAULT_POLICY, version: 'demo-seconds', sla: { ...DEFAULT_POLICY.sla, technicalReview: { seconds: 30 } } };
    expect((await u.carla.post('/policy/versions', demo)).status).toBe(403);
    const invalid = await u.admin.post('/policy/versions', { ...demo, discountRate: 2, extra: true });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(['extra']);
    const badRate = await u.admin.post('/policy/versions', { ...demo, discountRate: 2 });
    expect(badRate.status).toBe(400);
    expect(badRate.body.errors.map((e: { field: string }) => e.field)).toEqual(['discountRate']);
    const published = await u.admin.post('/policy/versions', demo);
    expect(published.status).toBe(201);
    expect((await u.ana.get('/policy')).body.version).toBe('demo-seconds');
    expect((await u.admin.post('/policy/versions', demo)).status).toBe(409);
  });

  it('publishes a catalogue version; an evaluation in flight keeps the one pinned at submit', async () => {
    const id = (await u.ana.post('/proposals', hospitalProposal())).body.id as string;
    await u.ana.post(`/proposals/${id}/submit`);
    await waitForStatus(u.ana, id, 'IN_REVIEW');

    const next = { version: '2027.1', standards: CATALOGUE_2026_1.standards.map((s) => (s.code === 'INT-02' ? { ...s, mandatory: true } : s)) };
    expect((await u.admin.post('/standards/versions', { ...next, standards: [] })).status).toBe(400);
    expect((await u.admin.post('/standards/versions', next)).status).toBe(201);
    expect((await u.ana.get('/standards')).body.version).toBe('2027.1');
    const inFlight = (await u.ana.get(`/proposals/${id}`)).body;
    expect(inFlight.catalogueVersion).toBe('2026.1');
    const draft = (await u.ana.post('/proposals', { title: 'Drafted after the new catalogue' })).body;
    expect(draft.catalogueVersion).toBe('2027.1');
  });

  it('manages agencies and users; a disabled user’s token stops working at once', async () => {
    expect((await u.ana.get('/admin/users')).status).toBe(403);
    expect((await u.admin.post('/admin/agencies', { code: 'MINVU', name: 'Ministerio de Vivienda' })).status).toBe(201);
    expect((await u.admin.post('/admin/agencies', { code: 'MINVU', name: 'Again' })).status).toBe(409);
    expect((await u.admin.get('/admin/agencies')).body.items.map((a: { code: string }) => a.code)).toContain('MINVU');

    const bad = await u.admin.post('/admin/users', { email: 'x@minvu.example', name: 'X', password: 'short', roles: ['emperor'], agencyCode: 'NOPE!' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['agencyCode', 'password', 'roles']);
    const body = { email: 'Pedro.Ramos@minvu.example', name: 'Pedro Ramos', password: 'a-long-initial-password', roles: ['agency_submitter'], agencyCode: 'MINVU' };
    const created = await u.admin.post('/admin/users', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'pedro.ramos@minvu.example', roles: ['agency_submitter'], agencyCode: 'MINVU', disabled: false });
    expect(created.body.passwordHash).toBeUndefined();
    expect((await u.admin.post('/admin/users', body)).status).toBe(409);

    const pedro = await new ApiClient(stack.baseUrl).login('pedro.ramos@minvu.example', 'a-long-initial-password');
    expect((await pedro.get('/auth/me')).status).toBe(200);
    const disabled = await u.admin.patch(`/admin/users/${created.body.id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect((await pedro.get('/auth/me')).status).toBe(401);
    expect((await u.admin.patch('/admin/users/00000000-0000-4000-8000-000000000000', { disabled: true })).status).toBe(404);
    const listed = await u.admin.get('/admin/users?pageSize=100');
    expect(listed.body.total).toBe(17);
  });

  // Found by the API fuzzing (npm run fuzz): `null` passed @IsOptional() and reached a NOT NULL column as a 500.
  it('refuses null for a user field that cannot be empty, naming it, and changes nothing', async () => {
    const users = (await u.admin.get('/admin/users?pageSize=100')).body.items as { id: string; email: string }[];
    const carla = users.find((x) => x.email === 'carla.rojas@digital.example') as { id: string };
    const before = (await u.admin.get('/admin/users?pageSize=100')).body.items.find((x: { id: string }) => x.id === carla.id);
    for (const field of ['agencyCode', 'name', 'roles', 'deputy', 'disabled', 'password']) {
      const res = await u.admin.patch(`/admin/users/${carla.id}`, { [field]: null });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    const after = (await u.admin.get('/admin/users?pageSize=100')).body.items.find((x: { id: string }) => x.id === carla.id);
    expect(after).toEqual(before);
    expect((await u.admin.patch(`/admin/users/${carla.id}`, { approvalLevel: null })).status).toBe(200);
  });

  it('verifies the whole hash chain for auditors only', async () => {
    const res = await u.lucia.get('/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, firstBadSeq: null });
    expect(res.body.records).toBeGreaterThan(5);
    expect((await u.ana.get('/audit/verify')).status).toBe(403);
  });
});
