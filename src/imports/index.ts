/**
 * Imports: one path for every kind (src/imports/kinds.ts). A batch arrives as a JSON array, a CSV or an XLSX
 * workbook; `readBatch` turns a file into the items a JSON batch would carry (Chinese or English headers, Excel's
 * habits read by each column's kind), numbered as the spreadsheet shows them. The kind's domain module validates and
 * writes them all or nothing; when it refuses, `importing` names every problem with its row, column and a Chinese
 * message, and offers the same sheet back with the bad cells marked (`markedSheet` in the problem document).
 *
 * The `:batch` contract stays: `errors: [{ row, path, message }]` where `row` is the item (1 = the first row after the
 * header); `sheetRow`, `column`, `cell` and `messageZh` are added beside them.
 */
import { DomainError, type FieldProblem } from '../errors';
import { MAX_BATCH_ITEMS } from '../loans/types';
import { mapHeader, recordOfRow, type ColumnMap } from './columns';
import { markSheet, type MarkedSheet } from './marked';
import { chineseMessage } from './messages';
import { readSheet, columnLetters, SheetUnreadable, type Sheet } from './sheet';
import type { ImportColumn, ImportProblem, ImportSpec } from './types';

export { XLSX_MEDIA_TYPE } from './sheet';
export { IMPORT_KINDS, IMPORT_SPECS, importSpec } from './kinds';
export { templateCsv, templateFileName, templateXlsx } from './template';
export { parseFields, parseItems, type ParsedItems } from './fields';
export type { ImportProblem, ImportSpec, RowProblem } from './types';

export interface ImportBatch {
  spec: ImportSpec;
  source: 'json' | 'csv' | 'xlsx';
  /** The items, as a JSON batch would carry them. */
  items: unknown[];
  /** The spreadsheet row of each item (files only). */
  sheetRows: number[];
  /** Problems found while reading the rows (a value in a column without a header), with their item row. */
  problems: ImportProblem[];
  sheet?: Sheet;
  upload?: Buffer | string;
  columns?: ColumnMap;
  /** Whether a refusal carries the marked sheet (an XLSX always; a CSV when asked: building it costs seconds for 10,000 rows). */
  mark: boolean;
}

export interface ReadOptions {
  /** A CSV's refusal carries the marked sheet too (the console asks; a bank's program reads `errors`). */
  markCsv?: boolean | undefined;
}

const columnOf = (spec: ImportSpec, field: string): ImportColumn | undefined => spec.columns.find((column) => column.field === field);

/** The leading field of a path: "pledges.0.number" → "pledges". */
const fieldOf = (path: string) => path.split('.')[0]!;

/** "pledges.1.number" → "第 2 项：" before the message, so a clerk knows which of the cell's items is wrong. */
function itemPrefix(path: string): string {
  const match = /^[^.]+\.(\d+)(?:\.|$)/.exec(path);
  return match ? `第 ${Number(match[1]) + 1} 项：` : '';
}

function describe(batch: ImportBatch, problem: FieldProblem & Partial<ImportProblem>): ImportProblem & { position?: number } {
  const field = fieldOf(problem.path);
  const column = columnOf(batch.spec, field);
  const sheetRow = problem.sheetRow ?? (problem.row !== undefined ? batch.sheetRows[problem.row - 1] : undefined);
  const position = batch.columns?.positionOf.get(field);
  const sheetRowOf = (item: number) => batch.sheetRows[item - 1] ?? item;
  const messageZh = problem.messageZh ?? `${itemPrefix(problem.path)}${chineseMessage(problem, column, sheetRowOf)}`;
  return {
    ...(problem.row !== undefined ? { row: problem.row } : {}),
    path: problem.path,
    message: problem.message,
    ...(sheetRow !== undefined ? { sheetRow } : {}),
    ...(problem.column !== undefined ? { column: problem.column } : column ? { column: column.header } : {}),
    ...(problem.cell !== undefined
      ? { cell: problem.cell }
      : sheetRow !== undefined && position !== undefined
        ? { cell: `${columnLetters(position + 1)}${sheetRow}` }
        : {}),
    messageZh,
    ...(sheetRow !== undefined && position !== undefined && column ? { position } : {}),
  };
}

/**
 * The refusal of a batch: every problem named in both languages, sorted by row, and for a file the sheet back with
 * its bad cells marked. `detail` keeps the English summary the batch routes have always given.
 */
export async function refusal(batch: ImportBatch, problems: ReadonlyArray<FieldProblem>, detail: string): Promise<DomainError> {
  const described = problems.map((problem) => describe(batch, problem));
  described.sort((a, b) => (a.sheetRow ?? a.row ?? 0) - (b.sheetRow ?? b.row ?? 0) || (a.position ?? -1) - (b.position ?? -1));
  let markedSheet: MarkedSheet | undefined;
  if (batch.mark && batch.sheet && batch.upload !== undefined) {
    markedSheet = await markSheet(batch.upload, batch.sheet, described, `${batch.spec.title}导入-错误标注.xlsx`);
  }
  const rows = new Set(described.filter((problem) => problem.row !== undefined).map((problem) => problem.row)).size;
  return new DomainError(
    'validation_failed',
    detail,
    described.map(({ position: _position, ...problem }) => problem),
    {
      ...(rows > 0 ? { detailZh: `${rows} 行有误，未导入任何一行` } : { detailZh: '文件有误，未导入任何一行' }),
      ...(markedSheet ? { markedSheet } : {}),
    },
  );
}

function batchTooLarge(count: number): ImportProblem {
  return {
    path: '(body)',
    message: `a batch has at most ${MAX_BATCH_ITEMS.toLocaleString('en-US')} items; this has ${count}`,
    messageZh: `一次最多导入 ${MAX_BATCH_ITEMS.toLocaleString('en-US')} 行；这个文件有 ${count} 行，请分成几个文件`,
  };
}

/**
 * The items of a batch body: a JSON array as sent; a CSV (string) or XLSX (Buffer) read through the kind's columns.
 * Problems of the file as a whole (unreadable, unknown or missing columns, no rows, too many) refuse it at once.
 */
export async function readBatch(spec: ImportSpec, body: unknown, options: ReadOptions = {}): Promise<ImportBatch> {
  if (Array.isArray(body)) return { spec, source: 'json', items: body, sheetRows: [], problems: [], mark: false };
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) {
    throw new DomainError('validation_failed', 'the body must be a JSON array, a CSV or an XLSX workbook', [
      { path: '(body)', message: 'must be a JSON array, a CSV or an XLSX workbook', messageZh: '请上传 XLSX 或 CSV 文件' } as ImportProblem,
    ]);
  }
  const upload = body;
  const mark = typeof upload !== 'string' || options.markCsv === true;
  let sheet: Sheet;
  try {
    sheet = await readSheet(upload);
  } catch (error) {
    if (!(error instanceof SheetUnreadable)) throw error;
    const batch: ImportBatch = { spec, source: typeof upload === 'string' ? 'csv' : 'xlsx', items: [], sheetRows: [], problems: [], mark: false };
    throw await refusal(batch, [error.problem], `the file cannot be read: ${error.problem.message}`);
  }
  const columns = mapHeader(sheet.header, spec.columns, sheet.headerRow);
  const batch: ImportBatch = { spec, source: sheet.format, items: [], sheetRows: [], problems: [], sheet, upload, columns, mark };
  if (columns.problems.length > 0) {
    throw await refusal(
      batch,
      columns.problems.map((problem) => ({ ...problem, position: undefined })),
      `the ${sheet.format === 'csv' ? 'CSV' : 'sheet'} is not valid: ${columns.problems[0]!.message}`,
    );
  }
  if (sheet.rows.length === 0) {
    throw await refusal(batch, [{ path: '(body)', message: 'a batch needs at least one item', messageZh: '文件中没有数据行：请从列名下一行起填写' } as ImportProblem], 'the file has no rows');
  }
  if (sheet.rows.length > MAX_BATCH_ITEMS) {
    throw await refusal(batch, [batchTooLarge(sheet.rows.length)], `a batch has at most ${MAX_BATCH_ITEMS} items; this has ${sheet.rows.length}`);
  }
  sheet.rows.forEach((row, index) => {
    const { record, problems } = recordOfRow(row, columns);
    batch.items.push(spec.item ? spec.item(record) : record);
    batch.sheetRows.push(row.sheetRow);
    batch.problems.push(...problems.map((problem) => ({ ...problem, row: index + 1 })));
  });
  return batch;
}

/**
 * Runs the kind's write; a refusal with row problems (`validation_failed`) comes back described for the clerk, with
 * the marked sheet when the batch was a file. (The problems found while reading the rows reach the write through
 * `parseItems`, so that its refusal names them with its own.)
 */
export async function importing<T>(batch: ImportBatch, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'validation_failed' || error.errors.length === 0) throw error;
    throw await refusal(batch, error.errors, error.message);
  }
}
