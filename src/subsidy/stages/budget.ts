/**
 * Stage 11 — the budget (docs/subsidy-rules.md "Budget"): when a funding body's shares in the run exceed its budget,
 * every share of that body is scaled by budget ÷ approved, the budget allocated exactly among them (largest
 * remainder); the trace shows the factor as a decimal and as the exact fraction. The last stage that changes money.
 */
import { Dec, fenToDec, sumFen } from '../../money';
import { scaleToBudget } from '../split';
import type { BodyAmount, RunResult, TraceBudget } from '../types';
import { invalid, requireFen } from './context';
import { compareStrings, fen, RULES, type LineWork } from './trace';

/** Decimal places shown for a budget factor (the exact fraction is shown beside it). */
const FACTOR_DECIMAL_PLACES = 20;

export function applyBudgets(work: readonly LineWork[], budgetInput: readonly BodyAmount[] | undefined): RunResult['budget'] {
  const summaries: RunResult['budget'] = [];
  const budgets = [...(budgetInput ?? [])].sort((a, b) => compareStrings(a.body, b.body));
  budgets.forEach((budget, position) => {
    const budgetFen = requireFen(budget.amountFen, `budget.${position}.amountFen`);
    if (position > 0 && budgets[position - 1]!.body === budget.body) throw invalid(`budget.${position}.body`, `body "${budget.body}" has two budgets`);
    const holders: Array<{ item: LineWork; shareIndex: number }> = [];
    for (const item of work) {
      item.line.shares.forEach((share, shareIndex) => {
        if (share.body === budget.body && share.amountFen > 0n) holders.push({ item, shareIndex });
      });
    }
    const scaling = scaleToBudget(
      holders.map(({ item, shareIndex }) => item.line.shares[shareIndex]!.amountFen),
      budgetFen,
    );
    const factorExact = scaling.approvedFen === 0n ? new Dec(1) : fenToDec(budgetFen).div(fenToDec(scaling.approvedFen));
    const factor = scaling.scaled ? factorExact.toDecimalPlaces(FACTOR_DECIMAL_PLACES, Dec.ROUND_HALF_UP).toFixed(FACTOR_DECIMAL_PLACES) : '1';
    summaries.push({ body: budget.body, budgetFen, approvedFen: scaling.approvedFen, paidFen: scaling.paidFen, factor });
    if (!scaling.scaled) return;
    holders.forEach(({ item, shareIndex }, index) => {
      const share = item.line.shares[shareIndex]!;
      const after = scaling.sharesFen[index]!;
      const entry: TraceBudget = {
        body: budget.body,
        budgetFen: fen(budgetFen),
        approvedFen: fen(scaling.approvedFen),
        factor,
        factorFraction: `${budgetFen}/${scaling.approvedFen}`,
        beforeFen: fen(share.amountFen),
        afterFen: fen(after),
      };
      (item.line.trace.budget ??= []).push(entry);
      item.notes.cite(`${RULES} "Budget"`);
      share.amountFen = after;
    });
  });
  for (const item of work) {
    if (!item.line.trace.budget) continue;
    item.line.amountFen = sumFen(item.line.shares.map((share) => share.amountFen));
    if (item.line.trace.split) item.line.trace.split.shares = item.line.shares.map((share) => ({ body: share.body, amountFen: fen(share.amountFen) }));
  }
  return summaries;
}
