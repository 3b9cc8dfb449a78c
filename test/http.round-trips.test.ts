/**
 * One loan or one event through HTTP costs at most two database round trips: the token check, then one statement
 * that claims the Idempotency-Key, writes the loan or event with its ledger posting, stores the answer and writes the
 * audit row (src/http/route.ts `oneStatement`, migrations/…LoansOneStatement.ts); one, the statement alone, once the
 * token is remembered (test/http.remembered-tokens.test.ts). Counted at the driver (test/support/round-trips.ts): a
 * transaction's BEGIN and COMMIT would be two more.
 *
 * And the answers, idempotency, audit and ledger of that path are those of the transaction path. Reads: the loans list
 * (page, totals, names) and a loan's events are one statement each, and the audit rows of reads answered together are
 * written together.
 */
import { createHash } from 'node:crypto';
import { eventEntry } from '../src/loans/accounts';
import { auditsWritten } from '../src/http/app';
import { startTestService, type TestService } from './support/app';
import { roundTrips } from './support/round-trips';
import { count, loanBody, registerEnterprises } from './loans.support';

let service: TestService;
let bank: { token: string; bankId: string; principalId: string };
const BANK_CODE = `RT${process.pid}`;
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
  bank = await service.bank(BANK_CODE);
});
afterAll(() => service.close());

const postLoan = (body: Record<string, unknown>, key?: string) => {
  const request = service.as(bank.token).post('/api/v1/loans');
  return (key ? request.set('Idempotency-Key', key) : request).send(body);
};
const postEvent = (loanId: string, body: Record<string, unknown>, key?: string) => {
  const request = service.as(bank.token).post(`/api/v1/loans/${loanId}/events`);
  return (key ? request.set('Idempotency-Key', key) : request).send(body);
};

describe('POST /api/v1/loans', () => {
  it('takes two round trips, the first loan of a bank included, and answers as GET /api/v1/loans/{id} reads it', async () => {
    const { result: response, trips } = await roundTrips(() => postLoan(loanBody({ contractNo: 'RT-1' })));
    expect(response.status).toBe(201);
    expect(trips.length).toBeLessThanOrEqual(2);
    const read = await service.as(bank.token).get(`/api/v1/loans/${response.body.id}`);
    expect(read.body).toEqual(response.body);
    // The bank's accounts, made by that statement, are named with the bank's code as the transaction path names them.
    const names = await service.db.pool.query(`select name from ledger_account where code = $1`, [`bank:${bank.bankId}:facilities`]);
    expect(names.rows[0].name).toBe(`Bank ${BANK_CODE}: IP-pledge loan principal granted`);
    // Its audit row, written by the same statement.
    expect(await count(service, `audit_log where request_id = '${response.headers['x-request-id']}' and status = 201`)).toBe(1);
  });

  it('with an Idempotency-Key: two round trips; the replay answers the same body and writes nothing; another body is 409', async () => {
    const body = loanBody({ contractNo: 'RT-2' });
    const { result: first, trips } = await roundTrips(() => postLoan(body, 'rt-loan-2'));
    expect(first.status).toBe(201);
    expect(trips.length).toBeLessThanOrEqual(2);
    const loans = await count(service, 'loan');
    const again = await postLoan(body, 'rt-loan-2');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count(service, 'loan')).toBe(loans);
    expect((await postLoan({ ...body, principal: '2.00' }, 'rt-loan-2')).status).toBe(409);
  });

  it('a retry whose fields come in another order, nested ones too, replays; the same order with one value changed is 409', async () => {
    const body = loanBody({ contractNo: 'RT-2R' });
    const first = await postLoan(body, 'rt-loan-2r');
    expect(first.status).toBe(201);
    const reversed = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).reverse());
    const reordered = reversed({ ...body, pledges: (body.pledges as Array<Record<string, unknown>>).map(reversed) });
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(body));
    const loans = await count(service, 'loan');
    const again = await postLoan(reordered, 'rt-loan-2r');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await count(service, 'loan')).toBe(loans);
    expect((await postLoan({ ...reordered, contractNo: 'RT-2S' }, 'rt-loan-2r')).status).toBe(409);
  });

  it('a refusal is answered by the transaction path, naming the field, and writes nothing', async () => {
    await postLoan(loanBody({ contractNo: 'RT-3' }));
    const loans = await count(service, 'loan');
    const taken = await postLoan(loanBody({ contractNo: 'RT-3' }));
    expect(taken.status).toBe(409);
    expect(taken.body.errors[0].path).toBe('contractNo');
    const unknown = await postLoan(loanBody({ contractNo: 'RT-4', enterpriseUscc: 'Y1110108MA01ABCD55' }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['enterpriseUscc']);
    expect(await count(service, 'loan')).toBe(loans);
  });
});

describe('POST /api/v1/loans/{id}/events', () => {
  it('takes two round trips, and answers the loan figures a read gives', async () => {
    const contractNo = '贷字〔2024〕第"7"号\\A';
    const loanId = (await postLoan(loanBody({ contractNo }))).body.id as string;
    const { result: response, trips } = await roundTrips(() =>
      postEvent(loanId, { type: 'disbursement', date: '2024-01-15', amount: '600000.00' }, 'rt-event-1'),
    );
    expect(response.status).toBe(201);
    expect(trips.length).toBeLessThanOrEqual(2);
    // 1,000,000.00 granted, 600,000.00 disbursed: 600,000.00 outstanding, 400,000.00 undrawn.
    expect(response.body.loan).toEqual({ outstandingPrincipal: '600000.00', interestPaid: '0.00', disbursed: '600000.00', status: 'active' });
    const events = await service.as(bank.token).get(`/api/v1/loans/${loanId}/events`);
    const { loan: _figures, ...recorded } = response.body as Record<string, unknown>;
    expect(events.body.items[0]).toEqual(recorded);

    // The entry's description and content hash are those the transaction path computes (src/ledger/posting.ts).
    const entry = await service.db.pool.query(`select description, content_hash from ledger_entry where id = $1`, [response.body.ledgerEntryId]);
    const expected = eventEntry(
      { id: response.body.id, type: 'disbursement', date: '2024-01-15', amountFen: 60_000_000n },
      { id: loanId, bankId: bank.bankId, contractNo },
    );
    expect(entry.rows[0].description).toBe(expected.description);
    const canonical = JSON.stringify([
      expected.effectiveDate,
      expected.description,
      expected.source.kind,
      expected.source.id,
      null,
      expected.lines.map((line) => [line.accountCode, line.side, line.amountFen.toString()]),
    ]);
    expect((entry.rows[0].content_hash as Buffer).toString('hex')).toBe(createHash('sha256').update(canonical).digest('hex'));

    // A replay answers the same body (the figures as they were then) and writes nothing.
    const entries = await count(service, 'ledger_entry');
    const replay = await postEvent(loanId, { type: 'disbursement', date: '2024-01-15', amount: '600000.00' }, 'rt-event-1');
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(response.body);
    expect(await count(service, 'ledger_entry')).toBe(entries);
  });

  it('a non-money event, then a refusal by the ledger floor answered by the transaction path naming amount', async () => {
    const loanId = (await postLoan(loanBody({ contractNo: 'RT-5' }))).body.id as string;
    const { result: overdue, trips } = await roundTrips(() => postEvent(loanId, { type: 'overdue', date: '2024-03-20', daysOverdue: 5 }));
    expect(overdue.status).toBe(201);
    expect(trips.length).toBeLessThanOrEqual(2);
    expect(overdue.body.ledgerEntryId).toBeNull();
    expect(overdue.body.loan.status).toBe('overdue');
    const before = await count(service, 'loan_event');
    // 1,000,000.00 granted: 1,000,000.01 disbursed would take loan:<id>:undrawn below its floor 0.
    const over = await postEvent(loanId, { type: 'disbursement', date: '2024-01-15', amount: '1000000.01' });
    expect(over.status).toBe(422);
    expect(over.body.errors.map((e: { path: string }) => e.path)).toEqual(['amount']);
    expect(await count(service, 'loan_event')).toBe(before);
    // Another bank's loan reads as none.
    const other = await service.bank();
    const foreign = await service.as(other.token).post(`/api/v1/loans/${loanId}/events`).send({ type: 'overdue', date: '2024-03-21', daysOverdue: 6 });
    expect(foreign.status).toBe(404);
  });
});

describe('reads', () => {
  it('the loans list and a loan\'s events: one statement each after the token check', async () => {
    // The largest principal of this file's loans (the others are 1,000,000.00), so it heads the page sorted by principal.
    const created = await postLoan(loanBody({ contractNo: 'RT-READ-1', principal: '5000000.00' }));
    expect(created.status).toBe(201);
    const list = await roundTrips(() => service.as(service.staffToken).get('/api/v1/loans?limit=5&sort=-principal'));
    expect(list.result.status).toBe(200);
    // The token, the list, and the read's audit row after the answer.
    expect(list.trips.length).toBeLessThanOrEqual(3);
    expect(list.result.body.items.find((loan: { id: string }) => loan.id === created.body.id)).toMatchObject({ enterpriseName: created.body.enterpriseName, bankName: created.body.bankName });
    const events = await roundTrips(() => service.as(service.staffToken).get(`/api/v1/loans/${created.body.id}/events`));
    expect(events.result.status).toBe(200);
    expect(events.trips.length).toBeLessThanOrEqual(3);
  });

  it('audit rows of reads answered together are written together, every one of them', async () => {
    await auditsWritten(service.app);
    const { result: answers, trips } = await roundTrips(async () => {
      const sent = await Promise.all(Array.from({ length: 12 }, () => service.as(service.staffToken).get('/api/v1/loans?limit=1')));
      await auditsWritten(service.app);
      return sent;
    });
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const ids = answers.map((answer) => answer.headers['x-request-id'] as string);
    const rows = await service.db.pool.query<{ request_id: string; status: number; action: string }>(
      `select request_id, status, action from audit_log where request_id = any($1::text[]) order by id`,
      [ids],
    );
    expect(rows.rows).toHaveLength(12);
    expect(new Set(rows.rows.map((row) => row.request_id))).toEqual(new Set(ids));
    expect(rows.rows.every((row) => row.status === 200 && row.action === 'GET /api/v1/loans')).toBe(true);
    const inserts = trips.filter((trip) => trip.includes('insert into audit_log'));
    expect(inserts.length).toBeGreaterThanOrEqual(1);
    expect(inserts.length).toBeLessThan(12);
  });
});
