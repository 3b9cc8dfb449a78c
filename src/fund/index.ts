/**
 * The risk-compensation fund (src/fund/README.md; 袁府办字〔2023〕25号 三(一)2, 《关于全面加强知识产权工作的实施意见》 § 6, 《江西省专利转化运用专项行动实施方案》 (十四)):
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
