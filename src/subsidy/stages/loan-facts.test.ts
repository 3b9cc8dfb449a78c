/**
 * Stage 2a: a loan's facts, checked. Events in any order; principal changes sorted; the first settlement; the first
 * overdue or default event (on one day, `default` is named first).
 */
import { parseDate } from '../dates';
import { shippedPolicy } from '../policies';
import { loan } from '../test-fixtures';
import { loanFacts } from './loan-facts';
import { stageInputs } from './test-support';

const { ctx } = stageInputs(shippedPolicy('dongyang-2021'), 2025);

describe('loanFacts', () => {
  it('sorts the principal changes and finds the first settlement and the first late event', () => {
    const facts = loanFacts(
      ctx,
      loan({
        loanId: 'F1',
        startDate: '2024-07-01',
        maturityDate: '2025-06-30',
        events: [
          { type: 'settlement', date: '2025-07-10' },
          { type: 'principal_repayment', date: '2025-07-10', amountFen: 60_000_000n },
          { type: 'overdue', date: '2025-07-01', daysOverdue: 1 },
          { type: 'default', date: '2025-07-01' },
          { type: 'principal_repayment', date: '2025-01-01', amountFen: 40_000_000n },
          { type: 'disbursement', date: '2024-07-01', amountFen: 100_000_000n },
          { type: 'interest_payment', date: '2024-12-21' },
        ],
      }),
    );
    // +100,000,000 on 2024-07-01, −40,000,000 on 2025-01-01, −60,000,000 on 2025-07-10
    expect(facts.changes).toEqual([
      { day: parseDate('2024-07-01'), deltaFen: 100_000_000n },
      { day: parseDate('2025-01-01'), deltaFen: -40_000_000n },
      { day: parseDate('2025-07-10'), deltaFen: -60_000_000n },
    ]);
    expect([facts.settlementDay, facts.firstLateDay, facts.firstLateType]).toEqual([parseDate('2025-07-10'), parseDate('2025-07-01'), 'default']);
  });

  it.each([
    ['a principal of zero', { principalFen: 0n }, 'loans[F2].principalFen'],
    ['an IP part above the principal', { collateral: 'combination' as const, ipPledgedFen: 100_000_001n }, 'loans[F2].ipPledgedFen'],
    ['a maturity on the start day', { startDate: '2024-07-01', maturityDate: '2024-07-01' }, 'loans[F2].maturityDate'],
    ['a repayment without an amount', { events: [{ type: 'principal_repayment' as const, date: '2024-08-01' }] }, 'loans[F2].events.0.amountFen'],
    ['an event on 2024-02-30', { events: [{ type: 'overdue' as const, date: '2024-02-30' }] }, 'loans[F2].events.0.date'],
  ])('refuses %s, naming the field', (_name, fields, path) => {
    expect(() => loanFacts(ctx, loan({ loanId: 'F2', ...fields }))).toThrow(
      expect.objectContaining({ code: 'input_invalid', details: { errors: [expect.objectContaining({ path })] } }),
    );
  });
});
