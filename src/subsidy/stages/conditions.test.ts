/**
 * Conditions as data: a run records missed ones only, an explanation all; a missed condition is the run line's reason
 * under the reason's code with the same message, clause and params; conditions a run never states on a line give none.
 */
import { ConditionSink, REASON_OF_CONDITION, reasonOf, reasonsOf, type Condition } from './conditions';

const missedRepaidLate: Condition = {
  code: 'no_overdue_event',
  met: false,
  reference: '《关于全面加强知识产权工作的实施意见》 § 6 "按期还清贷款本息"',
  message: 'the loan was not repaid on time: overdue event on 2025-03-01',
  params: { eventType: 'overdue', date: '2025-03-01' },
  toMeetParams: { maturityDate: '2025-02-28' },
  toMeet: 'overdue on 2025-03-01 …',
};

describe('conditions', () => {
  it('a run\'s sink keeps missed conditions only, without building the texts of met ones', () => {
    const run = new ConditionSink(false);
    const message = jest.fn(() => 'met');
    run.met('settled', 'r', message);
    run.missed({ ...missedRepaidLate });
    expect(run.conditions.map((condition) => condition.code)).toEqual(['no_overdue_event']);
    expect(message).not.toHaveBeenCalled();
    const explanation = new ConditionSink(true);
    explanation.met('settled', 'r', message, () => ({ settlementDate: '2025-02-28' }));
    expect(explanation.conditions).toEqual([{ code: 'settled', met: true, reference: 'r', message: 'met', params: { settlementDate: '2025-02-28' }, toMeet: null }]);
  });

  it('a missed condition is the line\'s reason: same message, clause and params (not the remedy\'s extra values)', () => {
    expect(reasonOf(missedRepaidLate)).toEqual({ code: 'repaid_late', message: missedRepaidLate.message, reference: missedRepaidLate.reference, params: { eventType: 'overdue', date: '2025-03-01' } });
  });

  it('conditions a run never states on a line give no reason; every other condition has exactly one reason code', () => {
    const notOnALine: Condition = { ...missedRepaidLate, code: 'in_jurisdiction' };
    expect(reasonOf(notOnALine)).toBeNull();
    expect(reasonsOf([notOnALine, missedRepaidLate]).map((reason) => reason.code)).toEqual(['repaid_late']);
    expect(new Set(Object.values(REASON_OF_CONDITION)).size).toBe(Object.keys(REASON_OF_CONDITION).length);
  });
});
