import { randomBytes } from 'node:crypto';
import { DEMO_USERS } from '../../libs/persistence';
import { ApiClient, eventually } from '../support/http-client';
import { loginAll, type DemoName } from '../support/demo-users';
import { availableTask, lowProposal, meetsAll, submitted, waitForStatus } from '../support/evaluation-driver';
import { Mailpit, recipients } from '../support/mailpit';
import { testMail } from '../support/test-env';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

/** Every active demo person holding `role`, not of `agency`: who a task of that role is offered to. */
function holders(role: string, notAgency: string): string[] {
  return DEMO_USERS.filter((u) => u.roles.includes(role as never) && u.agencyCode !== notAgency)
    .map((u) => u.email)
    .sort();
}

describe('mail through the real Mailpit', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;
  let anon: ApiClient;
  const mailpit = new Mailpit(testMail().apiUrl);
  /** Titles unique to this run: every test stack of the run shares one Mailpit. */
  const title = (what: string) => `${what} ${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    stack = await startTestStack({ env: { SMTP_URL: testMail().smtpUrl, PUBLIC_BASE_URL: 'https://appraise.example.gob.cl', MAIL_DISPATCH_INTERVAL_MS: '200' } });
    u = await loginAll(stack.baseUrl, ['ana', 'carla', 'elena', 'admin']);
    anon = new ApiClient(stack.baseUrl);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('a submit mails every technical and finance reviewer, once each, with the title and a link to the task', async () => {
    const name = title('Mesa de ayuda');
    const { id } = await submitted(u.ana, lowProposal(name));
    const expected = [...holders('technical_reviewer', 'MINSAL'), ...holders('finance_reviewer', 'MINSAL')].sort();
    const messages = await mailpit.received(name, expected.length);
    expect(recipients(messages)).toEqual(expected);
    const technical = await availableTask(u.carla, id, 'TECHNICAL_REVIEW');
    const toCarla = messages.find((m) => m.To[0].Address === 'carla.rojas@digital.example');
    expect(toCarla?.Subject).toBe(`Nueva tarea disponible: revisión técnica de «${name}»`);
    const text = await mailpit.text(toCarla!.ID);
    expect(text).toContain(`https://appraise.example.gob.cl/#/tasks/${technical.id}`);
    expect(text).toContain('https://appraise.example.gob.cl/api/v1/mail/unsubscribe?token=');
    // Each message names itself in our domain, and the outbox shows them sent.
    expect(toCarla?.MessageID).toMatch(/^[0-9a-f]{32}@appraise\.localhost$/);
    const sent = await eventually(async () => {
      const page = (await u.admin.get('/admin/mail?status=sent&pageSize=100')).body;
      const mine = page.items.filter((m: { proposalId: string }) => m.proposalId === id);
      return mine.length === expected.length ? mine : undefined;
    });
    expect(sent.every((m: { attempts: number; sentAt: string }) => m.attempts === 1 && m.sentAt)).toBe(true);
  });

  it('a change request reaches the agency’s submitters, with the questions, and the withdrawal’s outcome reaches them too', async () => {
    const name = title('Portal de trámites');
    const data = lowProposal(name);
    const { id } = await submitted(u.ana, data);
    const technical = await availableTask(u.carla, id, 'TECHNICAL_REVIEW');
    const finance = await availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW');
    expect((await u.carla.post(`/tasks/${technical.id}/decision`, meetsAll('TECHNICAL_REVIEW', data, 'LOW', 'CHANGES_REQUESTED', { questions: ['¿Dónde se alojará el servicio?'] }))).status).toBe(200);
    expect((await u.elena.post(`/tasks/${finance.id}/decision`, meetsAll('COST_EFFICIENCY_REVIEW', data, 'LOW'))).status).toBe(200);
    await waitForStatus(u.ana, id, 'CHANGES_REQUESTED');

    const submitters = holders('agency_submitter', '').filter((e) => DEMO_USERS.find((p) => p.email === e)?.agencyCode === 'MINSAL');
    const [request] = await mailpit.received(`Se solicitan cambios: «${name}»`, submitters.length);
    expect(recipients(await mailpit.search(`subject:"Se solicitan cambios: «${name}»"`))).toEqual(submitters);
    const text = await mailpit.text(request.ID);
    expect(text).toContain('¿Dónde se alojará el servicio?');
    expect(text).toContain(`https://appraise.example.gob.cl/#/proposals/${id}/respond`);

    expect((await u.ana.post(`/proposals/${id}/withdraw`, { reason: 'Se reformula' })).status).toBeLessThan(300);
    const outcome = await mailpit.received(`Resultado de la evaluación: «${name}» retirada`, submitters.length + 2);
    // The agency, and everyone who decided a stage.
    expect(recipients(outcome)).toEqual([...submitters, 'carla.rojas@digital.example', 'elena.vera@hacienda.example'].sort());
  });

  it('preferences: English mail, and a signed link that unsubscribes without a sign-in only when its page’s button is pressed', async () => {
    expect((await u.elena.get('/me/preferences')).body).toEqual({ language: 'es', unsubscribed: false });
    expect((await u.elena.put('/me/preferences', { language: 'en', unsubscribed: false })).body).toEqual({ language: 'en', unsubscribed: false });
    expect((await u.elena.put('/me/preferences', { language: 'fr', unsubscribed: false })).status).toBe(400);
    expect((await u.elena.put('/me/preferences', { language: 'es' })).status).toBe(400);

    const name = title('Interoperabilidad');
    await submitted(u.ana, lowProposal(name));
    const [toElena] = await eventually(async () => {
      const found = (await mailpit.search(`subject:"${name}" to:elena.vera@hacienda.example`)).filter((m) => m.Subject.includes(name));
      return found.length ? found : undefined;
    });
    expect(toElena.Subject).toBe(`New task available: cost-efficiency review of «${name}»`);
    const link = /(https:\/\/appraise\.example\.gob\.cl\/api\/v1\/mail\/unsubscribe\?token=\S+)/.exec(await mailpit.text(toElena.ID))?.[1];
    expect(link).toBeDefined();
    const local = `${stack.baseUrl}${link!.slice('https://appraise.example.gob.cl/api/v1'.length)}`;

    const page = await fetch(local);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<form method="post"');
    expect((await u.elena.get('/me/preferences')).body.unsubscribed).toBe(false); // a GET changes nothing

    // A link that does not verify names nobody: a page for a browser, problem+json for anyone else.
    const forgedUrl = local.replace(/token=[^.]+/, 'token=0b5e3c1e-7a4f-4c1b-9d2e-3f4a5b6c7d8e');
    const forged = await fetch(forgedUrl, { method: 'POST', headers: { accept: 'text/html' } });
    expect(forged.status).toBe(404);
    expect(await forged.text()).toContain('Enlace no válido');
    const forgedApi = await fetch(forgedUrl, { method: 'POST', headers: { accept: 'application/json' } });
    expect({ status: forgedApi.status, type: forgedApi.headers.get('content-type') }).toEqual({ status: 404, type: expect.stringMatching(/application\/problem\+json/) });
    const done = await fetch(local, { method: 'POST' });
    expect(done.status).toBe(200);
    expect((await u.elena.get('/me/preferences')).body).toEqual({ language: 'en', unsubscribed: true });

    // Optional mail no longer reaches her; the other finance reviewers still get theirs.
    const next = title('Firma electrónica');
    await submitted(u.ana, lowProposal(next));
    const finance = holders('finance_reviewer', 'MINSAL').filter((e) => e !== 'elena.vera@hacienda.example');
    const technical = holders('technical_reviewer', 'MINSAL');
    expect(recipients(await mailpit.received(next, finance.length + technical.length))).toEqual([...finance, ...technical].sort());
    await u.elena.put('/me/preferences', { language: 'es', unsubscribed: false });
  });

  it('admins alone read the outbox, by status', async () => {
    expect((await u.carla.get('/admin/mail')).status).toBe(403);
    expect((await anon.get('/admin/mail')).status).toBe(401);
    const failed = await u.admin.get('/admin/mail?status=failed');
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ page: 1, pageSize: 20, items: expect.any(Array) });
    expect((await u.admin.get('/admin/mail?status=lost')).status).toBe(400);
  });
});
