/**
 * Loan events (docs/api.md `POST /api/v1/loans/{id}/events`): every rule at its boundary, events out of
 * order by value date, ledger balances equal to the loan's figures, retries.
 */
import { startTestService, type TestService } from './support/app';
import { count, daysFromToday, loanBody, registerEnterprises, today } from './loans.support';

let service: TestService;
let bank: { token: string; bankId: string };
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
  bank = await service.bank();
});
afterAll(() => service.close());

/** A new loan of 1,000,000.00 CNY started 2024-01-15 (unless overridden); its id. */
async function newLoan(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await service.as(bank.token).post('/api/v1/loans').send(loanBody(overrides));
  if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  return response.body.id;
}

const event = (loanId: string, body: Record<string, unknown>, key?: string) => {
  const request = service.as(bank.token).post(`/api/v1/loans/${loanId}/events`);
  return (key ? request.set('Idempotency-Key', key) : request).send(body);
};

async function expectEvent(loanId: string, body: Record<string, unknown>): Promise<void> {
  const response = await event(loanId, body);
  if (response.status !== 201) throw new Error(`${JSON.stringify(body)} → ${response.status} ${JSON.stringify(response.body)}`);
}

const loan = async (loanId: string, asOf?: string) =>
  (await service.as(bank.token).get(`/api/v1/loans/${loanId}${asOf ? `?asOf=${asOf}` : ''}`)).body;

const ledgerBalance = async (code: string, asOf?: string) =>
  (await service.as(service.staffToken).get(`/api/v1/ledger/accounts/${code}/balance${asOf ? `?asOf=${asOf}` : ''}`)).body.balance;

const writes = async () => ({ events: await count(service, 'loan_event'), entries: await count(service, 'ledger_entry') });

async function expectRefused(loanId: string, body: Record<string, unknown>, path: string, message?: RegExp): Promise<void> {
  const before = await writes();
  const response = await event(loanId, body);
  expect(response.status).toBe(422);
  expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
  if (message) expect(response.body.errors[0].message).toMatch(message);
  expect(await writes()).toEqual(before);
}

describe('disbursements: their sum never exceeds the principal', () => {
  it('600,000.00 + 400,000.00 = the principal is accepted; one fen more is refused naming amount', async () => {
    const id = await newLoan();
    await expectEvent(id, { type: 'disbursement', date: '2024-01-15', amount: '600000.00' });
    await expectEvent(id, { type: 'disbursement', date: '2024-02-01', amount: '400000.00' });
    await expectRefused(id, { type: 'disbursement', date: '2024-02-02', amount: '0.01' }, 'amount', /^disbursements would exceed the principal/);
    expect((await loan(id)).outstandingPrincipal).toBe('1000000.00');
  });

  it('a first disbursement one fen over the principal is refused', async () => {
    const id = await newLoan();
    await expectRefused(id, { type: 'disbursement', date: '2024-01-15', amount: '1000000.01' }, 'amount', /exceed the principal/);
  });
});

describe('repayments never exceed the outstanding principal, at any value date', () => {
  it('repaying exactly the outstanding principal is accepted; one fen more is refused naming the date', async () => {
    const id = await newLoan();
    await expectEvent(id, { type: 'disbursement', date: '2024-02-01', amount: '500000.00' });
    await expectRefused(id, { type: 'principal_repayment', date: '2024-03-01', amount: '500000.01' }, 'amount', /^repayment exceeds the outstanding principal on 2024-03-01/);
    await expectEvent(id, { type: 'principal_repayment', date: '2024-03-01', amount: '500000.00' });
    expect((await loan(id)).outstandingPrincipal).toBe('0.00');
  });

  it('a repayment dated before the disbursement it would repay is refused, even though the total repaid is covered', async () => {
    const id = await newLoan();
    await expectEvent(id, { type: 'disbursement', date: '2024-03-01', amount: '500000.00' });
    // On 2024-02-15 nothing is outstanding yet.
    await expectRefused(id, { type: 'principal_repayment', date: '2024-02-15', amount: '100.00' }, 'amount', /on 2024-02-15/);
  });

  it('a back-dated repayment that leaves the final balance positive but an earlier day negative is refused', async () => {
    const id = await newLoan();
    await expectEvent(id, { type: 'disbursement', date: '2024-03-01', amount: '100000.00' });
    await expectEvent(id, { type: 'principal_repayment', date: '2024-06-01', amount: '100000.00' });
    await expectEvent(id, { type: 'disbursement', date: '2024-07-01', amount: '100000.00' });
    // Today 100,000.00 is outstanding, but from 2024-06-01 to 2024-06-30 nothing was: 50,000.00 on 2024-06-15 would
    // make it -50,000.00 on that day.
    await expectRefused(id, { type: 'principal_repayment', date: '2024-06-15', amount: '50000.00' }, 'amount', /on 2024-06-15: 0\.00 outstanding then/);
    // The same repayment dated 2024-07-01 is fine.
    await expectEvent(id, { type: 'principal_repayment', date: '2024-07-01', amount: '50000.00' });
  });

  it('PostgreSQL enforces the same floor if the check is bypassed: a raw ledger entry is refused', async () => {
    const id = await newLoan();
    const raw = await service.db.rawClient();
    await raw.query('begin');
    try {
      await expect(
        raw.query(
          `with e as (insert into ledger_entry (idempotency_key, effective_date, description, source_kind, source_id, content_hash)
                      values ('raw-repay', '2024-02-01', 'raw', 'test', 'raw', 'x') returning id)
           insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
           select e.id, v.n, a.id, v.side, 100, '2024-02-01' from e,
             (values (1, 'loan:${id}:repaid', 'D'), (2, 'loan:${id}:outstanding', 'C')) v(n, code, side)
             join ledger_account a on a.code = v.code`,
        ),
      ).rejects.toMatchObject({ constraint: 'ledger_account_within_limits' });
    } finally {
      await raw.query('rollback');
    }
  });
});

describe('events arriving out of order by value date', () => {
  it('balances as of any date are those of the events dated up to it, whatever order they arrived in', async () => {
    const id = await newLoan();
    await expectEvent(id, { type: 'disbursement', date: '2024-02-01', amount: '500000.00' });
    await expectEvent(id, { type: 'principal_repayment', date: '2024-06-01', amount: '200000.00' });
    // Arrive late, dated earlier:
    await expectEvent(id, { type: 'disbursement', date: '2024-01-20', amount: '300000.00' });
    await expectEvent(id, { type: 'principal_repayment', date: '2024-04-01', amount: '100000.00' });
    await expectEvent(id, { type: 'interest_payment', date: '2024-03-20', amount: '3625.00', periodFrom: '2024-01-20', periodTo: '2024-03-20' });
    await expectEvent(id, { type: 'interest_payment', date: '2024-02-20', amount: '1087.50' });
    // Outstanding, worked by hand:
    //   end of 2024-01-19: 0
    //   end of 2024-01-31: 300,000.00 (disbursed 01-20)
    //   end of 2024-02-15: 300,000 + 500,000 = 800,000.00
    //   end of 2024-04-15: 800,000 − 100,000 = 700,000.00
    //   end of 2024-06-30: 700,000 − 200,000 = 500,000.00
    // Interest paid: 1,087.50 by 2024-02-20; + 3,625.00 = 4,712.50 by 2024-03-20.
    const expected: Array<[string, string, string]> = [
      ['2024-01-19', '0.00', '0.00'],
      ['2024-01-31', '300000.00', '0.00'],
      ['2024-02-15', '800000.00', '0.00'],
      ['2024-02-20', '800000.00', '1087.50'],
      ['2024-04-15', '700000.00', '4712.50'],
      ['2024-06-30', '500000.00', '4712.50'],
    ];
    for (const [asOf, outstanding, interest] of expected) {
      const state = await loan(id, asOf);
      expect([asOf, state.outstandingPrincipal, state.interestPaid]).toEqual([asOf, outstanding, interest]);
      // The loan's figures are the ledger's balances.
      expect(await ledgerBalance(`loan:${id}:outstanding`, asOf)).toBe(outstanding);
      expect(await ledgerBalance(`loan:${id}:interest-paid`, asOf)).toBe(interest);
    }
    const now = await loan(id);
    expect(now).toMatchObject({ outstandingPrincipal: '500000.00', interestPaid: '4712.50', disbursed: '800000.00' });
    // undrawn = 1,000,000 − 800,000 = 200,000.00; repaid = 300,000.00.
    expect(await ledgerBalance(`loan:${id}:undrawn`)).toBe('200000.00');
    expect(await ledgerBalance(`loan:${id}:repaid`)).toBe('300000.00');
    // The events list is in value-date order.
    const events = await service.as(bank.token).get(`/api/v1/loans/${id}/events`);
    expect(events.body.items.map((e: { date: string }) => e.date)).toEqual([
      '2024-01-20', '2024-02-01', '2024-02-20', '2024-03-20', '2024-04-01', '2024-06-01',
    ]);
    expect(events.body.items[3]).toMatchObject({ type: 'interest_payment', amount: '3625.00', periodFrom: '2024-01-20', periodTo: '2024-03-20' });
  });
});

describe('dates: nothing before the loan start, nothing in the future', () => {
  it('the start date is the first valid date; the day before is refused', async () => {
    const id = await newLoan({ startDate: '2024-01-15' });
    await expectRefused(id, { type: 'disbursement', date: '2024-01-14', amount: '1.00' }, 'date', /before the loan started on 2024-01-15/);
    await expectEvent(id, { type: 'disbursement', date: '2024-01-15', amount: '1.00' });
  });

  it('today (in China) is the last valid date; tomorrow is refused', async () => {
    const id = await newLoan();
    await expectRefused(id, { type: 'overdue', date: daysFromToday(1), daysOverdue: 3 }, 'date', /future/);
    await expectEvent(id, { type: 'overdue', date: today(), daysOverdue: 3 });
  });

  it('an interest period may not start before the loan, nor end before it starts', async () => {
    const id = await newLoan();
    await expectRefused(id, { type: 'interest_payment', date: '2024-03-01', amount: '10.00', periodFrom: '2024-01-14', periodTo: '2024-02-29' }, 'periodFrom');
    await expectRefused(id, { type: 'interest_payment', date: '2024-03-01', amount: '10.00', periodFrom: '2024-02-01', periodTo: '2024-01-31' }, 'periodTo');
    await expectRefused(id, { type: 'interest_payment', date: '2024-03-01', amount: '10.00', periodFrom: '2024-02-01' }, 'periodTo');
    await expectEvent(id, { type: 'interest_payment', date: '2024-03-01', amount: '10.00', periodFrom: '2024-01-15', periodTo: '2024-02-29' });
  });
});

describe('amounts and fields of each event type', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a disbursement without an amount', { type: 'disbursement', date: '2024-02-01' }, 'amount'],
    ['a zero amount', { type: 'disbursement', date: '2024-02-01', amount: '0.00' }, 'amount'],
    ['an amount with 3 decimals', { type: 'interest_payment', date: '2024-02-01', amount: '10.005' }, 'amount'],
    ['an amount on an overdue event', { type: 'overdue', date: '2024-02-01', amount: '10.00' }, 'amount'],
    ['an amount on a settlement', { type: 'settlement', date: '2024-02-01', amount: '10.00' }, 'amount'],
    ['days overdue on a default', { type: 'default', date: '2024-02-01', daysOverdue: 90 }, 'daysOverdue'],
    ['zero days overdue', { type: 'overdue', date: '2024-02-01', daysOverdue: 0 }, 'daysOverdue'],
    ['a period on a repayment', { type: 'principal_repayment', date: '2024-02-01', amount: '1.00', periodFrom: '2024-01-15', periodTo: '2024-01-31' }, 'periodFrom'],
    ['an unknown type', { type: 'write_off', date: '2024-02-01' }, 'type'],
    ['a date that does not exist', { type: 'default', date: '2024-02-30' }, 'date'],
  ])('%s is refused', async (_name, body, path) => {
    const id = await newLoan();
    await expectEvent(id, { type: 'disbursement', date: '2024-01-15', amount: '1000.00' });
    await expectRefused(id, body, path);
  });
});

describe('settlement', () => {
  it('is refused while principal is outstanding on its date, accepted at zero; nothing may follow it', async () => {
    const id = await newLoan();
    await expectEvent(id, { type: 'disbursement', date: '2024-01-15', amount: '1000000.00' });
    await expectEvent(id, { type: 'principal_repayment', date: '2024-12-31', amount: '999999.99' });
    await expectRefused(id, { type: 'settlement', date: '2024-12-31' }, 'type', /outstanding principal to be 0 on 2024-12-31; it is 0\.01/);
    await expectEvent(id, { type: 'principal_repayment', date: '2025-01-15', amount: '0.01' });
    // A settlement is the last event: one dated 2025-01-14 would precede the repayment of 2025-01-15.
    await expectRefused(id, { type: 'settlement', date: '2025-01-14' }, 'date', /event dated 2025-01-15, after this settlement/);
    await expectEvent(id, { type: 'settlement', date: '2025-01-15' });
    const settled = await loan(id);
    expect(settled).toMatchObject({ status: 'settled', settlementDate: '2025-01-15', outstandingPrincipal: '0.00' });
    await expectRefused(id, { type: 'interest_payment', date: '2025-01-16', amount: '10.00' }, 'date', /settled on 2025-01-15/);
    await expectRefused(id, { type: 'settlement', date: '2025-01-15' }, 'type', /already settled/);
    await expectRefused(id, { type: 'disbursement', date: '2025-01-10', amount: '10.00' }, 'type', /reopen/);
    // Before its settlement date the loan was active.
    expect((await loan(id, '2025-01-14')).status).toBe('active');
  });

  it('a loan never disbursed can be settled; a settlement dated before a recorded event is refused', async () => {
    const id = await newLoan();
    await expectEvent(id, { type: 'overdue', date: '2024-03-01', daysOverdue: 1 });
    await expectRefused(id, { type: 'settlement', date: '2024-02-01' }, 'date', /event dated 2024-03-01, after this settlement/);
    await expectEvent(id, { type: 'settlement', date: '2024-03-01' });
  });

  it('PostgreSQL refuses a settlement with principal outstanding from a raw SQL session too', async () => {
    const id = await newLoan();
    await expectEvent(id, { type: 'disbursement', date: '2024-01-15', amount: '10.00' });
    const raw = await service.db.rawClient();
    await expect(
      raw.query(`insert into loan_event (id, loan_id, type, effective_date) values (gen_random_uuid(), $1, 'settlement', '2024-02-01')`, [id]),
    ).rejects.toMatchObject({ code: 'LN003' });
    await expect(
      raw.query(`insert into loan_event (id, loan_id, type, effective_date) values (gen_random_uuid(), $1, 'default', '2024-01-14')`, [id]),
    ).rejects.toMatchObject({ code: 'LN001' });
    await expect(raw.query(`update loan_event set effective_date = '2024-01-16' where loan_id = $1`, [id])).rejects.toMatchObject({ code: 'LG002' });
    await expect(raw.query(`update loan set principal_fen = 1 where id = $1`, [id])).rejects.toMatchObject({ code: 'LG002' });
  });
});

describe('status derived from events (settled > defaulted > overdue > active)', () => {
  it('overdue until a payment dated after it; defaulted after a default; settled wins over defaulted', async () => {
    const id = await newLoan();
    await expectEvent(id, { type: 'disbursement', date: '2024-01-15', amount: '1000.00' });
    expect((await loan(id)).status).toBe('active');
    await expectEvent(id, { type: 'overdue', date: '2024-04-20', daysOverdue: 5 });
    expect((await loan(id)).status).toBe('overdue');
    // A payment on the same day does not cure it; the next day's does.
    await expectEvent(id, { type: 'interest_payment', date: '2024-04-20', amount: '5.00' });
    expect((await loan(id)).status).toBe('overdue');
    await expectEvent(id, { type: 'interest_payment', date: '2024-04-21', amount: '5.00' });
    expect((await loan(id)).status).toBe('active');
    expect((await loan(id, '2024-04-20')).status).toBe('overdue');
    expect((await loan(id, '2024-04-19')).status).toBe('active');
    await expectEvent(id, { type: 'overdue', date: '2024-07-20', daysOverdue: 30 });
    await expectEvent(id, { type: 'default', date: '2024-10-20' });
    expect((await loan(id)).status).toBe('defaulted');
    await expectEvent(id, { type: 'principal_repayment', date: '2024-12-01', amount: '1000.00' });
    expect((await loan(id)).status).toBe('defaulted');
    await expectEvent(id, { type: 'settlement', date: '2024-12-01' });
    expect((await loan(id)).status).toBe('settled');
  });
});

describe('retries', () => {
  it('the same Idempotency-Key and body returns the first event and posts nothing new', async () => {
    const id = await newLoan();
    const body = { type: 'disbursement', date: '2024-02-01', amount: '250000.00' };
    const first = await event(id, body, `ev-${id}`);
    expect(first.status).toBe(201);
    const before = await writes();
    const again = await event(id, body, `ev-${id}`);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await writes()).toEqual(before);
    expect((await loan(id)).outstandingPrincipal).toBe('250000.00');
    const other = await event(id, { ...body, amount: '1.00' }, `ev-${id}`);
    expect(other.status).toBe(409);
  });

  it('a refused event keeps nothing under its key: the corrected event with the same key is posted', async () => {
    const id = await newLoan();
    const key = `refused-${id}`;
    // 1,000,000.01 is one fen over the principal of 1,000,000.00.
    const refused = await event(id, { type: 'disbursement', date: '2024-02-01', amount: '1000000.01' }, key);
    expect(refused.status).toBe(422);
    const corrected = await event(id, { type: 'disbursement', date: '2024-02-01', amount: '1000000.00' }, key);
    expect(corrected.status).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
    expect((await loan(id)).outstandingPrincipal).toBe('1000000.00');
  });

  it('two concurrent requests with one key post one event', async () => {
    const id = await newLoan();
    const body = { type: 'disbursement', date: '2024-02-01', amount: '1000.00' };
    const [a, b] = await Promise.all([event(id, body, `c-${id}`), event(id, body, `c-${id}`)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect((await loan(id)).outstandingPrincipal).toBe('1000.00');
  });

  it('concurrent events without keys on one loan are serialised: the disbursement limit holds', async () => {
    const id = await newLoan({ principal: '1000.00' });
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => event(id, { type: 'disbursement', date: '2024-02-01', amount: '300.00' })),
    );
    // 3 × 300 = 900 ≤ 1,000; a fourth would make 1,200.
    expect(responses.map((r) => r.status).sort()).toEqual([201, 201, 201, 422, 422, 422]);
    expect((await loan(id)).outstandingPrincipal).toBe('900.00');
  });
});
