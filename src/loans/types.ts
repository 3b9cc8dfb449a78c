import type { Fen } from '../money';

export const RIGHT_TYPES = ['patent', 'trademark', 'copyright'] as const;
export type RightType = (typeof RIGHT_TYPES)[number];

export const COLLATERALS = ['ip_only', 'combination'] as const;
export type Collateral = (typeof COLLATERALS)[number];

export const EVENT_TYPES = ['disbursement', 'interest_payment', 'principal_repayment', 'overdue', 'default', 'settlement'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** The events that move money, and so post a ledger entry and carry an amount. */
export const MONEY_EVENT_TYPES: ReadonlySet<EventType> = new Set(['disbursement', 'interest_payment', 'principal_repayment']);

/** Derived from events, in this order of precedence (src/loans/status.ts). */
export const LOAN_STATUSES = ['active', 'overdue', 'defaulted', 'settled'] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

/** docs/api.md: a batch holds at most 10,000 loans or events; one transaction of that size stays well under 2 s. */
export const MAX_BATCH_ITEMS = 10_000;
/** A loan pledges a handful of assets; 100 bounds a row (and is the database's line_no limit). */
export const MAX_PLEDGES_PER_LOAN = 100;
export const CONTRACT_NO_CHARACTERS_MAX = 100;
export const ENTERPRISE_NAME_CHARACTERS_MAX = 200;
/** About a century: a larger figure is a typo, not a loan. */
export const DAYS_OVERDUE_MAX = 36_500;

export interface PledgeInput {
  rightType: RightType;
  number: string;
  registrationNo?: string | null | undefined;
  /** The claim this pledge's registration secures (担保债权数额), at most the principal; optional. */
  securedFen?: Fen | null | undefined;
}

/** A loan as a bank sends it, amounts already parsed to fen. */
export interface LoanInput {
  contractNo: string;
  enterpriseUscc: string;
  principalFen: Fen;
  /** Decimal string, a fraction: "0.0435" is 4.35 % a year. */
  annualRate: string;
  startDate: string;
  maturityDate: string;
  collateral: Collateral;
  /**
   * For `combination`: the part of the principal the IP secures, or absent when the contract does not separate it (the
   * loan is recorded, and subsidy policies find it ineligible, 《关于全面加强知识产权工作的实施意见》 § 6); for `ip_only` absent or equal to the principal.
   */
  ipPledgedFen?: Fen | null | undefined;
  pledges: PledgeInput[];
}

export interface Pledge {
  rightType: RightType;
  /** Normalised (src/loans/identifiers.ts). */
  number: string;
  registrationNo: string | null;
  /** The claim its registration secures (担保债权数额), when stated. */
  securedFen: Fen | null;
}

export interface Loan {
  id: string;
  bankId: string;
  contractNo: string;
  enterpriseUscc: string;
  principalFen: Fen;
  annualRate: string;
  startDate: string;
  maturityDate: string;
  collateral: Collateral;
  /** Null for a combination loan whose IP part the contract does not separate. */
  ipPledgedFen: Fen | null;
  pledges: Pledge[];
  createdAt: string;
}

/** A loan with what its events and ledger accounts say about it, now or as of a date. */
export interface LoanState extends Loan {
  asOf: string | null;
  status: LoanStatus;
  /** Ledger balance of loan:<id>:outstanding. */
  outstandingFen: Fen;
  /** Ledger balance of loan:<id>:interest-paid. */
  interestPaidFen: Fen;
  /** Principal minus the ledger balance of loan:<id>:undrawn. */
  disbursedFen: Fen;
  settlementDate: string | null;
}

export interface EventInput {
  loanId: string;
  type: EventType;
  /** The value date. */
  date: string;
  amountFen?: Fen | null | undefined;
  periodFrom?: string | null | undefined;
  periodTo?: string | null | undefined;
  daysOverdue?: number | null | undefined;
}

export interface LoanEvent {
  id: string;
  loanId: string;
  type: EventType;
  date: string;
  amountFen: Fen | null;
  periodFrom: string | null;
  periodTo: string | null;
  daysOverdue: number | null;
  recordedAt: string;
  ledgerEntryId: bigint | null;
}

export interface Enterprise {
  uscc: string;
  name: string;
  divisionCode: string;
  /** Why staff recorded a division other than the USCC's characters 3–8; null when it is the USCC's. */
  divisionReason: string | null;
  /** Set when staff registered a legal code that fails the check: why, who, when, and the rule it fails. */
  checkOverride: { reason: string; by: string; at: string; rule: string | null } | null;
  createdAt: string;
}

/** Whose loans a caller sees: one bank's, or (staff, finance, auditor) every bank's. */
export interface LoanScope {
  bankId: string | null;
}
