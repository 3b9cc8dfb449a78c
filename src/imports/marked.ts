/**
 * The sheet back with its bad cells marked, so the clerk fixes the same file: each bad cell filled red with a note
 * saying what is wrong, the header cell of an unknown column likewise, and a last column 导入问题 listing every problem
 * of the row. An XLSX upload is marked in place (its other sheets, formats and formulas kept as exceljs reads them); a
 * CSV upload comes back as an XLSX of the same rows, every cell as text.
 */
import ExcelJS from 'exceljs';
import { dataWorksheet, readWorkbook, type Sheet } from './sheet';
import type { ImportProblem } from './types';

/** Excel's own "light red fill with dark red text", which clerks know as the mark of a bad value. */
const BAD_FILL_ARGB = 'FFFFC7CE';
const BAD_FONT_ARGB = 'FF9C0006';
const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: BAD_FILL_ARGB } };
const BAD_FONT: Partial<ExcelJS.Font> = { color: { argb: BAD_FONT_ARGB } };
export const PROBLEMS_HEADER = '导入问题';

export interface MarkedSheet {
  fileName: string;
  contentType: string;
  /** The XLSX, base64: the answer carries it so the console can offer it without storing anything. */
  base64: string;
}

function csvWorkbook(sheet: Sheet): { workbook: ExcelJS.Workbook; worksheet: ExcelJS.Worksheet } {
  const workbook = new ExcelJS.Workbook();
  const worksheet = workbook.addWorksheet('数据');
  const put = (sheetRow: number, cells: readonly unknown[]) => {
    cells.forEach((value, position) => {
      if (value === null || value === undefined || value === '') return;
      const cell = worksheet.getCell(sheetRow, position + 1);
      cell.value = String(value);
      cell.numFmt = '@';
    });
  };
  put(sheet.headerRow, sheet.header);
  for (const row of sheet.rows) put(row.sheetRow, row.cells);
  worksheet.getRow(sheet.headerRow).font = { bold: true };
  return { workbook, worksheet };
}

function clearMarks(worksheet: ExcelJS.Worksheet, problemsColumn: number, headerRow: number): void {
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber !== headerRow) row.getCell(problemsColumn).value = null;
    row.eachCell({ includeEmpty: false }, (cell) => {
      const fill = cell.fill as ExcelJS.FillPattern | undefined;
      if (fill?.type === 'pattern' && (fill.fgColor as { argb?: string } | undefined)?.argb === BAD_FILL_ARGB) {
        cell.fill = { type: 'pattern', pattern: 'none' };
        // exceljs has no way to remove a note but to drop the comment it keeps (lib/doc/cell.js `_comment`).
        (cell as unknown as { _comment?: unknown })._comment = undefined;
        if ((cell.font?.color as { argb?: string } | undefined)?.argb === BAD_FONT_ARGB) cell.font = { ...cell.font, color: undefined };
      }
    });
  });
}

/**
 * Marks `problems` (each with its sheet row and, when it names one, the 0-based position of its column) on the
 * uploaded file; returns the XLSX.
 */
export async function markSheet(
  upload: Buffer | string,
  sheet: Sheet,
  problems: ReadonlyArray<ImportProblem & { position?: number | undefined }>,
  fileName: string,
): Promise<MarkedSheet> {
  const { workbook, worksheet } =
    typeof upload === 'string'
      ? csvWorkbook(sheet)
      : await readWorkbook(upload).then((book) => ({ workbook: book, worksheet: book.getWorksheet(sheet.worksheetName) ?? dataWorksheet(book) }));
  const width = Math.max(sheet.header.length, ...sheet.rows.map((row) => row.cells.length));
  // A marked sheet sent back keeps its 导入问题 column: it is emptied and refilled, and the old marks are cleared.
  const previous = sheet.header.findIndex((text) => text.trim() === PROBLEMS_HEADER);
  const problemsColumn = previous === -1 ? width + 1 : previous + 1;
  if (previous !== -1) clearMarks(worksheet, problemsColumn, sheet.headerRow);
  const header = worksheet.getCell(sheet.headerRow, problemsColumn);
  header.value = PROBLEMS_HEADER;
  header.font = { bold: true, ...BAD_FONT };
  worksheet.getColumn(problemsColumn).width = 60;

  const byCell = new Map<string, string[]>();
  const byRow = new Map<number, string[]>();
  for (const problem of problems) {
    if (problem.sheetRow === undefined) continue;
    const text = problem.messageZh ?? problem.message;
    const labelled = problem.column ? `「${problem.column}」${text}` : text;
    byRow.set(problem.sheetRow, [...(byRow.get(problem.sheetRow) ?? []), labelled]);
    if (problem.position !== undefined) {
      const key = `${problem.sheetRow}:${problem.position}`;
      byCell.set(key, [...(byCell.get(key) ?? []), text]);
    }
  }
  for (const [key, texts] of byCell) {
    const [sheetRow, position] = key.split(':').map(Number) as [number, number];
    const cell = worksheet.getCell(sheetRow, position + 1);
    cell.fill = BAD_FILL;
    cell.font = { ...(cell.font ?? {}), ...BAD_FONT };
    cell.note = texts.join('\n');
  }
  for (const [sheetRow, texts] of byRow) {
    const cell = worksheet.getCell(sheetRow, problemsColumn);
    cell.value = texts.join('；');
    cell.font = BAD_FONT;
    cell.alignment = { wrapText: true, vertical: 'top' };
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return {
    fileName,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: buffer.toString('base64'),
  };
}
