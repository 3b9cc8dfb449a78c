/**
 * The console works under its Content-Security-Policy (src/http/headers.ts): staff sign in and open every page of
 * the menu, an auditor too, and the browser reports no violation (a blocked script, style, font, image or call) and
 * no uncaught error. The policy and the other security headers are checked on the document the browser received.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { CONSOLE_CONTENT_SECURITY_POLICY } from '../../src/http/headers';
import { describeInBrowser, signIn, startConsole, type Console } from '../support/browser';

jest.setTimeout(180_000);

let console_: Console;
const violations: string[] = [];
const pageErrors: string[] = [];

async function newContext(): Promise<BrowserContext> {
  const context = await console_.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 860 } });
  // Installed through the DevTools protocol before any script of the page runs (not subject to the page's CSP).
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      (window.__cspViolations ??= []).push(event.effectiveDirective + ' blocked ' + (event.blockedURI || '(inline)') + ' at ' + event.sourceFile + ':' + event.lineNumber);
    });`,
  });
  context.on('weberror', (error) => pageErrors.push(error.error().message));
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  return context;
}

async function collect(page: Page): Promise<void> {
  violations.push(...((await page.evaluate('window.__cspViolations ?? []')) as string[]));
}

/** Every entry of the side menu, opened in turn, each left once the network is quiet. */
async function visitEveryPage(page: Page): Promise<string[]> {
  const items = page.getByRole('menuitem');
  const names = (await items.allInnerTexts()).map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    await page.getByRole('menuitem', { name }).click();
    await page.waitForLoadState('networkidle');
    await collect(page);
  }
  return names;
}

describeInBrowser('the console under its Content-Security-Policy', () => {
  beforeAll(async () => {
    console_ = await startConsole();
  });
  afterAll(() => console_?.close());

  it('is served with the policy and the other security headers', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const response = (await page.goto(console_.baseUrl))!;
    const headers = response.headers();
    expect(headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    await context.close();
  });

  it('staff and an auditor open every page of the menu without a single violation or uncaught error', async () => {
    const staffContext = await newContext();
    const staff = await signIn(staffContext, console_.baseUrl, console_.service.staffToken);
    await collect(staff);
    const staffPages = await visitEveryPage(staff);
    // 总览, 贷款, 白名单, 企业, 账务, 贴息, 对账, 风险补偿, 机构与用户, 审计: the menu as staff see it.
    expect(staffPages.length).toBeGreaterThanOrEqual(10);
    await staffContext.close();

    const auditor = await console_.service.principal('auditor');
    const auditorContext = await newContext();
    const auditorPage = await signIn(auditorContext, console_.baseUrl, auditor.token);
    await visitEveryPage(auditorPage);
    await auditorContext.close();

    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
