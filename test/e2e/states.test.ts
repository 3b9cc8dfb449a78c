/**
 * States and defaults on the seeded world (test/support/world.ts): a page opens on the last complete year; a year with
 * nothing to reconcile is not shown as 账实核对一致; an unreachable service offers 重试, which brings the page back; a
 * token revoked while in use signs the user out with the reason; the sign-in page is no taller than the window.
 */
import type { BrowserContext } from 'playwright-core';
import { describeInBrowser, openFromMenu, scenario, signIn, startConsole, type Console } from '../support/browser';
import { seedWorld, WORLD, type World } from '../support/world';

jest.setTimeout(300_000);

let console_: Console;
let world: World;

const newContext = (): Promise<BrowserContext> => console_.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });

describeInBrowser('states and defaults', () => {
  beforeAll(async () => {
    console_ = await startConsole();
    world = await seedWorld(console_.service);
  });
  afterAll(() => console_?.close());

  it('opens on the last complete year, and an empty year is not 账实核对一致', async () => {
    const step = scenario('states-reconciliation');
    const page = await signIn(await newContext(), console_.baseUrl, world.tokens.financeCity);
    await openFromMenu(page, '对账', '对账');
    const lastCompleteYear = new Date().getFullYear() - 1;
    expect(await page.locator('#reconciliation-year').inputValue()).toBe(String(lastCompleteYear));
    // Nothing of that year was approved in the seeded world (its run is of 2024 and only reviewed).
    await page.getByText('本年度没有可核对的应付贴息').waitFor();
    expect(await page.getByText('账实核对一致').count()).toBe(0);
    await step(page, 'empty-year');
  });

  it('an unreachable service offers 重试, and 重试 brings the page back', async () => {
    const step = scenario('states-unreachable');
    const page = await signIn(await newContext(), console_.baseUrl, world.tokens.staff);
    const LOANS = /\/api\/v1\/loans\?/;
    await page.route(LOANS, (route) => route.abort('connectionrefused'));
    await openFromMenu(page, '贷款', '贷款');
    await page.getByText('无法连接服务', { exact: false }).first().waitFor();
    const retry = page.getByRole('button', { name: /重\s?试/ });
    await retry.waitFor();
    await step(page, 'unreachable');
    await page.unroute(LOANS);
    await retry.click();
    await page.getByRole('link', { name: WORLD.loans.eligible }).waitFor();
    expect(await page.getByText('无法连接服务', { exact: false }).count()).toBe(0);
  });

  it('a token revoked while in use signs the user out and says why', async () => {
    const step = scenario('states-revoked');
    const auditor = await console_.service.principal('auditor', { name: '临时审计人员' });
    const page = await signIn(await newContext(), console_.baseUrl, auditor.token);
    const staff = console_.service.as(world.tokens.staff);
    expect((await staff.delete(`/api/v1/principals/${auditor.id}`)).status).toBe(200);
    // The next read is refused (401): the console signs out at once, whatever the page was doing.
    await page.reload();
    await page.getByText('已退出登录').waitFor();
    await page.getByText('您的访问令牌已被撤销或已失效', { exact: false }).waitFor();
    await page.getByLabel('访问令牌').waitFor();
    await step(page, 'signed-out');
    // The reason stays with the tab: reloading the sign-in page (or a read refused before the reload) still says why.
    await page.reload();
    await page.getByText('您的访问令牌已被撤销或已失效', { exact: false }).waitFor();
    // Signing in again clears it.
    const other = await console_.service.principal('auditor', { name: '另一位审计人员' });
    let inFlight = 0;
    page.on('request', () => (inFlight += 1));
    page.on('requestfinished', () => (inFlight -= 1));
    page.on('requestfailed', () => (inFlight -= 1));
    await page.getByLabel('访问令牌').fill(other.token);
    await page.getByRole('button', { name: '登 录' }).or(page.getByRole('button', { name: '登录' })).click();
    await page.getByRole('heading', { name: '总览' }).waitFor();
    // The overview's reads done first (no request for half a second): one sent after the token is gone would be refused
    // (401) and sign the tab out with a reason.
    for (let quiet = 0, waited = 0; quiet < 500 && waited < 10_000; quiet = inFlight === 0 ? quiet + 50 : 0, waited += 50) {
      await page.waitForTimeout(50);
    }
    await page.evaluate('sessionStorage.removeItem("ipl.token")');
    await page.reload();
    await page.getByLabel('访问令牌').waitFor();
    expect(await page.getByText('已退出登录').count()).toBe(0);
  });

  it('the sign-in page is no taller than the window', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(console_.baseUrl);
    await page.getByLabel('访问令牌').waitFor();
    expect((await page.evaluate('document.documentElement.scrollHeight')) as number).toBeLessThanOrEqual(900);
  });
});
