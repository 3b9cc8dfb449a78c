/**
 * The console's module pages in a real browser: staff put an enterprise on the white-list and a
 * bank sees it; the fund page shows the contributions and the claims queue (staff approve a claim); the dashboard
 * shows the lending card with its target; an auditor finds no button that changes anything on these pages. Every
 * step keeps a screenshot and passes axe-core (no serious or critical violation).
 */
import type { Page } from 'playwright-core';
import { ok, loan } from '../fund.support';
import { registerEnterprises, USCC } from '../loans.support';
import { choose, closes, consoleSuite, describeInBrowser, openFromMenu, scenario, signIn as signInAt } from '../support/browser';

jest.setTimeout(180_000);

const suite = consoleSuite({ viewport: { width: 1366, height: 860 } });

let bankToken = '';
let auditorToken = '';

const signIn = async (token: string): Promise<Page> => signInAt(await suite.newContext(), suite.console.baseUrl, token);
const open = openFromMenu;

/** A fund with 5,000,000.00 from the city, a defaulted enrolled loan and the bank's claim on it, through the API. */
async function seed(): Promise<void> {
  const service = suite.console.service;
  await registerEnterprises(service);
  const bank = await service.bank('E2E-BANK');
  bankToken = bank.token;
  auditorToken = (await service.principal('auditor')).token;
  const staff = service.as(service.staffToken);
  const agent = service.as(bank.token);
  const loanId = await loan({ agent }, { principal: '2000000.00', defaulted: true });
  const fund = ok(
    await staff.post('/api/v1/funds').send({ code: 'YZ', name: '园州风险补偿资金', shareOfLoss: '0.5', leverage: '10', claimAfterDaysOverdue: 30, bodies: ['city', 'district'] }),
    201,
  ).body as { id: string };
  ok(await staff.post(`/api/v1/funds/${fund.id}/contributions`).send({ body: 'city', amount: '5000000.00', date: '2024-01-10' }), 201);
  ok(await staff.post(`/api/v1/funds/${fund.id}/enrolments`).send({ loanId, date: '2024-02-01' }), 201);
  ok(await agent.post(`/api/v1/funds/${fund.id}/claims`).send({ loanId, date: '2025-03-15' }), 201);
}

describeInBrowser('the module pages in chromium', () => {
  suite.start();
  beforeAll(async () => {
    await seed();
  });

  it('staff add an enterprise to the white-list with a reason and validity period, and a bank sees it', async () => {
    const step = scenario('whitelist');
    const page = await signIn(suite.console.service.staffToken);
    await open(page, '白名单', '企业白名单');
    await step(page, 'empty');
    await page.getByRole('button', { name: '加入白名单' }).click();
    const dialog = page.getByRole('dialog', { name: '加入白名单' });
    await dialog.getByLabel('统一社会信用代码').fill(USCC.yuanzhou);
    await dialog.getByLabel('入选理由').fill('拥有高价值发明专利 3 件');
    await dialog.getByPlaceholder('生效日').click();
    await dialog.getByPlaceholder('生效日').fill('2024-01-01');
    await dialog.getByPlaceholder('生效日').press('Enter');
    await dialog.getByPlaceholder('截止日').fill('2030-12-31');
    await dialog.getByPlaceholder('截止日').press('Enter');
    await step(page, 'form');
    await dialog.getByRole('button', { name: '加 入' }).or(dialog.getByRole('button', { name: '加入' })).click();
    await closes(dialog);
    await page.getByRole('cell', { name: 'yuanzhou 企业' }).waitFor();
    await step(page, 'listed');

    const bankPage = await signIn(bankToken);
    await open(bankPage, '白名单', '企业白名单');
    await bankPage.getByRole('cell', { name: 'yuanzhou 企业' }).waitFor();
    await bankPage.getByRole('cell', { name: '拥有高价值发明专利 3 件' }).waitFor();
    expect(await bankPage.getByRole('button', { name: '加入白名单' }).count()).toBe(0);
    expect(await bankPage.locator('[data-operation^="POST"]').count()).toBe(0);
    await step(bankPage, 'bank-reads');
  });

  it('the fund page shows the contributions and the claims queue, and staff approve a claim after confirming', async () => {
    const step = scenario('fund');
    const page = await signIn(suite.console.service.staffToken);
    await open(page, '风险补偿', '风险补偿资金');
    await page.getByRole('cell', { name: '¥5,000,000.00' }).waitFor();
    await page.getByText('市财政').first().waitFor();
    await step(page, 'contributions');
    await page.getByRole('tab', { name: '入池贷款' }).click();
    await page.getByRole('cell', { name: '¥2,000,000.00' }).waitFor();
    await step(page, 'enrolments');
    await page.getByRole('tab', { name: '代偿申请' }).click();
    await page.getByText('待审核').first().waitFor();
    await step(page, 'claims-queue');
    await page.getByRole('button', { name: '计算过程' }).first().click();
    await page.getByRole('dialog', { name: '代偿金额计算过程' }).waitFor();
    await step(page, 'claim-trace');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '批 准' }).or(page.getByRole('button', { name: '批准' })).first().click();
    await page.getByRole('dialog', { name: /批准代偿申请/ }).getByRole('button', { name: '确认批准' }).click();
    await page.getByText('已批准').first().waitFor();
    await step(page, 'claim-approved');
    await page.getByRole('tab', { name: '对账单' }).click();
    await page.getByRole('button', { name: /导出 CSV/ }).waitFor();
    await step(page, 'statement');
  });

  it("the dashboard shows lending against the area's own target (Yuanzhou: 袁府办字〔2023〕25号 二), subsidy and fund figures", async () => {
    const step = scenario('dashboard-modules');
    const page = await signIn(suite.console.service.staffToken);
    const lending = page.locator('[data-slot="lending"]');
    // The first area and the last complete year by default.
    await lending.getByText('不低于 ¥100,000,000.00').waitFor();
    await choose(page, lending, lending.getByRole('combobox', { name: '年度' }), '2024 年');
    await lending.getByText('2024 年宜春市袁州区知识产权质押融资额').waitFor();
    await lending.getByText('¥2,000,000.00').first().waitFor();
    await page.locator('[data-slot="fund"]').getByText('园州风险补偿资金').waitFor();
    await step(page, 'dashboard');
  });

  it('an auditor finds no button that changes anything on the new pages', async () => {
    const step = scenario('auditor-modules');
    const page = await signIn(auditorToken);
    await page.locator('[data-slot="lending"]').getByText('年度目标').waitFor();
    await step(page, 'dashboard');
    const noChanges = async () => {
      expect(await page.locator('[data-operation^="POST"], [data-operation^="DELETE"]').count()).toBe(0);
      for (const name of ['加入白名单', '移出', '登记出资', '批准', '支付', '驳回']) {
        expect(await page.getByRole('button', { name }).count()).toBe(0);
      }
    };
    await noChanges();
    await open(page, '白名单', '企业白名单');
    await page.getByRole('cell', { name: 'yuanzhou 企业' }).waitFor();
    await noChanges();
    await step(page, 'whitelist');
    await open(page, '风险补偿', '风险补偿资金');
    await page.getByRole('cell', { name: '¥5,000,000.00' }).waitFor();
    await noChanges();
    await step(page, 'fund');
    await page.getByRole('tab', { name: '代偿申请' }).click();
    await page.getByText('已批准').first().waitFor();
    await noChanges();
    await step(page, 'claims');
    await open(page, '贷款', '贷款');
    await page.getByRole('columnheader', { name: /合同金额/ }).click();
    await noChanges();
    await step(page, 'loans-sorted');
  });
});
