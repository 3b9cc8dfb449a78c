/**
 * Stage 1a: an enterprise's division is the one recorded, else USCC characters 3–8; the policy covers it when the
 * division starts with one of its prefixes (Yuanzhou 360902; Ankang 6109, the city and its counties).
 */
import { shippedPolicy } from '../policies';
import { USCC } from '../test-fixtures';
import { coveredDivisions } from './jurisdiction';
import { stageInputs } from './test-support';

const yuanzhou = shippedPolicy('yuanzhou-2023');

describe('jurisdiction', () => {
  it('covers an enterprise recorded in 360902 and names the prefix it matched', () => {
    const { sources } = stageInputs(yuanzhou, 2024, { enterprises: [{ uscc: USCC.yuanzhouA, name: 'A', divisionCode: '360902' }] });
    expect(sources.jurisdiction.of(USCC.yuanzhouA)).toMatchObject({ divisionCode: '360902', source: 'enterprise_record', matchedPrefix: '360902' });
  });

  it('goes by the recorded division, not the USCC: a district enterprise recorded in 360981 is outside', () => {
    const { sources } = stageInputs(yuanzhou, 2024, { enterprises: [{ uscc: USCC.yuanzhouA, name: 'A', divisionCode: '360981' }] });
    expect(sources.jurisdiction.of(USCC.yuanzhouA)).toBeNull();
    expect(sources.jurisdiction.condition(USCC.yuanzhouA)).toEqual({
      code: 'in_jurisdiction',
      met: false,
      reference: yuanzhou.jurisdiction.reference,
      message: `enterprise ${USCC.yuanzhouA} is registered in 360981 (as recorded); the policy covers 360902 only, so none of its loans is a line of the run`,
      params: { uscc: USCC.yuanzhouA, divisionCode: '360981', source: 'enterprise_record', covered: '360902' },
      toMeet: 'registered in 360902; this enterprise is registered in 360981: staff can correct its division if it is wrong',
    });
  });

  it('without a record, reads USCC characters 3–8', () => {
    const { sources } = stageInputs(yuanzhou, 2024, { enterprises: [] });
    expect(sources.jurisdiction.condition(USCC.yichunOther)).toMatchObject({ met: false, params: { divisionCode: '360981', source: 'uscc' } });
    expect(sources.jurisdiction.condition(USCC.yuanzhouB)).toMatchObject({ met: true, params: { divisionCode: '360902', source: 'uscc' }, toMeet: null });
  });

  it('writes a prefix shorter than a division as the divisions it covers', () => {
    expect(coveredDivisions(['6109'])).toBe('6109xx');
    expect(coveredDivisions(['360902', '3609'])).toBe('360902, 3609xx');
  });

  it('refuses an enterprise listed twice', () => {
    const twice = [
      { uscc: USCC.yuanzhouA, name: 'A', divisionCode: '360902' },
      { uscc: USCC.yuanzhouA, name: 'A again', divisionCode: '360902' },
    ];
    expect(() => stageInputs(yuanzhou, 2024, { enterprises: twice })).toThrow(
      expect.objectContaining({ code: 'input_invalid', details: { errors: [expect.objectContaining({ path: 'enterprises.1.uscc' })] } }),
    );
  });
});
