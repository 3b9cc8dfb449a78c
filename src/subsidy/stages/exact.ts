/**
 * The amount of a line as an exact fraction of bigints (docs/subsidy-rules.md "Money", "Day count"): Σ outstanding ×
 * days × share × rate × ratio / divisor is `numerator / denominator` with
 *   numerator   = Σ(outstanding × days) × share numerator × (rate × ratio as an integer M, the product being M / 10^k),
 *   denominator = share denominator × divisor × 10^k,
 * rounded once, half-up, to fen, and shown to 20 places as `showUnrounded` shows a decimal. Integer division of two
 * bigints, where decimal.js would build and divide 60-digit decimals for each of 100,000 lines.
 *
 * The same figures as decimal.js at precision 60 (`Dec`), to the last digit shown: while the denominator is below
 * 10^24 and the amount below 10^15 fen, the quotient at 60 significant digits is exact to more than 45 places, and an
 * exact fraction with such a denominator is never that close to a half fen (it is at least 1 / (2 × denominator)
 * away) nor to a multiple of 10^-20 it is not (at least 10^-20 / denominator away). Outside those bounds (a rate or a
 * ratio with dozens of digits) the decimal path computes it as before; `exact.test.ts` checks the two agree.
 */
import { Dec, fenToDec, roundFenHalfUp, type Fen } from '../../money';
import { showUnrounded } from './trace';

const DENOMINATOR_LIMIT = 10n ** 24n;
const WHOLE_LIMIT = 10n ** 15n;
const SHOWN_PLACES = 20;
const SHOWN_SCALE = 10n ** BigInt(SHOWN_PLACES);

/** Whether `numerator / denominator` is within the bounds where the exact path gives decimal.js's figures. */
export function withinExactBounds(numerator: bigint, denominator: bigint): boolean {
  return numerator >= 0n && denominator > 0n && denominator < DENOMINATOR_LIMIT && numerator < denominator * WHOLE_LIMIT;
}

/** `numerator / denominator` (within bounds) rounded half-up to a whole number. */
export function roundQuotientHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** `numerator / denominator` (within bounds) as `showUnrounded` shows the decimal quotient. */
export function showQuotient(numerator: bigint, denominator: bigint): string {
  const whole = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return whole.toString();
  const scaled = remainder * SHOWN_SCALE;
  const places = (scaled / denominator).toString().padStart(SHOWN_PLACES, '0');
  if (scaled % denominator !== 0n) return `${whole}.${places}…`;
  let end = SHOWN_PLACES;
  while (places.charCodeAt(end - 1) === 48) end -= 1;
  return `${whole}.${places.slice(0, end)}`;
}

/** `numerator / denominator` shown, exactly as `showUnrounded(fenToDec(numerator).div(denominator))` shows it. */
export function showFraction(numerator: bigint, denominator: bigint): string {
  if (withinExactBounds(numerator, denominator)) return showQuotient(numerator, denominator);
  return showUnrounded(fenToDec(numerator).div(denominator.toString()));
}

/** A positive decimal as `M / 10^k` (M and k integers), exactly; null when it is not a plain positive decimal. */
export function decimalAsFraction(value: Dec): { numerator: bigint; scale: bigint } | null {
  if (!value.isFinite() || value.isNegative()) return null;
  const text = value.toFixed();
  const point = text.indexOf('.');
  if (point < 0) return { numerator: BigInt(text), scale: 1n };
  return { numerator: BigInt(text.slice(0, point) + text.slice(point + 1)), scale: 10n ** BigInt(text.length - point - 1) };
}

/** rate × ratio, once per distinct rate of a run: the decimal and, when it is a plain positive decimal, M / 10^k. */
export interface RateRatio {
  value: Dec;
  fraction: { numerator: bigint; scale: bigint } | null;
}

export function rateRatioOf(value: Dec): RateRatio {
  return { value, fraction: decimalAsFraction(value) };
}

/** Per rate × ratio of a run (its context holds them): the formula of the whole share by divisor. */
const WHOLE_SHARE_FORMULAS = new WeakMap<RateRatio, Map<number, AmountFormula>>();

/** The formula of a share (1/1 for most loans: one formula per rate × ratio and divisor, made once). */
export function amountFormula(shareNumerator: bigint, shareDenominator: bigint, rateRatio: RateRatio, divisor: number): AmountFormula {
  if (shareNumerator !== 1n || shareDenominator !== 1n) return new AmountFormula(shareNumerator, shareDenominator, rateRatio, divisor);
  let formulas = WHOLE_SHARE_FORMULAS.get(rateRatio);
  if (formulas === undefined) WHOLE_SHARE_FORMULAS.set(rateRatio, (formulas = new Map()));
  let formula = formulas.get(divisor);
  if (formula === undefined) formulas.set(divisor, (formula = new AmountFormula(1n, 1n, rateRatio, divisor)));
  return formula;
}


/**
 * The amount of Σ(outstanding × days) under one share, rate × ratio and divisor, rounded once and shown: exact when
 * within bounds, else in decimal.js as `amount.ts` always computed it.
 */
export class AmountFormula {
  /** share numerator × M (null: the decimal path only). */
  private readonly numeratorFactor: bigint | null;
  /** share denominator × divisor × 10^k, twice it, and the bound of an exact numerator (10^15 × the denominator). */
  private readonly denominator: bigint;
  private readonly twiceDenominator: bigint;
  private readonly numeratorLimit: bigint;

  constructor(
    private readonly shareNumerator: bigint,
    private readonly shareDenominator: bigint,
    private readonly rateRatio: RateRatio,
    private readonly divisor: number,
  ) {
    const fraction = rateRatio.fraction;
    this.numeratorFactor = fraction ? shareNumerator * fraction.numerator : null;
    this.denominator = fraction ? shareDenominator * BigInt(divisor) * fraction.scale : 1n;
    this.twiceDenominator = 2n * this.denominator;
    // Beyond the denominator bound nothing is exact: no numerator is below a limit of zero.
    this.numeratorLimit = fraction && this.denominator < DENOMINATOR_LIMIT ? this.denominator * WHOLE_LIMIT : 0n;
  }

  /** The unrounded amount in decimal.js (outside the exact bounds), as amount.ts computed it before. */
  private decimal(outstandingDaysFen: bigint): Dec {
    return fenToDec(outstandingDaysFen * this.shareNumerator)
      .times(this.rateRatio.value)
      .div(new Dec((this.shareDenominator * BigInt(this.divisor)).toString()));
  }

  private exact(outstandingDaysFen: bigint): bigint | null {
    if (this.numeratorFactor === null) return null;
    const numerator = outstandingDaysFen * this.numeratorFactor;
    return numerator >= 0n && numerator < this.numeratorLimit ? numerator : null;
  }

  /** Rounded once, half-up, to fen. */
  roundedFen(outstandingDaysFen: bigint): Fen {
    const numerator = this.exact(outstandingDaysFen);
    if (numerator !== null) return (2n * numerator + this.denominator) / this.twiceDenominator;
    return roundFenHalfUp(this.decimal(outstandingDaysFen));
  }

  /** Rounded and shown unrounded (as `showUnrounded` shows it). */
  amount(outstandingDaysFen: bigint): { roundedFen: Fen; unroundedText: string } {
    const numerator = this.exact(outstandingDaysFen);
    if (numerator !== null) {
      return { roundedFen: (2n * numerator + this.denominator) / this.twiceDenominator, unroundedText: showQuotient(numerator, this.denominator) };
    }
    const unrounded = this.decimal(outstandingDaysFen);
    return { roundedFen: roundFenHalfUp(unrounded), unroundedText: showUnrounded(unrounded) };
  }
}
