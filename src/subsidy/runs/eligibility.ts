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

function answered(condition: ExplainedCondition): AnsweredCondition {
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

export async function enterpriseEligibility(db: Queryable, uscc: string, year: number, viewer: { bankId: string | null }): Promise<EligibilityAnswer> {
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
        conditions: conditions.map(answered),
        loans: loans.map((loan) => ({ ...loan, conditions: loan.conditions.map(answered) })),
        estimateFen: estimates.some((estimate) => estimate === null) ? null : sumFen(estimates as Fen[]),
        afterLimitsFen: viewer.bankId === null ? answer.afterLimitsFen : null,
      };
    }),
  };
}
