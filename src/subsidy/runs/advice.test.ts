/**
 * The eligibility advice as of the day it is asked (`adviseAsOf`): a deadline still ahead (or today) is advised as the
 * stage wrote it; a deadline past is said to be past, in both languages, and the condition stays missed.
 */
import { conditionTextZh } from '../conditions-zh';
import type { ExplainedCondition } from '../eligibility';
import { adviseAsOf } from './eligibility';

const settledInYear: ExplainedCondition = {
  code: 'settled_in_year',
  kind: 'eligibility',
  met: false,
  reference: 'a policy paying loans in the year they are settled',
  message: 'the loan is not settled: the run for 2025 pays loans settled in 2025',
  params: { year: 2025, maturityDate: '2026-03-31' },
  toMeet: 'settle it in 2025 (maturity 2026-03-31): the run for 2025 pays loans settled in 2025, their whole window',
};

describe('adviseAsOf', () => {
  it('a year not ended yet: settle it in the year', () => {
    const advised = adviseAsOf(settledInYear, '2025-12-31');
    expect(advised).toBe(settledInYear);
    expect(conditionTextZh(advised).toMeetZh).toBe('须在 2025 年内结清（到期日 2026-03-31）');
  });

  it('a year ended: nothing to do for it, but record a settlement made in it', () => {
    const advised = adviseAsOf(settledInYear, '2026-01-01');
    expect(advised).toMatchObject({
      met: false,
      toMeetParams: { today: '2026-01-01' },
      toMeet:
        'none for 2025: the year has ended (today is 2026-01-01); if the loan was settled in 2025, the bank records the settlement with the date it took effect; otherwise, once settled, it is paid by the run of the year it is settled in',
    });
    expect(conditionTextZh(advised).toMeetZh).toBe(
      '2025 年度已结束（今天是 2026-01-01）：如贷款已于 2025 年内结清，请银行按实际结清日期补录结清记录；否则结清后由结清当年的年度批次补贴',
    );
  });

  it('a condition met is left as it is', () => {
    const met: ExplainedCondition = { ...settledInYear, met: true, toMeet: null };
    expect(adviseAsOf(met, '2030-01-01')).toBe(met);
  });
});
