/**
 * A loan or an event from a token the service has authenticated before is one round trip: the write's statement
 * confirms the principal the token named (`principal_confirm`, migrations/Migration20261204000500WritesConfirmPrincipal.ts)
 * instead of a lookup ahead of it (src/http/route.ts `handle`). Revocation stays immediate, a revoked token is
 * answered 401 whatever its body, and nothing of its request is written or audited.
 */
import { auditsWritten } from '../src/http/app';
import { count, loanBody, registerEnterprises } from './loans.support';
import { startTestService, type TestService } from './support/app';
import { roundTrips } from './support/round-trips';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
});
afterAll(() => service.close());

const auditRows = (requestId: string) => count(service, `audit_log where request_id = '${requestId}'`);

describe('a remembered token', () => {
  it('the first write looks the token up (two round trips), later loans and events are the statement alone', async () => {
    const bank = await service.bank();
    const first = await roundTrips(() => service.as(bank.token).post('/api/v1/loans').send(loanBody()));
    expect(first.result.status).toBe(201);
    expect(first.trips).toEqual(['principal_by_token', 'loan_create_one']);

    const body = loanBody();
    const second = await roundTrips(() => service.as(bank.token).post('/api/v1/loans').set('Idempotency-Key', 'rt-remembered-1').send(body));
    expect(second.result.status).toBe(201);
    expect(second.trips).toEqual(['loan_create_one']);
    expect(await auditRows(second.result.headers['x-request-id'] as string)).toBe(1);
    // The replay is answered by the statement too, after it confirmed the token.
    const replay = await roundTrips(() => service.as(bank.token).post('/api/v1/loans').set('Idempotency-Key', 'rt-remembered-1').send(body));
    expect(replay.result.status).toBe(201);
    expect(replay.result.headers['idempotent-replayed']).toBe('true');
    expect(replay.result.body).toEqual(second.result.body);
    // No lookup: the statement, then the replay's audit row after the answer.
    expect(replay.trips[0]).toBe('loan_create_one');
    expect(replay.trips).not.toContain('principal_by_token');

    const event = await roundTrips(() =>
      service.as(bank.token).post(`/api/v1/loans/${first.result.body.id}/events`).send({ type: 'disbursement', date: '2024-01-15', amount: '1000.00' }),
    );
    expect(event.result.status).toBe(201);
    expect(event.trips).toHaveLength(1);
  });

  it('revoked: 401 at once, with a good body or a bad one, and nothing written or audited', async () => {
    const bank = await service.bank();
    const loan = await service.as(bank.token).post('/api/v1/loans').send(loanBody());
    expect(loan.status).toBe(201);
    expect((await service.as(service.staffToken).delete(`/api/v1/principals/${bank.principalId}`)).status).toBe(200);

    const loans = await count(service, 'loan');
    const events = await count(service, 'loan_event');
    const keys = await count(service, 'idempotency_record');
    const write = await roundTrips(() => service.as(bank.token).post('/api/v1/loans').set('Idempotency-Key', 'rt-revoked-1').send(loanBody()));
    expect(write.result.status).toBe(401);
    expect(write.result.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The statement found the token revoked and wrote nothing; the lookup then answered 401.
    expect(write.trips).toEqual(['loan_create_one', 'principal_by_token']);
    const event = await service.as(bank.token).post(`/api/v1/loans/${loan.body.id}/events`).send({ type: 'disbursement', date: '2024-01-15', amount: '1.00' });
    expect(event.status).toBe(401);
    // A body refused by the schema is refused for the token first.
    const bad = await service.as(bank.token).post('/api/v1/loans').send({ ...loanBody(), principal: 'lots' });
    expect(bad.status).toBe(401);
    expect(await count(service, 'loan')).toBe(loans);
    expect(await count(service, 'loan_event')).toBe(events);
    expect(await count(service, 'idempotency_record')).toBe(keys);
    for (const answer of [write.result, event, bad]) expect(await auditRows(answer.headers['x-request-id'] as string)).toBe(0);
  });

  it('a refusal before the statement is answered for the principal the token names now, and audited', async () => {
    const bank = await service.bank();
    expect((await service.as(bank.token).get('/api/v1/loans?limit=1')).status).toBe(200);
    const bad = await roundTrips(() => service.as(bank.token).post('/api/v1/loans').send({ ...loanBody(), principal: 'lots' }));
    expect(bad.result.status).toBe(422);
    expect(bad.result.body.errors.map((e: { path: string }) => e.path)).toEqual(['principal']);
    // The token was looked up before the refusal was answered.
    expect(bad.trips[0]).toBe('principal_by_token');
    expect(await count(service, `audit_log where request_id = '${bad.result.headers['x-request-id'] as string}' and status = 422`)).toBe(1);

    // A staff token remembered from a read: refused the bank's route, 403, audited.
    expect((await service.as(service.staffToken).get('/api/v1/loans?limit=1')).status).toBe(200);
    const staff = await service.as(service.staffToken).post('/api/v1/loans').send(loanBody());
    expect(staff.status).toBe(403);
    await auditsWritten(service.app);
    expect(await count(service, `audit_log where request_id = '${staff.headers['x-request-id'] as string}' and status = 403`)).toBe(1);
  });

  it("a principal changed since it was remembered: the statement refuses it and the request runs as it is now", async () => {
    const bank = await service.bank();
    expect((await service.as(bank.token).post('/api/v1/loans').send(loanBody())).status).toBe(201);
    await service.db.pool.query(`update principal set name = name || ' (renamed)' where id = $1`, [bank.principalId]);
    const write = await roundTrips(() => service.as(bank.token).post('/api/v1/loans').send(loanBody({ contractNo: 'RT-RENAMED' })));
    expect(write.result.status).toBe(201);
    expect(write.trips).toEqual(['loan_create_one', 'principal_by_token', 'loan_create_one']);
    expect(await count(service, `loan where contract_no = 'RT-RENAMED'`)).toBe(1);
    // Remembered as it is now: the next write is the statement alone again.
    const next = await roundTrips(() => service.as(bank.token).post('/api/v1/loans').send(loanBody()));
    expect(next.result.status).toBe(201);
    expect(next.trips).toEqual(['loan_create_one']);
  });
});
