/**
 * A partner bank's own work in a real browser: its 总览 shows its loans, the subsidies granted on them and its
 * claims (GET /api/v1/banks/{id}/figures); it records one loan and its events by hand, without a CSV; another bank's
 * 总览 shows none of it. Every step keeps a screenshot and passes axe-core.
 *
 * The loan: 1,000,000.00 from 2024-03-15, disbursed that day. Yuanzhou 2024: LPR1Y 3.45 % (fixed 2023-08-21) × 15 %,
 * 30E/360 over [2024-03-15, 2025-01-01) = 729,001 − 728,715 = 286 days → 1,000,000 × 0.0345 × 0.15 × 286 / 360 =
 * 4,111.25, granted on the bank's loan; paid in full once the city (2,055.63) and the district (2,055.62) have paid.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { button, choose, closes, consoleSuite, describeInBrowser, fillDate, openFromMenu, scenario, signIn as signInAt } from '../support/browser';

jest.setTimeout(300_000);

const USCC = '91360902MA36R7KCX7';

const suite = consoleSuite();

const signIn = (context: BrowserContext, token: string): Promise<Page> => signInAt(context, suite.console.baseUrl, token);

describeInBrowser('a bank in chromium', () => {
  suite.start();

  it('a bank records a loan and its events by hand and sees its loans, the subsidy granted and paid on them on 总览', async () => {
    const step = scenario('bank-own');
    const service = suite.console.service;
    const staff = service.as(service.staffToken);
    expect((await staff.post('/api/v1/enterprises').send({ uscc: USCC, name: '宜春市袁州区星火专利科技有限公司' })).status).toBe(201);
    const bankA = await service.bank('YZ-BANK-A');
    const bankB = await service.bank('YZ-BANK-B');

    const context = await suite.newContext();
    const page = await signIn(context, bankA.token);
    const menu = (await page.getByRole('menuitem').allInnerTexts()).map((text) => text.trim());
    expect(menu).toEqual(['总览', '待办', '贷款', '白名单', '企业', '风险补偿']);
    await page.locator('.ant-card').filter({ hasText: '本行贷款' }).getByText('贷款 0 笔，合同金额').waitFor();
    await page.getByText('尚无已批准的贴息').waitFor();
    await step(page, 'dashboard-empty');

    // One loan, typed in.
    await openFromMenu(page, '贷款', '贷款');
    await page.getByRole('button', { name: '登记贷款' }).click();
    const loan = page.getByRole('dialog', { name: '登记贷款' });
    await loan.getByLabel('合同编号').fill('YZ-2024-HAND');
    await loan.getByLabel('借款企业统一社会信用代码').fill(USCC);
    await loan.getByLabel('合同金额（元）').fill('1000000.00');
    await loan.getByLabel('年利率（%）').fill('4.35');
    await fillDate(loan, '起始日', '2024-03-15');
    await fillDate(loan, '到期日', '2026-03-15');
    await loan.getByLabel('质押物 1 号码').fill('202310123456.7');
    // Each submission is awaited to its answer: the button shows 登记 again only once the call is over.
    const loanPosted = () => page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/v1/loans');
    let answer = loanPosted();
    await button(loan, '登记').click();
    expect((await answer).status()).toBe(422);
    // The API's check of the patent number lands on the pledge's field.
    await loan.locator('.ant-form-item-explain-error').first().waitFor();
    await step(page, 'loan-refused-pledge');
    await loan.getByLabel('质押物 1 号码').fill('202310123456.6');
    await step(page, 'loan-form');
    answer = loanPosted();
    await button(loan, '登记').click();
    expect((await answer).status()).toBe(201);
    await page.getByRole('heading', { name: '贷款 YZ-2024-HAND' }).waitFor();
    await page.getByText('4.35%').waitFor();
    await step(page, 'loan-recorded');

    // Its disbursement, then a repayment above the outstanding principal (refused), then interest.
    await page.getByRole('button', { name: '登记事件' }).click();
    let event = page.getByRole('dialog', { name: /登记事件/ });
    await fillDate(event, '日期', '2024-03-15');
    await event.getByLabel('金额（元）').fill('1000000.00');
    await button(event, '登记').click();
    await closes(event);
    await page.locator('.ant-card').filter({ hasText: '贷款余额' }).getByText('¥1,000,000.00').first().waitFor();
    await step(page, 'disbursed');

    await page.getByRole('button', { name: '登记事件' }).click();
    event = page.getByRole('dialog', { name: /登记事件/ });
    await choose(page, event, '事件', '还本');
    await fillDate(event, '日期', '2024-06-15');
    await event.getByLabel('金额（元）').fill('1000000.01');
    await button(event, '登记').click();
    await event.locator('.ant-form-item-explain-error, .ant-alert').first().waitFor();
    await step(page, 'repayment-refused');
    await choose(page, event, '事件', '付息');
    await event.getByLabel('金额（元）').fill('10875.00');
    await button(event, '登记').click();
    await closes(event);
    // 1,000,000 × 4.35 % × 90 / 360 = 10,875.00 of interest for a quarter.
    await page.locator('.ant-card').filter({ hasText: '已付利息' }).getByText('¥10,875.00').first().waitFor();
    await page.locator('.ant-card').filter({ hasText: '贷款余额' }).getByText('¥1,000,000.00').first().waitFor();
    await step(page, 'interest-paid');

    // The service centre runs Yuanzhou 2024 and both bureaus pay (by API); the bank's 总览 shows it granted and paid.
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(run.status).toBe(201);
    const runId = run.body.id as string;
    expect((await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'reviewed', date: '2025-01-10' })).status).toBe(200);
    expect(
      (await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'publicised', date: '2025-01-11', publicityFrom: '2025-01-11', publicityTo: '2025-01-18' }))
        .status,
    ).toBe(200);
    expect((await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'approved', date: '2025-01-20' })).status).toBe(200);
    await openFromMenu(page, '总览', '总览');
    const subsidies = page.locator('.ant-card').filter({ hasText: '借款企业获得的贴息' });
    await subsidies.getByRole('cell', { name: '¥4,111.25' }).waitFor();
    await subsidies.getByRole('cell', { name: '¥0.00' }).waitFor();
    const city = service.as((await service.principal('finance', { body: 'city', name: '市财政局' })).token);
    const district = service.as((await service.principal('finance', { body: 'district', name: '区财政局' })).token);
    expect((await city.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'city', amount: '2055.63', date: '2025-02-01', reference: '市财拨〔2025〕1号' })).status).toBe(201);
    expect(
      (await district.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'district', amount: '2055.62', date: '2025-02-01', reference: '区财拨〔2025〕1号' })).status,
    ).toBe(201);
    await page.reload();
    await page.locator('.ant-card').filter({ hasText: '本行贷款' }).getByText('贷款 1 笔，合同金额').waitFor();
    // 2,055.63 + 2,055.62 = 4,111.25 paid.
    await subsidies.getByRole('cell', { name: '¥4,111.25' }).nth(1).waitFor();
    await subsidies.getByRole('cell', { name: '1 家 / 1 笔' }).waitFor();
    await step(page, 'dashboard');
    await context.close();

    // Another bank's 总览 shows its own figures only.
    const otherContext = await suite.newContext();
    const other = await signIn(otherContext, bankB.token);
    await other.locator('.ant-card').filter({ hasText: '本行贷款' }).getByText('贷款 0 笔，合同金额').waitFor();
    await other.getByText('尚无已批准的贴息').waitFor();
    expect(await other.getByText('¥4,111.25').count()).toBe(0);
    await step(other, 'other-bank');
    // And its figures are 404 to bank B.
    expect((await service.as(bankB.token).get(`/api/v1/banks/${bankA.bankId}/figures`)).status).toBe(404);
    await otherContext.close();
  });
});
