/**
 * The subsidy domain's failures: codes of the service's one closed list (src/errors.ts), carried by its one error
 * class. `SubsidyError` is that class with the subsidy codes and a `details` bag (parameters, loanId, index, date),
 * whose members other than `errors` travel as the problem's extra members. Only `src/http` maps codes to statuses.
 *
 * A failure that concerns one loan only (a trademark under a patent-only policy, a late repayment) is not an error:
 * it is an ineligibility reason on that loan's line. These errors refuse the whole run.
 */
import { DomainError, SUBSIDY_ERROR_CODES, type SubsidyErrorCode } from '../errors';

export { SUBSIDY_ERROR_CODES, type SubsidyErrorCode };

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

export class SubsidyError extends DomainError {
  override name = 'SubsidyError';
  declare readonly code: SubsidyErrorCode;
  constructor(
    code: SubsidyErrorCode,
    message: string,
    readonly details: SubsidyErrorDetails = {},
  ) {
    const { errors, ...extra } = details;
    super(code, message, errors ?? [], extra);
  }
}
