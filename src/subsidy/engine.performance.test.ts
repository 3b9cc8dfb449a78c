/**
 * The size a yearly run must handle: 100,000 loans with 1,000,000 events in well under 10 s and under 1 GiB
 * (measured here on the 2-core machine CI runs on). Work is per segment, never per day.
 */
import { computeRun } from './engine';
import { addMonths, formatDate, parseDate } from './dates';
import { shippedPolicy } from './policies';
import { SHIPPED_RATES } from './test-fixtures';
import type { RunInput, RunLoan, RunLoanEvent } from './types';

const LOAN_COUNT = 100_000;
const EVENTS_PER_LOAN = 10;
const ENTERPRISE_COUNT = 5_000;
/** The run must finish in well under 10 s; the margin is for a slower CI machine. */
const TIME_LIMIT_MS = 10_000;

const dateTexts = new Map<number, string>();
function dateText(day: number): string {
  let text = dateTexts.get(day);
  if (text === undefined) dateTexts.set(day, (text = formatDate(day)));
  return text;
}

function bigRun(policyId: string, division: string, year: number): RunInput {
  const enterprises = Array.from({ length: ENTERPRISE_COUNT }, (_, index) => {
    const uscc = `91${division}MA${String(index).padStart(8, '0')}`;
    return { uscc, name: `E${index}`, divisionCode: division };
  });
  const firstStart = parseDate(`${year - 1}-01-01`);
  const loans: RunLoan[] = [];
  for (let index = 0; index < LOAN_COUNT; index += 1) {
    const startDay = firstStart + (index % 700);
    const principalFen = 100_000_00n + BigInt(index % 997) * 1_000_00n;
    const events: RunLoanEvent[] = [{ type: 'disbursement', date: dateText(startDay), amountFen: principalFen }];
    const repayment = principalFen / 10n;
    for (let month = 1; events.length < EVENTS_PER_LOAN - 1; month += 1) {
      const day = addMonths(startDay, month);
      events.push(month % 2 === 0 ? { type: 'principal_repayment', date: dateText(day), amountFen: repayment } : { type: 'interest_payment', date: dateText(day), amountFen: 1_000n });
    }
    const repaid = events.filter((event) => event.type === 'principal_repayment').length;
    const settleDay = addMonths(startDay, 12);
    events.push({ type: 'principal_repayment', date: dateText(settleDay), amountFen: principalFen - repayment * BigInt(repaid) });
    events.reverse(); // arrive out of order
    const collateral = index % 5 === 0 ? 'combination' : 'ip_only';
    loans.push({
      loanId: `L${String(index).padStart(6, '0')}`,
      bankId: `B${index % 7}`,
      enterpriseUscc: enterprises[index % ENTERPRISE_COUNT]!.uscc,
      contractNo: `C${index}`,
      principalFen,
      ipPledgedFen: collateral === 'combination' ? (principalFen * 3n) / 5n : null,
      collateral,
      annualRate: '0.0435',
      startDate: dateText(startDay),
      maturityDate: dateText(addMonths(startDay, 24)),
      pledges: [{ rightType: index % 9 === 0 ? 'trademark' : 'patent', number: `P${index}` }],
      events,
    });
  }
  return {
    policy: shippedPolicy(policyId),
    year,
    loans,
    rates: SHIPPED_RATES,
    enterprises,
    exclusions: [],
    otherSupport: [],
    contributions: [],
    carryIn: [],
    priorSubsidisedAssets: [],
    fees: [],
    premiums: [],
  };
}

describe('a run of 100,000 loans with 1,000,000 events', () => {
  it(`takes under ${TIME_LIMIT_MS / 1000} s under Yuanzhou (accrual over two years, 50/50 split, cap per enterprise)`, () => {
    const input = bigRun('yuanzhou-2023', '360902', 2024);
    expect(input.loans.reduce((count, loan) => count + loan.events.length, 0)).toBe(LOAN_COUNT * EVENTS_PER_LOAN);
    const started = performance.now();
    const result = computeRun(input);
    const elapsedMs = performance.now() - started;
    const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
    console.log(`100,000 loans, 1,000,000 events: ${elapsedMs.toFixed(0)} ms, heap ${heapMiB.toFixed(0)} MiB, ${result.lines.length} lines`);
    expect(result.lines.length).toBeGreaterThan(50_000);
    expect(elapsedMs).toBeLessThan(TIME_LIMIT_MS);
    expect(heapMiB).toBeLessThan(1024);
  });
});
