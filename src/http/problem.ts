/**
 * The only place that turns domain failures into HTTP: a status per stable code and an RFC 9457 problem document
 * (`application/problem+json`) naming every bad field.
 */
import type { Response } from 'express';
import { DomainError, type DomainErrorCode, type FieldProblem } from '../errors';

const STATUS: Record<DomainErrorCode, number> = {
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  idempotency_conflict: 409,
  idempotency_in_progress: 409,
  entry_unbalanced: 422,
  entry_too_few_lines: 422,
  ledger_immutable: 409,
  account_limit_exceeded: 409,
  account_not_found: 404,
  account_definition_conflict: 409,
  entry_already_reversed: 409,
  reversal_mismatch: 422,
  conflict: 409,
  state_transition_refused: 409,
  enterprise_not_found: 404,
  loan_not_found: 404,
  ip_asset_not_found: 404,
  fund_not_found: 404,
  fund_parameters_not_in_force: 422,
  enrolment_not_found: 404,
  enrolment_refused: 422,
  leverage_limit_exceeded: 422,
  claim_not_found: 404,
  claim_not_allowed: 422,
  fund_cash_insufficient: 409,
  recovery_not_allowed: 422,
  // Every subsidy refusal is about the request's data (a policy, a parameter left unset, a missing rate).
  policy_invalid: 422,
  policy_parameter_unset: 422,
  policy_not_in_force: 422,
  rate_not_in_force: 422,
  input_invalid: 422,
  malformed_body: 400,
  body_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  bad_request: 400,
  shutting_down: 503,
  internal: 500,
};

const TITLE: Partial<Record<DomainErrorCode, string>> = {
  validation_failed: 'Invalid input',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  idempotency_conflict: 'Idempotency key reused with a different request',
  account_limit_exceeded: 'Account limit would be crossed',
  malformed_body: 'Malformed request body',
  body_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  too_many_requests: 'Too many failed authentications',
  bad_request: 'Bad request',
  shutting_down: 'Service shutting down',
  internal: 'Internal error',
};

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldProblem[];
  [extra: string]: unknown;
}

export function problemFor(error: DomainError): ProblemDocument {
  const status = STATUS[error.code];
  return {
    type: `urn:ip-pledge:problem:${error.code}`,
    title: TITLE[error.code] ?? error.code.replace(/_/g, ' '),
    status,
    detail: error.message,
    code: error.code,
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
    ...error.extra,
  };
}

/**
 * The one way an error becomes an answer: a DomainError (one code of the closed list) as problem+json, naming the
 * request id the service gave the request (the X-Request-Id header), to quote to us.
 */
export function sendProblem(res: Response, error: DomainError): void {
  const problem = problemFor(error);
  const requestId = res.locals.requestId as string | undefined;
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify({ ...problem, ...(requestId ? { requestId } : {}) }));
}

export function validationFailed(errors: FieldProblem[], where: string): DomainError {
  const summary = errors
    .slice(0, 5)
    .map((e) => `${e.row !== undefined ? `row ${e.row}: ` : ''}${e.path}: ${e.message}`)
    .join('; ');
  return new DomainError('validation_failed', `${where} is not valid: ${summary}${errors.length > 5 ? '; …' : ''}`, errors);
}
