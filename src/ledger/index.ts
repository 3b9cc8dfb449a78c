/**
 * The ledger's typed API, used by every other module: accounts, `post`/`postMany` (one transaction per batch),
 * `reverse`, `balance`, `trialBalance`, `statement`, and the hledger export. The invariants behind it live in
 * PostgreSQL (migrations/Migration20261123000002Ledger.ts).
 */
export { ensureAccounts, findAccount, getAccount } from './accounts';
export { countPostings, post, postMany, postingArguments, MAX_ENTRIES_PER_BATCH, translateLedgerError } from './posting';
export { balance, balances, trialBalance, statement, statementPage, reverse, type StatementPosition } from './queries';
export { exportHledgerJournal } from './hledger';
export { ledgerSummary, refreshLedgerSummary, SUMMARY_REFRESH_AFTER, type LedgerSummary, type SummaryGroup } from './summary';
export type * from './types';
