/** Reports derived from the tables and checked against the ledger (issue 4 § 5). */
export { splitReconciliation, reconciliationOut, reconciliationCsv, type SplitReconciliation } from './split-reconciliation';
