import { CATALOGUE_2026_1, CHILE_HOLIDAYS_2026_2027, DEFAULT_POLICY, localDateOf } from '../../libs/domain';
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

  /** The date ten years after today in Santiago, as the publishing rule counts it. */
  const tenYearsOn = (): string => {
    const today = localDateOf(new Date(), 'America/Santiago');
    return `${Number(today.slice(0, 4)) + 10}${today.slice(4) === '-02-29' ? '-02-28' : today.slice(4)}`;
  };

  it('gives a fresh stack a policy whose holidays reach ten years ahead, and submits pin it', async () => {
    const policy = (await u.ana.get('/policy')).body;
    expect(policy.version).toMatch(/^default-\d{4}$/);
    expect(policy.calendar).toMatchObject({ timeZone: 'America/Santiago', source: { library: 'date-holidays', libraryVersion: '3.37.0', country: 'CL' } });
    expect(policy.calendar.coveredFrom <= localDateOf(new Date(), 'America/Santiago')).toBe(true);
    expect(policy.calendar.coveredThrough >= tenYearsOn()).toBe(true);
    const lastYear = policy.calendar.coveredThrough.slice(0, 4);
    expect(policy.calendar.holidays).toEqual(expect.arrayContaining([`${lastYear}-01-01`, `${lastYear}-09-18`, `${lastYear}-12-25`]));
    expect(policy.calendar.added.map((c: { reason: string }) => c.reason)).toContainEqual(expect.stringMatching(/^Sábado Santo/));

    const id = (await u.ana.post('/proposals', hospitalProposal())).body.id as string;
    expect((await u.ana.post(`/proposals/${id}/submit`)).status).toBe(202);
    await waitForStatus(u.ana, id, 'IN_REVIEW');
    expect((await u.ana.get(`/proposals/${id}`)).body.policyVersion).toBe(policy.version);
  });

  it('refuses to publish a calendar that does not reach ten years ahead, or whose list and range disagree, naming the field', async () => {
    const current = (await u.admin.get('/policy')).body;
    const fieldsOf = async (calendar: unknown): Promise<string[]> => {
      const res = await u.admin.post('/policy/versions', { ...current, version: 'short-calendar', calendar });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      return res.body.errors.map((e: { field: string }) => e.field);
    };
    const written = { timeZone: 'America/Santiago', holidays: [...CHILE_HOLIDAYS_2026_2027] };
    // The shape of 2026.1: no declared range.
    expect(await fieldsOf(written)).toEqual(['calendar.coveredThrough', 'calendar.coveredFrom']);
    expect(await fieldsOf({ ...written, coveredFrom: '2026-01-01', coveredThrough: '2027-12-31' })).toEqual(['calendar.coveredThrough']);
    // A range that reaches far enough, over a list that stops after 2027.
    expect(await fieldsOf({ ...written, coveredFrom: '2026-01-01', coveredThrough: '2099-12-31' })).toEqual(['calendar.holidays']);
    expect(await fieldsOf({ timeZone: 'America/Santiago', source: { country: 'XX' } })).toEqual(['calendar.source.country']);
    expect((await u.admin.get('/policy')).body.version).toBe(current.version);
  });

  it('lets an admin publish a policy version, refusing invalid ones by field and duplicates', async () => {
    // What GET /policy returns, with a new version: the holidays are made again at publication.
    const current = (await u.admin.get('/policy')).body;
    const demo = { ...current, version: 'demo-seconds', sla: { ...DEFAULT_POLICY.sla, technicalReview: { seconds: 30 } } };
    expect((await u.carla.post('/policy/versions', demo)).status).toBe(403);
    const invalid = await u.admin.post('/policy/versions', { ...demo, discountRate: 2, extra: true });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(['extra']);
    const badRate = await u.admin.post('/policy/versions', { ...demo, discountRate: 2 });
    expect(badRate.status).toBe(400);
    expect(badRate.body.errors.map((e: { field: string }) => e.field)).toEqual(['discountRate']);
    // A day fixed by law on top of the library's list.
    const extraDay = `${Number(current.calendar.coveredThrough.slice(0, 4)) - 1}-12-24`;
    const withExtra = { ...current, version: 'extra-day', calendar: { ...current.calendar, added: [...current.calendar.added, { date: extraDay, reason: 'the law that fixes it' }] } };
    const extra = await u.admin.post('/policy/versions', withExtra);
    expect(extra.status).toBe(201);
    expect(extra.body.calendar.holidays).toContain(extraDay);
    expect(extra.body.calendar.added).toContainEqual({ date: extraDay, reason: 'the law that fixes it' });

    const published = await u.admin.post('/policy/versions', demo);
    expect(published.status).toBe(201);
    expect((await u.ana.get('/policy')).body.version).toBe('demo-seconds');
    expect(published.body.calendar.coveredThrough >= tenYearsOn()).toBe(true);

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
