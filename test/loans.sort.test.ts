/** GET /api/v1/loans?sort=: whitelisted columns, either direction, ties broken by id, cursors tied to their sort. */
import { startTestService, type TestService } from './support/app';
import { loanBody, registerEnterprises } from './loans.support';

let service: TestService;
let bank: { bankId: string; token: string };
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
  bank = await service.bank();
  const principals = ['3000000.00', '1000000.00', '2000000.00', '2000000.00', '500000.00'];
  for (const [i, principal] of principals.entries()) {
    const response = await service.as(bank.token).post('/api/v1/loans').send(loanBody({ contractNo: `S-${i}`, principal, startDate: `2024-0${5 - i}-01`, maturityDate: '2026-01-01' }));
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  }
});
afterAll(() => service.close());

async function allPages(sort: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await service.as(bank.token).get(`/api/v1/loans?limit=${limit}&sort=${encodeURIComponent(sort)}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status).toBe(200);
    expect(response.body.totals.count).toBe(5);
    seen.push(...response.body.items.map((loan: { contractNo: string; principal: string }) => `${loan.contractNo}:${loan.principal}`));
    cursor = response.body.nextCursor;
  } while (cursor);
  return seen;
}

it('sorts by principal descending over pages of 2, the equal principals in a stable order, nothing repeated or lost', async () => {
  const pages = await allPages('-principal', 2);
  expect(pages.map((p) => p.split(':')[1])).toEqual(['3000000.00', '2000000.00', '2000000.00', '1000000.00', '500000.00']);
  expect(new Set(pages).size).toBe(5);
  expect(await allPages('-principal', 2)).toEqual(pages);
});

it('sorts by start date, contract number and maturity date in either direction', async () => {
  expect((await allPages('startDate', 2)).map((p) => p.split(':')[0])).toEqual(['S-4', 'S-3', 'S-2', 'S-1', 'S-0']);
  expect((await allPages('-contractNo', 3)).map((p) => p.split(':')[0])).toEqual(['S-4', 'S-3', 'S-2', 'S-1', 'S-0']);
  expect((await allPages('contractNo', 10)).map((p) => p.split(':')[0])).toEqual(['S-0', 'S-1', 'S-2', 'S-3', 'S-4']);
  expect(await allPages('-maturityDate', 2)).toHaveLength(5);
});

it('refuses a column not on the whitelist and a cursor made for another sort (422 naming the field)', async () => {
  const agent = service.as(bank.token);
  const bad = await agent.get('/api/v1/loans?sort=enterprise_uscc;drop table loan');
  expect(bad.status).toBe(422);
  expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('sort');
  const first = await agent.get('/api/v1/loans?limit=2&sort=-principal');
  const mixed = await agent.get(`/api/v1/loans?limit=2&sort=startDate&cursor=${first.body.nextCursor}`);
  expect(mixed.status).toBe(422);
  expect(mixed.body.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
});
