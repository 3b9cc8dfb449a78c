/**
 * Stage 7 — no double support at one fiscal level, take the higher (袁府办字〔2023〕25号 奖励认定1 "就高不就低";
 * 《关于全面加强知识产权工作的实施意见》 § 21 "同一级别不重复奖励…就高不重复"): support the same loan already received from
 * another programme of the same fiscal level is deducted from its amount, never below zero, so the enterprise ends up
 * with the higher of the two, never both. The versions in force deduct it after the caps (docs/subsidy-rules.md "Caps"
 * 3); versions recorded with `before_caps` keep that order, so their runs recompute as they were made.
 */
import { sumFen, type Fen } from '../../money';
import type { InterestLine, RunInput, RunOtherSupport } from '../types';
import { requireFen, type RunContext } from './context';
import { adjust, compareFen, compareStrings, yuan, type LineWork } from './trace';

/** The other support of the run's loans at the policy's fiscal levels (and of the run's year, when dated), by loan. */
export function indexOtherSupport(ctx: RunContext, input: Pick<RunInput, 'otherSupport'>): Map<string, RunOtherSupport[]> {
  const byLoan = new Map<string, RunOtherSupport[]>();
  const rule = ctx.p.noDoubleSupport.value;
  if (!rule) return byLoan;
  input.otherSupport.forEach((support, position) => {
    requireFen(support.amountFen, `otherSupport.${position}.amountFen`);
    if (!rule.fiscalLevels.includes(support.fiscalLevel)) return;
    if (support.year !== undefined && support.year !== ctx.year) return;
    let list = byLoan.get(support.loanId);
    if (!list) byLoan.set(support.loanId, (list = []));
    list.push(support);
  });
  for (const list of byLoan.values()) {
    list.sort((a, b) => compareStrings(a.programme, b.programme) || compareStrings(a.fiscalLevel, b.fiscalLevel) || compareFen(a.amountFen, b.amountFen));
  }
  return byLoan;
}

/** What this run pays of `ownFen` when `otherFen` was received already: the excess, never below zero. */
export function excessOver(ownFen: Fen, otherFen: Fen): Fen {
  return ownFen > otherFen ? ownFen - otherFen : 0n;
}

/** Deducts other support from each eligible interest line, when the policy deducts it at `stage`. */
export function applyOtherSupport(
  ctx: RunContext,
  eligible: readonly LineWork[],
  byLoan: ReadonlyMap<string, RunOtherSupport[]>,
  stage: 'before_caps' | 'after_caps',
): void {
  const p = ctx.p;
  const rule = p.noDoubleSupport.value;
  if (!rule || rule.stage !== stage) return;
  for (const work of eligible) {
    const others = byLoan.get((work.line as InterestLine).loanId);
    if (!others || others.length === 0) continue;
    work.notes.use('noDoubleSupport', p.noDoubleSupport);
    const otherFen = sumFen(others.map((other) => other.amountFen));
    const listed = others.map((other) => `${other.programme} (${other.fiscalLevel}) ${yuan(other.amountFen)}`).join('; ');
    adjust(
      work,
      'other_support_same_level',
      p.noDoubleSupport.reference,
      excessOver(work.amountFen, otherFen),
      `already received at the same fiscal level: ${listed}; total ${yuan(otherFen)}; this run pays only the excess of its own amount ${stage === 'after_caps' ? 'after the caps ' : ''}${yuan(work.amountFen)} over it, never below zero (take the higher)`,
    );
  }
}
