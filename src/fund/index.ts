/**
 * The risk-compensation fund (src/fund/README.md; 袁府办字〔2023〕25号 三(一)2, 《关于全面加强知识产权工作的实施意见》 § 6, 《江西省专利转化运用专项行动实施方案》 (十四)):
 * dated, versioned parameters (./parameters.ts), the pure claim and recovery arithmetic (./compute.ts), the ledger
 * accounts and entries (./accounts.ts) and the operations on the database: the fund, its versions and capital
 * (./funds.ts), enrolments (./enrolments.ts), claims (./claims.ts), recoveries and write-offs (./recoveries.ts), the
 * statement and key figures (./reporting.ts). Tables and invariants:
 * migrations/Migration20261123000005Fund.ts. HTTP lives in src/http/routes/fund.ts; nothing here knows about it.
 */
export {
  addFundVersion,
  contribute,
  CONTRIBUTION_SORT_COLUMNS,
  createFund,
  getFund,
  listContributions,
  listFunds,
  type Contribution,
  type Fund,
  type NewFundVersion,
} from './funds';
export { coveredPrincipalOf, enrol, ENROLMENT_SORT_COLUMNS, getEnrolment, listEnrolments, withdraw, type Enrolment } from './enrolments';
export { bankPortfolios, CLAIM_SORT_COLUMNS, getClaim, listClaims, submitClaim, transitionClaim, type Claim, type ClaimStatus } from './claims';
export { recordRecovery, writeOff, type Recovery } from './recoveries';
export { fundKpis, fundStatement, fundStatementPage, type FundKpis, type FundStatement } from './reporting';
export { computeClaim, coveredLoss, coveredPrincipal, fundPartOfLoss, applyCaps, recoveryShare, leverageLimitFen, type ClaimTrace } from './compute';
export { fundAccountCodes } from './accounts';
export { versionInForce, assertFundParameters, type FundParameters, type FundVersion } from './parameters';
export { bankClaimFigures, claimTodo, type ClaimTodo, type ClaimTodoKind } from './todo';
