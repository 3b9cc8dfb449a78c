/**
 * The eligibility answer for one enterprise and year (`GET /api/v1/enterprises/{uscc}/eligibility`): every policy in
 * force in the year, at its latest version (the one a run takes by default), explained by `explainEligibility` over
 * the enterprise's own data. It costs one enterprise's data, not a run: a fixed number of statements
 * (`loadEnterpriseInputs`), then pure computation over its loans.
 *
 * A bank asks about the enterprises the loans module lets it see (`getEnterprise` with its scope: those it lends to,
 * those on the white-list in force, those it registered; any other is `enterprise_not_found`, as if it did not exist)
 * and sees its own loans only: another bank's loans are left out, and so are the limits on the enterprise as a whole
 * (its caps and contribution sum every bank's loans).
 */
import { todayInChina } from '../../dates';
import type { Queryable } from '../../db/pool';
import { DomainError } from '../../errors';
import { getEnterprise } from '../../loans/enterprises';
import { sumFen, type Fen } from '../../money';
import { conditionTextZh } from '../conditions-zh';
import { explainEligibility, type ExplainedCondition, type PolicyEligibility } from '../eligibility';
import type { Policy } from '../policy';
import { loadEnterpriseInputs } from './load';
import { listPolicies } from './reference-data';

export type AnsweredCondition = ExplainedCondition & { messageZh: string; toMeetZh: string | null };

export interface EligibilityAnswer {
  uscc: string;
  name: string;
  divisionCode: string;
  year: number;
  policies: Array<
    Omit<PolicyEligibility, 'conditions' | 'loans'> & {
      conditions: AnsweredCondition[];
      loans: Array<Omit<PolicyEligibility['loans'][number], 'conditions'> & { conditions: AnsweredCondition[] }>;
    }
  >;
}

/** The latest version of each policy, of those whose effective period overlaps the year. */
export async function policiesInForce(db: Queryable, year: number): Promise<Policy[]> {
  const latest = new Map<string, Policy>();
  for (const stored of await listPolicies(db)) {
    const known = latest.get(stored.policy.id);
    if (!known || stored.policy.version > known.version) latest.set(stored.policy.id, stored.policy);
  }
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  return [...latest.values()]
    .filter((policy) => policy.effectiveFrom <= to && (policy.effectiveTo === null || policy.effectiveTo === undefined || policy.effectiveTo >= from))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The advice as of the day it is asked: a deadline already past cannot be met any more, and the answer says so rather
 * than advising it (but for a settlement made in time and not recorded yet, which the bank records with its date). Whether a condition is met is the run's, never the day's; only `toMeet` changes.
 * - `settled` (repaid on time, settled on or before maturity): after the maturity date a settlement is late.
 * - `settled_in_year` (the run of a year pays the loans settled in it): after the year, the loan is paid, once settled,
 *   by the run of the year it is settled in.
 */
export function adviseAsOf(condition: ExplainedCondition, today: string): ExplainedCondition {
  if (condition.met) return condition;
  if (condition.code === 'settled') {
    const maturityDate = String(condition.params.maturityDate);
    if (today <= maturityDate) return condition;
    return {
      ...condition,
      toMeetParams: { ...condition.toMeetParams, today },
      toMeet: `maturity ${maturityDate} has passed (today is ${today}): a settlement now is after maturity, so this loan can no longer be repaid on time; if it was settled on or before ${maturityDate}, the bank records the settlement with the date it took effect`,
    };
  }
  if (condition.code === 'settled_in_year') {
    const year = Number(condition.params.year);
    if (today <= `${year}-12-31`) return condition;
    return {
      ...condition,
      toMeetParams: { ...condition.toMeetParams, today },
      toMeet: `none for ${year}: the year has ended (today is ${today}); if the loan was settled in ${year}, the bank records the settlement with the date it took effect; otherwise, once settled, it is paid by the run of the year it is settled in`,
    };
  }
  return condition;
}

function answered(explained: ExplainedCondition, today: string): AnsweredCondition {
  const condition = adviseAsOf(explained, today);
  const text = conditionTextZh(condition);
  const answer: AnsweredCondition = {
    code: condition.code,
    kind: condition.kind,
    met: condition.met,
    reference: condition.reference,
    message: condition.message,
    messageZh: text.messageZh,
    params: condition.params,
    toMeet: condition.toMeet,
    toMeetZh: text.toMeetZh,
  };
  if (condition.toMeetParams) answer.toMeetParams = condition.toMeetParams;
  return answer;
}

export async function enterpriseEligibility(
  db: Queryable,
  uscc: string,
  year: number,
  viewer: { bankId: string | null },
  today: string = todayInChina(),
): Promise<EligibilityAnswer> {
  // The loans module's rule of which enterprises a bank sees (404 otherwise); staff and auditors see every one.
  if (viewer.bankId !== null) await getEnterprise(db, uscc, { bankId: viewer.bankId });
  const policies = await policiesInForce(db, year);
  const loaded = await loadEnterpriseInputs(db, uscc, policies, year);
  if (!loaded) throw new DomainError('enterprise_not_found', `no enterprise ${uscc}`);
  return {
    uscc: loaded.enterprise.uscc,
    name: loaded.enterprise.name,
    divisionCode: loaded.enterprise.divisionCode,
    year,
    policies: loaded.inputs.map((input) => {
      const answer = explainEligibility(input, loaded.enterprise.uscc);
      const loans = viewer.bankId === null ? answer.loans : answer.loans.filter((loan) => loan.bankId === viewer.bankId);
      const conditions = viewer.bankId === null ? answer.conditions : answer.conditions.filter((condition) => condition.kind === 'eligibility');
      const estimates = loans.map((loan) => loan.estimateFen);
      return {
        ...answer,
        conditions: conditions.map((condition) => answered(condition, today)),
        loans: loans.map((loan) => ({ ...loan, conditions: loan.conditions.map((condition) => answered(condition, today)) })),
        estimateFen: estimates.some((estimate) => estimate === null) ? null : sumFen(estimates as Fen[]),
        afterLimitsFen: viewer.bankId === null ? answer.afterLimitsFen : null,
      };
    }),
  };
}
