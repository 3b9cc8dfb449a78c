/**
 * The loans list's totals over every loan (GET /api/v1/loans without a filter, a reader of every bank): read from the
 * ledger's totals of the loans' accounts by kind (migrations/…LedgerKindTotals.ts), they are the same figures as the
 * sum over each matching loan's own accounts, which the list reads for a filter.
 */
import { startTestService, type TestService } from './support/app';
import { loanBody, registerEnterprises } from './loans.support';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
});
afterAll(() => service.close());

it('totals every loan of every bank: principal, IP-pledged amount, outstanding principal and interest paid', async () => {
  const bankA = await service.bank();
  const bankB = await service.bank();
  const create = async (token: string, contractNo: string, principal: string) => {
    const response = await service.as(token).post('/api/v1/loans').send(loanBody({ contractNo, principal }));
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const event = async (token: string, loanId: string, body: Record<string, unknown>) => {
    const response = await service.as(token).post(`/api/v1/loans/${loanId}/events`).send(body);
    expect(response.status).toBe(201);
  };
  const a1 = await create(bankA.token, 'T-A1', '100000.00');
  const a2 = await create(bankA.token, 'T-A2', '200000.00');
  const b1 = await create(bankB.token, 'T-B1', '300000.00');
  await event(bankA.token, a1, { type: 'disbursement', date: '2024-01-15', amount: '100000.00' });
  await event(bankA.token, a1, { type: 'principal_repayment', date: '2024-03-15', amount: '40000.00' });
  await event(bankA.token, a1, { type: 'interest_payment', date: '2024-02-15', amount: '362.50' });
  await event(bankA.token, a2, { type: 'disbursement', date: '2024-01-15', amount: '150000.00' });
  await event(bankB.token, b1, { type: 'disbursement', date: '2024-01-15', amount: '300000.00' });
  await event(bankB.token, b1, { type: 'interest_payment', date: '2024-02-15', amount: '1087.50' });

  const staff = service.as(service.staffToken);
  // 100,000 + 200,000 + 300,000 principal; outstanding (100,000 − 40,000) + 150,000 + 300,000 = 510,000;
  // interest 362.50 + 1,087.50 = 1,450.00.
  const every = { count: 3, principal: '600000.00', ipPledgedAmount: '600000.00', outstandingPrincipal: '510000.00', interestPaid: '1450.00' };
  for (const path of ['/api/v1/loans?limit=1', '/api/v1/loans?limit=50&sort=-principal']) {
    const list = await staff.get(path);
    expect(list.status).toBe(200);
    expect(list.body.totals).toEqual(every);
  }
  const firstPage = await staff.get('/api/v1/loans?limit=1&sort=-principal');
  expect(firstPage.body.items.map((loan: { contractNo: string }) => loan.contractNo)).toEqual(['T-B1']);
  const secondPage = await staff.get(`/api/v1/loans?limit=1&sort=-principal&cursor=${firstPage.body.nextCursor}`);
  expect(secondPage.body.items.map((loan: { contractNo: string }) => loan.contractNo)).toEqual(['T-A2']);
  expect(secondPage.body.totals).toEqual(every);

  // The filtered path (each loan's own accounts): bank A alone, and its own view.
  const bankATotals = { count: 2, principal: '300000.00', ipPledgedAmount: '300000.00', outstandingPrincipal: '210000.00', interestPaid: '362.50' };
  expect((await staff.get(`/api/v1/loans?bankId=${bankA.bankId}`)).body.totals).toEqual(bankATotals);
  expect((await service.as(bankA.token).get('/api/v1/loans')).body.totals).toEqual(bankATotals);
});
