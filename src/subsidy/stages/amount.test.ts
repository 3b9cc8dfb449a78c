/**
 * Stage 4: Σ outstanding × days × share × rate × ratio / divisor, rounded once, half-up, to fen.
 */
import { parseDate } from '../dates';
import { shippedPolicy } from '../policies';
import type { Policy } from '../policy';
import { loan } from '../test-fixtures';
import type { LineTrace } from '../types';
import { amountOf } from './amount';
import { ConditionSink } from './conditions';
import { rightTypeOf, shareOf, sortedPledges } from './loan-conditions';
import { loanFacts } from './loan-facts';
import { rateOf } from './rate';
import { stageInputs } from './test-support';
import { TraceNotes } from './trace';
import { walkBase } from './window';

function amountFor(policy: Policy, year: number, fields: Parameters<typeof loan>[0], from: string, to: string) {
  const { ctx } = stageInputs(policy, year);
  const notes = new TraceNotes(ctx.caches.notesRoot);
  const facts = loanFacts(ctx, loan(fields));
  const share = shareOf(ctx, notes, new ConditionSink(false), facts, rightTypeOf(ctx, notes, facts.loan), sortedPledges(facts.loan));
  const walk = walkBase(ctx, facts, parseDate(from), parseDate(to));
  const chosen = rateOf(ctx, notes, facts, { day: facts.startDay, description: 'in force on the loan start date' });
  const trace = { adjustments: [], reasons: [] } as unknown as LineTrace;
  return { amount: amountOf(ctx, notes, trace, facts, share, walk, chosen), trace };
}

describe('amountOf', () => {
  it('2,000,000.00 from 2024-06-10 to the year end: 201 days × 3.45 % × 15 % / 360 = 5,778.75', () => {
    // 200,000,000 × 201 = 40,200,000,000 fen-days; × 0.0345 × 0.15 = 208,035,000; ÷ 360 = 577,875 fen
    const { amount, trace } = amountFor(shippedPolicy('yuanzhou-2023'), 2024, { loanId: 'A1', principalFen: 200_000_000n, startDate: '2024-06-10', maturityDate: '2025-06-09' }, '2024-06-10', '2025-01-01');
    expect(amount.roundedFen).toBe(577_875n);
    expect(trace.formula).toBe('40200000000 fen-days × IP share 1 × rate 0.0345 × ratio 0.15 / 360 = 577875 fen, rounded once half-up to 577875 fen (5778.75 CNY)');
  });

  it('a combination loan pledging 600,000.00 of 1,000,000.00 for 360 days at 4.35 % × 50 %: 13,050.00', () => {
    // 100,000,000 × 360 = 36,000,000,000 fen-days × 3/5 = 21,600,000,000; × 0.0435 × 0.5 = 469,800,000; ÷ 360 = 1,305,000 fen
    const { amount, trace } = amountFor(
      shippedPolicy('dongyang-2021'),
      2025,
      { loanId: 'A2', collateral: 'combination', ipPledgedFen: 60_000_000n, startDate: '2024-07-01', maturityDate: '2025-06-30' },
      '2024-07-01',
      '2025-07-01',
    );
    expect(amount.roundedFen).toBe(1_305_000n);
    expect(trace.ipShare?.value).toBe('60000000/100000000 = 0.6');
    expect(trace.segments).toEqual([{ from: '2024-07-01', toExclusive: '2025-07-01', days: 360, outstandingFen: '100000000', baseFen: '60000000' }]);
  });

  it('11.5 fen is rounded once, half-up, to 12: 1,000.00 for 8 days at 3.45 % × 15 %', () => {
    // 100,000 × 8 = 800,000 fen-days; × 0.005175 = 4,140; ÷ 360 = 11.5 fen → 12
    const { amount, trace } = amountFor(shippedPolicy('yuanzhou-2023'), 2024, { loanId: 'A3', principalFen: 100_000n, startDate: '2024-06-10' }, '2024-06-10', '2024-06-18');
    expect([trace.amountUnroundedFen, amount.roundedFen]).toEqual(['11.5', 12n]);
  });
});
