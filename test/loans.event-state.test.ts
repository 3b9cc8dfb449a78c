/**
 * What a loan's events say of it now, kept as they arrive (migrations/…LoanEventState.ts): the state row, which
 * `loan_event_summary(loan, null)` reads, equals what aggregating the loan's events gives (the same as of 'infinity')
 * after single events, batches, events out of date order and concurrent writers; the status a loan's reads and an
 * event's answer show comes from it; only the database's own trigger writes it.
 */
import { startTestService, type TestService } from './support/app';
import { loanBody, registerEnterprises } from './loans.support';

let service: TestService;
let bank: { token: string; bankId: string };
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
  bank = await service.bank();
});
afterAll(() => service.close());

async function newLoan(): Promise<string> {
  const response = await service.as(bank.token).post('/api/v1/loans').send(loanBody());
  if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  return response.body.id;
}

async function postEvent(loanId: string, body: Record<string, unknown>): Promise<{ status: string }> {
  const response = await service.as(bank.token).post(`/api/v1/loans/${loanId}/events`).send(body);
  if (response.status !== 201) throw new Error(`${JSON.stringify(body)} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.loan;
}

const SUMMARY_COLUMNS = `settlement_date::text, defaulted, last_overdue::text, last_payment::text, first_overdue::text,
  first_default::text, status`;

/**
 * A loan's summary over every event two ways: from its state row (a null date) and by aggregating its events (as of
 * 'infinity': every event dated up to it).
 */
async function bothSummaries(loanId: string): Promise<{ kept: unknown; aggregated: unknown }> {
  const kept = await service.db.pool.query(`select ${SUMMARY_COLUMNS} from loan_event_summary($1, null)`, [loanId]);
  const aggregated = await service.db.pool.query(`select ${SUMMARY_COLUMNS} from loan_event_summary($1, 'infinity')`, [loanId]);
  return { kept: kept.rows[0], aggregated: aggregated.rows[0] };
}

it('single events out of date order: the kept facts are the latest and earliest dates, whatever the order posted', async () => {
  const id = await newLoan();
  // No events yet: no row, and the loan reads as active.
  expect((await bothSummaries(id)).kept).toEqual({
    settlement_date: null, defaulted: false, last_overdue: null, last_payment: null, first_overdue: null, first_default: null, status: 'active',
  });
  await postEvent(id, { type: 'disbursement', date: '2024-01-15', amount: '1000.00' });
  await postEvent(id, { type: 'overdue', date: '2024-07-20', daysOverdue: 30 });
  await postEvent(id, { type: 'interest_payment', date: '2024-06-01', amount: '5.00' });
  // Posted after the July one, dated before it: the first overdue moves back, the last stays.
  await postEvent(id, { type: 'overdue', date: '2024-04-20', daysOverdue: 5 });
  // Dated before the latest payment: no fact moves.
  await postEvent(id, { type: 'interest_payment', date: '2024-05-01', amount: '5.00' });
  const afterOverdue = await bothSummaries(id);
  // By hand: last payment 2024-06-01 is not after the last overdue 2024-07-20, so overdue.
  expect(afterOverdue.kept).toEqual({
    settlement_date: null,
    defaulted: false,
    last_overdue: '2024-07-20',
    last_payment: '2024-06-01',
    first_overdue: '2024-04-20',
    first_default: null,
    status: 'overdue',
  });
  expect(afterOverdue.kept).toEqual(afterOverdue.aggregated);

  // The event's own answer carries the status from the row: a payment dated after the last overdue cures it.
  expect((await postEvent(id, { type: 'principal_repayment', date: '2024-07-21', amount: '1.00' })).status).toBe('active');
  expect((await postEvent(id, { type: 'default', date: '2024-10-20' })).status).toBe('defaulted');
  expect((await postEvent(id, { type: 'default', date: '2024-09-01' })).status).toBe('defaulted');
  const defaulted = await bothSummaries(id);
  expect(defaulted.kept).toMatchObject({ defaulted: true, first_default: '2024-09-01', last_payment: '2024-07-21', status: 'defaulted' });
  expect(defaulted.kept).toEqual(defaulted.aggregated);
  // The loan's own read and the list's status filter agree with it.
  expect((await service.as(bank.token).get(`/api/v1/loans/${id}`)).body.status).toBe('defaulted');
  const listed = await service.as(bank.token).get('/api/v1/loans?status=defaulted&limit=200');
  expect(listed.body.items.map((loan: { id: string }) => loan.id)).toContain(id);
});

it('a batch over several loans, and concurrent writers on one loan, leave each row equal to the aggregate', async () => {
  const loans = [await newLoan(), await newLoan(), await newLoan()];
  const batch = await service.as(bank.token).post('/api/v1/loan-events:batch').send(
    loans.flatMap((loanId, i) => [
      { loanId, type: 'disbursement', date: '2024-01-15', amount: '1000.00' },
      { loanId, type: 'overdue', date: `2024-0${3 + i}-10`, daysOverdue: 3 },
      { loanId, type: 'overdue', date: '2024-02-10', daysOverdue: 3 },
      { loanId, type: 'interest_payment', date: `2024-0${2 + 2 * i}-11`, amount: '1.00' },
    ]),
  );
  expect(batch.status).toBe(201);
  // By hand: loan 0 last overdue 03-10, last payment 02-11 → overdue; loan 1: 04-10 and 04-11 → active;
  // loan 2: 05-10 and 06-11 → active. The first overdue of each is 02-10.
  const statuses = [];
  for (const loanId of loans) {
    const { kept, aggregated } = await bothSummaries(loanId);
    expect(kept).toEqual(aggregated);
    expect(kept).toMatchObject({ first_overdue: '2024-02-10' });
    statuses.push((kept as { status: string }).status);
  }
  expect(statuses).toEqual(['overdue', 'active', 'active']);

  // 4 connections × 10 payments on one loan, writer w in month 2 + 2w: the last payment is the latest date posted.
  const hot = loans[0]!;
  await Promise.all(
    Array.from({ length: 4 }, async (_, writer) => {
      for (let i = 0; i < 10; i += 1) {
        const day = String(1 + ((writer * 10 + i) % 28)).padStart(2, '0');
        await postEvent(hot, { type: 'interest_payment', date: `2024-0${2 + writer * 2}-${day}`, amount: '0.01' });
      }
    }),
  );
  const after = await bothSummaries(hot);
  // Writer 3 posts in August, its latest day 1 + 39 % 28 = 12: 2024-08-12, after the overdue of 03-10.
  expect(after.kept).toMatchObject({ last_payment: '2024-08-12', status: 'active' });
  expect(after.kept).toEqual(after.aggregated);
});

it('every loan with events has its row, equal to the aggregate; the serving role cannot write one', async () => {
  const differing = await service.db.pool.query(
    `select l.id from loan l
      where (select row(n.*)::text from loan_event_summary(l.id, null) n)
            is distinct from (select row(a.*)::text from loan_event_summary(l.id, 'infinity') a)`,
  );
  expect(differing.rows).toEqual([]);
  const missing = await service.db.pool.query(
    `select distinct e.loan_id from loan_event e where not exists (select 1 from loan_event_state s where s.loan_id = e.loan_id)`,
  );
  expect(missing.rows).toEqual([]);
  const loanId = await newLoan();
  await expect(
    service.db.pool.query(`insert into loan_event_state (loan_id, defaulted) values ($1, false)`, [loanId]),
  ).rejects.toMatchObject({ code: '42501' });
  await expect(service.db.pool.query(`update loan_event_state set defaulted = true`)).rejects.toMatchObject({ code: '42501' });
  const owner = await service.db.rawClient();
  await expect(owner.query(`delete from loan_event_state`)).rejects.toMatchObject({ code: 'LG002' });
});
