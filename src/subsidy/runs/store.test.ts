/**
 * Traces as stored: the parts many lines share named once (src/subsidy/runs/store.ts `TraceParts`), and the trace put
 * back whole, as computed, when read.
 */
import type { LineTrace } from '../types';
import { fullTrace, TraceParts } from './store';

const WINDOW_CLAUSE = '袁府办字〔2023〕25号 四(三)2 "对贷款期12个月内的利息予以补贴"';
const SPLIT_CLAUSE = '袁府办字〔2023〕25号 四(三)2 "以上补贴资金由市财政和区财政各承担50%"';
const policy = { id: 'yuanzhou-2023', version: 2, documentNo: '袁府办字〔2023〕25号', title: '专利权质押贷款贴息' };
const run = { year: 2024, attribution: 'accrual' as const, reference: '袁府办字〔2023〕25号 四(三)2' };
const rule = { city: '0.5', district: '0.5' };

function trace(days: number, amountFen: string): LineTrace {
  return {
    policy,
    run,
    clauses: ['袁府办字〔2023〕25号 四(三)2'],
    window: { from: '2024-01-07', toExclusive: '2025-01-07', endedBy: 'months', months: 12, settlementDate: null, countedFrom: '2024-01-07', countedToExclusive: '2025-01-01', daysCounted: days, reference: WINDOW_CLAUSE },
    reasons: [{ code: 'not_in_window', message: 'the loan started before the window', reference: WINDOW_CLAUSE }],
    formula: `${days} days`,
    split: { rule, reference: SPLIT_CLAUSE, shares: [{ body: 'city', amountFen }, { body: 'district', amountFen }] },
  } as unknown as LineTrace;
}

/** What a line's trace is after the database (JSON text) and `readLines`. */
function roundTrip(traces: LineTrace[]): { stored: string[]; read: LineTrace[] } {
  const parts = new TraceParts();
  const stored = traces.map((item) => JSON.stringify(parts.slim(item)));
  const storedParts = JSON.parse(JSON.stringify(parts.parts)) as unknown[];
  return { stored, read: stored.map((text) => fullTrace(JSON.parse(text) as Record<string, unknown>, storedParts)) };
}

describe('a run\'s traces as stored', () => {
  it('are read back as computed, shared objects and repeated clauses included', () => {
    const traces = [trace(354, '62848'), trace(2, '93'), trace(60, '1000')];
    const { read } = roundTrip(traces);
    expect(read).toEqual(JSON.parse(JSON.stringify(traces)));
  });

  it('hold a shared object or a repeated clause in full once, and name it in the lines after', () => {
    const { stored } = roundTrip([trace(354, '62848'), trace(2, '93'), trace(60, '1000')]);
    expect(stored[0]).toContain(WINDOW_CLAUSE.replace(/"/g, '\\"'));
    expect(stored[0]).toContain(SPLIT_CLAUSE.replace(/"/g, '\\"'));
    for (const later of stored.slice(1)) {
      expect(later).not.toContain('对贷款期12个月内的利息予以补贴');
      expect(later).not.toContain('各承担50%');
      expect(JSON.parse(later)).toMatchObject({ policy: { $part: expect.any(Number) }, split: { rule: { $part: expect.any(Number) } } });
    }
    // Short texts and what each line computes stay in the line.
    expect(JSON.parse(stored[2]!)).toMatchObject({ formula: '60 days', window: { daysCounted: 60 } });
  });

  it('stored before clauses were named (objects named at the top only), read as they were', () => {
    const old = { policy: { $part: 0 }, window: { daysCounted: 2, reference: WINDOW_CLAUSE }, split: { rule: { $part: 1 }, reference: SPLIT_CLAUSE } };
    expect(fullTrace(JSON.parse(JSON.stringify(old)) as Record<string, unknown>, [policy, rule])).toEqual({
      policy,
      window: { daysCounted: 2, reference: WINDOW_CLAUSE },
      split: { rule, reference: SPLIT_CLAUSE },
    });
  });
});
