/**
 * The fund's arithmetic, pure: plain data in, amounts and a trace out; nothing here reads the database
 * (the fund's operations — ./funds.ts, ./enrolments.ts, ./claims.ts, ./recoveries.ts — gather the facts and decide;
 * these leaves compute).
 *
 * Claim (src/fund/README.md "Claim", `POST /api/v1/funds/{id}/claims`):
 *   covered loss = unrecovered principal × IP share                      (rounded once, half-up, to fen)
 *   fund part    = covered loss × fund share (flat, tiered or by party)  (rounded once; parties: exact split)
 *   amount       = min(fund part, cap per loan) − already claimed on the loan, then ≤ the bank's headroom for the year
 * Each step that cut the amount is in the trace with the amount before, after and cut, so the figure can be recomputed
 * by hand.
 */
import { daysBetween } from '../dates';
import { Dec, allocateFen, fenToDec, formatYuan, maxFen, minFen, roundFenHalfUp, type Fen } from '../money';
import { FUND_PARTY, type FundParameters, type FundVersion } from './parameters';

/** Digits of a ratio shown in a trace (the exact fraction is shown beside it). */
const RATIO_PLACES = 10;

export interface ClaimLoanFacts {
  loanId: string;
  principalFen: Fen;
  collateral: 'ip_only' | 'combination';
  ipPledgedFen: Fen;
  /** Ledger balance of loan:<id>:outstanding at the end of the claim date. */
  outstandingFen: Fen;
  firstOverdueDate: string | null;
  firstDefaultDate: string | null;
  settlementDate: string | null;
}

export interface BankPortfolioFacts {
  /** Covered principal of the bank's loans enrolled (and not withdrawn or settled) at the claim date. */
  coveredFen: Fen;
  /** The part of it on loans overdue or in default at the claim date. */
  nonPerformingCoveredFen: Fen;
}

export interface ClaimInput {
  version: FundVersion;
  claimDate: string;
  loan: ClaimLoanFacts;
  /** Amounts of the fund's earlier claims on this loan that are not rejected (submitted, approved or paid). */
  alreadyClaimedOnLoanFen: Fen;
  /** Amounts of the bank's claims dated in the claim date's year that are not rejected. */
  bankClaimedInYearFen: Fen;
  /** The same for the borrower's loans (all banks) and for the whole fund; 0 when the cap is not set. */
  borrowerClaimedInYearFen?: Fen;
  fundClaimedInYearFen?: Fen;
  bank: BankPortfolioFacts;
}

export type ClaimRefusalCode =
  | 'loan_settled'
  | 'not_in_default'
  | 'not_overdue'
  | 'overdue_too_short'
  | 'bank_suspended'
  | 'nothing_outstanding'
  | 'nothing_left_to_claim';

export interface ClaimRefusal {
  code: ClaimRefusalCode;
  message: string;
}

export interface ClaimCapStep {
  step: 'cap_per_loan' | 'already_claimed_on_loan' | 'cap_per_borrower_per_year' | 'cap_per_bank_per_year' | 'cap_per_year';
  /** The cap, or the amount subtracted. */
  limitFen: string;
  beforeFen: string;
  afterFen: string;
  cutFen: string;
  detail: string;
}

export interface ClaimTrace {
  fund: { id: string; version: number; effectiveFrom: string; reference: string };
  clauses: string[];
  claimDate: string;
  overdue: {
    firstOverdueDate: string | null;
    firstDefaultDate: string | null;
    daysOverdue: number | null;
    claimAfterDaysOverdue: number;
    rule: string;
  };
  unrecoveredPrincipalFen: string;
  ipShare: { collateral: string; ipPledgedFen: string; principalFen: string; value: string; fraction: string };
  coveredLoss: { formula: string; unroundedFen: string; roundedFen: string };
  fundShare:
    | { rule: 'flat'; share: string; formula: string; unroundedFen: string; roundedFen: string }
    | {
        rule: 'tiers';
        tiers: Array<{ fromFen: string; upToFen: string | null; share: string; portionFen: string; partFen: string }>;
        formula: string;
        unroundedFen: string;
        roundedFen: string;
        effectiveShare: string;
      }
    | {
        rule: 'parties';
        parties: Array<{ party: string; weight: string; amountFen: string }>;
        share: string;
        formula: string;
        roundedFen: string;
      };
  fundPartFen: string;
  caps: ClaimCapStep[];
  nonPerforming: {
    coveredFen: string;
    nonPerformingCoveredFen: string;
    ratio: string;
    suspensionRatio: string | null;
    suspended: boolean;
    rule: string;
  };
  amountFen: string;
  amount: string;
  interpretations: Array<{ parameter: string; text: string }>;
  refusals: ClaimRefusal[];
}

export interface ClaimResult {
  /** 0 when refused. */
  amountFen: Fen;
  /** The covered loss and the fund's part of it before caps: the fund's share of later recoveries is their ratio. */
  coveredLossFen: Fen;
  fundPartFen: Fen;
  refusals: ClaimRefusal[];
  trace: ClaimTrace;
}

export const INTERPRETATIONS = {
  ipShare:
    'IP share = IP-pledged amount ÷ principal (1 for an IP-only loan): the fund covers only the IP share stated in a ' +
    'combination-loan contract (as the Guangzhou scheme does).',
  tiers:
    'A tier’s share applies to the part of the covered loss (unrecovered principal × IP share) within its bounds; ' +
    'the part above the last tier gets shareOfLoss.',
  overdue:
    'Days overdue are counted from the date of the loan’s first overdue event to the claim date; the loan must ' +
    'also have a default event on or before the claim date.',
  nonPerforming:
    'Non-performing ratio = covered principal of the bank’s enrolled loans overdue or in default (an overdue or default ' +
    'event on or before the date and no settlement) ÷ covered principal of all its enrolled loans, at the claim date; ' +
    'a claim is refused when it is strictly above suspensionRatio.',
  perYear:
    'The yearly caps (per borrower, per bank, for the fund in all) count claims by the calendar year of their claim ' +
    'date, every claim not rejected; they apply in that order after the per-loan cap.',
  perLoan: 'The per-loan cap bounds the fund’s total over all claims on the loan that are not rejected.',
} as const;

/** a ÷ b as a decimal string of RATIO_PLACES places (0 when b is 0). */
export function ratioText(numerator: Fen, denominator: Fen): string {
  if (denominator === 0n) return new Dec(0).toFixed(RATIO_PLACES);
  return fenToDec(numerator).div(fenToDec(denominator)).toFixed(RATIO_PLACES, Dec.ROUND_HALF_UP);
}

/** The covered loss: outstanding × ipPledged ÷ principal, rounded once, half-up. */
export function coveredLoss(outstandingFen: Fen, ipPledgedFen: Fen, principalFen: Fen): { unrounded: Dec; roundedFen: Fen } {
  if (principalFen <= 0n) throw new RangeError('principal must be positive');
  const unrounded = fenToDec(outstandingFen).times(fenToDec(ipPledgedFen)).div(fenToDec(principalFen));
  return { unrounded, roundedFen: roundFenHalfUp(unrounded) };
}

/** The fund's part of a covered loss under the version's share rule, with its trace. */
export function fundPartOfLoss(parameters: FundParameters, lossFen: Fen): { fundPartFen: Fen; trace: ClaimTrace['fundShare'] } {
  if (lossFen < 0n) throw new RangeError('a covered loss is never negative');
  if (parameters.lossParties.length > 0) {
    const parts = allocateFen(lossFen, parameters.lossParties.map((party) => party.weight));
    const fundIndex = parameters.lossParties.findIndex((party) => party.party === FUND_PARTY);
    const fundPartFen = parts[fundIndex]!;
    return {
      fundPartFen,
      trace: {
        rule: 'parties',
        parties: parameters.lossParties.map((party, index) => ({
          party: party.party,
          weight: party.weight,
          amountFen: parts[index]!.toString(),
        })),
        share: parameters.shareOfLoss,
        formula: 'covered loss split by weight exactly (largest remainder, ties to the party listed first); the fund bears its part',
        roundedFen: fundPartFen.toString(),
      },
    };
  }
  if (parameters.shareTiers.length > 0) {
    let lower = 0n;
    let unrounded = new Dec(0);
    const tiers: Extract<ClaimTrace['fundShare'], { rule: 'tiers' }>['tiers'] = [];
    for (const tier of parameters.shareTiers) {
      const portion = maxFen(0n, minFen(lossFen, tier.upToFen) - lower);
      const part = fenToDec(portion).times(tier.share);
      unrounded = unrounded.plus(part);
      tiers.push({ fromFen: lower.toString(), upToFen: tier.upToFen.toString(), share: tier.share, portionFen: portion.toString(), partFen: part.toString() });
      lower = tier.upToFen;
    }
    const above = maxFen(0n, lossFen - lower);
    const abovePart = fenToDec(above).times(parameters.shareOfLoss);
    unrounded = unrounded.plus(abovePart);
    tiers.push({ fromFen: lower.toString(), upToFen: null, share: parameters.shareOfLoss, portionFen: above.toString(), partFen: abovePart.toString() });
    const fundPartFen = roundFenHalfUp(unrounded);
    return {
      fundPartFen,
      trace: {
        rule: 'tiers',
        tiers,
        formula: 'Σ over tiers of (part of the covered loss within the tier × tier share), rounded once half-up',
        unroundedFen: unrounded.toString(),
        roundedFen: fundPartFen.toString(),
        effectiveShare: ratioText(fundPartFen, lossFen),
      },
    };
  }
  const unrounded = fenToDec(lossFen).times(parameters.shareOfLoss);
  const fundPartFen = roundFenHalfUp(unrounded);
  return {
    fundPartFen,
    trace: {
      rule: 'flat',
      share: parameters.shareOfLoss,
      formula: 'covered loss × shareOfLoss, rounded once half-up',
      unroundedFen: unrounded.toString(),
      roundedFen: fundPartFen.toString(),
    },
  };
}

export interface ClaimedSoFar {
  onLoanFen: Fen;
  borrowerInYearFen: Fen;
  bankInYearFen: Fen;
  fundInYearFen: Fen;
}

/**
 * Per-loan cap, earlier claims on the loan, then the yearly headroom per borrower, per bank and for the fund in all:
 * in that order, each recorded when its parameter is set (a cap that does not cut is recorded with a cut of 0).
 */
export function applyCaps(parameters: FundParameters, fundPartFen: Fen, claimed: ClaimedSoFar, year: string): { amountFen: Fen; steps: ClaimCapStep[] } {
  const steps: ClaimCapStep[] = [];
  let amount = fundPartFen;
  const step = (kind: ClaimCapStep['step'], limitFen: Fen, after: Fen, detail: string) => {
    steps.push({
      step: kind,
      limitFen: limitFen.toString(),
      beforeFen: amount.toString(),
      afterFen: after.toString(),
      cutFen: (amount - after).toString(),
      detail,
    });
    amount = after;
  };
  const yearly = (kind: ClaimCapStep['step'], capFen: Fen | null, usedFen: Fen, whose: string) => {
    if (capFen === null) return;
    const headroom = maxFen(0n, capFen - usedFen);
    step(kind, capFen, minFen(amount, headroom),
      `${whose} claims dated in ${year} (not rejected) already total ${formatYuan(usedFen)} of the ${formatYuan(capFen)} cap: ` +
      `headroom ${formatYuan(headroom)}`);
  };
  if (parameters.capPerLoanFen !== null) {
    step('cap_per_loan', parameters.capPerLoanFen, minFen(amount, parameters.capPerLoanFen),
      `the fund pays at most ${formatYuan(parameters.capPerLoanFen)} on one loan`);
  }
  if (claimed.onLoanFen > 0n) {
    step('already_claimed_on_loan', claimed.onLoanFen, maxFen(0n, amount - claimed.onLoanFen),
      `earlier claims on this loan (not rejected) total ${formatYuan(claimed.onLoanFen)}`);
  }
  yearly('cap_per_borrower_per_year', parameters.capPerBorrowerPerYearFen, claimed.borrowerInYearFen, "the borrower's");
  yearly('cap_per_bank_per_year', parameters.capPerBankPerYearFen, claimed.bankInYearFen, "the bank's");
  yearly('cap_per_year', parameters.capPerYearFen, claimed.fundInYearFen, "the fund's");
  return { amountFen: amount, steps };
}

/** The bank's non-performing ratio and whether it suspends the bank's claims. */
export function suspension(parameters: FundParameters, bank: BankPortfolioFacts): ClaimTrace['nonPerforming'] {
  const ratio = bank.coveredFen === 0n ? new Dec(0) : fenToDec(bank.nonPerformingCoveredFen).div(fenToDec(bank.coveredFen));
  const suspended = parameters.suspensionRatio !== null && ratio.gt(parameters.suspensionRatio);
  return {
    coveredFen: bank.coveredFen.toString(),
    nonPerformingCoveredFen: bank.nonPerformingCoveredFen.toString(),
    ratio: ratio.toFixed(RATIO_PLACES, Dec.ROUND_HALF_UP),
    suspensionRatio: parameters.suspensionRatio,
    suspended,
    rule: 'suspended when non-performing covered principal ÷ covered principal > suspensionRatio',
  };
}

/**
 * The compensation a bank may claim for one enrolled loan on `claimDate`, with every reason it may not. The caller has
 * checked that the loan is enrolled and the bank's own.
 */
export function computeClaim(input: ClaimInput): ClaimResult {
  const { version, claimDate, loan } = input;
  const parameters = version.parameters;
  const refusals: ClaimRefusal[] = [];

  if (loan.settlementDate !== null && loan.settlementDate <= claimDate) {
    refusals.push({ code: 'loan_settled', message: `the loan was settled on ${loan.settlementDate}` });
  }
  const defaulted = loan.firstDefaultDate !== null && loan.firstDefaultDate <= claimDate;
  if (!defaulted) {
    refusals.push({ code: 'not_in_default', message: `the loan has no default event on or before ${claimDate}` });
  }
  const overdueSince = loan.firstOverdueDate !== null && loan.firstOverdueDate <= claimDate ? loan.firstOverdueDate : null;
  const daysOverdue = overdueSince === null ? null : daysBetween(overdueSince, claimDate);
  if (daysOverdue === null) {
    refusals.push({ code: 'not_overdue', message: `the loan has no overdue event on or before ${claimDate}` });
  } else if (daysOverdue < parameters.claimAfterDaysOverdue) {
    refusals.push({
      code: 'overdue_too_short',
      message: `the loan has been overdue ${daysOverdue} days (since ${overdueSince}); a claim needs ${parameters.claimAfterDaysOverdue}`,
    });
  }
  const nonPerforming = suspension(parameters, input.bank);
  if (nonPerforming.suspended) {
    refusals.push({
      code: 'bank_suspended',
      message: `the bank's non-performing ratio ${nonPerforming.ratio} is above the suspension threshold ${parameters.suspensionRatio}`,
    });
  }

  const loss = coveredLoss(loan.outstandingFen, loan.ipPledgedFen, loan.principalFen);
  const { fundPartFen, trace: fundShare } = fundPartOfLoss(parameters, loss.roundedFen);
  const year = claimDate.slice(0, 4);
  const caps = applyCaps(
    parameters,
    fundPartFen,
    {
      onLoanFen: input.alreadyClaimedOnLoanFen,
      borrowerInYearFen: input.borrowerClaimedInYearFen ?? 0n,
      bankInYearFen: input.bankClaimedInYearFen,
      fundInYearFen: input.fundClaimedInYearFen ?? 0n,
    },
    year,
  );
  if (loan.outstandingFen <= 0n) {
    refusals.push({ code: 'nothing_outstanding', message: `the loan has no unrecovered principal on ${claimDate}` });
  } else if (caps.amountFen === 0n) {
    const cut = caps.steps.filter((s) => s.cutFen !== '0').map((s) => s.step).join(', ');
    refusals.push({ code: 'nothing_left_to_claim', message: `nothing is left to claim after ${cut || 'the fund share'}` });
  }
  const amountFen = refusals.length === 0 ? caps.amountFen : 0n;

  const interpretations: ClaimTrace['interpretations'] = [
    { parameter: 'ipShare', text: INTERPRETATIONS.ipShare },
    { parameter: 'claimAfterDaysOverdue', text: INTERPRETATIONS.overdue },
    { parameter: 'suspensionRatio', text: INTERPRETATIONS.nonPerforming },
  ];
  if (fundShare.rule === 'tiers') interpretations.push({ parameter: 'shareTiers', text: INTERPRETATIONS.tiers });
  if (parameters.capPerLoanFen !== null) interpretations.push({ parameter: 'capPerLoan', text: INTERPRETATIONS.perLoan });
  if (parameters.capPerBorrowerPerYearFen !== null || parameters.capPerBankPerYearFen !== null || parameters.capPerYearFen !== null) {
    interpretations.push({ parameter: 'capPerBorrowerPerYear, capPerBankPerYear, capPerYear', text: INTERPRETATIONS.perYear });
  }

  const trace: ClaimTrace = {
    fund: { id: version.fundId, version: version.version, effectiveFrom: version.effectiveFrom, reference: version.reference },
    // The clauses this fund's version implements, as staff recorded them: a fund is one government's, so its trace cites
    // that government's documents, never another region's.
    clauses: referenceClauses(version.reference),
    claimDate,
    overdue: {
      firstOverdueDate: loan.firstOverdueDate,
      firstDefaultDate: loan.firstDefaultDate,
      daysOverdue,
      claimAfterDaysOverdue: parameters.claimAfterDaysOverdue,
      rule: 'days from the first overdue event to the claim date ≥ claimAfterDaysOverdue, and a default event on or before the claim date',
    },
    unrecoveredPrincipalFen: loan.outstandingFen.toString(),
    ipShare: {
      collateral: loan.collateral,
      ipPledgedFen: loan.ipPledgedFen.toString(),
      principalFen: loan.principalFen.toString(),
      value: ratioText(loan.ipPledgedFen, loan.principalFen),
      fraction: `${loan.ipPledgedFen}/${loan.principalFen}`,
    },
    coveredLoss: {
      formula: 'unrecovered principal × IP-pledged amount ÷ principal, rounded once half-up',
      unroundedFen: loss.unrounded.toString(),
      roundedFen: loss.roundedFen.toString(),
    },
    fundShare,
    fundPartFen: fundPartFen.toString(),
    caps: caps.steps,
    nonPerforming,
    amountFen: amountFen.toString(),
    amount: formatYuan(amountFen),
    interpretations,
    refusals,
  };
  return { amountFen, coveredLossFen: loss.roundedFen, fundPartFen, refusals, trace };
}

/**
 * The fund's share of the proceeds of disposing the pledged IP (src/fund/README.md "Recovery"): proceeds × the fund's share of
 * the loss it compensated (its part before caps ÷ the covered loss of its claim), rounded once half-up, and never more
 * than what the fund paid on the loan net of earlier recoveries and write-offs. **Interpretation**: the IP share is not
 * applied again, because the proceeds come from the pledged IP itself.
 */
export function recoveryShare(input: {
  proceedsFen: Fen;
  fundPartFen: Fen;
  coveredLossFen: Fen;
  recoverableFen: Fen;
}): { fundShareFen: Fen; unroundedFen: string; share: string; cutFen: Fen } {
  if (input.proceedsFen <= 0n) throw new RangeError('proceeds must be positive');
  // A paid claim has a positive amount, so its fund part and covered loss are positive.
  if (input.coveredLossFen <= 0n || input.fundPartFen <= 0n) throw new RangeError('the claim must have a positive covered loss and fund part');
  const share = fenToDec(input.fundPartFen).div(fenToDec(input.coveredLossFen));
  const unrounded = fenToDec(input.proceedsFen).times(fenToDec(input.fundPartFen)).div(fenToDec(input.coveredLossFen));
  const rounded = roundFenHalfUp(unrounded);
  const fundShareFen = minFen(rounded, maxFen(0n, input.recoverableFen));
  return {
    fundShareFen,
    unroundedFen: unrounded.toString(),
    share: share.toFixed(RATIO_PLACES, Dec.ROUND_HALF_UP),
    cutFen: rounded - fundShareFen,
  };
}

/** Covered principal of a loan: its IP-pledged amount (the principal for an IP-only loan). */
export function coveredPrincipal(loan: { collateral: 'ip_only' | 'combination'; principalFen: Fen; ipPledgedFen: Fen }): Fen {
  return loan.collateral === 'ip_only' ? loan.principalFen : loan.ipPledgedFen;
}

/** Capital × leverage, rounded down to whole fen (a limit is never rounded up). */
export function leverageLimitFen(capitalFen: Fen, leverage: string): Fen {
  return BigInt(fenToDec(capitalFen).times(leverage).toDecimalPlaces(0, Dec.ROUND_DOWN).toFixed(0));
}

/** A version's reference split into its clauses ("袁府办字〔2023〕25号 三(一)2; fund agreement art. 5" → two). */
export function referenceClauses(reference: string): string[] {
  return reference
    .split(/[;；]/)
    .map((clause) => clause.trim())
    .filter((clause) => clause !== '');
}
