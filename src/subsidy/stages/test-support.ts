/** Builds a stage's inputs the way `computeRun` does, for the stages' own tests. */
import type { Policy } from '../policy';
import { runInput } from '../test-fixtures';
import type { InterestLine, RunInput } from '../types';
import { prepareContext, type RunContext } from './context';
import { indexSources, type RunSources } from './loan';
import { TraceNotes, type LineWork } from './trace';

export function stageInputs(policy: Policy, year: number, fields: Partial<RunInput> = {}, explain = false): { ctx: RunContext; sources: RunSources; input: RunInput } {
  const input = runInput(policy, year, fields);
  const ctx = prepareContext(input, { explain });
  return { ctx, sources: indexSources(ctx, input), input };
}

/** An eligible interest line of `amountFen` for the caps' and splits' tests. */
export function lineWork(ctx: RunContext, loanId: string, uscc: string, amountFen: bigint, rightType: InterestLine['rightType'] = 'patent'): LineWork {
  const root = ctx.caches.notesRoot;
  const line: InterestLine = {
    kind: 'interest',
    lineId: `interest:${loanId}`,
    loanId,
    enterpriseUscc: uscc,
    rightType,
    amountFen: 0n,
    shares: [],
    eligible: true,
    reasons: [],
    trace: { policy: ctx.shared.policy, run: ctx.shared.run, clauses: [], adjustments: [], interpretations: [], reasons: [] },
  };
  return {
    line,
    notes: new TraceNotes(root),
    amountFen,
    beforeEnterpriseCapsFen: amountFen,
    approvedFen: amountFen,
    splitter: ctx.fundingSplitter!,
    splitReference: ctx.p.fundingSplit.reference,
  };
}
