/**
 * `GET /api/v1/enterprises/{uscc}/eligibility?year=`: every policy in force in the year, whether it applies to the
 * enterprise, and each of its loans with every condition met or missed, the clause, what would meet a missed one, and
 * the estimate before the enterprise caps. No run is created. Staff and auditors see every loan; a bank sees the
 * enterprises the loans module lets it see (those it lends to, on the white-list, or it registered; any other is 404,
 * as if it did not exist), and of their loans its own only.
 */
import { z } from 'zod';
import { formatYuan } from '../../money';
import { CONDITION_CODES } from '../../subsidy/stages/conditions';
import { LIMIT_CODES } from '../../subsidy/eligibility';
import { enterpriseEligibility, type AnsweredCondition } from '../../subsidy/runs/eligibility';
import type { RouteRegistry } from '../route';

const Params = z.object({ uscc: z.string().regex(/^[0-9A-Z]{18}$/, 'must be an 18-character USCC') });
const Query = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

const ConditionOut = z.object({
  code: z.enum([...CONDITION_CODES, ...LIMIT_CODES]),
  kind: z.enum(['eligibility', 'limit']).meta({ description: 'eligibility: decides whether the loan is paid; limit: caps or reduces what it is paid' }),
  met: z.boolean().meta({ description: 'for a limit: false when it cuts the amount' }),
  reference: z.string().meta({ description: 'the clause of the policy document (or docs/subsidy-rules.md)' }),
  message: z.string().meta({ description: 'what was found, in English (for programs)' }),
  messageZh: z.string().meta({ description: 'the same in Chinese (for clerks)' }),
  params: z.record(z.string(), z.union([z.string(), z.number()])).meta({ description: 'the values the message uses, by name' }),
  toMeet: z.string().nullable().meta({ description: 'what would meet a missed condition, in words a clerk can act on; null when met' }),
  toMeetZh: z.string().nullable(),
});

const LoanOut = z.object({
  loanId: z.string(),
  contractNo: z.string(),
  bankId: z.string(),
  eligible: z.boolean(),
  estimate: z.string().nullable().meta({ description: "what the loan gets in the year's run before the enterprise caps; null when it cannot be computed (a parameter or a rate missing: see the conditions)" }),
  conditions: z.array(ConditionOut),
  trace: z.record(z.string(), z.unknown()).meta({ description: "the line's trace as the run would write it, up to the enterprise caps" }),
});

const PolicyOut = z.object({
  policyId: z.string(),
  version: z.number(),
  title: z.string(),
  documentNo: z.string(),
  applies: z.boolean().meta({ description: 'the enterprise meets the policy’s conditions on it (jurisdiction, legal form and operation, no exclusion)' }),
  conditions: z.array(ConditionOut).meta({ description: 'the conditions on the enterprise, then (staff and auditors) the limits on it as a whole' }),
  loans: z.array(LoanOut),
  estimate: z.string().nullable().meta({ description: 'Σ the loans’ estimates' }),
  afterLimits: z.string().nullable().meta({ description: 'staff and auditors: the interest lines after the caps, other support and the contribution cap (before a budget)' }),
});

const AnswerOut = z.object({ uscc: z.string(), name: z.string(), divisionCode: z.string(), year: z.number(), policies: z.array(PolicyOut) });

const conditionOut = (condition: AnsweredCondition) => ({
  code: condition.code,
  kind: condition.kind,
  met: condition.met,
  reference: condition.reference,
  message: condition.message,
  messageZh: condition.messageZh,
  params: { ...condition.params, ...(condition.toMeetParams ?? {}) },
  toMeet: condition.toMeet,
  toMeetZh: condition.toMeetZh,
});

export function registerEligibilityRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'get',
    path: '/api/v1/enterprises/{uscc}/eligibility',
    summary: 'Every policy in force in the year, each condition met or missed with its clause and what would meet it, and each loan’s estimate before the enterprise caps (no run is created)',
    tag: 'subsidy',
    roles: ['staff', 'auditor', 'bank'],
    params: Params,
    query: Query,
    responses: { 200: { description: 'the answer', schema: AnswerOut }, 404: { description: 'no such enterprise (for a bank: none it may see)' } },
    handler: async ({ db, params, query, principal }) => {
      const answer = await enterpriseEligibility(db, params.uscc, query.year, { bankId: principal.role === 'bank' ? principal.bankId : null });
      return {
        status: 200,
        body: {
          ...answer,
          policies: answer.policies.map((policy) => ({
            policyId: policy.policyId,
            version: policy.version,
            title: policy.title,
            documentNo: policy.documentNo,
            applies: policy.applies,
            conditions: policy.conditions.map(conditionOut),
            loans: policy.loans.map((loan) => ({
              loanId: loan.loanId,
              contractNo: loan.contractNo,
              bankId: loan.bankId,
              eligible: loan.eligible,
              estimate: loan.estimateFen === null ? null : formatYuan(loan.estimateFen),
              conditions: loan.conditions.map(conditionOut),
              trace: loan.trace,
            })),
            estimate: policy.estimateFen === null ? null : formatYuan(policy.estimateFen),
            afterLimits: policy.afterLimitsFen === null ? null : formatYuan(policy.afterLimitsFen),
          })),
        },
      };
    },
  });
}
