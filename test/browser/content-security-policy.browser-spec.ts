import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, newSession, takeCspViolations, type CspViolation } from '../support/browser';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(120_000);

/** Waits for the page to report at least one violation. */
async function violationsReported(): Promise<CspViolation[]> {
  const found: CspViolation[] = [];
  const deadline = Date.now() + 5_000;
  while (found.length === 0 && Date.now() < deadline) {
    found.push(...takeCspViolations());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return found;
}

describe('Content Security Policy of the web interface and the API docs, in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let origin: string;

  beforeAll(async () => {
    stack = await startTestStack({ withoutWorker: true });
    origin = stack.baseUrl.replace(/\/api\/v1$/, '');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('serves the pages under a policy without unsafe-inline', async () => {
    const res = await fetch(`${origin}/`);
    const policy = res.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
  });

  it('reports, and so fails a test on, an inline script or a style attribute the page did not ship', async () => {
    const { context, page } = await newSession(browser, origin);
    contexts.push(context);
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    await page.evaluate(`(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.head.append(script);
    })()`);
    const scripts = await violationsReported();
    expect(scripts).toEqual([expect.objectContaining({ directive: expect.stringMatching(/^script-src/), blocked: 'inline' })]);
    expect(await page.evaluate('window.injected')).toBeUndefined();

    await page.evaluate(`document.querySelector('main').setAttribute('style', 'color: red')`);
    expect(await violationsReported()).toEqual([expect.objectContaining({ directive: expect.stringMatching(/^style-src/), blocked: 'inline' })]);
  });

  it('renders Swagger UI under its own policy (inline styles only) without a violation', async () => {
    const res = await fetch(`${origin}/docs`);
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    const { context, page } = await newSession(browser, `${origin}/docs`);
    contexts.push(context);
    await page.locator('.swagger-ui .info .title').first().waitFor();
    await page.locator('.opblock').first().waitFor();
  });
});
