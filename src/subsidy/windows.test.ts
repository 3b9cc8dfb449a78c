import fc from 'fast-check';
import { formatDate, parseDate } from './dates';
import { loanWindow, outstandingSegments } from './windows';

const d = (text: string) => parseDate(text);

describe('loanWindow', () => {
  it('ends 12 months after the start when maturity and settlement come later', () => {
    const window = loanWindow(d('2023-07-01'), d('2025-07-01'), null, 12);
    expect([formatDate(window.from), formatDate(window.to), window.endedBy]).toEqual(['2023-07-01', '2024-07-01', 'months']);
  });
  it('ends at maturity when that comes first', () => {
    expect(loanWindow(d('2023-07-01'), d('2024-03-01'), null, 12).endedBy).toBe('maturity');
  });
  it('ends on the settlement date when the loan is settled early', () => {
    const window = loanWindow(d('2023-07-01'), d('2025-07-01'), d('2023-09-15'), 12);
    expect([formatDate(window.to), window.endedBy]).toEqual(['2023-09-15', 'settlement']);
  });
});

describe('outstandingSegments', () => {
  it('changes the outstanding from the day of the event on, and does not count the end day', () => {
    // disbursed 1,000 on 01-01 and 500 on 01-11, 300 repaid on 01-21; range [01-01, 02-01)
    // [01-01, 01-11) 10 days × 1,000 = 10,000; [01-11, 01-21) 10 × 1,500 = 15,000; [01-21, 02-01) 11 × 1,200 = 13,200
    // Σ = 38,200 fen-days
    const walk = outstandingSegments(
      [
        { day: d('2024-01-01'), deltaFen: 1_000n },
        { day: d('2024-01-11'), deltaFen: 500n },
        { day: d('2024-01-21'), deltaFen: -300n },
        { day: d('2024-02-01'), deltaFen: -1_200n },
      ],
      d('2024-01-01'),
      d('2024-02-01'),
    );
    expect(walk.segments.map((segment) => [formatDate(segment.from), formatDate(segment.to), segment.outstandingFen])).toEqual([
      ['2024-01-01', '2024-01-11', 1_000n],
      ['2024-01-11', '2024-01-21', 1_500n],
      ['2024-01-21', '2024-02-01', 1_200n],
    ]);
    expect(walk.outstandingDaysFen).toBe(38_200n);
  });

  it('opens with what was disbursed before the range and merges changes that cancel', () => {
    // 1,000 disbursed 2023-12-01; on 01-10 +500 and −500: one segment [01-01, 01-31) of 1,000 × 30 = 30,000
    const walk = outstandingSegments(
      [
        { day: d('2023-12-01'), deltaFen: 1_000n },
        { day: d('2024-01-10'), deltaFen: 500n },
        { day: d('2024-01-10'), deltaFen: -500n },
      ],
      d('2024-01-01'),
      d('2024-01-31'),
    );
    expect(walk.segments).toHaveLength(1);
    expect(walk.outstandingDaysFen).toBe(30_000n);
  });

  it('flags more repaid than disbursed', () => {
    expect(outstandingSegments([{ day: d('2024-01-05'), deltaFen: -1n }], d('2024-01-01'), d('2024-02-01')).negative).toBe(true);
  });

  it('equals a day-by-day sum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ offset: fc.integer({ min: -5, max: 60 }), deltaFen: fc.bigInt({ min: -1_000n, max: 5_000n }) }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (events, start, length) => {
          const changes = events.map((event) => ({ day: event.offset, deltaFen: event.deltaFen })).sort((a, b) => a.day - b.day);
          const walk = outstandingSegments(changes, start, start + length);
          let expected = 0n;
          for (let day = start; day < start + length; day += 1) {
            expected += changes.filter((change) => change.day <= day).reduce((sum, change) => sum + change.deltaFen, 0n);
          }
          expect(walk.outstandingDaysFen).toBe(expected);
          expect(walk.segments.reduce((days, segment) => days + (segment.to - segment.from), 0)).toBe(length);
        },
      ),
    );
  });
});
