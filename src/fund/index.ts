/**
 * The risk-compensation fund (issue 5; POLICY.md "Risk-compensation fund"; 000 § 三(一)2, 001 § 6, 003 § 十四):
 * dated, versioned parameters (./parameters.ts), the pure claim and recovery arithmetic (./compute.ts), the ledger
 * accounts and entries (./accounts.ts) and the operations on the database (./service.ts). Tables and invariants:
 * migrations/Migration20261123000005Fund.ts. HTTP lives in src/http/routes/fund.ts; nothing here knows about it.
 */
export {
  addFundVersion,
  bankPortfolios,
  contribute,
  coveredPrincipalOf,
  createFund,
  enrol,
  fundKpis,
  fundStatement,
  fundStatementPage,
  CLAIM_SORT_COLUMNS,
  CONTRIBUTION_SORT_COLUMNS,
  ENROLMENT_SORT_COLUMNS,
  getClaim,
  getEnrolment,
  getFund,
  listClaims,
  listContributions,
  listEnrolments,
  listFunds,
  recordRecovery,
  submitClaim,
  transitionClaim,
  withdraw,
  writeOff,
  type Claim,
  type ClaimStatus,
  type Contribution,
  type Enrolment,
  type Fund,
  type FundKpis,
  type FundStatement,
  type NewFundVersion,
  type Recovery,
} from './service';
export { computeClaim, coveredLoss, coveredPrincipal, fundPartOfLoss, applyCaps, recoveryShare, leverageLimitFen, type ClaimTrace } from './compute';
export { fundAccountCodes } from './accounts';
export { versionInForce, assertFundParameters, type FundParameters, type FundVersion } from './parameters';
