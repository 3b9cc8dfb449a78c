/**
 * Properties of a run over random loans: shares add up to their line, capped totals never exceed their caps, budgets
 * are never exceeded, and the same input in another order gives the same output, whole or given a batch of loans at a
 * time.
 */
import fc from 'fast-check';
import { computeRun, RunComputation } from './engine';
import { addMonths, formatDate, parseDate } from './dates';
import { dongyang2021, yuanzhou2023 } from './policies';
import { validatePolicy, type Policy } from './policy';
import { SHIPPED_RATES, USCC, enterprisesFor, withParameters } from './test-fixtures';
import type { RunInput, RunLoan, RunLoanEvent, RunResult } from './types';

// Small caps so that they bite often.
const yuanzhouSmallCap = validatePolicy(withParameters(yuanzhou2023, { capPerEnterpriseYear: '3000.00', capPerLoan: '1500.00' }));
const dongyangSmallCap = validatePolicy(
  withParameters(dongyang2021, { capPerEnterpriseRightTypeYear: '2000.00', premiumSupport: { ratio: '0.5', capPerEnterpriseYear: '500.00', fundingSplit: [{ body: 'city', share: '1' }] } }),
);
const USCCS = [USCC.yuanzhouA, USCC.yuanzhouB, USCC.yichunOther, USCC.dongyangA, USCC.dongyangB];
const DAY_FIRST_START = parseDate('2022-07-01');

const loanArbitrary = (index: number) =>
  fc
    .record({
      uscc: fc.constantFrom(...USCCS, ...USCCS.slice(0, 2), ...USCCS.slice(3, 5)),
      principalFen: fc.bigInt({ min: 1_000_00n, max: 50_000_000_00n }),
      combination: fc.boolean(),
      ipPermille: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
      startOffset: fc.noBias(fc.integer({ min: 0, max: 2 * 365 })),
      termMonths: fc.oneof(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 72 })),
      rightTypes: fc.subarray(['patent', 'trademark', 'copyright'] as const, { minLength: 1 }),
      // The secured amount (担保债权数额) of each pledge, as a permille of the principal; null: not stated.
      securedPermille: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null, freq: 4 }),
      repayments: fc.array(fc.record({ offset: fc.integer({ min: 1, max: 800 }), permille: fc.integer({ min: 1, max: 400 }) }), { maxLength: 3 }),
      settleOffset: fc.option(fc.integer({ min: 1, max: 900 }), { nil: null, freq: 5 }),
      overdueOffset: fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 400 })).map(([coin, offset]) => (coin < 2 ? offset : null)),
    })
    .map((draw): RunLoan => {
      const startDay = DAY_FIRST_START + draw.startOffset;
      const maturityDay = addMonths(startDay, draw.termMonths);
      const events: RunLoanEvent[] = [{ type: 'disbursement', date: formatDate(startDay), amountFen: draw.principalFen }];
      let outstanding = draw.principalFen;
      for (const repayment of [...draw.repayments].sort((a, b) => a.offset - b.offset)) {
        const amount = (draw.principalFen * BigInt(repayment.permille)) / 1000n;
        if (amount === 0n || amount > outstanding) continue;
        outstanding -= amount;
        events.push({ type: 'principal_repayment', date: formatDate(startDay + repayment.offset), amountFen: amount });
      }
      if (draw.overdueOffset !== null) events.push({ type: 'overdue', date: formatDate(startDay + draw.overdueOffset), daysOverdue: 3 });
      if (draw.settleOffset !== null) {
        const day = startDay + draw.settleOffset;
        if (outstanding > 0n) events.push({ type: 'principal_repayment', date: formatDate(day), amountFen: outstanding });
        events.push({ type: 'settlement', date: formatDate(day) });
      }
      return {
        loanId: `L${String(index).padStart(3, '0')}`,
        bankId: 'bank-1',
        enterpriseUscc: draw.uscc,
        contractNo: `C${index}`,
        principalFen: draw.principalFen,
        ipPledgedFen: draw.combination ? (draw.ipPermille === null ? null : (draw.principalFen * BigInt(draw.ipPermille)) / 1000n) : null,
        collateral: draw.combination ? 'combination' : 'ip_only',
        annualRate: '0.0435',
        startDate: formatDate(startDay),
        maturityDate: formatDate(maturityDay),
        pledges: draw.rightTypes.map((rightType, pledgeIndex) => ({
          rightType,
          number: `${rightType}-${index % 7}-${pledgeIndex}`,
          securedFen: draw.securedPermille === null ? null : (draw.principalFen * BigInt((draw.securedPermille + 137 * pledgeIndex) % 1001)) / 1000n,
        })),
        events,
      };
    });

const inputArbitrary = (policy: Policy) =>
  fc
    .record({
      year: fc.constantFrom(2023, 2024, 2024, 2025),
      loanCount: fc.integer({ min: 3, max: 14 }),
      premiums: fc.array(fc.record({ uscc: fc.constantFrom(...USCCS), amountFen: fc.bigInt({ min: 0n, max: 300_000n }), month: fc.integer({ min: 1, max: 12 }) }), { maxLength: 4 }),
      contributions: fc.array(fc.record({ uscc: fc.constantFrom(USCC.dongyangA, USCC.dongyangB), amountFen: fc.bigInt({ min: 0n, max: 500_000n }) }), { maxLength: 2 }),
      budgetFen: fc.option(fc.bigInt({ min: 0n, max: 2_000_000n }), { nil: null }),
    })
    .chain((shape) =>
      fc.tuple(...Array.from({ length: shape.loanCount }, (_, index) => loanArbitrary(index))).map((loans): RunInput => {
        const contributions = new Map(shape.contributions.map((entry) => [entry.uscc, entry.amountFen]));
        return {
          policy,
          year: shape.year,
          loans,
          rates: SHIPPED_RATES,
          enterprises: enterprisesFor(...USCCS),
          exclusions: [],
          enterpriseStatus: [
            { recordId: 'R1', uscc: USCC.dongyangB, condition: 'not_in_normal_operation', from: `${shape.year}-03-01`, to: null, reason: 'production halted' },
          ],
          otherSupport: loans.slice(0, 2).map((loan) => ({ loanId: loan.loanId, programme: 'other', fiscalLevel: 'city', amountFen: 10_000n })),
          contributions: [...contributions].map(([uscc, amountFen]) => ({ uscc, year: shape.year, amountFen })),
          carryIn: policy.parameters.contributionCap.value ? [{ uscc: USCC.dongyangA, originYear: shape.year - 1, amountFen: 50_000n }] : [],
          priorSubsidisedAssets: [{ rightType: 'patent', number: 'patent-3-0', year: shape.year - 1, loanId: 'old' }],
          fees: loans.slice(0, 3).map((loan, index) => ({ loanId: loan.loanId, kind: (['evaluation', 'guarantee', 'insurance'] as const)[index]!, amountFen: 12_345n * BigInt(index + 1), date: `${shape.year}-06-01` })),
          premiums: shape.premiums.map((premium) => ({ uscc: premium.uscc, amountFen: premium.amountFen, date: `${shape.year}-${String(premium.month).padStart(2, '0')}-15` })),
          budget: shape.budgetFen === null ? undefined : [{ body: 'city', amountFen: shape.budgetFen }],
        };
      }),
    );

function checkInvariants(result: RunResult, policy: Policy): void {
  const all = [...result.lines, ...result.supportLines];
  for (const line of all) {
    expect(line.shares.reduce((sum, share) => sum + share.amountFen, 0n)).toBe(line.amountFen);
    for (const share of line.shares) expect(share.amountFen >= 0n).toBe(true);
    if (!line.eligible) expect(line.amountFen).toBe(0n);
  }
  expect(result.totals.reduce((sum, total) => sum + total.amountFen, 0n)).toBe(result.totalFen);
  expect(all.reduce((sum, line) => sum + line.amountFen, 0n)).toBe(result.totalFen);
  const capYear = policy.parameters.capPerEnterpriseYear.value;
  const capRightType = policy.parameters.capPerEnterpriseRightTypeYear.value;
  const byEnterprise = new Map<string, bigint>();
  const byRightType = new Map<string, bigint>();
  for (const line of result.lines) {
    byEnterprise.set(line.enterpriseUscc, (byEnterprise.get(line.enterpriseUscc) ?? 0n) + line.amountFen);
    const key = `${line.enterpriseUscc}/${line.rightType}`;
    byRightType.set(key, (byRightType.get(key) ?? 0n) + line.amountFen);
  }
  if (capYear !== null) for (const total of byEnterprise.values()) expect(total <= capYear).toBe(true);
  const capLoan = policy.parameters.capPerLoan.value;
  if (capLoan !== null) for (const line of result.lines) expect(line.amountFen <= capLoan).toBe(true);
  if (capRightType !== null) for (const total of byRightType.values()) expect(total <= capRightType).toBe(true);
  const premiumCap = policy.parameters.premiumSupport.value?.capPerEnterpriseYear;
  for (const line of result.supportLines) if (line.kind === 'premium' && premiumCap !== undefined) expect(line.amountFen <= premiumCap).toBe(true);
  for (const budget of result.budget) {
    const paid = result.totals.find((total) => total.body === budget.body)?.amountFen ?? 0n;
    expect(paid <= budget.budgetFen).toBe(true);
  }
}

/** The same input with every list in another order. */
function shuffled(input: RunInput, keys: number[]): RunInput {
  let position = 0;
  const shuffle = <T>(list: readonly T[]): T[] =>
    list
      .map((item) => ({ item, key: keys[position++ % keys.length]! + position * 1e-9 }))
      .sort((a, b) => a.key - b.key)
      .map(({ item }) => item);
  return {
    ...input,
    loans: shuffle(input.loans).map((loan) => ({ ...loan, events: shuffle(loan.events), pledges: shuffle(loan.pledges) })),
    rates: shuffle(input.rates),
    enterprises: shuffle(input.enterprises),
    enterpriseStatus: shuffle(input.enterpriseStatus),
    otherSupport: shuffle(input.otherSupport),
    fees: shuffle(input.fees),
    premiums: shuffle(input.premiums),
    contributions: shuffle(input.contributions),
    priorSubsidisedAssets: shuffle(input.priorSubsidisedAssets),
  };
}

describe.each([
  ['Yuanzhou (accrual, cap per enterprise, fees, 50/50)', yuanzhouSmallCap],
  ['Dongyang (settlement, cap per right type, premiums, contribution cap)', dongyangSmallCap],
])('a random run under %s', (_name, policy) => {
  it('has shares that add up to each line, totals that add up, and no cap or budget exceeded', () => {
    fc.assert(
      fc.property(inputArbitrary(policy), (input) => {
        checkInvariants(computeRun(input), policy);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same output for the same input in any order', () => {
    fc.assert(
      fc.property(inputArbitrary(policy), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }), (input, keys) => {
        expect(computeRun(shuffled(input, keys))).toEqual(computeRun(input));
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same output given its loans a batch at a time, in loan-id order or not (as a load hands them over)', () => {
    fc.assert(
      fc.property(inputArbitrary(policy), fc.array(fc.integer({ min: 0, max: 14 }), { maxLength: 4 }), fc.boolean(), (input, cuts, sorted) => {
        // The loans are drawn in loan-id order (L000, L001, …); reversed, they come out of order.
        const loans = sorted ? input.loans : [...input.loans].reverse();
        const computation = new RunComputation({ ...input, loans: [] });
        let start = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          computation.add(loans.slice(start, Math.max(start, cut)));
          start = Math.max(start, cut);
        }
        computation.add(loans.slice(start));
        expect(computation.finish()).toEqual(computeRun(input));
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same figures without traces (a reform simulation showing none): amounts, shares, reasons, window', () => {
    const figures = (result: RunResult) => ({
      ...result,
      lines: result.lines.map(({ trace, ...line }) => ({ ...line, window: trace.window, run: trace.run, adjustments: trace.adjustments.map((step) => step.afterFen) })),
      supportLines: result.supportLines.map(({ trace: _trace, ...line }) => line),
    });
    fc.assert(
      fc.property(inputArbitrary(policy), (input) => {
        expect(figures(computeRun(input, { traces: false }))).toEqual(figures(computeRun(input)));
      }),
      { numRuns: 100 },
    );
  });
});

describe('accrual over year boundaries', () => {
  const base = { rates: SHIPPED_RATES, enterprises: enterprisesFor(USCC.yuanzhouA), exclusions: [], enterpriseStatus: [], otherSupport: [], contributions: [], carryIn: [], priorSubsidisedAssets: [], fees: [], premiums: [] };

  it('pays a loan its whole window over the years, within half a fen per year of the whole', () => {
    const open = { capPerEnterpriseYear: null, capPerLoan: null, feeSupport: null, supportedPart: 'whole_ip_part' };
    const uncapped = validatePolicy(withParameters(yuanzhou2023, open));
    const wholeWindow = validatePolicy(withParameters(yuanzhou2023, { ...open, attribution: 'settlement' }));
    fc.assert(
      fc.property(loanArbitrary(1), (drawn) => {
        const loan = { ...drawn, enterpriseUscc: USCC.yuanzhouA };
        const settlement = loan.events.find((event) => event.type === 'settlement');
        fc.pre(settlement !== undefined && loan.startDate >= '2023-01-01' && settlement.date < '2027-01-01');
        let byYears = 0n;
        for (const year of [2023, 2024, 2025, 2026]) {
          byYears += computeRun({ ...base, policy: uncapped, year, loans: [loan] }).lines[0]?.amountFen ?? 0n;
        }
        const whole = computeRun({ ...base, policy: wholeWindow, year: Number(settlement!.date.slice(0, 4)), loans: [loan] }).lines[0];
        const wholeUnrounded = Number(whole?.trace.amountUnroundedFen?.replace('…', '') ?? '0');
        expect(Math.abs(Number(byYears) - wholeUnrounded)).toBeLessThanOrEqual(2);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['1000.00', 100_000n],
    ['100000.00', 10_000_000n],
  ])('never pays a loan more than a per-loan cap of %s over all the years of its window, and pays min(whole, cap) in all', (capYuan, capFen) => {
    // The cap of one loan across years: Σ parts = min(Σ amounts, cap) whatever the split of the window between years,
    // whether the run computes the earlier years or finds that the whole window cannot reach the cap.
    const capped = validatePolicy(withParameters(yuanzhou2023, { capPerEnterpriseYear: null, capPerLoan: capYuan, feeSupport: null, supportedPart: 'whole_ip_part' }));
    const uncapped = validatePolicy(withParameters(yuanzhou2023, { capPerEnterpriseYear: null, capPerLoan: null, feeSupport: null, supportedPart: 'whole_ip_part' }));
    fc.assert(
      fc.property(loanArbitrary(2), (drawn) => {
        const loan = { ...drawn, enterpriseUscc: USCC.yuanzhouA };
        let cappedTotal = 0n;
        let uncappedTotal = 0n;
        for (const year of [2023, 2024, 2025, 2026, 2027]) {
          cappedTotal += computeRun({ ...base, policy: capped, year, loans: [loan] }).lines[0]?.amountFen ?? 0n;
          uncappedTotal += computeRun({ ...base, policy: uncapped, year, loans: [loan] }).lines[0]?.amountFen ?? 0n;
        }
        expect(cappedTotal).toBe(uncappedTotal < capFen ? uncappedTotal : capFen);
      }),
      { numRuns: 200 },
    );
  });
});
