import fc from 'fast-check';
import { capGroup } from './caps';
import { scaleToBudget, splitByShares } from './split';

describe('capGroup', () => {
  it('cuts 12,000,000 to 10,000,000 in proportion 3 : 2 : 1, the odd fen by largest remainder', () => {
    // cut 2,000,000: × 3/6 = 1,000,000; × 2/6 = 666,666.67; × 1/6 = 333,333.33
    // floors sum to 1,999,999; the last fen goes to the largest remainder (.67): 666,667
    // → 5,000,000 / 3,333,333 / 1,666,667
    const result = capGroup([6_000_000n, 4_000_000n, 2_000_000n], 10_000_000n);
    expect(result.cutsFen).toEqual([1_000_000n, 666_667n, 333_333n]);
    expect(result.amountsFen).toEqual([5_000_000n, 3_333_333n, 1_666_667n]);
  });

  it('leaves a group at the cap alone, and cuts one fen over it', () => {
    expect(capGroup([600n, 400n], 1_000n).cutFen).toBe(0n);
    // cut 1 fen of 1,001 between 601 and 400: 0.6 and 0.4 → floors 0, 0; the fen to the larger remainder (601's)
    expect(capGroup([601n, 400n], 1_000n).amountsFen).toEqual([600n, 400n]);
  });

  it('never exceeds the cap, never makes a line negative, and cuts no more than needed', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 20 }), fc.bigInt({ min: 0n, max: 10n ** 13n }), (amounts, cap) => {
        const result = capGroup(amounts, cap);
        const total = amounts.reduce((a, b) => a + b, 0n);
        const after = result.amountsFen.reduce((a, b) => a + b, 0n);
        expect(after).toBe(total < cap ? total : cap);
        result.amountsFen.forEach((amount, index) => {
          expect(amount >= 0n && amount <= amounts[index]!).toBe(true);
        });
      }),
    );
  });
});

describe('splitByShares', () => {
  it('gives the odd fen of a 50/50 split to the body listed first', () => {
    expect(splitByShares(1n, [{ body: 'city', share: '0.5' }, { body: 'district', share: '0.5' }])).toEqual([
      { body: 'city', amountFen: 1n },
      { body: 'district', amountFen: 0n },
    ]);
  });
  it('gives the odd fen of 7 at 60/40 to the larger remainder: 4.2 / 2.8 → 4 / 3', () => {
    expect(splitByShares(7n, [{ body: 'city', share: '0.6' }, { body: 'county', share: '0.4' }]).map((share) => share.amountFen)).toEqual([4n, 3n]);
  });
});

describe('scaleToBudget', () => {
  it('scales 3,000 and 1,000 to a budget of 2,001: 1,500.75 / 500.25 → 1,501 / 500', () => {
    expect(scaleToBudget([3_000n, 1_000n], 2_001n)).toEqual({ sharesFen: [1_501n, 500n], approvedFen: 4_000n, paidFen: 2_001n, scaled: true });
  });
  it('leaves shares within the budget alone', () => {
    expect(scaleToBudget([3_000n, 1_000n], 4_000n).scaled).toBe(false);
  });
});
