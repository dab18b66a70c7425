import type { Browser, BrowserContext } from 'playwright-core';
import { expectExactText, expectText, inspect, launchBrowser, openAvailableTask, reloadUntil, signIn } from '../support/browser';
import { DEMO_EMAILS } from '../support/demo-users';
import { meetsAll } from '../support/evaluation-driver';
import { ApiClient } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(150_000);

const TITLE = `Registro de licencias médicas ${Date.now()}`;

/**
 * The other half of the agency's work, in the browser: a reviewer asks a question, the agency
 * reads it on its proposal and answers with changed data; and a supervisor hands a task over.
 */
describe('answering a change request and reassigning, in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let origin: string;
  let proposalId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    origin = stack.baseUrl.replace(/\/api\/v1$/, '');
    browser = await launchBrowser();
    // The draft itself is made over the API: the form is the other spec's subject.
    const ana = await new ApiClient(stack.baseUrl).login(DEMO_EMAILS.ana);
    proposalId = (await ana.post('/proposals', hospitalProposal({ title: TITLE }))).body.id;
    expect((await ana.post(`/proposals/${proposalId}/submit`)).status).toBe(202);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('lets a supervisor reassign the cost-efficiency review to an eligible person', async () => {
    const page = await signIn(browser, origin, DEMO_EMAILS.hector, contexts);
    await page.getByRole('link', { name: 'Supervisión' }).click();
    const row = page.locator('section', { hasText: 'Tareas abiertas' }).getByRole('row').filter({ hasText: TITLE }).filter({ hasText: 'Revisión de costo-eficiencia' });
    await reloadUntil(page, async () => (await row.count()) > 0, 'the cost-efficiency review');
    await row.getByRole('button', { name: 'Reasignar' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Asignar a').selectOption({ label: 'Felipe Mora (felipe.mora@hacienda.example)' });
    await inspect(page, '15-reassign-dialog');
    await dialog.getByRole('button', { name: 'Asignar' }).click();
    await expectText(page.getByRole('status'), 'Tarea reasignada');
    await expectText(page.locator('section', { hasText: 'Carga de trabajo por persona' }).getByRole('row').filter({ hasText: 'felipe.mora@hacienda.example' }), '1');
  });

  it('lets the technical reviewer ask the agency a question', async () => {
    const page = await signIn(browser, origin, DEMO_EMAILS.carla, contexts);
    await openAvailableTask(page, origin, TITLE, 'Revisión técnica');
    const verdicts = page.locator('select[data-field^="verdicts["]');
    for (let i = 0; i < (await verdicts.count()); i++) await page.locator(`[data-field="verdicts[${i}].verdict"]`).selectOption('MEETS');
    await page.getByLabel('Opinión').selectOption('CHANGES_REQUESTED');
    await page.getByRole('button', { name: 'Agregar pregunta' }).click();
    await page.locator('[data-field="questions[0]"]').fill('How many appointments a year do you expect?');
    await page.getByRole('button', { name: 'Registrar la decisión' }).click();
    await expectText(page.getByRole('status'), 'Decisión registrada');
  });

  it('shows the agency the question and takes its answer with changed data', async () => {
    const page = await signIn(browser, origin, DEMO_EMAILS.ana, contexts);
    await page.goto(`${origin}/#/proposals/${proposalId}`);
    // The request reaches the agency once the round's other review (finance) is decided too.
    const finance = await new ApiClient(stack.baseUrl).login(DEMO_EMAILS.felipe);
    const task = (await finance.get(`/tasks?scope=mine&proposalId=${proposalId}`)).body.items[0];
    const proposal = (await finance.get(`/proposals/${proposalId}`)).body;
    expect((await finance.post(`/tasks/${task.id}/decision`, meetsAll('COST_EFFICIENCY_REVIEW', hospitalProposal({ title: TITLE }), proposal.tier))).status).toBe(200);

    await reloadUntil(page, async () => (await page.locator('.page-head .chip').textContent()) === 'Cambios solicitados', 'CHANGES_REQUESTED');
    await expectText(page.locator('section', { hasText: 'Lo que se pide a la institución' }), 'How many appointments a year do you expect?');
    await inspect(page, '16-changes-requested');
    await page.getByRole('link', { name: 'Responder la solicitud' }).click();
    await page.getByLabel('Su respuesta').fill('About 150,000 a year; the figure is updated.');
    await page.getByLabel('Transacciones por año').fill('150000');
    await inspect(page, '17-answer-form');
    await page.getByRole('button', { name: 'Enviar la respuesta' }).click();
    await expectText(page.getByRole('status'), 'Respuesta enviada');
    await reloadUntil(page, async () => (await page.locator('.page-head .chip').textContent()) === 'En revisión', 'IN_REVIEW again');
    await expectText(page.locator('.timeline'), 'About 150,000 a year');
    // The answer is version 2 of the proposal.
    await expectExactText(page.locator('dl.facts > div').filter({ has: page.locator('dt', { hasText: /^Versión$/ }) }).locator('dd'), '2');
  });
});
