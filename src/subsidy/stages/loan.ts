/**
 * One loan through its stages, in order: jurisdiction (1a) and the enterprise's own conditions (1b), the loan's facts
 * (2a) and conditions (2b), window and segments (2c), then — for an eligible loan — rate (3), amount (4) and the
 * per-loan window cap (5). The result is the loan's line as the enterprise caps find it, with every condition the
 * stages stated: a run keeps the missed ones as the line's reasons, an explanation shows them all.
 */
import type { Fen } from '../../money';
import type { InterestLine, LineTrace, RunEnterprise, RunInput, RunLoan, RunOtherSupport, RunSubsidisedAsset, TraceInterpretation } from '../types';
import { SubsidyError } from '../errors';
import { amountOf } from './amount';
import { ConditionSink, reasonsOf, type Condition } from './conditions';
import type { RunContext } from './context';
import { EnterpriseRecords, checkEnterprise, type EnterpriseCheck } from './enterprise';
import { indexCumulativePaid } from './enterprise-caps';
import { Jurisdiction, indexEnterprises } from './jurisdiction';
import { applyWindowCap, prepareWindowCap } from './loan-cap';
import { fixingCondition, indexPriorAssets, repaidOnTimeConditions, rightTypeCondition, rightTypeOf, sameAssetCondition, shareOf, sortedPledges } from './loan-conditions';
import { loanFacts } from './loan-facts';
import { indexOtherSupport } from './other-support';
import { rateOf } from './rate';
import { TraceNotes, type LineWork } from './trace';
import { attribute, outstandingCondition, settledInYearCondition, walkBase, windowTrace } from './window';

/** The run's inputs besides the loans, indexed once: what the stages look things up in. */
export interface RunSources {
  enterprises: ReadonlyMap<string, RunEnterprise>;
  jurisdiction: Jurisdiction;
  records: EnterpriseRecords;
  otherSupport: ReadonlyMap<string, RunOtherSupport[]>;
  priorAssets: ReadonlyMap<string, RunSubsidisedAsset[]>;
  cumulativePaid: ReadonlyMap<string, Fen>;
}

export function indexSources(ctx: RunContext, input: RunInput): RunSources {
  const enterprises = indexEnterprises(input);
  return {
    enterprises,
    jurisdiction: new Jurisdiction(ctx, enterprises),
    records: new EnterpriseRecords(ctx, input),
    otherSupport: indexOtherSupport(ctx, input),
    priorAssets: indexPriorAssets(ctx, input.priorSubsidisedAssets),
    cumulativePaid: indexCumulativePaid(input),
  };
}

export interface LoanEvaluation {
  work: LineWork;
  /** The enterprise's conditions (shared by its loans). */
  enterprise: EnterpriseCheck;
  /** The loan's own conditions, in the order stated (a run: the missed ones only). */
  conditions: Condition[];
  /** Whether the amount was computed (eligible, and in an explanation the policy's parameters and rate known). */
  computed: boolean;
  /** An explanation could not compute it: a parameter UNSET or the rate fixing missing (the conditions say which). */
  uncomputable: boolean;
}

/**
 * The loan's line before the enterprise caps, or null when it is no line of the run (outside the jurisdiction; the
 * year not attributed to it). An explanation also evaluates a loan outside the jurisdiction (ineligible by that
 * condition alone) and a loan not settled yet under settlement attribution.
 */
export function evaluateLoan(ctx: RunContext, sources: RunSources, loan: RunLoan): LoanEvaluation | null {
  const p = ctx.p;
  const jurisdiction = sources.jurisdiction.of(loan.enterpriseUscc);
  if (!jurisdiction && !ctx.explain) return null; // not a line of the run at all
  const facts = loanFacts(ctx, loan);
  const attribution = attribute(ctx, facts);
  if (!attribution) return null;

  const root = ctx.caches.notesRoot;
  const notes = new TraceNotes(root);
  const trace: LineTrace = {
    policy: ctx.shared.policy,
    run: ctx.shared.run,
    clauses: root.clauses as string[],
    jurisdiction: jurisdiction ?? undefined,
    adjustments: [],
    interpretations: root.interpretations as TraceInterpretation[],
    reasons: [],
  };
  if (jurisdiction) notes.cite(jurisdiction.reference);
  notes.use('attribution', p.attribution);
  const rightType = rightTypeOf(ctx, notes, loan);
  trace.rightType = rightType.trace;
  const enterprise = checkEnterprise(ctx, sources.records, loan.enterpriseUscc);
  if (enterprise.trace) {
    notes.use('enterpriseConditions', p.enterpriseConditions);
    trace.enterprise = enterprise.trace;
  }

  const sink = new ConditionSink(ctx.explain);
  if (p.condition.value !== 'repaid_on_time') settledInYearCondition(ctx, sink, facts, attribution);
  rightTypeCondition(ctx, sink, rightType);
  const pledges = sortedPledges(loan);
  const share = shareOf(ctx, notes, sink, facts, rightType, pledges);
  repaidOnTimeConditions(ctx, notes, sink, facts);
  sameAssetCondition(ctx, notes, sink, pledges, sources.priorAssets);
  const fixing = fixingCondition(ctx, sink, facts);
  trace.window = windowTrace(ctx, notes, facts, attribution);
  const walk = walkBase(ctx, facts, attribution.countedFrom, attribution.countedTo);
  outstandingCondition(sink, walk);

  // Most loans of a run state no condition at all (a run records missed ones only): no list to build.
  const reasons = enterprise.conditions.length === 0 && sink.conditions.length === 0 ? [] : reasonsOf([...enterprise.conditions, ...sink.conditions]);
  trace.reasons = reasons;
  const eligible = jurisdiction !== null && !enterprise.anyMissed && !sink.anyMissed;
  const line: InterestLine = {
    kind: 'interest',
    lineId: `interest:${loan.loanId}`,
    loanId: loan.loanId,
    enterpriseUscc: loan.enterpriseUscc,
    rightType: rightType.rightType,
    amountFen: 0n,
    shares: [],
    eligible,
    reasons,
    trace,
  };
  const work: LineWork = {
    line,
    loan,
    notes,
    amountFen: 0n,
    beforeEnterpriseCapsFen: 0n,
    approvedFen: 0n,
    splitter: ctx.fundingSplitter!,
    splitReference: p.fundingSplit.reference,
  };
  const evaluation: LoanEvaluation = { work, enterprise, conditions: sink.conditions, computed: false, uncomputable: false };
  if (!eligible || !fixing.ok) return evaluation;
  if (ctx.unset.length > 0) {
    evaluation.uncomputable = true;
    return evaluation;
  }

  let chosen;
  try {
    chosen = rateOf(ctx, notes, facts, fixing);
  } catch (error) {
    // A run refuses itself without a fixing (never a zero rate); an explanation says which fixing to record.
    if (!ctx.explain || !(error instanceof SubsidyError) || error.code !== 'rate_not_in_force') throw error;
    sink.missed({
      code: 'rate_in_force',
      reference: p.rateIndex.reference,
      message: error.message,
      params: { index: String(error.details.index), date: String(error.details.date) },
      toMeet: `staff record the ${String(error.details.index)} fixing in force on ${String(error.details.date)} (reference rates)`,
    });
    line.eligible = false;
    evaluation.uncomputable = true;
    return evaluation;
  }
  const amount = amountOf(ctx, notes, trace, facts, share, walk, chosen);
  work.amountFen = amount.roundedFen;
  prepareWindowCap(ctx, work, facts, attribution.window, amount);
  applyWindowCap(ctx, work);
  evaluation.computed = true;
  return evaluation;
}
