/**
 * A console a clerk reads without help: with a seeded world (test/support/world.ts), every page and drawer as each
 * role — staff, a bank, the city's and the district's finance bureaus, an auditor — at 1440 × 900 in chromium. A page
 * fails when its visible text holds a run of three or more English words, a UUID or a policy's identifier (the USCCs,
 * contract numbers and codes a user types are allowed: none of them is three words); when the side menu is not 200 px
 * wide; or when axe-core finds a serious or critical violation. A screenshot of every page is kept in
 * test-artifacts/e2e/readable-<role>/.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { shippedPolicies } from '../../src/subsidy';
import { describeInBrowser, scenario, signIn, startConsole, type Console } from '../support/browser';
import { seedWorld, WORLD, type World } from '../support/world';

jest.setTimeout(600_000);

let console_: Console;
let world: World;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const POLICY_IDS = [...new Set(shippedPolicies.map((policy) => policy.id))];
/** Three or more English words in a row (a word: two or more Latin letters), separated by spaces or light punctuation. */
const ENGLISH_RUN = /\b[A-Za-z][a-z]+(?:[ \t,;:'’()-]+[A-Za-z][a-z]+){2,}\b/;

/** What a user types and the console must show as typed. */
const ALLOWED = [...WORLD.enterprises.map((enterprise) => enterprise.uscc), ...Object.values(WORLD.loans), WORLD.bank.code, WORLD.fund.code];

/** The problems of a page's visible text, each with the text around it. */
export function unreadable(text: string): string[] {
  let scrubbed = text;
  for (const allowed of ALLOWED) scrubbed = scrubbed.split(allowed).join(' ');
  const problems: string[] = [];
  const around = (index: number) => JSON.stringify(scrubbed.slice(Math.max(0, index - 40), index + 60));
  const uuid = UUID.exec(scrubbed);
  if (uuid) problems.push(`a UUID: ${around(uuid.index)}`);
  for (const id of POLICY_IDS) {
    const at = scrubbed.indexOf(id);
    if (at >= 0) problems.push(`a policy identifier: ${around(at)}`);
  }
  const english = ENGLISH_RUN.exec(scrubbed);
  if (english) problems.push(`English words: ${around(english.index)}`);
  return problems;
}

interface Visit {
  role: string;
  token: string;
}

const problems: string[] = [];

async function check(page: Page, step: (page: Page, name: string) => Promise<string>, role: string, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  const text = (await page.evaluate('document.body.innerText')) as string;
  for (const problem of unreadable(text)) problems.push(`${role} · ${name}: ${problem}`);
  const sider = await page.locator('.ant-layout-sider').first().boundingBox();
  if (sider && Math.round(sider.width) !== 200) problems.push(`${role} · ${name}: the side menu is ${sider.width} px wide`);
  await step(page, name.replace(/[\\/:*?"<>| ]/g, '_'));
}

async function visitEverything({ role, token }: Visit, context: BrowserContext): Promise<void> {
  const step = scenario(`readable-${role}`);
  const page = await signIn(context, console_.baseUrl, token);
  const menu = (await page.getByRole('menuitem').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
  for (const item of menu) {
    await page.getByRole('menuitem', { name: item }).click();
    await check(page, step, role, item);
    // Every tab of the page.
    const tabs = (await page.getByRole('tab').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
    for (const tab of tabs.slice(1)) {
      await page.getByRole('tab', { name: tab }).click();
      await check(page, step, role, `${item}-${tab}`);
      if (item === '风险补偿' && tab === '代偿申请') {
        const trace = page.getByRole('button', { name: '计算过程' }).first();
        if (await trace.count()) {
          await trace.click();
          await page.getByRole('dialog').getByText('代偿金额', { exact: false }).first().waitFor();
          await check(page, step, role, `${item}-${tab}-计算过程`);
          await page.keyboard.press('Escape');
        }
      }
    }
    if (item === '贷款') {
      for (const contractNo of Object.values(WORLD.loans)) {
        const link = page.getByRole('link', { name: contractNo });
        // The list reloads after going back: wait for it (a bank sees only its own loans, all three here).
        if (!(await link.first().waitFor({ timeout: 10_000 }).then(() => true, () => false))) continue;
        await link.first().click();
        await page.getByText('贷款信息').first().waitFor();
        await check(page, step, role, `贷款-${contractNo}`);
        await page.goBack();
        await page.getByRole('heading', { name: '贷款' }).waitFor();
      }
    }
    if (item === '企业') {
      const link = page.getByRole('link', { name: WORLD.enterprises[0].name });
      if (await link.count()) {
        await link.first().click();
        await check(page, step, role, '企业-详情');
        const detailTabs = (await page.getByRole('tab').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
        for (const tab of detailTabs.slice(1)) {
          await page.getByRole('tab', { name: tab }).click();
          await check(page, step, role, `企业-详情-${tab}`);
        }
        await page.goBack();
      }
    }
    if (item === '贴息') {
      const run = page.getByRole('link', { name: /2024 年度 第 \d+ 版/ }).first();
      if (await run.count()) {
        await run.click();
        await page.getByRole('heading', { name: /2024 年度 第 \d+ 版/ }).waitFor();
        await check(page, step, role, '贴息-批次');
        const lines = page.getByRole('button', { name: /查看计算/ });
        for (let index = 0; index < Math.min(await lines.count(), 3); index += 1) {
          await lines.nth(index).click();
          await page.getByTestId('trace').waitFor();
          await check(page, step, role, `贴息-计算过程-${index + 1}`);
          await page.keyboard.press('Escape');
          await page.getByTestId('trace').waitFor({ state: 'hidden' });
        }
      }
    }
  }
}

describeInBrowser('every page readable by a clerk, as each role', () => {
  beforeAll(async () => {
    console_ = await startConsole();
    world = await seedWorld(console_.service);
  });
  afterAll(() => console_?.close());

  it('finds the text rule itself sound', () => {
    expect(unreadable('贷款 YZ-2024-001（宜春市袁州区星火专利科技有限公司）')).toEqual([]);
    expect(unreadable('flagged by bootstrap')).toHaveLength(1);
    expect(unreadable('批次 0b6c1f9e-4d1a-4c1e-9a55-6f1d2e3c4b5a')).toHaveLength(1);
    expect(unreadable('2024 年度 yuanzhou-2023')).toHaveLength(1);
    expect(unreadable('ACT/360 · LPR1Y 3.45%')).toEqual([]);
  });

  it.each(['staff', 'bank', 'financeCity', 'financeDistrict', 'auditor'] as const)('as %s', async (role) => {
    problems.length = 0;
    const context = await console_.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    context.on('weberror', (error) => errors.push(error.error().message));
    await visitEverything({ role, token: world.tokens[role] }, context);
    await context.close();
    expect(errors).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('the sign-in page is no taller than the window', async () => {
    const context = await console_.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(console_.baseUrl);
    await page.getByLabel('访问令牌').waitFor();
    expect((await page.evaluate('document.documentElement.scrollHeight')) as number).toBeLessThanOrEqual(900);
    await context.close();
  });
});
