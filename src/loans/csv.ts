/**
 * CSV uploads of loan and event batches: a header row of the JSON field names, pledges as
 * `rightType:number[:securedAmount[:registrationNo]];…`. RFC 4180: comma-separated, fields optionally in double quotes (a quote inside is doubled),
 * CRLF or LF line ends, a UTF-8 byte order mark ignored. Each data line becomes the same object a JSON batch would
 * carry, so both go through the same validation; an empty cell is an absent field.
 *
 * Small enough to write here rather than depend on a parser package; the tests beside it cover the quoting rules.
 */
import type { FieldProblem } from '../errors';

export const LOAN_CSV_COLUMNS = [
  'contractNo',
  'enterpriseUscc',
  'principal',
  'annualRate',
  'startDate',
  'maturityDate',
  'collateral',
  'ipPledgedAmount',
  'pledges',
] as const;

export const EVENT_CSV_COLUMNS = ['loanId', 'type', 'date', 'amount', 'periodFrom', 'periodTo', 'daysOverdue'] as const;

export interface CsvTable {
  header: string[];
  /** The row a spreadsheet shows the header on (1 unless blank lines come first). */
  headerRow: number;
  /**
   * Data lines in order; `line` is the 1-based line of the file where the record starts, `row` the row a spreadsheet
   * shows it on (a blank line is an empty row there; a quoted line break stays inside its cell).
   */
  records: Array<{ line: number; row: number; cells: string[] }>;
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Parses RFC 4180 text; blank lines are skipped. Throws CsvSyntaxError on an unterminated or misplaced quote. */
export function parseCsv(text: string): CsvTable {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: Array<{ line: number; row: number; cells: string[] }> = [];
  let sheetRow = 0;
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let index = 0;
  let quoted = false;
  let cellStarted = false;
  const endRow = () => {
    cells.push(cell);
    sheetRow += 1;
    if (!(cells.length === 1 && cells[0] === '' && !cellStarted)) rows.push({ line: rowLine, row: sheetRow, cells });
    cells = [];
    cell = '';
    cellStarted = false;
  };
  while (index < input.length) {
    const character = input[index]!;
    if (quoted) {
      if (character === '"') {
        if (input[index + 1] === '"') {
          cell += '"';
          index += 2;
          continue;
        }
        quoted = false;
        index += 1;
        const next = input[index];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvSyntaxError(line, 'a closing quote must end its field');
        }
        continue;
      }
      if (character === '\n') line += 1;
      cell += character;
      index += 1;
      continue;
    }
    if (character === '"') {
      if (cell !== '') throw new CsvSyntaxError(line, 'a quote may only open a field');
      quoted = true;
      cellStarted = true;
      index += 1;
      continue;
    }
    if (character === ',') {
      cells.push(cell);
      cell = '';
      cellStarted = true;
      index += 1;
      continue;
    }
    if (character === '\r' || character === '\n') {
      endRow();
      index += character === '\r' && input[index + 1] === '\n' ? 2 : 1;
      line += 1;
      rowLine = line;
      continue;
    }
    cell += character;
    cellStarted = true;
    index += 1;
  }
  if (quoted) throw new CsvSyntaxError(rowLine, 'a quoted field is not closed');
  if (cell !== '' || cells.length > 0 || cellStarted) endRow();
  const [header, ...records] = rows;
  return { header: header?.cells.map((name) => name.trim()) ?? [], headerRow: header?.row ?? 1, records };
}

/**
 * The records of a CSV upload as objects keyed by the header's field names (empty cells left out), plus the problems
 * of the file as a whole (unknown or repeated columns, a line with the wrong number of cells) with the row they are on.
 * Rows are numbered like a JSON batch: row 1 is the first record after the header.
 */
export function csvObjects(text: string, columns: readonly string[]): { objects: Array<Record<string, string>>; problems: FieldProblem[] } {
  let table: CsvTable;
  try {
    table = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { objects: [], problems: [{ path: '(csv)', message: error.message }] };
    throw error;
  }
  const problems: FieldProblem[] = [];
  if (table.header.length === 0) return { objects: [], problems: [{ path: '(header)', message: `the first line must name the columns: ${columns.join(',')}` }] };
  const seen = new Set<string>();
  for (const name of table.header) {
    if (!columns.includes(name)) problems.push({ path: '(header)', message: `unknown column "${name}"; the columns are ${columns.join(', ')}` });
    else if (seen.has(name)) problems.push({ path: '(header)', message: `column "${name}" appears twice` });
    seen.add(name);
  }
  const objects = table.records.map((record, index) => {
    if (record.cells.length !== table.header.length) {
      problems.push({
        row: index + 1,
        path: '(csv)',
        message: `line ${record.line} has ${record.cells.length} cells; the header has ${table.header.length}`,
      });
    }
    const object: Record<string, string> = {};
    table.header.forEach((name, column) => {
      const value = record.cells[column]?.trim() ?? '';
      if (value !== '') object[name] = value;
    });
    return object;
  });
  return { objects, problems };
}

/**
 * "patent:202310123456.6;trademark:12345678:500000.00;patent:202310654321.0:1000000.00:质押登记号" → pledge objects.
 * Each item is `rightType:number`, optionally `:securedAmount` (the claim its registration secures, 担保债权数额, in
 * CNY), optionally then `:registrationNo` (everything after the third colon). An empty third part states no secured
 * amount: `trademark:12345678::质押登记号`.
 */
export function parsePledgeList(text: string): {
  pledges: Array<{ rightType: string; number: string; securedAmount?: string; registrationNo?: string }>;
  problem?: string;
} {
  const pledges: Array<{ rightType: string; number: string; securedAmount?: string; registrationNo?: string }> = [];
  for (const item of text.split(';').map((part) => part.trim()).filter((part) => part !== '')) {
    const parts = item.split(':');
    if (parts.length < 2) return { pledges, problem: `"${item}" is not rightType:number[:securedAmount] (e.g. patent:202310123456.6)` };
    const [rightType = '', number = '', securedAmount = '', ...rest] = parts.map((part) => part.trim());
    const registrationNo = rest.join(':').trim();
    pledges.push({
      rightType,
      number,
      ...(securedAmount ? { securedAmount } : {}),
      ...(registrationNo ? { registrationNo } : {}),
    });
  }
  return { pledges };
}
