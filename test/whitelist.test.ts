/**
 * The white-list of enterprises with high-value patents (《云阳县高价值发明专利质量提升行动方案（2022—2024年）》), and the lending to listed
 * enterprises the dashboard shows.
 */
import { startTestService, type TestService } from './support/app';

let service: TestService;
let bank: { bankId: string; token: string };
const LISTED = '91360902MA36R7KCX7'; // valid USCC, Yuanzhou 360902 (check characters worked in src/loans/identifiers.test.ts)
const NOT_LISTED = '92330783MA2DK4P606';

beforeAll(async () => {
  service = await startTestService();
  bank = await service.bank();
  const staff = service.as(service.staffToken);
  for (const [uscc, name] of [
    [LISTED, '宜春市星火专利科技有限公司'],
    [NOT_LISTED, '东阳市木雕工艺厂'],
  ] as const) {
    expect((await staff.post('/api/v1/enterprises').send({ uscc, name })).status).toBe(201);
  }
});
afterAll(() => service.close());

const loan = (contractNo: string, uscc: string, principal: string, startDate: string) => ({
  contractNo,
  enterpriseUscc: uscc,
  principal,
  annualRate: '0.0435',
  startDate,
  maturityDate: '2025-12-31',
  collateral: 'ip_only',
  pledges: [{ rightType: 'patent', number: '202310123456.6' }],
});

it('staff list an enterprise with a reason and a period; banks read it; it can be removed once, with a reason', async () => {
  const staff = service.as(service.staffToken);
  const added = await staff
    .post('/api/v1/whitelist')
    .send({ enterpriseUscc: LISTED, reason: '拥有高价值发明专利3件', validFrom: '2024-01-01', validTo: '2024-12-31' });
  expect(added.status).toBe(201);
  expect(added.body).toMatchObject({ enterpriseName: '宜春市星火专利科技有限公司', validFrom: '2024-01-01', removedAt: null });

  const overlapping = await staff
    .post('/api/v1/whitelist')
    .send({ enterpriseUscc: LISTED, reason: 'again', validFrom: '2024-06-01', validTo: '2025-06-30' });
  expect(overlapping.status).toBe(409);
  expect(overlapping.body.errors[0].path).toBe('validFrom');

  const asBank = await service.as(bank.token).get('/api/v1/whitelist?on=2024-07-01');
  expect(asBank.status).toBe(200);
  expect(asBank.body.items.map((i: { enterpriseUscc: string }) => i.enterpriseUscc)).toEqual([LISTED]);
  expect((await service.as(bank.token).get('/api/v1/whitelist?on=2025-01-01')).body.items).toEqual([]);
  expect((await service.as(bank.token).post('/api/v1/whitelist').send({ enterpriseUscc: NOT_LISTED, reason: 'x', validFrom: '2024-01-01', validTo: '2024-12-31' })).status).toBe(403);

  const unknown = await staff.post('/api/v1/whitelist').send({ enterpriseUscc: '91350100M000100Y43', reason: 'x', validFrom: '2024-01-01', validTo: '2024-12-31' });
  expect(unknown.status).toBe(422);
  expect(unknown.body.errors[0].path).toBe('enterpriseUscc');

  const removed = await staff.post(`/api/v1/whitelist/${added.body.id}/removal`).send({ reason: '专利已失效' });
  expect(removed.status).toBe(200);
  expect(removed.body.removalReason).toBe('专利已失效');
  expect((await staff.post(`/api/v1/whitelist/${added.body.id}/removal`).send({ reason: 'twice' })).status).toBe(409);
  expect((await service.as(bank.token).get('/api/v1/whitelist?on=2024-07-01')).body.items).toEqual([]);
  const history = await staff.get('/api/v1/whitelist?all=true');
  expect(history.body.items).toHaveLength(1);
  // The service's role may not delete (42501); the owner of the table is refused by its trigger (LG002).
  await expect(service.db.pool.query(`delete from enterprise_whitelist`)).rejects.toMatchObject({ code: '42501' });
  const owner = await service.db.rawClient('owner');
  await expect(owner.query(`delete from enterprise_whitelist`)).rejects.toMatchObject({ code: 'LG002' });
});

it('lending to listed enterprises counts loans started while the enterprise was listed', async () => {
  const staff = service.as(service.staffToken);
  expect(
    (await staff.post('/api/v1/whitelist').send({ enterpriseUscc: LISTED, reason: '高价值专利', validFrom: '2024-03-01', validTo: '2024-08-31' })).status,
  ).toBe(201);
  const asBank = service.as(bank.token);
  for (const body of [
    loan('WL-1', LISTED, '1000000.00', '2024-03-01'), // listed on its start date: counts
    loan('WL-2', LISTED, '250000.50', '2024-08-31'), // the last listed day: counts
    loan('WL-3', LISTED, '900000.00', '2024-09-01'), // the day after: does not
    loan('WL-4', NOT_LISTED, '500000.00', '2024-05-01'), // never listed
  ]) {
    expect((await asBank.post('/api/v1/loans').send(body)).status).toBe(201);
  }
  const report = await staff.get('/api/v1/reports/whitelist-lending?year=2024');
  expect(report.status).toBe(200);
  // 1,000,000.00 + 250,000.50 = 1,250,000.50 over 2 loans
  expect(report.body).toMatchObject({ year: 2024, loanCount: 2, principal: '1250000.50' });
  expect(report.body.byBank).toEqual([expect.objectContaining({ bankId: bank.bankId, loanCount: 2, principal: '1250000.50' })]);
});
