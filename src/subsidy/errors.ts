/**
 * The subsidy domain's failures: one closed list of stable codes, never renumbered or renamed. Only `src/http` maps them to HTTP statuses.
 *
 * A failure that concerns one loan only (a trademark under a patent-only policy, a late repayment) is not an error:
 * it is an ineligibility reason on that loan's line. These errors refuse the whole run.
 */
export const SUBSIDY_ERROR_CODES = [
  /** The policy record does not pass `validatePolicy`: `details.errors` names every bad field. */
  'policy_invalid',
  /** A parameter the run needs is UNSET ("set by staff"); `details.parameters` names them. */
  'policy_parameter_unset',
  /** The run's year lies outside the policy's effective period. */
  'policy_not_in_force',
  /** No fixing of the rate index is in force on the fixing date (docs/subsidy-rules.md "Rates": never zero). */
  'rate_not_in_force',
  /** The run's input is malformed (bad date, duplicate loan id, ...): `details.errors` names the fields. */
  'input_invalid',
] as const;

export type SubsidyErrorCode = (typeof SUBSIDY_ERROR_CODES)[number];

export interface FieldError {
  path: string;
  message: string;
}

export interface SubsidyErrorDetails {
  errors?: FieldError[];
  parameters?: string[];
  loanId?: string;
  index?: string;
  date?: string;
  [key: string]: unknown;
}

/** Shaped like `DomainError` of src/errors.ts (`code`, `message`, `errors`) so src/http can map both alike. */
export class SubsidyError extends Error {
  readonly errors: FieldError[];
  constructor(
    readonly code: SubsidyErrorCode,
    message: string,
    readonly details: SubsidyErrorDetails = {},
  ) {
    super(message);
    this.name = 'SubsidyError';
    this.errors = details.errors ?? [];
  }
}
