/**
 * The rules of one loan or one event on its own (docs/api.md), as pure functions: no database, no clock
 * (today is an argument). Each returns every problem it finds, with the path of the field, so a batch reports every
 * bad field of every bad row at once. The rules that need other rows or stored state (the enterprise exists, the
 * contract number is free, the money limits of a loan) are checked in loans.ts and events.ts; PostgreSQL checks them
 * all again when writing (migrations/Migration20261123000003Loans.ts).
 */
import { Dec, MAX_FEN } from '../money';
import type { FieldProblem } from '../errors';
import {
  validateCopyrightNumber,
  validatePatentNumber,
  validatePledgeRegistrationNo,
  validateTrademarkNumber,
  validateUscc,
} from './identifiers';
import {
  CONTRACT_NO_CHARACTERS_MAX,
  DAYS_OVERDUE_MAX,
  MAX_PLEDGES_PER_LOAN,
  MONEY_EVENT_TYPES,
  type EventInput,
  type LoanInput,
  type Pledge,
  type PledgeInput,
  type RightType,
} from './types';

const RATE_PATTERN = /^\d{1,3}(\.\d{1,10})?$/;

/** The normalised number of a right, or why it is not one ("rule: message", naming the validator's rule). */
export function normaliseRightNumber(rightType: RightType, number: string): { ok: true; number: string } | { ok: false; message: string } {
  const result =
    rightType === 'patent'
      ? validatePatentNumber(number)
      : rightType === 'trademark'
        ? validateTrademarkNumber(number)
        : validateCopyrightNumber(number);
  return result.ok ? { ok: true, number: result.normalised } : { ok: false, message: `${result.rule}: ${result.message}` };
}

/** The problems of one pledge (paths relative to it) and, when there are none, the pledge normalised. */
export function checkPledge(pledge: PledgeInput): { problems: FieldProblem[]; pledge?: Pledge } {
  const problems: FieldProblem[] = [];
  const number = normaliseRightNumber(pledge.rightType, pledge.number);
  if (!number.ok) problems.push({ path: 'number', message: number.message });
  let registrationNo: string | null = null;
  // A blank registration number from a form or a CSV cell means "the bank does not have it".
  if (pledge.registrationNo != null && pledge.registrationNo.trim() !== '') {
    const checked = validatePledgeRegistrationNo(pledge.registrationNo);
    if (checked.ok) registrationNo = checked.normalised;
    else problems.push({ path: 'registrationNo', message: `${checked.rule}: ${checked.message}` });
  }
  if (problems.length > 0 || !number.ok) return { problems };
  return { problems, pledge: { rightType: pledge.rightType, number: number.number, registrationNo, securedFen: pledge.securedFen ?? null } };
}

/** Why a contract rate is not acceptable, or undefined. A rate is a fraction strictly between 0 and 1. */
export function rateProblem(rate: string): string | undefined {
  if (!RATE_PATTERN.test(rate)) return 'must be a decimal string, e.g. "0.0345" for 3.45 %';
  const value = new Dec(rate);
  if (value.lte(0)) return 'must be above 0';
  if (value.gte(1)) return `must be below 1: rates are fractions ("0.0435" is 4.35 %), ${rate} would be ${value.times(100).toString()} %`;
  return undefined;
}

export interface CheckedLoan extends Omit<LoanInput, 'pledges' | 'ipPledgedFen' | 'enterpriseUscc'> {
  enterpriseUscc: string;
  ipPledgedFen: bigint | null;
  pledges: Pledge[];
}

/**
 * Every rule of one loan on its own: dates ordered and not in the future, principal positive, rate a fraction, the
 * IP-pledged amount of a combination loan within (0, principal] when stated (a contract that does not separate it is
 * recorded, and subsidy policies find it ineligible: 《关于全面加强知识产权工作的实施意见》 § 6 "无法计算…的，不予补助"), equal to the principal (or
 * absent) for an IP-only loan, at least one pledge, each right number valid, each secured amount at most the
 * principal, no asset twice.
 */
export function checkLoan(input: LoanInput, today: string): { problems: FieldProblem[]; loan?: CheckedLoan } {
  const problems: FieldProblem[] = [];
  const contractNo = input.contractNo.trim();
  if (contractNo === '' || [...contractNo].length > CONTRACT_NO_CHARACTERS_MAX) {
    problems.push({ path: 'contractNo', message: `must be 1–${CONTRACT_NO_CHARACTERS_MAX} characters` });
  }
  if (input.principalFen <= 0n) problems.push({ path: 'principal', message: 'must be greater than 0' });
  if (input.principalFen > MAX_FEN) problems.push({ path: 'principal', message: 'is too large' });
  const rate = rateProblem(input.annualRate);
  if (rate) problems.push({ path: 'annualRate', message: rate });
  if (input.startDate > today) {
    problems.push({ path: 'startDate', message: `must not be in the future (today in China is ${today})` });
  }
  if (input.maturityDate <= input.startDate) {
    problems.push({ path: 'maturityDate', message: `must be after startDate ${input.startDate}` });
  }

  let ipPledgedFen: bigint | null = input.principalFen;
  if (input.collateral === 'combination') {
    if (input.ipPledgedFen == null) {
      ipPledgedFen = null;
    } else if (input.ipPledgedFen <= 0n) {
      problems.push({ path: 'ipPledgedAmount', message: 'must be greater than 0' });
    } else if (input.ipPledgedFen > input.principalFen) {
      problems.push({ path: 'ipPledgedAmount', message: 'must not exceed the principal' });
    } else {
      ipPledgedFen = input.ipPledgedFen;
    }
  } else if (input.ipPledgedFen != null && input.ipPledgedFen !== input.principalFen) {
    problems.push({ path: 'ipPledgedAmount', message: 'must equal the principal (or be left out) for an ip_only loan' });
  }

  const pledges: Pledge[] = [];
  if (input.pledges.length === 0) problems.push({ path: 'pledges', message: 'a loan needs at least one pledge' });
  if (input.pledges.length > MAX_PLEDGES_PER_LOAN) {
    problems.push({ path: 'pledges', message: `at most ${MAX_PLEDGES_PER_LOAN} pledges per loan` });
  }
  const seen = new Map<string, number>();
  input.pledges.forEach((pledge, index) => {
    const checked = checkPledge(pledge);
    for (const problem of checked.problems) problems.push({ path: `pledges.${index}.${problem.path}`, message: problem.message });
    if (pledge.securedFen != null && pledge.securedFen <= 0n) {
      problems.push({ path: `pledges.${index}.securedAmount`, message: 'must be greater than 0' });
    } else if (pledge.securedFen != null && pledge.securedFen > input.principalFen) {
      problems.push({ path: `pledges.${index}.securedAmount`, message: 'must not exceed the principal: a registration secures at most the whole debt' });
    }
    if (!checked.pledge) return;
    const key = `${checked.pledge.rightType}:${checked.pledge.number}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ path: `pledges.${index}.number`, message: `the same ${pledge.rightType} as pledges.${first}` });
      return;
    }
    seen.set(key, index);
    pledges.push(checked.pledge);
  });

  if (problems.length > 0) return { problems };
  return {
    problems,
    loan: {
      contractNo,
      enterpriseUscc: input.enterpriseUscc.trim().replace(/[a-z]/g, (c) => c.toUpperCase()),
      principalFen: input.principalFen,
      annualRate: input.annualRate,
      startDate: input.startDate,
      maturityDate: input.maturityDate,
      collateral: input.collateral,
      ipPledgedFen,
      pledges,
    },
  };
}

/** Why an enterprise USCC named by a loan cannot be found: the failed rule when it is not a valid code. */
export function unknownEnterpriseMessage(uscc: string): string {
  const checked = validateUscc(uscc);
  return checked.ok
    ? 'no enterprise with this USCC is registered: register it first (POST /api/v1/enterprises)'
    : `no enterprise with this USCC is registered, and it is not a valid USCC (${checked.rule}: ${checked.message})`;
}

/**
 * The rules of one event on its own: an amount exactly for the money events, the interest period only
 * on an interest payment and ordered, days overdue only on `overdue`, nothing dated in the future. The rules against
 * the loan and its other events are in events.ts.
 */
export function checkEvent(input: EventInput, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.date > today) problems.push({ path: 'date', message: `must not be in the future (today in China is ${today})` });
  const moves = MONEY_EVENT_TYPES.has(input.type);
  if (moves && input.amountFen == null) problems.push({ path: 'amount', message: `is required for ${input.type}` });
  if (moves && input.amountFen != null && input.amountFen <= 0n) problems.push({ path: 'amount', message: 'must be greater than 0' });
  if (moves && input.amountFen != null && input.amountFen > MAX_FEN) problems.push({ path: 'amount', message: 'is too large' });
  if (!moves && input.amountFen != null) {
    problems.push({ path: 'amount', message: `only disbursement, interest_payment and principal_repayment carry an amount, not ${input.type}` });
  }
  const hasFrom = input.periodFrom != null;
  const hasTo = input.periodTo != null;
  if ((hasFrom || hasTo) && input.type !== 'interest_payment') {
    problems.push({ path: hasFrom ? 'periodFrom' : 'periodTo', message: 'only an interest_payment covers a period' });
  } else if (hasFrom !== hasTo) {
    problems.push({ path: hasFrom ? 'periodTo' : 'periodFrom', message: 'periodFrom and periodTo go together' });
  } else if (hasFrom && input.periodFrom! > input.periodTo!) {
    problems.push({ path: 'periodTo', message: `must not be before periodFrom ${input.periodFrom}` });
  }
  if (input.daysOverdue != null) {
    if (input.type !== 'overdue') problems.push({ path: 'daysOverdue', message: 'only an overdue event carries days overdue' });
    else if (!Number.isInteger(input.daysOverdue) || input.daysOverdue < 1 || input.daysOverdue > DAYS_OVERDUE_MAX) {
      problems.push({ path: 'daysOverdue', message: `must be a whole number of days from 1 to ${DAYS_OVERDUE_MAX}` });
    }
  }
  return problems;
}

/**
 * A row of a batch whose fields did not all parse: the fields that did, and the API names of the ones that failed
 * (their problems are already reported). Its other fields are still checked, so that one answer names every problem
 * of the row — a bad date does not hide an unregistered enterprise.
 */
export interface PartialRow<T> {
  fields: Partial<T>;
  failed: ReadonlySet<string>;
}

/** Which checks read which other fields (by the path of their problem): reported only when every field read parsed. */
type CheckReads = ReadonlyArray<readonly [RegExp, readonly string[]]>;
const LOAN_CHECK_READS: CheckReads = [
  [/^maturityDate$/, ['startDate']],
  [/^ipPledgedAmount$/, ['principal', 'collateral']],
  [/^pledges\.\d+\.securedAmount$/, ['principal']],
];
const EVENT_CHECK_READS: CheckReads = [
  [/^amount$/, ['type']],
  [/^period(From|To)$/, ['type', 'periodFrom', 'periodTo']],
  [/^daysOverdue$/, ['type']],
];

/** Values that pass every rule on their own: they stand in for failed fields, whose checks are then dropped. */
const VALID_PATENT = '202310123456.6';

function keepChecked(problems: FieldProblem[], failed: ReadonlySet<string>, reads: CheckReads): FieldProblem[] {
  return problems.filter((problem) => {
    if (failed.has(problem.path.split('.')[0]!)) return false;
    return !reads.some(([path, fields]) => path.test(problem.path) && fields.some((field) => failed.has(field)));
  });
}

/** `checkLoan` on the fields of a partial row (the failed ones stood in for, and their dependent checks dropped). */
export function checkLoanFields(row: PartialRow<LoanInput>, today: string): FieldProblem[] {
  const fields = row.fields;
  const input: LoanInput = {
    contractNo: fields.contractNo ?? 'X',
    enterpriseUscc: fields.enterpriseUscc ?? '',
    principalFen: fields.principalFen ?? 1n,
    annualRate: fields.annualRate ?? '0.05',
    startDate: fields.startDate ?? today,
    maturityDate: fields.maturityDate ?? '2999-12-31',
    collateral: fields.collateral ?? 'ip_only',
    ipPledgedFen: fields.ipPledgedFen ?? null,
    pledges: fields.pledges ?? [{ rightType: 'patent', number: VALID_PATENT }],
  };
  return keepChecked(checkLoan(input, today).problems, row.failed, LOAN_CHECK_READS);
}

/** `checkEvent` on the fields of a partial row, likewise. */
export function checkEventFields(row: PartialRow<EventInput>, today: string): FieldProblem[] {
  const fields = row.fields;
  const input: EventInput = {
    loanId: fields.loanId ?? '',
    type: fields.type ?? 'default',
    date: fields.date ?? today,
    amountFen: fields.amountFen ?? null,
    periodFrom: fields.periodFrom ?? null,
    periodTo: fields.periodTo ?? null,
    daysOverdue: fields.daysOverdue ?? null,
  };
  return keepChecked(checkEvent(input, today), row.failed, EVENT_CHECK_READS);
}
