/**
 * The run's context: a run refuses a policy it cannot compute (a year outside the policy's period, then a parameter
 * UNSET) before anything else; an explanation lists the UNSET parameters instead. The days of a period by the policy's
 * convention, each distinct day's ordinal computed once.
 */
import { parseDate } from '../dates';
import { shippedPolicy } from '../policies';
import { runInput } from '../test-fixtures';
import { prepareContext } from './context';

const ankang = shippedPolicy('ankang-2024');
const yuanzhou = shippedPolicy('yuanzhou-2023');

describe('prepareContext', () => {
  it('refuses Ankang 2025 as shipped: the ratio, rate index and split are set by staff (安政办发〔2024〕13号 第12条 gives none)', () => {
    expect(() => prepareContext(runInput(ankang, 2025), { explain: false })).toThrow(
      expect.objectContaining({ code: 'policy_parameter_unset', details: { parameters: ['rateIndex', 'ratio', 'fundingSplit'] } }),
    );
  });

  it('refuses Ankang 2023, before the policy took effect (2024-12-13), as not in force: no parameter set would help', () => {
    expect(() => prepareContext(runInput(ankang, 2023), { explain: false })).toThrow(expect.objectContaining({ code: 'policy_not_in_force' }));
  });

  it('an explanation of the same policy lists them instead, with no funding split to use', () => {
    const ctx = prepareContext(runInput(ankang, 2025), { explain: true });
    expect(ctx.unset).toEqual(['rateIndex', 'ratio', 'fundingSplit']);
    expect(ctx.fundingSplitter).toBeNull();
  });

  it('refuses a year before the policy took effect (Yuanzhou from 2023-01-01) and a year that is not one', () => {
    expect(() => prepareContext(runInput(yuanzhou, 2022), { explain: false })).toThrow(expect.objectContaining({ code: 'policy_not_in_force' }));
    expect(() => prepareContext(runInput(yuanzhou, 20245), { explain: false })).toThrow(
      expect.objectContaining({ code: 'input_invalid', details: { errors: [expect.objectContaining({ path: 'year' })] } }),
    );
  });

  it('counts days from the policy\'s effective date (days before it are not counted): 2023-01-01 for Yuanzhou', () => {
    const ctx = prepareContext(runInput(yuanzhou, 2024), { explain: false });
    expect([ctx.countFrom, ctx.yearFrom, ctx.yearTo]).toEqual([parseDate('2023-01-01'), parseDate('2024-01-01'), parseDate('2025-01-01')]);
  });

  it('30E/360: [2024-01-31, 2024-03-01) counts 31 days where the calendar counts 30', () => {
    // f(2024-03-01) = 360 × 2024 + 30 × 2 + 1 = 728,701; f(2024-01-31) = 728,640 + 0 + min(31, 30) = 728,670; 31
    // calendar: 2024-01-31 → 2024-02-29 is 29 days, → 2024-03-01 one more: 30
    const ctx = prepareContext(runInput(yuanzhou, 2024), { explain: false });
    expect(ctx.daysBetween(parseDate('2024-01-31'), parseDate('2024-03-01'))).toBe(31);
    const act = prepareContext(runInput(shippedPolicy('yuanzhou-2023', 1), 2024), { explain: false });
    expect(act.daysBetween(parseDate('2024-01-31'), parseDate('2024-03-01'))).toBe(30);
  });
});
