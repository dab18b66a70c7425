import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * Browser tests drive Debian's Chromium through playwright-core (Playwright's own browser
 * download does not work here). `npm test` installs Chromium when missing and passes its path.
 */
export function chromiumPath(): string {
  const path = process.env.APPRAISE_CHROMIUM;
  if (!path) throw new Error('Browser tests need Chromium: run them with `npm test -- --selectProjects browser`, which installs it.');
  return path;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Where screenshots and accessibility reports go; kept after the run as the test's artifact. */
export const ARTIFACTS_DIR = resolve(process.env.APPRAISE_ARTIFACTS_DIR ?? join(__dirname, '..', '..', 'test-artifacts'));

/** A Content Security Policy violation a page reported (its `securitypolicyviolation` event). */
export interface CspViolation {
  page: string;
  directive: string;
  blocked: string;
  source: string;
}

const cspViolations: CspViolation[] = [];

/** The violations reported since the last call, which forgets them. */
export function takeCspViolations(): CspViolation[] {
  return cspViolations.splice(0);
}

/**
 * Every browser test fails when a page broke the Content Security Policy: the pages run under
 * the real policy (no bypass), and each violation is reported back here.
 */
afterEach(() => {
  expect(takeCspViolations()).toEqual([]);
});

/** Runs in every page before its own scripts: reports each CSP violation to the test. */
const REPORT_CSP_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) => {
  window.__appraiseCspViolation({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile + ':' + e.lineNumber });
}, true);`;

export async function newSession(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true, locale: 'es-CL' });
  await context.exposeBinding('__appraiseCspViolation', ({ page }, report: Omit<CspViolation, 'page'>) => {
    cspViolations.push({ page: page.url(), ...report });
  });
  await context.addInitScript({ content: REPORT_CSP_VIOLATIONS });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`page error on ${page.url()}: ${error.message}`);
  });
  await page.goto(baseUrl);
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(ARTIFACTS_DIR, 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

type AxeSummary = Record<string, { violations: { id: string; impact: string | null; help: string; nodes: number }[]; passes: number }>;

/** The report gathers every page of every browser spec of the run (`npm test` empties the folder first). */
function readReport(file: string): AxeSummary {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AxeSummary) : {};
}

/** Runs axe-core against WCAG 2.0/2.1 A and AA on the page as it is now; returns the violations. */
export async function checkAccessibility(page: Page, name: string): Promise<AxeViolation[]> {
  // Evaluated through the browser's debugging protocol, which the page's policy does not govern
  // (a <script> tag would be refused: the pages allow no inline script).
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  // Runs in the page: written as source text because the tests compile without the DOM library.
  const result = (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return { violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })), passes: r.passes.length };
  })()`)) as { violations: AxeViolation[]; passes: number };
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, 'accessibility.json');
  const report = readReport(file);
  report[name] = { violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })), passes: result.passes };
  writeFileSync(file, JSON.stringify(report, null, 2));
  return result.violations;
}

/** The violations that block: axe's serious and critical ones. */
export function serious(violations: AxeViolation[]): string[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Re-runs an assertion until it passes or the deadline passes (pages update asynchronously). */
async function retry(assertion: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The first match's text contains `text`. */
export function expectText(locator: Locator, text: string): Promise<void> {
  return retry(async () => expect(await locator.first().textContent({ timeout: 1000 })).toContain(text));
}

export function expectExactText(locator: Locator, text: string): Promise<void> {
  return retry(async () => expect((await locator.first().textContent({ timeout: 1000 }))?.trim()).toBe(text));
}

export function expectAttribute(locator: Locator, name: string, value: string): Promise<void> {
  return retry(async () => expect(await locator.first().getAttribute(name, { timeout: 1000 })).toBe(value));
}

export function expectCount(locator: Locator, count: number): Promise<void> {
  return retry(async () => expect(await locator.count()).toBe(count));
}

export function expectVisible(locator: Locator): Promise<void> {
  return retry(async () => expect(await locator.first().isVisible()).toBe(true));
}

export const DEMO_PASSWORD = 'demo-password';

/** A signed-in browser session of a demo user (Spanish interface). */
export async function signIn(browser: Browser, origin: string, email: string, contexts: BrowserContext[]): Promise<Page> {
  const { context, page } = await newSession(browser, origin);
  contexts.push(context);
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor();
  return page;
}

/** Screenshot plus accessibility check of the page as it stands: no serious or critical violation, no CSP violation. */
export async function inspect(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(serious(await checkAccessibility(page, name))).toEqual([]);
  expect(takeCspViolations()).toEqual([]);
}

/** Reloads until `ready` holds: the workflow moves on its own time. */
export async function reloadUntil(page: Page, ready: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.locator('main h1').first().waitFor();
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} on ${page.url()}`);
    await page.waitForTimeout(300);
    await page.reload();
  }
}

/** Opens, from the inbox's available tab, the task of this stage on the proposal titled `title`. */
export async function openAvailableTask(page: Page, origin: string, title: string, stage: string): Promise<void> {
  await page.goto(`${origin}/#/inbox?scope=available`);
  const row = page.getByRole('row').filter({ hasText: stage }).filter({ has: page.getByRole('link', { name: title }) });
  await reloadUntil(page, async () => (await row.count()) > 0, `the ${stage} task in the inbox`);
  await row.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: stage }).waitFor();
}
