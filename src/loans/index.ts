/**
 * Loans: enterprises keyed by USCC, IP assets and pledges, loans, loan events on the ledger's memo accounts,
 * bulk ingestion and the portfolio report. Tables and their invariants: migrations/Migration20261123000003Loans.ts.
 * HTTP lives in src/http/routes/loans.ts; nothing here knows about it.
 */
export {
  registerEnterprise,
  getEnterprise,
  listEnterprises,
  correctDivision,
  listDivisionCorrections,
  correctName,
  listNameCorrections,
  usccDivision,
  type NameCorrection,
  type DivisionCorrection,
  type Correction,
  type EnterpriseScope,
  type NewEnterprise,
  type Registrar,
} from './enterprises';
export {
  createLoans,
  getLoan,
  recordSecuredAmount,
  loanStates,
  listLoans,
  parseLoanSort,
  formatLoanSort,
  LOAN_SORT_COLUMNS,
  DEFAULT_LOAN_SORT,
  type BatchOptions,
  type LoanFilter,
  type LoanKeyset,
  type LoanPage,
  type ListedLoan,
  type LoanSort,
  type Writer,
} from './loans';
export { recordEvents, listEvents, loanIdsFromContracts } from './events';
export { createLoanInOneStatement, recordEventInOneStatement, type RecordedEvent } from './one-statement';
export { EventWriteGroups, eventWriteGroups, LoanWriteGroups, loanWriteGroups } from './groups';
export { assetHistory, type AssetHistory } from './assets';
export { portfolioReport, type PortfolioReport } from './portfolio';
export {
  addPopulation,
  addTarget,
  getArea,
  listAreas,
  listPopulation,
  listTargets,
  TARGET_MEASURES,
  TARGET_SCOPES,
  type Area,
  type AreaPopulation,
  type AreaTarget,
} from './targets';
export { csvObjects, parsePledgeList, LOAN_CSV_COLUMNS, EVENT_CSV_COLUMNS } from './csv';
export { loanAccountCodes, bankAccountCodes } from './accounts';
export * from './types';
