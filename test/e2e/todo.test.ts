/**
 * 待办 in a real browser: each person finds what waits for them, sees who did the step before and when, opens the
 * place where it is done, does it there, and finds the list moved on. Staff review a draft run; the city's finance
 * bureau pays its share of an approved run; staff approve a bank's fund claim. Every step keeps a screenshot and
 * passes axe-core.
 *
 * The run: Yuanzhou 2024, one loan of 1,000,000.00 from 2024-03-15: 286 days (30E/360 to 2025-01-01) ×
 * 0.0345 × 0.15 / 360 = 4,111.25; city 50 % = 2,055.625 → 2,055.63 (the odd fen to the body listed first).
 * The claim: 1,000,000.00 defaulted, nothing repaid, share 0.5 → 500,000.00.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { closes, consoleSuite, describeInBrowser, fillDate, openFromMenu, scenario, signIn as signInAt } from '../support/browser';
import type { AuthorisedAgent } from '../support/app';

jest.setTimeout(300_000);

const USCC = '91360902MA36R7KCX7';

const suite = consoleSuite();

const signIn = (context: BrowserContext, token: string): Promise<Page> => signInAt(context, suite.console.baseUrl, token);

async function postLoan(bank: AuthorisedAgent, contractNo: string, events: Array<Record<string, string>>): Promise<string> {
  const created = await bank.post('/api/v1/loans').send({
    contractNo,
    enterpriseUscc: USCC,
    principal: '1000000.00',
    annualRate: '0.0435',
    startDate: '2024-03-15',
    maturityDate: '2026-03-15',
    collateral: 'ip_only',
    pledges: [{ rightType: 'patent', number: '202310123456.6' }],
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  for (const event of events) {
    const posted = await bank.post(`/api/v1/loans/${created.body.id}/events`).send(event);
    if (posted.status !== 201) throw new Error(JSON.stringify(posted.body));
  }
  return created.body.id as string;
}

describeInBrowser('待办 in chromium', () => {
  suite.start();

  it('staff review a draft from 待办, the finance bureau pays from 待办, staff approve a claim from 待办', async () => {
    const step = scenario('todo');
    const service = suite.console.service;
    const staff = service.as(service.staffToken);
    expect((await staff.post('/api/v1/enterprises').send({ uscc: USCC, name: '宜春市袁州区星火专利科技有限公司' })).status).toBe(201);
    const bankLogin = await service.bank('YZ-TODO');
    const bank = service.as(bankLogin.token);
    await postLoan(bank, 'TD-SUB', [{ type: 'disbursement', date: '2024-03-15', amount: '1000000.00' }]);
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(run.status).toBe(201);

    // Staff: the draft waits for review; who computed it is named.
    const context = await suite.newContext();
    const page = await signIn(context, service.staffToken);
    await openFromMenu(page, '待办', '待办');
    const draft = page.locator('[data-kind="run_review"]');
    await draft.getByText('贴息测算待复核').waitFor();
    await draft.getByText('¥4,111.25').waitFor();
    await draft.getByText(/上一步：测算 — 初始管理员，\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/).waitFor();
    await step(page, 'staff-todo');
    await draft.getByRole('link', { name: /办理/ }).click();
    await page.getByRole('heading', { name: /^袁州区专利权质押贷款贴息 2024 年度 第 \d+ 版$/ }).waitFor();
    // Reviewed as it was in January 2025, when the year had ended (the history loaded with its real dates).
    await page.getByRole('button', { name: '复核通过' }).click();
    await fillDate(page.getByRole('dialog', { name: '复核通过' }), '复核日期', '2025-01-10');
    await page.getByRole('button', { name: '确认复核' }).click();
    await page.getByText('已复核', { exact: true }).waitFor();
    await openFromMenu(page, '待办', '待办');
    const reviewed = page.locator('[data-kind="run_publicity"]');
    await reviewed.getByText('已复核，待公示').waitFor();
    await reviewed.getByText(/上一步：复核 — 初始管理员，2025-01-10/).waitFor();
    expect(await page.locator('[data-kind="run_review"]').count()).toBe(0);
    await step(page, 'staff-todo-reviewed');

    // Its past publicity (by API, as when loading history), then its approval; the city's bureau finds its share to pay.
    const runId = run.body.id as string;
    expect(
      (await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'publicised', date: '2025-01-11', publicityFrom: '2025-01-11', publicityTo: '2025-01-18' }))
        .status,
    ).toBe(200);
    await page.reload();
    const publicised = page.locator('[data-kind="run_approval"]');
    await publicised.getByText('公示期已于 2025-01-18 届满，可审批', { exact: false }).waitFor();
    await publicised.getByText(/上一步：公示 — 初始管理员，2025-01-11（录入于/).waitFor();
    await step(page, 'staff-todo-publicised');
    expect((await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'approved', date: '2025-01-20' })).status).toBe(200);

    const finance = await service.principal('finance', { body: 'city', name: '市财政局' });
    const financeContext = await suite.newContext();
    const financePage = await signIn(financeContext, finance.token);
    await openFromMenu(financePage, '待办', '待办');
    const payment = financePage.locator('[data-kind="run_payment"]');
    await payment.getByText('已批准，待拨付').waitFor();
    // The city's half: 4,111.25 × 50 % = 2,055.625 → 2,055.63.
    await payment.getByText('¥2,055.63').waitFor();
    await payment.getByText(/上一步：批准 — 初始管理员，2025-01-20（录入于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}）/).waitFor();
    await step(financePage, 'finance-todo');
    await payment.getByRole('link', { name: /办理/ }).click();
    await financePage.getByRole('heading', { name: '对账' }).waitFor();
    await financePage.getByTestId('body-city').getByText('¥2,055.63').first().waitFor();
    await financePage.getByRole('button', { name: '登记拨付' }).click();
    const pay = financePage.getByRole('dialog', { name: '登记拨付' });
    await pay.getByLabel('金额（元）').fill('2055.63');
    await pay.getByLabel('凭证号').fill('市财拨〔2025〕3号');
    await pay.getByRole('button', { name: '确认拨付' }).click();
    await closes(pay);
    await openFromMenu(financePage, '待办', '待办');
    await financePage.getByText('没有待办事项').waitFor();
    await step(financePage, 'finance-todo-done');
    await financeContext.close();

    // A bank's claim: the bank sees it under review, staff review it from 待办.
    const fund = await staff.post('/api/v1/funds').send({
      code: 'TODO-RCF',
      name: '园州区风险补偿资金',
      shareOfLoss: '0.5',
      leverage: '10',
      claimAfterDaysOverdue: 90,
      bodies: ['city', 'district'],
      effectiveFrom: '2024-01-01',
    });
    expect(fund.status).toBe(201);
    const fundId = fund.body.id as string;
    expect((await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'city', amount: '1000000.00', date: '2024-01-10' })).status).toBe(201);
    const defaulted = await postLoan(bank, 'TD-DEF', [
      { type: 'disbursement', date: '2024-03-15', amount: '1000000.00' },
      { type: 'overdue', date: '2025-01-01' },
      { type: 'default', date: '2025-02-01' },
    ]);
    expect((await bank.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId: defaulted, date: '2024-04-01' })).status).toBe(201);
    expect((await bank.post(`/api/v1/funds/${fundId}/claims`).send({ loanId: defaulted, date: '2025-06-01' })).status).toBe(201);

    const bankContext = await suite.newContext();
    const bankPage = await signIn(bankContext, bankLogin.token);
    await openFromMenu(bankPage, '待办', '待办');
    // 1,000,000.00 × 0.5 = 500,000.00.
    await bankPage.locator('[data-kind="claim_review"]').getByText('¥500,000.00').waitFor();
    await step(bankPage, 'bank-todo');

    await page.reload();
    const claim = page.locator('[data-kind="claim_review"]');
    await claim.getByText('代偿申请待审核').waitFor();
    await claim.getByText('TD-DEF', { exact: false }).waitFor();
    await claim.getByText(/上一步：提交申请 — YZ-TODO system，2025-06-01/).waitFor();
    await step(page, 'staff-todo-claim');
    await claim.getByRole('link', { name: /办理/ }).click();
    await page.getByRole('tab', { name: '代偿申请', selected: true }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'TD-DEF' });
    await row.getByRole('button', { name: '批准' }).or(row.getByRole('button', { name: '批 准' })).click();
    await page.getByRole('dialog', { name: /批准代偿申请/ }).getByRole('button', { name: '确认批准' }).click();
    await row.getByText('已批准').waitFor();
    await openFromMenu(page, '待办', '待办');
    await page.locator('[data-kind="claim_payment"]').getByText('代偿已批准，待支付').waitFor();
    await step(page, 'staff-todo-claim-approved');
    await bankPage.reload();
    await bankPage.getByText('没有待办事项').waitFor();
    await bankContext.close();
    await context.close();
  });
});
