/**
 * Reference rates, pre-indexed once per run: for each index the fixings sorted by effective date, so "the fixing in
 * force on date D" (latest effective date ≤ D, docs/subsidy-rules.md "Rates") is a binary search, not a scan.
 * A date before the first fixing is an error (`rate_not_in_force`), never a zero rate.
 */
import { SubsidyError } from './errors';
import { addMonths, formatDate, lastDayOfMonth, lastDayOfPreviousMonth, parseDate, yearOf, type DayNumber } from './dates';
import type { RateFixing, RateIndex, RateIndexChoice } from './policy';
import type { RunRate } from './types';

const RATE_PATTERN = /^\d{1,3}(\.\d{1,12})?$/;

interface IndexFixings {
  days: DayNumber[];
  rates: string[];
}

export interface RateFixingFound {
  index: string;
  fixingDay: DayNumber;
  effectiveDay: DayNumber;
  rate: string;
}

export class RateTable {
  private readonly byIndex = new Map<string, IndexFixings>();

  constructor(rates: readonly RunRate[]) {
    const grouped = new Map<string, Array<{ day: DayNumber; rate: string; row: number }>>();
    rates.forEach((row, position) => {
      const day = parseDate(row.effectiveDate, `rates.${position}.effectiveDate`);
      if (!RATE_PATTERN.test(row.rate)) {
        throw new SubsidyError('input_invalid', `rates.${position}.rate: "${row.rate}" is not a decimal rate`, {
          errors: [{ path: `rates.${position}.rate`, message: 'must be a decimal string such as "0.0345"' }],
        });
      }
      let list = grouped.get(row.index);
      if (!list) grouped.set(row.index, (list = []));
      list.push({ day, rate: row.rate, row: position });
    });
    for (const [index, list] of grouped) {
      list.sort((a, b) => a.day - b.day);
      const days: DayNumber[] = [];
      const values: string[] = [];
      for (const entry of list) {
        const last = days.length - 1;
        if (last >= 0 && days[last] === entry.day) {
          // The same fixing listed twice is harmless; two different rates for one date would make the run depend
          // on input order.
          if (!decimalEquals(values[last]!, entry.rate)) {
            throw new SubsidyError('input_invalid', `rates: ${index} has two rates for ${formatDate(entry.day)}`, {
              errors: [{ path: `rates.${entry.row}`, message: `${index} already has a different rate on ${formatDate(entry.day)}` }],
            });
          }
          continue;
        }
        days.push(entry.day);
        values.push(entry.rate);
      }
      this.byIndex.set(index, { days, rates: values });
    }
  }

  /** The fixing of `index` in force on `day`; throws `rate_not_in_force` when none is. */
  inForceOn(index: string, day: DayNumber, loanId?: string): RateFixingFound {
    const fixings = this.byIndex.get(index);
    let low = 0;
    let high = fixings ? fixings.days.length - 1 : -1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (fixings!.days[middle]! <= day) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0 || !fixings) {
      const earliest = fixings && fixings.days.length > 0 ? `; the earliest is ${formatDate(fixings.days[0]!)}` : '; none is recorded';
      throw new SubsidyError(
        'rate_not_in_force',
        `no ${index} fixing is in force on ${formatDate(day)}${loanId ? ` (loan ${loanId})` : ''}${earliest}`,
        { index, date: formatDate(day), ...(loanId ? { loanId } : {}) },
      );
    }
    return { index, fixingDay: day, effectiveDay: fixings.days[found]!, rate: fixings.rates[found]! };
  }
}

function decimalEquals(a: string, b: string): boolean {
  const normalise = (text: string) => text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '').replace(/^0+(?=\d)/, '');
  return normalise(a) === normalise(b);
}

/**
 * The PBoC benchmark band of a loan's term (docs/subsidy-rules.md "Rates"): ≤ 1 year when maturity ≤
 * start + 12 months, 1–5 years when ≤ start + 60 months, longer otherwise.
 */
export function benchmarkTermBand(startDay: DayNumber, maturityDay: DayNumber): RateIndex {
  if (maturityDay <= addMonths(startDay, 12)) return 'PBOC_LE1Y';
  if (maturityDay <= addMonths(startDay, 60)) return 'PBOC_1TO5Y';
  return 'PBOC_GT5Y';
}

export function resolveIndex(choice: RateIndexChoice, startDay: DayNumber, maturityDay: DayNumber): { index: RateIndex; termBand?: string } {
  if (choice !== 'PBOC_BY_TERM') return { index: choice };
  const index = benchmarkTermBand(startDay, maturityDay);
  const termBand = index === 'PBOC_LE1Y' ? '≤ 1 year' : index === 'PBOC_1TO5Y' ? '1–5 years' : '> 5 years';
  return { index, termBand };
}

export type FixingDay = { ok: true; day: DayNumber; description: string } | { ok: false; missing: 'contract_date' };

/**
 * The date whose fixing applies, by the policy's fixing rule.
 * - `latest_published_in_month_before_contract`: the fixing in force on the last day of the month before the contract
 *   date, i.e. the latest published up to the end of that month (the shipped file lists changes only, so a month
 *   without a change has no row of its own).
 * - `month_of_repayment_year`: the fixing in force on the last day of that month of the year the loan was settled
 *   (its maturity year while it is not settled).
 */
export function fixingDay(
  rule: RateFixing,
  loan: { startDay: DayNumber; maturityDay: DayNumber; contractDay: DayNumber | null; settlementDay: DayNumber | null },
): FixingDay {
  switch (rule.rule) {
    case 'in_force_on_loan_start':
      return { ok: true, day: loan.startDay, description: 'in force on the loan start date' };
    case 'in_force_on_contract_date':
      if (loan.contractDay === null) return { ok: false, missing: 'contract_date' };
      return { ok: true, day: loan.contractDay, description: 'in force on the contract date' };
    case 'latest_published_in_month_before_contract':
      if (loan.contractDay === null) return { ok: false, missing: 'contract_date' };
      return {
        ok: true,
        day: lastDayOfPreviousMonth(loan.contractDay),
        description: 'the latest published in the month before the contract date (in force on its last day)',
      };
    case 'month_of_repayment_year': {
      const repaymentYear = yearOf(loan.settlementDay ?? loan.maturityDay);
      return {
        ok: true,
        day: lastDayOfMonth(repaymentYear, rule.month),
        description: `the fixing of month ${rule.month} of the repayment year ${repaymentYear} (in force on its last day)`,
      };
    }
  }
}
