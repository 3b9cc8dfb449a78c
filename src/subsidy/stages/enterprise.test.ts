/**
 * Stage 1b (《关于全面加强知识产权工作的实施意见》 §§ 20, 23, Dongyang version 2): an individual business is not an
 * independent legal person; staff's records whose period [from, to] overlaps the year count; an exclusion counts for
 * its year only. A run records missed conditions; an explanation every condition.
 */
import { shippedPolicy } from '../policies';
import { USCC } from '../test-fixtures';
import { checkEnterprise } from './enterprise';
import { stageInputs } from './test-support';

const dongyang = shippedPolicy('dongyang-2021');
const yuanzhou = shippedPolicy('yuanzhou-2023');
const individual = '92330783MA2DY00C6X';

describe('the enterprise\'s own conditions', () => {
  it('an individual business (USCC beginning 92) misses "independent legal person", saying what would meet it', () => {
    const { ctx, sources } = stageInputs(dongyang, 2025);
    const check = checkEnterprise(ctx, sources.records, individual);
    expect(check.anyMissed).toBe(true);
    expect(check.conditions).toEqual([
      {
        code: 'independent_legal_person',
        met: false,
        reference: dongyang.parameters.enterpriseConditions.reference,
        message: `enterprise ${individual} is an individual business (USCC beginning 92): it is not an independent legal person`,
        params: { uscc: individual, usccPrefix: '92' },
        toMeet: 'the policy supports independent legal persons only: an individual business (个体工商户, USCC beginning 92) qualifies once it is registered as a company with a USCC of its own',
      },
    ]);
    expect(check.trace?.conditions).toEqual([
      { condition: 'not_independent_legal_person', met: false, source: 'uscc_prefix', recordIds: [] },
      { condition: 'not_in_normal_operation', met: true, source: 'no_record', recordIds: [] },
    ]);
  });

  it('a record from 2025-12-31 counts for 2025; one from 2026-01-01, or ended 2024-12-31, does not', () => {
    const record = (recordId: string, from: string, to: string | null) => ({ recordId, uscc: USCC.dongyangA, condition: 'not_in_normal_operation' as const, from, to, reason: '停产' });
    const only = (records: ReturnType<typeof record>[]) => {
      const { ctx, sources } = stageInputs(dongyang, 2025, { enterpriseStatus: records });
      return checkEnterprise(ctx, sources.records, USCC.dongyangA).conditions.map((condition) => [condition.code, condition.params.recordId]);
    };
    expect(only([record('R1', '2025-12-31', null)])).toEqual([['in_normal_operation', 'R1']]);
    expect(only([record('R2', '2026-01-01', null), record('R3', '2024-01-01', '2024-12-31')])).toEqual([]);
  });

  it('refuses a record that ends before it starts', () => {
    const bad = [{ recordId: 'R', uscc: USCC.dongyangA, condition: 'not_in_normal_operation' as const, from: '2025-03-01', to: '2025-02-28', reason: 'x' }];
    expect(() => stageInputs(dongyang, 2025, { enterpriseStatus: bad })).toThrow(
      expect.objectContaining({ details: { errors: [expect.objectContaining({ path: 'enterpriseStatus.0.to' })] } }),
    );
  });

  it('an exclusion counts for its year only; an explanation says the conditions met too', () => {
    const exclusions = [{ uscc: USCC.dongyangA, year: 2024, reason: '安全事故' }];
    const { ctx, sources } = stageInputs(dongyang, 2025, { exclusions }, true);
    expect(checkEnterprise(ctx, sources.records, USCC.dongyangA).conditions.map((condition) => [condition.code, condition.met])).toEqual([
      ['independent_legal_person', true],
      ['in_normal_operation', true],
      ['not_excluded', true],
    ]);
    const in2024 = stageInputs(dongyang, 2024, { exclusions });
    expect(checkEnterprise(in2024.ctx, in2024.sources.records, USCC.dongyangA).conditions).toEqual([
      expect.objectContaining({ code: 'not_excluded', met: false, params: { uscc: USCC.dongyangA, year: 2024, reasons: '安全事故' } }),
    ]);
  });

  it('a policy setting no condition on the enterprise (Yuanzhou) checks none and writes no trace', () => {
    const { ctx, sources } = stageInputs(yuanzhou, 2024, {}, true);
    expect(checkEnterprise(ctx, sources.records, individual)).toEqual({ conditions: [], trace: null, anyMissed: false });
  });
});
