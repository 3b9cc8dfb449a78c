/**
 * Stage 8: fee support (袁府办字〔2023〕25号 四(三)2: each kind 50 % of the fees paid in the year, at most 50,000.00 per
 * enterprise, paid by the district) and premium support.
 */
import { shippedPolicy } from '../policies';
import { USCC, loan } from '../test-fixtures';
import { stageInputs } from './test-support';
import { supportLines } from './support-lines';

describe('fee support lines', () => {
  it('guarantee fees of 70,000.00 and 50,000.00 in 2024: 50 % is 60,000.00, capped at 50,000.00; a fee of 2023 is not counted', () => {
    const loans = [loan({ loanId: 'L1' }), loan({ loanId: 'L2' })];
    const fees = [
      { loanId: 'L1', kind: 'guarantee' as const, amountFen: 7_000_000n, date: '2024-03-01' },
      { loanId: 'L2', kind: 'guarantee' as const, amountFen: 5_000_000n, date: '2024-05-01' },
      { loanId: 'L2', kind: 'guarantee' as const, amountFen: 9_000_000n, date: '2023-12-31' },
    ];
    const { ctx, sources } = stageInputs(shippedPolicy('yuanzhou-2023'), 2024, { loans, fees });
    const [line, ...rest] = supportLines({ ctx, jurisdiction: sources.jurisdiction, records: sources.records, loansById: new Map(loans.map((item) => [item.loanId, item])) }, { fees, premiums: [] });
    expect(rest).toEqual([]);
    // (7,000,000 + 5,000,000) × 0.5 = 6,000,000 fen, capped at 5,000,000
    expect([line!.line.lineId, line!.line.eligible, line!.amountFen]).toEqual([`fee_guarantee:${USCC.yuanzhouA}`, true, 5_000_000n]);
    expect(line!.line.trace.adjustments).toEqual([expect.objectContaining({ step: 'cap_per_kind_per_enterprise_year', beforeFen: '6000000', afterFen: '5000000' })]);
    expect(line!.splitter.split).toEqual([{ body: 'district', share: '1' }]);
  });

  it('a fee of a loan pledging no patent is listed, not counted: the line is ineligible (no_eligible_loan)', () => {
    const loans = [loan({ loanId: 'L3', pledges: [{ rightType: 'trademark', number: 'T1' }] })];
    const fees = [{ loanId: 'L3', kind: 'evaluation' as const, amountFen: 1_000_000n, date: '2024-03-01' }];
    const { ctx, sources } = stageInputs(shippedPolicy('yuanzhou-2023'), 2024, { loans, fees });
    const [line] = supportLines({ ctx, jurisdiction: sources.jurisdiction, records: sources.records, loansById: new Map([['L3', loans[0]!]]) }, { fees, premiums: [] });
    expect(line!.line.reasons.map((reason) => reason.code)).toEqual(['no_eligible_loan']);
    expect(line!.line.trace.items).toEqual([expect.objectContaining({ note: 'not counted: the loan pledges no eligible right type' })]);
  });
});
