import { yuanzhou2023 } from '../policies';
import { applyChanges, PARAMETER_NAMES } from './changes';

describe('a reform: the version with parameters changed, validated as a new version', () => {
  it('changes the value, keeps the clause and says in the reading what was changed', () => {
    const reform = applyChanges(yuanzhou2023, { ratio: '0.20' });
    expect(reform.ok).toBe(true);
    if (!reform.ok) return;
    expect(reform.policy.parameters.ratio.value).toBe('0.20');
    expect(reform.policy.parameters.ratio.reference).toContain('袁府办字〔2023〕25号 四(三)2');
    expect(reform.policy.parameters.ratio.interpretation).toBe('Reform simulation: ratio changed from "0.15" to "0.20".');
    expect(reform.changed).toEqual(['ratio']);
    // The version itself is untouched.
    expect(yuanzhou2023.parameters.ratio.value).toBe('0.15');
  });

  it('takes money as yuan strings, as the policy record does: 50,000.00 → 5,000,000 fen', () => {
    const reform = applyChanges(yuanzhou2023, { capPerLoan: '50000.00' });
    expect(reform.ok && reform.policy.parameters.capPerLoan.value).toBe(5_000_000n);
  });

  it.each([
    [{ ratio: '1.000000000001' }, 'changes.ratio', 'must be above 0 and at most 1'],
    [{ ratio: '0' }, 'changes.ratio', 'must be above 0 and at most 1'],
    [{ windowMonths: 121 }, 'changes.windowMonths', undefined],
    [{ fundingSplit: [{ body: 'city', share: '0.5' }, { body: 'district', share: '0.49' }] }, 'changes.fundingSplit', 'shares must add up to exactly 1 (they add up to 0.99)'],
    [{ fundingSplit: [{ body: 'city', share: '1', extra: 1 }] }, 'changes.fundingSplit.0', undefined],
    [{ eligibleRightTypes: [] }, 'changes.eligibleRightTypes', undefined],
    [{ nope: 1 }, 'changes.nope', undefined],
  ])('%j is refused naming %s', (changes, path, message) => {
    const reform = applyChanges(yuanzhou2023, changes);
    expect(reform.ok).toBe(false);
    if (reform.ok) return;
    expect(reform.errors.map((error) => error.path)).toContain(path);
    if (message) expect(reform.errors.find((error) => error.path === path)?.message).toBe(message);
  });

  it('the last valid values pass: a ratio of exactly 1, a window of 120 months', () => {
    expect(applyChanges(yuanzhou2023, { ratio: '1', windowMonths: 120 }).ok).toBe(true);
  });

  it('names every parameter of the record', () => {
    expect([...PARAMETER_NAMES].sort()).toEqual(Object.keys(yuanzhou2023.parameters).sort());
    expect(PARAMETER_NAMES).toContain('capPerEnterpriseYear');
    expect(PARAMETER_NAMES).toHaveLength(27);
  });
});
