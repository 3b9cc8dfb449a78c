/**
 * 资格检查 in a real browser: a Yuanzhou enterprise with two loans of its bank (posted through the API) — a patent loan
 * that qualifies and a trademark loan that does not. A staff user opens the enterprise from 企业, reads on its 资格检查
 * tab for 2024 the policy as applying, the patent loan's estimate, and the trademark loan's missed condition with its
 * remedy (如何满足); then computes the 2024 run and follows the ineligible line's link back to the same check. Every
 * step keeps a screenshot and passes axe-core.
 *
 * The patent loan: 1,000,000.00 from 2024-03-15, LPR1Y 3.45 % (fixed 2023-08-21) × 15 %, 30E/360: f(2025-01-01) −
 * f(2024-03-15) = 729,001 − 728,715 = 286 days → 1,000,000 × 0.0345 × 0.15 × 286 / 360 = 4,111.25.
 */
import type { Page } from 'playwright-core';
import { choose, consoleSuite, describeInBrowser, openFromMenu, scenario, signIn } from '../support/browser';

jest.setTimeout(240_000);

const USCC = '91360902MA36R7KCX7';
const NAME = '宜春市袁州区资格检查示范有限公司';

const suite = consoleSuite({ viewport: { width: 1366, height: 900 } });

async function postLoan(contractNo: string, rightType: 'patent' | 'trademark', number: string): Promise<void> {
  const bank = suite.console.service.as((await suite.console.service.bank(`EL-${contractNo}`)).token);
  const created = await bank.post('/api/v1/loans').send({
    contractNo,
    enterpriseUscc: USCC,
    principal: '1000000.00',
    annualRate: '0.0435',
    startDate: '2024-03-15',
    maturityDate: '2026-03-15',
    collateral: 'ip_only',
    pledges: [{ rightType, number }],
  });
  expect(created.status).toBe(201);
  expect((await bank.post(`/api/v1/loans/${created.body.id}/events`).send({ type: 'disbursement', date: '2024-03-15', amount: '1000000.00' })).status).toBe(201);
}

async function expectCheck(page: Page): Promise<void> {
  const policy = page.locator('.ant-card', { hasText: '袁州区加强专利建设促进知识产权高质量发展实施方案' });
  await policy.getByText('适用', { exact: true }).waitFor();
  // The trademark loan, expanded because it misses a condition: what is missed, and what would meet it.
  const missed = policy.getByRole('row', { name: /质押权利类型/ }).filter({ hasText: '质押商标专用权' });
  await missed.getByRole('img', { name: '不满足' }).waitFor();
  await missed.getByText('须以专利权质押：本笔贷款质押的权利类型不在支持范围内').waitFor();
  await missed.getByText('袁府办字〔2023〕25号 四(三)2', { exact: false }).waitFor();
  // The patent loan qualifies, with its estimate before the enterprise caps.
  await policy.getByRole('button', { name: /贷款 EL-PATENT/ }).getByText('¥4,111.25').waitFor();
}

describeInBrowser('资格检查 in chromium', () => {
  suite.start();
  beforeAll(async () => {
    const staff = suite.console.service.as(suite.console.service.staffToken);
    expect((await staff.post('/api/v1/enterprises').send({ uscc: USCC, name: NAME })).status).toBe(201);
    await postLoan('EL-PATENT', 'patent', '202310123456.6');
    await postLoan('EL-TRADEMARK', 'trademark', '30000123');
  });

  it('staff open an enterprise, see its missed condition with the remedy, and reach the same check from a run\'s ineligible line', async () => {
    const step = scenario('eligibility');
    const context = await suite.newContext();
    const page = await signIn(context, suite.console.baseUrl, suite.console.service.staffToken);

    await openFromMenu(page, '企业', '企业');
    await page.getByRole('link', { name: NAME }).click();
    await page.getByRole('heading', { name: NAME }).waitFor();
    // The file opens on its loans; 资格检查 is one of its tabs.
    await page.getByRole('tab', { name: '资格检查' }).click();
    await choose(page, page, '年度', '2024 年');
    await expectCheck(page);
    await step(page, 'eligibility-2024');

    // The 2024 run, computed through the API; its ineligible line links to the check of that year.
    const run = await suite.console.service.as(suite.console.service.staffToken).post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(run.status).toBe(201);
    await page.goto(`${suite.console.baseUrl}/subsidy/${run.body.id}`);
    await page.getByRole('heading', { name: /^袁州区专利权质押贷款贴息 2024 年度 第 \d+ 版$/ }).waitFor();
    await page.getByRole('link', { name: '资格检查', exact: true }).click();
    await page.getByRole('heading', { name: NAME }).waitFor();
    await expectCheck(page);
    await step(page, 'eligibility-from-run');
    await context.close();
  });
});
