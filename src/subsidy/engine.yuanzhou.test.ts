/**
 * Yuanzhou, 袁府办字〔2023〕25号 (000 § 四(三)(2)): 15 % of the 1-year LPR in force on the loan start, on the IP-pledged
 * principal, for the first 12 months, ACT/360, accrual attribution, ≤ 100,000 CNY per enterprise per year, city and
 * district 50 % each; fees 50 %, each kind ≤ 50,000 CNY, paid by the district.
 *
 * Every expected figure is worked by hand in the comment beside it. LPR1Y fixings used: 0.0355 from 2023-06-20,
 * 0.0345 from 2023-08-21, 0.0310 from 2024-10-21.
 */
import { computeRun } from './engine';
import { SubsidyError } from './errors';
import { validatePolicy } from './policy';
import { shippedPolicy, yuanzhou2023 } from './policies';
import { USCC, enterprisesFor, loan, runInput, withParameters } from './test-fixtures';
import type { InterestLine, RunResult } from './types';

const yuanzhou = shippedPolicy('yuanzhou-2023');

function lineOf(result: RunResult, loanId: string): InterestLine {
  const line = result.lines.find((candidate) => candidate.loanId === loanId);
  if (!line) throw new Error(`no line for ${loanId}`);
  return line;
}

function sharesOf(line: { shares: Array<{ body: string; amountFen: bigint }> }): Record<string, bigint> {
  return Object.fromEntries(line.shares.map((share) => [share.body, share.amountFen]));
}

describe('Yuanzhou 2023: a bullet loan over a year boundary', () => {
  // 5,000,000.00 CNY patent loan started 2023-07-01, maturing 2025-07-01: window [2023-07-01, 2024-07-01)
  // (start + 12 months comes before maturity). LPR1Y in force on 2023-07-01: 0.0355 (fixed 2023-06-20).
  const bullet = loan({ loanId: 'YZ-BULLET', principalFen: 500_000_000n, startDate: '2023-07-01', maturityDate: '2025-07-01' });

  it('A 5,000,000 CNY patent loan started 2023-07-01 gets 13,608.33 in the 2023 run', () => {
    // days in 2023: Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 = 184
    // 500,000,000 fen × 184 = 92,000,000,000 fen-days
    // × 0.0355 = 3,266,000,000; × 0.15 = 489,900,000; ÷ 360 = 1,360,833.33… fen → 1,360,833 fen = 13,608.33 CNY
    const result = computeRun(runInput(yuanzhou, 2023, { loans: [bullet] }));
    const line = lineOf(result, 'YZ-BULLET');
    expect(line.eligible).toBe(true);
    expect(line.amountFen).toBe(1_360_833n);
    expect(line.trace.window?.daysCounted).toBe(184);
    expect(line.trace.outstandingDaysFen).toBe('92000000000');
    expect(line.trace.rate?.rate).toBe('0.0355');
    expect(line.trace.rate?.fixingEffectiveDate).toBe('2023-06-20');
    expect(line.trace.amountRoundedFen).toBe('1360833');
    // odd-fen split: 1,360,833 / 2 = 680,416.5 → the left-over fen goes to the body listed first (city)
    expect(sharesOf(line)).toEqual({ city: 680_417n, district: 680_416n });
  });

  it('and 13,460.42 in the 2024 run, for the rest of its window', () => {
    // days in 2024 before 2024-07-01: Jan 31 + Feb 29 + Mar 31 + Apr 30 + May 31 + Jun 30 = 182
    // 500,000,000 × 182 = 91,000,000,000; × 0.0355 = 3,230,500,000; × 0.15 = 484,575,000;
    // ÷ 360 = 1,346,041.66… → 1,346,042 fen = 13,460.42 CNY; 50/50 = 673,021 each
    const result = computeRun(runInput(yuanzhou, 2024, { loans: [bullet] }));
    const line = lineOf(result, 'YZ-BULLET');
    expect(line.amountFen).toBe(1_346_042n);
    expect(line.trace.window).toMatchObject({
      from: '2023-07-01',
      toExclusive: '2024-07-01',
      endedBy: 'months',
      countedFrom: '2024-01-01',
      countedToExclusive: '2024-07-01',
      daysCounted: 182,
    });
    expect(sharesOf(line)).toEqual({ city: 673_021n, district: 673_021n });
    expect(result.totals).toEqual([
      { body: 'city', amountFen: 673_021n },
      { body: 'district', amountFen: 673_021n },
    ]);
  });

  it('is not a line of the 2025 run: its window ended in 2024', () => {
    expect(computeRun(runInput(yuanzhou, 2025, { loans: [bullet] })).lines).toEqual([]);
  });
});

describe('Yuanzhou 2023: a combination loan with a partial repayment', () => {
  // 2,000,000.00 CNY, of which 1,200,000.00 pledged by patent: IP share 0.6. Started 2024-03-01, 500,000.00 repaid
  // 2024-09-01. LPR1Y in force on 2024-03-01: 0.0345 (fixed 2023-08-21). Window [2024-03-01, 2025-03-01).
  const combination = loan({
    loanId: 'YZ-COMBO',
    principalFen: 200_000_000n,
    ipPledgedFen: 120_000_000n,
    collateral: 'combination',
    startDate: '2024-03-01',
    maturityDate: '2026-03-01',
    events: [
      { type: 'disbursement', date: '2024-03-01', amountFen: 200_000_000n },
      { type: 'interest_payment', date: '2024-06-20', amountFen: 1_000_000n },
      { type: 'principal_repayment', date: '2024-09-01', amountFen: 50_000_000n },
    ],
  });

  it('gets 4,752.38 in 2024: the repayment lowers the base from its own day on, and .5 fen rounds up', () => {
    // [2024-03-01, 2024-09-01): Mar 31 + Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31 = 184 days at 200,000,000
    // [2024-09-01, 2025-01-01): Sep 30 + Oct 31 + Nov 30 + Dec 31 = 122 days at 150,000,000
    // Σ = 36,800,000,000 + 18,300,000,000 = 55,100,000,000 fen-days; × 0.6 = 33,060,000,000
    // × 0.0345 = 1,140,570,000; × 0.15 = 171,085,500; ÷ 360 = 475,237.5 → half-up 475,238 fen
    const result = computeRun(runInput(yuanzhou, 2024, { loans: [combination] }));
    const line = lineOf(result, 'YZ-COMBO');
    expect(line.trace.segments).toEqual([
      { from: '2024-03-01', toExclusive: '2024-09-01', days: 184, outstandingFen: '200000000', baseFen: '120000000' },
      { from: '2024-09-01', toExclusive: '2025-01-01', days: 122, outstandingFen: '150000000', baseFen: '90000000' },
    ]);
    expect(line.trace.baseDaysFen).toBe('33060000000');
    expect(line.trace.amountUnroundedFen).toBe('475237.5');
    expect(line.amountFen).toBe(475_238n);
    expect(sharesOf(line)).toEqual({ city: 237_619n, district: 237_619n });
  });

  it('gets 763.31 in 2025 for the last two months of its window', () => {
    // [2025-01-01, 2025-03-01): Jan 31 + Feb 28 = 59 days at 150,000,000
    // 150,000,000 × 59 = 8,850,000,000; × 0.6 = 5,310,000,000; × 0.0345 = 183,195,000; × 0.15 = 27,479,250;
    // ÷ 360 = 76,331.25 → 76,331 fen
    const line = lineOf(computeRun(runInput(yuanzhou, 2025, { loans: [combination] })), 'YZ-COMBO');
    expect(line.amountFen).toBe(76_331n);
  });

  it('is ineligible when the IP-pledged part is not stated, and says so', () => {
    const unknown = { ...combination, ipPledgedFen: null };
    const line = lineOf(computeRun(runInput(yuanzhou, 2024, { loans: [unknown] })), 'YZ-COMBO');
    expect(line.eligible).toBe(false);
    expect(line.amountFen).toBe(0n);
    expect(line.reasons.map((reason) => reason.code)).toEqual(['combination_ip_part_unknown']);
    expect(line.trace.interpretations.map((interpretation) => interpretation.parameter)).toContain('combinationIpPartUnknown');
    expect(sharesOf(line)).toEqual({ city: 0n, district: 0n });
  });
});

describe('Yuanzhou 2023: an enterprise over its cap', () => {
  // Three patent loans of one enterprise, each started 2024-01-01 and maturing 2024-12-26: window 360 days
  // (2024-01-01 + 360 days = 2024-12-26), all in 2024. LPR1Y on 2024-01-01: 0.0345.
  // Each amount = P × 360 × 0.0345 × 0.15 / 360 = P × 0.005175.
  const cappedLoans = [
    loan({ loanId: 'YZ-CAP-A', principalFen: 1_000_000_000n, startDate: '2024-01-01', maturityDate: '2024-12-26' }), // 5,175,000
    loan({ loanId: 'YZ-CAP-B', principalFen: 600_000_000n, startDate: '2024-01-01', maturityDate: '2024-12-26' }), // 3,105,000
    loan({ loanId: 'YZ-CAP-C', principalFen: 400_000_000n, startDate: '2024-01-01', maturityDate: '2024-12-26' }), // 2,070,000
  ];

  it('is paid 100,000.00 in all, the cut shared in proportion to the loans', () => {
    // total 5,175,000 + 3,105,000 + 2,070,000 = 10,350,000 fen > cap 10,000,000: cut 350,000
    // shares of the cut 5 : 3 : 2 → 175,000 / 105,000 / 70,000 → 5,000,000 / 3,000,000 / 2,000,000
    const result = computeRun(runInput(yuanzhou, 2024, { loans: cappedLoans }));
    expect(result.lines.map((line) => line.amountFen)).toEqual([5_000_000n, 3_000_000n, 2_000_000n]);
    expect(result.totalFen).toBe(10_000_000n);
    const adjustment = lineOf(result, 'YZ-CAP-B').trace.adjustments[0]!;
    expect(adjustment).toMatchObject({ step: 'cap_per_enterprise_year', beforeFen: '3105000', afterFen: '3000000', cutFen: '105000' });
    expect(adjustment.reference).toContain('贴息总额最高不超过10万元');
    expect(lineOf(result, 'YZ-CAP-B').trace.interpretations.map((item) => item.parameter)).toContain('capPerEnterpriseYear');
  });

  it('does not cut another enterprise: the cap is per enterprise', () => {
    // A 4th loan of enterprise B: 200,000,000 × 0.005175 = 1,035,000 fen, far below its own cap.
    const other = loan({ loanId: 'YZ-CAP-D', enterpriseUscc: USCC.yuanzhouB, principalFen: 200_000_000n, startDate: '2024-01-01', maturityDate: '2024-12-26' });
    const result = computeRun(runInput(yuanzhou, 2024, { loans: [...cappedLoans, other] }));
    expect(lineOf(result, 'YZ-CAP-D').amountFen).toBe(1_035_000n);
    expect(result.totalFen).toBe(11_035_000n);
  });
});

describe('Yuanzhou 2023: eligibility', () => {
  it('A trademark loan under the patent-only policy is a line, ineligible, with the reason', () => {
    const trademark = loan({ loanId: 'YZ-TM', pledges: [{ rightType: 'trademark', number: 'TM-1' }] });
    const line = lineOf(computeRun(runInput(yuanzhou, 2023, { loans: [trademark] })), 'YZ-TM');
    expect(line.eligible).toBe(false);
    expect(line.amountFen).toBe(0n);
    expect(line.reasons).toEqual([
      expect.objectContaining({ code: 'right_type_not_eligible', message: expect.stringContaining('trademark') }),
    ]);
  });

  it('A loan pledging a trademark and a patent counts under the patent', () => {
    const both = loan({
      loanId: 'YZ-BOTH',
      pledges: [
        { rightType: 'trademark', number: 'TM-2' },
        { rightType: 'patent', number: 'ZL-2' },
      ],
    });
    const line = lineOf(computeRun(runInput(yuanzhou, 2023, { loans: [both] })), 'YZ-BOTH');
    expect(line.eligible).toBe(true);
    expect(line.rightType).toBe('patent');
  });

  it('A loan of an enterprise registered outside Yuanzhou is not a line at all', () => {
    const outside = loan({ loanId: 'YZ-OUT', enterpriseUscc: USCC.yichunOther });
    expect(computeRun(runInput(yuanzhou, 2023, { loans: [outside] })).lines).toEqual([]);
  });

  it('The division staff recorded wins over the one in the USCC', () => {
    const moved = loan({ loanId: 'YZ-MOVED', enterpriseUscc: USCC.yichunOther });
    const enterprises = [{ uscc: USCC.yichunOther, name: 'moved in', divisionCode: '360902' }];
    const result = computeRun(runInput(yuanzhou, 2023, { loans: [moved], enterprises }));
    expect(lineOf(result, 'YZ-MOVED').trace.jurisdiction).toMatchObject({ divisionCode: '360902', source: 'enterprise_record' });
  });
});

describe('Yuanzhou 2023: other support at the same fiscal level', () => {
  // The bullet loan of the first case: 1,360,833 fen in 2023.
  const bullet = loan({ loanId: 'YZ-DOUBLE', principalFen: 500_000_000n, startDate: '2023-07-01', maturityDate: '2025-07-01' });

  it('pays only the excess over district support already received', () => {
    // 1,360,833 − 1,000,000 (district programme) = 360,833 fen; the city-level 500,000 does not count (other level)
    // split 360,833 / 2 = 180,416.5 → city 180,417, district 180,416
    const result = computeRun(
      runInput(yuanzhou, 2023, {
        loans: [bullet],
        otherSupport: [
          { loanId: 'YZ-DOUBLE', programme: 'district tech loan subsidy', fiscalLevel: 'district', amountFen: 1_000_000n },
          { loanId: 'YZ-DOUBLE', programme: 'city innovation voucher', fiscalLevel: 'city', amountFen: 500_000n },
        ],
      }),
    );
    const line = lineOf(result, 'YZ-DOUBLE');
    expect(line.amountFen).toBe(360_833n);
    expect(line.trace.adjustments).toEqual([
      expect.objectContaining({ step: 'other_support_same_level', beforeFen: '1360833', afterFen: '360833', cutFen: '1000000' }),
    ]);
    expect(sharesOf(line)).toEqual({ city: 180_417n, district: 180_416n });
  });

  it('nets support recorded for another year only in that year\'s run', () => {
    // support for 2024 does not touch the 2023 line: 1,360,833 stays whole
    const result = computeRun(
      runInput(yuanzhou, 2023, {
        loans: [bullet],
        otherSupport: [{ loanId: 'YZ-DOUBLE', programme: 'district award', fiscalLevel: 'district', amountFen: 1_000_000n, year: 2024 }],
      }),
    );
    expect(lineOf(result, 'YZ-DOUBLE').amountFen).toBe(1_360_833n);
  });

  it('pays nothing when the other support is higher (take the higher)', () => {
    const result = computeRun(
      runInput(yuanzhou, 2023, {
        loans: [bullet],
        otherSupport: [{ loanId: 'YZ-DOUBLE', programme: 'district award', fiscalLevel: 'district', amountFen: 2_000_000n }],
      }),
    );
    expect(lineOf(result, 'YZ-DOUBLE').amountFen).toBe(0n);
    expect(lineOf(result, 'YZ-DOUBLE').eligible).toBe(true);
  });
});

describe('Yuanzhou 2023: fee support', () => {
  const patentLoan = loan({ loanId: 'YZ-FEE', startDate: '2024-02-01', maturityDate: '2025-02-01' });
  const trademarkLoan = loan({ loanId: 'YZ-FEE-TM', startDate: '2024-02-01', maturityDate: '2025-02-01', pledges: [{ rightType: 'trademark', number: 'TM-9' }] });

  it('pays 50 % of each kind of fee, each kind capped at 50,000.00, all from the district', () => {
    const result = computeRun(
      runInput(yuanzhou, 2024, {
        loans: [patentLoan, trademarkLoan],
        fees: [
          // evaluation 30,000.00 × 50 % = 15,000.00 = 1,500,000 fen
          { loanId: 'YZ-FEE', kind: 'evaluation', amountFen: 3_000_000n, date: '2024-01-20' },
          // guarantee 80,000.00 + 40,000.00 = 120,000.00 × 50 % = 60,000.00 → cap 50,000.00 (5,000,000 fen)
          { loanId: 'YZ-FEE', kind: 'guarantee', amountFen: 8_000_000n, date: '2024-02-01' },
          { loanId: 'YZ-FEE', kind: 'guarantee', amountFen: 4_000_000n, date: '2024-08-01' },
          // insurance 0.03 CNY = 3 fen × 50 % = 1.5 fen → half-up 2 fen
          { loanId: 'YZ-FEE', kind: 'insurance', amountFen: 3n, date: '2024-03-01' },
          // a fee of the trademark loan does not count (patent-only), nor one paid in 2023
          { loanId: 'YZ-FEE-TM', kind: 'evaluation', amountFen: 1_000_000n, date: '2024-03-01' },
          { loanId: 'YZ-FEE', kind: 'evaluation', amountFen: 9_000_000n, date: '2023-12-31' },
        ],
      }),
    );
    const byKind = Object.fromEntries(result.supportLines.map((line) => [line.kind, line]));
    expect(byKind['fee_evaluation']!.amountFen).toBe(1_500_000n);
    expect(byKind['fee_evaluation']!.trace.items).toHaveLength(2);
    expect(byKind['fee_guarantee']!.amountFen).toBe(5_000_000n);
    expect(byKind['fee_guarantee']!.trace.adjustments[0]).toMatchObject({ step: 'cap_per_kind_per_enterprise_year', cutFen: '1000000' });
    expect(byKind['fee_insurance']!.amountFen).toBe(2n);
    expect(sharesOf(byKind['fee_guarantee']!)).toEqual({ district: 5_000_000n });
    // fees 1,500,000 + 5,000,000 + 2 = 6,500,002 all district; the two loans' interest is split 50/50 on top
    const interestFen = result.lines.reduce((total, line) => total + line.amountFen, 0n);
    const cityInterest = result.lines.reduce((total, line) => total + sharesOf(line)['city']!, 0n);
    expect(result.totals).toEqual([
      { body: 'city', amountFen: cityInterest },
      { body: 'district', amountFen: interestFen - cityInterest + 6_500_002n },
    ]);
  });
});

describe('Yuanzhou 2023: budget scaling', () => {
  it('scales every city share pro rata when the city budget is short, and shows the factor', () => {
    // The three loans of the cap case without the cap: 5,175,000 / 3,105,000 / 2,070,000 for enterprise A and B…
    // here two enterprises' loans: A 5,175,000 (city 2,587,500) and B 2,070,000 (city 1,035,000)
    // city approved 2,587,500 + 1,035,000 = 3,622,500; budget 1,811,250 = half: factor 0.5
    // → city shares 1,293,750 and 517,500; district unchanged 2,587,500 and 1,035,000
    const loans = [
      loan({ loanId: 'YZ-B-A', principalFen: 1_000_000_000n, startDate: '2024-01-01', maturityDate: '2024-12-26' }),
      loan({ loanId: 'YZ-B-B', enterpriseUscc: USCC.yuanzhouB, principalFen: 400_000_000n, startDate: '2024-01-01', maturityDate: '2024-12-26' }),
    ];
    const result = computeRun(runInput(yuanzhou, 2024, { loans, budget: [{ body: 'city', amountFen: 1_811_250n }] }));
    expect(sharesOf(lineOf(result, 'YZ-B-A'))).toEqual({ city: 1_293_750n, district: 2_587_500n });
    expect(sharesOf(lineOf(result, 'YZ-B-B'))).toEqual({ city: 517_500n, district: 1_035_000n });
    expect(lineOf(result, 'YZ-B-A').amountFen).toBe(3_881_250n);
    expect(lineOf(result, 'YZ-B-A').trace.budget).toEqual([
      expect.objectContaining({ body: 'city', factor: '0.50000000000000000000', factorFraction: '1811250/3622500', beforeFen: '2587500', afterFen: '1293750' }),
    ]);
    expect(result.budget).toEqual([{ body: 'city', budgetFen: 1_811_250n, approvedFen: 3_622_500n, paidFen: 1_811_250n, factor: '0.50000000000000000000' }]);
    expect(result.totals).toEqual([
      { body: 'city', amountFen: 1_811_250n },
      { body: 'district', amountFen: 3_622_500n },
    ]);
  });

  it('splits a short budget exactly, the odd fen by largest remainder', () => {
    // city shares 2,587,500 and 1,035,000 (ratio 5 : 2), budget 100 fen:
    // 100 × 5/7 = 71.43 → 71, 100 × 2/7 = 28.57 → 28; one fen left → larger remainder (.57) → 29
    const loans = [
      loan({ loanId: 'YZ-B-A', principalFen: 1_000_000_000n, startDate: '2024-01-01', maturityDate: '2024-12-26' }),
      loan({ loanId: 'YZ-B-B', enterpriseUscc: USCC.yuanzhouB, principalFen: 400_000_000n, startDate: '2024-01-01', maturityDate: '2024-12-26' }),
    ];
    const result = computeRun(runInput(yuanzhou, 2024, { loans, budget: [{ body: 'city', amountFen: 100n }] }));
    expect(sharesOf(lineOf(result, 'YZ-B-A'))['city']).toBe(71n);
    expect(sharesOf(lineOf(result, 'YZ-B-B'))['city']).toBe(29n);
  });
});

describe('Yuanzhou 2023: refusals', () => {
  it('A missing rate is an error naming the index and the date, never a zero rate', () => {
    const bullet = loan({ loanId: 'YZ-NORATE', startDate: '2023-07-01' });
    const run = () => computeRun(runInput(yuanzhou, 2023, { loans: [bullet], rates: [{ index: 'LPR1Y', effectiveDate: '2023-08-21', rate: '0.0345' }] }));
    expect(run).toThrow(SubsidyError);
    expect(run).toThrow(/no LPR1Y fixing is in force on 2023-07-01 \(loan YZ-NORATE\); the earliest is 2023-08-21/);
    try {
      run();
    } catch (error) {
      expect((error as SubsidyError).code).toBe('rate_not_in_force');
      expect((error as SubsidyError).details).toMatchObject({ index: 'LPR1Y', date: '2023-07-01', loanId: 'YZ-NORATE' });
    }
  });

  it('A run for a year before the policy took effect is refused', () => {
    expect(() => computeRun(runInput(yuanzhou, 2022, {}))).toThrow(expect.objectContaining({ code: 'policy_not_in_force' }));
  });

  it('Days before the policy took effect are not counted', () => {
    // A policy version effective from 2023-10-01: the 2023 run counts Oct 31 + Nov 30 + Dec 31 = 92 days of the
    // bullet loan: 500,000,000 × 92 = 46,000,000,000; × 0.0355 = 1,633,000,000; × 0.15 = 244,950,000;
    // ÷ 360 = 680,416.66… → 680,417 fen
    const later = validatePolicy({ ...withParameters(yuanzhou2023, {}), effectiveFrom: '2023-10-01' });
    const bullet = loan({ loanId: 'YZ-LATE-POLICY', principalFen: 500_000_000n, startDate: '2023-07-01' });
    const line = lineOf(computeRun(runInput(later, 2023, { loans: [bullet] })), 'YZ-LATE-POLICY');
    expect(line.trace.window?.daysCounted).toBe(92);
    expect(line.amountFen).toBe(680_417n);
    expect(line.trace.interpretations.map((item) => item.parameter)).toContain('daysBeforeEffectiveFrom');
  });
});

describe('Yuanzhou 2023: the trace', () => {
  it('cites the policy, the clauses and the interpretations it applied', () => {
    const bullet = loan({ loanId: 'YZ-TRACE', principalFen: 500_000_000n, startDate: '2023-07-01' });
    const line = lineOf(computeRun(runInput(yuanzhou, 2023, { loans: [bullet], enterprises: enterprisesFor(USCC.yuanzhouA) })), 'YZ-TRACE');
    expect(line.trace.policy).toEqual({ id: 'yuanzhou-2023', version: 1, documentNo: '袁府办字〔2023〕25号', title: expect.any(String) });
    expect(line.trace.clauses.some((clause) => clause.startsWith('000 § 四(三)(2)'))).toBe(true);
    expect(line.trace.interpretations.map((item) => item.parameter)).toEqual(
      expect.arrayContaining(['rateIndex', 'rateFixing', 'dayCount', 'base', 'capPerEnterpriseYear']),
    );
    // 92,000,000,000 × 0.0355 × 0.15 / 360 = 1,360,833.33… (shown to 20 places, then "…")
    expect(line.trace.amountUnroundedFen).toBe(`1360833.${'3'.repeat(20)}…`);
    expect(line.trace.formula).toBe(
      `92000000000 fen-days × IP share 1 × rate 0.0355 × ratio 0.15 / 360 = 1360833.${'3'.repeat(20)}… fen, rounded once half-up to 1360833 fen (13608.33 CNY)`,
    );
    expect(JSON.parse(JSON.stringify(line.trace))).toEqual(line.trace); // plain JSON
  });
});
