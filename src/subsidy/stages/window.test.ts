/**
 * Stage 2c: the window [start, min(start + N months, maturity, settlement)), the part the year is attributed, the days
 * counted, the segments of outstanding principal.
 */
import { parseDate } from '../dates';
import { shippedPolicy } from '../policies';
import { loan } from '../test-fixtures';
import { ConditionSink } from './conditions';
import { loanFacts } from './loan-facts';
import { stageInputs } from './test-support';
import { TraceNotes } from './trace';
import { attribute, outstandingCondition, settledInYearCondition, walkBase, windowTrace } from './window';

const yuanzhou = shippedPolicy('yuanzhou-2023');
const dongyang = shippedPolicy('dongyang-2021');
const day = parseDate;

describe('attribution', () => {
  it('accrual (Yuanzhou 2024): the part of the window [2023-07-01, 2024-07-01) in 2024', () => {
    const { ctx } = stageInputs(yuanzhou, 2024);
    const attribution = attribute(ctx, loanFacts(ctx, loan({ loanId: 'W1', startDate: '2023-07-01', maturityDate: '2025-07-01' })));
    expect(attribution).toMatchObject({ from: day('2024-01-01'), to: day('2024-07-01'), countedFrom: day('2024-01-01'), countedTo: day('2024-07-01') });
    expect(attribution?.window).toEqual({ from: day('2023-07-01'), to: day('2024-07-01'), endedBy: 'months' });
  });

  it('accrual: a window ending before the year is no line; days before the policy took effect are not counted', () => {
    const { ctx } = stageInputs(yuanzhou, 2024);
    expect(attribute(ctx, loanFacts(ctx, loan({ loanId: 'W2', startDate: '2022-06-01', maturityDate: '2023-06-01' })))).toBeNull();
    const in2023 = stageInputs(yuanzhou, 2023).ctx;
    // window [2022-10-01, 2023-10-01): in 2023 from 2023-01-01, the policy's first day
    expect(attribute(in2023, loanFacts(in2023, loan({ loanId: 'W3', startDate: '2022-10-01', maturityDate: '2024-10-01' })))).toMatchObject({
      from: day('2023-01-01'),
      countedFrom: day('2023-01-01'),
      countedTo: day('2023-10-01'),
    });
  });

  it('settlement (Dongyang 2025): a loan settled in 2025, its whole window; one settled in 2024 or not settled is no line of a run', () => {
    const { ctx } = stageInputs(dongyang, 2025);
    const settled = loanFacts(ctx, loan({ loanId: 'W4', startDate: '2024-07-01', maturityDate: '2025-06-30', settledOn: '2025-06-30' }));
    // min(2025-07-01, maturity 2025-06-30, settlement 2025-06-30): maturity, listed before settlement on a tie
    expect(attribute(ctx, settled)).toMatchObject({ from: day('2024-07-01'), to: day('2025-06-30'), settledInYear: true, window: { endedBy: 'maturity' } });
    expect(attribute(ctx, loanFacts(ctx, loan({ loanId: 'W5', startDate: '2023-07-01', maturityDate: '2024-06-30', settledOn: '2024-06-30' })))).toBeNull();
    expect(attribute(ctx, loanFacts(ctx, loan({ loanId: 'W6', startDate: '2025-01-15', maturityDate: '2026-01-14' })))).toBeNull();
  });

  it('an explanation attributes a loan not settled yet, and says settling it in the year would bring it in', () => {
    const policy = { ...dongyang, parameters: { ...dongyang.parameters, condition: { ...dongyang.parameters.condition, value: 'none' as const } } };
    const { ctx } = stageInputs(policy, 2025, {}, true);
    const facts = loanFacts(ctx, loan({ loanId: 'W7', startDate: '2025-01-15', maturityDate: '2026-01-14' }));
    const attribution = attribute(ctx, facts)!;
    expect(attribution.settledInYear).toBe(false);
    const sink = new ConditionSink(true);
    settledInYearCondition(ctx, sink, facts, attribution);
    expect(sink.conditions).toEqual([
      expect.objectContaining({ code: 'settled_in_year', met: false, toMeet: 'settle it in 2025 (maturity 2026-01-14): the run for 2025 pays loans settled in 2025, their whole window' }),
    ]);
  });
});

describe('segments', () => {
  it('Σ outstanding × days over [2024-01-01, 2024-07-01) with a repayment of 400,000.00 on 2024-03-01', () => {
    // 1,000,000.00 from 2024-01-01 to 2024-03-01: 60 days (30E/360: 728,701 − 728,641); 600,000.00 to 2024-07-01: 120 days
    // 100,000,000 × 60 + 60,000,000 × 120 = 6,000,000,000 + 7,200,000,000 = 13,200,000,000 fen-days
    const { ctx } = stageInputs(yuanzhou, 2024);
    const facts = loanFacts(ctx, loan({ loanId: 'S1', startDate: '2024-01-01', events: [
      { type: 'disbursement', date: '2024-01-01', amountFen: 100_000_000n },
      { type: 'principal_repayment', date: '2024-03-01', amountFen: 40_000_000n },
    ] }));
    const walk = walkBase(ctx, facts, day('2024-01-01'), day('2024-07-01'));
    expect(walk.segments.map((segment) => [segment.outstandingFen, ctx.daysBetween(segment.from, segment.to)])).toEqual([
      [100_000_000n, 60],
      [60_000_000n, 120],
    ]);
    expect(walk.outstandingDaysFen).toBe(13_200_000_000n);
  });

  it('more repaid than disbursed: the condition is missed, the bank must correct the events', () => {
    const { ctx } = stageInputs(yuanzhou, 2024);
    const facts = loanFacts(ctx, loan({ loanId: 'S2', startDate: '2024-01-01', events: [
      { type: 'disbursement', date: '2024-01-01', amountFen: 100n },
      { type: 'principal_repayment', date: '2024-02-01', amountFen: 101n },
    ] }));
    const sink = new ConditionSink(false);
    outstandingCondition(sink, walkBase(ctx, facts, day('2024-01-01'), day('2024-07-01')));
    expect(sink.conditions).toEqual([expect.objectContaining({ code: 'outstanding_not_negative', met: false, toMeet: expect.stringContaining('corrects the loan\'s events') })]);
  });

  it('the window\'s trace notes the window parameter and, when days before the policy took effect are left out, that rule', () => {
    // Ankang (安政办发〔2024〕13号, in force from 2024-12-13) pays in 2024 the loans settled in 2024, their whole window:
    // [2024-06-01, settled 2024-12-20), counted from 2024-12-13 only; 30E/360: f(2024-12-20) − f(2024-12-13) = 7 days
    const ankang = shippedPolicy('ankang-2024');
    const { ctx } = stageInputs(ankang, 2024, {}, true);
    const notes = new TraceNotes(ctx.caches.notesRoot);
    const facts = loanFacts(ctx, loan({ loanId: 'S3', startDate: '2024-06-01', maturityDate: '2025-05-31', settledOn: '2024-12-20' }));
    const trace = windowTrace(ctx, notes, facts, attribute(ctx, facts)!);
    expect(trace).toMatchObject({ from: '2024-06-01', toExclusive: '2024-12-20', endedBy: 'settlement', countedFrom: '2024-12-13', countedToExclusive: '2024-12-20', daysCounted: 7 });
    const written = { clauses: [] as string[], interpretations: [] } as unknown as Parameters<TraceNotes['writeTo']>[0];
    notes.writeTo(written);
    expect(written.clauses).toEqual([ankang.parameters.windowMonths.reference, ankang.parameters.daysBeforeEffectiveFrom.reference]);
  });
});
