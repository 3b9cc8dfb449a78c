/**
 * Which module owns the tables each migration creates. Only a module's own code (`src/<module>/`) writes SQL against
 * its tables; another module reads them through what the owner exports: a typed function of its own, or a view (or a
 * set-returning function) created by one of the owner's migrations. `test/modules.tables.test.ts` fails on any other
 * use, and on a migration not listed here.
 *
 * A migration belongs to one module; the foundation migration, which created the first tables of several modules at
 * once, names the owner of each of its tables.
 */
export type Module = 'principals' | 'audit' | 'http' | 'ledger' | 'loans' | 'subsidy' | 'fund' | 'reports' | 'integrity';

export const MIGRATION_OWNERS: Readonly<Record<string, Module | Readonly<Record<string, Module>>>> = {
  Migration20261123000001Foundation: {
    funding_body: 'principals',
    bank: 'principals',
    principal: 'principals',
    audit_log: 'audit',
    idempotency_record: 'http',
  },
  Migration20261123000002Ledger: 'ledger',
  Migration20261123000003Loans: 'loans',
  Migration20261123000004Subsidy: 'subsidy',
  Migration20261123000005Fund: 'fund',
  Migration20261123000006Whitelist: 'loans',
  // The loans' pledge guards and secured amounts are the loans module's; the status records and run dates subsidy's.
  Migration20261203000100PolicyFidelity: 'subsidy',
  Migration20261203000200ReplaysWithoutTokens: 'http',
  Migration20261203000300Integrity: 'integrity',
  Migration20261203000301EnterpriseDivision: 'loans',
  Migration20261203000201AuditPathCap: 'audit',
  Migration20261203000400LedgerSummary: 'ledger',
  Migration20261203000600AreaTargets: 'loans',
  Migration20261203000601RunProgress: 'subsidy',
  Migration20261203000700PrincipalsViews: 'principals',
  Migration20261203000701LedgerViews: 'ledger',
  Migration20261203000702LoansViews: 'loans',
  Migration20261203000703LoanEventSummary: 'loans',
  Migration20261203001200LedgerKeyedPosting: 'ledger',
  Migration20261203001201HttpOneStatement: 'http',
  Migration20261203001202LoansOneStatement: 'loans',
  Migration20261203001203RunLinesChecked: 'subsidy',
  Migration20261203001300EnterpriseFile: 'loans',
  Migration20261203001301ExclusionWithdrawal: 'subsidy',
  Migration20261203001500LoanFactItems: 'loans',
  Migration20261203001501RunLinesUncompressed: 'subsidy',
  Migration20261203001650LedgerLeanWal: 'ledger',
  Migration20261203001800LedgerKindTotals: 'ledger',
  Migration20261204000100LoanEventState: 'loans',
  Migration20261204000200LedgerFreeChain: 'ledger',
  Migration20261205000100LedgerOneEntry: 'ledger',
  Migration20261205000200LoansOneEntry: 'loans',
  Migration20261205000300LedgerSharedAccounts: 'ledger',
  Migration20261205000400LoansBankAccountsShared: 'loans',
  Migration20261205000500HttpWriteGroups: 'http',
  Migration20261205000600LoansWriteGroups: 'loans',
  Migration20261205000700LoanEventsWriteGroups: 'loans',
};

/**
 * Reads one module makes of another's tables by design, each with its reason. The integrity verifier recomputes the
 * hash chains from the histories' rows exactly as they are stored: a view in between would be what it verifies
 * instead of the rows themselves.
 */
export const READS_BY_DESIGN: Readonly<Partial<Record<Module, readonly string[]>>> = {
  integrity: ['audit_log', 'ledger_entry', 'ledger_line', 'ledger_account'],
};
