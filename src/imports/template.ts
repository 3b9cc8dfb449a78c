/**
 * The template a clerk fills: XLSX with the Chinese headers on a sheet named after the kind (money and dates
 * formatted, codes and numbers kept as text so Excel does not turn a patent number into 2.02E+11, a drop-down for each
 * column with a list of choices, each header's note saying what to write) and a 填写说明 sheet listing every column
 * with an example; or CSV (UTF-8 with a byte order mark, so Excel opens the Chinese headers correctly) with the header
 * row only.
 */
import ExcelJS from 'exceljs';
import { NOTES_SHEET_NAME } from './sheet';
import type { ImportColumn, ImportSpec } from './types';

/** Rows of the data sheet that carry the drop-downs; a longer sheet works, the extra rows have no list to pick from. */
const FORMATTED_ROWS = 1_000;

const NUMBER_FORMATS: Partial<Record<ImportColumn['kind'], string>> = {
  money: '#,##0.00',
  date: 'yyyy-mm-dd',
  text: '@',
  pledges: '@',
  choice: '@',
};

function columnNote(column: ImportColumn): string {
  return `${column.required ? '必填' : '选填'}。${column.note}`;
}

export function templateFileName(spec: ImportSpec, format: 'xlsx' | 'csv'): string {
  return `${spec.title}导入模板.${format}`;
}

export async function templateXlsx(spec: ImportSpec): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'IP-pledge financing support';
  const data = workbook.addWorksheet(spec.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  data.columns = spec.columns.map((column) => ({ header: column.header, key: column.field, width: column.width ?? Math.max(14, column.header.length * 2 + 4) }));
  const header = data.getRow(1);
  header.font = { bold: true };
  spec.columns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.note = columnNote(column);
    if (column.required) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    const format = NUMBER_FORMATS[column.kind];
    // The column's own style: every row below takes it, however long the sheet.
    if (format) data.getColumn(index + 1).numFmt = format;
    const list = column.kind === 'choice' && column.choices ? `"${column.choices.map((choice) => choice.label).join(',')}"` : undefined;
    if (!list) return;
    const validation: ExcelJS.DataValidation = {
      type: 'list',
      allowBlank: !column.required,
      formulae: [list],
      showErrorMessage: true,
      errorTitle: column.header,
      error: `请从列表中选择：${column.choices!.map((choice) => choice.label).join('、')}`,
    };
    for (let row = 2; row <= FORMATTED_ROWS + 1; row += 1) data.getCell(row, index + 1).dataValidation = validation;
  });

  const notes = workbook.addWorksheet(NOTES_SHEET_NAME);
  notes.columns = [
    { header: '列名', width: 24 },
    { header: '必填', width: 8 },
    { header: '填写说明', width: 70 },
    { header: '示例', width: 36 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const column of spec.columns) {
    const row = notes.addRow([column.header, column.required ? '是' : '否', column.note, column.example]);
    row.alignment = { wrapText: true, vertical: 'top' };
    if (column.kind === 'money') row.getCell(4).numFmt = '#,##0.00';
    if (column.kind === 'date') row.getCell(4).numFmt = 'yyyy-mm-dd';
  }
  notes.addRow([]);
  for (const line of [
    `用途：${spec.purpose}`,
    `在「${spec.title.slice(0, 31)}」表中从第 2 行起每行填一条，不要改动第 1 行的列名（列的顺序可以调整，选填的列可以删去）。`,
    '金额可带千位分隔符（1,234,567.89），最多两位小数；日期可写 2026-10-10、2026/10/10，或用 Excel 日期格式。',
    '全部行无误才会导入，任何一行有误则一行也不导入；出错时可下载标出错误单元格的同一表格，改正后重新上传。',
    '也可另存为 CSV（UTF-8）上传；列名也可用英文字段名。',
  ]) {
    const row = notes.addRow([line]);
    notes.mergeCells(row.number, 1, row.number, 4);
    row.alignment = { wrapText: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csvCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

export function templateCsv(spec: ImportSpec): string {
  return `\ufeff${spec.columns.map((column) => csvCell(column.header)).join(',')}\r\n`;
}
