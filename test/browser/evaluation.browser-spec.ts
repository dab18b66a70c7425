import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, expectAttribute, expectCount, expectExactText, expectText, expectVisible, inspect, launchBrowser, newSession, openAvailableTask, reloadUntil, signIn as signInAs } from '../support/browser';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(180_000);

const TITLE = `Agenda de horas médicas en línea ${Date.now()}`;

/**
 * One MEDIUM evaluation done entirely in the browser, as the demo users would: the agency
 * drafts and submits, both reviewers decide, both approval levels approve, finance finds the
 * outcome and downloads it. Every main page is screenshotted and checked with axe-core.
 */
describe('the web interface, in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let origin: string;
  let proposalUrl: string;

  beforeAll(async () => {
    stack = await startTestStack();
    origin = stack.baseUrl.replace(/\/api\/v1$/, '');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  const signIn = (email: string) => signInAs(browser, origin, email, contexts);
  const openTask = (page: Page, stage: string) => openAvailableTask(page, origin, TITLE, stage);

  it('signs in, shows who and which roles, and switches language', async () => {
    const { context, page } = await newSession(browser, origin);
    contexts.push(context);
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    await inspect(page, '01-sign-in');
    await page.getByLabel('Correo electrónico').fill('ana.torres@minsal.example');
    await page.getByLabel('Contraseña').fill('wrong-password');
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await expectText(page.getByRole('alert'), '401');
    await page.getByLabel('Contraseña').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await expectExactText(page.getByTestId('who'), 'Ana Torres');
    await expectText(page.locator('.who-roles'), 'MINSAL');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'My proposals' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mis propuestas' }).waitFor();
  });

  it('shows the API’s validation message next to the field', async () => {
    const page = await signIn('ana.torres@minsal.example');
    await page.getByRole('link', { name: 'Nueva propuesta' }).click();
    await page.getByLabel('Título').fill('abc');
    await page.getByRole('button', { name: 'Guardar borrador' }).click();
    const title = page.locator('[data-field="title"]');
    await expectAttribute(title, 'aria-invalid', 'true');
    await expectText(page.locator('.field', { has: title }).locator('.field-error'), 'title');
    await expectText(page.getByRole('alert'), '400');
  });

  it('lets the agency draft a proposal with costs, benefits and the self-assessment, and submit it', async () => {
    const page = await signIn('ana.torres@minsal.example');
    await inspect(page, '02-agency-proposals');
    await page.getByRole('link', { name: 'Nueva propuesta' }).click();
    await page.getByLabel('Título').fill(TITLE);
    await page.getByLabel('Resumen').fill('Patients book, move and cancel public hospital appointments online.');
    await page.getByLabel('Categoría').selectOption('NEW_SYSTEM');
    await page.getByLabel('Lo usan las personas').check();
    await page.getByLabel('Trata datos personales').check();
    await page.getByLabel('Digitaliza un trámite').check();
    await page.getByLabel('Horizonte (años)').fill('3');
    await page.getByLabel('Transacciones por año').fill('120000');
    const cost = async (i: number, year: number, kind: string, category: string, description: string, amount: number) => {
      await page.getByRole('button', { name: 'Agregar línea de costo' }).click();
      await page.locator(`[data-field="costs[${i}].year"]`).fill(String(year));
      await page.locator(`[data-field="costs[${i}].kind"]`).selectOption(kind);
      await page.locator(`[data-field="costs[${i}].category"]`).selectOption(category);
      await page.locator(`[data-field="costs[${i}].description"]`).fill(description);
      await page.locator(`[data-field="costs[${i}].amount"]`).fill(String(amount));
    };
    await cost(0, 1, 'CAPEX', 'DEVELOPMENT', 'Build', 100_000_000);
    await cost(1, 1, 'OPEX', 'HOSTING', 'Cloud hosting', 16_000_000);
    await cost(2, 2, 'OPEX', 'HOSTING', 'Cloud hosting', 16_000_000);
    await cost(3, 3, 'OPEX', 'HOSTING', 'Cloud hosting', 16_000_000);
    // A row added by mistake and removed again.
    await page.getByRole('button', { name: 'Agregar línea de costo' }).click();
    await page.getByRole('button', { name: 'Quitar fila 5' }).click();
    for (const [i, year] of [2, 3].entries()) {
      await page.getByRole('button', { name: 'Agregar beneficio' }).click();
      await page.locator(`[data-field="benefits[${i}].year"]`).fill(String(year));
      await page.locator(`[data-field="benefits[${i}].description"]`).fill('Staff hours saved');
      await page.locator(`[data-field="benefits[${i}].amount"]`).fill('90000000');
    }
    // The totals follow what is typed: year 1 is CAPEX 100M + OPEX 16M.
    const yearOne = page.locator('section', { hasText: 'Totales por año' }).getByRole('row').filter({ hasText: /^1/ });
    await expectText(yearOne, '100.000.000');
    await expectText(yearOne, '16.000.000');
    await page.getByRole('button', { name: 'Guardar borrador' }).click();
    await expectText(page.getByRole('status'), 'Borrador guardado');

    // Saved: the standards that apply are listed, each with its description, to self-assess.
    const answers = page.locator('select[data-field^="selfAssessment["]');
    await answers.first().waitFor();
    const count = await answers.count();
    expect(count).toBeGreaterThan(5);
    for (let i = 0; i < count; i++) {
      await page.locator(`[data-field="selfAssessment[${i}].answer"]`).selectOption('MEETS');
      await page.locator(`[data-field="selfAssessment[${i}].evidence"]`).fill(`Evidence ${i + 1}`);
    }
    await inspect(page, '03-proposal-form');
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog, '¿Enviar la propuesta?');
    await inspect(page, '04-submit-confirmation');
    await dialog.getByRole('button', { name: 'Enviar' }).click();
    await expectText(page.getByRole('status'), 'Propuesta enviada');
    proposalUrl = page.url();
    await reloadUntil(page, async () => (await page.locator('.page-head .chip').textContent()) === 'En revisión', 'IN_REVIEW');
    await expectText(page.locator('dl.facts'), 'Medio');
    await expectText(page.locator('.timeline'), 'Enviada');
    await inspect(page, '05-proposal-in-review');
  });

  it('lets the technical reviewer rate every applicable standard beside the self-assessment', async () => {
    const page = await signIn('carla.rojas@digital.example');
    await page.goto(`${origin}/#/inbox?scope=available`);
    await page.getByRole('link', { name: TITLE }).first().waitFor();
    await inspect(page, '06-reviewer-inbox');
    await openTask(page, 'Revisión técnica');
    const verdicts = page.locator('select[data-field^="verdicts["]');
    const count = await verdicts.count();
    expect(count).toBeGreaterThan(5);
    // Recording with one verdict missing is refused by the API, and the page says so.
    for (let i = 1; i < count; i++) await page.locator(`[data-field="verdicts[${i}].verdict"]`).selectOption('MEETS');
    await page.getByLabel('Opinión').selectOption('FAVOURABLE');
    await page.getByRole('button', { name: 'Registrar la decisión' }).click();
    await expectText(page.getByRole('alert'), '422');
    await page.locator('[data-field="verdicts[0].verdict"]').selectOption('MEETS');
    await inspect(page, '07-technical-review-task');
    await page.getByRole('button', { name: 'Registrar la decisión' }).click();
    await expectText(page.getByRole('status'), 'Decisión registrada');
  });

  it('lets the finance reviewer see the figures and chart, and decide with a condition', async () => {
    const page = await signIn('elena.vera@hacienda.example');
    await openTask(page, 'Revisión de costo-eficiencia');
    await expectCount(page.locator('figure svg[role="img"]'), 1);
    await expectVisible(page.locator('dl.facts').filter({ hasText: 'Valor actual neto' }));
    const verdicts = page.locator('select[data-field^="verdicts["]');
    const count = await verdicts.count();
    for (let i = 0; i < count; i++) await page.locator(`[data-field="verdicts[${i}].verdict"]`).selectOption('MEETS');
    await page.getByLabel('Opinión').selectOption('FAVOURABLE_WITH_CONDITIONS');
    await page.getByRole('button', { name: 'Agregar condición' }).click();
    await page.locator('[data-field="conditions[0].text"]').fill('Quarterly cost report to the budget office');
    await inspect(page, '08-cost-efficiency-task');
    await page.getByRole('button', { name: 'Registrar la decisión' }).click();
    await expectText(page.getByRole('status'), 'En aprobación');
  });

  it('shows the supervisor the workload and the open tasks', async () => {
    const page = await signIn('gabriela.pinto@digital.example');
    await page.getByRole('link', { name: 'Supervisión' }).click();
    await page.getByRole('heading', { name: 'Carga de trabajo por persona' }).waitFor();
    await expectText(page.locator('table').first(), 'carla.rojas@digital.example');
    await inspect(page, '09-supervision');
  });

  it('lets both approval levels approve', async () => {
    const head = await signIn('gabriela.pinto@digital.example');
    await openTask(head, 'Aprobación · Jefatura de Gobierno Digital');
    await head.locator('[data-field="decision"]').selectOption('APPROVE');
    await head.getByLabel('Comentario').fill('Approved by the digital unit');
    await inspect(head, '10-approval-task');
    await head.getByRole('button', { name: 'Registrar la decisión' }).click();
    await expectText(head.getByRole('status'), 'Decisión registrada');

    const budget = await signIn('hector.lagos@hacienda.example');
    await openTask(budget, 'Aprobación · Dirección de Presupuestos');
    await budget.locator('[data-field="decision"]').selectOption('APPROVE');
    await budget.getByLabel('Comentario').fill('Within budget');
    await budget.getByRole('button', { name: 'Registrar la decisión' }).click();
    await expectText(budget.getByRole('status'), 'Aprobada con condiciones');
  });

  it('shows the agency the outcome, its conditions and the timeline', async () => {
    const page = await signIn('ana.torres@minsal.example');
    await page.goto(proposalUrl);
    await reloadUntil(page, async () => (await page.locator('.page-head .chip').textContent()) === 'Aprobada con condiciones', 'the outcome');
    await expectText(page.locator('section', { hasText: 'Resultado' }), 'Quarterly cost report to the budget office');
    // Anyone who reads the history can check it: the browser recomputes every record's hash.
    await expectText(page.getByTestId('local-chain-result'), 'Comprobado en su navegador');
    await expectText(page.locator('.timeline'), 'Resultado');
    await inspect(page, '11-proposal-outcome');
  });

  it('lets finance find the outcome, download it as CSV and read the portfolio', async () => {
    const page = await signIn('elena.vera@hacienda.example');
    await page.getByRole('link', { name: 'Resultados' }).click();
    await page.getByLabel('Buscar').fill(TITLE);
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await expectVisible(page.getByRole('link', { name: TITLE }));
    await inspect(page, '12-outcomes');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Descargar CSV', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe('outcomes.csv');
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv).toContain(TITLE);
    expect(csv).toContain('APPROVED_WITH_CONDITIONS');

    await page.getByRole('link', { name: 'Cartera' }).click();
    await page.getByRole('heading', { name: 'Período frente a la línea base' }).waitFor();
    // Three charts: amounts by agency and days per stage have this evaluation's figures; nobody
    // rated a standard NOT_MET, so that chart says there is no data.
    await expectCount(page.locator('figure.chart-figure'), 3);
    await expectText(page.locator('figure', { hasText: 'Montos por institución' }).locator('svg'), 'MINSAL');
    await expectText(page.locator('figure', { hasText: 'Veredictos NO CUMPLE' }), 'Sin datos');
    await inspect(page, '13-portfolio');
  });

  it('shows the auditor the history with the chain verification result', async () => {
    const page = await signIn('lucia.campos@contraloria.example');
    await page.goto(proposalUrl);
    await expectText(page.getByTestId('chain-result'), 'La cadena se verifica');
    await inspect(page, '14-history-verified');
  });
});
