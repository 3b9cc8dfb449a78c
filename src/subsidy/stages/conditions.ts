/**
 * A policy's conditions as data. Every stage that decides whether a loan (or its enterprise) qualifies states each of
 * its conditions as one record: what is checked (`code`), the clause it comes from, whether it is met, what was found
 * (`message`, `params`) and, when it is missed, what would meet it in words a clerk can act on (`toMeet`).
 *
 * The same records feed both answers, so they cannot disagree: a yearly run turns each missed condition of a line
 * into one of the line's `reasons` (`reasonOf`: the same message, clause and params under the reason's code), and the
 * eligibility answer (`GET /api/v1/enterprises/{uscc}/eligibility`) lists every condition, met or missed.
 *
 * A run records only missed conditions (100,000 loans, most of them eligible); an explanation records met ones too
 * (`ConditionSink.all`).
 */
import type { Reason, ReasonCode, ReasonParams } from '../types';

/**
 * What a condition checks, in the positive ("the loan is settled"), so that `met: true` reads as it says.
 * - `in_jurisdiction`: the enterprise is registered in the policy's area;
 * - `independent_legal_person`, `in_normal_operation`: the enterprise itself (《关于全面加强知识产权工作的实施意见》 § 20);
 * - `not_excluded`: no exclusion for the year (§ 23);
 * - `right_type_eligible`, `ip_part_known`, `secured_amounts_recorded`, `ip_share_at_least_minimum`: the loan's pledges
 *   and IP part;
 * - `settled`, `no_overdue_event`: repaid on time;
 * - `settled_in_year`: a policy paying loans in the year they are settled, for a loan not settled yet;
 * - `asset_not_subsidised_in_another_year`: the same asset is subsidised in one year only;
 * - `contract_date_recorded`: a rate fixed by the contract date needs it;
 * - `outstanding_not_negative`: the recorded repayments do not exceed the disbursements;
 * - `rate_in_force`: a fixing of the rate index is recorded for the fixing date (a run refuses itself without one);
 * - `parameters_set`: the policy's parameters a computation needs are set (a run refuses itself without them).
 */
export const CONDITION_CODES = [
  'in_jurisdiction',
  'independent_legal_person',
  'in_normal_operation',
  'not_excluded',
  'right_type_eligible',
  'ip_part_known',
  'secured_amounts_recorded',
  'ip_share_at_least_minimum',
  'settled',
  'settled_by_maturity',
  'no_overdue_event',
  'settled_in_year',
  'asset_not_subsidised_in_another_year',
  'contract_date_recorded',
  'outstanding_not_negative',
  'rate_in_force',
  'parameters_set',
] as const;
export type ConditionCode = (typeof CONDITION_CODES)[number];

/** The run line's reason for each condition a run can find missed (the API's stable reason codes). */
export const REASON_OF_CONDITION: Readonly<Partial<Record<ConditionCode, ReasonCode>>> = {
  independent_legal_person: 'enterprise_not_independent_legal_person',
  in_normal_operation: 'enterprise_not_in_normal_operation',
  not_excluded: 'enterprise_excluded',
  right_type_eligible: 'right_type_not_eligible',
  ip_part_known: 'combination_ip_part_unknown',
  secured_amounts_recorded: 'secured_amount_missing',
  ip_share_at_least_minimum: 'ip_share_below_minimum',
  settled: 'not_settled',
  settled_by_maturity: 'settled_after_maturity',
  no_overdue_event: 'repaid_late',
  asset_not_subsidised_in_another_year: 'asset_subsidised_in_another_year',
  contract_date_recorded: 'contract_date_missing',
  outstanding_not_negative: 'outstanding_negative',
};

export interface Condition {
  code: ConditionCode;
  met: boolean;
  /** The clause the condition comes from, by document and clause (or the project's docs/subsidy-rules.md). */
  reference: string;
  /** What was found, in English (for banks' programs; `conditionTextZh` gives the console's Chinese). */
  message: string;
  /** The values the message uses (dates, amounts as "123.45", asset numbers, division codes), by name. */
  params: ReasonParams;
  /** Further values only `toMeet` uses (a settlement date beside the maturity, the division a policy covers). */
  toMeetParams?: ReasonParams;
  /** Null when met; else what would meet it, concretely. */
  toMeet: string | null;
}

/**
 * Where a stage puts its conditions: missed ones always, met ones only when `all` (an explanation). A stage calls
 * `met` behind `if (sink.all)`, so that a run of 100,000 loans builds no text it would throw away.
 */
export class ConditionSink {
  readonly conditions: Condition[] = [];
  constructor(readonly all: boolean) {}

  met(code: ConditionCode, reference: string, message: () => string, params: () => ReasonParams = () => ({})): void {
    if (this.all) this.conditions.push({ code, met: true, reference, message: message(), params: params(), toMeet: null });
  }

  missed(condition: Omit<Condition, 'met'>): void {
    this.conditions.push({ ...condition, met: false });
  }

  get anyMissed(): boolean {
    return this.conditions.some((condition) => !condition.met);
  }
}

/**
 * The run line's reason for a missed condition: the same message, clause and params, under the reason's code. Null
 * for a condition a run never states on a line (outside the jurisdiction or not settled in the year: no line at all;
 * a rate or a parameter missing: the run refuses itself).
 */
export function reasonOf(condition: Condition): Reason | null {
  if (condition.met) throw new Error(`condition ${condition.code} is met: it is no reason`);
  const code = REASON_OF_CONDITION[condition.code];
  return code === undefined ? null : { code, message: condition.message, reference: condition.reference, params: condition.params };
}

/** The reasons of a line: its missed conditions, in the order the stages stated them. */
export function reasonsOf(conditions: readonly Condition[]): Reason[] {
  const reasons: Reason[] = [];
  for (const condition of conditions) {
    if (condition.met) continue;
    const reason = reasonOf(condition);
    if (reason) reasons.push(reason);
  }
  return reasons;
}
