/**
 * The run's closing checks fail loudly on figures that do not add up: a broken result, and a run whose split has been
 * broken on purpose.
 */
import { computeRun } from '../engine';
import { shippedPolicy } from '../policies';
import { Splitter } from '../split';
import { loan, runInput } from '../test-fixtures';
import type { RunResult } from '../types';
import { assertGroupCapped, assertRunClosed, RunInvariantError } from './invariants';
import { lineWork, stageInputs } from './test-support';

const yuanzhou = shippedPolicy('yuanzhou-2023');
const good = (): RunResult => computeRun(runInput(yuanzhou, 2024, { loans: [loan({ loanId: 'I1', startDate: '2024-03-01' }), loan({ loanId: 'I2', startDate: '2024-04-01' })] }));

describe('closing checks', () => {
  it('pass on a run as computed', () => {
    expect(() => assertRunClosed(good(), [])).not.toThrow();
  });

  it.each([
    ['a share one fen short of its line', (result: RunResult) => (result.lines[0]!.shares[0]!.amountFen -= 1n), /line interest:I1: its shares add up to/],
    ['a line that does not add up to the total', (result: RunResult) => (result.totalFen += 1n), /the lines add up to/],
    ['a body\'s total off by a fen', (result: RunResult) => { result.totals[0]!.amountFen += 1n; result.totals[1]!.amountFen -= 1n; }, /body city: its shares add up to/],
    ['an ineligible line that pays', (result: RunResult) => (result.lines[0]!.eligible = false), /is ineligible but pays/],
    ['shares above a body\'s budget', (result: RunResult) => result.budget.push({ body: 'city', budgetFen: 1n, approvedFen: 1n, paidFen: 1n, factor: '1' }), /body city: its shares add up to .* above its budget 1 fen/],
  ])('throw on %s', (_name, breakIt, message) => {
    const result = good();
    breakIt(result);
    expect(() => assertRunClosed(result, [])).toThrow(RunInvariantError);
    expect(() => assertRunClosed(result, [])).toThrow(message);
  });

  it('throw on a cap group whose lines pay above its cap, and on one not adding up to its capped total', () => {
    const { ctx } = stageInputs(yuanzhou, 2024);
    const work = lineWork(ctx, 'L1', 'E', 10_000_001n);
    work.line.amountFen = 10_000_001n;
    const record = { step: 'cap_per_enterprise_year' as const, key: 'E', capFen: 10_000_000n, totalBeforeFen: 10_000_001n, totalAfterFen: 10_000_000n, lines: [work] };
    expect(() => assertGroupCapped(record)).toThrow(/its lines add up to 10000001 fen, the capped total is 10000000 fen/);
    expect(() => assertRunClosed(good(), [record])).toThrow(/its lines pay 10000001 fen, above the cap 10000000 fen/);
  });

  it('a run whose funding split drops a fen is refused with an internal error, not stored', () => {
    const apply = Splitter.prototype.apply;
    const spy = jest.spyOn(Splitter.prototype, 'apply').mockImplementation(function (this: Splitter, amountFen: bigint) {
      const shares = apply.call(this, amountFen);
      if (shares.length > 1 && shares[0]!.amountFen > 0n) shares[0]!.amountFen -= 1n;
      return shares;
    });
    try {
      expect(() => good()).toThrow(RunInvariantError);
    } finally {
      spy.mockRestore();
    }
  });
});
