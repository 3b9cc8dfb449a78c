/**
 * The run's closing checks (asserted on the way out, and each group cap where it is applied): the shares of a line add
 * up to the line, the lines of a cap group to at most the cap (exactly the capped total when it is applied), the lines
 * to the run's total and the bodies' totals to the same total, a body's shares to its total, and a budget is never
 * exceeded. The exact splits (`allocateFen`, `Splitter`) guarantee each of these by construction; these checks make a
 * mistake in a stage fail loudly instead of storing figures that do not add up. A failure is a bug, not bad input: it
 * throws `RunInvariantError` (an internal error, never a client's), naming the line or group.
 */
import { sumFen, type Fen } from '../../money';
import type { AdjustmentStep, RunResult } from '../types';
import type { LineWork } from './trace';

export class RunInvariantError extends Error {
  constructor(message: string) {
    super(`subsidy run invariant violated: ${message}`);
    this.name = 'RunInvariantError';
  }
}

export interface CapGroupRecord {
  step: AdjustmentStep;
  key: string;
  capFen: Fen;
  totalBeforeFen: Fen;
  /** min(total before, cap). */
  totalAfterFen: Fen;
  lines: readonly LineWork[];
}

/** Right after a group cap: its lines add up to the capped total, which is min(total before, cap). */
export function assertGroupCapped(group: CapGroupRecord): void {
  const sum = sumFen(group.lines.map((work) => work.amountFen));
  const expected = group.totalBeforeFen < group.capFen ? group.totalBeforeFen : group.capFen;
  if (sum !== group.totalAfterFen || group.totalAfterFen !== expected) {
    throw new RunInvariantError(`${group.step} group ${group.key.replace('\u0000', ' ')}: its lines add up to ${sum} fen, the capped total is ${group.totalAfterFen} fen, min(total ${group.totalBeforeFen}, cap ${group.capFen}) = ${expected} fen`);
  }
}

/** On the way out of a run (see the module comment). */
export function assertRunClosed(result: RunResult, groups: readonly CapGroupRecord[]): void {
  const byBody = new Map<string, Fen>();
  let linesTotal = 0n;
  for (const lines of [result.lines, result.supportLines] as const) {
    for (const line of lines) {
      let shares = 0n;
      let negative = line.amountFen < 0n;
      for (const share of line.shares) {
        shares += share.amountFen;
        if (share.amountFen < 0n) negative = true;
        byBody.set(share.body, (byBody.get(share.body) ?? 0n) + share.amountFen);
      }
      if (shares !== line.amountFen) throw new RunInvariantError(`line ${line.lineId}: its shares add up to ${shares} fen, the line is ${line.amountFen} fen`);
      if (negative) throw new RunInvariantError(`line ${line.lineId}: a negative amount`);
      if (!line.eligible && line.amountFen !== 0n) throw new RunInvariantError(`line ${line.lineId} is ineligible but pays ${line.amountFen} fen`);
      linesTotal += line.amountFen;
    }
  }
  for (const group of groups) {
    const sum = sumFen(group.lines.map((work) => work.line.amountFen));
    if (sum > group.capFen) throw new RunInvariantError(`${group.step} group ${group.key.replace('\u0000', ' ')}: its lines pay ${sum} fen, above the cap ${group.capFen} fen`);
  }
  if (linesTotal !== result.totalFen) throw new RunInvariantError(`the lines add up to ${linesTotal} fen, the run's total is ${result.totalFen} fen`);
  const bodiesTotal = sumFen(result.totals.map((total) => total.amountFen));
  if (bodiesTotal !== result.totalFen) throw new RunInvariantError(`the bodies' totals add up to ${bodiesTotal} fen, the run's total is ${result.totalFen} fen`);
  for (const total of result.totals) {
    const shares = byBody.get(total.body) ?? 0n;
    if (shares !== total.amountFen) throw new RunInvariantError(`body ${total.body}: its shares add up to ${shares} fen, its total is ${total.amountFen} fen`);
  }
  for (const budget of result.budget) {
    const paid = byBody.get(budget.body) ?? 0n;
    if (paid > budget.budgetFen) throw new RunInvariantError(`body ${budget.body}: its shares add up to ${paid} fen, above its budget ${budget.budgetFen} fen`);
  }
}
