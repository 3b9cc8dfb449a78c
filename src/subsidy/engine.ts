/**
 * The pure computation of a yearly subsidy run (docs/subsidy-rules.md). Plain data in, plain data out: no database,
 * no clock, no I/O. The same input, in any order, gives the same output: every list is put in a stable order (loan
 * id, USCC, kind, year) before anything depends on order.
 *
 * `computeRun` only decides the order of the stages; each stage is a module of its own under `stages/`, with an
 * explicit input, its own tests and its own part of the trace:
 *   1. jurisdiction (`jurisdiction.ts`) and the enterprise's own conditions (`enterprise.ts`);
 *   2. per loan (`loan.ts`): its facts, its conditions (`loan-conditions.ts`), window and segments (`window.ts`);
 *   3. rate (`rate.ts`); 4. amount, rounded once (`amount.ts`); 5. the per-loan window cap (`loan-cap.ts`);
 *   6. the enterprise caps (`enterprise-caps.ts`), each cut shared among the enterprise's loans;
 *   7. other support at the same fiscal level, after the caps (`other-support.ts`, take the higher);
 *   8. fee and premium support lines (`support-lines.ts`);
 *   9. the contribution cap with carry-forward (`contribution.ts`);
 *  10. the funding split (`funding-split.ts`); 11. the budget (`budget.ts`);
 * then the closing checks (`invariants.ts`). The run's caches live in `context.ts`.
 */
import { applyBudgets } from './stages/budget';
import { invalid, prepareContext, type RunContext } from './stages/context';
import { applyContributionCap } from './stages/contribution';
import { applyEnterpriseCaps } from './stages/enterprise-caps';
import { splitLines } from './stages/funding-split';
import { assertRunClosed } from './stages/invariants';
import { evaluateLoan, indexSources, type RunSources } from './stages/loan';
import { applyOtherSupport } from './stages/other-support';
import { runResult } from './stages/outputs';
import { supportLines } from './stages/support-lines';
import { compareStrings, type LineWork } from './stages/trace';
import type { RunInput, RunLoan, RunResult } from './types';

export interface ComputeOptions {
  /**
   * Each line's trace in full (the default: a run stores it). False: the same result, amounts, shares, reasons and
   * adjustments, without the per-line text of the trace (stages/context.ts `traces`): a reform simulation showing
   * no trace computes two runs at once this way.
   */
  traces?: boolean;
}

/** The loans by loan id: as given when they already are (a load reads them so), else a sorted copy. */
function inLoanIdOrder(loans: readonly RunLoan[]): readonly RunLoan[] {
  for (let i = 1; i < loans.length; i += 1) {
    if (loans[i - 1]!.loanId > loans[i]!.loanId) return [...loans].sort((a, b) => compareStrings(a.loanId, b.loanId));
  }
  return loans;
}

/** The loans fee support reads, by id (a binary search in the loans in loan-id order, not a map of every loan). */
function loansOfFees(loans: readonly RunLoan[], fees: RunInput['fees']): Map<string, RunLoan> {
  const byId = new Map<string, RunLoan>();
  for (const fee of fees) {
    if (byId.has(fee.loanId)) continue;
    let low = 0;
    let high = loans.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const id = loans[middle]!.loanId;
      if (id === fee.loanId) {
        byId.set(id, loans[middle]!);
        break;
      }
      if (id < fee.loanId) low = middle + 1;
      else high = middle - 1;
    }
  }
  return byId;
}

export function computeRun(input: RunInput, options: ComputeOptions = {}): RunResult {
  const computation = new RunComputation(input, options);
  computation.add(inLoanIdOrder(input.loans));
  return computation.finish();
}

/**
 * `computeRun` a batch of loans at a time, as a load reads them (src/subsidy/runs/load.ts `onLoans`): stages 1–5 of
 * each batch's loans while the next batch is read, the rest at `finish`. The loans come in loan-id order across the
 * batches (a load reads them so); given out of order, they are all evaluated again at `finish`, sorted, on a fresh
 * context, as `computeRun` would. The result is `computeRun`'s for the input with all the loans added.
 */
export class RunComputation {
  private readonly ctx: RunContext;
  private readonly sources: RunSources;
  private readonly interest: LineWork[] = [];
  private readonly loans: RunLoan[] = [];
  private inOrder = true;

  /** `input` without its loans, which `add` gives (its own `loans` are not read). */
  constructor(
    private readonly input: RunInput,
    private readonly options: ComputeOptions = {},
  ) {
    this.ctx = prepareContext(input, { explain: false, traces: options.traces ?? true });
    this.sources = indexSources(this.ctx, input);
  }

  /** 1–5, per loan in loan-id order: a line for each loan the year is attributed to, eligible or not. */
  add(loans: readonly RunLoan[]): void {
    for (const loan of loans) {
      const position = this.loans.length;
      const previous = this.loans[position - 1];
      this.loans.push(loan);
      if (!this.inOrder) continue;
      if (previous && previous.loanId >= loan.loanId) {
        // In loan-id order a loan listed twice is next to itself.
        if (previous.loanId === loan.loanId) throw invalid(`loans.${position}.loanId`, `loan ${loan.loanId} is listed twice`);
        this.inOrder = false;
        continue;
      }
      const evaluation = evaluateLoan(this.ctx, this.sources, loan);
      if (evaluation) this.interest.push(evaluation.work);
    }
  }

  finish(): RunResult {
    if (!this.inOrder) return computeRun({ ...this.input, loans: this.loans }, this.options);
    const { ctx, sources, interest, loans } = this;
    const input: RunInput = { ...this.input, loans };
    const eligible = interest.filter((work) => work.line.eligible);

    // 6–7 on rounded amounts (versions recorded with other support before the caps keep that order).
    applyOtherSupport(ctx, eligible, sources.otherSupport, 'before_caps');
    for (const work of eligible) work.beforeEnterpriseCapsFen = work.amountFen;
    const capGroups = applyEnterpriseCaps(ctx, eligible, sources.cumulativePaid);
    applyOtherSupport(ctx, eligible, sources.otherSupport, 'after_caps');
    for (const work of eligible) work.approvedFen = work.amountFen;

    // 8–11.
    const loansById = loansOfFees(loans, input.fees);
    const support = supportLines({ ctx, jurisdiction: sources.jurisdiction, records: sources.records, loansById }, input);
    const contribution = applyContributionCap(ctx, input, sources.records, [...interest, ...support]);
    const all = [...interest, ...support, ...contribution.carriedWork];
    splitLines(all, ctx.traces);
    const budget = applyBudgets(all, input.budget);
    if (ctx.traces) for (const work of all) work.notes.writeTo(work.line.trace);

    const result = runResult(ctx, { interest, support, contribution, budget, loansById });
    assertRunClosed(result, capGroups);
    return result;
  }
}
