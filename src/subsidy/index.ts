/**
 * The subsidy domain's pure computation: policies as validated data, and `computeRun` over plain arrays.
 * No database, no clock, no I/O here; the caller loads a year of loans set-wise and stores the result.
 */
export { computeRun, RunComputation } from './engine';
export { SUBSIDY_ERROR_CODES, SubsidyError, type FieldError, type SubsidyErrorCode, type SubsidyErrorDetails } from './errors';
export {
  RATE_INDEXES,
  RIGHT_TYPES,
  checkPolicy,
  completeRecordedPolicy,
  rawPolicySchema,
  unsetRequiredParameters,
  validatePolicy,
  type Parameter,
  type ParameterName,
  type Policy,
  type PolicyCheck,
  type RawPolicy,
  type RecordedPolicy,
  type RightType,
} from './policy';
export { rawShippedPolicies, rawShippedPoliciesV2, shippedPolicies, shippedPolicy } from './policies';
export * from './types';
