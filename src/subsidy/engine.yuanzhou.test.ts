/**
 * Yuanzhou, 袁府办字〔2023〕25号 四(三)2, version 2: 15 % of the 1-year LPR in force on the loan start, on the
 * patent-secured part of the principal, for the first 12 months, days counted 30E/360 (f(d) = 360·year +
 * 30·(month − 1) + min(day, 30)), accrual attribution, ≤ 100,000 CNY per loan over its whole window and per enterprise
 * per year, city and district 50 % each, other district support deducted after the caps; fees 50 %, each kind
 * ≤ 50,000 CNY, paid by the district.
 *
 * Every expected figure is worked by hand in the comment beside it. LPR1Y fixings used: 0.0370 from 2022-01-20,
 * 0.0355 from 2023-06-20, 0.0345 from 2023-08-21, 0.0310 from 2024-10-21.
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

describe('Yuanzhou 2023: days counted 30E/360', () => {
  // 2,000,000.00 CNY patent loan started 2024-06-10, maturing 2025-06-09: window [2024-06-10, min(2025-06-10,
  // 2025-06-09)) = [2024-06-10, 2025-06-09), ended by maturity. LPR1Y in force on 2024-06-10: 0.0345.
  const loan2m = loan({ loanId: 'YZ-2M', principalFen: 200_000_000n, startDate: '2024-06-10', maturityDate: '2025-06-09' });

  it('A 2,000,000 CNY patent loan started 2024-06-10 gets 5,778.75 in 2024: 201 days × 3.45 % × 15 %', () => {
    // f(2025-01-01) = 360 × 2025 + 0 + 1 = 729,001; f(2024-06-10) = 360 × 2024 + 150 + 10 = 728,800; days 201
    // 200,000,000 × 201 = 40,200,000,000 fen-days; × 0.0345 = 1,386,900,000; × 0.15 = 208,035,000;
    // ÷ 360 = 577,875 fen = 5,778.75 CNY; 50/50: 288,937.5 → city 288,938 (the odd fen to the body listed first), district 288,937
    const line = lineOf(computeRun(runInput(yuanzhou, 2024, { loans: [loan2m] })), 'YZ-2M');
    expect(line.trace.window).toMatchObject({ from: '2024-06-10', toExclusive: '2025-06-09', endedBy: 'maturity', daysCounted: 201 });
    expect(line.trace.segments).toEqual([{ from: '2024-06-10', toExclusive: '2025-01-01', days: 201, outstandingFen: '200000000', baseFen: '200000000' }]);
    expect(line.trace.dayCount).toMatchObject({ convention: '30E/360', divisor: 360, rule: expect.stringContaining('f(d) = 360·year + 30·(month − 1) + min(day, 30)') });
    expect(line.amountFen).toBe(577_875n);
    expect(sharesOf(line)).toEqual({ city: 288_938n, district: 288_937n });
  });

  it('and 4,542.50 in 2025: 158 days', () => {
    // f(2025-06-09) = 729,000 + 150 + 9 = 729,159; f(2025-01-01) = 729,001; days 158
    // 200,000,000 × 158 = 31,600,000,000; × 0.0345 = 1,090,200,000; × 0.15 = 163,530,000; ÷ 360 = 454,250 fen = 4,542.50 CNY
    const line = lineOf(computeRun(runInput(yuanzhou, 2025, { loans: [loan2m] })), 'YZ-2M');
    expect(line.trace.window?.daysCounted).toBe(158);
    expect(line.amountFen).toBe(454_250n);
  });

  it('A whole 12-month window of a constant 5,000,000 CNY pays exactly 5,000,000 × 3.45 % × 15 % = 25,875.00 over two years', () => {
    // started 2024-03-01, maturing 2025-03-01: window [2024-03-01, 2025-03-01)
    // 2024: f(2025-01-01) − f(2024-03-01) = 729,001 − (728,640 + 60 + 1) = 300 days:
    //       500,000,000 × 300 × 0.0345 × 0.15 / 360 = 2,156,250 fen
    // 2025: f(2025-03-01) − f(2025-01-01) = (729,000 + 60 + 1) − 729,001 = 60 days: 500,000,000 × 60 × 0.005175 / 360 = 431,250
    // 2,156,250 + 431,250 = 2,587,500 fen = 25,875.00 CNY = 5,000,000 × 0.0345 × 0.15 ("贷款金额*LPR的15%")
    const whole = loan({ loanId: 'YZ-5M', principalFen: 500_000_000n, startDate: '2024-03-01', maturityDate: '2025-03-01' });
    const y2024 = lineOf(computeRun(runInput(yuanzhou, 2024, { loans: [whole] })), 'YZ-5M');
    const y2025 = lineOf(computeRun(runInput(yuanzhou, 2025, { loans: [whole] })), 'YZ-5M');
    expect([y2024.amountFen, y2025.amountFen]).toEqual([2_156_250n, 431_250n]);
    expect(y2024.amountFen + y2025.amountFen).toBe(2_587_500n);
  });

  it('Under version 1 (ACT/360, kept for the runs made with it) the same window paid 26,234.38', () => {
    // 2024: 2024-03-01 → 2025-01-01 = 31+30+31+30+31+31+30+31+30+31 = 306 calendar days:
    //       500,000,000 × 306 × 0.0345 × 0.15 / 360 = 2,199,375 fen
    // 2025: 31 + 28 = 59 days: 500,000,000 × 59 × 0.005175 / 360 = 424,062.5 → 424,063
    // 2,199,375 + 424,063 = 2,623,438 fen = 26,234.38 CNY (365/360 of the document's formula)
    const version1 = shippedPolicy('yuanzhou-2023', 1);
    expect(version1.parameters.dayCount.value).toBe('ACT/360');
    const whole = loan({ loanId: 'YZ-5M', principalFen: 500_000_000n, startDate: '2024-03-01', maturityDate: '2025-03-01' });
    const y2024 = lineOf(computeRun(runInput(version1, 2024, { loans: [whole] })), 'YZ-5M');
    const y2025 = lineOf(computeRun(runInput(version1, 2025, { loans: [whole] })), 'YZ-5M');
    expect([y2024.amountFen, y2025.amountFen]).toEqual([2_199_375n, 424_063n]);
    expect(y2024.trace.dayCount?.convention).toBe('ACT/360');
  });

  it('Day 31 counts as day 30: a loan started on the 31st counts from the 30th', () => {
    // started 2024-01-31, maturing 2025-01-31: window [2024-01-31, 2025-01-31)
    // 2024: f(2025-01-01) − f(2024-01-31) = 729,001 − (728,640 + 0 + 30) = 331 days
    // 1,000,000.00 CNY: 100,000,000 × 331 = 33,100,000,000; × 0.0345 = 1,141,950,000; × 0.15 = 171,292,500;
    // ÷ 360 = 475,812.5 → half-up 475,813 fen
    const day31 = loan({ loanId: 'YZ-31', startDate: '2024-01-31', maturityDate: '2025-01-31' });
    const line = lineOf(computeRun(runInput(yuanzhou, 2024, { loans: [day31] })), 'YZ-31');
    expect(line.trace.window?.daysCounted).toBe(331);
    expect(line.trace.amountUnroundedFen).toBe('475812.5');
    expect(line.amountFen).toBe(475_813n);
  });
});

describe('Yuanzhou 2023: a bullet loan over a year boundary', () => {
  // 5,000,000.00 CNY patent loan started 2023-07-01, maturing 2025-07-01: window [2023-07-01, 2024-07-01)
  // (start + 12 months comes before maturity). LPR1Y in force on 2023-07-01: 0.0355 (fixed 2023-06-20).
  const bullet = loan({ loanId: 'YZ-BULLET', principalFen: 500_000_000n, startDate: '2023-07-01', maturityDate: '2025-07-01' });

  it('A 5,000,000 CNY patent loan started 2023-07-01 gets 13,312.50 in the 2023 run', () => {
    // days in 2023: f(2024-01-01) − f(2023-07-01) = 728,641 − (728,280 + 180 + 1) = 180
    // 500,000,000 fen × 180 = 90,000,000,000 fen-days
    // × 0.0355 = 3,195,000,000; × 0.15 = 479,250,000; ÷ 360 = 1,331,250 fen = 13,312.50 CNY; 50/50: 665,625 each
    const result = computeRun(runInput(yuanzhou, 2023, { loans: [bullet] }));
    const line = lineOf(result, 'YZ-BULLET');
    expect(line.eligible).toBe(true);
    expect(line.amountFen).toBe(1_331_250n);
    expect(line.trace.window?.daysCounted).toBe(180);
    expect(line.trace.outstandingDaysFen).toBe('90000000000');
    expect(line.trace.rate?.rate).toBe('0.0355');
    expect(line.trace.rate?.fixingEffectiveDate).toBe('2023-06-20');
    expect(line.trace.amountRoundedFen).toBe('1331250');
    expect(sharesOf(line)).toEqual({ city: 665_625n, district: 665_625n });
  });

  it('and 13,312.50 in the 2024 run, for the rest of its window: 26,625.00 in all = 5,000,000 × 3.55 % × 15 %', () => {
    // days in 2024 before 2024-07-01: f(2024-07-01) − f(2024-01-01) = 180
    // 500,000,000 × 180 × 0.0355 × 0.15 / 360 = 1,331,250 fen. The whole window pays at most
    // 500,000,000 × 360 days × 0.0355 × 0.15 / 360 = 2,662,500 fen + 1 fen of rounding for each of its 2 years
    // = 2,662,502 ≤ the per-loan cap 10,000,000: the cap cannot cut, no earlier year needs computing
    const result = computeRun(runInput(yuanzhou, 2024, { loans: [bullet] }));
    const line = lineOf(result, 'YZ-BULLET');
    expect(line.amountFen).toBe(1_331_250n);
    expect(line.trace.window).toMatchObject({
      from: '2023-07-01',
      toExclusive: '2024-07-01',
      endedBy: 'months',
      countedFrom: '2024-01-01',
      countedToExclusive: '2024-07-01',
      daysCounted: 180,
    });
    expect(line.trace.windowCap).toEqual({ capFen: '10000000', wholeWindowAtMostFen: '2662502', partFen: '1331250', reference: expect.stringContaining('贴息总额最高不超过10万元') });
    expect(line.trace.adjustments).toEqual([]);
    expect(result.totals).toEqual([
      { body: 'city', amountFen: 665_625n },
      { body: 'district', amountFen: 665_625n },
    ]);
  });

  it('is not a line of the 2025 run: its window ended in 2024', () => {
    expect(computeRun(runInput(yuanzhou, 2025, { loans: [bullet] })).lines).toEqual([]);
  });
});

describe('Yuanzhou 2023: rounding', () => {
  it('An amount of exactly half a fen rounds up, once', () => {
    // 4,938,000.00 CNY started 2024-01-01, maturing 2024-07-01: window [2024-01-01, 2024-07-01) = 180 days
    // 493,800,000 × 180 = 88,884,000,000; × 0.0345 = 3,066,498,000; × 0.15 = 459,974,700; ÷ 360 = 1,277,707.5
    // → half-up 1,277,708 fen
    const half = loan({ loanId: 'YZ-HALF', principalFen: 493_800_000n, startDate: '2024-01-01', maturityDate: '2024-07-01' });
    const line = lineOf(computeRun(runInput(yuanzhou, 2024, { loans: [half] })), 'YZ-HALF');
    expect(line.trace.amountUnroundedFen).toBe('1277707.5');
    expect(line.amountFen).toBe(1_277_708n);
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

  it('gets 4,657.50 in 2024: the repayment lowers the base from its own day on', () => {
    // [2024-03-01, 2024-09-01): f = (728,640 + 240 + 1) − (728,640 + 60 + 1) = 180 days at 200,000,000
    // [2024-09-01, 2025-01-01): 729,001 − 728,881 = 120 days at 150,000,000
    // Σ = 36,000,000,000 + 18,000,000,000 = 54,000,000,000 fen-days; × 0.6 = 32,400,000,000
    // × 0.0345 = 1,117,800,000; × 0.15 = 167,670,000; ÷ 360 = 465,750 fen; 50/50: 232,875 each
    const result = computeRun(runInput(yuanzhou, 2024, { loans: [combination] }));
    const line = lineOf(result, 'YZ-COMBO');
    expect(line.trace.segments).toEqual([
      { from: '2024-03-01', toExclusive: '2024-09-01', days: 180, outstandingFen: '200000000', baseFen: '120000000' },
      { from: '2024-09-01', toExclusive: '2025-01-01', days: 120, outstandingFen: '150000000', baseFen: '90000000' },
    ]);
    expect(line.trace.baseDaysFen).toBe('32400000000');
    expect(line.trace.amountUnroundedFen).toBe('465750');
    expect(line.amountFen).toBe(465_750n);
    expect(sharesOf(line)).toEqual({ city: 232_875n, district: 232_875n });
  });

  it('gets 776.25 in 2025 for the last two months of its window; the odd fen goes to the city, listed first', () => {
    // [2025-01-01, 2025-03-01): f = 729,061 − 729,001 = 60 days at 150,000,000
    // 150,000,000 × 60 = 9,000,000,000; × 0.6 = 5,400,000,000; × 0.0345 = 186,300,000; × 0.15 = 27,945,000;
    // ÷ 360 = 77,625 fen; 50/50: 38,812.5 → city 38,813, district 38,812
    const line = lineOf(computeRun(runInput(yuanzhou, 2025, { loans: [combination] })), 'YZ-COMBO');
    expect(line.amountFen).toBe(77_625n);
    expect(sharesOf(line)).toEqual({ city: 38_813n, district: 38_812n });
  });

  it('is ineligible when the IP-pledged part is not stated, and says so', () => {
    const unknown = { ...combination, ipPledgedFen: null };
    const line = lineOf(computeRun(runInput(yuanzhou, 2024, { loans: [unknown] })), 'YZ-COMBO');
    expect(line.eligible).toBe(false);
    expect(line.amountFen).toBe(0n);
    expect(line.reasons).toEqual([
      {
        code: 'combination_ip_part_unknown',
        message: 'a combination loan whose contract does not state the IP-pledged part: the IP part of the principal 2000000.00 cannot be separated, so it is not subsidised',
        reference: '袁府办字〔2023〕25号 四(三)2 "对专利权质押部分的贷款利息予以补贴"',
        params: { principal: '2000000.00' },
      },
    ]);
    expect(line.trace.interpretations.map((interpretation) => interpretation.parameter)).toContain('combinationIpPartUnknown');
    expect(sharesOf(line)).toEqual({ city: 0n, district: 0n });
  });
});

describe('Yuanzhou 2023: the cap of 100,000.00 per loan over its whole window', () => {
  // Two 30,000,000.00 CNY patent loans, LPR1Y 0.0345: a whole window pays 30,000,000 × 0.0345 × 0.15 = 155,250.00,
  // capped at 100,000.00 per loan whatever the years it falls in.
  const july = loan({ loanId: 'YZ-JULY', principalFen: 3_000_000_000n, startDate: '2024-07-01', maturityDate: '2025-07-01' });
  const january = loan({ loanId: 'YZ-JAN', enterpriseUscc: USCC.yuanzhouB, principalFen: 3_000_000_000n, startDate: '2024-01-01', maturityDate: '2025-01-01' });

  it('A 30,000,000 CNY loan started in July gets 77,625.00 in 2024, under the cap', () => {
    // [2024-07-01, 2025-01-01): 729,001 − 728,821 = 180 days; 3,000,000,000 × 180 × 0.0345 × 0.15 / 360 = 7,762,500 fen
    // no earlier year: min(0 + 7,762,500, 10,000,000) − 0 = 7,762,500
    const line = lineOf(computeRun(runInput(yuanzhou, 2024, { loans: [july] })), 'YZ-JULY');
    expect(line.amountFen).toBe(7_762_500n);
    expect(line.trace.adjustments).toEqual([]);
  });

  it('and only 22,375.00 in 2025: 100,000.00 over its window, computed from the same inputs, not from the 2024 run', () => {
    // 2025: [2025-01-01, 2025-07-01) = 180 days → 7,762,500 fen before the cap
    // earlier part (2024, computed here): 7,762,500
    // min(7,762,500 + 7,762,500, 10,000,000) − min(7,762,500, 10,000,000) = 10,000,000 − 7,762,500 = 2,237,500 fen
    const line = lineOf(computeRun(runInput(yuanzhou, 2025, { loans: [july] })), 'YZ-JULY');
    expect(line.amountFen).toBe(2_237_500n);
    expect(line.trace.adjustments).toEqual([
      expect.objectContaining({ step: 'cap_per_loan', beforeFen: '7762500', afterFen: '2237500', cutFen: '5525000', reference: expect.stringContaining('贴息总额最高不超过10万元') }),
    ]);
    expect(line.trace.windowCap).toEqual({
      capFen: '10000000',
      earlierParts: [{ year: 2024, countedFrom: '2024-07-01', countedToExclusive: '2025-01-01', days: 180, amountFen: '7762500', partFen: '7762500' }],
      earlierFen: '7762500',
      partFen: '2237500',
      reference: expect.stringContaining('贴息总额最高不超过10万元'),
    });
    expect(line.trace.interpretations.map((item) => item.parameter)).toContain('capPerLoan');
  });

  it('A 30,000,000 CNY loan started in January gets 100,000.00 in 2024 and is not a line of 2025: the same total', () => {
    // [2024-01-01, 2025-01-01) = 360 days: 3,000,000,000 × 0.0345 × 0.15 = 15,525,000 fen → cap 10,000,000
    const result2024 = computeRun(runInput(yuanzhou, 2024, { loans: [january] }));
    expect(lineOf(result2024, 'YZ-JAN').amountFen).toBe(10_000_000n);
    expect(lineOf(result2024, 'YZ-JAN').trace.adjustments).toEqual([
      expect.objectContaining({ step: 'cap_per_loan', beforeFen: '15525000', afterFen: '10000000', cutFen: '5525000' }),
    ]);
    expect(computeRun(runInput(yuanzhou, 2025, { loans: [january] })).lines).toEqual([]);
    // July: 7,762,500 + 2,237,500 = 10,000,000 = January's 10,000,000
  });

  it('Days before the policy took effect are no earlier part: a loan started 2022-07-01 is paid its 2023 days whole', () => {
    // LPR1Y on 2022-07-01: 0.0370. 2023: [2023-01-01, 2023-07-01) = 180 days:
    // 3,000,000,000 × 180 × 0.0370 × 0.15 / 360 = 8,325,000 fen ≤ 10,000,000; 2022 is before 2023-01-01: no earlier part
    const old = loan({ loanId: 'YZ-OLD', principalFen: 3_000_000_000n, startDate: '2022-07-01', maturityDate: '2023-07-01' });
    const line = lineOf(computeRun(runInput(yuanzhou, 2023, { loans: [old] })), 'YZ-OLD');
    expect(line.amountFen).toBe(8_325_000n);
    expect(line.trace.windowCap).toMatchObject({ earlierParts: [], earlierFen: '0', partFen: '8325000' });
  });

  it('Then the enterprise cap, its cut shared in proportion to the amounts after the per-loan cap', () => {
    // 2025, enterprise A: the July loan (2,237,500 after the per-loan cap) and a 25,000,000.00 loan started 2025-01-01
    // (LPR1Y 0.0310: 2,500,000,000 × 360 × 0.0310 × 0.15 / 360 = 11,625,000 → per-loan cap 10,000,000)
    // 2,237,500 + 10,000,000 = 12,237,500 > 10,000,000: cut 2,237,500 in proportion 2,237,500 : 10,000,000
    //   2,237,500 × 2,237,500 / 12,237,500 = 5,006,406,250,000 / 12,237,500 = 409,103.68
    //   2,237,500 × 10,000,000 / 12,237,500 = 22,375,000,000,000 / 12,237,500 = 1,828,396.32 (.68 + .32 = 1: exact)
    //   floors 409,103 + 1,828,396 = 2,237,499; the last fen to the larger remainder (.68): July's cut 409,104
    // → July 2,237,500 − 409,104 = 1,828,396; new 10,000,000 − 1,828,396 = 8,171,604; together 10,000,000
    const fresh = loan({ loanId: 'YZ-NEW', principalFen: 2_500_000_000n, startDate: '2025-01-01', maturityDate: '2026-01-01' });
    const result = computeRun(runInput(yuanzhou, 2025, { loans: [july, fresh] }));
    expect(lineOf(result, 'YZ-JULY').amountFen).toBe(1_828_396n);
    expect(lineOf(result, 'YZ-NEW').amountFen).toBe(8_171_604n);
    expect(lineOf(result, 'YZ-NEW').trace.adjustments.map((item) => [item.step, item.beforeFen, item.afterFen])).toEqual([
      ['cap_per_loan', '11625000', '10000000'],
      ['cap_per_enterprise_year', '10000000', '8171604'],
    ]);
  });
});

describe('Yuanzhou 2023: an enterprise over its cap', () => {
  // Three patent loans of one enterprise, each started 2024-01-01 and maturing 2025-01-01: a 12-month window of
  // 360 days (30E/360), all in 2024. LPR1Y on 2024-01-01: 0.0345. Each amount = P × 360 × 0.0345 × 0.15 / 360
  // = P × 0.005175, under the per-loan cap of 10,000,000 fen.
  const cappedLoans = [
    loan({ loanId: 'YZ-CAP-A', principalFen: 1_000_000_000n, startDate: '2024-01-01', maturityDate: '2025-01-01' }), // 5,175,000
    loan({ loanId: 'YZ-CAP-B', principalFen: 600_000_000n, startDate: '2024-01-01', maturityDate: '2025-01-01' }), // 3,105,000
    loan({ loanId: 'YZ-CAP-C', principalFen: 400_000_000n, startDate: '2024-01-01', maturityDate: '2025-01-01' }), // 2,070,000
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
    const other = loan({ loanId: 'YZ-CAP-D', enterpriseUscc: USCC.yuanzhouB, principalFen: 200_000_000n, startDate: '2024-01-01', maturityDate: '2025-01-01' });
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

  it('A loan pledging only patents needs no secured amount', () => {
    // the default test loan pledges one patent and states no securedAmount: eligible, share 1
    const line = lineOf(computeRun(runInput(yuanzhou, 2023, { loans: [loan({ loanId: 'YZ-P' })] })), 'YZ-P');
    expect(line.eligible).toBe(true);
    expect(line.trace.ipShare).toMatchObject({ value: '1' });
    expect(line.trace.ipShare?.supportedPart).toBeUndefined();
  });
});

describe('Yuanzhou 2023: only the patent-secured part of a loan that also pledges a trademark', () => {
  // 1,000,000.00 CNY IP-only loan started 2023-07-01 (LPR1Y 0.0355), pledging a trademark and a patent.
  // 2023: [2023-07-01, 2024-01-01) = 180 days (30E/360).
  const both = (trademarkSecured: bigint | null, patentSecured: bigint | null) =>
    loan({
      loanId: 'YZ-BOTH',
      pledges: [
        { rightType: 'trademark', number: 'TM-2', securedFen: trademarkSecured },
        { rightType: 'patent', number: 'ZL-2', securedFen: patentSecured },
      ],
    });

  it('is paid on min(IP part, Σ secured by its patents): min(1,000,000, 600,000) = 600,000.00 → 1,597.50 in 2023', () => {
    // supported part min(100,000,000, 60,000,000) = 60,000,000 fen: share 60,000,000 / 100,000,000
    // 100,000,000 × 180 = 18,000,000,000; × 0.6 = 10,800,000,000; × 0.0355 = 383,400,000; × 0.15 = 57,510,000;
    // ÷ 360 = 159,750 fen = 1,597.50 CNY (= 600,000 × 0.0355 × 0.15 × 180/360)
    const line = lineOf(computeRun(runInput(yuanzhou, 2023, { loans: [both(100_000_000n, 60_000_000n)] })), 'YZ-BOTH');
    expect(line.eligible).toBe(true);
    expect(line.rightType).toBe('patent');
    expect(line.amountFen).toBe(159_750n);
    expect(line.trace.ipShare).toMatchObject({
      value: '60000000/100000000 = 0.6',
      supportedPart: {
        ipPartFen: '100000000',
        pledges: [
          { rightType: 'patent', number: 'ZL-2', securedFen: '60000000', supported: true },
          { rightType: 'trademark', number: 'TM-2', securedFen: '100000000', supported: false },
        ],
        securedSupportedFen: '60000000',
        supportedPartFen: '60000000',
      },
    });
    expect(line.trace.interpretations.map((item) => item.parameter)).toContain('supportedPart');
  });

  it('is paid on the whole IP part when its patents secure more than it: min(1,000,000, 1,200,000) → 2,662.50', () => {
    // 100,000,000 × 180 × 0.0355 × 0.15 / 360 = 266,250 fen
    const line = lineOf(computeRun(runInput(yuanzhou, 2023, { loans: [both(50_000_000n, 120_000_000n)] })), 'YZ-BOTH');
    expect(line.amountFen).toBe(266_250n);
  });

  it('is a line, ineligible, while a pledge does not state its secured amount, saying to record it', () => {
    const line = lineOf(computeRun(runInput(yuanzhou, 2023, { loans: [both(null, 60_000_000n)] })), 'YZ-BOTH');
    expect(line.eligible).toBe(false);
    expect(line.amountFen).toBe(0n);
    expect(line.reasons).toEqual([
      {
        code: 'secured_amount_missing',
        message: expect.stringContaining("until each pledge's securedAmount is recorded (missing: trademark TM-2)"),
        reference: expect.stringContaining('对专利权质押部分的贷款利息予以补贴'),
        params: { unsupported: 'trademark', missing: 'trademark TM-2', missingCount: 1 },
      },
    ]);
  });

  it('Under version 1 the whole IP part was paid (kept for the runs made with it)', () => {
    // version 1, ACT/360: 2023-07-01 → 2024-01-01 = 184 days; 100,000,000 × 184 × 0.0355 × 0.15 / 360 = 272,166.67 → 272,167
    const line = lineOf(computeRun(runInput(shippedPolicy('yuanzhou-2023', 1), 2023, { loans: [both(null, null)] })), 'YZ-BOTH');
    expect(line.amountFen).toBe(272_167n);
  });
});

describe('Yuanzhou 2023: jurisdiction', () => {
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

describe('Yuanzhou 2023: other support at the same fiscal level (take the higher, after the caps)', () => {
  // The bullet loan of the first case: 1,331,250 fen in 2023.
  const bullet = loan({ loanId: 'YZ-DOUBLE', principalFen: 500_000_000n, startDate: '2023-07-01', maturityDate: '2025-07-01' });

  it('pays only the excess over district support already received', () => {
    // 1,331,250 − 1,000,000 (district programme) = 331,250 fen; the city-level 500,000 does not count (other level)
    // split 331,250 / 2 = 165,625 each
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
    expect(line.amountFen).toBe(331_250n);
    expect(line.trace.adjustments).toEqual([
      expect.objectContaining({ step: 'other_support_same_level', beforeFen: '1331250', afterFen: '331250', cutFen: '1000000' }),
    ]);
    expect(sharesOf(line)).toEqual({ city: 165_625n, district: 165_625n });
  });

  it('nets support recorded for another year only in that year\'s run', () => {
    // support for 2024 does not touch the 2023 line: 1,331,250 stays whole
    const result = computeRun(
      runInput(yuanzhou, 2023, {
        loans: [bullet],
        otherSupport: [{ loanId: 'YZ-DOUBLE', programme: 'district award', fiscalLevel: 'district', amountFen: 1_000_000n, year: 2024 }],
      }),
    );
    expect(lineOf(result, 'YZ-DOUBLE').amountFen).toBe(1_331_250n);
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

  it('deducts it from the amount after the per-loan cap, not before', () => {
    // The January 30,000,000 loan of 2024: 15,525,000 → per-loan cap 10,000,000 → − 3,000,000 district support
    // = 7,000,000 fen (70,000.00); netting first would have paid min(15,525,000 − 3,000,000, 10,000,000) = 10,000,000
    const january = loan({ loanId: 'YZ-JAN', principalFen: 3_000_000_000n, startDate: '2024-01-01', maturityDate: '2025-01-01' });
    const line = lineOf(
      computeRun(
        runInput(yuanzhou, 2024, {
          loans: [january],
          otherSupport: [{ loanId: 'YZ-JAN', programme: 'district award', fiscalLevel: 'district', amountFen: 3_000_000n }],
        }),
      ),
      'YZ-JAN',
    );
    expect(line.amountFen).toBe(7_000_000n);
    expect(line.trace.adjustments.map((item) => [item.step, item.beforeFen, item.afterFen])).toEqual([
      ['cap_per_loan', '15525000', '10000000'],
      ['other_support_same_level', '10000000', '7000000'],
    ]);
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
      loan({ loanId: 'YZ-B-A', principalFen: 1_000_000_000n, startDate: '2024-01-01', maturityDate: '2025-01-01' }),
      loan({ loanId: 'YZ-B-B', enterpriseUscc: USCC.yuanzhouB, principalFen: 400_000_000n, startDate: '2024-01-01', maturityDate: '2025-01-01' }),
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
      loan({ loanId: 'YZ-B-A', principalFen: 1_000_000_000n, startDate: '2024-01-01', maturityDate: '2025-01-01' }),
      loan({ loanId: 'YZ-B-B', enterpriseUscc: USCC.yuanzhouB, principalFen: 400_000_000n, startDate: '2024-01-01', maturityDate: '2025-01-01' }),
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
    // A policy version effective from 2023-10-01: the 2023 run counts [2023-10-01, 2024-01-01) of the bullet loan:
    // f(2024-01-01) − f(2023-10-01) = 728,641 − (728,280 + 270 + 1) = 90 days
    // 500,000,000 × 90 = 45,000,000,000; × 0.0355 = 1,597,500,000; × 0.15 = 239,625,000; ÷ 360 = 665,625 fen
    const later = validatePolicy({ ...withParameters(yuanzhou2023, {}), effectiveFrom: '2023-10-01' });
    const bullet = loan({ loanId: 'YZ-LATE-POLICY', principalFen: 500_000_000n, startDate: '2023-07-01' });
    const line = lineOf(computeRun(runInput(later, 2023, { loans: [bullet] })), 'YZ-LATE-POLICY');
    expect(line.trace.window?.daysCounted).toBe(90);
    expect(line.amountFen).toBe(665_625n);
    expect(line.trace.interpretations.map((item) => item.parameter)).toContain('daysBeforeEffectiveFrom');
  });
});

describe('Yuanzhou 2023: the trace', () => {
  it('cites the policy, the clauses (by document and clause) and the interpretations it applied', () => {
    // started 2023-07-15: 2023 counts f(2024-01-01) − f(2023-07-15) = 728,641 − (728,280 + 180 + 15) = 166 days
    // 500,000,000 × 166 = 83,000,000,000; × 0.0355 × 0.15 / 360 = 441,975,000 / 360 = 1,227,708.33… → 1,227,708 fen
    const bullet = loan({ loanId: 'YZ-TRACE', principalFen: 500_000_000n, startDate: '2023-07-15' });
    const line = lineOf(computeRun(runInput(yuanzhou, 2023, { loans: [bullet], enterprises: enterprisesFor(USCC.yuanzhouA) })), 'YZ-TRACE');
    expect(line.trace.policy).toEqual({ id: 'yuanzhou-2023', version: 2, documentNo: '袁府办字〔2023〕25号', title: expect.any(String) });
    expect(line.trace.clauses.some((clause) => clause.startsWith('袁府办字〔2023〕25号 四(三)2'))).toBe(true);
    expect(line.trace.interpretations.map((item) => item.parameter)).toEqual(
      expect.arrayContaining(['rateIndex', 'rateFixing', 'dayCount', 'base', 'capPerLoan', 'capPerEnterpriseYear']),
    );
    expect(line.trace.amountUnroundedFen).toBe(`1227708.${'3'.repeat(20)}…`);
    expect(line.trace.formula).toBe(
      `83000000000 fen-days × IP share 1 × rate 0.0355 × ratio 0.15 / 360 = 1227708.${'3'.repeat(20)}… fen, rounded once half-up to 1227708 fen (12277.08 CNY)`,
    );
    // Nothing in a trace cites the project's planning texts: clauses of the documents, or the project's docs/.
    expect(JSON.stringify(line.trace)).not.toMatch(/POLICY\.md|API\.md|issue \d/);
    expect(JSON.parse(JSON.stringify(line.trace))).toEqual(line.trace); // plain JSON
  });
});
