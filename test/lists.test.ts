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

/**
 * The reference lists page like every other list (docs/api.md "Lists"): `limit` rows, then `nextCursor`, null on the
 * last page.
 */
describe('the reference lists', () => {
  /** Every page of a list at `limit`, each page's size, and the last page's cursor. */
  const pages = async (path: string, limit: number) => {
    const items: Array<Record<string, unknown>> = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page = ok(await staff().get(`${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`), 200).body as {
        items: Array<Record<string, unknown>>;
        nextCursor: string | null;
      };
      items.push(...page.items);
      sizes.push(page.items.length);
      cursor = page.nextCursor;
    } while (cursor !== null && sizes.length < 100);
    return { items, sizes };
  };

  it('banks by code', async () => {
    for (const code of ['PG-C', 'PG-A', 'PG-B']) await service.bank(code);
    // LIST-A, LIST-B (above) and PG-A, PG-B, PG-C: five banks, by code.
    const { items, sizes } = await pages('/api/v1/banks', 2);
    expect(items.map((bank) => bank.code)).toEqual(['LIST-A', 'LIST-B', 'PG-A', 'PG-B', 'PG-C']);
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('principals in the order they were created, two created in the same instant each once', async () => {
    const before = (await pages('/api/v1/principals', 500)).items.length;
    for (const name of ['第一位', '第二位', '第三位']) await service.principal('auditor', { name });
    // Two rows of one statement share created_at to the microsecond: the id decides, and neither is skipped or repeated.
    await service.db.pool.query(
      `insert into principal (name, role, token_hash) values ('同时甲', 'auditor', sha256('同时甲'::bytea)), ('同时乙', 'auditor', sha256('同时乙'::bytea))`,
    );
    const { items, sizes } = await pages('/api/v1/principals', 1);
    expect(sizes).toEqual(Array(before + 5).fill(1));
    const names = items.map((principal) => principal.name);
    expect(names.slice(before, before + 3)).toEqual(['第一位', '第二位', '第三位']);
    expect(names.slice(before + 3).sort()).toEqual(['同时乙', '同时甲'].sort());
    expect(new Set(items.map((principal) => principal.id)).size).toBe(items.length);
  });

  it('rate fixings by index and date; with `on`, one page', async () => {
    // data/reference-rates.csv ships 43 fixings: LPR1Y 13, LPR5Y 12, and 6 of each PBOC index.
    const all = await pages('/api/v1/rates', 13);
    expect(all.sizes).toEqual([13, 13, 13, 4]);
    expect(all.items[12]).toMatchObject({ index: 'LPR1Y', effectiveDate: '2025-05-20', rate: '0.0300' });
    expect(all.items[13]).toMatchObject({ index: 'LPR5Y', effectiveDate: '2019-08-20', rate: '0.0485' });
    const lpr1y = await pages('/api/v1/rates?index=LPR1Y', 5);
    expect(lpr1y.sizes).toEqual([5, 5, 3]);
    expect(lpr1y.items[10]).toMatchObject({ effectiveDate: '2024-07-22', rate: '0.0335' });
    const inForce = ok(await staff().get('/api/v1/rates?on=2024-08-01&limit=1'), 200).body as { items: Array<{ index: string; rate: string }>; nextCursor: null };
    expect(inForce.items.map((fixing) => `${fixing.index} ${fixing.rate}`)).toContain('LPR1Y 0.0335');
    expect(inForce.nextCursor).toBeNull();
  });

  it('funds by code', async () => {
    for (const code of ['LS-C', 'LS-B']) {
      ok(await staff().post('/api/v1/funds').send({ code, name: `列表测试资金 ${code}`, shareOfLoss: '0.5', leverage: '10', claimAfterDaysOverdue: 30, bodies: ['city'] }), 201);
    }
    // LS (above), LS-B and LS-C, by code.
    const { items, sizes } = await pages('/api/v1/funds', 2);
    expect(items.map((fund) => fund.code)).toEqual(['LS', 'LS-B', 'LS-C']);
    expect(sizes).toEqual([2, 1]);
  });

  it("an enterprise's own records (here its premiums) page too, in their order, each once", async () => {
    const path = `/api/v1/enterprises/${USCC.yuanzhou}/premiums`;
    for (const [amount, paidOn] of [['100.00', '2024-03-01'], ['200.00', '2024-04-01'], ['300.00', '2024-05-01']]) {
      ok(await staff().post(path).send({ amount, paidOn }), 201);
    }
    const whole = ok(await staff().get(path), 200).body as { items: Array<{ id: string; amount: string }>; nextCursor: string | null };
    expect(whole.items.map((premium) => premium.amount).sort()).toEqual(['100.00', '200.00', '300.00']);
    expect(whole.nextCursor).toBeNull();
    const { items, sizes } = await pages(path, 2);
    expect(sizes).toEqual([2, 1]);
    expect(items.map((premium) => premium.id)).toEqual(whole.items.map((premium) => premium.id));
    // A cursor naming no record of this list is refused, naming it.
    const stranger = Buffer.from(JSON.stringify('00000000-0000-4000-8000-000000000000')).toString('base64url');
    const refused = await staff().get(`${path}?cursor=${stranger}`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });

  it('policy versions by id and version', async () => {
    const { items, sizes } = await pages('/api/v1/policies', 1);
    const ids = items.map((policy) => `${String(policy.id)} v${String(policy.version)}`);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(ids.filter((id) => id.endsWith(' v1'))).toEqual(['ankang-2024 v1', 'dongyang-2021 v1', 'yuanzhou-2023 v1']);
    expect(sizes.every((size) => size === 1)).toBe(true);
  });
});
