/**
 * Ankang, 安政办发〔2024〕13号 第12条: "按比例给予两年贴息" for IP-pledge loans repaid on time. The document gives no
 * rate, no ratio and no funding split: the shipped policy leaves them UNSET and a run is refused until staff set them.
 */
import { computeRun } from './engine';
import { SubsidyError } from './errors';
import { ankang2024, shippedPolicy } from './policies';
import { validatePolicy } from './policy';
import { USCC, loan, runInput, withParameters } from './test-fixtures';

const ankang = shippedPolicy('ankang-2024');

// A version of the policy as staff would complete it: 30 % of the 1-year LPR, city 60 %, county 40 %.
const ankangSet = validatePolicy(
  withParameters(ankang2024, {
    rateIndex: 'LPR1Y',
    ratio: '0.3',
    fundingSplit: [
      { body: 'city', share: '0.6' },
      { body: 'county', share: '0.4' },
    ],
  }),
);

// 1,000,000.00 CNY copyright loan 2025-01-15 to 2026-12-15, repaid and settled at maturity.
const copyrightLoan = loan({
  loanId: 'AK-1',
  enterpriseUscc: USCC.ankangA,
  startDate: '2025-01-15',
  maturityDate: '2026-12-15',
  settledOn: '2026-12-15',
  pledges: [{ rightType: 'copyright', number: '陕作登字-2024-A-001' }],
});

describe('Ankang 2024', () => {
  it('refuses a run while the ratio, the rate index and the funding split are not set, naming them', () => {
    const run = () => computeRun(runInput(ankang, 2026, { loans: [copyrightLoan] }));
    expect(run).toThrow(SubsidyError);
    try {
      run();
      throw new Error('not refused');
    } catch (error) {
      const refusal = error as SubsidyError;
      expect(refusal.code).toBe('policy_parameter_unset');
      expect(refusal.details.parameters).toEqual(['rateIndex', 'ratio', 'fundingSplit']);
      expect(refusal.message).toContain('ratio (安政办发〔2024〕13号 第12条 "按比例给予两年贴息" (set by staff: the document gives no ratio))');
    }
  });

  it('refuses a run with only the split missing', () => {
    const noSplit = validatePolicy(withParameters(ankang2024, { rateIndex: 'LPR1Y', ratio: '0.3' }));
    expect(() => computeRun(runInput(noSplit, 2026, {}))).toThrow(expect.objectContaining({ code: 'policy_parameter_unset', details: { parameters: ['fundingSplit'] } }));
  });

  it('Once set, a 1,000,000 CNY copyright loan settled on time in 2026 gets 23 months of subsidy: 17,825.00', () => {
    // window [2025-01-15, min(2027-01-15, 2026-12-15, 2026-12-15)) = [2025-01-15, 2026-12-15)
    // days 30E/360: f(2026-12-15) − f(2025-01-15) = (729,360 + 330 + 15) − (729,000 + 0 + 15) = 690
    // LPR1Y in force on 2025-01-15: 0.0310 (fixed 2024-10-21)
    // 100,000,000 × 690 = 69,000,000,000; × 0.0310 = 2,139,000,000; × 0.3 = 641,700,000; ÷ 360 = 1,782,500 fen
    // (= 1,000,000 × 3.10 % × 30 % × 23/12); split 60/40: 1,069,500 / 713,000
    const result = computeRun(runInput(ankangSet, 2026, { loans: [copyrightLoan] }));
    const [line] = result.lines;
    expect(line!.trace.window).toMatchObject({ months: 24, daysCounted: 690, endedBy: 'maturity' });
    expect(line!.amountFen).toBe(1_782_500n);
    expect(line!.shares).toEqual([
      { body: 'city', amountFen: 1_069_500n },
      { body: 'county', amountFen: 713_000n },
    ]);
    expect(result.totals).toEqual([
      { body: 'city', amountFen: 1_069_500n },
      { body: 'county', amountFen: 713_000n },
    ]);
  });

  it('A loan repaid late gets nothing, with the reason', () => {
    const late = { ...copyrightLoan, events: [...copyrightLoan.events, { type: 'overdue' as const, date: '2026-06-16', daysOverdue: 31 }] };
    const [line] = computeRun(runInput(ankangSet, 2026, { loans: [late] })).lines;
    expect(line!.eligible).toBe(false);
    expect(line!.reasons.map((reason) => reason.code)).toEqual(['repaid_late']);
  });

  it('A loan of an enterprise in Xi\'an (6101xx) is not a line', () => {
    const xian = { ...copyrightLoan, enterpriseUscc: '91610102MA6XA00A7X' };
    expect(computeRun(runInput(ankangSet, 2026, { loans: [xian] })).lines).toEqual([]);
  });

  it('Days before the document date 2024-12-13 are not counted', () => {
    // loan 2024-12-01 to 2025-06-01, settled 2025-06-01: window [2024-12-01, 2025-06-01), counted from 2024-12-13:
    // f(2025-06-01) − f(2024-12-13) = (729,000 + 150 + 1) − (728,640 + 330 + 13) = 729,151 − 728,983 = 168 days
    // LPR1Y in force on 2024-12-01: 0.0310; 100,000,000 × 168 = 16,800,000,000; × 0.0310 = 520,800,000;
    // × 0.3 = 156,240,000; ÷ 360 = 434,000 fen
    const early = loan({ loanId: 'AK-2', enterpriseUscc: USCC.ankangA, startDate: '2024-12-01', maturityDate: '2025-06-01', settledOn: '2025-06-01' });
    const [line] = computeRun(runInput(ankangSet, 2025, { loans: [early] })).lines;
    expect(line!.trace.window).toMatchObject({ countedFrom: '2024-12-13', daysCounted: 168 });
    expect(line!.amountFen).toBe(434_000n);
  });
});
