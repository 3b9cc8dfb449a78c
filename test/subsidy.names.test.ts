/** A run is titled by its policy's short title, the year and the policy version; two policies never share a title. */
import { distinctPolicyTitles, distinctRunTitles, runTitle, shortPolicyTitle } from '../src/subsidy/runs/names';
import { shippedPolicies } from '../src/subsidy';

describe('run titles', () => {
  it('titles the Yuanzhou 2024 run as clerks name it', () => {
    const title = shortPolicyTitle('袁州区加强专利建设促进知识产权高质量发展实施方案：专利权质押贷款贴息');
    expect(title).toBe('袁州区专利权质押贷款贴息');
    expect(runTitle(title, 2024, 1, 'regular')).toBe('袁州区专利权质押贷款贴息 2024 年度 第 1 版');
    expect(runTitle(title, 2024, 2, 'adjustment')).toBe('袁州区专利权质押贷款贴息 2024 年度 第 2 版（调整）');
  });

  it('gives the shipped policies three different titles', () => {
    const policies = shippedPolicies.map((policy) => ({ id: policy.id, title: policy.title, documentNo: policy.documentNo }));
    const titles = distinctPolicyTitles(policies);
    expect(new Set(titles.values()).size).toBe(new Set(policies.map((policy) => policy.id)).size);
  });

  it('falls back to the full title, then the document number, when two short titles coincide', () => {
    const titles = distinctPolicyTitles([
      { id: 'a', title: '袁州区甲方案：专利权质押贷款贴息', documentNo: '甲〔2023〕1号' },
      { id: 'b', title: '袁州区乙方案：专利权质押贷款贴息', documentNo: '乙〔2024〕2号' },
      { id: 'c', title: '安康市方案：贴息', documentNo: '丙' },
    ]);
    expect([titles.get('a'), titles.get('b'), titles.get('c')]).toEqual(['袁州区甲方案：专利权质押贷款贴息', '袁州区乙方案：专利权质押贷款贴息', '安康市贴息']);
    const same = distinctPolicyTitles([
      { id: 'a', title: '袁州区方案：贴息', documentNo: '甲' },
      { id: 'b', title: '袁州区方案：贴息', documentNo: '乙' },
    ]);
    expect([same.get('a'), same.get('b')]).toEqual(['袁州区方案：贴息（甲）', '袁州区方案：贴息（乙）']);
  });

  it('adds the short id only to runs listed together that would otherwise read alike', () => {
    const adjustment = '袁州区专利权质押贷款贴息 2024 年度 第 2 版（调整）';
    expect(
      distinctRunTitles([
        { id: '09e705a7-b2c2-4b4e-8b62-8c8f924e6794', title: '袁州区专利权质押贷款贴息 2024 年度 第 2 版' },
        { id: '1a2b3c4d-0000-4000-8000-000000000001', title: adjustment },
        { id: '5e6f7a8b-0000-4000-8000-000000000002', title: adjustment },
      ]),
    ).toEqual(['袁州区专利权质押贷款贴息 2024 年度 第 2 版', `${adjustment}（批次 1a2b3c4d）`, `${adjustment}（批次 5e6f7a8b）`]);
  });
});
