import fc from 'fast-check';
import { Dec, fenToDec, roundFenHalfUp } from '../../money';
import { AmountFormula, decimalAsFraction, rateRatioOf, showFraction, showQuotient, withinExactBounds } from './exact';
import { showUnrounded } from './trace';

/** The amount as amount.ts computed it in decimal.js: Σ(outstanding × days) × share × rate × ratio / divisor. */
function decimalAmount(outstandingDaysFen: bigint, numerator: bigint, denominator: bigint, rateRatio: Dec, divisor: number) {
  const unrounded = fenToDec(outstandingDaysFen * numerator).times(rateRatio).div(new Dec((denominator * BigInt(divisor)).toString()));
  return { roundedFen: roundFenHalfUp(unrounded), unroundedText: showUnrounded(unrounded) };
}

const decimalText = (places: number) => fc.integer({ min: 1, max: 10 ** places - 1 }).map((digits) => `0.${String(digits).padStart(places, '0')}`);

describe('exact amounts in bigint', () => {
  it('11.5 fen is rounded half-up to 12 and shown as 11.5: 800,000 fen-days × 0.0345 × 0.15 / 360', () => {
    const formula = new AmountFormula(1n, 1n, rateRatioOf(new Dec('0.0345').times('0.15')), 360);
    expect(formula.amount(800_000n)).toEqual({ roundedFen: 12n, unroundedText: '11.5' });
    expect(formula.roundedFen(800_000n)).toBe(12n);
  });

  it('6,060,000 fen-days × 0.0365 × 0.15 / 360 = 92.1625, rounded to 92', () => {
    const formula = new AmountFormula(1n, 1n, rateRatioOf(new Dec('0.0365').times('0.15')), 360);
    expect(formula.amount(6_060_000n)).toEqual({ roundedFen: 92n, unroundedText: '92.1625' });
  });

  it('a quotient that does not end within 20 places is cut there and marked', () => {
    expect(showQuotient(1n, 3n)).toBe('0.33333333333333333333…');
    expect(showQuotient(200n, 3n)).toBe('66.66666666666666666666…');
    expect(showQuotient(6n, 3n)).toBe('2');
    expect(showQuotient(3n, 5n)).toBe('0.6');
    expect(showQuotient(1n, 10n ** 20n)).toBe('0.00000000000000000001');
    expect(showQuotient(1n, 10n ** 21n)).toBe('0.00000000000000000000…');
  });

  it('rate × ratio as M / 10^k', () => {
    expect(decimalAsFraction(new Dec('0.005475'))).toEqual({ numerator: 5475n, scale: 1_000_000n });
    expect(decimalAsFraction(new Dec('2'))).toEqual({ numerator: 2n, scale: 1n });
    expect(decimalAsFraction(new Dec('-0.1'))).toBeNull();
  });

  it('outside the bounds the decimal path is taken', () => {
    expect(withinExactBounds(1n, 10n ** 24n)).toBe(false);
    expect(withinExactBounds(10n ** 15n * 7n, 7n)).toBe(false);
    const long = new Dec('0.123456789012345678901234567');
    const formula = new AmountFormula(3n, 7n, rateRatioOf(long), 365);
    expect(formula.amount(123_456_789n)).toEqual(decimalAmount(123_456_789n, 3n, 7n, long, 365));
  });

  it('gives what decimal.js at 60 digits gives, to the last digit shown (random shares, rates, ratios, divisors)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        fc.oneof(
          fc.constant<[bigint, bigint]>([1n, 1n]),
          fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 11n }), fc.bigInt({ min: 1n, max: 10n ** 11n })).map(([a, b]): [bigint, bigint] => (a <= b ? [a, b] : [b, a])),
        ),
        fc.integer({ min: 1, max: 6 }).chain(decimalText),
        fc.integer({ min: 1, max: 8 }).chain(decimalText),
        fc.constantFrom(360, 365),
        (outstandingDaysFen, [numerator, denominator], rate, ratio, divisor) => {
          const rateRatio = new Dec(rate).times(ratio);
          const formula = new AmountFormula(numerator, denominator, rateRatioOf(rateRatio), divisor);
          const expected = decimalAmount(outstandingDaysFen, numerator, denominator, rateRatio, divisor);
          expect(formula.amount(outstandingDaysFen)).toEqual(expected);
          expect(formula.roundedFen(outstandingDaysFen)).toBe(expected.roundedFen);
          expect(showFraction(outstandingDaysFen * numerator, denominator)).toBe(showUnrounded(fenToDec(outstandingDaysFen * numerator).div(denominator.toString())));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('half a fen exactly is rounded up, just below it down', () => {
    // 1 fen-day × 1 × 0.5 / 1 … as fractions: 180 / 360 = 0.5 → 1; 179 / 360 → 0.
    const formula = new AmountFormula(1n, 1n, rateRatioOf(new Dec('1')), 360);
    expect(formula.amount(180n)).toEqual({ roundedFen: 1n, unroundedText: '0.5' });
    expect(formula.amount(179n)).toEqual({ roundedFen: 0n, unroundedText: '0.49722222222222222222…' });
  });
});
