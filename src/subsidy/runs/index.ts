/**
 * Yearly runs in the database: reference data, staff inputs, the set-wise load, the stored run
 * and its workflow with the ledger postings. The pure computation is `computeRun` in ../engine.ts.
 */
export * from './reference-data';
export * from './inputs';
export * from './enterprise-status';
export { loadRunInput, APPROVED_STATUSES, type LoadedInput } from './load';
export * from './postings';
export * from './store';
export * from './workflow';
export * from './todo';
