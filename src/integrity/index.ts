/**
 * Tamper evidence (README "Security"): the verifier of the audit log's and the ledger's hash chains, the export it
 * reads, and the daily statement that anchors the chains' heads outside the database. The chains themselves are
 * written by PostgreSQL (migrations/Migration20261203000300Integrity.ts).
 */
export * from './chain';
export { chainHeads, exportPage, exportRows, verifyDatabase, EXPORT_PAGE_ROWS, type ExportCursor, type VerificationReport } from './export';
export * from './statement';
