/**
 * Stage 7: take the higher (袁府办字〔2023〕25号 奖励认定1; 《关于全面加强知识产权工作的实施意见》 § 21): support received from
 * another programme at the same fiscal level is deducted, never below zero, at the stage the version says.
 */
import { shippedPolicy } from '../policies';
import { USCC } from '../test-fixtures';
import { applyOtherSupport, excessOver, indexOtherSupport } from './other-support';
import { lineWork, stageInputs } from './test-support';

describe('other support', () => {
  it('pays the excess, never below zero: 300,000 − 150,000 = 150,000; 100,000 − 150,000 → 0', () => {
    expect(excessOver(30_000_000n, 15_000_000n)).toBe(15_000_000n);
    expect(excessOver(10_000_000n, 15_000_000n)).toBe(0n);
  });

  it('counts only the policy\'s fiscal levels and the run\'s year (Yuanzhou: district)', () => {
    const { ctx } = stageInputs(shippedPolicy('yuanzhou-2023'), 2024);
    const byLoan = indexOtherSupport(ctx, {
      otherSupport: [
        { loanId: 'L1', programme: '区科技专项', fiscalLevel: 'district', amountFen: 100n, year: 2024 },
        { loanId: 'L1', programme: '市专项', fiscalLevel: 'city', amountFen: 200n },
        { loanId: 'L1', programme: '区上年', fiscalLevel: 'district', amountFen: 300n, year: 2023 },
      ],
    });
    expect(byLoan.get('L1')?.map((support) => support.programme)).toEqual(['区科技专项']);
  });

  it('version 2 deducts after the caps, version 1 before: each only at its own stage', () => {
    for (const [version, stage] of [[2, 'after_caps'], [1, 'before_caps']] as const) {
      const { ctx } = stageInputs(shippedPolicy('yuanzhou-2023', version), 2024);
      const work = lineWork(ctx, 'L1', USCC.yuanzhouA, 5_000_000n);
      const byLoan = indexOtherSupport(ctx, { otherSupport: [{ loanId: 'L1', programme: '区专项', fiscalLevel: 'district', amountFen: 2_000_000n }] });
      applyOtherSupport(ctx, [work], byLoan, stage === 'after_caps' ? 'before_caps' : 'after_caps');
      expect(work.amountFen).toBe(5_000_000n);
      applyOtherSupport(ctx, [work], byLoan, stage);
      // 50,000.00 − 20,000.00 = 30,000.00
      expect(work.amountFen).toBe(3_000_000n);
      expect(work.line.trace.adjustments).toEqual([expect.objectContaining({ step: 'other_support_same_level', cutFen: '2000000' })]);
    }
  });
});
