/**
 * Eligibility, explained, against the run it explains: over random portfolios, every line of a run has its loan in the
 * explanation of its enterprise, eligible exactly when the line is, its missed conditions the line's reasons, its
 * estimate the line's amount before the enterprise caps. And what only an explanation answers: an enterprise outside
 * the area, a policy with a parameter UNSET, a missing rate fixing. Every condition and limit has its Chinese text.
 */
import fc from 'fast-check';
import { conditionTextZh } from './conditions-zh';
import { addMonths, formatDate, parseDate } from './dates';
import { computeRun } from './engine';
import { explainEligibility, type ExplainedCondition } from './eligibility';
import { dongyang2021, shippedPolicy, yuanzhou2023 } from './policies';
import { validatePolicy, type Policy } from './policy';
import { USCC, enterprisesFor, loan, runInput, withParameters } from './test-fixtures';
import type { InterestLine, RunInput, RunLoan, RunLoanEvent } from './types';

const USCCS: string[] = [USCC.yuanzhouA, USCC.yuanzhouB, USCC.yichunOther, USCC.dongyangA, USCC.dongyangB];

const loanArbitrary = (index: number) =>
  fc
    .record({
      uscc: fc.constantFrom(...USCCS),
      principalFen: fc.bigInt({ min: 100_000n, max: 5_000_000_000n }),
      combination: fc.boolean(),
      ipPermille: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
      startOffset: fc.integer({ min: 0, max: 730 }),
      termMonths: fc.integer({ min: 1, max: 30 }),
      rightTypes: fc.subarray(['patent', 'trademark', 'copyright'] as const, { minLength: 1 }),
      securedPermille: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null, freq: 3 }),
      settleOffset: fc.option(fc.integer({ min: 1, max: 900 }), { nil: null, freq: 4 }),
      overdue: fc.integer({ min: 0, max: 9 }),
    })
    .map((draw): RunLoan => {
      const startDay = parseDate('2023-01-01') + draw.startOffset;
      const events: RunLoanEvent[] = [{ type: 'disbursement', date: formatDate(startDay), amountFen: draw.principalFen }];
      if (draw.overdue === 0) events.push({ type: 'overdue', date: formatDate(startDay + 40), daysOverdue: 3 });
      if (draw.settleOffset !== null) {
        events.push({ type: 'principal_repayment', date: formatDate(startDay + draw.settleOffset), amountFen: draw.principalFen });
        events.push({ type: 'settlement', date: formatDate(startDay + draw.settleOffset) });
      }
      return {
        loanId: `E${String(index).padStart(3, '0')}`,
        bankId: 'bank-1',
        enterpriseUscc: draw.uscc,
        contractNo: `C${index}`,
        principalFen: draw.principalFen,
        ipPledgedFen: draw.combination && draw.ipPermille !== null ? (draw.principalFen * BigInt(draw.ipPermille)) / 1000n || 1n : null,
        collateral: draw.combination ? 'combination' : 'ip_only',
        annualRate: '0.0435',
        startDate: formatDate(startDay),
        maturityDate: formatDate(addMonths(startDay, draw.termMonths)),
        pledges: draw.rightTypes.map((rightType, pledgeIndex) => ({
          rightType,
          number: `${rightType}-${index % 5}-${pledgeIndex}`,
          securedFen: draw.securedPermille === null ? null : (draw.principalFen * BigInt(draw.securedPermille)) / 1000n || 1n,
        })),
        events,
      };
    });

const inputArbitrary = (policy: Policy) =>
  fc.record({ year: fc.constantFrom(2023, 2024, 2025), count: fc.integer({ min: 2, max: 10 }) }).chain(({ year, count }) =>
    fc.tuple(...Array.from({ length: count }, (_, index) => loanArbitrary(index))).map(
      (loans): RunInput => ({
        ...runInput(policy, year, { loans }),
        enterprises: enterprisesFor(...USCCS),
        otherSupport: loans.slice(0, 2).map((item) => ({ loanId: item.loanId, programme: 'other', fiscalLevel: 'district', amountFen: 50_000n })),
        priorSubsidisedAssets: [{ rightType: 'patent', number: 'patent-1-0', year: year - 1, loanId: 'OLD' }],
        enterpriseStatus: [{ recordId: 'R1', uscc: USCC.dongyangB, condition: 'not_in_normal_operation', from: `${year}-05-01`, to: null, reason: '停产' }],
        contributions: [{ uscc: USCC.dongyangA, year, amountFen: 1_000_000n }],
      }),
    ),
  );

/** The line's amount before the enterprise caps, from its trace: rounded, less the per-loan cap and other support netted before the caps. */
function beforeEnterpriseCaps(line: InterestLine, policy: Policy): bigint {
  if (!line.eligible) return 0n;
  let amount = BigInt(line.trace.amountRoundedFen ?? '0');
  for (const adjustment of line.trace.adjustments) {
    const before = adjustment.step === 'cap_per_loan' || (adjustment.step === 'other_support_same_level' && policy.parameters.noDoubleSupport.value?.stage === 'before_caps');
    if (before) amount -= BigInt(adjustment.cutFen);
  }
  return amount;
}

describe.each([
  ['Yuanzhou, small caps', validatePolicy(withParameters(yuanzhou2023, { capPerEnterpriseYear: '3000.00', capPerLoan: '1500.00' }))],
  ['Yuanzhou version 1 (other support before the caps)', shippedPolicy('yuanzhou-2023', 1)],
  ['Dongyang, a small cap per right type', validatePolicy(withParameters(dongyang2021, { capPerEnterpriseRightTypeYear: '2000.00' }))],
])('an explanation agrees with the run (%s)', (_name, policy) => {
  it('for every line: the loan is explained, eligible alike, its missed conditions the reasons, its estimate the amount before the enterprise caps', () => {
    fc.assert(
      fc.property(inputArbitrary(policy), (input) => {
        const run = computeRun(input);
        const explained = new Map(USCCS.map((code) => [code, explainEligibility(input, code)]));
        for (const line of run.lines) {
          const answer = explained.get(line.enterpriseUscc)!;
          const found = answer.loans.find((candidate) => candidate.loanId === line.loanId);
          expect(found).toBeDefined();
          expect(found!.eligible).toBe(line.eligible);
          expect(found!.estimateFen).toBe(beforeEnterpriseCaps(line, policy));
          const missed = [...answer.conditions, ...found!.conditions].filter((condition) => condition.kind === 'eligibility' && !condition.met);
          expect(missed.map((condition) => [condition.message, condition.reference, condition.params])).toEqual(
            line.reasons.map((reason) => [reason.message, reason.reference, reason.params]),
          );
        }
        // An enterprise outside the area has no line, and its explanation says why.
        expect(explained.get(USCC.yichunOther)!.applies).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});

describe('what only an explanation answers', () => {
  const yuanzhou = shippedPolicy('yuanzhou-2023');

  it('an enterprise outside the area: its loans checked, none eligible, estimates 0.00', () => {
    const input = runInput(yuanzhou, 2024, { loans: [loan({ loanId: 'O1', enterpriseUscc: USCC.yichunOther, startDate: '2024-03-01' })] });
    const answer = explainEligibility(input, USCC.yichunOther);
    expect(answer.applies).toBe(false);
    expect(answer.conditions.filter((condition) => !condition.met).map((condition) => condition.code)).toEqual(['in_jurisdiction']);
    expect(answer.loans).toEqual([expect.objectContaining({ loanId: 'O1', eligible: false, estimateFen: 0n })]);
    expect(answer.loans[0]!.conditions.every((condition) => condition.met)).toBe(true);
    expect([answer.estimateFen, answer.afterLimitsFen]).toEqual([0n, null]);
  });

  it('a missing rate fixing: no estimate, and the condition names the fixing to record', () => {
    // LPR1Y's first fixing is 2019-08-20; a loan started 2019-08-01 whose 12-month window reaches 2020 under a policy in force then
    const early = validatePolicy({ ...withParameters(yuanzhou2023, {}), effectiveFrom: '2019-01-01' });
    const input = runInput(early, 2020, { loans: [loan({ loanId: 'M1', startDate: '2019-08-01', maturityDate: '2020-07-31' })] });
    expect(() => computeRun(input)).toThrow(expect.objectContaining({ code: 'rate_not_in_force' }));
    const answer = explainEligibility(input, USCC.yuanzhouA);
    expect(answer.loans).toEqual([expect.objectContaining({ eligible: false, estimateFen: null })]);
    expect(answer.loans[0]!.conditions.filter((condition) => !condition.met)).toEqual([
      expect.objectContaining({ code: 'rate_in_force', params: { index: 'LPR1Y', date: '2019-08-01' }, toMeet: 'staff record the LPR1Y fixing in force on 2019-08-01 (reference rates)' }),
    ]);
    expect(answer.estimateFen).toBeNull();
  });
});

describe('Chinese text', () => {
  it('every condition and limit an explanation gave in the random runs above reads without a missing value', () => {
    const seen = new Map<string, ExplainedCondition>();
    fc.assert(
      fc.property(inputArbitrary(validatePolicy(withParameters(dongyang2021, { capPerEnterpriseRightTypeYear: '2000.00' }))), (input) => {
        for (const code of USCCS) {
          const answer = explainEligibility(input, code);
          for (const condition of [...answer.conditions, ...answer.loans.flatMap((item) => item.conditions)]) seen.set(`${condition.code}:${condition.met}`, condition);
        }
      }),
      { numRuns: 60 },
    );
    expect(seen.size).toBeGreaterThan(15);
    for (const condition of seen.values()) {
      const text = conditionTextZh(condition);
      expect(`${text.messageZh} ${text.toMeetZh ?? ''}`).not.toMatch(/undefined|null|NaN/);
      expect(text.toMeetZh === null).toBe(condition.met);
    }
  });

  it('reads the remedies a clerk acts on', () => {
    const condition: ExplainedCondition = {
      code: 'settled',
      kind: 'eligibility',
      met: false,
      reference: '',
      message: '',
      params: { maturityDate: '2025-04-30' },
      toMeet: 'settle on or before 2025-04-30 with no overdue event',
    };
    expect(conditionTextZh(condition)).toEqual({ messageZh: '尚未结清（到期日 2025-04-30）', toMeetZh: '须于 2025-04-30 前（含当日）结清，且无逾期' });
    expect(conditionTextZh({ ...condition, code: 'right_type_eligible', params: { pledged: 'trademark, copyright', eligible: 'patent' } }).messageZh).toBe('质押商标专用权、著作权；政策只支持专利权');
  });
});

