/**
 * 贴息 and 对账 in a real browser: a staff user registers a Yuanzhou enterprise, a bank posts its
 * patent loan (through the API), staff compute the 2024 Yuanzhou run in the console, open a line's calculation, take
 * the run through review, publicity (a past period, as recorded after the notice board) with an objection recorded
 * and resolved, and approval, and download the 公示 roster as XLSX and PDF, which the test opens (exceljs; pdftotext)
 * to find the Chinese title, the enterprise's name and the total. The city's finance bureau then records a payment
 * and sees its outstanding amount fall by it. Every step keeps a screenshot and passes axe-core.
 *
 * The loan: 1,000,000.00 from 2024-03-15, LPR1Y 3.45 % (fixed 2023-08-21) × 15 %, 30E/360: [2024-03-15, 2025-01-01)
 * = f(2025-01-01) − f(2024-03-15) = 729,001 − 728,715 = 286 days → 1,000,000 × 0.0345 × 0.15 × 286 / 360 = 4,111.25;
 * 50/50 = 2,055.625 → city 2,055.63 (the odd fen to the body listed first), district 2,055.62.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { button, choose, closes, consoleSuite, describeInBrowser, fillDate, openFromMenu, scenario, signIn as signInAt } from '../support/browser';
import { postLoan, uscc } from '../support/subsidy';

jest.setTimeout(240_000);

const USCC = '91360902MA36R7KCX7';
const NAME = '宜春市袁州区星火专利科技有限公司';
const TITLE = '袁州区专利权质押贷款贴息公示名单（2024年度）';
const DOWNLOADS = path.join(__dirname, '..', '..', 'test-artifacts', 'e2e', 'subsidy-downloads');

const suite = consoleSuite({ viewport: { width: 1366, height: 860 } });

const signIn = (context: BrowserContext, token: string): Promise<Page> => signInAt(context, suite.console.baseUrl, token);
const open = openFromMenu;

async function saveDownload(page: Page, click: () => Promise<void>): Promise<{ file: string; name: string }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  fs.mkdirSync(DOWNLOADS, { recursive: true });
  const name = download.suggestedFilename();
  const file = path.join(DOWNLOADS, name);
  await download.saveAs(file);
  return { file, name };
}

const pdftotextInstalled = spawnSync('pdftotext', ['-v']).status === 0;

describeInBrowser('贴息 and 对账 in chromium', () => {
  suite.start();

  it('staff compute a Yuanzhou run, read a line\'s calculation, review, publicise, approve and download the roster; finance pays', async () => {
    const step = scenario('subsidy');
    const context = await suite.newContext();
    const page = await signIn(context, suite.console.service.staffToken);

    // The enterprise, registered in the console.
    await open(page, '企业', '企业');
    await page.getByRole('button', { name: '登记企业' }).click();
    const enterpriseDialog = page.getByRole('dialog', { name: '登记企业' });
    await enterpriseDialog.getByLabel('统一社会信用代码').fill(USCC);
    await enterpriseDialog.getByLabel('企业名称').fill(NAME);
    await button(enterpriseDialog, '登记').click();
    await page.getByRole('cell', { name: NAME }).waitFor();
    await step(page, 'enterprise-registered');

    // Its loan, posted by its bank through the API.
    const bank = suite.console.service.as((await suite.console.service.bank('YZ-E2E')).token);
    const created = await bank.post('/api/v1/loans').send({
      contractNo: 'YZ-2024-E2E',
      enterpriseUscc: USCC,
      principal: '1000000.00',
      annualRate: '0.0435',
      startDate: '2024-03-15',
      maturityDate: '2026-03-15',
      collateral: 'ip_only',
      pledges: [{ rightType: 'patent', number: '202310123456.6' }],
    });
    expect(created.status).toBe(201);
    expect((await bank.post(`/api/v1/loans/${created.body.id}/events`).send({ type: 'disbursement', date: '2024-03-15', amount: '1000000.00' })).status).toBe(201);

    // The run, computed in the console: a spinner while it runs, then its counts.
    await open(page, '贴息', '贴息');
    await step(page, 'runs-empty');
    await page.getByRole('button', { name: '计算年度贴息' }).click();
    const runDialog = page.getByRole('dialog', { name: '计算年度贴息' });
    await choose(page, runDialog, '政策', '袁府办字〔2023〕25号');
    await runDialog.getByLabel('年度').fill('2024');
    await step(page, 'run-form');
    await runDialog.getByRole('button', { name: '开始计算' }).click();
    await runDialog.getByTestId('run-counts').getByText('共 1 行，其中符合条件 1 行', { exact: false }).waitFor();
    await runDialog.getByTestId('run-counts').getByText('¥4,111.25').waitFor();
    await step(page, 'run-computed');
    await runDialog.getByRole('button', { name: '查看批次' }).click();
    await page.getByRole('heading', { name: /^袁州区专利权质押贷款贴息 2024 年度 第 \d+ 版$/ }).waitFor();
    await page.getByText('草稿', { exact: true }).waitFor();
    await step(page, 'run-draft');

    // A line's calculation, readable.
    await page.getByRole('button', { name: '查看计算（第 1 行）' }).click();
    const trace = page.getByTestId('trace');
    await trace.getByText('袁府办字〔2023〕25号', { exact: false }).first().waitFor();
    await trace.getByText('2023-08-21', { exact: false }).first().waitFor();
    await trace.getByText('3.45%', { exact: false }).first().waitFor();
    await trace.getByText('共 286 天', { exact: false }).waitFor();
    await trace.getByText('¥4,111.25').first().waitFor();
    await trace.getByText('¥2,055.63').first().waitFor();
    await step(page, 'line-trace');
    await page.getByRole('button', { name: 'Close' }).or(page.getByRole('button', { name: '关闭' })).first().click();
    await closes(trace);

    // Review, confirmed.
    await page.getByRole('button', { name: '复核通过' }).click();
    await page.getByRole('button', { name: '确认复核' }).click();
    await page.getByText('已复核', { exact: true }).waitFor();
    await step(page, 'run-reviewed');

    // Publicity: a period in the past (posted on the notice board from 2025-01-02 to 2025-01-09).
    await page.getByRole('button', { name: '开始公示' }).click();
    const publicity = page.getByRole('dialog', { name: '开始公示' });
    await fillDate(page, '公示开始日', '2025-01-02');
    await fillDate(page, '公示结束日', '2025-01-09');
    await step(page, 'publicity-form');
    await publicity.getByRole('button', { name: '确认公示' }).click();
    await closes(publicity);
    await page.getByText('2025-01-02 至 2025-01-09').waitFor();
    await page.getByText('公示中', { exact: true }).waitFor();
    await step(page, 'run-publicised');

    // An objection recorded, then resolved.
    await page.getByRole('button', { name: '登记异议' }).click();
    const objection = page.getByRole('dialog', { name: '登记异议' });
    await objection.getByLabel('异议内容').fill('企业称 2024 年 3 月放款金额有误。');
    await button(objection, '登记').click();
    await closes(objection);
    await page.getByText('待处理', { exact: true }).waitFor();
    await step(page, 'objection-recorded');
    await button(page, '处理').click();
    const resolution = page.getByRole('dialog', { name: '处理异议' });
    await choose(page, resolution, '处理结果', '异议不成立');
    await resolution.getByLabel('处理说明').fill('银行放款凭证显示 1,000,000.00 元，计算无误。');
    await resolution.getByRole('button', { name: '确认处理结果' }).click();
    await closes(resolution);
    await page.getByText('异议不成立', { exact: true }).waitFor();
    await step(page, 'objection-resolved');

    // Approval, confirmed.
    await button(page, '批准').click();
    await page.getByRole('button', { name: '确认批准' }).click();
    await page.getByText('已批准', { exact: true }).waitFor();
    await step(page, 'run-approved');

    // The roster, downloaded as XLSX and PDF, opened and read.
    const xlsx = await saveDownload(page, () => page.getByRole('button', { name: '下载公示名单 XLSX' }).click());
    expect(xlsx.name).toBe(`${TITLE}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx.file);
    const values = workbook.worksheets[0]!.getSheetValues().map((row) => (Array.isArray(row) ? Array.from(row.slice(1), (cell: unknown) => cell ?? null) : []));
    expect(values[1]?.[0]).toBe(TITLE);
    expect(values[2]?.[0]).toBe('政策文件：袁府办字〔2023〕25号');
    expect(values[3]?.[0]).toBe('公示期：2025-01-02 至 2025-01-09');
    expect(values).toContainEqual([1, NAME, USCC, 4111.25]);
    expect(values).toContainEqual([null, '合计（1 户）', null, 4111.25]);
    const pdf = await saveDownload(page, () => page.getByRole('button', { name: '下载公示名单 PDF' }).click());
    expect(pdf.name).toBe(`${TITLE}.pdf`);
    if (pdftotextInstalled) {
      const text = execFileSync('pdftotext', ['-layout', pdf.file, '-'], { encoding: 'utf8' });
      expect(text).toContain(TITLE);
      expect(text).toContain('袁府办字〔2023〕25号');
      expect(text).toContain(NAME);
      expect(text).toContain('¥4,111.25');
    } else if (process.env.CI) {
      throw new Error('pdftotext (poppler-utils) must be installed in CI');
    }
    await step(page, 'roster-downloaded');
    await context.close();

    // The city's finance bureau: 2,055.63 outstanding, pays 1,000.00, 1,055.63 left; it sees the district's half too.
    const finance = await suite.console.service.principal('finance', { body: 'city', name: '市财政局' });
    const financeStep = scenario('reconciliation');
    const financeContext = await suite.newContext();
    const financePage = await signIn(financeContext, finance.token);
    await open(financePage, '对账', '对账');
    await financePage.getByLabel('年度').fill('2024');
    const city = financePage.getByTestId('body-city');
    await city.getByText('¥2,055.63').first().waitFor();
    await financePage.getByText('账实核对一致').waitFor();
    await financePage.getByTestId('body-district').getByText('¥2,055.62').first().waitFor();
    await financeStep(financePage, 'before-payment');
    const outstandingBefore = await city.locator('.ant-statistic').filter({ hasText: '待拨付' }).locator('.ant-statistic-content').innerText();
    expect(outstandingBefore).toContain('2,055.63');

    await financePage.getByRole('button', { name: '登记拨付' }).click();
    const payment = financePage.getByRole('dialog', { name: '登记拨付' });
    // An amount with a third place is refused as typed, never rounded into another amount.
    await payment.getByLabel('金额（元）').fill('1000.005');
    await payment.getByLabel('凭证号').fill('市财拨〔2026〕12号');
    await payment.getByRole('button', { name: '确认拨付' }).click();
    await payment.getByText('金额须为数字，最多两位小数，如 10000.00').waitFor();
    expect(await payment.getByLabel('金额（元）').inputValue()).toBe('1000.005');
    await payment.getByLabel('金额（元）').fill('1000.00');
    await financeStep(financePage, 'payment-form');
    await payment.getByRole('button', { name: '确认拨付' }).click();
    await closes(payment);
    const outstanding = city.locator('.ant-statistic').filter({ hasText: '待拨付' }).locator('.ant-statistic-content');
    await outstanding.getByText('¥1,055.63').waitFor();
    await city.locator('.ant-statistic').filter({ hasText: '已拨付' }).getByText('¥1,000.00').waitFor();
    await financePage.getByText('账实核对一致').waitFor();
    await financeStep(financePage, 'after-payment');

    const csv = await saveDownload(financePage, () => financePage.getByRole('button', { name: '导出 CSV' }).click());
    expect(fs.readFileSync(csv.file, 'utf8')).toContain('body,city,,,2055.63,1000.00,1055.63');
    const reconciliationXlsx = await saveDownload(financePage, () => financePage.getByRole('button', { name: '导出 XLSX' }).click());
    expect(reconciliationXlsx.name).toBe('2024年度贴息资金分担对账表.xlsx');
    const reconciliationPdf = await saveDownload(financePage, () => financePage.getByRole('button', { name: '导出 PDF' }).click());
    if (pdftotextInstalled) expect(execFileSync('pdftotext', ['-layout', reconciliationPdf.file, '-'], { encoding: 'utf8' })).toContain('¥1,055.63');
    await financeContext.close();
  });

  it("a line cut by the per-loan cap over its whole window shows the earlier years' parts; a draft is discarded", async () => {
    const step = scenario('subsidy-window-cap');
    const service = suite.console.service;
    const staff = service.as(service.staffToken);
    const enterprise = uscc('360902', 77);
    expect((await staff.post('/api/v1/enterprises').send({ uscc: enterprise, name: '宜春市袁州区大额专利科技有限公司' })).status).toBe(201);
    // 40,000,000.00 from 2024-03-15 at LPR1Y 3.45 % × 15 %: 2024 pays 40,000,000 × 0.0345 × 0.15 × 286 / 360 = 164,450.00,
    // of which the per-loan cap (100,000.00 over the whole window, 袁府办字〔2023〕25号 四(三)2) counts 100,000.00; 2025 has
    // nothing left of it.
    await postLoan(service.as((await service.bank('YZ-E2E-CAP')).token), {
      contractNo: 'YZ-2024-E2E-CAP',
      enterpriseUscc: enterprise,
      principal: '40000000.00',
      startDate: '2024-03-15',
      maturityDate: '2026-03-15',
      assetSerial: 77,
      events: [{ type: 'disbursement', date: '2024-03-15', amount: '40000000.00' }],
    });
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2025 });
    expect(run.status).toBe(201);
    const lineNo = (run.body.lines as Array<{ lineNo: number; enterpriseUscc: string }>).find((line) => line.enterpriseUscc === enterprise)!.lineNo;

    const context = await suite.newContext();
    const page = await signIn(context, service.staffToken);
    await page.goto(`${suite.console.baseUrl}/subsidy/${run.body.id as string}`);
    await page.getByText('草稿', { exact: true }).waitFor();
    await page.getByRole('button', { name: `查看计算（第 ${lineNo} 行）` }).click();
    const cap = page.getByTestId('trace').getByTestId('window-cap');
    await cap.getByText('此前年度已计', { exact: false }).waitFor();
    await cap.getByRole('cell', { name: '2024', exact: true }).waitFor();
    await cap.getByRole('cell', { name: '¥164,450.00' }).waitFor();
    await cap.getByRole('cell', { name: '¥100,000.00' }).waitFor();
    await step(page, 'trace');
    await page.getByRole('button', { name: 'Close' }).or(page.getByRole('button', { name: '关闭' })).first().click();
    await closes(page.getByTestId('trace'));

    await page.getByRole('button', { name: '删除草稿' }).click();
    // antd sets a space between the two characters of a button's label (删 除).
    await page.locator('.ant-popconfirm').getByRole('button', { name: /^删\s?除$/ }).click();
    await page.waitForURL(/\/subsidy$/);
    expect((await staff.get(`/api/v1/subsidy-runs/${run.body.id as string}`)).status).toBe(404);
    await step(page, 'discarded');
    await context.close();
  });

  it('an auditor reads 贴息 and 对账 and finds no button that changes anything', async () => {
    const step = scenario('subsidy-auditor');
    const auditor = await suite.console.service.principal('auditor', { name: '审计局' });
    const context = await suite.newContext();
    const page = await signIn(context, auditor.token);
    await open(page, '贴息', '贴息');
    await page.getByRole('link', { name: /^袁州区专利权质押贷款贴息 2024 年度 第 \d+ 版$/ }).first().click();
    await page.getByRole('heading', { name: /^袁州区专利权质押贷款贴息 2024 年度 第 \d+ 版$/ }).waitFor();
    await page.getByText('部分拨付', { exact: true }).waitFor();
    await step(page, 'run');
    expect(await page.locator('[data-operation]').count()).toBe(0);
    await open(page, '对账', '对账');
    await page.getByLabel('年度').fill('2024');
    await page.getByTestId('body-district').getByText('¥2,055.62').first().waitFor();
    await step(page, 'reconciliation');
    expect(await page.locator('[data-operation]').count()).toBe(0);
    await context.close();
  });
});
