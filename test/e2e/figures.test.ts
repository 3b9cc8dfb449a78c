/**
 * Each figure in its unit, in the browser, on the seeded world (test/support/world.ts); the expected text is computed
 * by hand beside each check.
 *
 * Loan YZ-2024-001: ¥1,000,000.00 from 2024-03-15, LPR1Y 3.45 % (in force on the start date) × 15 %, 30E/360:
 * [2024-03-15, 2025-01-01) = f(2025-01-01) − f(2024-03-15) = 729,001 − 728,715 = 286 days.
 *   Σ base × days = 1,000,000.00 × 286 = 286,000,000.00 元·天 (not money: no ¥);
 *   286,000,000 × 0.0345 × 0.15 ÷ 360 = 1,480,050 ÷ 360 = 4,111.25 exactly → ¥4,111.25 unrounded and rounded.
 * Fund YZ: ¥5,000,000.00 from the city; YZ-2024-017 (¥2,000,000.00) enrolled → leverage used 2,000,000 ÷ 5,000,000 =
 *   0.4 → "0.40 倍"; the limit 10 → "10.00 倍". Its claim: covered loss 2,000,000.00 × IP share 1 = ¥2,000,000.00, the
 *   fund's half ¥1,000,000.00.
 * Loan YZ-2023-009 matured 2024-01-10 with ¥500,000.00 outstanding and no event since → 已到期未结清.
 * The fund's cash account (an asset) holds ¥5,000,000.00 on its debit side → "借 ¥5,000,000.00"; the city's capital
 *   (equity) the same on its credit side → "贷 ¥5,000,000.00".
 */
import type { Page } from 'playwright-core';
import { describeInBrowser, openFromMenu, scenario, signIn, startConsole, type Console } from '../support/browser';
import { seedWorld, WORLD, type World } from '../support/world';

jest.setTimeout(300_000);

let console_: Console;
let world: World;
let page: Page;

describeInBrowser('figures in their units', () => {
  beforeAll(async () => {
    console_ = await startConsole();
    world = await seedWorld(console_.service);
    const context = await console_.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    page = await signIn(context, console_.baseUrl, world.tokens.staff);
  });
  afterAll(() => console_?.close());
  // A drawer left open by a failed check would cover the menu for the next one.
  beforeEach(() => page.goto(`${console_.baseUrl}/`).then(() => page.getByRole('heading', { name: '总览' }).waitFor()));

  it('the trace drawer: yuan with two places, days as days, fen-days as 元·天, the formula in Chinese', async () => {
    const step = scenario('figures-trace');
    await openFromMenu(page, '贴息', '贴息');
    await page.getByRole('link', { name: /^袁州区专利权质押贷款贴息 2024 年度 第 \d+ 版$/ }).first().click();
    const row = page.getByRole('row').filter({ hasText: WORLD.loans.eligible });
    await row.getByRole('cell', { name: '¥4,111.25' }).first().waitFor();
    await row.getByRole('button', { name: /查看计算/ }).click();
    const trace = page.getByTestId('trace');
    await trace.getByText('Σ 计息基数 × 天数 = 286,000,000.00 元·天').waitFor();
    await trace.getByText('Σ 计息基数 × 天数 286,000,000.00 元·天 × 利率 3.45% × 贴息比例 15% ÷ 360 = ¥4,111.25（四舍五入到分）').waitFor();
    await trace.getByRole('cell', { name: '286 天', exact: true }).waitFor();
    await trace.getByRole('cell', { name: '¥1,000,000.00' }).first().waitFor();
    const text = await trace.innerText();
    expect(text).not.toContain('¥286,000,000.00');
    expect(text).not.toContain('¥411,125');
    expect(text).not.toMatch(/fen/);
    await step(page, 'trace');
    await page.keyboard.press('Escape');
  });

  it('leverage with two places; the claim’s calculation like the run trace', async () => {
    const step = scenario('figures-fund');
    await openFromMenu(page, '风险补偿', '风险补偿资金');
    await page.getByText('0.40 倍', { exact: true }).waitFor();
    await page.getByText('（10.00 倍）', { exact: false }).first().waitFor();
    await step(page, 'leverage');
    await page.getByRole('tab', { name: '代偿申请' }).click();
    await page.getByRole('button', { name: '计算过程' }).first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('覆盖损失（四舍五入到分）').waitFor();
    await drawer.getByText('¥2,000,000.00').first().waitFor();
    await drawer.getByText('资金池应承担 ¥1,000,000.00').waitFor();
    expect(await drawer.innerText()).not.toMatch(/cutFen|limitFen|unroundedFen/);
    await step(page, 'claim-trace');
    await page.keyboard.press('Escape');
  });

  it('a loan past maturity with principal outstanding is 已到期未结清', async () => {
    await openFromMenu(page, '贷款', '贷款');
    await page.getByRole('row').filter({ hasText: WORLD.loans.matured }).getByText('已到期未结清').waitFor();
    // The bank's events still decide a loan they speak of: YZ-2024-017 is in default.
    await page.getByRole('row').filter({ hasText: WORLD.loans.defaulted }).getByText('违约').waitFor();
  });

  it('ledger balances on their side', async () => {
    const step = scenario('figures-ledger');
    await openFromMenu(page, '账务', '账务');
    await page.getByRole('row').filter({ hasText: '风险补偿资金池 YZ：资金专户' }).getByText('借 ¥5,000,000.00').waitFor();
    await page.getByRole('row').filter({ hasText: '风险补偿资金池 YZ：市财政局出资' }).getByText('贷 ¥5,000,000.00').waitFor();
    expect(await page.getByRole('main').innerText()).not.toMatch(/-¥/);
    await step(page, 'trial-balance');
  });
});
