/** Every word the console shows for a code of the service, in one place (see each file). */
export * from './audit';
export * from './errors';
export * from './fields';
export * from './ledger';
export * from './rates';
export * from './subsidy';
