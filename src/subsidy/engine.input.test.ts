/**
 * The negative space: malformed input refuses the run with `input_invalid` naming the field; data the API would
 * refuse but that reaches the engine anyway makes the loan ineligible with a reason, never a silent amount.
 */
import { computeRun } from './engine';
import { shippedPolicy } from './policies';
import { USCC, loan, runInput } from './test-fixtures';

const yuanzhou = shippedPolicy('yuanzhou-2023');
const dongyang = shippedPolicy('dongyang-2021');
const good = loan({ loanId: 'IN-1', startDate: '2023-07-01' });

describe('input the engine refuses', () => {
  it.each([
    ['a loan listed twice', { loans: [good, good] }, 'loans.1.loanId'],
    ['an impossible start date', { loans: [{ ...good, startDate: '2023-02-30' }] }, 'loans[IN-1].startDate'],
    ['a maturity before the start', { loans: [{ ...good, maturityDate: '2023-06-30' }] }, 'loans[IN-1].maturityDate'],
    ['a negative principal', { loans: [{ ...good, principalFen: -1n }] }, 'loans[IN-1].principalFen'],
    ['an IP part above the principal', { loans: [{ ...good, collateral: 'combination' as const, ipPledgedFen: good.principalFen + 1n }] }, 'loans[IN-1].ipPledgedFen'],
    ['a disbursement without an amount', { loans: [{ ...good, events: [{ type: 'disbursement' as const, date: '2023-07-01' }] }] }, 'loans[IN-1].events.0.amountFen'],
    ['a bad event date', { loans: [{ ...good, events: [{ type: 'disbursement' as const, date: '2023/07/01', amountFen: 1n }] }] }, 'loans[IN-1].events.0.date'],
    ['an enterprise listed twice', { loans: [good], enterprises: [{ uscc: USCC.yuanzhouA, name: 'a', divisionCode: '360902' }, { uscc: USCC.yuanzhouA, name: 'b', divisionCode: '360902' }] }, 'enterprises.1.uscc'],
    ['a fee of a loan not in the input', { loans: [good], fees: [{ loanId: 'NOPE', kind: 'evaluation' as const, amountFen: 1n, date: '2023-08-01' }] }, 'fees.0.loanId'],
    ['a carried amount under a policy without contribution cap', { carryIn: [{ uscc: USCC.yuanzhouA, originYear: 2022, amountFen: 1n }] }, 'carryIn'],
    ['a rate that is not a decimal', { loans: [good], rates: [{ index: 'LPR1Y', effectiveDate: '2023-06-20', rate: '3.55%' }] }, 'rates.0.rate'],
    ['a budget for one body given twice', { budget: [{ body: 'city', amountFen: 1n }, { body: 'city', amountFen: 2n }] }, 'budget.1.body'],
  ])('%s', (_name, fields, path) => {
    expect(() => computeRun(runInput(yuanzhou, 2023, fields))).toThrow(
      expect.objectContaining({ code: 'input_invalid', details: { errors: [expect.objectContaining({ path })] } }),
    );
  });

  it('a carried amount from the run year or later, and a second contribution for one enterprise and year', () => {
    expect(() => computeRun(runInput(dongyang, 2023, { carryIn: [{ uscc: USCC.dongyangA, originYear: 2023, amountFen: 1n }] }))).toThrow(
      expect.objectContaining({ code: 'input_invalid', details: { errors: [expect.objectContaining({ path: 'carryIn.0.originYear' })] } }),
    );
    const twice = [
      { uscc: USCC.dongyangA, year: 2023, amountFen: 1n },
      { uscc: USCC.dongyangA, year: 2023, amountFen: 2n },
    ];
    expect(() => computeRun(runInput(dongyang, 2023, { contributions: twice }))).toThrow(expect.objectContaining({ code: 'input_invalid' }));
  });
});

describe('data that makes a loan ineligible', () => {
  it('more repaid than disbursed: the outstanding would go below zero', () => {
    const over = { ...good, events: [...good.events, { type: 'principal_repayment' as const, date: '2023-09-01', amountFen: good.principalFen + 1n }] };
    const [line] = computeRun(runInput(yuanzhou, 2023, { loans: [over] })).lines;
    expect(line!.reasons.map((reason) => reason.code)).toEqual(['outstanding_negative']);
    expect(line!.amountFen).toBe(0n);
  });

  it('every reason is listed, not only the first', () => {
    const bad = { ...good, collateral: 'combination' as const, ipPledgedFen: null, pledges: [{ rightType: 'copyright' as const, number: 'C-1' }] };
    const [line] = computeRun(runInput(yuanzhou, 2023, { loans: [bad] })).lines;
    expect(line!.reasons.map((reason) => reason.code)).toEqual(['right_type_not_eligible', 'combination_ip_part_unknown']);
  });

  it('a loan never disbursed is eligible and gets nothing: the outstanding is zero', () => {
    const [line] = computeRun(runInput(yuanzhou, 2023, { loans: [{ ...good, events: [] }] })).lines;
    expect([line!.eligible, line!.amountFen]).toEqual([true, 0n]);
  });
});
