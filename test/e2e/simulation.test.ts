/**
 * 政策模拟 and 政策版本 in a real browser.
 *
 * 1. Staff price Yuanzhou's ratio at 20 % for the current year Y and read the district's additional cost. The bank's
 *    loan: 1,000,000.00 from Y-01-01 to Y-12-31, disbursed on Y-01-01; LPR1Y in force on Y-01-01 is 3.00 % (fixed
 *    2025-05-20, the latest shipped fixing, for any Y ≥ 2026). Window [Y-01-01, Y-12-31) (maturity first), 30E/360:
 *    f(Y-12-31) − f(Y-01-01) = (330 + 30) − 1 = 359 days, the days after today projected (outstanding unchanged,
 *    settled at maturity).
 *    Baseline 15 %: 1,000,000 × 0.03 × 0.15 × 359 / 360 = 4,500 × 359 / 360 = 4,487.50 → city 2,243.75, district 2,243.75.
 *    Reform 20 %:   1,000,000 × 0.03 × 0.20 × 359 / 360 = 6,000 × 359 / 360 = 5,983.333… → 5,983.33
 *                   → 598,333 fen: city 299,167 (the odd fen to the body listed first), district 299,166 = 2,991.66.
 *    The district's additional cost: 2,991.66 − 2,243.75 = 747.91 (the city's 2,991.67 − 2,243.75 = 747.92).
 * 2. Staff set the shipped Ankang policy's rate index, ratio and split in a new version made with the form (先试算
 *    first), and read what changed beside the version before; a run of Ankang then works.
 * Every step keeps a screenshot and passes axe-core.
 */
import { todayInChina } from '../../src/dates';
import { choose, consoleSuite, describeInBrowser, openFromMenu, scenario, signIn } from '../support/browser';
import { postLoan, uscc } from '../support/subsidy';

jest.setTimeout(300_000);

const YEAR = Number(todayInChina().slice(0, 4));
const ENTERPRISE = uscc('360902', 901);
const NAME = '袁州区政策模拟示范有限公司';

const suite = consoleSuite({ viewport: { width: 1366, height: 900 } });

describeInBrowser('政策模拟 and 政策版本 in chromium', () => {
  suite.start();
  beforeAll(async () => {
    const staff = suite.console.service.as(suite.console.service.staffToken);
    expect((await staff.post('/api/v1/enterprises').send({ uscc: ENTERPRISE, name: NAME })).status).toBe(201);
    const bank = suite.console.service.as((await suite.console.service.bank('SIM-E2E')).token);
    await postLoan(bank, {
      contractNo: 'SIM-E2E-1',
      enterpriseUscc: ENTERPRISE,
      principal: '1000000.00',
      startDate: `${YEAR}-01-01`,
      maturityDate: `${YEAR}-12-31`,
      assetSerial: 901,
      events: [{ type: 'disbursement', date: `${YEAR}-01-01`, amount: '1000000.00' }],
    });
  });

  it('staff set Yuanzhou’s ratio to 20 % for the current year and read the district’s additional cost', async () => {
    const step = scenario('simulation');
    const context = await suite.newContext();
    const page = await signIn(context, suite.console.baseUrl, suite.console.service.staffToken);
    await openFromMenu(page, '政策模拟', '政策模拟');

    await choose(page, page, page.getByRole('combobox', { name: '政策' }), '袁州区加强专利建设促进知识产权高质量发展实施方案');
    await page.getByRole('spinbutton', { name: '年度' }).fill(String(YEAR));
    const ratio = page.getByRole('textbox', { name: '贴息比例' });
    await ratio.waitFor();
    await page.getByText('LPR的15%', { exact: false }).first().waitFor();
    await ratio.fill('0.20');
    await step(page, 'ratio-20-percent');

    await page.getByRole('button', { name: '开始测算' }).click();
    const result = page.getByTestId('simulation-result');
    await result.waitFor();
    const district = result.getByRole('row', { name: /区财政/ }).first();
    await district.getByText('+¥747.91').waitFor();
    await district.getByText('¥2,243.75').waitFor();
    await district.getByText('¥2,991.66').waitFor();
    await result.getByRole('row', { name: /合计/ }).getByText('+¥1,495.83').waitFor();
    await result.getByRole('row', { name: new RegExp(NAME) }).first().waitFor();
    await result.getByText('含预测').first().waitFor();
    await step(page, 'comparison');

    await result.getByRole('button', { name: '贷款 SIM-E2E-1 的测算过程' }).click();
    const trace = page.getByTestId('simulation-trace');
    await trace.getByText('今日之后按合同预测').waitFor();
    await trace.getByRole('tab', { name: '调整方案' }).click();
    await trace.getByText('20%', { exact: false }).first().waitFor();
    await step(page, 'loan-trace');
    await page.keyboard.press('Escape');

    const [download] = await Promise.all([page.waitForEvent('download'), result.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(download.suggestedFilename()).toContain('政策模拟测算表');
    await context.close();

    const audit = await suite.console.service.db.pool.query(`select count(*)::int as n from audit_log where action = 'simulated'`);
    expect(audit.rows[0].n).toBeGreaterThanOrEqual(3);
    const runs = await suite.console.service.db.pool.query(`select count(*)::int as n from subsidy_run`);
    expect(runs.rows[0].n).toBe(0);
  });

  it('the version form sets Ankang’s rate index, ratio and split, tries them first, then records version 3', async () => {
    const step = scenario('policy-version');
    const context = await suite.newContext();
    const page = await signIn(context, suite.console.baseUrl, suite.console.service.staffToken);
    await openFromMenu(page, '政策版本', '政策版本');
    await page.locator('.ant-card', { hasText: '安政办发〔2024〕13号' }).getByRole('button', { name: '新建版本' }).click();
    await page.getByRole('heading', { name: /新建版本：安康市/ }).waitFor();

    await choose(page, page, page.getByRole('combobox', { name: '基准利率指标' }), '1年期贷款市场报价利率（LPR）');
    await page.getByRole('textbox', { name: '贴息比例' }).fill('0.3');
    await page.getByRole('button', { name: '添加出资方' }).click();
    await choose(page, page, page.getByRole('combobox', { name: '资金分担第 1 项出资方' }), '市财政');
    await page.getByRole('textbox', { name: '资金分担第 1 项比例' }).fill('1');
    await step(page, 'form');

    await page.getByRole('button', { name: '先试算' }).click();
    const trial = page.getByTestId('simulation-result');
    await trial.waitFor();
    await trial.getByText('基准版本尚未设置', { exact: false }).waitFor();
    await step(page, 'tried-first');

    await page.getByRole('button', { name: /保存为新版本/ }).click();
    await page.getByRole('heading', { name: /第 3 版/ }).waitFor();
    const changed = page.getByRole('row', { name: /贴息比例/ });
    await changed.getByText('有变化').waitFor();
    await changed.getByText('未设置').waitFor();
    await changed.getByText('0.3', { exact: true }).waitFor();
    await step(page, 'version-3-side-by-side');
    await context.close();

    const staff = suite.console.service.as(suite.console.service.staffToken);
    const policy = await staff.get('/api/v1/policies/ankang-2024');
    expect(policy.body).toMatchObject({ version: 3, parameters: { ratio: { value: '0.3' }, rateIndex: { value: 'LPR1Y' }, fundingSplit: { value: [{ body: 'city', share: '1' }] } } });
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'ankang-2024', year: YEAR });
    expect(run.status).toBe(201);
  });
});
