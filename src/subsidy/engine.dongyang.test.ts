/**
 * Dongyang (001 § 6, §§ 20–23): 50 % of the PBoC benchmark of the loan's term band in force on the loan start, on the
 * IP-pledged principal, first 12 months, ACT/360, for loans settled on time in the run's year (settlement
 * attribution), ≤ 300,000 CNY per enterprise per right type per year, same asset one year only, city 100 %; premium
 * support 50 % ≤ 100,000 CNY; contribution cap with two years of carry-forward; exclusions.
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
  it('A 3,000,000 CNY patent loan of 12 months settled on time in 2023 gets 66,156.25 in the 2023 run', () => {
    // window [2022-03-15, 2023-03-15): 365 days (no 29 February in between)
    // 300,000,000 × 365 = 109,500,000,000; × 0.0435 = 4,763,250,000; × 0.5 = 2,381,625,000; ÷ 360 = 6,615,625 fen
    const result = computeRun(runInput(dongyang, 2023, { loans: [onTime] }));
    const line = lineOf(result, 'DY-ONTIME');
    expect(line.eligible).toBe(true);
    expect(line.amountFen).toBe(6_615_625n);
    expect(line.trace.rate).toMatchObject({ indexChoice: 'PBOC_BY_TERM', index: 'PBOC_LE1Y', termBand: '≤ 1 year', rate: '0.0435', fixingEffectiveDate: '2015-10-24' });
    expect(line.trace.window).toMatchObject({ from: '2022-03-15', toExclusive: '2023-03-15', daysCounted: 365 });
    expect(line.shares).toEqual([{ body: 'city', amountFen: 6_615_625n }]);
  });

  it('is not a line of the 2022 run: it was not settled in 2022', () => {
    expect(computeRun(runInput(dongyang, 2022, { loans: [onTime] })).lines).toEqual([]);
  });

  it('A 24-month trademark loan settled early takes the 1–5 year benchmark up to its settlement day', () => {
    // 1,000,000.00 CNY, 2021-06-01 to 2023-06-01 (> 12 months, ≤ 60: PBOC_1TO5Y 0.0475), settled 2022-01-10
    // window [2021-06-01, 2022-01-10): Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 + 9 = 223 days
    // 100,000,000 × 223 = 22,300,000,000; × 0.0475 = 1,059,250,000; × 0.5 = 529,625,000;
    // ÷ 360 = 1,471,180.55… → 1,471,181 fen
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
    expect(line.trace.window).toMatchObject({ endedBy: 'settlement', daysCounted: 223 });
    expect(line.amountFen).toBe(1_471_181n);
    expect(line.rightType).toBe('trademark');
  });

  it('A loan of more than 5 years takes the > 5 year benchmark', () => {
    // 2021-01-01 to 2026-01-02: maturity after start + 60 months (2026-01-01) → PBOC_GT5Y 0.0490
    // settled 2021-03-01: window [2021-01-01, 2021-03-01) = 31 + 28 = 59 days
    // 100,000,000 × 59 = 5,900,000,000; × 0.0490 = 289,100,000; × 0.5 = 144,550,000; ÷ 360 = 401,527.77… → 401,528
    const long = loan({ loanId: 'DY-LONG', enterpriseUscc: USCC.dongyangA, startDate: '2021-01-01', maturityDate: '2026-01-02', settledOn: '2021-03-01' });
    const line = lineOf(computeRun(runInput(dongyang, 2021, { loans: [long] })), 'DY-LONG');
    expect(line.trace.rate).toMatchObject({ index: 'PBOC_GT5Y', termBand: '> 5 years' });
    expect(line.amountFen).toBe(401_528n);
  });
});

describe('Dongyang 2021: a loan repaid late', () => {
  it('is a line of its settlement year, ineligible, naming the overdue event', () => {
    const late = { ...onTime, loanId: 'DY-LATE', events: [...onTime.events, { type: 'overdue' as const, date: '2023-01-20', daysOverdue: 5 }] };
    const line = lineOf(computeRun(runInput(dongyang, 2023, { loans: [late] })), 'DY-LATE');
    expect(line.eligible).toBe(false);
    expect(line.amountFen).toBe(0n);
    expect(line.reasons).toEqual([
      { code: 'repaid_late', message: 'the loan was not repaid on time: overdue event on 2023-01-20', reference: '001 § 6 "按期还清贷款本息"' },
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
    expect(lineOf(result, 'DY-ONTIME').amountFen).toBe(6_615_625n);
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
  // Loans 2022-01-01 to 2022-12-27 (360 days, term ≤ 1 year: 0.0435), settled at maturity: P × 360 × 0.0435 × 0.5 / 360
  // = P × 0.02175.
  const sameYear = (loanId: string, principalFen: bigint, rightType: 'patent' | 'trademark') =>
    loan({
      loanId,
      enterpriseUscc: USCC.dongyangA,
      principalFen,
      startDate: '2022-01-01',
      maturityDate: '2022-12-27',
      settledOn: '2022-12-27',
      pledges: [{ rightType, number: `N-${loanId}` }],
    });

  it('cuts the patent loans to 300,000.00 together and leaves the trademark loan alone', () => {
    // patent A 1,000,000,000 × 0.02175 = 21,750,000; patent B 600,000,000 × 0.02175 = 13,050,000
    // patents 34,800,000 > 30,000,000: cut 4,800,000 in 5 : 3 → 3,000,000 / 1,800,000 → 18,750,000 / 11,250,000
    // trademark C 400,000,000 × 0.02175 = 8,700,000 ≤ 30,000,000: untouched
    const result = computeRun(
      runInput(dongyang, 2022, {
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
    // 6,615,625 − 615,625 = 6,000,000 fen
    const result = computeRun(
      runInput(dongyang, 2023, {
        loans: [onTime],
        otherSupport: [{ loanId: 'DY-ONTIME', programme: 'Dongyang science loan subsidy', fiscalLevel: 'city', amountFen: 615_625n }],
      }),
    );
    expect(lineOf(result, 'DY-ONTIME').amountFen).toBe(6_000_000n);
  });
});

describe('Dongyang 2021: exclusions (001 § 23)', () => {
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
        reference: '001 § 23 "当年度内不能享受本意见中的扶持政策"',
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

describe('Dongyang 2021: the contribution cap with carry-forward (001 § 22)', () => {
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
    // interest 6,615,625 (the on-time loan) + premium support 2,646,250 × 0.5 = 1,323,125: total 7,938,750 (5 : 1)
    // contribution 4,000,000 → cut 3,938,750: 3,938,750 × 5/6 = 3,282,291.67, × 1/6 = 656,458.33
    // floors 3,282,291 + 656,458 = 3,938,749; the last fen to the larger remainder (.67): interest 3,282,292
    // → interest 6,615,625 − 3,282,292 = 3,333,333; premium 1,323,125 − 656,458 = 666,667; carried 3,938,750
    const result = computeRun(
      runInput(dongyang, 2023, {
        loans: [onTime],
        premiums: [premium(2_646_250n, '2023-05-01')],
        contributions: [{ uscc: USCC.dongyangA, year: 2023, amountFen: 4_000_000n }],
      }),
    );
    expect(lineOf(result, 'DY-ONTIME').amountFen).toBe(3_333_333n);
    expect(supportOf(result, 'premium')[0]!.amountFen).toBe(666_667n);
    expect(result.carryOut).toEqual([{ uscc: USCC.dongyangA, originYear: 2023, amountFen: 3_938_750n, shares: [{ body: 'city', amountFen: 3_938_750n }] }]);
    expect(result.contributions).toEqual([
      {
        uscc: USCC.dongyangA,
        contributionFen: 4_000_000n,
        currentDueFen: 7_938_750n,
        currentPaidFen: 4_000_000n,
        carriedInFen: 0n,
        carriedInPaidFen: 0n,
        carryOutFen: 3_938_750n,
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
    // [2023-01-01, 2023-07-01): 31 + 28 + 31 + 30 + 31 + 30 = 181 days at 400,000,000
    // [2023-07-01, 2023-12-27): 360 − 181 = 179 days at 300,000,000 (2023-01-01 + 360 days = 2023-12-27)
    // Σ = 72,400,000,000 + 53,700,000,000 = 126,100,000,000; × 0.625 = 78,812,500,000
    // × 0.0435 = 3,428,343,750; × 0.5 = 1,714,171,875; ÷ 360 = 4,761,588.54… → 4,761,589 fen
    const line = lineOf(computeRun(runInput(dongyang, 2023, { loans: [combination] })), 'DY-COMBO');
    expect(line.trace.segments?.map((segment) => [segment.days, segment.baseFen])).toEqual([
      [181, '250000000'],
      [179, '187500000'],
    ]);
    expect(line.amountFen).toBe(4_761_589n);
  });

  it('pays nothing when the IP part cannot be separated (stated in 001 § 6)', () => {
    const line = lineOf(computeRun(runInput(dongyang, 2023, { loans: [{ ...combination, ipPledgedFen: null }] })), 'DY-COMBO');
    expect(line.reasons).toEqual([expect.objectContaining({ code: 'combination_ip_part_unknown', reference: expect.stringContaining('不予补助') })]);
  });
});
