/**
 * Spreadsheet cells as the API's field values. A clerk's sheet carries Excel's habits — `1,234,567.89`, `2026/10/10`,
 * a date cell, `3.45%`, a year typed as `2024年`, a number where a code was meant, spaces around a value — and each
 * column's kind turns them into exactly what a JSON body would carry (`"1234567.89"`, `"2026-10-10"`, `"0.0345"`,
 * `2024`, `"12345678"`). Nothing here decides whether a value is acceptable: a cell that is not recognisable is passed
 * on as its text, and the row's validation refuses it naming the field (and the column, in Chinese).
 *
 * Nothing is rounded. A number cell is read at Excel's own precision (15 significant digits, what Excel shows and
 * stores as typed), so 1234567.89 stays 1234567.89; an amount with a third decimal other than 0 is refused by the
 * validation rather than cut to the fen.
 */
import { Dec } from '../money';

/** What a cell holds once read: exceljs gives numbers, strings, booleans and dates; a CSV gives strings. */
export type CellValue = string | number | boolean | Date | null;

export type CellKind =
  /** Text as typed, trimmed (contract numbers, USCCs, reasons, sources). A whole number cell becomes its digits. */
  | 'text'
  /** CNY with at most two decimals: thousands separators, ¥ and 元 accepted. */
  | 'money'
  /** A calendar date: 2026-10-10, 2026/10/10, 2026.10.10, 2026年10月10日, 20261010, an Excel date cell or serial. */
  | 'date'
  /** A year: 2024 or 2024年; becomes a JSON number. */
  | 'year'
  /** A whole number (days overdue); becomes a JSON number. */
  | 'integer'
  /** A rate as a fraction: 0.0345, or 3.45% (a percent cell holds 0.0345 already). */
  | 'rate'
  /** One of a list of codes, each with its Chinese label: either is accepted. */
  | 'choice'
  /** A loan's pledges: `专利:202310123456.6；商标:12345678` (rightType:number[…], separated by ;). */
  | 'pledges';

/** Excel's serial day 0 is 1899-12-30 (serial 60 is the fictitious 1900-02-29, so only serials from 61 are read). */
const EXCEL_EPOCH_UTC = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
/** Serial 61 is 1900-03-01; 99,999 is 2173-10-14: a 1–5 digit whole number in a date column is a serial. */
const SERIAL_MIN = 61;
const SERIAL_MAX = 99_999;

/** Full-width digits and punctuation (１２３，４５６．７８、２０２６／１０／１０) as their ASCII forms. */
export function asciiForms(text: string): string {
  return text.normalize('NFKC');
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** A JS date from exceljs (a date cell is UTC midnight of the day shown) → 'YYYY-MM-DD'. */
export function dateOfCell(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** An Excel serial day number → 'YYYY-MM-DD', or undefined when it is not one (fraction = time of day, ignored). */
export function dateOfSerial(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < SERIAL_MIN || serial >= SERIAL_MAX + 1) return undefined;
  return dateOfCell(new Date(EXCEL_EPOCH_UTC + Math.floor(serial) * DAY_MS));
}

/** '2026/10/10', '2026-1-5', '2026.10.10', '2026年10月10日', '20261010', '46305' → 'YYYY-MM-DD' (not yet checked as a real date). */
export function dateOfText(raw: string): string | undefined {
  const text = asciiForms(raw).trim();
  const separated = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text);
  if (separated) return `${separated[1]}-${pad(Number(separated[2]))}-${pad(Number(separated[3]))}`;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  if (/^\d{1,5}$/.test(text)) return dateOfSerial(Number(text));
  return undefined;
}

/** A number cell at Excel's precision (15 significant digits), as a plain decimal string without exponent. */
export function decimalOfNumber(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  return new Dec(value.toPrecision(15)).toFixed();
}

/** Trailing zeros after the second decimal are dropped (exact: 1.890 is 1.89); nothing else changes. */
function trimMoneyDecimals(text: string): string {
  const match = /^(-?\d+)\.(\d{2,})$/.exec(text);
  if (!match) return text;
  const fraction = match[2]!.replace(/0+$/, '');
  return `${match[1]}.${fraction.padEnd(2, '0')}`;
}

/** '1,234,567.89', '¥1,234,567.89', ' 1234567.89元 ' → '1234567.89'; separators only in groups of three. */
export function moneyOfText(raw: string): string {
  let text = asciiForms(raw).trim().replace(/^(?:¥|RMB|CNY)\s*/i, '').replace(/\s*元$/, '').trim();
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, '');
  return trimMoneyDecimals(text);
}

/** '3.45%' → '0.0345' (exact, by moving the decimal point); '0.0345' stays. */
export function rateOfText(raw: string): string {
  const text = asciiForms(raw).trim();
  const percent = /^(\d{1,3}(?:\.\d+)?)\s*%$/.exec(text);
  if (percent) return new Dec(percent[1]!).div(100).toFixed();
  return text;
}

export interface Choice {
  value: string;
  label: string;
  /** Other words clerks use for it (e.g. 逾期 for overdue, 一年期LPR for LPR1Y). */
  aliases?: readonly string[];
}

const choiceKey = (text: string) => asciiForms(text).trim().replace(/\s+/g, '').toLowerCase();

export function choiceOf(raw: string, choices: readonly Choice[]): string {
  const key = choiceKey(raw);
  const found = choices.find((choice) => [choice.value, choice.label, ...(choice.aliases ?? [])].some((word) => choiceKey(word) === key));
  return found ? found.value : raw.trim();
}

/** The right types in a pledge list, by code or Chinese name. */
export const RIGHT_TYPE_CHOICES: readonly Choice[] = [
  { value: 'patent', label: '专利', aliases: ['专利权'] },
  { value: 'trademark', label: '商标', aliases: ['商标权', '注册商标'] },
  { value: 'copyright', label: '著作权', aliases: ['版权'] },
];

/**
 * `专利:202310123456.6:500,000.00；商标:12345678` → `patent:202310123456.6:500000.00;trademark:12345678`: the API's
 * list form (`rightType:number[:securedAmount[:registrationNo]]`, src/loans/csv.ts) with full-width separators,
 * Chinese right-type names and a secured amount written as money is written; the number and registration number are
 * kept as typed.
 */
export function pledgeListOfText(raw: string): string {
  return raw
    .replace(/[；;\n]/g, ';')
    .split(';')
    .map((item) => {
      const parts = item.replace(/：/g, ':').split(':').map((part) => part.trim());
      if (parts.length < 2) return parts.join(':');
      const [rightType = '', number = '', securedAmount, ...registration] = parts;
      const secured = securedAmount === undefined ? [] : [securedAmount === '' ? '' : moneyOfText(securedAmount)];
      return [choiceOf(rightType, RIGHT_TYPE_CHOICES), number, ...secured, ...registration].join(':');
    })
    .filter((item) => item !== '')
    .join(';');
}

/** A cell as text (a whole number as its digits, a date as YYYY-MM-DD), trimmed; empty → undefined. */
export function textOfCell(value: CellValue): string | undefined {
  if (value === null) return undefined;
  if (value instanceof Date) return dateOfCell(value);
  if (typeof value === 'number') return decimalOfNumber(value) ?? String(value);
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/**
 * The value a JSON body would carry for this cell, or undefined for an empty cell (an absent field). Unrecognisable
 * content is returned as its text so that validation names it.
 */
export function fieldValueOfCell(value: CellValue, kind: CellKind, choices: readonly Choice[] = []): unknown {
  const text = textOfCell(value);
  if (text === undefined) return undefined;
  switch (kind) {
    case 'text':
      return text;
    case 'money':
      return typeof value === 'number' ? trimMoneyDecimals(decimalOfNumber(value) ?? text) : moneyOfText(text);
    case 'date':
      if (value instanceof Date) return dateOfCell(value);
      if (typeof value === 'number') return dateOfSerial(value) ?? text;
      return dateOfText(text) ?? text;
    case 'year': {
      const year = /^(\d{4})\s*年?$/.exec(asciiForms(text).trim());
      return year ? Number(year[1]) : text;
    }
    case 'integer': {
      const whole = /^\d{1,9}$/.exec(asciiForms(text).trim().replace(/\s*天$/, ''));
      return whole ? Number(whole[0]) : text;
    }
    case 'rate':
      return typeof value === 'number' ? (decimalOfNumber(value) ?? text) : rateOfText(text);
    case 'choice':
      return choiceOf(text, choices);
    case 'pledges':
      return pledgeListOfText(text);
  }
}
