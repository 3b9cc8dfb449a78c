/**
 * Caps on rounded amounts (docs/subsidy-rules.md "Caps"): a cap applies to the sum of a group of lines (an enterprise's loans in
 * the run, or those of one right type); the cut is shared among the lines in proportion to their rounded amounts with
 * the exact split (`allocateFen`: largest remainder, ties to the line listed first), so the capped lines still add
 * up to the capped total.
 */
import { allocateFen, sumFen, type Fen } from '../money';

export interface GroupCap {
  amountsFen: Fen[];
  cutsFen: Fen[];
  totalBeforeFen: Fen;
  totalAfterFen: Fen;
  cutFen: Fen;
}

/** Caps the sum of `amountsFen` (each ≥ 0, in a stable order) at `capFen` (≥ 0). */
export function capGroup(amountsFen: readonly Fen[], capFen: Fen): GroupCap {
  if (capFen < 0n) throw new RangeError('a cap is never negative');
  const totalBeforeFen = sumFen(amountsFen);
  if (totalBeforeFen <= capFen) {
    return { amountsFen: [...amountsFen], cutsFen: amountsFen.map(() => 0n), totalBeforeFen, totalAfterFen: totalBeforeFen, cutFen: 0n };
  }
  const cutFen = totalBeforeFen - capFen;
  // cut < total, so each line's part of the cut is below (or, when the cap is zero, equal to) its amount.
  const cutsFen = allocateFen(cutFen, amountsFen);
  const capped = amountsFen.map((amount, index) => amount - cutsFen[index]!);
  return { amountsFen: capped, cutsFen, totalBeforeFen, totalAfterFen: capFen, cutFen };
}
