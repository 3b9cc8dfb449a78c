/**
 * The closed list of the service's failures, each with a stable code, and the one error class that carries them.
 * Only src/http maps a code to an HTTP status and a
 * problem+json document (src/http/problem.ts). Never renumber or rename a code: banks' programs match on them; add
 * a new one to the group it belongs to.
 */

/** The subsidy computation's refusals of a whole run (src/subsidy/errors.ts builds them as `SubsidyError`). */
export const SUBSIDY_ERROR_CODES = [
  /** The policy record does not pass `validatePolicy`: `errors` names every bad field. */
  'policy_invalid',
  /** A parameter the run needs is UNSET ("set by staff"); `parameters` names them. */
  'policy_parameter_unset',
  /** The run's year lies outside the policy's effective period. */
  'policy_not_in_force',
  /** No fixing of the rate index is in force on the fixing date (never a silent zero). */
  'rate_not_in_force',
  /** The run's input is malformed (bad date, duplicate loan id, ...): `errors` names the fields. */
  'input_invalid',
] as const;

/** Refusals of a request before any domain code runs: how it was sent, not what it asks. */
export const REQUEST_ERROR_CODES = [
  /** The body is not JSON (or not UTF-8, or nested deeper than the service reads). */
  'malformed_body',
  /** The body is larger than the route takes (about 100 kB; the two `:batch` routes take more). */
  'body_too_large',
  /** The body's media type is not one the route declares (JSON; CSV only where declared). */
  'unsupported_media_type',
  /** Too many failed authentications from this client address: wait `retryAfterSeconds`. */
  'too_many_requests',
  /** Another malformed request (an aborted upload, a bad Content-Length). */
  'bad_request',
  /** The service is stopping: retry after `Retry-After` (src/http/shutdown.ts). */
  'shutting_down',
  /** A fault of ours: the answer names the request id to quote. */
  'internal',
] as const;

export const DOMAIN_ERROR_CODES = [
  // input
  'validation_failed',
  // identity and access
  'unauthenticated',
  'forbidden',
  'not_found',
  // idempotency
  'idempotency_conflict',
  'idempotency_in_progress',
  // ledger
  'entry_unbalanced',
  'entry_too_few_lines',
  'ledger_immutable',
  'account_limit_exceeded',
  'account_not_found',
  'account_definition_conflict',
  'entry_already_reversed',
  'reversal_mismatch',
  // generic state
  'conflict',
  'state_transition_refused',
  // loans: a bank asking for another bank's loan gets loan_not_found too (it never learns the loan exists)
  'enterprise_not_found',
  'loan_not_found',
  'ip_asset_not_found',
  // risk-compensation fund: another bank's claim is claim_not_found too
  'fund_not_found',
  'fund_parameters_not_in_force',
  'enrolment_not_found',
  'enrolment_refused',
  'leverage_limit_exceeded',
  'claim_not_found',
  'claim_not_allowed',
  'fund_cash_insufficient',
  'recovery_not_allowed',
  // interest subsidies
  ...SUBSIDY_ERROR_CODES,
  // the request itself
  ...REQUEST_ERROR_CODES,
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];
export type SubsidyErrorCode = (typeof SUBSIDY_ERROR_CODES)[number];

export interface FieldProblem {
  /** JSON path of the bad field, e.g. "principal" or "pledges.0.number"; for batches, "row" names the item. */
  path: string;
  message: string;
  row?: number;
}

/** Every failure the service reports: a code of the closed list, a message, the bad fields, and extra members. */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly errors: FieldProblem[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function validationError(path: string, message: string): DomainError {
  return new DomainError('validation_failed', `${path}: ${message}`, [{ path, message }]);
}
