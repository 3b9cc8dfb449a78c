/** Reports derived from the tables and checked against the ledger. */
export { attachmentDisposition, DOCUMENT_TYPES, reconciliationDocument, rosterDocument, rosterTitle, ROSTER_STATUSES } from './exports';
export { renderPdf, renderXlsx, formatYuanForPeople, type TableDocument } from './documents';
export { splitReconciliation, reconciliationOut, reconciliationCsv, type SplitReconciliation } from './split-reconciliation';
export { simulationDocument } from './simulation';
