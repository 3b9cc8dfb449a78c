/**
 * The portfolio report: pledge financing per start year and its growth, in all, by bank and by right type. The
 * targets of each area are tested in test/loans.targets.test.ts.
 */
import { growthRate, meetsGrowth } from '../src/loans/targets';
import { startTestService, type TestService } from './support/app';
import { loanBody, registerEnterprises, USCC } from './loans.support';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
});
afterAll(() => service.close());

it('2024 against 2023, in all, by bank and by right type; without an area no target is shown', async () => {
  const bankA = await service.bank('PORT-A');
  const bankB = await service.bank('PORT-B');
  const post = async (token: string, overrides: Record<string, unknown>) => {
    const response = await service.as(token).post('/api/v1/loans').send(loanBody(overrides));
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  };
  const trademark = { pledges: [{ rightType: 'trademark', number: '7654321' }] };
  // 2023: A patent 40,000,000.00; B trademark 10,000,000.00 → 50,000,000.00.
  await post(bankA.token, { principal: '40000000.00', startDate: '2023-05-01', maturityDate: '2024-05-01' });
  await post(bankB.token, { principal: '10000000.00', startDate: '2023-07-01', maturityDate: '2024-07-01', ...trademark });
  // 2024: A patent 52,000,000.00 (+30 % exactly on 40,000,000); A patent+trademark 30,000,000.00 (counts as patent);
  //       B trademark 38,000,000.00 → 120,000,000.00 in all, patent 82,000,000.00.
  await post(bankA.token, { principal: '52000000.00', startDate: '2024-02-01', maturityDate: '2025-02-01' });
  await post(bankA.token, {
    principal: '30000000.00',
    startDate: '2024-03-01',
    maturityDate: '2025-03-01',
    enterpriseUscc: USCC.dongyang,
    pledges: [{ rightType: 'trademark', number: '7654321' }, { rightType: 'patent', number: '202220123450.X' }],
  });
  await post(bankB.token, { principal: '38000000.00', startDate: '2024-12-31', maturityDate: '2025-12-31', ...trademark });

  const response = await service.as(service.staffToken).get('/api/v1/reports/portfolio?year=2024');
  expect(response.status).toBe(200);
  const report = response.body;
  // No document sets a target for every area together.
  expect(report.area).toBeNull();
  expect(report.targets).toEqual([]);
  // Total: (120,000,000 − 50,000,000) / 50,000,000 = 1.4000.
  expect(report.total).toEqual({
    count: 3,
    principal: '120000000.00',
    ipPledgedAmount: '120000000.00',
    previousYearPrincipal: '50000000.00',
    growth: '1.4000',
  });
  // Patent: (82,000,000 − 40,000,000) / 40,000,000 = 1.0500.
  expect(report.patent).toMatchObject({ principal: '82000000.00', previousYearPrincipal: '40000000.00', growth: '1.0500' });
  // Trademark: (38,000,000 − 10,000,000) / 10,000,000 = 2.8000; copyright: nothing either year.
  expect(report.byRightType.map((r: { rightType: string; principal: string; growth: string | null }) => [r.rightType, r.principal, r.growth])).toEqual([
    ['patent', '82000000.00', '1.0500'],
    ['trademark', '38000000.00', '2.8000'],
    ['copyright', '0.00', null],
  ]);
  // By bank: A (52 + 30) / 40 − 1 = 1.0500; B 38 / 10 − 1 = 2.8000.
  expect(report.byBank.map((b: { bankCode: string; principal: string; growth: string }) => [b.bankCode, b.principal, b.growth])).toEqual([
    ['PORT-A', '82000000.00', '1.0500'],
    ['PORT-B', '38000000.00', '2.8000'],
  ]);
  expect(report.years).toEqual([
    { year: 2023, count: 2, principal: '50000000.00', growth: null },
    { year: 2024, count: 3, principal: '120000000.00', growth: '1.4000' },
  ]);

  // 2023 alone: no 2022 to grow from.
  const earlier = await service.as(service.staffToken).get('/api/v1/reports/portfolio?year=2023');
  expect(earlier.body.total).toMatchObject({ principal: '50000000.00', growth: null });

  // Restricted to Dongyang (330783): only the 30,000,000.00 patent+trademark loan.
  const dongyang = await service.as(service.staffToken).get('/api/v1/reports/portfolio?year=2024&divisionPrefix=330783');
  expect(dongyang.body.total).toMatchObject({ count: 1, principal: '30000000.00' });

  expect((await service.as(bankA.token).get('/api/v1/reports/portfolio?year=2024')).status).toBe(403);
});

it('the growth target is checked exactly, not on the rounded rate: +30 % is met, one fen less is not', () => {
  // 52,000,000.00 on 40,000,000.00 (in fen): +30.0000 %.
  expect(growthRate(5_200_000_000n, 4_000_000_000n)).toBe('0.3000');
  expect(meetsGrowth(5_200_000_000n, 4_000_000_000n, '0.30')).toBe(true);
  // One fen less still rounds to 0.3000 but misses the target.
  expect(growthRate(5_199_999_999n, 4_000_000_000n)).toBe('0.3000');
  expect(meetsGrowth(5_199_999_999n, 4_000_000_000n, '0.30')).toBe(false);
  expect(meetsGrowth(1n, 0n, '0.30')).toBeNull();
});
