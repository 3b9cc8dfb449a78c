/**
 * The HTTP shell and principals (docs/api.md "Conventions", "Who may do what").
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { startTestService, type TestService } from './support/app';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => service.close());

const count = async (table: string) => Number((await service.db.pool.query(`select count(*) from ${table}`)).rows[0].count);

describe('the service answers', () => {
  it('GET /healthz is 200 without a token', async () => {
    const response = await request(service.app).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('GET /openapi.json is an OpenAPI 3.1 document listing the routes and their schemas', async () => {
    const response = await request(service.app).get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const banks = response.body.paths['/api/v1/banks'].post;
    expect(banks.requestBody.content['application/json'].schema.required).toEqual(['code', 'name']);
    expect(response.body.paths['/api/v1/ledger/trial-balance'].get['x-roles']).toEqual(['staff', 'finance', 'auditor']);
  });
});

describe('authentication and roles', () => {
  it('no token is 401 problem+json', async () => {
    const response = await request(service.app).get('/api/v1/ledger/trial-balance');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('a wrong token is 401', async () => {
    const response = await service.as('ipl_not_a_real_token').get('/api/v1/me');
    expect(response.status).toBe(401);
  });

  it('a wrong role is 403 and writes nothing', async () => {
    const auditor = await service.principal('auditor');
    const before = await count('bank');
    const response = await service.as(auditor.token).post('/api/v1/banks').send({ code: 'NOPE', name: 'x' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
    expect(await count('bank')).toBe(before);
  });

  it('staff create principals of every role; the token works once shown and stops working when revoked', async () => {
    const staff = service.as(service.staffToken);
    const bank = await staff.post('/api/v1/banks').send({ code: 'CCB-YZ', name: '建设银行袁州支行' });
    expect(bank.status).toBe(201);
    const created = await staff.post('/api/v1/principals').send({ name: 'CCB system', role: 'bank', bankId: bank.body.id });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'bank', bankId: bank.body.id });
    expect(created.body.token).toMatch(/^ipl_/);
    // Stored only as a hash: the token itself is nowhere in the database.
    const stored = await service.db.pool.query(`select token_hash from principal where id = $1`, [created.body.id]);
    expect(stored.rows[0].token_hash.toString('hex')).not.toContain(Buffer.from(created.body.token).toString('hex'));
    const me = await service.as(created.body.token).get('/api/v1/me');
    expect(me.body).toMatchObject({ id: created.body.id, role: 'bank', bankId: bank.body.id });
    const revoked = await staff.delete(`/api/v1/principals/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect((await service.as(created.body.token).get('/api/v1/me')).status).toBe(401);
  });

  it('a finance principal is bound to a funding body, a bank principal to a bank', async () => {
    const staff = service.as(service.staffToken);
    const finance = await staff.post('/api/v1/principals').send({ name: 'District finance', role: 'finance', body: 'district' });
    expect(finance.status).toBe(201);
    expect(finance.body.body).toBe('district');
    const noBank = await staff.post('/api/v1/principals').send({ name: 'x', role: 'bank' });
    expect(noBank.status).toBe(422);
    expect(noBank.body.errors).toEqual([{ path: 'bankId', message: 'required when role is "bank"' }]);
    const noBody = await staff.post('/api/v1/principals').send({ name: 'x', role: 'finance' });
    expect(noBody.status).toBe(422);
    expect(noBody.body.errors[0].path).toBe('body');
    const unknownBody = await staff.post('/api/v1/principals').send({ name: 'x', role: 'finance', body: 'township' });
    expect(unknownBody.status).toBe(422);
    expect(unknownBody.body.errors[0].path).toBe('body');
  });
});

describe('bad input', () => {
  it('names every bad field, is 422 and writes nothing', async () => {
    const before = await count('bank');
    const response = await service.as(service.staffToken).post('/api/v1/banks').send({ code: 'has space', name: '' });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['code', 'name']);
    expect(await count('bank')).toBe(before);
  });

  it('malformed JSON is 400 problem+json', async () => {
    const response = await service
      .as(service.staffToken)
      .post('/api/v1/banks')
      .set('Content-Type', 'application/json')
      .send('{"code": ');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('malformed_body');
  });

  it('a bad query parameter is 422 naming it', async () => {
    const response = await service.as(service.staffToken).get('/api/v1/ledger/trial-balance?asOf=2024-02-30');
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ path: 'asOf', message: 'must be a date YYYY-MM-DD' }]);
  });

  it('an unknown route under /api is a 404 problem', async () => {
    const response = await service.as(service.staffToken).get('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
  });
});

describe('Idempotency-Key', () => {
  it('a retry returns the first answer and writes nothing; another body under the key is 409', async () => {
    const staff = service.as(service.staffToken);
    const first = await staff.post('/api/v1/banks').set('Idempotency-Key', 'bank-abc-1').send({ code: 'ABC1', name: '农业银行' });
    const again = await staff.post('/api/v1/banks').set('Idempotency-Key', 'bank-abc-1').send({ code: 'ABC1', name: '农业银行' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(Number((await service.db.pool.query(`select count(*) from bank where code = 'ABC1'`)).rows[0].count)).toBe(1);
    const other = await staff.post('/api/v1/banks').set('Idempotency-Key', 'bank-abc-1').send({ code: 'ABC2', name: '农业银行' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
  });

  it('a retry with the same fields in another order replays; a key stored before fields were put in order still replays', async () => {
    const staff = service.as(service.staffToken);
    const first = await staff.post('/api/v1/banks').set('Idempotency-Key', 'bank-icbc-1').send({ name: '工商银行', code: 'ICBC1' });
    const again = await staff.post('/api/v1/banks').set('Idempotency-Key', 'bank-icbc-1').send({ code: 'ICBC1', name: '工商银行' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count(`bank where code = 'ICBC1'`)).toBe(1);

    // A key stored by the service before: its hash is of the JSON in the order it came, not in key order.
    const body = { name: '建设银行', code: 'CCB1' };
    const stored = await staff.post('/api/v1/banks').set('Idempotency-Key', 'bank-ccb-1').send(body);
    expect(stored.status).toBe(201);
    const before = createHash('sha256').update(`POST /api/v1/banks\n`).update(JSON.stringify(body)).digest('hex');
    const owner = await service.db.rawClient('owner');
    try {
      const record = await owner.query(`select request_hash from idempotency_record where key = 'bank-ccb-1'`);
      expect(record.rows[0].request_hash).not.toBe(before);
      await owner.query(`update idempotency_record set request_hash = $1 where key = 'bank-ccb-1'`, [before]);
    } finally {
      await owner.end();
    }
    const retried = await staff.post('/api/v1/banks').set('Idempotency-Key', 'bank-ccb-1').send(body);
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body).toEqual(stored.body);
    expect((await staff.post('/api/v1/banks').set('Idempotency-Key', 'bank-ccb-1').send({ ...body, code: 'CCB2' })).status).toBe(409);
  });

  it('concurrent requests with one key write once and all get the same answer', async () => {
    const staff = service.as(service.staffToken);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => staff.post('/api/v1/banks').set('Idempotency-Key', 'bank-boc-1').send({ code: 'BOC1', name: '中国银行' })),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(Number((await service.db.pool.query(`select count(*) from bank where code = 'BOC1'`)).rows[0].count)).toBe(1);
  });
});

describe('the audit log', () => {
  it('attributes every request, writes and reads and refusals, to its principal; it cannot be edited', async () => {
    const auditor = await service.principal('auditor', { name: 'Audit office' });
    await service.as(auditor.token).get('/api/v1/ledger/trial-balance');
    await service.as(auditor.token).post('/api/v1/banks').send({ code: 'X', name: 'x' }); // 403
    await new Promise((resolve) => setTimeout(resolve, 100)); // reads are recorded just after the answer
    const log = await service.as(service.staffToken).get(`/api/v1/audit-log?principalId=${auditor.id}`);
    expect(log.status).toBe(200);
    expect(log.body.items.map((i: { method: string; status: number }) => [i.method, i.status])).toEqual([
      ['POST', 403],
      ['GET', 200],
    ]);
    expect(log.body.items[0].principalName).toBe('Audit office');
    // The service's own role has no privilege to (42501); the owner of the table is refused by its trigger (LG002).
    await expect(service.db.pool.query(`update audit_log set status = 200`)).rejects.toMatchObject({ code: '42501' });
    await expect(service.db.pool.query(`delete from audit_log`)).rejects.toMatchObject({ code: '42501' });
    const owner = await service.db.rawClient('owner');
    await expect(owner.query(`update audit_log set status = 200`)).rejects.toMatchObject({ code: 'LG002' });
    await expect(owner.query(`delete from audit_log`)).rejects.toMatchObject({ code: 'LG002' });
  });
});
