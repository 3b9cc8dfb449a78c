/**
 * Imports in a real browser: a bank imports its loans from an Excel sheet with one bad row — nothing is written, the
 * dialog lists the row, column and message as the sheet shows them, and the sheet with the bad cells marked is
 * downloaded and opened with exceljs — then a good sheet with Excel-formatted amounts and dates, whose figures the
 * loans list shows. The service centre imports premiums on the 导入 page the same way. Every step keeps a screenshot
 * and passes axe-core.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { count, registerEnterprises, USCC } from '../loans.support';
import { button, closes, consoleSuite, describeInBrowser, openFromMenu, scenario, signIn as signInAt } from '../support/browser';

jest.setTimeout(240_000);

const DOWNLOADS = path.join(__dirname, '..', '..', 'test-artifacts', 'e2e', 'imports-downloads');
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

const suite = consoleSuite();

async function saveDownload(page: Page, click: () => Promise<void>): Promise<{ file: string; name: string }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  fs.mkdirSync(DOWNLOADS, { recursive: true });
  const name = download.suggestedFilename();
  const file = path.join(DOWNLOADS, name);
  await download.saveAs(file);
  return { file, name };
}

async function sheet(name: string, rows: unknown[][], format?: (worksheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const worksheet = book.addWorksheet(name);
  rows.forEach((row, index) => {
    worksheet.getRow(index + 1).values = row as ExcelJS.CellValue[];
  });
  format?.(worksheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const LOAN_HEADER = ['合同编号', '统一社会信用代码', '贷款金额（元）', '年利率', '起始日', '到期日', '担保方式', '知识产权质押部分金额（元）', '质押的知识产权'];

describeInBrowser('imports in chromium', () => {
  suite.start();
  beforeAll(async () => {
    await registerEnterprises(suite.console.service);
  });

  it('a bank imports loans from Excel: one bad row refuses all, the marked sheet shows where; then the good sheet is written', async () => {
    const step = scenario('imports-bank');
    const bank = await suite.console.service.bank('IMP-BANK');
    const context = await suite.newContext();
    const page = await signInAt(context, suite.console.baseUrl, bank.token);
    await openFromMenu(page, '贷款', '贷款');
    await page.getByRole('button', { name: '导入贷款' }).click();
    const dialog = page.getByRole('dialog', { name: '导入贷款' });
    await step(page, 'dialog');

    const template = await saveDownload(page, () => dialog.getByRole('button', { name: '下载模板（Excel）' }).click());
    expect(template.name).toBe('贷款导入模板.xlsx');

    const bad = await sheet('贷款', [
      LOAN_HEADER,
      ['IMP-001', USCC.yuanzhou, '1,234,567.89', '4.35%', day('2024-01-15'), '2025/01/15', '纯知识产权质押', null, '专利:202310123456.6'],
      // Row 3: the amount is written in words.
      ['IMP-002', USCC.dongyang, '二百万', 0.04, '2024/03/01', '2026/03/01', '组合担保', '1,500,000.00', '商标:12345678'],
    ]);
    await dialog.locator('input[type=file]').setInputFiles({ name: '贷款.xlsx', mimeType: XLSX, buffer: bad });
    await dialog.getByText('已选择 贷款.xlsx').waitFor();
    await button(dialog, '导入').click();
    await dialog.getByText('1 行有误，未导入任何一行').waitFor();
    const problemRow = dialog.getByRole('row').filter({ hasText: '贷款金额（元）' });
    await problemRow.getByRole('cell', { name: '3', exact: true }).waitFor();
    await problemRow.getByRole('cell', { name: 'C3', exact: true }).waitFor();
    await problemRow.getByText('应为金额，如 1,234,567.89（最多两位小数，可带千位分隔符）').waitFor();
    expect(await count(suite.console.service, 'loan')).toBe(0);
    await step(page, 'bad-row');

    const marked = await saveDownload(page, () => dialog.getByRole('button', { name: '下载标注错误的表格' }).click());
    expect(marked.name).toBe('贷款导入-错误标注.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(marked.file);
    const markedSheet = book.getWorksheet('贷款')!;
    expect((markedSheet.getCell('C3').fill as ExcelJS.FillPattern).fgColor).toEqual({ argb: 'FFFFC7CE' });
    expect(markedSheet.getCell('C3').note).toBe('应为金额，如 1,234,567.89（最多两位小数，可带千位分隔符）');
    expect(markedSheet.getCell('J3').value).toBe('「贷款金额（元）」应为金额，如 1,234,567.89（最多两位小数，可带千位分隔符）');
    expect(markedSheet.getCell('C2').fill).toBeUndefined();

    // The good sheet: the amounts typed with separators or kept as number cells in Excel's #,##0.00, the dates as
    // date cells, Excel serials (45,352 is 2024-03-01) and 2026/03/01.
    const good = await sheet(
      '贷款',
      [
        LOAN_HEADER,
        ['IMP-001', USCC.yuanzhou, '1,234,567.89', '4.35%', day('2024-01-15'), '2025/01/15', '纯知识产权质押', null, '专利:202310123456.6'],
        ['IMP-002', USCC.dongyang, 2000000, 0.04, 45352, '2026/03/01', '组合担保', 1500000, '商标:12345678'],
      ],
      (worksheet) => {
        worksheet.getCell('C3').numFmt = '#,##0.00';
        worksheet.getCell('H3').numFmt = '#,##0.00';
        worksheet.getCell('E2').numFmt = 'yyyy/m/d';
      },
    );
    await dialog.locator('input[type=file]').setInputFiles({ name: '贷款-改正.xlsx', mimeType: XLSX, buffer: good });
    await dialog.getByText('已选择 贷款-改正.xlsx').waitFor();
    await button(dialog, '导入').click();
    await closes(dialog);
    // 1,234,567.89 + 2,000,000.00 = 3,234,567.89.
    await page.getByText('全部符合条件的 2 笔合计').waitFor();
    await page.getByRole('cell', { name: '¥3,234,567.89' }).waitFor();
    const second = page.getByRole('row').filter({ hasText: 'IMP-002' });
    await second.getByRole('cell', { name: '2024-03-01' }).waitFor();
    await second.getByRole('cell', { name: '2026-03-01' }).waitFor();
    await second.getByRole('cell', { name: '¥2,000,000.00' }).waitFor();
    await step(page, 'imported');
    await context.close();
  });

  it('the service centre imports premiums on the 导入 page: a bad row named, then the good sheet written', async () => {
    const step = scenario('imports-staff');
    const context = await suite.newContext();
    const page = await signInAt(context, suite.console.baseUrl, suite.console.service.staffToken);
    await openFromMenu(page, '导入', '导入');
    await step(page, 'page');
    await page.getByRole('button', { name: '导入专利保险保费' }).click();
    const dialog = page.getByRole('dialog', { name: '导入专利保险保费' });
    const header = ['统一社会信用代码', '企业名称', '保费（元）', '缴费日期'];
    const bad = await sheet('专利保险保费', [
      header,
      [USCC.dongyang, 'dongyang 企业', '30,000.00', day('2024-06-30')],
      [USCC.ankang, '某某公司', '12,500.50', '2024/07/01'],
    ]);
    await dialog.locator('input[type=file]').setInputFiles({ name: '保费.xlsx', mimeType: XLSX, buffer: bad });
    await dialog.getByText('已选择 保费.xlsx').waitFor();
    await button(dialog, '导入').click();
    await dialog.getByText('1 行有误，未导入任何一行').waitFor();
    const problemRow = dialog.getByRole('row').filter({ hasText: '企业名称' });
    await problemRow.getByRole('cell', { name: 'B3', exact: true }).waitFor();
    await problemRow.getByText(`与登记的企业名称不一致：${USCC.ankang} 登记为「ankang 企业」（信用代码或名称填错了？）`).waitFor();
    expect(await count(suite.console.service, 'subsidy_premium')).toBe(0);
    await step(page, 'bad-row');

    const good = await sheet('专利保险保费', [header, [USCC.dongyang, 'dongyang 企业', '30,000.00', day('2024-06-30')], [USCC.ankang, 'ankang 企业', '12,500.50', '2024/07/01']]);
    await dialog.locator('input[type=file]').setInputFiles({ name: '保费-改正.xlsx', mimeType: XLSX, buffer: good });
    await dialog.getByText('已选择 保费-改正.xlsx').waitFor();
    await button(dialog, '导入').click();
    await closes(dialog);
    await page.getByText('专利保险保费：已导入 2 行').waitFor();
    const stored = await suite.console.service.db.pool.query<{ enterprise_uscc: string; amount_fen: string; paid_on: string }>(
      `select enterprise_uscc, amount_fen::text, paid_on from subsidy_premium order by paid_on`,
    );
    // 30,000.00 = 3,000,000 fen; 12,500.50 = 1,250,050 fen.
    expect(stored.rows).toEqual([
      { enterprise_uscc: USCC.dongyang, amount_fen: '3000000', paid_on: '2024-06-30' },
      { enterprise_uscc: USCC.ankang, amount_fen: '1250050', paid_on: '2024-07-01' },
    ]);
    await step(page, 'imported');
    await context.close();
  });
});
