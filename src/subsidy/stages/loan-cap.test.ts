/**
 * Stage 5: at most 100,000.00 per loan over its whole window, across the years it is paid in (袁府办字〔2023〕25号
 * 四(三)2 "贴息总额最高不超过10万元").
 */
import { shippedPolicy } from '../policies';
import { loan, runInput } from '../test-fixtures';
import type { RunLoan } from '../types';
import { evaluateLoan } from './loan';
import { windowCapPart } from './loan-cap';
import { stageInputs } from './test-support';

const yuanzhou = shippedPolicy('yuanzhou-2023');

describe('windowCapPart', () => {
  it('earlier 77,625.00, this year 77,625.00: min(155,250, 100,000) − 77,625 = 22,375.00', () => {
    expect(windowCapPart(10_000_000n, [7_762_500n], 7_762_500n)).toEqual({ earlierPartsFen: [7_762_500n], earlierFen: 7_762_500n, partFen: 2_237_500n });
  });

  it('earlier years 60,000.00 and 50,000.00: their parts 60,000.00 and 40,000.00, nothing left for this year', () => {
    // min(60,000 + 50,000, 100,000) − min(60,000, 100,000) = 40,000; this year min(100,000 + 10,000, 100,000) − 100,000 = 0
    expect(windowCapPart(10_000_000n, [6_000_000n, 5_000_000n], 1_000_000n)).toEqual({ earlierPartsFen: [6_000_000n, 4_000_000n], earlierFen: 10_000_000n, partFen: 0n });
  });

  it('nothing earlier and 155,250.00 this year: 100,000.00', () => {
    expect(windowCapPart(10_000_000n, [], 15_525_000n).partFen).toBe(10_000_000n);
  });
});

describe('the cap on a loan line', () => {
  const big: RunLoan = loan({ loanId: 'C1', principalFen: 3_000_000_000n, startDate: '2024-07-01', maturityDate: '2025-07-01' });
  const evaluate = (year: number, item: RunLoan) => {
    const { ctx, sources } = stageInputs(yuanzhou, year, runInput(yuanzhou, year, { loans: [item] }));
    return evaluateLoan(ctx, sources, item)!.work;
  };

  it('30,000,000.00 from 2024-07-01: 77,625.00 in 2024 and 22,375.00 in 2025, 100,000.00 in all', () => {
    // 2024: f(2025-01-01) − f(2024-07-01) = 729,001 − 728,821 = 180 days; 3,000,000,000 × 180 × 0.005175 / 360 = 7,762,500 fen
    // 2025: [2025-01-01, 2025-07-01) is 180 days too: 7,762,500, cut to min(15,525,000, 10,000,000) − 7,762,500 = 2,237,500
    expect(evaluate(2024, big).amountFen).toBe(7_762_500n);
    const in2025 = evaluate(2025, big);
    expect(in2025.amountFen).toBe(2_237_500n);
    expect(in2025.line.trace.windowCap).toMatchObject({ capFen: '10000000', earlierFen: '7762500', partFen: '2237500', earlierParts: [expect.objectContaining({ year: 2024, days: 180, amountFen: '7762500' })] });
    expect(in2025.line.trace.adjustments).toEqual([expect.objectContaining({ step: 'cap_per_loan', beforeFen: '7762500', afterFen: '2237500', cutFen: '5525000' })]);
  });

  it('a loan whose whole window cannot reach the cap skips the earlier years and says the most it can pay', () => {
    // 1,000,000.00 × 360 days × 0.005175 / 360 = 517,500 fen, + 1 fen a year for rounding over 2 years = 517,502
    const work = evaluate(2025, loan({ loanId: 'C2', principalFen: 100_000_000n, startDate: '2024-07-01', maturityDate: '2025-07-01' }));
    expect(work.line.trace.windowCap).toEqual({ capFen: '10000000', wholeWindowAtMostFen: '517502', partFen: '258750', reference: yuanzhou.parameters.capPerLoan.reference });
  });
});
