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
