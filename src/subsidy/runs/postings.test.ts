/**
 * What approvals and payments move, with the integers written out.
 */
import fc from 'fast-check';
import { allocatePayment, approvalEntries, planApproval } from './postings';

const A = '91360902MA000001XX';
const B = '91360902MA000002XX';

describe('a payment spread over the enterprises of a run', () => {
  it('1,000.00 of the city against 2,098.75 and 661.25 owed: 760.42 and 239.58 (the left-over fen to the larger remainder)', () => {
    // 100,000 × 209,875 / 276,000 = 76,041.66…; 100,000 × 66,125 / 276,000 = 23,958.33…
    expect(allocatePayment(100_000n, [{ uscc: B, outstandingFen: 66_125n }, { uscc: A, outstandingFen: 209_875n }])).toEqual([
      { uscc: A, amountFen: 76_042n },
      { uscc: B, amountFen: 23_958n },
    ]);
  });

  it('the whole outstanding pays everyone in full; one fen more is refused', () => {
    expect(allocatePayment(276_000n, [{ uscc: A, outstandingFen: 209_875n }, { uscc: B, outstandingFen: 66_125n }])).toEqual([
      { uscc: A, amountFen: 209_875n },
      { uscc: B, amountFen: 66_125n },
    ]);
    expect(() => allocatePayment(276_001n, [{ uscc: A, outstandingFen: 209_875n }, { uscc: B, outstandingFen: 66_125n }])).toThrow(/more than/);
  });

  it('never gives an enterprise more than it is owed, and the parts add up to the payment', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), (owed, fraction) => {
        const total = owed.reduce((sum, item) => sum + item, 0n);
        const amount = BigInt(Math.floor(Number(total) * fraction));
        if (amount <= 0n) return;
        const items = owed.map((outstandingFen, index) => ({ uscc: String(index).padStart(18, '0'), outstandingFen }));
        const parts = allocatePayment(amount, items);
        expect(parts.reduce((sum, part) => sum + part.amountFen, 0n)).toBe(amount);
        for (const part of parts) expect(part.amountFen).toBeLessThanOrEqual(items.find((item) => item.uscc === part.uscc)!.outstandingFen);
      }),
    );
  });
});

describe('what an approval posts', () => {
  it('a regular run: each enterprise and body to its own payable, one balanced entry per enterprise', () => {
    const shares = planApproval('run-1', [
      { uscc: A, body: 'city', amountFen: 209_875n },
      { uscc: A, body: 'district', amountFen: 359_875n },
    ], [], []);
    expect(shares).toEqual([
      { uscc: A, body: 'city', payableRunId: 'run-1', amountFen: 209_875n },
      { uscc: A, body: 'district', payableRunId: 'run-1', amountFen: 359_875n },
    ]);
    const [entry] = approvalEntries({ id: 'run-1', policyId: 'yuanzhou-2023', year: 2024, kind: 'regular' }, shares, '2025-02-01');
    expect(entry!.lines).toEqual([
      { accountCode: 'subsidy:city:expense', side: 'debit', amountFen: 209_875n },
      { accountCode: `subsidy:city:payable:run-1:${A}`, side: 'credit', amountFen: 209_875n },
      { accountCode: 'subsidy:district:expense', side: 'debit', amountFen: 359_875n },
      { accountCode: `subsidy:district:payable:run-1:${A}`, side: 'credit', amountFen: 359_875n },
    ]);
  });

  it('an adjustment: increases to its own payable, decreases off earlier payables (newest first), nothing for no change', () => {
    const shares = planApproval(
      'adj',
      [
        { uscc: A, body: 'city', amountFen: 100_000n }, // was 100,000: no change
        { uscc: B, body: 'city', amountFen: 50_000n }, // was 80,000: 300.00 less
        { uscc: B, body: 'district', amountFen: 90_000n }, // was 80,000: 100.00 more
      ],
      [
        { uscc: A, body: 'city', amountFen: 100_000n },
        { uscc: B, body: 'city', amountFen: 80_000n },
        { uscc: B, body: 'district', amountFen: 80_000n },
      ],
      [
        { runId: 'adj-0', uscc: B, body: 'city', outstandingFen: 10_000n },
        { runId: 'run-1', uscc: B, body: 'city', outstandingFen: 70_000n },
      ],
    );
    expect(shares).toEqual([
      { uscc: B, body: 'city', payableRunId: 'adj-0', amountFen: -10_000n },
      { uscc: B, body: 'city', payableRunId: 'run-1', amountFen: -20_000n },
      { uscc: B, body: 'district', payableRunId: 'adj', amountFen: 10_000n },
    ]);
  });

  it('an adjustment lowering a share the body has already paid is refused', () => {
    expect(() =>
      planApproval('adj', [{ uscc: B, body: 'city', amountFen: 50_000n }], [{ uscc: B, body: 'city', amountFen: 80_000n }], [
        { runId: 'run-1', uscc: B, body: 'city', outstandingFen: 29_999n },
      ]),
    ).toThrow(/already been paid/);
  });
});
