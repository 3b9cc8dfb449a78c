/**
 * The risk-compensation fund's parameters as dated data (src/fund/README.md; 袁府办字〔2023〕25号 三(一)2,
 * 《关于全面加强知识产权工作的实施意见》 § 6, 《江西省专利转化运用专项行动实施方案》 (十四)). The documents set the fund up but give no figures, so every figure is a parameter, and a change
 * is a new version with its own effective date and clause reference, never an edit: a claim is computed with the
 * version in force on its date (values keyed by the date each took effect).
 *
 * How the fund's share of a loss is stated (one of three shapes, all in the same record):
 * - flat: `shareOfLoss` (e.g. "0.5") of the whole covered loss;
 * - tiered by balance (Jiangsu 苏知贷: 80 % up to 10 million, 50 % from 10 to 30 million; Guangzhou: 50 % of the
 *   part up to 10 million): `shareTiers`, ascending upper bounds; each tier's share applies to the part of the covered
 *   loss that falls within it, and `shareOfLoss` applies to the part above the last bound ("0" for Jiangsu and
 *   Guangzhou: nothing above it is covered);
 * - shared among named parties (Zhongshan fund : bank : insurer : appraiser = 54 : 26 : 16 : 4): `lossParties`, one
 *   of them the party "fund"; the covered loss is split exactly between them by weight (largest remainder, ties to the
 *   party listed first) and the fund bears its part. `shareOfLoss` must then equal the
 *   fund's weight ÷ the total (to 10 places when it does not terminate earlier), so the headline figure cannot
 *   contradict the split.
 * Tiers and parties together are refused: no scheme we know states both, and their combination is ambiguous.
 */
import { DomainError, type FieldProblem } from '../errors';
import { Dec, type Fen } from '../money';

/** The party whose part the fund bears when a loss is shared among named parties. */
export const FUND_PARTY = 'fund';
/** A handful of tiers and parties is every scheme we know; more is a mistake in the input. */
export const MAX_SHARE_TIERS = 10;
export const MAX_LOSS_PARTIES = 10;
/** A share derived from party weights is stated to this many places when it does not terminate earlier (1:2 → 0.3333333333). */
export const SHARE_PLACES = 10;
/** A claim after more than ten years overdue is a typo. */
export const MAX_CLAIM_AFTER_DAYS_OVERDUE = 3650;

export interface ShareTier {
  /** The tier covers the part of the covered loss above the previous bound and up to this one. */
  upToFen: Fen;
  /** A decimal fraction in [0, 1], e.g. "0.8". */
  share: string;
}

export interface LossParty {
  party: string;
  /** A positive decimal weight, e.g. "54". */
  weight: string;
}

export interface FundParameters {
  /** Flat share of the covered loss; with tiers, the share of the part above the last tier. Decimal in [0, 1]. */
  shareOfLoss: string;
  shareTiers: ShareTier[];
  lossParties: LossParty[];
  /** A claim is allowed once the loan has been overdue this many days, counted from its first `overdue` event. */
  claimAfterDaysOverdue: number;
  /** The fund's total compensation on one loan, over all its claims; null: no cap. */
  capPerLoanFen: Fen | null;
  /** The fund's compensation to one bank for claims dated in one calendar year; null: no cap. */
  capPerBankPerYearFen: Fen | null;
  /** The fund's compensation for one borrower's loans (by USCC) for claims dated in one calendar year; null: no cap
   *  (Guangzhou: 20 million per borrower a year). */
  capPerBorrowerPerYearFen: Fen | null;
  /** The fund's compensation in all for claims dated in one calendar year; null: no cap (Guangzhou: 50 million). */
  capPerYearFen: Fen | null;
  /** A bank whose non-performing covered principal ÷ covered principal is above this may not claim; null: never. */
  suspensionRatio: string | null;
  /** Covered principal may be at most capital × leverage (e.g. "10"). */
  leverage: string;
  /** The funding bodies that contribute capital ("city", "district", "province"). */
  bodies: string[];
  /** The partner banks whose loans may be enrolled; null: every bank registered with the service. */
  partnerBankIds: string[] | null;
}

export interface FundVersion {
  fundId: string;
  version: number;
  effectiveFrom: string;
  /** The clause the version implements, e.g. "袁府办字〔2023〕25号 三(一)2; fund agreement 2024 art. 5". */
  reference: string;
  parameters: FundParameters;
}

const isFraction = (value: string) => {
  const decimal = new Dec(value);
  return decimal.gte(0) && decimal.lte(1);
};

/**
 * The cross-field rules a fund's parameters obey; the HTTP schema has already checked each field's shape. Returns
 * every problem (empty: valid), each naming its field in wire terms.
 */
export function fundParameterProblems(parameters: FundParameters): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });

  if (!isFraction(parameters.shareOfLoss)) problem('shareOfLoss', 'must be between 0 and 1');
  if (new Dec(parameters.leverage).lte(0)) problem('leverage', 'must be greater than 0');
  if (parameters.suspensionRatio !== null && !isFraction(parameters.suspensionRatio)) {
    problem('suspensionRatio', 'must be between 0 and 1');
  }
  if (!Number.isInteger(parameters.claimAfterDaysOverdue) || parameters.claimAfterDaysOverdue < 0 ||
      parameters.claimAfterDaysOverdue > MAX_CLAIM_AFTER_DAYS_OVERDUE) {
    problem('claimAfterDaysOverdue', `must be a whole number of days from 0 to ${MAX_CLAIM_AFTER_DAYS_OVERDUE}`);
  }
  if (parameters.capPerLoanFen !== null && parameters.capPerLoanFen <= 0n) problem('capPerLoan', 'must be greater than 0');
  if (parameters.capPerBankPerYearFen !== null && parameters.capPerBankPerYearFen <= 0n) {
    problem('capPerBankPerYear', 'must be greater than 0');
  }
  if (parameters.capPerBorrowerPerYearFen !== null && parameters.capPerBorrowerPerYearFen <= 0n) {
    problem('capPerBorrowerPerYear', 'must be greater than 0');
  }
  if (parameters.capPerYearFen !== null && parameters.capPerYearFen <= 0n) problem('capPerYear', 'must be greater than 0');
  if (parameters.bodies.length === 0) problem('bodies', 'name at least one funding body');
  if (new Set(parameters.bodies).size !== parameters.bodies.length) problem('bodies', 'lists a body twice');

  if (parameters.shareTiers.length > MAX_SHARE_TIERS) problem('shareTiers', `at most ${MAX_SHARE_TIERS} tiers`);
  parameters.shareTiers.forEach((tier, index) => {
    if (!isFraction(tier.share)) problem(`shareTiers.${index}.share`, 'must be between 0 and 1');
    if (tier.upToFen <= 0n) problem(`shareTiers.${index}.upTo`, 'must be greater than 0');
    const previous = parameters.shareTiers[index - 1];
    if (previous && tier.upToFen <= previous.upToFen) {
      problem(`shareTiers.${index}.upTo`, 'must be above the previous tier’s upper bound');
    }
  });

  if (parameters.lossParties.length > 0) {
    if (parameters.shareTiers.length > 0) problem('lossParties', 'cannot be combined with shareTiers');
    if (parameters.lossParties.length > MAX_LOSS_PARTIES) problem('lossParties', `at most ${MAX_LOSS_PARTIES} parties`);
    const names = parameters.lossParties.map((p) => p.party);
    if (new Set(names).size !== names.length) problem('lossParties', 'names a party twice');
    const fundParties = names.filter((name) => name === FUND_PARTY).length;
    if (fundParties !== 1) problem('lossParties', `must name the party "${FUND_PARTY}" exactly once`);
    parameters.lossParties.forEach((party, index) => {
      if (new Dec(party.weight).lte(0)) problem(`lossParties.${index}.weight`, 'must be greater than 0');
    });
    if (problems.length === 0) {
      const expected = partiesFundShare(parameters.lossParties).toDecimalPlaces(SHARE_PLACES, Dec.ROUND_HALF_UP);
      if (!expected.eq(parameters.shareOfLoss)) {
        problem('shareOfLoss', `must equal the fund's weight ÷ the total weight of lossParties: ${expected.toString()}`);
      }
    }
  }
  return problems;
}

export function assertFundParameters(parameters: FundParameters): void {
  const problems = fundParameterProblems(parameters);
  if (problems.length > 0) {
    throw new DomainError(
      'validation_failed',
      `the fund's parameters are not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
}

/** The fund's weight ÷ the total weight (exact to 60 digits). */
export function partiesFundShare(parties: LossParty[]): Dec {
  const total = parties.reduce((sum, party) => sum.plus(party.weight), new Dec(0));
  const fund = parties.find((party) => party.party === FUND_PARTY);
  if (!fund || total.lte(0)) throw new RangeError('loss parties need the fund and a positive total');
  return new Dec(fund.weight).div(total);
}

/** The version in force on `date`: the latest effective date on or before it; undefined before the first. */
export function versionInForce(versions: readonly FundVersion[], date: string): FundVersion | undefined {
  let found: FundVersion | undefined;
  for (const version of versions) {
    if (version.effectiveFrom <= date && (!found || version.effectiveFrom > found.effectiveFrom)) found = version;
  }
  return found;
}

/** Parameters as stored (JSON): money as integer strings of fen. */
export interface StoredFundParameters {
  shareOfLoss: string;
  shareTiers: Array<{ upToFen: string; share: string }>;
  lossParties: LossParty[];
  claimAfterDaysOverdue: number;
  capPerLoanFen: string | null;
  capPerBankPerYearFen: string | null;
  /** Absent in versions stored before the parameter existed: no cap. */
  capPerBorrowerPerYearFen?: string | null;
  capPerYearFen?: string | null;
  suspensionRatio: string | null;
  leverage: string;
  bodies: string[];
  partnerBankIds: string[] | null;
}

export function storeParameters(parameters: FundParameters): StoredFundParameters {
  return {
    ...parameters,
    shareTiers: parameters.shareTiers.map((tier) => ({ upToFen: tier.upToFen.toString(), share: tier.share })),
    capPerLoanFen: parameters.capPerLoanFen?.toString() ?? null,
    capPerBankPerYearFen: parameters.capPerBankPerYearFen?.toString() ?? null,
    capPerBorrowerPerYearFen: parameters.capPerBorrowerPerYearFen?.toString() ?? null,
    capPerYearFen: parameters.capPerYearFen?.toString() ?? null,
  };
}

export function loadParameters(stored: StoredFundParameters): FundParameters {
  return {
    ...stored,
    shareTiers: stored.shareTiers.map((tier) => ({ upToFen: BigInt(tier.upToFen), share: tier.share })),
    capPerLoanFen: stored.capPerLoanFen === null ? null : BigInt(stored.capPerLoanFen),
    capPerBankPerYearFen: stored.capPerBankPerYearFen === null ? null : BigInt(stored.capPerBankPerYearFen),
    capPerBorrowerPerYearFen: stored.capPerBorrowerPerYearFen == null ? null : BigInt(stored.capPerBorrowerPerYearFen),
    capPerYearFen: stored.capPerYearFen == null ? null : BigInt(stored.capPerYearFen),
  };
}
