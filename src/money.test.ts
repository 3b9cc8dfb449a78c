import fc from 'fast-check';
import { Dec, allocateFen, formatYuan, parseYuan, roundFenHalfUp } from './money';

describe('parseYuan / formatYuan', () => {
  it.each([
    ['1000000.00', 100000000n],
    ['1234.5', 123450n],
    ['0.01', 1n],
    ['7', 700n],
    ['-0.05', -5n],
  ])('"%s" is %p fen', (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it.each(['1.001', '1e3', '1,000.00', '', ' 1.00', '.5', '1.', '0x10', '1234567890123456.00'])('refuses "%s"', (text) => {
    expect(() => parseYuan(text)).toThrow(/decimal string/);
  });

  it('formats with two places', () => {
    expect(formatYuan(123450n)).toBe('1234.50');
    expect(formatYuan(1n)).toBe('0.01');
    expect(formatYuan(-5n)).toBe('-0.05');
    expect(formatYuan(0n)).toBe('0.00');
  });
});

describe('roundFenHalfUp', () => {
  it('rounds a worked check: 1,234,567.89 × 0.0345 × 0.15 × 181 / 360 = 3212.19132879375 → 3212.19', () => {
    // in fen: 123456789 × 0.0345 × 0.15 × 181 / 360 = 321219.132879375 fen → 321219 fen
    const fen = new Dec(123456789).times('0.0345').times('0.15').times(181).div(360);
    expect(fen.toString()).toBe('321219.132879375');
    expect(roundFenHalfUp(fen)).toBe(321219n);
  });
  it('rounds .5 fen up and -.5 away from zero', () => {
    expect(roundFenHalfUp(new Dec('2.5'))).toBe(3n);
    expect(roundFenHalfUp(new Dec('2.4999999'))).toBe(2n);
    expect(roundFenHalfUp(new Dec('-2.5'))).toBe(-3n);
  });
});

describe('allocateFen (largest remainder, ties to the first listed)', () => {
  it('1.01 at 50/50 → 0.51 / 0.50 (tie goes to the first body)', () => {
    expect(allocateFen(101n, ['0.5', '0.5'])).toEqual([51n, 50n]);
  });
  it('1.00 at 1:1:1 → 0.34 / 0.33 / 0.33', () => {
    expect(allocateFen(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
  });
  it('7 fen at 3:1 → 5.25 / 1.75 exact, floors 5 / 1, the leftover fen goes to the larger remainder (0.75): 5 / 2', () => {
    expect(allocateFen(7n, [3n, 1n])).toEqual([5n, 2n]);
  });
  it('a zero weight gets nothing', () => {
    expect(allocateFen(100n, ['1', '0'])).toEqual([100n, 0n]);
  });
  it('refuses an all-zero or negative weight list', () => {
    expect(() => allocateFen(100n, ['0', '0'])).toThrow(RangeError);
    expect(() => allocateFen(100n, ['-1', '2'])).toThrow(RangeError);
  });
  it('parts always sum to the whole and each is within one fen of its exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 }).filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = allocateFen(total, weights.map(BigInt));
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          const weightTotal = weights.reduce((a, b) => a + b, 0);
          parts.forEach((part, i) => {
            const exact = new Dec(total.toString()).times(weights[i]!).div(weightTotal);
            expect(new Dec(part.toString()).minus(exact).abs().lessThan(1)).toBe(true);
          });
        },
      ),
    );
  });
});
