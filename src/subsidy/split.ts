/**
 * Splitting a line between funding bodies and scaling a body's lines to its budget, both exact: the parts always add
 * up to the whole (docs/subsidy-rules.md "Money": largest remainder, ties to the body listed first).
 */
import { Dec, allocateFen, sumFen, type Fen } from '../money';
import type { FundingShare } from './policy';
import type { BodyAmount } from './types';

/**
 * A split prepared once per run: the decimal shares become integer weights, so splitting each of 100,000 lines is
 * pure bigint work. Gives exactly what `allocateFen(amount, shares)` gives (largest remainder, ties to the first
 * listed); `split.test.ts` checks the two agree.
 */
export class Splitter {
  private readonly weights: bigint[];
  private readonly weightTotal: bigint;

  constructor(readonly split: readonly FundingShare[]) {
    if (split.length === 0) throw new RangeError('a split needs at least one body');
    const decimals = split.map((share) => new Dec(share.share));
    const places = Math.max(0, ...decimals.map((share) => share.decimalPlaces()));
    const scale = new Dec(10).pow(places);
    this.weights = decimals.map((share) => BigInt(share.times(scale).toFixed(0)));
    this.weightTotal = this.weights.reduce((a, b) => a + b, 0n);
    if (this.weightTotal <= 0n || this.weights.some((weight) => weight < 0n)) throw new RangeError('split shares must be >= 0 with one above 0');
  }

  apply(amountFen: Fen): BodyAmount[] {
    const split = this.split;
    if (split.length === 1) return [{ body: split[0]!.body, amountFen }];
    if (amountFen < 0n) return this.apply(-amountFen).map((share) => ({ body: share.body, amountFen: -share.amountFen }));
    const count = split.length;
    const parts = new Array<bigint>(count);
    const remainders = new Array<bigint>(count);
    let leftover = amountFen;
    for (let i = 0; i < count; i += 1) {
      const product = amountFen * this.weights[i]!;
      parts[i] = product / this.weightTotal;
      remainders[i] = product % this.weightTotal;
      leftover -= parts[i]!;
    }
    // Largest remainder first, ties to the body listed first.
    while (leftover > 0n) {
      let best = -1;
      for (let i = 0; i < count; i += 1) {
        if (remainders[i]! >= 0n && (best < 0 || remainders[i]! > remainders[best]!)) best = i;
      }
      parts[best] = parts[best]! + 1n;
      remainders[best] = -1n; // each body gets at most one left-over fen
      leftover -= 1n;
    }
    return split.map((share, index) => ({ body: share.body, amountFen: parts[index]! }));
  }
}

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
