/**
 * Stage 6: a cap on an enterprise's loans in the run, the cut shared in proportion to their amounts (largest
 * remainder, ties to the loan listed first), so the lines still add up to the capped total.
 */
import { shippedPolicy, yuanzhou2023 } from '../policies';
import { validatePolicy } from '../policy';
import { USCC, withParameters } from '../test-fixtures';
import { applyEnterpriseCaps } from './enterprise-caps';
import { lineWork, stageInputs } from './test-support';

describe('enterprise caps', () => {
  it('Yuanzhou, 100,000.00 a year: 60,000.00 + 90,000.00 are cut by 50,000.00, 20,000.00 and 30,000.00', () => {
    // cut 50,000 × 60/150 = 20,000 and × 90/150 = 30,000: the lines become 40,000.00 and 60,000.00
    const { ctx, sources } = stageInputs(shippedPolicy('yuanzhou-2023'), 2024);
    const lines = [lineWork(ctx, 'L1', USCC.yuanzhouA, 6_000_000n), lineWork(ctx, 'L2', USCC.yuanzhouA, 9_000_000n), lineWork(ctx, 'L3', USCC.yuanzhouB, 9_000_000n)];
    const groups = applyEnterpriseCaps(ctx, lines, sources.cumulativePaid);
    expect(lines.map((work) => work.amountFen)).toEqual([4_000_000n, 6_000_000n, 9_000_000n]);
    expect(groups.map((group) => [group.key, group.totalBeforeFen, group.totalAfterFen])).toEqual([
      [USCC.yuanzhouA, 15_000_000n, 10_000_000n],
      [USCC.yuanzhouB, 9_000_000n, 9_000_000n],
    ]);
    expect(lines[0]!.line.trace.adjustments).toEqual([
      expect.objectContaining({ step: 'cap_per_enterprise_year', beforeFen: '6000000', afterFen: '4000000', cutFen: '2000000' }),
    ]);
  });

  it('a cut that does not divide evenly: three lines of 1 fen capped at 1 fen lose 2 fen, the first two one each', () => {
    // each line's part of the cut is 2/3 fen: 0 each, and the 2 fen left go to the largest remainders, ties to the first
    const { ctx } = stageInputs(validatePolicy(withParameters(yuanzhou2023, { capPerEnterpriseYear: '0.01' })), 2024);
    const lines = ['L1', 'L2', 'L3'].map((id) => lineWork(ctx, id, USCC.yuanzhouA, 1n));
    const groups = applyEnterpriseCaps(ctx, lines, new Map([[USCC.yuanzhouA, 0n]]));
    expect(lines.map((work) => work.amountFen)).toEqual([0n, 0n, 1n]);
    expect(groups[0]!.totalAfterFen).toBe(1n);
  });

  it('Dongyang, 300,000.00 per right type a year: patents and trademarks are capped apart', () => {
    // patents 200,000 + 150,000 = 350,000 → cut 50,000: 200/350 → 28,571.43, 150/350 → 21,428.57 (5,000,000 fen split 4/7, 3/7)
    const { ctx, sources } = stageInputs(shippedPolicy('dongyang-2021'), 2025);
    const lines = [
      lineWork(ctx, 'P1', USCC.dongyangA, 20_000_000n, 'patent'),
      lineWork(ctx, 'P2', USCC.dongyangA, 15_000_000n, 'patent'),
      lineWork(ctx, 'T1', USCC.dongyangA, 25_000_000n, 'trademark'),
    ];
    applyEnterpriseCaps(ctx, lines, sources.cumulativePaid);
    // 5,000,000 × 4/7 = 2,857,142.857… → 2,857,143 (the larger remainder .857 against .143); × 3/7 → 2,142,857
    expect(lines.map((work) => work.amountFen)).toEqual([17_142_857n, 12_857_143n, 25_000_000n]);
  });
});
