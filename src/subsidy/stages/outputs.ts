/**
 * The run's result from its lines: the totals per funding body (in the order the policy lists its bodies) and in all,
 * the assets of the loans the run pays (for the same-asset rule of later runs), and every list in a stable order.
 */
import { sumFen, type Fen } from '../../money';
import type { InterestLine, RunLoan, RunResult, RunSubsidisedAsset, SupportKind, SupportLine } from '../types';
import type { ContributionStage } from './contribution';
import { RIGHT_TYPE_ORDER, type RunContext } from './context';
import { SUPPORT_KIND_ORDER } from './support-lines';
import { compareStrings, type LineWork } from './trace';

export interface RunLines {
  interest: readonly LineWork[];
  support: readonly LineWork[];
  contribution: ContributionStage;
  budget: RunResult['budget'];
  loansById: ReadonlyMap<string, RunLoan>;
}

export function runResult(ctx: RunContext, lines: RunLines): RunResult {
  const p = ctx.p;
  const all = [...lines.interest, ...lines.support, ...lines.contribution.carriedWork];
  const bodyOrder: string[] = [];
  const addBodies = (split: readonly { body: string }[]) => {
    for (const share of split) if (!bodyOrder.includes(share.body)) bodyOrder.push(share.body);
  };
  addBodies(p.fundingSplit.value ?? []);
  if (p.feeSupport.value) addBodies(p.feeSupport.value.fundingSplit);
  if (p.premiumSupport.value) addBodies(p.premiumSupport.value.fundingSplit);
  const totalsByBody = new Map<string, Fen>();
  for (const work of all) {
    addBodies(work.line.shares);
    for (const share of work.line.shares) totalsByBody.set(share.body, (totalsByBody.get(share.body) ?? 0n) + share.amountFen);
  }

  const subsidisedAssets: RunSubsidisedAsset[] = [];
  for (const work of lines.interest) {
    if (!work.line.eligible || work.approvedFen === 0n) continue;
    const loan = work.loan ?? lines.loansById.get((work.line as InterestLine).loanId)!;
    const pledges =
      loan.pledges.length === 1
        ? ctx.eligibleTypes.has(loan.pledges[0]!.rightType) ? loan.pledges : []
        : loan.pledges
            .filter((pledge) => ctx.eligibleTypes.has(pledge.rightType))
            .sort((a, b) => RIGHT_TYPE_ORDER[a.rightType] - RIGHT_TYPE_ORDER[b.rightType] || compareStrings(a.number, b.number));
    for (const pledge of pledges) subsidisedAssets.push({ rightType: pledge.rightType, number: pledge.number, year: ctx.year, loanId: loan.loanId });
  }

  const supportLines = [...lines.support, ...lines.contribution.carriedWork]
    .map((work) => work.line as SupportLine)
    .sort(
      (a, b) =>
        compareStrings(a.enterpriseUscc, b.enterpriseUscc) ||
        SUPPORT_KIND_ORDER[a.kind as SupportKind] - SUPPORT_KIND_ORDER[b.kind as SupportKind] ||
        (a.originYear ?? 0) - (b.originYear ?? 0) ||
        compareStrings(a.lineId, b.lineId),
    );
  const { carryOut, lapsed, contributions } = lines.contribution;
  carryOut.sort((a, b) => compareStrings(a.uscc, b.uscc) || a.originYear - b.originYear);
  lapsed.sort((a, b) => compareStrings(a.uscc, b.uscc) || a.originYear - b.originYear);

  return {
    policy: { id: ctx.policy.id, version: ctx.policy.version },
    year: ctx.year,
    lines: lines.interest.map((work) => work.line as InterestLine),
    supportLines,
    totals: bodyOrder.map((body) => ({ body, amountFen: totalsByBody.get(body) ?? 0n })),
    totalFen: sumFen(all.map((work) => work.line.amountFen)),
    carryOut,
    lapsed,
    contributions,
    budget: lines.budget,
    subsidisedAssets,
  };
}
