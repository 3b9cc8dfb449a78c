/**
 * The closed list of domain failures, each with a stable code (STYLE.md: "Domain errors are one closed list of stable
 * codes"). Only src/http maps them to HTTP statuses and problem+json. Never renumber or rename a code: banks'
 * programs match on them.
 */
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
  // loans (issue 3): a bank asking for another bank's loan gets loan_not_found too (it never learns the loan exists)
  'enterprise_not_found',
  'loan_not_found',
  'ip_asset_not_found',
  // risk-compensation fund (issue 5): another bank's claim is claim_not_found too
  'fund_not_found',
  'fund_parameters_not_in_force',
  'enrolment_not_found',
  'enrolment_refused',
  'leverage_limit_exceeded',
  'claim_not_found',
  'claim_not_allowed',
  'fund_cash_insufficient',
  'recovery_not_allowed',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export interface FieldProblem {
  /** JSON path of the bad field, e.g. "principal" or "pledges.0.number"; for batches, "row" names the item. */
  path: string;
  message: string;
  row?: number;
}

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
