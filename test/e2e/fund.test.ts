/**
 * 风险补偿 in a real browser, each step done by the person whose work it is (docs/api.md "Risk-compensation fund";
 * src/fund/README.md): staff set a fund up and change its rules from a date, record capital, enrol a loan and
 * withdraw a settled one; the bank claims for its defaulted loan and records a recovery; staff approve, pay, record
 * a recovery the bank reported to them and write off the rest. Every figure that moves is checked against the
 * arithmetic in the comments; every step keeps a screenshot and passes axe-core.
 *
 * The money: capital 1,000,000.00 (city). Loan FD-DEF 1,000,000.00, 200,000.00 repaid, overdue 2025-01-01, default
 * 2025-02-01; claimed on 2025-06-01 under version 2 (from 2025-01-01, share 0.3): (1,000,000 − 200,000) × 0.3 =
 * 240,000.00 (under the cap of 300,000.00). Paid: cash 1,000,000.00 − 240,000.00 = 760,000.00. Recovery of
 * 100,000.00 reported in the console by the bank: × 240,000 / 800,000 = 30,000.00 back into the cash: 790,000.00;
 * another 50,000.00 the bank reported to the service centre, recorded by staff: × 0.3 = 15,000.00: 805,000.00.
 * Written off: 240,000.00 − 30,000.00 − 15,000.00 = 195,000.00 (the cash does not move).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { button, choose, closes, consoleSuite, describeInBrowser, fillDate, openFromMenu, scenario, signIn as signInAt } from '../support/browser';
import type { AuthorisedAgent } from '../support/app';

jest.setTimeout(300_000);

const USCC = '91360902MA36R7KCX7';
const PATENT = '202310123456.6';

const suite = consoleSuite();

const signIn = (context: BrowserContext, token: string): Promise<Page> => signInAt(context, suite.console.baseUrl, token);

/** The KPI card titled `title` shows `value`. */
const kpi = (page: Page, title: string, value: string) =>
  page.locator('.ant-card').filter({ hasText: title }).getByText(value, { exact: true }).waitFor();

async function postLoan(bank: AuthorisedAgent, contractNo: string, principal: string, events: Array<Record<string, string>>): Promise<string> {
  const created = await bank.post('/api/v1/loans').send({
    contractNo,
    enterpriseUscc: USCC,
    principal,
    annualRate: '0.0435',
    startDate: '2024-02-01',
    maturityDate: '2026-02-01',
    collateral: 'ip_only',
    pledges: [{ rightType: 'patent', number: PATENT }],
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  for (const event of events) {
    const posted = await bank.post(`/api/v1/loans/${created.body.id}/events`).send(event);
    if (posted.status !== 201) throw new Error(JSON.stringify(posted.body));
  }
  return created.body.id as string;
}

describeInBrowser('风险补偿 in chromium', () => {
  suite.start();

  it('staff set up a fund and its rules, enrol and withdraw; the bank claims and recovers; staff pay, record a recovery and write off', async () => {
    const step = scenario('fund');
    const service = suite.console.service;
    const staffApi = service.as(service.staffToken);
    expect((await staffApi.post('/api/v1/enterprises').send({ uscc: USCC, name: '宜春市袁州区星火专利科技有限公司' })).status).toBe(201);
    const bankLogin = await service.bank('YZ-FUND');
    const bankApi = service.as(bankLogin.token);
    // FD-DEF: 1,000,000 disbursed, 200,000 repaid, overdue then default. FD-SET: 300,000 disbursed, enrolled by the
    // bank, then repaid and settled.
    await postLoan(bankApi, 'FD-DEF', '1000000.00', [
      { type: 'disbursement', date: '2024-02-01', amount: '1000000.00' },
      { type: 'principal_repayment', date: '2024-08-01', amount: '200000.00' },
      { type: 'overdue', date: '2025-01-01' },
      { type: 'default', date: '2025-02-01' },
    ]);
    const settled = await postLoan(bankApi, 'FD-SET', '300000.00', [{ type: 'disbursement', date: '2024-02-01', amount: '300000.00' }]);

    const context = await suite.newContext();
    const page = await signIn(context, service.staffToken);
    await openFromMenu(page, '风险补偿', '风险补偿资金');
    await page.getByText('尚未设立风险补偿资金').waitFor();
    await step(page, 'no-fund');

    // 1. Set the fund up.
    await page.getByRole('button', { name: '设立资金' }).click();
    const create = page.getByRole('dialog', { name: '设立风险补偿资金' });
    await create.getByLabel('资金名称').fill('园州区知识产权质押融资风险补偿资金');
    await create.getByLabel('资金代码').fill('YZ-RCF');
    await create.getByLabel('代偿比例').fill('0.5');
    await create.getByLabel('放大倍数').fill('10');
    await create.getByLabel('单笔代偿上限（元）').fill('300000.00');
    await fillDate(create, '生效日期', '2024-01-01');
    await create.getByLabel('依据（文件与条款）').fill('袁府办字〔2023〕25号 三(一)2');
    await step(page, 'fund-form');
    await button(create, '设立').click();
    await closes(create);
    await page.getByRole('tab', { name: '资金与出资' }).waitFor();
    await step(page, 'fund-created');

    // 2. Capital from the city: the cash is 1,000,000.00, the leverage limit 1,000,000 × 10 = 10,000,000.00.
    await page.getByRole('button', { name: '登记出资' }).click();
    const contribution = page.getByRole('dialog', { name: /登记出资/ });
    await choose(page, contribution, '出资方', '市财政');
    await contribution.getByLabel('金额（元）').fill('1000000.00');
    await fillDate(contribution, '出资日期', '2024-01-10');
    await button(contribution, '登记').click();
    await closes(contribution);
    await kpi(page, '资金余额', '¥1,000,000.00');
    await page.getByText('上限 ¥10,000,000.00（10.00 倍）').waitFor();
    await step(page, 'capital');

    // 3. A new version of the rules from 2025-01-01: the fund's share of a loss becomes 0.3.
    await page.getByRole('button', { name: '修订规则' }).click();
    const version = page.getByRole('dialog', { name: /修订规则/ });
    await version.getByLabel('代偿比例').fill('0.3');
    await fillDate(version, '生效日期', '2025-01-01');
    await version.getByLabel('依据（文件与条款）').fill('资金管理办法修订（2025 年）第五条');
    await step(page, 'version-form');
    await version.getByRole('button', { name: '保存新版本' }).click();
    await closes(version);
    await page.getByRole('tab', { name: '规则版本' }).click();
    await page.getByRole('cell', { name: '第 2 版' }).waitFor();
    await page.getByRole('cell', { name: '2025-01-01' }).waitFor();
    await page.getByRole('cell', { name: '0.3', exact: true }).waitFor();
    await step(page, 'versions');

    // 4. Staff enrol the defaulted loan (covered 1,000,000.00); the bank enrolled the other (300,000.00) by API.
    const fundId = ((await staffApi.get('/api/v1/funds')).body.items[0] as { id: string }).id;
    expect((await bankApi.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId: settled, date: '2024-03-01' })).status).toBe(201);
    await page.getByRole('tab', { name: '入池贷款' }).click();
    await page.getByRole('button', { name: '贷款入池' }).click();
    const enrol = page.getByRole('dialog', { name: /贷款入池/ });
    await choose(page, enrol, '贷款', 'FD-DEF');
    await fillDate(enrol, '入池日期', '2024-03-01');
    await step(page, 'enrol-form');
    await button(enrol, '入池').click();
    await closes(enrol);
    // 1,000,000.00 + 300,000.00 = 1,300,000.00 covered.
    await page.getByText('在保贷款 2 笔，入池本金合计 ¥1,300,000.00', { exact: false }).waitFor();
    await kpi(page, '入池贷款本金', '¥1,300,000.00');
    await step(page, 'enrolled');

    // 5. FD-SET is settled; staff withdraw it: 1,300,000.00 − 300,000.00 = 1,000,000.00 covered again.
    expect((await bankApi.post(`/api/v1/loans/${settled}/events`).send({ type: 'principal_repayment', date: '2024-09-01', amount: '300000.00' })).status).toBe(201);
    expect((await bankApi.post(`/api/v1/loans/${settled}/events`).send({ type: 'settlement', date: '2024-09-01' })).status).toBe(201);
    await page.getByRole('row').filter({ hasText: 'FD-SET' }).getByRole('button', { name: '退出' }).or(page.getByRole('row').filter({ hasText: 'FD-SET' }).getByRole('button', { name: '退 出' })).click();
    const withdraw = page.getByRole('dialog', { name: /退出资金池/ });
    await withdraw.getByRole('button', { name: '确认退出' }).waitFor();
    await step(page, 'withdraw-form');
    await fillDate(withdraw, '退出日期', '2024-09-02');
    await withdraw.getByRole('button', { name: '确认退出' }).click();
    await closes(withdraw);
    await page.getByText('在保贷款 1 笔，入池本金合计 ¥1,000,000.00', { exact: false }).waitFor();
    await page.getByText('2024-09-02 退出').waitFor();
    await kpi(page, '入池贷款本金', '¥1,000,000.00');
    await step(page, 'withdrawn');

    // 6. The bank claims for FD-DEF in the console: (1,000,000 − 200,000) × 0.3 = 240,000.00 under version 2.
    const bankContext = await suite.newContext();
    const bankPage = await signIn(bankContext, bankLogin.token);
    await openFromMenu(bankPage, '风险补偿', '风险补偿资金');
    // A bank reads its own enrolments and claims, not the fund's money.
    expect(await bankPage.getByRole('tab', { name: '资金与出资' }).count()).toBe(0);
    await bankPage.getByRole('tab', { name: '代偿申请' }).click();
    await bankPage.getByRole('button', { name: '申请代偿' }).click();
    const claim = bankPage.getByRole('dialog', { name: /申请代偿/ });
    await choose(bankPage, claim, '贷款', 'FD-DEF');
    await fillDate(claim, '申请日期', '2025-06-01');
    await step(bankPage, 'claim-form');
    await claim.getByRole('button', { name: '提交申请' }).click();
    await closes(claim);
    const claimRow = bankPage.getByRole('row').filter({ hasText: 'FD-DEF' });
    await claimRow.getByText('¥240,000.00').waitFor();
    await claimRow.getByText('待审核').waitFor();
    await step(bankPage, 'claim-submitted');

    // 7. Staff approve it (on 2025-06-05) and pay it (on 2025-06-10), each recorded on the day it was done:
    //    the cash 1,000,000.00 − 240,000.00 = 760,000.00.
    await page.getByRole('tab', { name: '代偿申请' }).click();
    await page.reload();
    await page.getByRole('tab', { name: '代偿申请' }).click();
    const staffRow = page.getByRole('row').filter({ hasText: 'FD-DEF' });
    await button(staffRow, '批准').click();
    const approval = page.getByRole('dialog', { name: /批准代偿申请/ });
    await fillDate(approval, '批准日期', '2025-06-05');
    await approval.getByRole('button', { name: '确认批准' }).click();
    await closes(approval);
    await staffRow.getByText('已批准').waitFor();
    await staffRow.getByText('2025-06-05').waitFor();
    await button(staffRow, '支付').click();
    const payment = page.getByRole('dialog', { name: /支付代偿款/ });
    await fillDate(payment, '支付日期', '2025-06-10');
    await payment.getByRole('button', { name: '确认支付' }).click();
    await closes(payment);
    await staffRow.getByText('已支付').waitFor();
    await staffRow.getByText('2025-06-10').waitFor();
    await kpi(page, '资金余额', '¥760,000.00');
    await kpi(page, '已赔付', '¥240,000.00');
    await step(page, 'claim-paid');

    // 8. The bank records 100,000.00 recovered: 100,000 × 240,000 / 800,000 = 30,000.00 back: 790,000.00.
    await bankPage.reload();
    await bankPage.getByRole('tab', { name: '代偿申请' }).click();
    await bankPage.getByRole('row').filter({ hasText: 'FD-DEF' }).getByRole('button', { name: '登记追回' }).click();
    const recovery = bankPage.getByRole('dialog', { name: /登记追回款/ });
    await recovery.getByLabel('处置质押物所得（元）').fill('100000.00');
    // Dated today (the dialog's default): after the payment of 2025-06-10, as a recovery comes after what it recovers.
    await button(recovery, '登记').click();
    await closes(recovery);
    await step(bankPage, 'recovered');
    await page.reload();
    await kpi(page, '资金余额', '¥790,000.00');
    await page.getByText('核销 ¥0.00').waitFor();

    // 9. Staff record 50,000.00 more that the bank reported to them: 50,000 × 0.3 = 15,000.00; 790,000 + 15,000 = 805,000.00.
    await page.getByRole('tab', { name: '代偿申请' }).click();
    await page.getByRole('row').filter({ hasText: 'FD-DEF' }).getByRole('button', { name: '登记追回' }).click();
    const staffRecovery = page.getByRole('dialog', { name: /登记追回款/ });
    await staffRecovery.getByLabel('处置质押物所得（元）').fill('50000.00');
    await button(staffRecovery, '登记').click();
    await closes(staffRecovery);
    await kpi(page, '资金余额', '¥805,000.00');
    await kpi(page, '已追回', '¥45,000.00');
    await step(page, 'recovered-by-staff');

    // 10. Staff write off the rest: 240,000.00 − 30,000.00 − 15,000.00 = 195,000.00; the cash stays 805,000.00.
    await button(page.getByRole('row').filter({ hasText: 'FD-DEF' }), '核销').click();
    const writeOff = page.getByRole('dialog', { name: /核销/ });
    await writeOff.getByLabel('核销理由').fill('质押专利已处置完毕，余额无法收回。');
    await step(page, 'write-off-form');
    await writeOff.getByRole('button', { name: '确认核销' }).click();
    await closes(writeOff);
    await kpi(page, '已追回', '¥45,000.00');
    await page.getByText('核销 ¥195,000.00').waitFor();
    await kpi(page, '资金余额', '¥805,000.00');
    await step(page, 'written-off');

    // The statement: 1,000,000.00 in, 240,000.00 out, 30,000.00 and 15,000.00 in.
    await page.getByRole('tab', { name: '对账单' }).click();
    await step(page, 'statement');
    await bankContext.close();
    await context.close();
  });
});
