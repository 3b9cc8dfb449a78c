import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { formatYuanForPeople, renderPdf, renderXlsx, type TableDocument } from './documents';

const roster: TableDocument = {
  name: '公示名单',
  title: '袁州区专利权质押贷款贴息公示名单（2024年度）',
  subtitle: ['政策文件：袁府办字〔2023〕25号', '公示期：2025-01-02 至 2025-01-09'],
  columns: [
    { key: 'no', header: '序号', kind: 'number', width: 6 },
    { key: 'name', header: '企业名称', kind: 'text', width: 30 },
    { key: 'uscc', header: '统一社会信用代码', kind: 'text', width: 22 },
    { key: 'amount', header: '贴息金额（元）', kind: 'money', width: 16 },
  ],
  rows: [
    { no: '1', name: '宜春市袁州区星火专利科技有限公司', uscc: '91360902MA36R7KCX7', amount: '12101.56' },
    { no: '2', name: '袁州新材料股份有限公司', uscc: '91360902MA35XXXXX1', amount: '1234567.89' },
  ],
  // 12,101.56 + 1,234,567.89 = 1,246,669.45
  totals: { name: '合计', amount: '1246669.45' },
  footer: ['如有异议，请于公示期内向区金融服务中心反映。'],
};

it('formats amounts for people as ¥1,234,567.89 from the exact string', () => {
  expect(formatYuanForPeople('1234567.89')).toBe('¥1,234,567.89');
  expect(formatYuanForPeople('0.05')).toBe('¥0.05');
  expect(formatYuanForPeople('-1000.00')).toBe('-¥1,000.00');
});

it('the XLSX roster carries the Chinese title, each enterprise and the total as a summable number', async () => {
  const buffer = await renderXlsx(roster);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('公示名单')!;
  expect(sheet.getCell('A1').value).toBe('袁州区专利权质押贷款贴息公示名单（2024年度）');
  expect(sheet.getCell('A2').value).toBe('政策文件：袁府办字〔2023〕25号');
  const values = sheet.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1) : []));
  expect(values).toContainEqual([2, '袁州新材料股份有限公司', '91360902MA35XXXXX1', 1234567.89]);
  const totals = sheet.getRow(7); // title, 2 subtitle lines, header, 2 rows, then the totals
  expect([totals.getCell(2).value, totals.getCell(4).value]).toEqual(['合计', 1246669.45]);
  expect(sheet.getRow(6).getCell(4).numFmt).toBe('#,##0.00');
});

it('refuses to put an amount into a spreadsheet number it cannot show exactly', async () => {
  await expect(renderXlsx({ ...roster, rows: [{ no: '1', name: 'x', uscc: 'x', amount: '12345678901234.00' }] })).rejects.toThrow(RangeError);
});

const pdftotext = spawnSync('pdftotext', ['-v']).status === 0;
if (!pdftotext && process.env.CI) throw new Error('pdftotext (poppler-utils) must be installed in CI (.ci/run installs it)');
(pdftotext ? it : it.skip)('the PDF roster is Chinese text a machine can read back: title, enterprise, total', async () => {
  const buffer = await renderPdf(roster);
  expect(buffer.subarray(0, 5).toString()).toBe('%PDF-');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roster-')), 'roster.pdf');
  fs.writeFileSync(file, buffer);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toContain('袁州区专利权质押贷款贴息公示名单（2024年度）');
  expect(text).toContain('袁府办字〔2023〕25号');
  expect(text).toContain('宜春市袁州区星火专利科技有限公司');
  expect(text).toContain('¥1,246,669.45');
});
