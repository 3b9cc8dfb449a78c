/**
 * Stage 3: the rate the ratio applies to. LPR1Y fixings: 0.0345 from 2023-08-21, 0.0335 from 2024-07-22; PBoC 1–5
 * years 0.0475 since 2015-10-24.
 */
import { parseDate } from '../dates';
import { dongyang2021, shippedPolicy, yuanzhou2023 } from '../policies';
import { validatePolicy } from '../policy';
import { loan, withParameters } from '../test-fixtures';
import { loanFacts } from './loan-facts';
import { rateOf } from './rate';
import { stageInputs } from './test-support';
import { TraceNotes } from './trace';

function rateFor(policy: ReturnType<typeof validatePolicy>, fields: Parameters<typeof loan>[0], year = 2024) {
  const { ctx } = stageInputs(policy, year);
  const facts = loanFacts(ctx, loan(fields));
  return { ctx, chosen: rateOf(ctx, new TraceNotes(ctx.caches.notesRoot), facts, { day: facts.startDay, description: 'in force on the loan start date' }) };
}

describe('rateOf', () => {
  it('Yuanzhou: the 1-year LPR in force on 2024-06-10 is 0.0345, effective 2023-08-21', () => {
    const { chosen } = rateFor(shippedPolicy('yuanzhou-2023'), { loanId: 'R1', startDate: '2024-06-10', maturityDate: '2025-06-09' });
    expect(chosen.rate.toString()).toBe('0.0345');
    expect(chosen.trace).toMatchObject({ index: 'LPR1Y', fixingDate: '2024-06-10', fixingEffectiveDate: '2023-08-21', indexRate: '0.0345', rate: '0.0345' });
  });

  it('Dongyang: a 2-year loan takes the 1–5 year benchmark, 0.0475', () => {
    const { chosen } = rateFor(shippedPolicy('dongyang-2021'), { loanId: 'R2', startDate: '2024-07-01', maturityDate: '2026-07-01' }, 2026);
    expect(chosen.trace).toMatchObject({ indexChoice: 'PBOC_BY_TERM', index: 'PBOC_1TO5Y', termBand: '1–5 years', rate: '0.0475' });
  });

  it('the actual rate capped at 1.4 × the index: 0.06 → 1.4 × 0.0345 = 0.0483', () => {
    const policy = validatePolicy(withParameters(yuanzhou2023, { baseRate: { rule: 'actual', actualCapMultipleOfIndex: '1.4' } }));
    const { chosen } = rateFor(policy, { loanId: 'R3', startDate: '2024-06-10', annualRate: '0.06' });
    expect(chosen.rate.toString()).toBe('0.0483');
  });

  it('the lower of index and actual: 0.03 against 0.0345, shown as the contract writes it', () => {
    const policy = validatePolicy(withParameters(dongyang2021, { rateIndex: 'LPR1Y', baseRate: { rule: 'lower_of_index_and_actual', actualCapMultipleOfIndex: null } }));
    const { chosen } = rateFor(policy, { loanId: 'R4', startDate: '2024-06-10', annualRate: '0.030' }, 2025);
    expect([chosen.rate.toString(), chosen.trace.rate]).toEqual(['0.03', '0.030']);
  });

  it('loans with the same index, fixing day and actual rate share one rate and one trace fragment', () => {
    const { ctx } = stageInputs(shippedPolicy('yuanzhou-2023'), 2024);
    const one = rateOf(ctx, new TraceNotes(ctx.caches.notesRoot), loanFacts(ctx, loan({ loanId: 'A', startDate: '2024-06-10' })), { day: parseDate('2024-06-10'), description: 'd' });
    const two = rateOf(ctx, new TraceNotes(ctx.caches.notesRoot), loanFacts(ctx, loan({ loanId: 'B', startDate: '2024-06-10' })), { day: parseDate('2024-06-10'), description: 'd' });
    expect(two).toBe(one);
  });

  it('no fixing in force on the day: rate_not_in_force, never a zero rate', () => {
    expect(() => rateFor(shippedPolicy('yuanzhou-2023', 2), { loanId: 'R5', startDate: '2019-08-19', maturityDate: '2025-08-19' }, 2023)).toThrow(
      expect.objectContaining({ code: 'rate_not_in_force', details: { index: 'LPR1Y', date: '2019-08-19', loanId: 'R5' } }),
    );
  });
});
