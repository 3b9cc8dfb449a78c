/**
 * A spreadsheet upload as rows of cells, numbered as the spreadsheet shows them: XLSX (the first worksheet other than
 * the template's 填写说明, read with exceljs) or CSV (RFC 4180, src/loans/csv.ts). The first non-empty row is the
 * header; empty rows are skipped, keeping the numbers of the others.
 */
import ExcelJS from 'exceljs';
import { parseCsv, CsvSyntaxError } from '../loans/csv';
import type { CellValue } from './cells';
import type { ImportProblem } from './types';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The template's instructions sheet: never read as data. */
export const NOTES_SHEET_NAME = '填写说明';

/**
 * A sheet holds at most this many rows: the batch limit (10,000 rows) plus a header and some blank rows. Larger
 * sheets are refused before their rows are read one by one.
 */
export const SHEET_ROWS_MAX = 10_100;
/** Columns read; every template has fewer than 20. */
export const SHEET_COLUMNS_MAX = 50;

export interface SheetRow {
  /** The row number the spreadsheet shows (1 = the first row). */
  sheetRow: number;
  /** Cells by column, from the first. */
  cells: CellValue[];
}

export interface Sheet {
  format: 'xlsx' | 'csv';
  /** The worksheet read (XLSX), for marking the same one. */
  worksheetName: string;
  headerRow: number;
  header: string[];
  rows: SheetRow[];
}

/** The file cannot be read as a table at all: the answer names the file, never a row. */
export class SheetUnreadable extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.message);
  }
}

const unreadable = (message: string, messageZh: string) => new SheetUnreadable({ path: '(file)', message, messageZh });

/** The cell value exceljs gives, as a plain value: a formula's result, rich text as its text, an error as its code. */
export function plainCellValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (result === undefined || result === null) return null;
    return typeof result === 'object' && !(result instanceof Date) ? `#${(result as { error?: string }).error ?? 'ERROR'}` : result;
  }
  if ('hyperlink' in value) {
    const text = (value as ExcelJS.CellHyperlinkValue).text as unknown;
    return typeof text === 'string' ? text : plainCellValue(text as ExcelJS.CellValue);
  }
  if ('error' in value) return String(value.error);
  return null;
}

const isEmpty = (value: CellValue) => value === null || (typeof value === 'string' && value.trim() === '');

function headerText(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).trim();
}

/** Reads an XLSX workbook; a file that is not one (or is damaged) is refused as a whole. */
export async function readWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw unreadable('the file is not an XLSX workbook (Excel 2007 or later)', '文件不是有效的 XLSX 工作簿（Excel 2007 及以后版本的 .xlsx 文件），请用模板另存为 .xlsx 或 CSV 后再上传');
  }
  return workbook;
}

export function dataWorksheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet {
  const sheet = workbook.worksheets.find((worksheet) => worksheet.state !== 'hidden' && worksheet.name !== NOTES_SHEET_NAME && worksheet.actualRowCount > 0);
  if (!sheet) throw unreadable('the workbook has no worksheet with data', '工作簿中没有填有数据的工作表');
  return sheet;
}

async function readXlsx(buffer: Buffer): Promise<Sheet> {
  const workbook = await readWorkbook(buffer);
  const worksheet = dataWorksheet(workbook);
  if (worksheet.rowCount > SHEET_ROWS_MAX) {
    throw unreadable(
      `the worksheet has ${worksheet.rowCount} rows; an import takes at most ${SHEET_ROWS_MAX}`,
      `工作表有 ${worksheet.rowCount} 行，一次最多导入 10,000 行数据：请分成几个文件导入`,
    );
  }
  const rows: SheetRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: CellValue[] = [];
    const last = Math.min(row.cellCount, SHEET_COLUMNS_MAX);
    for (let column = 1; column <= last; column += 1) cells.push(plainCellValue(row.getCell(column).value));
    while (cells.length > 0 && isEmpty(cells[cells.length - 1]!)) cells.pop();
    if (cells.length > 0) rows.push({ sheetRow: rowNumber, cells });
  });
  return splitHeader('xlsx', worksheet.name, rows);
}

function readCsv(text: string): Sheet {
  if (text.includes('\ufffd')) {
    throw unreadable(
      'the CSV is not UTF-8 text',
      '文件不是 UTF-8 编码：请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”，或直接上传 .xlsx 文件',
    );
  }
  let table;
  try {
    table = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new SheetUnreadable({
        path: '(csv)',
        sheetRow: error.line,
        message: error.message,
        messageZh: `CSV 第 ${error.line} 行的引号不成对：带逗号或换行的单元格要用英文双引号括起来，单元格内的双引号写两次`,
      });
    }
    throw error;
  }
  if (table.records.length > SHEET_ROWS_MAX) {
    throw unreadable(`the CSV has ${table.records.length} rows; an import takes at most ${SHEET_ROWS_MAX}`, `文件有 ${table.records.length} 行，一次最多导入 10,000 行数据：请分成几个文件导入`);
  }
  const rows: SheetRow[] = [
    { sheetRow: table.headerRow, cells: table.header },
    ...table.records.map((record) => ({ sheetRow: record.row, cells: record.cells as CellValue[] })),
  ]
    .map((row) => {
      const cells = [...row.cells];
      while (cells.length > 0 && isEmpty(cells[cells.length - 1]!)) cells.pop();
      return { sheetRow: row.sheetRow, cells };
    })
    .filter((row) => row.cells.length > 0);
  return splitHeader('csv', '', rows);
}

function splitHeader(format: Sheet['format'], worksheetName: string, rows: SheetRow[]): Sheet {
  const [header, ...data] = rows;
  if (!header) throw unreadable('the file is empty: the first row must name the columns', '文件是空的：第一行应为列名（可下载模板）');
  return { format, worksheetName, headerRow: header.sheetRow, header: header.cells.map(headerText), rows: data };
}

/** The upload as a sheet: a Buffer is an XLSX workbook, a string a CSV. */
export async function readSheet(body: Buffer | string): Promise<Sheet> {
  return typeof body === 'string' ? readCsv(body) : readXlsx(body);
}

/** "A", "B", … "Z", "AA": the letters of a column (1-based), for cell addresses in messages. */
export function columnLetters(column: number): string {
  let letters = '';
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}
