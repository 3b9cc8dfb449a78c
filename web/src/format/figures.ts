/**
 * Figures in their own units, from the strings the API and the trace write: fen (an integer, or a decimal for an
 * unrounded amount, possibly cut and marked "…") as yuan with two places, fen-days as yuan·天, rates as percents,
 * multiples with two places. String and bigint arithmetic only, rounding half-up (the engine's rule, README
 * "Money"). Pure, so jest tests them (test/web.figures.test.ts).
 */
import { formatAmount, fromFen } from './money';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?…?$/;

/**
 * A decimal string rounded half-up (away from zero) to `places` decimals, as [sign, integer digits, fraction digits].
 * "10995833.3333…" at 0 places → ['', '10995833', ''].
 */
function roundHalfUp(text: string, places: number): { negative: boolean; scaled: bigint } | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  const kept = fraction.slice(0, places).padEnd(places, '0');
  let scaled = BigInt(`${whole}${kept}`);
  if ((fraction[places] ?? '0') >= '5') scaled += 1n;
  return { negative: sign === '-' && scaled !== 0n, scaled };
}

/** Fen as the trace writes them → yuan with two places: "10995833.333…" → "109958.33", "419750" → "4197.50". */
export function fenTextToYuan(fen: string): string | undefined {
  const rounded = roundHalfUp(fen, 0);
  if (!rounded) return undefined;
  return fromFen(rounded.negative ? -rounded.scaled : rounded.scaled);
}

/** Fen as the trace writes them → "¥109,958.33"; not a number → "—". */
export function formatFenText(fen: string | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const yuan = fenTextToYuan(fen);
  return yuan === undefined ? '—' : formatAmount(yuan);
}

/** Σ principal × days in fen-days → "1,820,000,000.00 元·天" (yuan-days, two places, no currency sign: not money). */
export function formatFenDays(fenDays: string | null | undefined): string {
  if (fenDays === null || fenDays === undefined) return '—';
  const yuan = fenTextToYuan(fenDays);
  return yuan === undefined ? '—' : `${formatAmount(yuan).replace('¥', '')} 元·天`;
}

/** "0.0345" → "3.45%"; every digit kept (a rate is never rounded for display). */
export function formatPercent(rate: string): string {
  const match = DECIMAL.exec(rate.trim());
  if (!match) return rate;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const digits = `${whole}${fraction.padEnd(2, '0')}`;
  const integer = digits.slice(0, whole.length + 2).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(whole.length + 2).replace(/0+$/, '');
  return `${sign}${integer}${rest ? `.${rest}` : ''}%`;
}

/** A multiple with two places, half-up: "1.5333333333" → "1.53 倍", 10 → "10.00 倍". */
export function formatMultiple(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const rounded = roundHalfUp(String(value), 2);
  if (!rounded) return String(value);
  const abs = rounded.scaled;
  return `${rounded.negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')} 倍`;
}

/** Days as days: 182 → "182 天". */
export function formatDays(days: number | null | undefined): string {
  return days === null || days === undefined ? '—' : `${days} 天`;
}

export interface InterestFigures {
  baseDaysFen?: string;
  ipShare?: string;
  rate?: string;
  ratio?: string;
  divisor?: number;
  amountRoundedFen?: string;
}

/**
 * An interest line's calculation in Chinese, as a person redoes it: "Σ 计息基数 × 天数 1,820,000,000.00 元·天 ×
 * 利率 3.45% × 贴息比例 15% ÷ 360 = ¥26,162.50（四舍五入到分）". Undefined when a figure is missing.
 */
export function interestFormulaZh(figures: InterestFigures): string | undefined {
  const { baseDaysFen, rate, ratio, divisor, amountRoundedFen } = figures;
  if (!baseDaysFen || !rate || !ratio || !divisor || !amountRoundedFen) return undefined;
  return `Σ 计息基数 × 天数 ${formatFenDays(baseDaysFen)} × 利率 ${formatPercent(rate)} × 贴息比例 ${formatPercent(ratio)} ÷ ${divisor} = ${formatFenText(amountRoundedFen)}（四舍五入到分）`;
}
