/**
 * Targets per area: each area's lending — the loans of the enterprises registered there only — against the targets
 * its own documents set, as dated and cited records; staff add a new dated value with a reference and the population
 * for the per-10,000-people indicator of 袁府办字〔2023〕25号 四(二).
 */
import { perTenThousandPeople } from '../src/loans/targets';
import { loanBody, registerEnterprises, USCC } from './loans.support';
import { startTestService, type TestService } from './support/app';
import { uscc } from './support/subsidy';

let service: TestService;
/** Yunyang county, Chongqing: 500235. */
const YUNYANG = uscc('500235', 1);
const report = (query: string) => service.as(service.staffToken).get(`/api/v1/reports/portfolio?${query}`);

beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
  const staff = service.as(service.staffToken);
  expect((await staff.post('/api/v1/enterprises').send({ uscc: YUNYANG, name: '云阳县某科技有限公司' })).status).toBe(201);
  const bank = await service.bank('TGT-BANK');
  const trademark = { pledges: [{ rightType: 'trademark', number: '7654321' }] };
  const lend = async (enterpriseUscc: string, principal: string, startDate: string, overrides: Record<string, unknown> = {}) => {
    const maturityDate = `${Number(startDate.slice(0, 4)) + 1}${startDate.slice(4)}`;
    const response = await service.as(bank.token).post('/api/v1/loans').send(loanBody({ enterpriseUscc, principal, startDate, maturityDate, ...overrides }));
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  };
  // Yuanzhou (360902): 2023 patent 40,000,000.00; 2024 patent 52,000,000.00 and trademark 50,000,000.00.
  await lend(USCC.yuanzhou, '40000000.00', '2023-05-01');
  await lend(USCC.yuanzhou, '52000000.00', '2024-02-01');
  await lend(USCC.yuanzhou, '50000000.00', '2024-06-01', trademark);
  // Dongyang (330783): 2023 900,000,000.00; 2024 600,000,000.00 patent + 450,000,000.00 trademark.
  await lend(USCC.dongyang, '900000000.00', '2023-03-01');
  await lend(USCC.dongyang, '600000000.00', '2024-03-01');
  await lend(USCC.dongyang, '450000000.00', '2024-09-01', trademark);
  // Ankang (610902): 2024 3,000,000.00.
  await lend(USCC.ankang, '3000000.00', '2024-04-01');
  // Yunyang (500235): 2022 4,000,000.00; 2023 3,000,000.00; 2024 2,500,000.00.
  await lend(YUNYANG, '4000000.00', '2022-04-01');
  await lend(YUNYANG, '3000000.00', '2023-04-01');
  await lend(YUNYANG, '2500000.00', '2024-04-01');
  // Fuzhou (350100) is in no area: its loan counts nowhere but in the whole portfolio.
  await lend(USCC.fuzhou, '7000000.00', '2024-05-01');
});
afterAll(() => service.close());

it('the areas and their divisions', async () => {
  const response = await service.as(service.staffToken).get('/api/v1/areas');
  expect(response.body.items).toEqual([
    { code: 'yuanzhou', name: '宜春市袁州区', divisionPrefixes: ['360902'] },
    { code: 'dongyang', name: '东阳市', divisionPrefixes: ['330783'] },
    { code: 'yunyang', name: '重庆市云阳县', divisionPrefixes: ['500235'] },
    { code: 'ankang', name: '安康市', divisionPrefixes: ['6109'] },
  ]);
});

it('Dongyang 2024: its own 1 billion a year (from 2023), against what was lent in Dongyang only', async () => {
  const response = await report('area=dongyang&year=2024');
  expect(response.status).toBe(200);
  // 600,000,000.00 + 450,000,000.00 = 1,050,000,000.00: nothing of Yuanzhou's, Ankang's or Fuzhou's loans.
  expect(response.body.total).toMatchObject({ count: 2, principal: '1050000000.00', previousYearPrincipal: '900000000.00' });
  expect(response.body.area).toEqual({ code: 'dongyang', name: '东阳市', divisionPrefixes: ['330783'] });
  expect(response.body.targets).toEqual([
    expect.objectContaining({
      measure: 'annual_amount',
      scope: 'ip',
      fromYear: 2023,
      reference: '《关于全面加强知识产权工作的实施意见》 一、总体目标',
      target: '1000000000.00',
      actual: '1050000000.00',
      met: true,
    }),
  ]);
  // 2023: 900,000,000.00 is short; 2022: the target starts in 2023, so there is no target line.
  expect((await report('area=dongyang&year=2023')).body.targets).toEqual([expect.objectContaining({ actual: '900000000.00', met: false })]);
  expect((await report('area=dongyang&year=2022')).body.targets).toEqual([]);
});

it("Yuanzhou 2024: 1亿 a year in all, patent growth 30 %, the per-10,000-people indicator once a population is entered", async () => {
  const before = await report('area=yuanzhou&year=2024');
  // 52,000,000.00 + 50,000,000.00 = 102,000,000.00 ≥ 100,000,000.00; patent (52 − 40) / 40 = 0.3000, met exactly.
  expect(before.body.total.principal).toBe('102000000.00');
  expect(before.body.targets.map((t: { measure: string; target: string | null; actual: string | null; met: boolean | null; missing: string | null }) => [t.measure, t.target, t.actual, t.met, t.missing])).toEqual([
    ['annual_amount', '100000000.00', '102000000.00', true, null],
    ['annual_growth', '0.30', '0.3000', true, null],
    ['per_10k_people', null, null, null, 'population_missing'],
  ]);

  const staff = service.as(service.staffToken);
  const entered = await staff.post('/api/v1/areas/yuanzhou/population').send({ year: 2024, population: 1_100_000, reference: '袁州区 2024 年统计公报' });
  expect(entered.status).toBe(201);
  const after = await report('area=yuanzhou&year=2024');
  // New patent-pledge financing per 10,000 people: 52,000,000.00 × 10,000 ÷ 1,100,000 = 472,727.2727… → 472,727.27.
  expect(after.body.targets[2]).toMatchObject({
    measure: 'per_10k_people',
    actual: '472727.27',
    population: { year: 2024, population: 1_100_000, reference: '袁州区 2024 年统计公报' },
    reference: '袁府办字〔2023〕25号 四(二)',
  });
  // 2026: the document's targets ran to the end of 2025; only the indicator (no figure) is left.
  expect((await report('area=yuanzhou&year=2026')).body.targets.map((t: { measure: string }) => t.measure)).toEqual(['per_10k_people']);
});

it('Yunyang: 10 million of new financing counted from 2022, by 2024; Ankang: monitoring, no figure', async () => {
  // 4,000,000.00 + 3,000,000.00 + 2,500,000.00 = 9,500,000.00 < 10,000,000.00.
  expect((await report('area=yunyang&year=2024')).body.targets).toEqual([
    expect.objectContaining({ measure: 'cumulative_amount', countedFromYear: 2022, target: '10000000.00', actual: '9500000.00', met: false }),
  ]);
  expect((await report('area=yunyang&year=2025')).body.targets).toEqual([]);
  expect((await report('area=ankang&year=2024')).body.targets).toEqual([
    expect.objectContaining({ measure: 'monitoring', target: null, actual: '3000000.00', met: null, reference: '安政办发〔2024〕13号 第12条' }),
  ]);
});

it('staff add a new dated value with a reference: later years take it, earlier ones keep theirs, nothing is overwritten', async () => {
  const staff = service.as(service.staffToken);
  const added = await staff
    .post('/api/v1/areas/dongyang/targets')
    .send({ measure: 'annual_amount', fromYear: 2025, amount: '1200000000.00', reference: '东阳市 2025 年知识产权工作要点（示例）' });
  expect(added.status).toBe(201);
  expect(added.body).toMatchObject({ measure: 'annual_amount', scope: 'ip', fromYear: 2025, amount: '1200000000.00' });
  const history = await staff.get('/api/v1/areas/dongyang/targets');
  expect(history.body.items.map((t: { fromYear: number; amount: string }) => [t.fromYear, t.amount])).toEqual([
    [2023, '1000000000.00'],
    [2025, '1200000000.00'],
  ]);
  expect((await report('area=dongyang&year=2025')).body.targets[0]).toMatchObject({ target: '1200000000.00', actual: '0.00', met: false });
  expect((await report('area=dongyang&year=2024')).body.targets[0]).toMatchObject({ target: '1000000000.00' });
  // The records are append-only in PostgreSQL too.
  await expect(service.db.pool.query(`update area_target set amount_fen = 1 where area_code = 'dongyang'`)).rejects.toThrow();

  const refused = await staff.post('/api/v1/areas/dongyang/targets').send({ measure: 'annual_growth', fromYear: 2025, amount: '1.00', reference: 'x' });
  expect(refused.status).toBe(422);
  expect(refused.body.errors).toEqual([{ path: 'amount', message: 'a annual_growth target has no amount' }]);
  expect((await staff.post('/api/v1/areas/nowhere/targets').send({ measure: 'monitoring', fromYear: 2025, reference: 'x' })).status).toBe(404);
});

it('the default year is the last complete one; an unknown area is 404; banks do not read it, finance may not change it', async () => {
  const lastYear = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4)) - 1;
  expect((await report('area=dongyang')).body.year).toBe(lastYear);
  expect((await report('area=atlantis')).status).toBe(404);
  const bank = await service.bank();
  expect((await service.as(bank.token).get('/api/v1/areas')).status).toBe(403);
  const finance = await service.principal('finance');
  expect((await service.as(finance.token).post('/api/v1/areas/dongyang/population').send({ year: 2024, population: 1, reference: 'x' })).status).toBe(403);
});

it('per 10,000 people is rounded half up to the fen', () => {
  // 1.00 CNY (100 fen) × 10,000 ÷ 30,000 people = 33.33… fen → 33 fen; 0.05 CNY (5 fen) × 10,000 ÷ 100,000 = 0.5 fen → 1 fen.
  expect(perTenThousandPeople(100n, 30_000)).toBe(33n);
  expect(perTenThousandPeople(5n, 100_000)).toBe(1n);
});
