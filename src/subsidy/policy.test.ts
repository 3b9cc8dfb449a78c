import { z } from 'zod';
import { SubsidyError } from './errors';
import { ankang2024, dongyang2021, rawShippedPolicies, rawShippedPoliciesV2, shippedPolicies, shippedPolicy, yuanzhou2023 } from './policies';
import { checkPolicy, completeRecordedPolicy, rawPolicySchema, unsetRequiredParameters, validatePolicy } from './policy';

describe('the shipped policies', () => {
  it('are yuanzhou-2023, dongyang-2021 and ankang-2024, and all validate', () => {
    expect(shippedPolicies.map((policy) => policy.id)).toEqual(['yuanzhou-2023', 'dongyang-2021', 'ankang-2024']);
  });

  it.each([...rawShippedPolicies, ...rawShippedPoliciesV2].map((raw) => [`${raw.id} v${raw.version}`, raw] as const))(
    '%s cites a clause for every parameter, by document and clause or the project\'s docs',
    (_id, raw) => {
      for (const [name, parameter] of Object.entries(raw.parameters)) {
        expect([name, parameter.reference.length > 0]).toEqual([name, true]);
        expect([name, parameter.reference]).not.toEqual([name, expect.stringMatching(/POLICY\.md|API\.md|issue \d/)]);
      }
      expect(JSON.stringify(raw)).not.toMatch(/POLICY\.md|API\.md|\.\.\/shared/);
    },
  );

  it('version 2 of each counts days 30E/360; version 1, as recorded, keeps ACT/360 and reads its later parameters as it meant them', () => {
    expect(shippedPolicies.map((policy) => [policy.id, policy.version, policy.parameters.dayCount.value])).toEqual([
      ['yuanzhou-2023', 2, '30E/360'],
      ['dongyang-2021', 2, '30E/360'],
      ['ankang-2024', 2, '30E/360'],
    ]);
    for (const raw of rawShippedPolicies) {
      expect(raw.parameters.dayCount.value).toBe('ACT/360');
      expect(checkPolicy(raw).ok).toBe(false); // a recorded version lacks the parameters added since
      const version1 = validatePolicy(completeRecordedPolicy(raw));
      expect(version1.parameters.supportedPart.value).toBe('whole_ip_part');
      expect(version1.parameters.enterpriseConditions.value).toBeNull();
      expect(shippedPolicy(raw.id, 1)).toEqual(version1);
    }
  });

  it('Yuanzhou caps each loan at 100,000.00 over its window and each enterprise at 100,000.00 a year; other support comes after the caps', () => {
    const yuanzhou = shippedPolicy('yuanzhou-2023');
    expect(yuanzhou.parameters.capPerLoan.value).toBe(10_000_000n);
    expect(yuanzhou.parameters.capPerEnterpriseYear.value).toBe(10_000_000n);
    expect(yuanzhou.parameters.noDoubleSupport.value?.stage).toBe('after_caps');
    expect(shippedPolicy('dongyang-2021').parameters.noDoubleSupport.value?.stage).toBe('after_caps');
  });

  it('Dongyang sets the enterprise conditions of 《关于全面加强知识产权工作的实施意见》 § 20; Yuanzhou and Ankang set none', () => {
    expect(shippedPolicy('dongyang-2021').parameters.enterpriseConditions).toMatchObject({
      value: { independentLegalPerson: true, normalOperation: true, notLegalPersonUsccPrefixes: ['92'] },
      reference: expect.stringContaining('《关于全面加强知识产权工作的实施意见》 § 20'),
    });
    expect(shippedPolicy('yuanzhou-2023').parameters.enterpriseConditions.value).toBeNull();
    expect(shippedPolicy('ankang-2024').parameters.enterpriseConditions.value).toBeNull();
  });

  it('hold money as fen once validated: Yuanzhou 100,000.00 CNY per enterprise per year = 10,000,000 fen', () => {
    expect(shippedPolicy('yuanzhou-2023').parameters.capPerEnterpriseYear.value).toBe(10_000_000n);
    expect(shippedPolicy('yuanzhou-2023').parameters.feeSupport.value?.capPerKindPerEnterpriseYear).toBe(5_000_000n);
    expect(shippedPolicy('dongyang-2021').parameters.capPerEnterpriseRightTypeYear.value).toBe(30_000_000n);
    expect(shippedPolicy('dongyang-2021').parameters.premiumSupport.value?.capPerEnterpriseYear).toBe(10_000_000n);
  });

  it('Yuanzhou and Dongyang can be computed; Ankang lacks its rate index, ratio and split', () => {
    expect(unsetRequiredParameters(shippedPolicy('yuanzhou-2023'))).toEqual([]);
    expect(unsetRequiredParameters(shippedPolicy('dongyang-2021'))).toEqual([]);
    expect(unsetRequiredParameters(shippedPolicy('ankang-2024'))).toEqual(['rateIndex', 'ratio', 'fundingSplit']);
  });

  it('mark every reading the documents leave open as a parameter interpretation', () => {
    const interpreted = (raw: typeof yuanzhou2023) =>
      Object.entries(raw.parameters)
        .filter(([, parameter]) => parameter.interpretation)
        .map(([name]) => name);
    expect(interpreted(yuanzhou2023)).toEqual(
      expect.arrayContaining([
        'dayCount',
        'base',
        'combinationIpPartUnknown',
        'supportedPart',
        'capPerLoan',
        'capPerEnterpriseYear',
        'feeSupport',
        'rightTypePrecedence',
        'noDoubleSupport',
      ]),
    );
    expect(interpreted(dongyang2021)).toEqual(
      expect.arrayContaining(['dayCount', 'base', 'windowMonths', 'rightTypePrecedence', 'contributionCap', 'supportedPart', 'enterpriseConditions', 'noDoubleSupport']),
    );
    expect(interpreted(ankang2024)).toEqual(expect.arrayContaining(['dayCount', 'base', 'combinationIpPartUnknown']));
  });
});

describe('validatePolicy', () => {
  const bad = () => {
    const raw = JSON.parse(JSON.stringify(yuanzhou2023));
    raw.parameters.ratio.value = '15%';
    raw.parameters.windowMonths.value = 0;
    raw.parameters.capPerEnterpriseYear.value = '100000.001';
    raw.parameters.dayCount.value = '30/360';
    raw.parameters.rateFixing.value = { rule: 'month_of_repayment_year', month: 13 };
    raw.parameters.sameAsset.reference = '';
    raw.parameters.unknownParameter = { value: 1, reference: 'x' };
    return raw;
  };

  it('names every bad field', () => {
    const result = checkPolicy(bad());
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((error) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'parameters.ratio.value',
        'parameters.windowMonths.value',
        'parameters.capPerEnterpriseYear.value',
        'parameters.dayCount.value',
        'parameters.rateFixing.value.month',
        'parameters.sameAsset.reference',
        'parameters',
      ]),
    );
  });

  it('throws policy_invalid with the same errors', () => {
    expect(() => validatePolicy(bad())).toThrow(SubsidyError);
    expect(() => validatePolicy(bad())).toThrow(expect.objectContaining({ code: 'policy_invalid', details: { errors: expect.any(Array) } }));
  });

  it('refuses a split whose shares do not add up to 1, and a body listed twice', () => {
    const raw = JSON.parse(JSON.stringify(yuanzhou2023));
    raw.parameters.fundingSplit.value = [
      { body: 'city', share: '0.5' },
      { body: 'city', share: '0.49' },
    ];
    const result = checkPolicy(raw);
    expect(result.ok ? [] : result.errors).toEqual([
      { path: 'parameters.fundingSplit.value.1.body', message: 'body "city" is listed twice' },
      { path: 'parameters.fundingSplit.value', message: 'shares must add up to exactly 1 (they add up to 0.99)' },
    ]);
  });

  it('refuses a ratio above 1, an effective end before the start and an impossible date', () => {
    const raw = JSON.parse(JSON.stringify(yuanzhou2023));
    raw.parameters.ratio.value = '1.5';
    raw.effectiveTo = '2022-12-31';
    const result = checkPolicy(raw);
    expect(result.ok ? [] : result.errors.map((error) => error.path)).toEqual(['effectiveTo', 'parameters.ratio.value']);
    expect(checkPolicy({ ...yuanzhou2023, effectiveFrom: '2023-02-30' }).ok).toBe(false);
  });

  it('refuses a precedence that does not rank an eligible right type', () => {
    const raw = JSON.parse(JSON.stringify(dongyang2021));
    raw.parameters.rightTypePrecedence.value = ['patent'];
    const result = checkPolicy(raw);
    expect(result.ok ? [] : result.errors).toEqual([
      { path: 'parameters.rightTypePrecedence.value', message: 'must rank every eligible right type (missing "trademark")' },
    ]);
  });

  it('accepts UNSET (null) parameters: Ankang is a valid record that cannot yet be computed', () => {
    expect(checkPolicy(ankang2024).ok).toBe(true);
  });

  it('publishes the raw schema as JSON Schema for OpenAPI', () => {
    const schema = z.toJSONSchema(rawPolicySchema) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['id', 'version', 'documentNo', 'jurisdiction', 'parameters']));
  });
});
