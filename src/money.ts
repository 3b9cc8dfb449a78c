/**
 * Money and rates: the one module that converts between wire strings and exact values.
 *
 * - Money is an integer count of fen (0.01 CNY) held in a bigint: `Fen`. A float never holds money.
 * - On the wire money is a decimal string with two places ("1234567.89"): `YuanString`.
 * - Rates and day-count maths run in decimal.js (`Dec`), and each computed amount is rounded once, half-up, to fen
 *   (docs/subsidy-rules.md "Money").
 */
import DecimalJs from 'decimal.js';

/** An exact amount in fen (1 CNY = 100 fen). */
export type Fen = bigint;
/** A money amount as it travels on the wire: "1234.50". */
export type YuanString = string;

/**
 * Arbitrary-precision decimals for rate maths. Precision 60 keeps every intermediate of
 * `principal × share × rate × ratio × days / 360` exact far beyond the fen; the rounding mode is set explicitly
 * even though every rounding to fen below names its own mode.
 */
export const Dec = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Dec = InstanceType<typeof Dec>;

/** The largest amount we accept anywhere: 10^15 CNY minus a fen fits comfortably in a PostgreSQL bigint. */
export const MAX_FEN: Fen = 10n ** 17n - 1n;

const YUAN_PATTERN = /^(-?)(\d{1,15})(?:\.(\d{1,2}))?$/;

export class MoneyFormatError extends Error {
  constructor(readonly input: unknown, reason: string) {
    super(reason);
    this.name = 'MoneyFormatError';
  }
}

/** "1234.5" → 123450n. At most two decimal places, no exponent, no thousands separators. */
export function parseYuan(input: string): Fen {
  const match = YUAN_PATTERN.exec(input);
  if (!match) {
    throw new MoneyFormatError(input, 'must be a decimal string with at most 2 decimal places, e.g. "1000000.00"');
  }
  const [, sign, whole, fraction = ''] = match;
  const fen = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign === '-' ? -fen : fen;
}

/** 123450n → "1234.50"; -5n → "-0.05". */
export function formatYuan(fen: Fen): YuanString {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const whole = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

/** A decimal amount of fen (possibly fractional) rounded once, half-up (away from zero at .5), to whole fen. */
export function roundFenHalfUp(amountFen: Dec): Fen {
  return BigInt(amountFen.toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed(0));
}

/** Exact conversion of whole fen to a decimal, for rate maths. */
export function fenToDec(fen: Fen): Dec {
  return new Dec(fen.toString());
}

export function sumFen(values: Iterable<Fen>): Fen {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

export function minFen(a: Fen, b: Fen): Fen {
  return a < b ? a : b;
}

export function maxFen(a: Fen, b: Fen): Fen {
  return a > b ? a : b;
}

/**
 * Splits `totalFen` in proportion to `weights` exactly: the parts sum to the whole. Each part first gets the floor
 * of its exact share; the fen left over go one each to the largest remainders, ties to the part listed first
 * (docs/subsidy-rules.md "Money": "the fen left over goes by largest remainder, ties to the body listed first").
 *
 * Weights are non-negative decimals (e.g. "0.5", "14.9357779", or rounded line amounts) with at least one above zero.
 * Negative totals are split as the negation of the split of their absolute value.
 */
export function allocateFen(totalFen: Fen, weights: ReadonlyArray<Dec | string | bigint>): Fen[] {
  if (weights.length === 0) throw new RangeError('allocateFen needs at least one weight');
  if (totalFen < 0n) return allocateFen(-totalFen, weights).map((part) => -part);
  const decimals = weights.map((weight) => new Dec(typeof weight === 'bigint' ? weight.toString() : weight));
  if (decimals.some((weight) => weight.isNegative())) throw new RangeError('allocateFen weights must be >= 0');
  // Scale decimal weights to integers so the whole split runs in exact bigint arithmetic.
  const places = Math.max(0, ...decimals.map((weight) => weight.decimalPlaces()));
  const scale = new Dec(10).pow(places);
  const integerWeights = decimals.map((weight) => BigInt(weight.times(scale).toFixed(0)));
  const weightTotal = integerWeights.reduce((a, b) => a + b, 0n);
  if (weightTotal === 0n) throw new RangeError('allocateFen needs a weight above zero');

  const parts = integerWeights.map((weight) => (totalFen * weight) / weightTotal);
  const remainders = integerWeights.map((weight, index) => ({ index, remainder: (totalFen * weight) % weightTotal }));
  let leftover = totalFen - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index]! += 1n;
    leftover -= 1n;
  }
  return parts;
}
