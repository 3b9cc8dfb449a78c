/**
 * Targets per area in a real browser: the dashboard's lending card for Dongyang shows its own target of 1 billion a
 * year (《关于全面加强知识产权工作的实施意见》 一) against what was lent to enterprises registered in Dongyang only;
 * Yuanzhou's shows its own, and the per-10,000-people indicator once staff enter the district's population in the
 * card's 目标与人口 drawer. Every step keeps a screenshot and passes axe-core.
 *
 * The seeded loans (a bank, through the API):
 *   Dongyang (330783):  2024-03-01 600,000,000.00 patent; 2024-09-01 450,000,000.00 trademark;
 *                       2023-03-01 300,000,000.00 patent.
 *   Yuanzhou (360902):  2024-02-01 52,000,000.00 patent; 2023-05-01 40,000,000.00 patent.
 * Dongyang 2024: 600,000,000.00 + 450,000,000.00 = 1,050,000,000.00 ≥ 1,000,000,000.00 (met); growth on 2023:
 * (1,050,000,000 − 300,000,000) / 300,000,000 = 250.00 %. Yuanzhou 2024: 52,000,000.00 < 100,000,000.00 (not met);
 * patent growth (52 − 40) / 40 = 30.00 % (met); per 10,000 of 1,100,000 people: 52,000,000.00 × 10,000 ÷ 1,100,000
 * = 472,727.2727… → ¥472,727.27.
 */
import type { Locator, Page } from 'playwright-core';
import { loanBody, registerEnterprises, USCC } from '../loans.support';
import { choose as chooseOption, consoleSuite, describeInBrowser, scenario, signIn as signInAt } from '../support/browser';

jest.setTimeout(240_000);

const suite = consoleSuite();

/** The dashboard's selects, by their accessible names (地区, 年度): the card's own labels are not form labels. */
const choose = (page: Page, scope: Locator, label: string, option: string): Promise<void> =>
  chooseOption(page, scope, scope.getByRole('combobox', { name: label }), option);

describeInBrowser('targets per area in chromium', () => {
  suite.start();
  beforeAll(async () => {
    const service = suite.console.service;
    await registerEnterprises(service);
    const bank = await service.bank('TGT-E2E');
    const trademark = { pledges: [{ rightType: 'trademark', number: '7654321' }] };
    for (const [uscc, principal, startDate, overrides] of [
      [USCC.dongyang, '600000000.00', '2024-03-01', {}],
      [USCC.dongyang, '450000000.00', '2024-09-01', trademark],
      [USCC.dongyang, '300000000.00', '2023-03-01', {}],
      [USCC.yuanzhou, '52000000.00', '2024-02-01', {}],
      [USCC.yuanzhou, '40000000.00', '2023-05-01', {}],
    ] as const) {
      const maturityDate = `${Number(startDate.slice(0, 4)) + 1}${startDate.slice(4)}`;
      const response = await service.as(bank.token).post('/api/v1/loans').send(loanBody({ enterpriseUscc: uscc, principal, startDate, maturityDate, ...overrides }));
      if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    }
  });

  it('the Dongyang dashboard shows its 1-billion target and what was lent in Dongyang only', async () => {
    const step = scenario('targets-dongyang');
    const page = await signInAt(await suite.newContext(), suite.console.baseUrl, suite.console.service.staffToken);
    const lending = page.locator('[data-slot="lending"]');
    await choose(page, lending, '地区', '东阳市');
    await choose(page, lending, '年度', '2024 年');
    await lending.getByText('2024 年东阳市知识产权质押融资额').waitFor();
    await lending.getByText('¥1,050,000,000.00').first().waitFor();
    const target = lending.locator('[data-target="annual_amount"]');
    await target.getByText('不低于 ¥1,000,000,000.00').waitFor();
    await target.getByText('达到').waitFor();
    await target.getByText('《关于全面加强知识产权工作的实施意见》 一、总体目标').waitFor();
    // No growth target in Dongyang's document: the growth is shown without a target line.
    expect(await lending.locator('[data-target="annual_growth"]').count()).toBe(0);
    await lending.getByText('同比 250.00%').waitFor();
    // Nothing of Yuanzhou's 52,000,000.00.
    expect(await lending.getByText('¥52,000,000.00').count()).toBe(0);
    await step(page, 'dongyang-2024');

    // 2022: the target starts in 2023, so there is no target line.
    await choose(page, lending, '年度', '2022 年');
    await lending.getByText('文件未对东阳市 2022 年设定目标。').waitFor();
    await step(page, 'dongyang-2022');
  });

  it("Yuanzhou's own targets, and the per-10,000-people indicator once staff enter the population", async () => {
    const step = scenario('targets-yuanzhou');
    const page = await signInAt(await suite.newContext(), suite.console.baseUrl, suite.console.service.staffToken);
    const lending = page.locator('[data-slot="lending"]');
    await choose(page, lending, '地区', '宜春市袁州区');
    await choose(page, lending, '年度', '2024 年');
    await lending.locator('[data-target="annual_amount"]').getByText('不低于 ¥100,000,000.00').waitFor();
    await lending.locator('[data-target="annual_amount"]').getByText('未达到').waitFor();
    await lending.locator('[data-target="annual_growth"]').getByText('同比 30.00%').waitFor();
    await lending.locator('[data-target="per_10k_people"]').getByText('录入该地区人口后显示').waitFor();
    await step(page, 'yuanzhou-2024');

    await lending.getByRole('button', { name: '目标与人口' }).click();
    const drawer = page.getByRole('dialog', { name: '宜春市袁州区：目标与人口' });
    await drawer.getByRole('cell', { name: '袁府办字〔2023〕25号 四(二)' }).waitFor();
    await drawer.getByLabel('年度', { exact: true }).fill('2024');
    await drawer.getByLabel('人口', { exact: true }).fill('1100000');
    await drawer.getByLabel('来源', { exact: true }).fill('袁州区 2024 年统计公报');
    await step(page, 'population-form');
    await drawer.getByRole('button', { name: '登记人口' }).click();
    await drawer.getByRole('cell', { name: '1,100,000' }).waitFor();
    await page.keyboard.press('Escape');
    await lending.locator('[data-target="per_10k_people"]').getByText('¥472,727.27').waitFor();
    await step(page, 'indicator');
  });
});
