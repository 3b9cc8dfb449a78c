/**
 * Lists sorted, filtered and paged on the server: the white-list, a fund's enrolments, claims and statement, the
 * enterprises; every page ends with a cursor valid only for its own sort, and a forged cursor is a 422 naming it.
 */
import { loan, ok } from './fund.support';
import { registerEnterprises, USCC } from './loans.support';
import { startTestService, type TestService } from './support/app';

let service: TestService;
let fundId = '';
let bankA: { token: string; bankId: string };
let bankB: { token: string; bankId: string };
const staff = () => service.as(service.staffToken);

beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
  bankA = await service.bank('LIST-A');
  bankB = await service.bank('LIST-B');
  const fund = ok(
    await staff().post('/api/v1/funds').send({ code: 'LS', name: '列表测试资金', shareOfLoss: '0.5', leverage: '10', claimAfterDaysOverdue: 30, bodies: ['city', 'district'] }),
    201,
  ).body as { id: string };
  fundId = fund.id;
  // Contributions 2024-01-10 3,000,000.00 (city), 2024-01-12 2,000,000.00 (district), 2024-03-01 1,000,000.00 (city).
  for (const [body, amount, date] of [
    ['city', '3000000.00', '2024-01-10'],
    ['district', '2000000.00', '2024-01-12'],
    ['city', '1000000.00', '2024-03-01'],
  ]) {
    ok(await staff().post(`/api/v1/funds/${fundId}/contributions`).send({ body, amount, date }), 201);
  }
  // Enrolments: bank A 1,000,000.00 and 3,000,000.00 on 2024-02-05 and 02-06, bank B 2,000,000.00 on 02-07.
  const enrol = async (bank: { token: string }, principal: string, date: string) => {
    const loanId = await loan({ agent: service.as(bank.token) }, { principal });
    ok(await staff().post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId, date }), 201);
  };
  await enrol(bankA, '1000000.00', '2024-02-05');
  await enrol(bankA, '3000000.00', '2024-02-06');
  await enrol(bankB, '2000000.00', '2024-02-07');
});
afterAll(() => service.close());

describe("a fund's enrolments", () => {
  it('page on the server, sorted by covered principal; the cursor is valid only with its sort', async () => {
    const first = ok(await staff().get(`/api/v1/funds/${fundId}/enrolments?sort=-coveredPrincipal&limit=2`), 200);
    expect(first.body.items.map((e: { coveredPrincipal: string }) => e.coveredPrincipal)).toEqual(['3000000.00', '2000000.00']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = ok(await staff().get(`/api/v1/funds/${fundId}/enrolments?sort=-coveredPrincipal&limit=2&cursor=${first.body.nextCursor}`), 200);
    expect(second.body.items.map((e: { coveredPrincipal: string }) => e.coveredPrincipal)).toEqual(['1000000.00']);
    expect(second.body.nextCursor).toBeNull();

    const otherSort = await staff().get(`/api/v1/funds/${fundId}/enrolments?sort=date&cursor=${first.body.nextCursor}`);
    expect(otherSort.status).toBe(422);
    expect(otherSort.body.errors).toEqual([{ path: 'cursor', message: 'was made for sort=-coveredPrincipal; ask the first page again with sort=date' }]);
    const forged = await staff().get(`/api/v1/funds/${fundId}/enrolments?cursor=${Buffer.from('{"sort":"date","value":"x","id":"y"}').toString('base64url')}`);
    expect(forged.status).toBe(422);
    expect(forged.body.errors[0].path).toBe('cursor');
  });

  it('filter by bank and status; a bank sees only its own', async () => {
    const ofB = ok(await staff().get(`/api/v1/funds/${fundId}/enrolments?bankId=${bankB.bankId}`), 200);
    expect(ofB.body.items.map((e: { coveredPrincipal: string }) => e.coveredPrincipal)).toEqual(['2000000.00']);
    expect(ok(await staff().get(`/api/v1/funds/${fundId}/enrolments?status=withdrawn`), 200).body.items).toEqual([]);
    const own = ok(await service.as(bankA.token).get(`/api/v1/funds/${fundId}/enrolments?sort=date`), 200);
    expect(own.body.items.map((e: { coveredPrincipal: string }) => e.coveredPrincipal)).toEqual(['1000000.00', '3000000.00']);
  });
});

describe("a fund's statement", () => {
  it('pages its movements, each with the running balance, opening and closing of the whole period on every page', async () => {
    const path = `/api/v1/funds/${fundId}/statement?from=2024-01-01&to=2024-12-31`;
    const whole = ok(await staff().get(path), 200).body;
    expect(whole.movements).toHaveLength(3);
    expect(whole.nextCursor).toBeNull();
    const first = ok(await staff().get(`${path}&limit=2`), 200).body;
    const second = ok(await staff().get(`${path}&limit=2&cursor=${first.nextCursor}`), 200).body;
    // 3,000,000.00 → 5,000,000.00 (+2,000,000.00) → 6,000,000.00 (+1,000,000.00), split over the two pages.
    expect([...first.movements, ...second.movements].map((m: { amount: string; balance: string }) => [m.amount, m.balance])).toEqual([
      ['3000000.00', '3000000.00'],
      ['2000000.00', '5000000.00'],
      ['1000000.00', '6000000.00'],
    ]);
    expect([first.opening, first.closing, second.opening, second.closing]).toEqual(['0.00', '6000000.00', '0.00', '6000000.00']);
    expect(second.nextCursor).toBeNull();
    expect((await staff().get(`${path}&cursor=not-a-cursor`)).status).toBe(422);
  });

  it('contributions sort by amount, largest first', async () => {
    const page = ok(await staff().get(`/api/v1/funds/${fundId}/contributions?sort=-amount`), 200).body;
    expect(page.items.map((c: { amount: string }) => c.amount)).toEqual(['3000000.00', '2000000.00', '1000000.00']);
  });
});

describe('the white-list', () => {
  beforeAll(async () => {
    for (const [uscc, validFrom, validTo] of [
      [USCC.yuanzhou, '2024-01-01', '2030-12-31'],
      [USCC.dongyang, '2024-06-01', '2027-12-31'],
      [USCC.ankang, '2023-01-01', '2028-12-31'],
    ] as const) {
      ok(await staff().post('/api/v1/whitelist').send({ enterpriseUscc: uscc, reason: '高价值专利', validFrom, validTo }), 201);
    }
  });

  it('pages on the server, sorted by the end of validity; filtered by division or name', async () => {
    const first = ok(await staff().get('/api/v1/whitelist?on=2025-01-01&sort=validTo&limit=2'), 200).body;
    expect(first.items.map((l: { validTo: string }) => l.validTo)).toEqual(['2027-12-31', '2028-12-31']);
    const second = ok(await staff().get(`/api/v1/whitelist?on=2025-01-01&sort=validTo&limit=2&cursor=${first.nextCursor}`), 200).body;
    expect(second.items.map((l: { validTo: string }) => l.validTo)).toEqual(['2030-12-31']);
    expect(second.nextCursor).toBeNull();
    const inYuanzhou = ok(await staff().get('/api/v1/whitelist?divisionPrefix=360902'), 200).body;
    expect(inYuanzhou.items.map((l: { enterpriseUscc: string }) => l.enterpriseUscc)).toEqual([USCC.yuanzhou]);
    const byName = ok(await staff().get(`/api/v1/whitelist?enterprise=${encodeURIComponent('ankang')}`), 200).body;
    expect(byName.items.map((l: { enterpriseUscc: string }) => l.enterpriseUscc)).toEqual([USCC.ankang]);
    // On 2024-03-01 Dongyang's listing had not begun.
    expect(ok(await staff().get('/api/v1/whitelist?on=2024-03-01'), 200).body.items).toHaveLength(2);
    expect((await staff().get('/api/v1/whitelist?sort=colour')).status).toBe(422);
  });
});

it('enterprises sort by name and filter by the first digits of their division', async () => {
  const page = ok(await staff().get('/api/v1/enterprises?sort=-name&limit=2'), 200).body;
  // Names are "<area> 企业": yuanzhou, fuzhou, dongyang, ankang in descending byte order.
  expect(page.items.map((e: { name: string }) => e.name)).toEqual(['yuanzhou 企业', 'fuzhou 企业']);
  const next = ok(await staff().get(`/api/v1/enterprises?sort=-name&limit=2&cursor=${page.nextCursor}`), 200).body;
  expect(next.items.map((e: { name: string }) => e.name)).toEqual(['dongyang 企业', 'ankang 企业']);
  const zhejiang = ok(await staff().get('/api/v1/enterprises?divisionPrefix=33'), 200).body;
  expect(zhejiang.items.map((e: { uscc: string }) => e.uscc)).toEqual([USCC.dongyang]);
});
