/**
 * Eligibility, explained: for one enterprise, one policy and one year, every condition the run's stages state — met
 * or missed, with its clause and, when missed, what would meet it — without creating a run (docs/subsidy-rules.md
 * "Eligibility, explained"). Pure, like `computeRun`, and made of the same stages (stages/), so the answer and the
 * run cannot disagree: a loan is eligible here exactly when its line in the year's run is, its missed conditions are
 * the line's reasons, and its `estimate` is the line's amount before the enterprise caps.
 *
 * Unlike a run, an explanation also answers for an enterprise outside the policy's area (the jurisdiction condition
 * missed, and the loans' own conditions still checked), for a loan not settled yet under a policy that pays loans in
 * the year they are settled, for a policy with a parameter still UNSET and for a loan whose rate fixing is missing
 * (both: no estimate, and the condition says what staff must record). After the loans come the limits of the
 * enterprise as a whole (the enterprise caps, other support, the contribution cap), computed by the same stages.
 */
import { formatYuan, sumFen, type Fen } from '../money';
import type { Condition, ConditionCode } from './stages/conditions';
import { prepareContext } from './stages/context';
import { applyContributionCap } from './stages/contribution';
import { checkEnterprise } from './stages/enterprise';
import { applyEnterpriseCaps } from './stages/enterprise-caps';
import { evaluateLoan, indexSources, type LoanEvaluation } from './stages/loan';
import { applyOtherSupport, excessOver } from './stages/other-support';
import { supportLines } from './stages/support-lines';
import { compareStrings, type LineWork } from './stages/trace';
import type { InterestLine, LineTrace, ReasonParams, RunInput, RunLoan } from './types';

/** Limits: what caps or reduces an eligible loan's amount; they never make it ineligible. */
export const LIMIT_CODES = [
  'cap_per_loan',
  'other_support_same_level',
  'cap_per_enterprise_right_type_year',
  'cap_per_enterprise_year',
  'cap_per_enterprise_cumulative',
  'contribution_cap',
] as const;
export type LimitCode = (typeof LIMIT_CODES)[number];

/** A condition or a limit as the answer states it: `met` false on a limit means it cuts the amount. */
export interface ExplainedCondition extends Omit<Condition, 'code'> {
  code: ConditionCode | LimitCode;
  kind: 'eligibility' | 'limit';
}

export interface LoanEligibility {
  loanId: string;
  bankId: string;
  contractNo: string;
  eligible: boolean;
  /** What the loan gets in the year's run before the enterprise caps; 0 when ineligible, null when not computable. */
  estimateFen: Fen | null;
  conditions: ExplainedCondition[];
  /** The line's trace as the run would write it up to the enterprise caps. */
  trace: LineTrace;
}

export interface PolicyEligibility {
  policyId: string;
  version: number;
  title: string;
  documentNo: string;
  /** The enterprise meets the policy's own conditions on it: jurisdiction, legal form and operation, no exclusion. */
  applies: boolean;
  /** The policy's conditions on the enterprise, then the limits on the enterprise as a whole. */
  conditions: ExplainedCondition[];
  loans: LoanEligibility[];
  /** Σ the loans' estimates (before the enterprise caps); null when one could not be computed. */
  estimateFen: Fen | null;
  /** What the enterprise's interest lines come to after the caps, other support and the contribution cap (before a budget). */
  afterLimitsFen: Fen | null;
}

/** A stage's condition as the answer states it (fields copied by name: a spread of these varied shapes is slow). */
function eligibility(condition: Condition): ExplainedCondition {
  const explained: ExplainedCondition = {
    code: condition.code,
    kind: 'eligibility',
    met: condition.met,
    reference: condition.reference,
    message: condition.message,
    params: condition.params,
    toMeet: condition.toMeet,
  };
  if (condition.toMeetParams) explained.toMeetParams = condition.toMeetParams;
  return explained;
}

function limit(code: LimitCode, reference: string, met: boolean, message: string, params: ReasonParams, toMeet: string | null): ExplainedCondition {
  return { code, kind: 'limit', met, reference, message, params, toMeet };
}

/** The policy's answer for enterprise `uscc` (the input holds that enterprise's loans and inputs, as for a run). */
export function explainEligibility(input: RunInput, uscc: string): PolicyEligibility {
  const ctx = prepareContext(input, { explain: true });
  const p = ctx.p;
  const sources = indexSources(ctx, input);
  const policyConditions: ExplainedCondition[] = [];
  if (ctx.unset.length > 0) {
    const named = ctx.unset.map((name) => `${name} (${p[name].reference})`).join(', ');
    policyConditions.push({
      code: 'parameters_set',
      kind: 'eligibility',
      met: false,
      reference: ctx.unset.map((name) => p[name].reference).join('; '),
      message: `the policy's parameter${ctx.unset.length > 1 ? 's' : ''} ${named} ${ctx.unset.length > 1 ? 'are' : 'is'} not set: no amount can be computed`,
      params: { parameters: ctx.unset.join(', ') },
      toMeet: `staff set ${ctx.unset.join(', ')} in a new version of the policy (the document leaves ${ctx.unset.length > 1 ? 'them' : 'it'} to the local authority)`,
    });
  }
  policyConditions.push(eligibility(sources.jurisdiction.condition(uscc)));
  const enterprise = checkEnterprise(ctx, sources.records, uscc);
  policyConditions.push(...enterprise.conditions.map(eligibility));
  const applies = policyConditions.every((condition) => condition.met || condition.code === 'parameters_set');

  const loans = input.loans.filter((loan) => loan.enterpriseUscc === uscc).sort((a, b) => compareStrings(a.loanId, b.loanId));
  const evaluations: Array<{ loan: RunLoan; evaluation: LoanEvaluation }> = [];
  for (const loan of loans) {
    const evaluation = evaluateLoan(ctx, sources, loan);
    if (evaluation) evaluations.push({ loan, evaluation });
  }
  const eligible = evaluations.filter(({ evaluation }) => evaluation.work.line.eligible && evaluation.computed).map(({ evaluation }) => evaluation.work);

  // The run's order from here: other support before the caps (versions recorded so), the enterprise caps, after them.
  applyOtherSupport(ctx, eligible, sources.otherSupport, 'before_caps');
  for (const work of eligible) work.beforeEnterpriseCapsFen = work.amountFen;
  const computable = ctx.unset.length === 0 && evaluations.every(({ evaluation }) => !evaluation.uncomputable);

  const answerLoans = evaluations.map(({ loan, evaluation }): LoanEligibility => {
    const work = evaluation.work;
    const conditions = evaluation.conditions.map(eligibility);
    if (evaluation.computed) conditions.push(...loanLimits(input, work, sources.otherSupport.get(loan.loanId) ?? []));
    const line = work.line as InterestLine;
    return {
      loanId: loan.loanId,
      bankId: loan.bankId,
      contractNo: loan.contractNo,
      eligible: line.eligible,
      estimateFen: evaluation.uncomputable ? null : line.eligible ? work.beforeEnterpriseCapsFen : 0n,
      conditions,
      trace: line.trace,
    };
  });

  let afterLimitsFen: Fen | null = null;
  if (applies && computable) {
    const groups = applyEnterpriseCaps(ctx, eligible, sources.cumulativePaid);
    for (const group of groups) {
      const [groupUscc, rightType] = group.key.split('\u0000');
      const parameter = group.step === 'cap_per_enterprise_right_type_year' ? p.capPerEnterpriseRightTypeYear : group.step === 'cap_per_enterprise_year' ? p.capPerEnterpriseYear : p.capPerEnterpriseCumulative;
      const what = rightType ? `of right type ${rightType} in ${ctx.year}` : group.step === 'cap_per_enterprise_cumulative' ? 'left under the cumulative cap' : `in ${ctx.year}`;
      const cutFen = group.totalBeforeFen - group.totalAfterFen;
      const params = { uscc: groupUscc!, ...(rightType ? { rightType } : {}), year: ctx.year, total: formatYuan(group.totalBeforeFen), cap: formatYuan(group.capFen), cut: formatYuan(cutFen), loans: group.lines.length };
      policyConditions.push(
        limit(
          group.step as LimitCode,
          parameter.reference,
          cutFen === 0n,
          cutFen === 0n
            ? `the enterprise's ${group.lines.length} eligible loan(s) ${what} total ${formatYuan(group.totalBeforeFen)}, within the cap ${formatYuan(group.capFen)}`
            : `the enterprise's ${group.lines.length} eligible loan(s) ${what} total ${formatYuan(group.totalBeforeFen)}, above the cap ${formatYuan(group.capFen)}: the run cuts ${formatYuan(cutFen)}, shared among them in proportion to their amounts`,
          params,
          cutFen === 0n ? null : `none: the policy pays at most ${formatYuan(group.capFen)} here; the cut is shared among the loans in proportion to their amounts`,
        ),
      );
    }
    applyOtherSupport(ctx, eligible, sources.otherSupport, 'after_caps');
    for (const work of eligible) work.approvedFen = work.amountFen;
    const support = supportLines({ ctx, jurisdiction: sources.jurisdiction, records: sources.records, loansById: new Map(loans.map((loan) => [loan.loanId, loan])) }, input);
    if (p.contributionCap.value && ctx.fundingSplitter) {
      const stage = applyContributionCap(ctx, input, sources.records, [...eligible, ...support]);
      const summary = stage.contributions.find((entry) => entry.uscc === uscc);
      if (summary) policyConditions.push(contributionLimit(ctx.year, p.contributionCap.reference, summary, p.contributionCap.value.carryForwardYears));
    }
    afterLimitsFen = sumFen(eligible.map((work) => work.amountFen));
  }

  return {
    policyId: ctx.policy.id,
    version: ctx.policy.version,
    title: ctx.policy.title,
    documentNo: ctx.policy.documentNo,
    applies,
    conditions: policyConditions,
    loans: answerLoans,
    estimateFen: computable ? sumFen(answerLoans.map((loan) => loan.estimateFen ?? 0n)) : null,
    afterLimitsFen,
  };
}

/** The per-loan limits: the window cap (already in the estimate) and other support (deducted after the caps). */
function loanLimits(input: RunInput, work: LineWork, others: ReadonlyArray<{ programme: string; fiscalLevel: string; amountFen: Fen }>): ExplainedCondition[] {
  const p = input.policy.parameters;
  const limits: ExplainedCondition[] = [];
  const windowCap = work.line.trace.windowCap;
  if (windowCap) {
    const roundedFen = BigInt(work.line.trace.amountRoundedFen ?? '0');
    const partFen = BigInt(windowCap.partFen);
    const earlierFen = BigInt(windowCap.earlierFen ?? '0');
    const params = { cap: formatYuan(BigInt(windowCap.capFen)), amount: formatYuan(roundedFen), earlier: formatYuan(earlierFen), part: formatYuan(partFen) };
    limits.push(
      limit(
        'cap_per_loan',
        windowCap.reference,
        partFen === roundedFen,
        partFen === roundedFen
          ? `at most ${params.cap} per loan over its whole window: this year's ${params.amount} is within it`
          : `at most ${params.cap} per loan over its whole window: the earlier years of the window come to ${params.earlier}, so this year pays ${params.part} of its ${params.amount}`,
        params,
        partFen === roundedFen ? null : `none: the policy pays at most ${params.cap} per loan over its whole window`,
      ),
    );
  }
  const rule = p.noDoubleSupport.value;
  if (rule) {
    const otherFen = sumFen(others.map((other) => other.amountFen));
    const programmes = others.map((other) => `${other.programme} (${other.fiscalLevel}) ${formatYuan(other.amountFen)}`).join('; ');
    const params = { other: formatYuan(otherFen), programmes, fiscalLevels: rule.fiscalLevels.join(', ') };
    limits.push(
      limit(
        'other_support_same_level',
        p.noDoubleSupport.reference,
        others.length === 0,
        others.length === 0
          ? `no support from another programme at the same fiscal level (${params.fiscalLevels}) is recorded for the loan`
          : `already received at the same fiscal level: ${programmes}; the run pays only the excess of its own amount ${rule.stage === 'after_caps' ? 'after the caps ' : ''}over ${params.other} (take the higher): ${formatYuan(excessOver(work.beforeEnterpriseCapsFen, otherFen))} before the enterprise caps`,
        params,
        others.length === 0 ? null : `none: support already received at the same fiscal level is deducted, so the enterprise gets the higher of the two`,
      ),
    );
  }
  return limits;
}

function contributionLimit(
  year: number,
  reference: string,
  summary: { contributionFen: Fen | null; currentDueFen: Fen; currentPaidFen: Fen },
  carryForwardYears: number,
): ExplainedCondition {
  const cutFen = summary.currentDueFen - summary.currentPaidFen;
  const params: ReasonParams = {
    year,
    due: formatYuan(summary.currentDueFen),
    paid: formatYuan(summary.currentPaidFen),
    cut: formatYuan(cutFen),
    ...(summary.contributionFen === null ? {} : { contribution: formatYuan(summary.contributionFen) }),
    carriedTo: `${year + 1}–${year + carryForwardYears}`,
  };
  if (summary.contributionFen === null) {
    return limit('contribution_cap', reference, true, `no local contribution is entered for ${year}: no contribution cap applies`, params, null);
  }
  if (cutFen === 0n) {
    return limit('contribution_cap', reference, true, `the support of ${year}, ${params.due}, is within the local contribution ${params.contribution}`, params, null);
  }
  return limit(
    'contribution_cap',
    reference,
    false,
    `the support of ${year}, ${params.due}, is above what the local contribution ${params.contribution} leaves (${params.paid}): ${params.cut} is carried to ${params.carriedTo}`,
    params,
    `none: the excess is paid in ${params.carriedTo} within those years' contributions; if the contribution entered for ${year} is wrong, staff enter the right one`,
  );
}
