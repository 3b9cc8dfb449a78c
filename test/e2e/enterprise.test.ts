/**
 * The enterprise's file (一企一档), the inputs of the runs, the rate fixings and a draft recomputed, in chromium, as the
 * service centre's staff do them: an input recorded in the console changes the next draft by the amount computed
 * by hand below, and a withdrawal changes it back; a name corrected with a reason is in the audit log; a run of an
 * earlier year is reviewed, publicised and approved with the days they happened. Every step keeps a screenshot and
 * passes axe-core.
 *
 * Yuanzhou (袁府办字〔2023〕25号 四(三)2, version 2, 30E/360): a patent loan of 5,000,000.00 from 2024-01-01 (maturity
 * 2025-12-31), disbursed at once; LPR1Y in force on 2024-01-01 is 3.45 % (fixed 2023-08-21); the window is the first 12
 * months, [2024-01-01, 2025-01-01) = f(2025-01-01) − f(2024-01-01) = 729,001 − 728,641 = 360 days, all in 2024 →
 * 5,000,000 × 0.0345 × 0.15 × 360 / 360 = 25,875.00.
 * An evaluation fee of 10,000.00 paid 2024-05-10: 50 % = 5,000.00 (under the 50,000 cap per kind and year), a support
 * line of its own → the recomputed draft is 25,875.00 + 5,000.00 = 30,875.00.
 *
 * Dongyang (《关于全面加强知识产权工作的实施意见》 § 6, version 2, 30E/360): a patent loan of 1,000,000.00 from
 * 2024-01-01 to maturity 2024-07-01 (term ≤ 1 year: PBOC_LE1Y 4.35 %, fixed 2015-10-24), repaid and settled on
 * 2024-07-01 with no overdue event; [2024-01-01, 2024-07-01) = f(2024-07-01) − f(2024-01-01) = 728,821 − 728,641 = 180
 * days → 1,000,000 × 0.0435 × 0.50 × 180 / 360 = 10,875.00. Excluded for 2024 (§ 23): 0.00; the exclusion withdrawn:
 * 10,875.00 again. Then other support, a premium and the contribution cap, each computed where it is recorded below.
 */
import type { Page } from 'playwright-core';
import { uscc } from '../support/subsidy';
import { button, choose, closes, consoleSuite, fillDate, describeInBrowser, openFromMenu, scenario, signIn as signInAt } from '../support/browser';

jest.setTimeout(300_000);

const YUANZHOU = uscc('360902', 1311);
const YUANZHOU_NAME = '宜春市袁州区一企一档专利科技有限公司';
const YUANZHOU_NEW_NAME = '宜春市袁州区一企一档知识产权科技有限公司';
const DONGYANG = uscc('330783', 1312);
const DONGYANG_NAME = '东阳市一企一档木雕工艺有限公司';

const suite = consoleSuite();

async function recompute(page: Page): Promise<void> {
  // Under a loaded machine a click on the confirmation can land while it is still opening and not take: asked again
  // (a second recomputation of the same inputs gives the same lines).
  for (let attempt = 1; ; attempt += 1) {
    const confirm = page.locator('.ant-popconfirm:visible').getByRole('button', { name: '重新计算' });
    if (!(await confirm.isVisible())) await page.getByRole('button', { name: '重新计算' }).first().click();
    await confirm.click();
    try {
      await page.getByText('已按最新录入重新计算', { exact: false }).first().waitFor({ timeout: 20_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

async function runTotal(page: Page, expected: string): Promise<void> {
  await page.locator('.ant-statistic').filter({ hasText: '贴息合计' }).getByText(expected).waitFor();
}

describeInBrowser('the enterprise file and the runs’ inputs in chromium', () => {
  suite.start();
  let yuanzhouRun: string;
  let dongyangRun: string;

  beforeAll(async () => {
    const staff = suite.console.service.as(suite.console.service.staffToken);
    for (const [code, name] of [
      [YUANZHOU, YUANZHOU_NAME],
      [DONGYANG, DONGYANG_NAME],
    ]) {
      expect((await staff.post('/api/v1/enterprises').send({ uscc: code, name })).status).toBe(201);
    }
    const bank = suite.console.service.as((await suite.console.service.bank('YQYD')).token);
    const loan = async (contractNo: string, enterpriseUscc: string, principal: string, startDate: string, maturityDate: string, number: string, events: object[]) => {
      const created = await bank.post('/api/v1/loans').send({
        contractNo,
        enterpriseUscc,
        principal,
        annualRate: '0.0435',
        startDate,
        maturityDate,
        collateral: 'ip_only',
        pledges: [{ rightType: 'patent', number }],
      });
      expect(created.status).toBe(201);
      for (const event of events) expect((await bank.post(`/api/v1/loans/${created.body.id}/events`).send(event)).status).toBe(201);
    };
    await loan('YZ-YQYD-2024', YUANZHOU, '5000000.00', '2024-01-01', '2025-12-31', '202310123456.6', [{ type: 'disbursement', date: '2024-01-01', amount: '5000000.00' }]);
    await loan('DY-YQYD-2024', DONGYANG, '1000000.00', '2024-01-01', '2024-07-01', '202220123450.X', [
      { type: 'disbursement', date: '2024-01-01', amount: '1000000.00' },
      { type: 'principal_repayment', date: '2024-07-01', amount: '1000000.00' },
      { type: 'settlement', date: '2024-07-01' },
    ]);
    const yz = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(yz.status).toBe(201);
    expect(yz.body.total).toBe('25875.00');
    yuanzhouRun = yz.body.id;
    const dy = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'dongyang-2021', year: 2024 });
    expect(dy.status).toBe(201);
    expect(dy.body.total).toBe('10875.00');
    dongyangRun = dy.body.id;
  });

  it('staff open an enterprise from the list, record a fee, and the recomputed draft grows by 5,000.00; the run is then loaded with past dates', async () => {
    const step = scenario('enterprise-fee');
    const context = await suite.newContext();
    const page = await signInAt(context, suite.console.baseUrl, suite.console.service.staffToken);

    await openFromMenu(page, '企业', '企业');
    await page.getByRole('link', { name: YUANZHOU_NAME }).click();
    await page.getByRole('heading', { name: YUANZHOU_NAME }).waitFor();
    await page.getByRole('cell', { name: 'YZ-YQYD-2024' }).waitFor();
    await step(page, 'file-loans');

    // The fee, from the loan's row: a bad amount is refused in Chinese before anything is sent.
    await page.getByRole('row', { name: /YZ-YQYD-2024/ }).getByRole('button', { name: '登记费用' }).click();
    const fee = page.getByRole('dialog', { name: '登记评估、担保、保险费用' });
    await choose(page, fee, '费用类别', '评估费');
    await fee.getByLabel('金额（元）').fill('10000.005');
    await fillDate(fee, '支付日期', '2024-05-10');
    await button(fee, '保存').click();
    await fee.getByText('金额须为数字，最多两位小数，如 10000.00').waitFor();
    await step(page, 'fee-refused');
    await fee.getByLabel('金额（元）').fill('10,000.00');
    await button(fee, '保存').click();
    await closes(fee);
    await page.getByRole('tab', { name: '评估担保保险费' }).click();
    await page.getByRole('cell', { name: '评估费' }).waitFor();
    await page.getByRole('cell', { name: '¥10,000.00' }).waitFor();
    await step(page, 'file-fees');

    // The year's subsidy lines, then the run: recomputed, 25,875.00 + 5,000.00 = 30,875.00.
    await page.goto(`${suite.console.baseUrl}/enterprises/${YUANZHOU}?year=2024&tab=subsidy`);
    await page.getByRole('cell', { name: '¥25,875.00' }).first().waitFor();
    await step(page, 'file-subsidy-lines');
    await page.getByRole('link', { name: /2024 年度 袁府办字〔2023〕25号/ }).first().click();
    await page.getByRole('heading', { name: /^袁州区专利权质押贷款贴息 2024 年度 第 \d+ 版$/ }).waitFor();
    await runTotal(page, '¥25,875.00');
    await page.getByRole('link', { name: YUANZHOU_NAME }).first().waitFor();
    await recompute(page);
    await runTotal(page, '¥30,875.00');
    await step(page, 'run-recomputed');
    const recomputed = await suite.console.service.as(suite.console.service.staffToken).get(`/api/v1/subsidy-runs/${yuanzhouRun}`);
    expect(recomputed.body.total).toBe('30875.00');

    // Loading the year's history: reviewed on 2025-02-10, publicised on 2025-02-11 for 2025-02-11…2025-02-18,
    // approved on 2025-02-20.
    await page.getByRole('button', { name: '复核通过' }).click();
    const review = page.getByRole('dialog', { name: '复核通过' });
    await fillDate(review, '复核日期', '2025-02-10');
    await step(page, 'review-dated');
    await review.getByRole('button', { name: '确认复核' }).click();
    await page.getByText('已复核', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: '开始公示' }).click();
    const publicity = page.getByRole('dialog', { name: '开始公示' });
    await fillDate(publicity, '登记公示日期', '2025-02-11');
    await fillDate(publicity, '公示开始日', '2025-02-11');
    await fillDate(publicity, '公示结束日', '2025-02-18');
    await publicity.getByRole('button', { name: '确认公示' }).click();
    await page.getByText('公示中', { exact: true }).first().waitFor();
    await button(page, '批准').click();
    const approval = page.getByRole('dialog', { name: '批准本批次' });
    await fillDate(approval, '批准日期', '2025-02-20');
    await approval.getByRole('button', { name: '确认批准' }).click();
    await page.getByText('已批准', { exact: true }).first().waitFor();
    await step(page, 'run-approved-dated');
    const approved = await suite.console.service.as(suite.console.service.staffToken).get(`/api/v1/subsidy-runs/${yuanzhouRun}`);
    expect(approved.body).toMatchObject({ status: 'approved', reviewedOn: '2025-02-10', publicisedOn: '2025-02-11', approvedOn: '2025-02-20', total: '30875.00' });
    await context.close();
  });

  it('staff exclude an enterprise for 2024 (the draft falls to 0.00), withdraw the exclusion with a reason (back to 10,875.00)', async () => {
    const step = scenario('enterprise-exclusion');
    const context = await suite.newContext();
    const page = await signInAt(context, suite.console.baseUrl, suite.console.service.staffToken);

    await page.goto(`${suite.console.baseUrl}/enterprises/${DONGYANG}?year=2024&tab=exclusions`);
    await page.getByRole('heading', { name: DONGYANG_NAME }).waitFor();
    await page.getByRole('button', { name: '列为不予补助' }).click();
    const exclusion = page.getByRole('dialog', { name: '列为不予补助' });
    // The dialog's first action: under a loaded machine a click can land while it is still opening and not take, so
    // it is clicked again until the form answers (with no reason the form is never sent, so a second click is harmless).
    for (let attempt = 1; ; attempt += 1) {
      await button(exclusion, '保存').click();
      try {
        await exclusion.getByText('请填写原因').waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    await exclusion.getByLabel('原因').fill('2024年发生一般安全生产事故，正在调查');
    await step(page, 'exclusion-form');
    await button(exclusion, '保存').click();
    await closes(exclusion);
    await page.getByRole('cell', { name: '2024年发生一般安全生产事故，正在调查' }).waitFor();
    await step(page, 'file-excluded');

    await page.goto(`${suite.console.baseUrl}/subsidy/${dongyangRun}`);
    await runTotal(page, '¥10,875.00');
    await recompute(page);
    await runTotal(page, '¥0.00');
    await step(page, 'run-excluded');

    await page.goto(`${suite.console.baseUrl}/enterprises/${DONGYANG}?year=2024&tab=exclusions`);
    await page.getByRole('row', { name: /安全生产事故/ }).getByRole('button', { name: '撤销' }).or(page.getByRole('row', { name: /安全生产事故/ }).getByRole('button', { name: '撤 销' })).click();
    const withdrawal = page.getByRole('dialog', { name: '撤销 2024 年度不予补助' });
    await withdrawal.getByLabel('撤销理由').fill('经调查事故责任不在本企业，撤销');
    await withdrawal.getByRole('button', { name: '确认撤销' }).click();
    await closes(withdrawal);
    await page.getByText('已撤销', { exact: false }).first().waitFor();
    await page.getByRole('cell', { name: '经调查事故责任不在本企业，撤销' }).waitFor();
    await step(page, 'file-exclusion-withdrawn');

    await page.goto(`${suite.console.baseUrl}/subsidy/${dongyangRun}`);
    await runTotal(page, '¥0.00');
    await recompute(page);
    await runTotal(page, '¥10,875.00');
    await step(page, 'run-withdrawn');
    expect((await suite.console.service.as(suite.console.service.staffToken).get(`/api/v1/subsidy-runs/${dongyangRun}`)).body.total).toBe('10875.00');

    // Another programme's support of the loan from the level that funds Dongyang (city, 100 %), for 2024: the run pays
    // only the excess after the caps, 10,875.00 − 3,000.00 = 7,875.00.
    await page.goto(`${suite.console.baseUrl}/enterprises/${DONGYANG}?year=2024&tab=loans`);
    await page.getByRole('row', { name: /DY-YQYD-2024/ }).getByRole('button', { name: '登记其他补助' }).click();
    const support = page.getByRole('dialog', { name: '登记其他项目补助' });
    await support.getByLabel('项目名称').fill('东阳市专利产业化资助');
    await choose(page, support, '财政层级', '市级财政');
    await support.getByLabel('补助金额（元）').fill('3,000.00');
    await step(page, 'form-other-support');
    await button(support, '保存').click();
    await closes(support);
    await page.getByRole('tab', { name: '其他项目补助' }).click();
    await page.getByRole('cell', { name: '东阳市专利产业化资助' }).waitFor();
    await step(page, 'file-other-support');
    await page.goto(`${suite.console.baseUrl}/subsidy/${dongyangRun}`);
    await recompute(page);
    await runTotal(page, '¥7,875.00');

    // A patent-insurance premium of 4,000.00 paid 2024-03-01 (§ 6): 50 % = 2,000.00 → 7,875.00 + 2,000.00 = 9,875.00.
    await page.goto(`${suite.console.baseUrl}/enterprises/${DONGYANG}?year=2024&tab=premiums`);
    await page.getByRole('button', { name: '登记专利保险保费' }).click();
    const premium = page.getByRole('dialog', { name: '登记专利保险保费' });
    await premium.getByLabel('保费金额（元）').fill('4000');
    await fillDate(premium, '缴费日期', '2099-03-01');
    await button(premium, '保存').click();
    await premium.getByText('缴费日期不能晚于今天').waitFor();
    await fillDate(premium, '缴费日期', '2024-03-01');
    await button(premium, '保存').click();
    await closes(premium);
    await page.getByRole('cell', { name: '¥4,000.00' }).waitFor();
    await step(page, 'file-premiums');
    await page.goto(`${suite.console.baseUrl}/subsidy/${dongyangRun}`);
    await recompute(page);
    await runTotal(page, '¥9,875.00');

    // The local contribution of 2024 (§ 22) is 6,000.00: the year pays at most 6,000.00 (3,875.00 waits for 2025);
    // a later record of 2,000,000.00 supersedes it, and the year pays 9,875.00 again.
    for (const [contribution, total] of [
      ['6,000.00', '¥6,000.00'],
      ['2000000', '¥9,875.00'],
    ] as const) {
      await page.goto(`${suite.console.baseUrl}/enterprises/${DONGYANG}?year=2024&tab=contributions`);
      await page.getByRole('button', { name: '登记地方贡献' }).click();
      const dialog = page.getByRole('dialog', { name: '登记地方贡献' });
      await dialog.getByLabel('地方贡献（元）').fill(contribution);
      await button(dialog, '保存').click();
      await closes(dialog);
      await page.getByRole('cell', { name: `¥${contribution.includes(',') ? contribution : '2,000,000.00'}` }).waitFor();
      await step(page, `file-contribution-${total}`);
      await page.goto(`${suite.console.baseUrl}/subsidy/${dongyangRun}`);
      await recompute(page);
      await runTotal(page, total);
    }
    expect((await suite.console.service.as(suite.console.service.staffToken).get(`/api/v1/subsidy-runs/${dongyangRun}`)).body.total).toBe('9875.00');

    // A status record (§ 20), its form, and the file's other tabs, readable and accessible.
    await page.goto(`${suite.console.baseUrl}/enterprises/${DONGYANG}?year=2024&tab=status`);
    await page.getByRole('tabpanel').getByRole('button', { name: '登记经营状态' }).click();
    await page.getByRole('dialog', { name: '登记经营状态' }).waitFor();
    await step(page, 'form-status');
    await button(page.getByRole('dialog', { name: '登记经营状态' }), '取消').click();
    await closes(page.getByRole('dialog', { name: '登记经营状态' }));
    for (const tab of ['风险补偿', '白名单', '贴息明细', '资格检查']) {
      await page.getByRole('tab', { name: tab }).click();
      await step(page, `tab-${tab}`);
    }
    await context.close();
  });

  it('staff correct the name and the division with a reason (the page, the corrections tab and the audit log say so), and list and remove the enterprise on the white-list', async () => {
    const step = scenario('enterprise-name');
    const context = await suite.newContext();
    const page = await signInAt(context, suite.console.baseUrl, suite.console.service.staffToken);
    await page.goto(`${suite.console.baseUrl}/enterprises/${YUANZHOU}`);
    await page.getByRole('heading', { name: YUANZHOU_NAME }).waitFor();
    await page.getByRole('button', { name: '更正名称' }).click();
    const dialog = page.getByRole('dialog', { name: '更正企业名称' });
    await dialog.getByLabel('企业名称').fill(YUANZHOU_NEW_NAME);
    await dialog.getByRole('button', { name: '确认更正' }).click();
    await dialog.getByText('请填写更正理由').waitFor();
    const reason = '2025年经宜春市市场监督管理局核准更名';
    await dialog.getByLabel('更正理由').fill(reason);
    await step(page, 'name-form');
    await dialog.getByRole('button', { name: '确认更正' }).click();
    await page.getByRole('heading', { name: YUANZHOU_NEW_NAME }).waitFor();
    await page.getByRole('tab', { name: '更正记录' }).click();
    await page.getByRole('cell', { name: reason }).waitFor();
    await page.getByRole('cell', { name: YUANZHOU_NAME }).waitFor();
    await step(page, 'name-corrected');
    const audit = await suite.console.service.db.pool.query<{ detail: Record<string, unknown> }>(`select detail from audit_log where action = 'enterprise.name_corrected'`);
    expect(audit.rows.map((row) => row.detail)).toEqual([expect.objectContaining({ uscc: YUANZHOU, from: YUANZHOU_NAME, to: YUANZHOU_NEW_NAME, reason })]);

    // The registered division, corrected the same way (a code of 5 digits refused in Chinese first).
    await page.getByRole('button', { name: '更正行政区划' }).click();
    const division = page.getByRole('dialog', { name: '更正注册地行政区划' });
    await division.getByLabel('行政区划码').fill('36098');
    await division.getByLabel('更正理由').fill('2025年迁入樟树市，已换发营业执照（统一社会信用代码不变）');
    await division.getByRole('button', { name: '确认更正' }).click();
    await division.getByText('行政区划码为 6 位数字，如 360902').waitFor();
    await division.getByLabel('行政区划码').fill('360982');
    await division.getByRole('button', { name: '确认更正' }).click();
    await closes(division);
    await page.getByRole('cell', { name: '2025年迁入樟树市，已换发营业执照（统一社会信用代码不变）', exact: true }).waitFor();
    await page.getByText('360982', { exact: true }).first().waitFor();
    await step(page, 'division-corrected');

    // The white-list, from the file: listed, then removed with a reason.
    await page.getByRole('tab', { name: '白名单' }).click();
    await page.getByRole('button', { name: '加入白名单' }).click();
    const listing = page.getByRole('dialog', { name: '加入白名单' });
    await listing.getByLabel('入选理由').fill('拥有高价值发明专利 3 件');
    await fillDate(listing, '有效期自', '2025-01-01');
    await fillDate(listing, '有效期至', '2026-12-31');
    await button(listing, '保存').click();
    await closes(listing);
    await page.getByText('在册', { exact: true }).waitFor();
    await step(page, 'whitelist-listed');
    await button(page.getByRole('row', { name: /拥有高价值发明专利/ }), '移出').click();
    const removal = page.getByRole('dialog', { name: '移出白名单' });
    await removal.getByLabel('移出理由').fill('专利权已转让');
    await removal.getByRole('button', { name: '确认移出' }).click();
    await closes(removal);
    await page.getByRole('cell', { name: '专利权已转让' }).waitFor();
    await step(page, 'whitelist-removed');
    await context.close();
  });

  it('staff add a rate fixing in per cent: listed, and in force from its day', async () => {
    const step = scenario('rates');
    const context = await suite.newContext();
    const page = await signInAt(context, suite.console.baseUrl, suite.console.service.staffToken);
    await openFromMenu(page, '利率报价', '利率报价');
    await page.getByRole('cell', { name: '3.45%' }).first().waitFor();
    await step(page, 'rates');
    await page.getByRole('button', { name: '登记报价' }).click();
    const dialog = page.getByRole('dialog', { name: '登记利率报价' });
    await choose(page, dialog, '利率品种', '5年期以上贷款市场报价利率（LPR）');
    await fillDate(dialog, '生效日', '2025-06-20');
    await dialog.getByLabel('利率（%）').fill('三点五');
    await button(dialog, '保存').click();
    await dialog.getByText('请填写百分数，如 3.45（最多 8 位小数）').waitFor();
    await step(page, 'rate-form');
    await dialog.getByLabel('利率（%）').fill('3.5');
    await button(dialog, '保存').click();
    await closes(dialog);
    await fillDate(page, '日期', '2025-07-01');
    await page.locator('.ant-card').filter({ hasText: '某日执行的报价' }).getByRole('cell', { name: '3.5%' }).waitFor();
    await step(page, 'rate-in-force');
    const fixing = await suite.console.service.as(suite.console.service.staffToken).get('/api/v1/rates?index=LPR5Y&on=2025-07-01');
    expect(fixing.body.items).toEqual([expect.objectContaining({ index: 'LPR5Y', effectiveDate: '2025-06-20' })]);
    // 3.5 % = 0.035, whatever trailing zeros the decimal string carries.
    expect(fixing.body.items[0].rate).toMatch(/^0\.0350*$/);
    await context.close();
  });

  it('补贴录入: staff find an enterprise by part of its name and record its contribution of a year there', async () => {
    const step = scenario('subsidy-inputs');
    const context = await suite.newContext();
    const page = await signInAt(context, suite.console.baseUrl, suite.console.service.staffToken);
    await openFromMenu(page, '补贴录入', '补贴录入');
    await step(page, 'inputs-empty');
    await page.getByLabel('企业').fill('木雕工艺');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: DONGYANG_NAME }).click();
    await page.getByRole('heading', { name: DONGYANG_NAME }).or(page.locator('.ant-card-head-title', { hasText: DONGYANG_NAME })).first().waitFor();
    await page.getByLabel('年度').fill('2025');
    await page.getByLabel('年度').press('Tab');
    await page.getByRole('button', { name: '登记地方贡献' }).click();
    const dialog = page.getByRole('dialog', { name: '登记地方贡献' });
    await dialog.getByLabel('地方贡献（元）').fill('120,000.50');
    await button(dialog, '保存').click();
    await closes(dialog);
    await page.getByRole('cell', { name: '¥120,000.50' }).waitFor();
    await page.getByRole('cell', { name: '2025', exact: true }).waitFor();
    await step(page, 'inputs-contribution');
    await page.getByRole('tab', { name: '评估担保保险费' }).click();
    await step(page, 'inputs-fees');
    await context.close();
  });

  it('an auditor reads every tab of the file and the rate fixings, and finds no button that changes anything', async () => {
    const step = scenario('enterprise-auditor');
    const auditor = await suite.console.service.principal('auditor', { name: '区审计局' });
    const context = await suite.newContext();
    const page = await signInAt(context, suite.console.baseUrl, auditor.token);
    const menu = (await page.getByRole('menuitem').allInnerTexts()).map((text) => text.trim());
    expect(menu).toContain('利率报价');
    expect(menu).not.toContain('补贴录入');
    await page.goto(`${suite.console.baseUrl}/enterprises/${DONGYANG}?year=2024`);
    await page.getByRole('heading', { name: DONGYANG_NAME }).waitFor();
    const tabs = (await page.getByRole('tab').allInnerTexts()).map((text) => text.trim());
    expect(tabs).toEqual(['贷款与质押', '贴息明细', '地方贡献', '专利保险保费', '评估担保保险费', '不予补助', '其他项目补助', '经营状态', '风险补偿', '白名单', '更正记录', '资格检查']);
    for (const tab of tabs) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await page.waitForLoadState('networkidle');
      expect(await page.locator('[data-operation]').count()).toBe(0);
    }
    await step(page, 'file-read-only');
    await openFromMenu(page, '利率报价', '利率报价');
    expect(await page.locator('[data-operation]').count()).toBe(0);
    await step(page, 'rates-read-only');
    await context.close();
  });
});
