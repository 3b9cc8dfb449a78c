/**
 * Stages 10 and 11: the funding split (exact, the odd fen to the body listed first on a tie) and the budget (every
 * share of a body scaled by budget ÷ approved, allocated exactly).
 */
import { shippedPolicy } from '../policies';
import { USCC } from '../test-fixtures';
import { applyBudgets } from './budget';
import { splitLines } from './funding-split';
import { lineWork, stageInputs } from './test-support';

const { ctx } = stageInputs(shippedPolicy('yuanzhou-2023'), 2024);

describe('funding split', () => {
  it('577,875 fen 50/50: city 288,938 (the odd fen to the body listed first), district 288,937', () => {
    const work = lineWork(ctx, 'L1', USCC.yuanzhouA, 577_875n);
    splitLines([work]);
    expect(work.line.shares).toEqual([
      { body: 'city', amountFen: 288_938n },
      { body: 'district', amountFen: 288_937n },
    ]);
    expect(work.line.trace.split?.shares).toEqual([
      { body: 'city', amountFen: '288938' },
      { body: 'district', amountFen: '288937' },
    ]);
  });
});

describe('budget', () => {
  it('the city\'s shares 300, 200, 100 fen against a budget of 300: factor 0.5, 150, 100, 50; the district untouched', () => {
    const lines = [600n, 400n, 200n].map((fen, index) => lineWork(ctx, `L${index}`, USCC.yuanzhouA, fen));
    splitLines(lines);
    const summaries = applyBudgets(lines, [{ body: 'city', amountFen: 300n }]);
    expect(summaries).toEqual([{ body: 'city', budgetFen: 300n, approvedFen: 600n, paidFen: 300n, factor: '0.50000000000000000000' }]);
    // lines: 150 + 300, 100 + 200, 50 + 100
    expect(lines.map((work) => work.line.amountFen)).toEqual([450n, 300n, 150n]);
    expect(lines[0]!.line.trace.budget).toEqual([
      { body: 'city', budgetFen: '300', approvedFen: '600', factor: '0.50000000000000000000', factorFraction: '300/600', beforeFen: '300', afterFen: '150' },
    ]);
  });

  it('a budget below the shares\' total that does not divide: three shares of 1 fen for 2 fen → 1, 1, 0', () => {
    const lines = [2n, 2n, 2n].map((fen, index) => lineWork(ctx, `L${index}`, USCC.yuanzhouA, fen));
    splitLines(lines);
    applyBudgets(lines, [{ body: 'city', amountFen: 2n }]);
    expect(lines.map((work) => work.line.shares[0]!.amountFen)).toEqual([1n, 1n, 0n]);
  });

  it('refuses two budgets for one body', () => {
    expect(() => applyBudgets([], [{ body: 'city', amountFen: 1n }, { body: 'city', amountFen: 2n }])).toThrow(
      expect.objectContaining({ details: { errors: [expect.objectContaining({ path: 'budget.1.body' })] } }),
    );
  });
});
