/**
 * The console in a real browser: staff sign in, register a bank and a bank principal whose
 * token is shown once, and find it all in the audit log; an auditor finds no button that changes anything; a bad
 * input shows the API's error next to its field. Every step keeps a screenshot and passes axe-core.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { ensureAccounts, postMany } from '../../src/ledger';
import { choose, closes, consoleSuite, describeInBrowser, openFromMenu, scenario, signIn as signInAt } from '../support/browser';

jest.setTimeout(180_000);

const suite = consoleSuite({ viewport: { width: 1366, height: 860 } });

const signIn = (context: BrowserContext, token: string): Promise<Page> => signInAt(context, suite.console.baseUrl, token);
const open = openFromMenu;

/** The help text antd shows under the Form.Item labelled `label` (where a problem's error goes). */
function fieldError(page: Page, label: string) {
  return page.locator('.ant-form-item').filter({ has: page.locator(`label:text-is("${label}")`) }).locator('.ant-form-item-explain-error');
}

/** A few postings, so the dashboard and the trial balance have something to show. */
async function seedLedger(): Promise<void> {
  const pool = suite.console.service.db.pool;
  await ensureAccounts(pool, [
    { code: 'fund:YZ:cash', name: '风险补偿资金专户', type: 'asset', floorFen: 0n },
    { code: 'fund:YZ:capital:city', name: '市财政出资', type: 'equity' },
    { code: 'fund:YZ:capital:district', name: '区财政出资', type: 'equity' },
    { code: 'fund:YZ:claims-paid', name: '已赔付代偿', type: 'expense' },
  ]);
  const transfer = (key: string, date: string, debit: string, credit: string, amountFen: bigint) => ({
    idempotencyKey: key,
    effectiveDate: date,
    description: key,
    source: { kind: 'seed', id: key },
    lines: [
      { accountCode: debit, side: 'debit' as const, amountFen },
      { accountCode: credit, side: 'credit' as const, amountFen },
    ],
  });
  await postMany(pool, [
    transfer('市财政注资', '2024-01-10', 'fund:YZ:cash', 'fund:YZ:capital:city', 30_000_000_00n),
    transfer('区财政注资', '2024-01-12', 'fund:YZ:cash', 'fund:YZ:capital:district', 20_000_000_00n),
    transfer('代偿 L-0001', '2024-06-30', 'fund:YZ:claims-paid', 'fund:YZ:cash', 1_234_567_89n),
  ]);
}

describeInBrowser('the console in chromium', () => {
  suite.start();
  beforeAll(async () => {
    await seedLedger();
  });

  it('staff sign in, register a bank and a bank principal (token shown once) and see both in the audit log', async () => {
    const step = scenario('staff');
    const context = await suite.newContext();
    const page = await context.newPage();
    await page.goto(suite.console.baseUrl);
    await step(page, 'sign-in');
    await page.close();

    const signedIn = await signIn(context, suite.console.service.staffToken);
    // 30,000,000.00 + 20,000,000.00 + 1,234,567.89 of debits, the same of credits.
    await signedIn.getByText('¥51,234,567.89').first().waitFor();
    await step(signedIn, 'dashboard');

    await open(signedIn, '账务', '账务');
    await signedIn.getByText('风险补偿资金池 YZ：资金专户').waitFor();
    // 50,000,000.00 paid in − 1,234,567.89 paid out, on the debit side of the asset.
    await signedIn.getByRole('cell', { name: '借 ¥48,765,432.11' }).waitFor();
    await step(signedIn, 'trial-balance');

    await open(signedIn, '机构与用户', '机构与用户');
    await signedIn.getByRole('button', { name: '登记合作银行' }).click();
    const bankDialog = signedIn.getByRole('dialog', { name: '登记合作银行' });
    await bankDialog.getByLabel('银行代码').fill('ICBC-YZ');
    await bankDialog.getByLabel('银行名称').fill('中国工商银行园州支行');
    await step(signedIn, 'bank-form');
    await bankDialog.getByRole('button', { name: '登 记' }).or(bankDialog.getByRole('button', { name: '登记' })).click();
    await signedIn.getByRole('cell', { name: '中国工商银行园州支行' }).waitFor();
    await step(signedIn, 'bank-registered');

    await signedIn.getByRole('tab', { name: '用户与令牌' }).click();
    await signedIn.getByRole('button', { name: '新建用户' }).click();
    const principalDialog = signedIn.getByRole('dialog', { name: '新建用户' });
    await principalDialog.getByLabel('名称').fill('工行园州支行系统');
    await choose(signedIn, principalDialog, '角色', '合作银行');
    await choose(signedIn, principalDialog, '所属银行', 'ICBC-YZ');
    await step(signedIn, 'principal-form');
    await principalDialog.getByRole('button', { name: '创建并生成令牌' }).click();

    const tokenDialog = signedIn.getByRole('dialog', { name: '令牌已生成' });
    const token = (await tokenDialog.getByTestId('new-token').innerText()).trim();
    expect(token).toMatch(/^ipl_[A-Za-z0-9_-]{43}$/);
    await step(signedIn, 'token-shown-once');
    await tokenDialog.getByRole('button', { name: '我已妥善保存' }).click();
    await closes(tokenDialog);
    await signedIn.getByRole('cell', { name: '工行园州支行系统' }).waitFor();
    expect(await signedIn.content()).not.toContain(token);
    await step(signedIn, 'principal-created');

    // The token shown works, for a bank principal of that bank.
    const me = await fetch(`${suite.console.baseUrl}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ name: '工行园州支行系统', role: 'bank' });

    await open(signedIn, '审计', '审计日志');
    await signedIn.getByRole('cell', { name: '登记合作银行' }).first().waitFor();
    await signedIn.getByRole('cell', { name: '新建用户' }).first().waitFor();
    await signedIn.getByLabel('操作').click();
    await signedIn.getByLabel('操作').fill('登记合作银行（请求）');
    await signedIn.locator('.ant-select-item-option', { hasText: '登记合作银行（请求）' }).click();
    await signedIn.getByRole('button', { name: '筛 选' }).or(signedIn.getByRole('button', { name: '筛选' })).click();
    await signedIn.getByRole('cell', { name: '新建用户' }).waitFor({ state: 'detached' });
    await step(signedIn, 'audit-log-filtered');
    await context.close();
  });

  it('an auditor reads every page and finds no button that changes anything', async () => {
    const step = scenario('auditor');
    const auditor = await suite.console.service.principal('auditor', { name: '审计局' });
    const context = await suite.newContext();
    const page = await signIn(context, auditor.token);
    const menu = await page.getByRole('menuitem').allInnerTexts();
    // Every page an auditor may read (other modules add theirs: 贴息, 对账…).
    expect(menu.map((text) => text.trim())).toEqual(
      expect.arrayContaining(['总览', '贷款', '白名单', '企业', '账务', '风险补偿', '机构与用户', '审计']),
    );

    const pages: [string, string][] = [
      ['总览', '总览'],
      ['贷款', '贷款'],
      ['企业', '企业'],
      ['账务', '账务'],
      ['机构与用户', '机构与用户'],
      ['审计', '审计日志'],
    ];
    for (const [item, heading] of pages) {
      await open(page, item, heading);
      await step(page, heading);
      if (item === '机构与用户') {
        await page.getByRole('tab', { name: '用户与令牌' }).click();
        await page.getByRole('cell', { name: '审计局' }).waitFor();
        await step(page, '用户与令牌');
      }
      expect(await page.locator('[data-operation]').count()).toBe(0);
      const buttons = (await page.getByRole('button').allInnerTexts()).map((text) => text.replace(/\s+/g, ''));
      expect(buttons.filter((text) => /登记|新建|创建|撤销|删除|保存|提交|上传|审批|拨付/.test(text))).toEqual([]);
    }
    await context.close();
  });

  it('a bank registers an enterprise (USCC checked as typed) and imports loans from a CSV, seeing each bad row', async () => {
    const step = scenario('bank');
    const bank = await suite.console.service.bank('YZ-BANK');
    const context = await suite.newContext();
    const page = await signIn(context, bank.token);
    const menu = await page.getByRole('menuitem').allInnerTexts();
    expect(menu.map((text) => text.trim())).toEqual(['总览', '待办', '贷款', '白名单', '企业', '风险补偿']);
    await step(page, 'dashboard');

    await open(page, '企业', '企业');
    await page.getByRole('button', { name: '登记企业' }).click();
    const dialog = page.getByRole('dialog', { name: '登记企业' });
    // 91360902MA36R7KCX7 is valid (test/loans.support.ts); with 8 as the 18th character the check fails as typed.
    await dialog.getByLabel('统一社会信用代码').pressSequentially('91360902MA36R7KCX8');
    await fieldError(page, '统一社会信用代码').getByText('第 18 位（校验码）不符', { exact: false }).waitFor();
    await step(page, 'uscc-refused-as-typed');
    await dialog.getByLabel('统一社会信用代码').press('Backspace');
    await dialog.getByLabel('统一社会信用代码').press('7');
    await dialog.getByText('校验通过（GB 32100-2015）').waitFor();
    await dialog.getByLabel('企业名称').fill('园州知识产权科技有限公司');
    await dialog.getByRole('button', { name: '登 记' }).or(dialog.getByRole('button', { name: '登记' })).click();
    await page.getByRole('cell', { name: '园州知识产权科技有限公司' }).waitFor();
    await step(page, 'enterprise-registered');

    await open(page, '贷款', '贷款');
    const header = 'contractNo,enterpriseUscc,principal,annualRate,startDate,maturityDate,collateral,ipPledgedAmount,pledges';
    const good = 'YZ-2024-001,91360902MA36R7KCX7,1000000.00,0.0435,2024-01-15,2025-01-15,ip_only,,patent:202310123456.6';
    const bad = 'YZ-2024-002,91360902MA36R7KCX7,一百万,0.0435,2024-01-15,2025-01-15,ip_only,,patent:202310123456.6';
    await page.getByRole('button', { name: '导入贷款' }).click();
    const upload = page.getByRole('dialog', { name: '导入贷款' });
    await upload.locator('input[type=file]').setInputFiles({ name: 'loans.csv', mimeType: 'text/csv', buffer: Buffer.from([header, good, bad, ''].join('\n')) });
    await upload.getByText('已选择 loans.csv').waitFor();
    await upload.getByRole('button', { name: '导 入' }).or(upload.getByRole('button', { name: '导入' })).click();
    // The second line after the header is row 3 of the sheet; its column is named in Chinese; nothing is imported.
    await upload.getByText('1 行有误，未导入任何一行', { exact: false }).waitFor();
    await upload.getByRole('row').filter({ hasText: '贷款金额（元）' }).getByRole('cell', { name: '3', exact: true }).waitFor();
    await step(page, 'csv-bad-row');

    await upload.locator('input[type=file]').setInputFiles({ name: 'loans-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from([header, good, ''].join('\n')) });
    await upload.getByText('已选择 loans-fixed.csv').waitFor();
    await upload.getByRole('button', { name: '导 入' }).or(upload.getByRole('button', { name: '导入' })).click();
    await closes(upload);
    await page.getByText('全部符合条件的 1 笔合计').waitFor();
    await page.getByRole('cell', { name: '¥1,000,000.00' }).first().waitFor();
    await step(page, 'loans');

    await page.getByRole('link', { name: 'YZ-2024-001' }).click();
    await page.getByRole('heading', { name: '贷款 YZ-2024-001' }).waitFor();
    await page.getByText('4.35%').waitFor();
    await step(page, 'loan');
    // The bank records its loan's events here; nothing else changes anything.
    expect(await page.locator('[data-operation]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-operation')))).toEqual([
      'POST /api/v1/loans/{id}/events',
    ]);
    await context.close();
  });

  it('a bad input shows the API\'s error next to its field', async () => {
    const step = scenario('bad-input');
    const context = await suite.newContext();
    const signInPage = await context.newPage();
    await signInPage.goto(suite.console.baseUrl);
    await signInPage.getByLabel('访问令牌').fill('ipl_not_a_token');
    await signInPage.getByRole('button', { name: '登 录' }).or(signInPage.getByRole('button', { name: '登录' })).click();
    await fieldError(signInPage, '访问令牌').getByText('访问令牌无效或已被撤销，请重新登录').waitFor();
    await step(signInPage, 'refused-token');
    await signInPage.close();

    const page = await signIn(context, suite.console.service.staffToken);
    await open(page, '机构与用户', '机构与用户');
    await page.getByRole('button', { name: '登记合作银行' }).click();
    const dialog = page.getByRole('dialog', { name: '登记合作银行' });
    await dialog.getByLabel('银行代码').fill('工行 01');
    await dialog.getByLabel('银行名称').fill('中国工商银行');
    await dialog.getByRole('button', { name: '登 记' }).or(dialog.getByRole('button', { name: '登记' })).click();
    // The API's 422 names the field "code"; its English message is said in Chinese (web/src/catalogue/errors.ts).
    await fieldError(page, '银行代码').getByText('须为 1–32 个字母、数字、“-” 或 “_”').waitFor();
    expect(await fieldError(page, '银行名称').count()).toBe(0);
    await step(page, 'bank-code-refused');

    await suite.console.service.bank('TAKEN');
    await dialog.getByLabel('银行代码').fill('TAKEN');
    await dialog.getByRole('button', { name: '登 记' }).or(dialog.getByRole('button', { name: '登记' })).click();
    // 409 conflict, also naming "code".
    await fieldError(page, '银行代码').getByText('已被使用').waitFor();
    await step(page, 'bank-code-taken');
    await context.close();
  });
});
