/**
 * Dongyang (《关于全面加强知识产权工作的实施意见》 § 6, §§ 20–23), version 2: 50 % of the PBoC benchmark of the loan's term band in force on the loan
 * start, on the patent- and trademark-secured part of the principal, first 12 months, days counted 30E/360
 * (f(d) = 360·year + 30·(month − 1) + min(day, 30)), for loans settled on time in the run's year (settlement
 * attribution), ≤ 300,000 CNY per enterprise per right type per year, other city support deducted after the caps (take
 * the higher), same asset one year only, city 100 %; premium support 50 % ≤ 100,000 CNY; contribution cap with two
 * years of carry-forward; exclusions; the enterprise an independent legal person in normal operation (§ 20).
 *
 * Benchmarks in force since 2015-10-24: PBOC_LE1Y 0.0435, PBOC_1TO5Y 0.0475, PBOC_GT5Y 0.0490.
 */
import { computeRun } from './engine';
import { dongyang2021, shippedPolicy } from './policies';
import { validatePolicy } from './policy';
import { USCC, loan, runInput, withParameters } from './test-fixtures';
import type { InterestLine, RunResult, SupportLine } from './types';

const dongyang = shippedPolicy('dongyang-2021');

function lineOf(result: RunResult, loanId: string): InterestLine {
  const line = result.lines.find((candidate) => candidate.loanId === loanId);
  if (!line) throw new Error(`no line for ${loanId}`);
  return line;
}

function supportOf(result: RunResult, kind: SupportLine['kind']): SupportLine[] {
  return result.supportLines.filter((line) => line.kind === kind);
}

// 3,000,000.00 CNY patent loan, 2022-03-15 to 2023-03-15 (term ≤ 12 months: PBOC_LE1Y 0.0435), repaid and settled
// on its maturity date.
const onTime = loan({
  loanId: 'DY-ONTIME',
  enterpriseUscc: USCC.dongyangA,
  principalFen: 300_000_000n,
  startDate: '2022-03-15',
  maturityDate: '2023-03-15',
  settledOn: '2023-03-15',
  pledges: [{ rightType: 'patent', number: 'ZL2021100001' }],
});

describe('Dongyang 2021: loans settled on time', () => {
  it('A 3,000,000 CNY patent loan of 12 months settled on time in 2023 gets 65,250.00 in the 2023 run', () => {
    // window [2022-03-15, 2023-03-15): f(2023-03-15) − f(2022-03-15) = (728,280 + 60 + 15) − (727,920 + 60 + 15) = 360 days
    // 300,000,000 × 360 = 108,000,000,000; × 0.0435 = 4,698,000,000; × 0.5 = 2,349,000,000; ÷ 360 = 6,525,000 fen
    // = 3,000,000 × 4.35 % × 50 %, as 《关于全面加强知识产权工作的实施意见》 § 6 writes it
    const result = computeRun(runInput(dongyang, 2023, { loans: [onTime] }));
    const line = lineOf(result, 'DY-ONTIME');
    expect(line.eligible).toBe(true);
    expect(line.amountFen).toBe(6_525_000n);
    expect(line.trace.rate).toMatchObject({ indexChoice: 'PBOC_BY_TERM', index: 'PBOC_LE1Y', termBand: '≤ 1 year', rate: '0.0435', fixingEffectiveDate: '2015-10-24' });
    expect(line.trace.window).toMatchObject({ from: '2022-03-15', toExclusive: '2023-03-15', daysCounted: 360 });
    expect(line.trace.enterprise).toEqual({
      uscc: USCC.dongyangA,
      conditions: [
        { condition: 'not_independent_legal_person', met: true, source: 'no_record', recordIds: [] },
        { condition: 'not_in_normal_operation', met: true, source: 'no_record', recordIds: [] },
      ],
      reference: expect.stringContaining('《关于全面加强知识产权工作的实施意见》 § 20'),
    });
    expect(line.shares).toEqual([{ body: 'city', amountFen: 6_525_000n }]);
  });

  it('is not a line of the 2022 run: it was not settled in 2022', () => {
    expect(computeRun(runInput(dongyang, 2022, { loans: [onTime] })).lines).toEqual([]);
  });

  it('A 24-month trademark loan settled early takes the 1–5 year benchmark up to its settlement day', () => {
    // 1,000,000.00 CNY, 2021-06-01 to 2023-06-01 (> 12 months, ≤ 60: PBOC_1TO5Y 0.0475), settled 2022-01-10
    // window [2021-06-01, 2022-01-10): f(2022-01-10) − f(2021-06-01) = (727,920 + 10) − (727,560 + 150 + 1) = 219 days
    // 100,000,000 × 219 = 21,900,000,000; × 0.0475 = 1,040,250,000; × 0.5 = 520,125,000;
    // ÷ 360 = 1,444,791.66… → 1,444,792 fen
    const early = loan({
      loanId: 'DY-EARLY',
      enterpriseUscc: USCC.dongyangA,
      startDate: '2021-06-01',
      maturityDate: '2023-06-01',
      settledOn: '2022-01-10',
      pledges: [{ rightType: 'trademark', number: 'TM-DY-1' }],
    });
    const line = lineOf(computeRun(runInput(dongyang, 2022, { loans: [early] })), 'DY-EARLY');
    expect(line.trace.rate).toMatchObject({ index: 'PBOC_1TO5Y', rate: '0.0475' });
    expect(line.trace.window).toMatchObject({ endedBy: 'settlement', daysCounted: 219 });
    expect(line.amountFen).toBe(1_444_792n);
    expect(line.rightType).toBe('trademark');
  });

  it('A loan of more than 5 years takes the > 5 year benchmark', () => {
    // 2021-01-01 to 2026-01-02: maturity after start + 60 months (2026-01-01) → PBOC_GT5Y 0.0490
    // settled 2021-03-01: window [2021-01-01, 2021-03-01) = f(2021-03-01) − f(2021-01-01) = 61 − 1 = 60 days
    // 100,000,000 × 60 = 6,000,000,000; × 0.0490 = 294,000,000; × 0.5 = 147,000,000; ÷ 360 = 408,333.33… → 408,333
    const long = loan({ loanId: 'DY-LONG', enterpriseUscc: USCC.dongyangA, startDate: '2021-01-01', maturityDate: '2026-01-02', settledOn: '2021-03-01' });
    const line = lineOf(computeRun(runInput(dongyang, 2021, { loans: [long] })), 'DY-LONG');
    expect(line.trace.rate).toMatchObject({ index: 'PBOC_GT5Y', termBand: '> 5 years' });
    expect(line.amountFen).toBe(408_333n);
  });
});

describe('Dongyang 2021: a loan repaid late', () => {
  it('is a line of its settlement year, ineligible, naming the overdue event', () => {
    const late = { ...onTime, loanId: 'DY-LATE', events: [...onTime.events, { type: 'overdue' as const, date: '2023-01-20', daysOverdue: 5 }] };
    const line = lineOf(computeRun(runInput(dongyang, 2023, { loans: [late] })), 'DY-LATE');
    expect(line.eligible).toBe(false);
    expect(line.amountFen).toBe(0n);
    expect(line.reasons).toEqual([
      {
        code: 'repaid_late',
        message: 'the loan was not repaid on time: overdue event on 2023-01-20',
        reference: '《关于全面加强知识产权工作的实施意见》 § 6 "按期还清贷款本息"',
        params: { eventType: 'overdue', date: '2023-01-20' },
      },
    ]);
    expect(line.trace.interpretations.map((item) => item.parameter)).toContain('condition');
  });
});

describe('Dongyang 2021: the same patent in two years', () => {
  it('A loan pledging a patent subsidised in 2022 is ineligible in 2023, naming the asset', () => {
    const line = lineOf(
      computeRun(
        runInput(dongyang, 2023, {
          loans: [onTime],
          priorSubsidisedAssets: [{ rightType: 'patent', number: 'ZL2021100001', year: 2022, loanId: 'DY-OLD' }],
        }),
      ),
      'DY-ONTIME',
    );
    expect(line.eligible).toBe(false);
    expect(line.reasons).toEqual([
      expect.objectContaining({
        code: 'asset_subsidised_in_another_year',
        message: 'patent ZL2021100001 was subsidised in 2022 (loan DY-OLD): the same asset is subsidised in one year only',
        params: { numbers: 'ZL2021100001', years: '2022' },
      }),
    ]);
  });

  it('A second loan on the same patent in the same year is still paid', () => {
    const result = computeRun(
      runInput(dongyang, 2023, {
        loans: [onTime],
        priorSubsidisedAssets: [{ rightType: 'patent', number: 'ZL2021100001', year: 2023, loanId: 'DY-SAME-YEAR' }],
      }),
    );
    expect(lineOf(result, 'DY-ONTIME').amountFen).toBe(6_525_000n);
  });

  it("A run's subsidised assets make the same patent ineligible in the next year's run", () => {
    const first = computeRun(runInput(dongyang, 2023, { loans: [onTime] }));
    expect(first.subsidisedAssets).toEqual([{ rightType: 'patent', number: 'ZL2021100001', year: 2023, loanId: 'DY-ONTIME' }]);
    const again = loan({
      loanId: 'DY-AGAIN',
      enterpriseUscc: USCC.dongyangA,
      startDate: '2023-04-01',
      maturityDate: '2024-04-01',
      settledOn: '2024-04-01',
      pledges: [{ rightType: 'patent', number: 'ZL2021100001' }],
    });
    const second = computeRun(runInput(dongyang, 2024, { loans: [again], priorSubsidisedAssets: first.subsidisedAssets }));
    expect(lineOf(second, 'DY-AGAIN').reasons.map((reason) => reason.code)).toEqual(['asset_subsidised_in_another_year']);
  });
});

describe('Dongyang 2021: the cap per enterprise per right type', () => {
  // Loans 2022-01-01 to 2023-01-01 (a 12-month window of 360 days 30E/360, term ≤ 1 year: 0.0435), settled at
  // maturity in 2023: P × 360 × 0.0435 × 0.5 / 360 = P × 0.02175.
  const sameYear = (loanId: string, principalFen: bigint, rightType: 'patent' | 'trademark') =>
    loan({
      loanId,
      enterpriseUscc: USCC.dongyangA,
      principalFen,
      startDate: '2022-01-01',
      maturityDate: '2023-01-01',
      settledOn: '2023-01-01',
      pledges: [{ rightType, number: `N-${loanId}` }],
    });

  it('cuts the patent loans to 300,000.00 together and leaves the trademark loan alone', () => {
    // patent A 1,000,000,000 × 0.02175 = 21,750,000; patent B 600,000,000 × 0.02175 = 13,050,000
    // patents 34,800,000 > 30,000,000: cut 4,800,000 in 5 : 3 → 3,000,000 / 1,800,000 → 18,750,000 / 11,250,000
    // trademark C 400,000,000 × 0.02175 = 8,700,000 ≤ 30,000,000: untouched
    const result = computeRun(
      runInput(dongyang, 2023, {
        loans: [sameYear('DY-P-A', 1_000_000_000n, 'patent'), sameYear('DY-P-B', 600_000_000n, 'patent'), sameYear('DY-T-C', 400_000_000n, 'trademark')],
      }),
    );
    expect(lineOf(result, 'DY-P-A').amountFen).toBe(18_750_000n);
    expect(lineOf(result, 'DY-P-B').amountFen).toBe(11_250_000n);
    expect(lineOf(result, 'DY-T-C').amountFen).toBe(8_700_000n);
    expect(lineOf(result, 'DY-P-A').trace.adjustments).toEqual([
      expect.objectContaining({ step: 'cap_per_enterprise_right_type_year', beforeFen: '21750000', afterFen: '18750000', cutFen: '3000000' }),
    ]);
    expect(lineOf(result, 'DY-T-C').trace.adjustments).toEqual([]);
    expect(result.totalFen).toBe(38_700_000n);
  });
});

describe('Dongyang 2021: other support at the same fiscal level', () => {
  it('pays only the excess over city-level support already received for the loan', () => {
    // 6,525,000 − 525,000 = 6,000,000 fen
    const result = computeRun(
      runInput(dongyang, 2023, {
        loans: [onTime],
        otherSupport: [{ loanId: 'DY-ONTIME', programme: 'Dongyang science loan subsidy', fiscalLevel: 'city', amountFen: 525_000n }],
      }),
    );
    expect(lineOf(result, 'DY-ONTIME').amountFen).toBe(6_000_000n);
  });

  // A 20,000,000.00 CNY patent loan 2024-03-01 to 2025-03-01 at an actual rate of 4.00 %, settled on time in 2025:
  // window [2024-03-01, 2025-03-01) = f(2025-03-01) − f(2024-03-01) = 729,061 − 728,701 = 360 days.
  const big = loan({
    loanId: 'DY-BIG',
    enterpriseUscc: USCC.dongyangA,
    principalFen: 2_000_000_000n,
    annualRate: '0.0400',
    startDate: '2024-03-01',
    maturityDate: '2025-03-01',
    settledOn: '2025-03-01',
  });
  const received = [{ loanId: 'DY-BIG', programme: 'Dongyang science loan subsidy', fiscalLevel: 'city', amountFen: 15_000_000n }];

  it('Take the higher: own 400,000 capped at 300,000, less 150,000 already received = 150,000 (300,000 in all, not 400,000)', () => {
    // A version paying 50 % of the loan's actual rate (a parameter staff can set): 2,000,000,000 × 360 × 0.04 × 0.5 / 360
    // = 40,000,000 fen (400,000.00); cap per enterprise per right type 30,000,000 → 30,000,000;
    // then the city support 15,000,000 already received: 30,000,000 − 15,000,000 = 15,000,000 fen (150,000.00);
    // with the 150,000 received, the enterprise has 300,000 in all: the higher of the two, never both
    const actualRate = validatePolicy(withParameters(dongyang2021, { baseRate: { rule: 'actual', actualCapMultipleOfIndex: null } }));
    const line = lineOf(computeRun(runInput(actualRate, 2025, { loans: [big], otherSupport: received })), 'DY-BIG');
    expect(line.amountFen).toBe(15_000_000n);
    expect(line.trace.adjustments.map((item) => [item.step, item.beforeFen, item.afterFen])).toEqual([
      ['cap_per_enterprise_right_type_year', '40000000', '30000000'],
      ['other_support_same_level', '30000000', '15000000'],
    ]);
    expect(line.trace.adjustments[1]!.reference).toContain('《关于全面加强知识产权工作的实施意见》 § 21');
    // netting before the caps (the reading of version 1) would pay 40,000,000 − 15,000,000 = 25,000,000 ≤ cap: 400,000 in all
    const beforeCaps = validatePolicy(
      withParameters(dongyang2021, { baseRate: { rule: 'actual', actualCapMultipleOfIndex: null }, noDoubleSupport: { fiscalLevels: ['city'], stage: 'before_caps' } }),
    );
    expect(lineOf(computeRun(runInput(beforeCaps, 2025, { loans: [big], otherSupport: received })), 'DY-BIG').amountFen).toBe(25_000_000n);
  });

  it('Take the higher under the shipped version: own 435,000 capped at 300,000, less 150,000 = 150,000', () => {
    // benchmark ≤ 1 year 0.0435: 2,000,000,000 × 360 × 0.0435 × 0.5 / 360 = 43,500,000 → cap 30,000,000 → − 15,000,000
    const line = lineOf(computeRun(runInput(dongyang, 2025, { loans: [big], otherSupport: received })), 'DY-BIG');
    expect(line.amountFen).toBe(15_000_000n);
  });

  it('Never below zero: 300,000 received against 300,000 after the cap pays 0, eligible', () => {
    const line = lineOf(
      computeRun(runInput(dongyang, 2025, { loans: [big], otherSupport: [{ ...received[0]!, amountFen: 35_000_000n }] })),
      'DY-BIG',
    );
    expect(line.eligible).toBe(true);
    expect(line.amountFen).toBe(0n);
  });
});

describe('Dongyang 2021: exclusions (《关于全面加强知识产权工作的实施意见》 § 23)', () => {
  it('An enterprise flagged for 2023 gets nothing in 2023, with the reason and who flagged it', () => {
    const result = computeRun(
      runInput(dongyang, 2023, {
        loans: [onTime],
        premiums: [{ uscc: USCC.dongyangA, amountFen: 1_000_000n, date: '2023-05-01' }],
        exclusions: [
          { uscc: USCC.dongyangA, year: 2023, reason: 'environmental accident under investigation', setBy: 'staff:li' },
          { uscc: USCC.dongyangA, year: 2022, reason: 'an older flag that does not matter' },
        ],
      }),
    );
    const line = lineOf(result, 'DY-ONTIME');
    expect(line.eligible).toBe(false);
    expect(line.reasons).toEqual([
      {
        code: 'enterprise_excluded',
        message: `enterprise ${USCC.dongyangA} is excluded for 2023: environmental accident under investigation (flagged by staff:li)`,
        reference: '《关于全面加强知识产权工作的实施意见》 § 23 "当年度内不能享受本意见中的扶持政策"',
        params: { uscc: USCC.dongyangA, year: 2023, reasons: 'environmental accident under investigation', setBy: 'staff:li' },
      },
    ]);
    expect(supportOf(result, 'premium')[0]).toMatchObject({ eligible: false, amountFen: 0n });
    expect(result.totalFen).toBe(0n);
  });

  it('The same flag does nothing under Yuanzhou, which has no exclusion clause', () => {
    const yuanzhou = shippedPolicy('yuanzhou-2023');
    const yzLoan = loan({ loanId: 'YZ-X', startDate: '2023-07-01' });
    const result = computeRun(runInput(yuanzhou, 2023, { loans: [yzLoan], exclusions: [{ uscc: USCC.yuanzhouA, year: 2023, reason: 'flag' }] }));
    expect(result.lines[0]!.eligible).toBe(true);
  });
});

describe('Dongyang 2021: premium support', () => {
  it('pays 50 % of the premiums paid in the year, at most 100,000.00', () => {
    // 150,000.00 + 70,000.01 = 220,000.01 CNY = 22,000,001 fen × 0.5 = 11,000,000.5 → 11,000,001 → cap 10,000,000
    const result = computeRun(
      runInput(dongyang, 2023, {
        premiums: [
          { uscc: USCC.dongyangA, amountFen: 15_000_000n, date: '2023-02-01' },
          { uscc: USCC.dongyangA, amountFen: 7_000_001n, date: '2023-11-30' },
          { uscc: USCC.dongyangA, amountFen: 9_999_999n, date: '2024-01-01' }, // next year: not counted
          { uscc: USCC.yuanzhouA, amountFen: 9_999_999n, date: '2023-01-01' }, // outside Dongyang
        ],
      }),
    );
    const [premium] = supportOf(result, 'premium');
    expect(supportOf(result, 'premium')).toHaveLength(1);
    expect(premium!.trace.amountRoundedFen).toBe('11000001');
    expect(premium!.amountFen).toBe(10_000_000n);
    expect(premium!.trace.adjustments).toEqual([expect.objectContaining({ step: 'cap_per_kind_per_enterprise_year', cutFen: '1000001' })]);
  });
});

describe('Dongyang 2021: the contribution cap with carry-forward (《关于全面加强知识产权工作的实施意见》 § 22)', () => {
  const premium = (amountFen: bigint, date: string) => ({ uscc: USCC.dongyangA, amountFen, date });

  it('carries an excess over three years: paid within each year\'s headroom, the rest lapses after Y+2', () => {
    // 2022: premium 160,000.00 → support 80,000.00 = 8,000,000 fen; contribution 3,000,000
    //       → pays 3,000,000, carries 5,000,000 (from 2022)
    const y2022 = computeRun(
      runInput(dongyang, 2022, { premiums: [premium(16_000_000n, '2022-05-01')], contributions: [{ uscc: USCC.dongyangA, year: 2022, amountFen: 3_000_000n }] }),
    );
    expect(y2022.totalFen).toBe(3_000_000n);
    expect(supportOf(y2022, 'premium')[0]!.trace.adjustments).toEqual([
      expect.objectContaining({ step: 'contribution_cap', beforeFen: '8000000', afterFen: '3000000', cutFen: '5000000' }),
    ]);
    expect(y2022.carryOut).toEqual([{ uscc: USCC.dongyangA, originYear: 2022, amountFen: 5_000_000n, shares: [{ body: 'city', amountFen: 5_000_000n }] }]);

    // 2023: premium 40,000.00 → 2,000,000 fen; contribution 4,000,000: its own 2,000,000 first, headroom 2,000,000
    //       pays 2,000,000 of the 2022 carry; 3,000,000 of it still carried (2022's last year is 2024)
    const y2023 = computeRun(
      runInput(dongyang, 2023, {
        premiums: [premium(4_000_000n, '2023-05-01')],
        contributions: [{ uscc: USCC.dongyangA, year: 2023, amountFen: 4_000_000n }],
        carryIn: y2022.carryOut,
      }),
    );
    expect(supportOf(y2023, 'premium')[0]!.amountFen).toBe(2_000_000n);
    expect(supportOf(y2023, 'carried_forward')).toEqual([
      expect.objectContaining({ originYear: 2022, amountFen: 2_000_000n, shares: [{ body: 'city', amountFen: 2_000_000n }] }),
    ]);
    expect(y2023.totalFen).toBe(4_000_000n);
    expect(y2023.carryOut).toEqual([{ uscc: USCC.dongyangA, originYear: 2022, amountFen: 3_000_000n, shares: [{ body: 'city', amountFen: 3_000_000n }] }]);

    // 2024: nothing of its own; contribution 1,000,000 → pays 1,000,000 of the carry; 2,000,000 lapses (2022 + 2)
    const y2024 = computeRun(
      runInput(dongyang, 2024, { contributions: [{ uscc: USCC.dongyangA, year: 2024, amountFen: 1_000_000n }], carryIn: y2023.carryOut }),
    );
    expect(supportOf(y2024, 'carried_forward').map((line) => line.amountFen)).toEqual([1_000_000n]);
    expect(y2024.carryOut).toEqual([]);
    expect(y2024.lapsed).toEqual([{ uscc: USCC.dongyangA, originYear: 2022, amountFen: 2_000_000n }]);
    // over three years: 3,000,000 + 2,000,000 + 2,000,000 + 1,000,000 paid, 2,000,000 lapsed = 2022's 8,000,000 + 2023's 2,000,000
    expect(y2022.totalFen + y2023.totalFen + y2024.totalFen + 2_000_000n).toBe(10_000_000n);
  });

  it('A carried amount older than two years lapses without being paid', () => {
    const result = computeRun(runInput(dongyang, 2025, { carryIn: [{ uscc: USCC.dongyangA, originYear: 2022, amountFen: 700n }] }));
    expect(result.totalFen).toBe(0n);
    expect(result.lapsed).toEqual([{ uscc: USCC.dongyangA, originYear: 2022, amountFen: 700n }]);
  });

  it('With no contribution entered, nothing is capped and the trace says "contribution not entered"', () => {
    // 2,000,000 of its own + 5,000,000 carried from 2022, all paid
    const result = computeRun(
      runInput(dongyang, 2023, {
        premiums: [premium(4_000_000n, '2023-05-01')],
        carryIn: [{ uscc: USCC.dongyangA, originYear: 2022, amountFen: 5_000_000n }],
      }),
    );
    expect(result.totalFen).toBe(7_000_000n);
    expect(supportOf(result, 'premium')[0]!.trace.contribution?.note).toBe('contribution not entered: no contribution cap applied');
    expect(result.carryOut).toEqual([]);
  });

  it('shares the cut between interest and premium lines in proportion, the odd fen by largest remainder', () => {
    // interest 6,525,000 (the on-time loan) + premium support 2,610,000 × 0.5 = 1,305,000: total 7,830,000 (5 : 1)
    // contribution 4,000,000 → cut 3,830,000: 3,830,000 × 5/6 = 3,191,666.67, × 1/6 = 638,333.33
    // floors 3,191,666 + 638,333 = 3,829,999; the last fen to the larger remainder (.67): interest 3,191,667
    // → interest 6,525,000 − 3,191,667 = 3,333,333; premium 1,305,000 − 638,333 = 666,667; carried 3,830,000
    const result = computeRun(
      runInput(dongyang, 2023, {
        loans: [onTime],
        premiums: [premium(2_610_000n, '2023-05-01')],
        contributions: [{ uscc: USCC.dongyangA, year: 2023, amountFen: 4_000_000n }],
      }),
    );
    expect(lineOf(result, 'DY-ONTIME').amountFen).toBe(3_333_333n);
    expect(supportOf(result, 'premium')[0]!.amountFen).toBe(666_667n);
    expect(result.carryOut).toEqual([{ uscc: USCC.dongyangA, originYear: 2023, amountFen: 3_830_000n, shares: [{ body: 'city', amountFen: 3_830_000n }] }]);
    expect(result.contributions).toEqual([
      {
        uscc: USCC.dongyangA,
        contributionFen: 4_000_000n,
        currentDueFen: 7_830_000n,
        currentPaidFen: 4_000_000n,
        carriedInFen: 0n,
        carriedInPaidFen: 0n,
        carryOutFen: 3_830_000n,
        lapsedFen: 0n,
      },
    ]);
  });

  it("An excluded enterprise's carried amount waits for its next year", () => {
    const result = computeRun(
      runInput(dongyang, 2023, {
        carryIn: [{ uscc: USCC.dongyangA, originYear: 2022, amountFen: 5_000_000n }],
        contributions: [{ uscc: USCC.dongyangA, year: 2023, amountFen: 9_000_000n }],
        exclusions: [{ uscc: USCC.dongyangA, year: 2023, reason: 'tax violation under investigation' }],
      }),
    );
    expect(result.totalFen).toBe(0n);
    expect(result.carryOut).toEqual([{ uscc: USCC.dongyangA, originYear: 2022, amountFen: 5_000_000n, shares: [{ body: 'city', amountFen: 5_000_000n }] }]);
  });

  it('With the order "oldest first", the carried amount takes the headroom before the year\'s own support', () => {
    // headroom 4,000,000: carried 5,000,000 takes it all; own 2,000,000 is carried (from 2023)
    const oldestFirst = validatePolicy(withParameters(dongyang2021, { contributionCap: { carryForwardYears: 2, order: 'oldest_first' } }));
    const result = computeRun(
      runInput(oldestFirst, 2023, {
        premiums: [premium(4_000_000n, '2023-05-01')],
        contributions: [{ uscc: USCC.dongyangA, year: 2023, amountFen: 4_000_000n }],
        carryIn: [{ uscc: USCC.dongyangA, originYear: 2022, amountFen: 5_000_000n }],
      }),
    );
    expect(supportOf(result, 'carried_forward')[0]!.amountFen).toBe(4_000_000n);
    expect(supportOf(result, 'premium')[0]!.amountFen).toBe(0n);
    expect(result.carryOut.map((carry) => [carry.originYear, carry.amountFen])).toEqual([
      [2022, 1_000_000n],
      [2023, 2_000_000n],
    ]);
  });
});

describe('Dongyang 2021: refusals', () => {
  it('A missing benchmark is an error, never a zero rate', () => {
    const onlyLpr = [{ index: 'LPR1Y', effectiveDate: '2019-08-20', rate: '0.0425' }];
    expect(() => computeRun(runInput(dongyang, 2023, { loans: [onTime], rates: onlyLpr }))).toThrow(
      expect.objectContaining({ code: 'rate_not_in_force', message: expect.stringContaining('no PBOC_LE1Y fixing is in force on 2022-03-15') }),
    );
  });

  it('A missing rate does not stop a run when the loan is ineligible anyway', () => {
    const late = { ...onTime, events: [...onTime.events, { type: 'overdue' as const, date: '2023-01-20' }] };
    const result = computeRun(runInput(dongyang, 2023, { loans: [late], rates: [] }));
    expect(result.lines[0]!.eligible).toBe(false);
  });
});

describe('Dongyang 2021: combination loans', () => {
  // 4,000,000.00 CNY, 2,500,000.00 of it pledged by trademark (IP share 0.625), 2023-01-01 to 2023-12-27
  // (≤ 12 months: 0.0435), 1,000,000.00 repaid 2023-07-01, the rest and the settlement 2023-12-27.
  const combination = loan({
    loanId: 'DY-COMBO',
    enterpriseUscc: USCC.dongyangB,
    principalFen: 400_000_000n,
    ipPledgedFen: 250_000_000n,
    collateral: 'combination',
    startDate: '2023-01-01',
    maturityDate: '2023-12-27',
    pledges: [{ rightType: 'trademark', number: 'TM-DY-9' }],
    events: [
      { type: 'disbursement', date: '2023-01-01', amountFen: 400_000_000n },
      { type: 'principal_repayment', date: '2023-07-01', amountFen: 100_000_000n },
      { type: 'principal_repayment', date: '2023-12-27', amountFen: 300_000_000n },
      { type: 'settlement', date: '2023-12-27' },
    ],
  });

  it('counts only the IP part of the daily outstanding, through a partial repayment', () => {
    // [2023-01-01, 2023-07-01): f = (728,280 + 180 + 1) − (728,280 + 1) = 180 days at 400,000,000
    // [2023-07-01, 2023-12-27): f = (728,280 + 330 + 27) − 728,461 = 176 days at 300,000,000
    // Σ = 72,000,000,000 + 52,800,000,000 = 124,800,000,000; × 0.625 = 78,000,000,000
    // × 0.0435 = 3,393,000,000; × 0.5 = 1,696,500,000; ÷ 360 = 4,712,500 fen
    const line = lineOf(computeRun(runInput(dongyang, 2023, { loans: [combination] })), 'DY-COMBO');
    expect(line.trace.segments?.map((segment) => [segment.days, segment.baseFen])).toEqual([
      [180, '250000000'],
      [176, '187500000'],
    ]);
    expect(line.amountFen).toBe(4_712_500n);
  });

  it('pays nothing when the IP part cannot be separated (stated in 《关于全面加强知识产权工作的实施意见》 § 6)', () => {
    const line = lineOf(computeRun(runInput(dongyang, 2023, { loans: [{ ...combination, ipPledgedFen: null }] })), 'DY-COMBO');
    expect(line.reasons).toEqual([expect.objectContaining({ code: 'combination_ip_part_unknown', reference: expect.stringContaining('不予补助') })]);
  });
});

describe('Dongyang 2021: the enterprise itself (《关于全面加强知识产权工作的实施意见》 § 20: an independent legal person in normal operation)', () => {
  // An individual business registered in Dongyang: USCC characters 1–2 "92" (registration authority 9, type 2 个体工商户).
  const individual = '92330783MA2DY00C6X';

  it('An individual business (USCC beginning 92) is not an independent legal person: every line ineligible, naming it', () => {
    const result = computeRun(
      runInput(dongyang, 2023, {
        loans: [{ ...onTime, loanId: 'DY-92', enterpriseUscc: individual }],
        premiums: [{ uscc: individual, amountFen: 1_000_000n, date: '2023-05-01' }],
      }),
    );
    const expected = {
      code: 'enterprise_not_independent_legal_person',
      message: `enterprise ${individual} is an individual business (USCC beginning 92): it is not an independent legal person`,
      reference: expect.stringContaining('具有独立法人资格'),
      params: { uscc: individual, usccPrefix: '92' },
    };
    expect(lineOf(result, 'DY-92')).toMatchObject({ eligible: false, amountFen: 0n, reasons: [expected] });
    expect(supportOf(result, 'premium')[0]).toMatchObject({ eligible: false, amountFen: 0n, reasons: [expected] });
    expect(lineOf(result, 'DY-92').trace.enterprise?.conditions[0]).toEqual({ condition: 'not_independent_legal_person', met: false, source: 'uscc_prefix', recordIds: [] });
    expect(result.totalFen).toBe(0n);
  });

  it('A record that the enterprise was not in normal operation from 2023-06-01 makes its 2023 lines ineligible, naming the record', () => {
    const record = { recordId: 'R-1', uscc: USCC.dongyangA, condition: 'not_in_normal_operation' as const, from: '2023-06-01', to: null, reason: 'production halted', recordedBy: 'staff:li' };
    const line = lineOf(computeRun(runInput(dongyang, 2023, { loans: [onTime], enterpriseStatus: [record] })), 'DY-ONTIME');
    expect(line.eligible).toBe(false);
    expect(line.reasons).toEqual([
      {
        code: 'enterprise_not_in_normal_operation',
        message: `staff recorded that enterprise ${USCC.dongyangA} is not in normal operation from 2023-06-01 (production halted, recorded by staff:li)`,
        reference: expect.stringContaining('并正常生产经营的企业'),
        params: { uscc: USCC.dongyangA, recordId: 'R-1', from: '2023-06-01', reason: 'production halted', records: 1 },
      },
    ]);
    expect(line.trace.enterprise?.conditions[1]).toEqual({ condition: 'not_in_normal_operation', met: false, source: 'record', recordIds: ['R-1'] });
  });

  it('A record whose period does not overlap the run\'s year does not count: 2022-01-01 to 2022-12-31 against 2023', () => {
    const record = { recordId: 'R-2', uscc: USCC.dongyangA, condition: 'not_independent_legal_person' as const, from: '2022-01-01', to: '2022-12-31', reason: 'was a branch' };
    const line = lineOf(computeRun(runInput(dongyang, 2023, { loans: [onTime], enterpriseStatus: [record] })), 'DY-ONTIME');
    expect(line.eligible).toBe(true);
    expect(line.amountFen).toBe(6_525_000n);
  });

  it('Yuanzhou sets no such condition: the same record, and a 92 USCC, change nothing there', () => {
    const yuanzhou = shippedPolicy('yuanzhou-2023');
    const yz92 = '92360902MA35YZ0C3X';
    const record = { recordId: 'R-3', uscc: USCC.yuanzhouA, condition: 'not_in_normal_operation' as const, from: '2023-01-01', to: null, reason: 'halted' };
    const result = computeRun(
      runInput(yuanzhou, 2023, {
        loans: [loan({ loanId: 'YZ-A', startDate: '2023-07-01' }), loan({ loanId: 'YZ-92', enterpriseUscc: yz92, startDate: '2023-07-01' })],
        enterpriseStatus: [record],
      }),
    );
    expect(result.lines.map((line) => line.eligible)).toEqual([true, true]);
    expect(result.lines[0]!.trace.enterprise).toBeUndefined();
  });
});

describe('Dongyang 2021: a loan that also pledges a copyright', () => {
  // 3,000,000.00 CNY, 2022-03-15 to 2023-03-15, settled on time: a trademark securing 1,800,000.00 and a copyright
  // (not supported by 《关于全面加强知识产权工作的实施意见》 § 6) securing 3,000,000.00.
  const withCopyright = (copyrightSecured: bigint | null) => ({
    ...onTime,
    loanId: 'DY-COPY',
    pledges: [
      { rightType: 'trademark' as const, number: 'TM-DY-5', securedFen: 180_000_000n },
      { rightType: 'copyright' as const, number: '浙作登字-2022-A-1', securedFen: copyrightSecured },
    ],
  });

  it('is paid on the trademark-secured part: min(3,000,000, 1,800,000) → 39,150.00', () => {
    // share 180,000,000 / 300,000,000 = 0.6; 300,000,000 × 360 = 108,000,000,000; × 0.6 = 64,800,000,000;
    // × 0.0435 = 2,818,800,000; × 0.5 = 1,409,400,000; ÷ 360 = 3,915,000 fen (= 1,800,000 × 4.35 % × 50 %)
    const line = lineOf(computeRun(runInput(dongyang, 2023, { loans: [withCopyright(300_000_000n)] })), 'DY-COPY');
    expect(line.rightType).toBe('trademark');
    expect(line.amountFen).toBe(3_915_000n);
  });

  it('is ineligible while the copyright pledge does not state its secured amount', () => {
    const line = lineOf(computeRun(runInput(dongyang, 2023, { loans: [withCopyright(null)] })), 'DY-COPY');
    expect(line.reasons).toEqual([
      expect.objectContaining({ code: 'secured_amount_missing', params: { unsupported: 'copyright', missing: 'copyright 浙作登字-2022-A-1', missingCount: 1 } }),
    ]);
  });
});
