/**
 * The header row against a kind's columns, and each data row as the record a JSON item would carry. A header is
 * matched on its Chinese text or the API's field name, ignoring spaces, full-width forms, case, a trailing `*` and
 * notes in brackets such as （必填）or （元）, so both the template and a bank's existing CSV with English field names
 * are read. Unknown, repeated and missing required columns refuse the file before any row is read: a misspelt header
 * would otherwise silently drop a column.
 */
import { asciiForms, fieldValueOfCell } from './cells';
import { PROBLEMS_HEADER } from './marked';
import type { SheetRow } from './sheet';
import { columnLetters } from './sheet';
import type { ImportColumn, ImportProblem } from './types';

/** The words of a header that carry no meaning for matching. */
export function headerKey(text: string): string {
  return asciiForms(text)
    .replace(/\s+/g, '')
    .replace(/[*]+$/, '')
    .replace(/\((必填|选填|可选|可不填)\)/g, '')
    .toLowerCase();
}

/** The header without a bracketed unit or note at its end: 贷款金额（元） → 贷款金额. */
const withoutTrailingNote = (key: string) => key.replace(/\([^()]*\)$/, '');

export interface ColumnMap {
  /** The column of each header cell (index = position in the sheet), undefined for an empty header cell. */
  byPosition: Array<ImportColumn | undefined>;
  /** The position (0-based) of each field's column in the sheet. */
  positionOf: Map<string, number>;
  /** Positions whose header cell is empty. */
  unnamed: Set<number>;
  /** The position of the 导入问题 column of a marked sheet sent back, if any: its cells are ignored. */
  problemsColumn?: number;
  problems: ImportProblem[];
}

export function mapHeader(header: readonly string[], columns: readonly ImportColumn[], headerRow: number): ColumnMap {
  const keys = new Map<string, ImportColumn>();
  for (const column of columns) {
    for (const word of [column.header, column.field, ...(column.aliases ?? [])]) {
      keys.set(headerKey(word), column);
      keys.set(withoutTrailingNote(headerKey(word)), column);
    }
  }
  const problems: ImportProblem[] = [];
  const positionOf = new Map<string, number>();
  const unnamed = new Set<number>();
  let problemsColumn: number | undefined;
  const accepted = columns.map((column) => column.header).join('、');
  const byPosition = header.map((text, position) => {
    const cell = `${columnLetters(position + 1)}${headerRow}`;
    if (text.trim() === '') {
      unnamed.add(position);
      return undefined;
    }
    const key = headerKey(text);
    if (key === headerKey(PROBLEMS_HEADER)) {
      // A marked sheet fixed and sent again: the previous answer's column is read as nothing.
      problemsColumn = position;
      return undefined;
    }
    const column = keys.get(key) ?? keys.get(withoutTrailingNote(key));
    if (!column) {
      problems.push({
        path: '(header)',
        sheetRow: headerRow,
        cell,
        column: text,
        message: `unknown column "${text}"; the columns are ${columns.map((c) => c.field).join(', ')}`,
        messageZh: `不认识的列名「${text}」：本模板的列为 ${accepted}（也可用英文字段名）`,
      });
      return undefined;
    }
    if (positionOf.has(column.field)) {
      problems.push({
        path: '(header)',
        sheetRow: headerRow,
        cell,
        column: text,
        message: `column "${column.field}" appears twice`,
        messageZh: `「${column.header}」列出现了两次`,
      });
      return undefined;
    }
    positionOf.set(column.field, position);
    return column;
  });
  for (const column of columns) {
    if (column.required && !positionOf.has(column.field)) {
      problems.push({
        path: '(header)',
        sheetRow: headerRow,
        column: column.header,
        message: `the column "${column.field}" is missing`,
        messageZh: `缺少「${column.header}」列（必填）`,
      });
    }
  }
  return { byPosition, positionOf, unnamed, problems, ...(problemsColumn !== undefined ? { problemsColumn } : {}) };
}

/**
 * A data row as a record keyed by field, empty cells left out (an absent field, as in a JSON item), and the
 * problem of a value in a column that has no header.
 */
export function recordOfRow(row: SheetRow, map: ColumnMap): { record: Record<string, unknown>; problems: ImportProblem[] } {
  const record: Record<string, unknown> = {};
  const problems: ImportProblem[] = [];
  row.cells.forEach((value, position) => {
    const column = map.byPosition[position];
    if (!column) {
      if (value !== null && !(typeof value === 'string' && value.trim() === '') && (position >= map.byPosition.length || map.unnamed.has(position))) {
        problems.push({
          path: '(row)',
          sheetRow: row.sheetRow,
          cell: `${columnLetters(position + 1)}${row.sheetRow}`,
          message: `a value in column ${columnLetters(position + 1)}, which has no header`,
          messageZh: `第 ${columnLetters(position + 1)} 列没有列名，却填了内容：请删去，或补上列名`,
        });
      }
      return;
    }
    const field = fieldValueOfCell(value, column.kind, column.choices);
    if (field !== undefined) record[column.field] = field;
  });
  return { record, problems };
}
