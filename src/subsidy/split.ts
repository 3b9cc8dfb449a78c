/**
 * Splitting a line between funding bodies and scaling a body's lines to its budget, both exact: the parts always add
 * up to the whole (POLICY.md "Money and numbers": largest remainder, ties to the body listed first).
 */
import { allocateFen, sumFen, type Fen } from '../money';
import type { FundingShare } from './policy';
import type { BodyAmount } from './types';

/** `amountFen` split by the shares, bodies in the order the policy lists them. */
export function splitByShares(amountFen: Fen, split: readonly FundingShare[]): BodyAmount[] {
  const parts = allocateFen(amountFen, split.map((share) => share.share));
  return split.map((share, index) => ({ body: share.body, amountFen: parts[index]! }));
}

export interface BudgetScaling {
  sharesFen: Fen[];
  approvedFen: Fen;
  paidFen: Fen;
  scaled: boolean;
}

/**
 * When a body's shares (in a stable order) add up to more than its budget, every share is scaled by
 * budget ÷ approved, with the budget allocated exactly among them; otherwise they stay as they are.
 */
export function scaleToBudget(sharesFen: readonly Fen[], budgetFen: Fen): BudgetScaling {
  if (budgetFen < 0n) throw new RangeError('a budget is never negative');
  const approvedFen = sumFen(sharesFen);
  if (approvedFen <= budgetFen) return { sharesFen: [...sharesFen], approvedFen, paidFen: approvedFen, scaled: false };
  return { sharesFen: allocateFen(budgetFen, sharesFen), approvedFen, paidFen: budgetFen, scaled: true };
}
