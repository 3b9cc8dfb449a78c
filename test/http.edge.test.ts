/**
 * The HTTP edge against an anonymous or careless client: bodies read only after authentication and within limits,
 * media types, failed authentication limited and kept out of the audit table, secrets never stored for replay,
 * security headers, server request ids, forged cursors, plausible dates on a fixed clock, unknown fields and
 * unstorable text refused, start-up settings.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { PURGE_REPLAYED_TOKENS_SQL } from '../migrations/Migration20261203000200ReplaysWithoutTokens';
import { BOOTSTRAP_TOKEN_CHARACTERS_MIN, readConfig } from '../src/config';
import { fixClock } from '../src/dates';
import { createApp } from '../src/http/app';
import { FailedAuthLimiter } from '../src/http/auth-limit';
import { BODY_LIMIT_BYTES, MAX_JSON_DEPTH } from '../src/http/body';
import { API_CONTENT_SECURITY_POLICY } from '../src/http/headers';
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, listen, REQUEST_TIMEOUT_MS } from '../src/http/listen';
import { AUDIT_PATH_CHARACTERS_MAX } from '../src/http/route';
import { ensureBootstrapPrincipal } from '../src/principals';
import { yuanzhou2023 } from '../src/subsidy/policies';
import { writeTokenFile } from '../src/principals/token-file';
import { loanBody, PATENT, USCC } from './loans.support';
import { startTestService, type TestService } from './support/app';
import { createTestDatabase } from './support/database';

let service: TestService;
let bank: { bankId: string; token: string; principalId: string };
beforeAll(async () => {
  service = await startTestService();
  bank = await service.bank();
  const staff = service.as(service.staffToken);
  expect((await staff.post('/api/v1/enterprises').send({ uscc: USCC.yuanzhou, name: '袁州边界测试企业' })).status).toBe(201);
});
afterAll(() => service.close());
afterEach(() => fixClock(undefined));

const count = async (table: string, where = 'true', params: unknown[] = []) =>
  Number((await service.db.pool.query(`select count(*) from ${table} where ${where}`, params)).rows[0].count);

/** A server of its own for raw sockets: the app of this file on 127.0.0.1 and a random port. */
async function serve(app = service.app): Promise<{ port: number; close: () => Promise<void> }> {
  const { server, address } = await listen(app, { host: '127.0.0.1', port: 0 });
  return {
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Declares a body of `declaredBytes`, sends only `sentBytes` of it, and resolves with the answer that comes while
 * the rest was never sent: proof the service answered without reading (let alone parsing) the body.
 */
function answerBeforeBody(port: number, pathName: string, headers: Record<string, string>, declaredBytes: number, sentBytes: number) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: pathName, headers: { ...headers, 'content-length': String(declaredBytes) } });
    req.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => {
        req.destroy();
        resolve({ status: response.statusCode!, body: JSON.parse(text) as Record<string, unknown> });
      });
    });
    // A reset after the answer is the service closing the connection (expected); one before it fails the test below.
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? setTimeout(() => resolve({ status: 0, body: {} }), 100) : reject(error)));
    req.write(Buffer.alloc(sentBytes, '['));
  });
}

const MB = 1024 * 1024;

describe('bodies: read after authentication, within a limit per route', () => {
  it('a 31 MB body without a token (broken JSON: "[[[…") is answered 401 after 1 MB of it was sent: never read, never parsed', async () => {
    const server = await serve();
    try {
      const answer = await answerBeforeBody(server.port, '/api/v1/loans:batch', { 'content-type': 'application/json' }, 31 * MB, MB);
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('unauthenticated');
    } finally {
      await server.close();
    }
  });

  it('a 31 MB body with a token, to a route that takes 100 kB, is 413 on its Content-Length alone', async () => {
    const server = await serve();
    try {
      const answer = await answerBeforeBody(
        server.port,
        '/api/v1/loans',
        { 'content-type': 'application/json', authorization: `Bearer ${bank.token}` },
        31 * MB,
        MB,
      );
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ code: 'body_too_large', limitBytes: BODY_LIMIT_BYTES });
    } finally {
      await server.close();
    }
  });

  it('takes exactly BODY_LIMIT_BYTES (102,400) and refuses one byte more', async () => {
    const staff = service.as(service.staffToken);
    const shell = JSON.stringify({ code: 'LIMIT', name: '' });
    const atLimit = JSON.stringify({ code: 'LIMIT', name: 'x'.repeat(BODY_LIMIT_BYTES - shell.length) });
    expect(Buffer.byteLength(atLimit)).toBe(102_400);
    const read = await staff.post('/api/v1/banks').set('content-type', 'application/json').send(atLimit);
    // Read and validated: the name is too long for a bank (200 characters), which is a 422, not a 413.
    expect(read.status).toBe(422);
    expect(read.body.errors).toEqual([{ path: 'name', message: expect.stringContaining('200') }]);
    const over = await staff.post('/api/v1/banks').set('content-type', 'application/json').send(`${atLimit} `);
    expect(over.status).toBe(413);
  });

  it('the two :batch routes take more than 100 kB: 500 loans (about 123 kB) are recorded', async () => {
    const loans = Array.from({ length: 500 }, (_, index) => loanBody({ contractNo: `BIG-${index}` }));
    expect(Buffer.byteLength(JSON.stringify(loans))).toBeGreaterThan(BODY_LIMIT_BYTES);
    const response = await service.as(bank.token).post('/api/v1/loans:batch').send(loans);
    expect(response.status).toBe(201);
    expect(response.body.count).toBe(500);
  });

  it(`JSON nested ${MAX_JSON_DEPTH} levels deep is read; ${MAX_JSON_DEPTH + 1} levels is 400, as are 5,000 (with an Idempotency-Key)`, async () => {
    const staff = service.as(service.staffToken);
    // The object is level 1; `deep` holds n arrays, levels 2 .. n + 1.
    const nested = (arrays: number) => `{"code":"DEEP","name":"深","deep":${'['.repeat(arrays)}${']'.repeat(arrays)}}`;
    const atMax = await staff.post('/api/v1/banks').set('content-type', 'application/json').send(nested(MAX_JSON_DEPTH - 1));
    expect(atMax.status).toBe(422);
    expect(atMax.body.errors).toEqual([{ path: 'deep', message: 'unknown field: not part of this operation' }]);
    const over = await staff.post('/api/v1/banks').set('content-type', 'application/json').send(nested(MAX_JSON_DEPTH));
    expect(over.status).toBe(400);
    expect(over.body.code).toBe('malformed_body');
    const deep = await staff
      .post('/api/v1/banks')
      .set('content-type', 'application/json')
      .set('Idempotency-Key', 'deep-1')
      .send(`${'['.repeat(5_000)}${']'.repeat(5_000)}`);
    expect(deep.status).toBe(400);
    expect(await count('idempotency_record', `key = 'deep-1'`)).toBe(0);
  });

  it('a JSON route sent a form, XML or multipart body is 415; recompute too, whose body is optional', async () => {
    const staff = service.as(service.staffToken);
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(run.status).toBe(201);
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'budget=1'],
      ['application/xml', '<recompute/>'],
      ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n'],
    ]) {
      const response = await staff.post(`/api/v1/subsidy-runs/${run.body.id}/recompute`).set('content-type', type!).send(body);
      expect(response.status).toBe(415);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'unsupported_media_type', accepted: ['application/json'] });
    }
    // Without a body at all it recomputes, as before.
    expect((await staff.post(`/api/v1/subsidy-runs/${run.body.id}/recompute`)).status).toBe(200);
  });
});

describe('text/csv only where declared', () => {
  it('every operation that does not declare text/csv answers 415 to it; the two batch routes take it', async () => {
    const document = (await request(service.app).get('/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-roles': string[]; requestBody?: { content: Record<string, unknown> } }>>;
    };
    const tokens: Record<string, string> = {
      staff: service.staffToken,
      bank: bank.token,
      finance: (await service.principal('finance')).token,
      auditor: (await service.principal('auditor')).token,
    };
    const declaring: string[] = [];
    let refused = 0;
    for (const [route, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (!operation['x-roles']) continue;
        const url = route.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
        if (operation.requestBody?.content['text/csv']) {
          declaring.push(`${method.toUpperCase()} ${route}`);
          continue;
        }
        const agent = request(service.app)[method as 'get' | 'post' | 'delete'];
        const response = await agent(url)
          .set('Authorization', `Bearer ${tokens[operation['x-roles'][0]!]}`)
          .set('content-type', 'text/csv')
          .send('to,date\r\nreviewed,2024-01-01\r\n');
        expect({ route: `${method} ${route}`, status: response.status }).toEqual({ route: `${method} ${route}`, status: 415 });
        refused += 1;
      }
    }
    // The two batch routes and the service centre's imports (src/http/routes/imports.ts), which take XLSX too.
    expect(declaring.sort()).toEqual([
      'POST /api/v1/imports/contributions',
      'POST /api/v1/imports/exclusions',
      'POST /api/v1/imports/fees',
      'POST /api/v1/imports/other-support',
      'POST /api/v1/imports/premiums',
      'POST /api/v1/imports/rates',
      'POST /api/v1/loan-events:batch',
      'POST /api/v1/loans:batch',
    ]);
    expect(refused).toBeGreaterThan(50);
  });

  it('a run transition sent as CSV is 415 and writes no audit row of an unknown step', async () => {
    const staff = service.as(service.staffToken);
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    const response = await staff.post(`/api/v1/subsidy-runs/${run.body.id}/transitions`).set('content-type', 'text/csv').send('to\r\nreviewed\r\n');
    expect(response.status).toBe(415);
    expect(await count('audit_log', `detail ->> 'runId' = $1 and action <> 'subsidy_run.created'`, [run.body.id])).toBe(0);
    expect((await staff.get(`/api/v1/subsidy-runs/${run.body.id}`)).body.status).toBe('draft');
  });

  it('CSV text sent as a JSON string is JSON: the batch refuses it as not an array, a transition as not an object', async () => {
    const csv = `contractNo,enterpriseUscc\r\nJ-1,${USCC.yuanzhou}\r\n`;
    const batch = await service.as(bank.token).post('/api/v1/loans:batch').set('content-type', 'application/json').send(JSON.stringify(csv));
    expect(batch.status).toBe(422);
    expect(batch.body.errors).toEqual([{ path: '(body)', message: expect.stringContaining('array') }]);
    const staff = service.as(service.staffToken);
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    const transition = await staff.post(`/api/v1/subsidy-runs/${run.body.id}/transitions`).set('content-type', 'application/json').send('"reviewed"');
    expect(transition.status).toBe(422);
  });

  it('the loans batch still takes CSV, and a NUL in a cell is refused naming its row and field', async () => {
    const csv = [
      'contractNo,enterpriseUscc,principal,annualRate,startDate,maturityDate,collateral,pledges',
      `CSV-1,${USCC.yuanzhou},1000.00,0.0435,2024-01-15,2025-01-15,ip_only,patent:${PATENT.invention}`,
      `CSV\u00002,${USCC.yuanzhou},1000.00,0.0435,2024-01-15,2025-01-15,ip_only,patent:${PATENT.invention}`,
    ].join('\r\n');
    const response = await service.as(bank.token).post('/api/v1/loans:batch').set('content-type', 'text/csv').send(csv);
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ row: 2, path: 'contractNo', message: 'contains a NUL character (U+0000), which is not text' }),
    ]);
  });
});

describe('input: storable text, no unknown field at any depth, plausible dates', () => {
  it('NUL, an unpaired surrogate and a control character are refused in any text field, naming it', async () => {
    const staff = service.as(service.staffToken);
    const nul = await staff.post('/api/v1/banks').send({ code: 'NUL', name: '银行\u0000' });
    expect(nul.status).toBe(422);
    expect(nul.body.errors).toEqual([{ path: 'name', message: 'contains a NUL character (U+0000), which is not text' }]);
    const surrogate = await service.as(bank.token).post('/api/v1/loans').send(loanBody({ contractNo: 'A\uD800' }));
    expect(surrogate.body.errors).toEqual([{ path: 'contractNo', message: 'contains an unpaired surrogate (U+D800): not valid Unicode text' }]);
    const bell = await staff.post('/api/v1/whitelist').send({ enterpriseUscc: USCC.yuanzhou, reason: '理由\u0007', validFrom: '2024-01-01', validTo: '2024-12-31' });
    expect(bell.body.errors).toEqual([{ path: 'reason', message: 'contains the control character U+0007' }]);
  });

  it('an identifier takes no tab, line break or invisible formatting character; free text keeps its line breaks', async () => {
    const loans = service.as(bank.token);
    for (const contractNo of ['A\tB', 'A\nB', 'A\u200BB', 'A\u202EB']) {
      const response = await loans.post('/api/v1/loans').send(loanBody({ contractNo }));
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([{ path: 'contractNo', message: 'must not contain control characters or invisible formatting characters' }]);
    }
    const staff = service.as(service.staffToken);
    const reason = await staff.post('/api/v1/whitelist').send({ enterpriseUscc: USCC.yuanzhou, reason: '第一行\n第二行', validFrom: '2024-01-01', validTo: '2024-12-31' });
    expect(reason.status).toBe(201);
  });

  it('an unknown field is refused at every depth, in the body and in the query', async () => {
    const nested = await service.as(bank.token).post('/api/v1/loans').send(loanBody({ pledges: [{ rightType: 'patent', number: PATENT.invention, securedAmountt: '1.00' }] }));
    expect(nested.status).toBe(422);
    expect(nested.body.errors).toEqual([{ path: 'pledges.0.securedAmountt', message: 'unknown field: not part of this operation' }]);
    const top = await service.as(service.staffToken).post('/api/v1/banks').send({ code: 'X1', name: '某行', nmae: '某行' });
    expect(top.body.errors).toEqual([{ path: 'nmae', message: 'unknown field: not part of this operation' }]);
    const query = await service.as(service.staffToken).get('/api/v1/loans?staus=active');
    expect(query.status).toBe(422);
    expect(query.body.errors).toEqual([{ path: 'staus', message: 'unknown field: not part of this operation' }]);
  });

  it('POST /api/v1/rates with a rate that is not a decimal is 422 naming rate', async () => {
    const staff = service.as(service.staffToken);
    for (const rate of ['', 'abc', '1'.repeat(100_000), '0.0345 ', '-0.01']) {
      const response = await staff.post('/api/v1/rates').send({ index: 'LPR1Y', effectiveDate: '2024-01-22', rate });
      expect(response.status).toBe(422);
      expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(['rate']);
    }
  });

  it('dates: 1990-01-01 to 2100-12-31 are plausible, the day before and after are not', async () => {
    const staff = service.as(service.staffToken);
    const rate = (effectiveDate: string) => staff.post('/api/v1/rates').send({ index: 'PBOC_GT5Y', effectiveDate, rate: '0.049' });
    expect((await rate('1990-01-01')).status).toBe(201);
    expect((await rate('2100-12-31')).status).toBe(201);
    for (const date of ['1989-12-31', '2101-01-01', '0224-03-15']) {
      const response = await rate(date);
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([{ path: 'effectiveDate', message: 'must be between 1990-01-01 and 2100-12-31' }]);
    }
    const query = await staff.get('/api/v1/ledger/trial-balance?asOf=1989-12-31');
    expect(query.status).toBe(422);
    // A policy's period too: its record's own schema, and the same range.
    const policy = await staff.post('/api/v1/policies').send({ ...yuanzhou2023, version: 50, effectiveFrom: '0202-01-01' });
    expect(policy.status).toBe(422);
    expect(policy.body.errors).toEqual([{ path: 'effectiveFrom', message: 'must be between 1990-01-01 and 2100-12-31' }]);
  });

  it('on a clock fixed at 2025-01-15 12:00 China time, an event of 2025-01-15 is taken and one of 2025-01-16 is not', async () => {
    fixClock(new Date('2025-01-15T04:00:00Z'));
    const loans = service.as(bank.token);
    const loan = await loans.post('/api/v1/loans').send(loanBody({ contractNo: 'CLOCK-1', startDate: '2024-12-01', maturityDate: '2025-12-01' }));
    expect(loan.status).toBe(201);
    const tomorrow = await loans.post(`/api/v1/loans/${loan.body.id}/events`).send({ type: 'disbursement', date: '2025-01-16', amount: '100.00' });
    expect(tomorrow.status).toBe(422);
    expect(tomorrow.body.errors).toEqual([{ path: 'date', message: 'must not be in the future (today in China is 2025-01-15)' }]);
    const today = await loans.post(`/api/v1/loans/${loan.body.id}/events`).send({ type: 'disbursement', date: '2025-01-15', amount: '100.00' });
    expect(today.status).toBe(201);
    // A premium paid tomorrow is refused the same way; one paid today is recorded.
    const staff = service.as(service.staffToken);
    const premium = (paidOn: string) => staff.post(`/api/v1/enterprises/${USCC.yuanzhou}/premiums`).send({ amount: '10.00', paidOn });
    expect((await premium('2025-01-16')).body.errors).toEqual([{ path: 'paidOn', message: 'must not be in the future (today in China is 2025-01-15)' }]);
    expect((await premium('2025-01-15')).status).toBe(201);
  });
});

describe('failed authentication: limited per address, logged, never audited', () => {
  function capture() {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    return { lines, logger };
  }

  it('30 failures a minute from one address, then 429 without looking the token up, until the window ends', async () => {
    let nowMs = Date.parse('2026-01-01T00:00:00Z');
    const { lines, logger } = capture();
    const app = createApp({ pool: service.db.pool, logger, authLimiter: new FailedAuthLimiter(30, 60_000, 10_000, () => nowMs) });
    const auditBefore = await count('audit_log');
    for (let attempt = 1; attempt <= 30; attempt += 1) {
      const response = await request(app).get('/api/v1/me').set('Authorization', `Bearer ipl_guess_${attempt}`);
      expect(response.status).toBe(401);
    }
    const blocked = await request(app).get('/api/v1/me').set('Authorization', 'Bearer ipl_guess_31');
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    expect(blocked.body).toMatchObject({ code: 'too_many_requests', retryAfterSeconds: 60 });
    // While the address is refused, a valid token from it waits too (its lookup is what the limit saves).
    expect((await request(app).get('/api/v1/me').set('Authorization', `Bearer ${service.staffToken}`)).status).toBe(429);
    nowMs += 60_000;
    expect((await request(app).get('/api/v1/me').set('Authorization', `Bearer ${service.staffToken}`)).status).toBe(200);
    // Not one audit row for the 30 failures and the refusals (the last, successful read is audited after its answer).
    await waitUntil(async () => (await count('audit_log')) > auditBefore);
    expect(await count('audit_log')).toBe(auditBefore + 1);
    const failures = lines.filter((line) => line.msg === 'authentication failed');
    expect(failures).toHaveLength(30);
    expect(failures[0]).toMatchObject({ clientAddress: expect.stringMatching(/127\.0\.0\.1/), tokenSent: true, path: '/api/v1/me' });
    expect(JSON.stringify(lines)).not.toContain('ipl_guess_');
    expect(lines.filter((line) => String(line.msg).startsWith('failed authentication limit reached'))).toHaveLength(1);
  });

  it('requests without a token, to real or unknown paths, leave no audit row', async () => {
    const before = await count('audit_log');
    expect((await request(service.app).get('/api/v1/loans')).status).toBe(401);
    expect((await request(service.app).get('/api/v1/no-such-thing')).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await count('audit_log')).toBe(before);
  });

  it(`an audited path is cut at ${AUDIT_PATH_CHARACTERS_MAX} characters; the database refuses a longer one`, async () => {
    const staff = service.as(service.staffToken);
    const response = await staff.get(`/api/v1/audit-log?action=${'a'.repeat(150)}&${'x'.repeat(14_000)}=1`);
    expect(response.status).toBe(422);
    await auditRowOf(response.headers['x-request-id'] as string);
    const stored = await service.db.pool.query<{ path: string }>(`select path from audit_log where request_id = $1`, [response.headers['x-request-id']]);
    expect(stored.rows[0]!.path).toHaveLength(AUDIT_PATH_CHARACTERS_MAX);
    expect(stored.rows[0]!.path.endsWith('…')).toBe(true);
    const raw = await service.db.rawClient();
    await expect(raw.query(`insert into audit_log (action, path) values ('test', repeat('p', 1001))`)).rejects.toMatchObject({
      constraint: 'audit_log_path_length',
    });
  });
});

describe('secrets are never stored for replay', () => {
  it('principals made every way: no table holds any of their tokens; a replay says the token cannot be shown again', async () => {
    const staff = service.as(service.staffToken);
    const tokens: string[] = [service.staffToken];
    const plain = await staff.post('/api/v1/principals').send({ name: '审计员', role: 'auditor' });
    tokens.push(plain.body.token);
    // As the console does: with an Idempotency-Key; then the same request again.
    const first = await staff.post('/api/v1/principals').set('Idempotency-Key', 'console-form-1').send({ name: '财政', role: 'finance', body: 'city' });
    expect(first.status).toBe(201);
    expect(first.body.token).toMatch(/^ipl_/);
    tokens.push(first.body.token);
    const replay = await staff.post('/api/v1/principals').set('Idempotency-Key', 'console-form-1').send({ name: '财政', role: 'finance', body: 'city' });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toMatchObject({ id: first.body.id, token: null, tokenNotice: expect.stringContaining('cannot be shown again') });
    // The first staff principal, generated at start-up on an empty database.
    const empty = await createTestDatabase();
    try {
      const generated = (await ensureBootstrapPrincipal(empty.pool, undefined))!;
      expect(generated).toMatch(/^ipl_/);
      expect(await tablesHolding(empty.pool, [generated])).toEqual([]);
    } finally {
      await empty.drop();
    }
    expect(await tablesHolding(service.db.pool, tokens)).toEqual([]);
  });

  it('the migration purges tokens already stored in replayable answers', async () => {
    const staff = (await service.db.pool.query<{ id: string }>(`select id from principal where role = 'staff' limit 1`)).rows[0]!.id;
    await service.db.pool.query(
      `insert into idempotency_record (principal_id, key, method, path, request_hash, status, response)
       values ($1, 'stored-before', 'POST', '/api/v1/principals', 'h', 201, $2)`,
      [staff, JSON.stringify({ id: 'p1', name: 'old', role: 'bank', token: 'ipl_stored_in_plain_text' })],
    );
    await service.db.pool.query(PURGE_REPLAYED_TOKENS_SQL);
    const row = await service.db.pool.query<{ response: Record<string, unknown> }>(`select response from idempotency_record where key = 'stored-before'`);
    expect(row.rows[0]!.response).toMatchObject({ id: 'p1', name: 'old', token: null, tokenNotice: expect.stringContaining('cannot be shown again') });
    expect(await tablesHolding(service.db.pool, ['ipl_stored_in_plain_text'])).toEqual([]);
  });
});

/** Every table (as text, row by row) that contains one of the texts. */
async function tablesHolding(pool: import('pg').Pool, texts: string[]): Promise<string[]> {
  const tables = await pool.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  const holding: string[] = [];
  for (const { name } of tables.rows) {
    for (const text of texts) {
      const hex = Buffer.from(text, 'utf8').toString('hex');
      const found = await pool.query(`select 1 from "${name}" t where t::text like '%' || $1 || '%' or t::text like '%' || $2 || '%' limit 1`, [text, hex]);
      if (found.rowCount) holding.push(`${name} holds ${text.slice(0, 12)}…`);
    }
  }
  return holding;
}

describe('headers and request ids', () => {
  it('the API answers with a CSP that allows nothing, nosniff, no framing, no referrer, and no-store', async () => {
    for (const url of ['/api/v1/me', '/healthz', '/openapi.json', '/api/v1/nothing-here']) {
      const response = await request(service.app).get(url).set('Authorization', `Bearer ${service.staffToken}`);
      expect(response.headers).toMatchObject({
        'content-security-policy': API_CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
    }
  });

  it('the request id is the service’s own; the client’s is kept beside it in the audit row and the log line', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const app = createApp({ pool: service.db.pool, logger });
    const response = await request(app).get('/api/v1/loans?limit=0').set('Authorization', `Bearer ${service.staffToken}`).set('X-Request-Id', 'auditor-7');
    expect(response.status).toBe(422);
    const requestId = response.headers['x-request-id'] as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body.requestId).toBe(requestId);
    await auditRowOf(requestId);
    const audit = await service.db.pool.query<{ request_id: string; detail: Record<string, unknown> }>(`select request_id, detail from audit_log where request_id = $1`, [requestId]);
    expect(audit.rows).toEqual([{ request_id: requestId, detail: { clientRequestId: 'auditor-7' } }]);
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({ requestId, clientRequestId: 'auditor-7', clientAddress: expect.stringMatching(/127\.0\.0\.1/), status: 422 });
  });

  it('a forged cursor is 422 on every list that pages, never 500', async () => {
    const document = (await request(service.app).get('/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-roles': string[]; parameters?: Array<{ name: string; in: string }> }>>;
    };
    const run = await service.as(service.staffToken).post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    const loan = await service.as(bank.token).post('/api/v1/loans').send(loanBody({ contractNo: 'CURSOR-1' }));
    const fund = await service.as(service.staffToken).post('/api/v1/funds').send({ code: 'CUR', name: '游标基金', shareOfLoss: '0.5', leverage: '10', claimAfterDaysOverdue: 90, bodies: ['city'] });
    const realId = (route: string) =>
      route.includes('{uscc}')
        ? (loan.body.enterpriseUscc as string)
        : route.includes('/areas/')
          ? 'yuanzhou'
          : route.includes('/loans/')
            ? loan.body.id
            : route.includes('/funds/')
              ? fund.body.id
              : run.body.id;
    const forged = [
      'not base64!',
      Buffer.from('null').toString('base64url'),
      Buffer.from('{"id":"x","date":"y","createdAt":"z"}').toString('base64url'),
      Buffer.from('["2024-01-01", "1; drop table loan"]').toString('base64url'),
      Buffer.from('[1e400, {}]').toString('base64url'),
      Buffer.from('{"sort":"startDate","value":"2024-13-45","id":"00000000-0000-4000-8000-000000000000"}').toString('base64url'),
    ];
    let lists = 0;
    for (const [route, methods] of Object.entries(document.paths)) {
      const operation = methods.get;
      if (!operation?.parameters?.some((parameter) => parameter.name === 'cursor')) continue;
      lists += 1;
      // A list with required filters of its own (a statement's period) is asked with them.
      const url = route.replace(/\{\w+\}/g, () => realId(route)) + (route.endsWith('/statement') ? '?from=2024-01-01&to=2024-12-31&' : '?');
      const token = operation['x-roles'].includes('staff') ? service.staffToken : bank.token;
      for (const cursor of forged) {
        const response = await request(service.app).get(`${url}cursor=${encodeURIComponent(cursor)}`).set('Authorization', `Bearer ${token}`);
        expect({ route, cursor, status: response.status }).toEqual({ route, cursor, status: 422 });
        expect(response.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
      }
    }
    expect(lists).toBeGreaterThanOrEqual(25);
  });
});

describe('start-up settings', () => {
  it(`a chosen BOOTSTRAP_TOKEN needs ${BOOTSTRAP_TOKEN_CHARACTERS_MIN} characters`, () => {
    expect(() => readConfig({ BOOTSTRAP_TOKEN: 'x'.repeat(31) })).toThrow('at least 32 characters');
    expect(readConfig({ BOOTSTRAP_TOKEN: 'x'.repeat(32) }).bootstrapToken).toBe('x'.repeat(32));
  });

  it('listens on 127.0.0.1 unless HOST says otherwise, with 30 s request and header timeouts and 65 s idle keep-alive', async () => {
    expect(readConfig({}).host).toBe('127.0.0.1');
    expect(readConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    const { server, address } = await listen(service.app, { host: readConfig({}).host, port: 0 });
    try {
      expect((address as AddressInfo).address).toBe('127.0.0.1');
      expect(server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
      expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
      expect(REQUEST_TIMEOUT_MS).toBe(30_000);
      expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
      expect(KEEP_ALIVE_TIMEOUT_MS).toBe(65_000);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the token file is 0600, new or not', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'token-file-'));
    try {
      const fresh = path.join(folder, 'new', 'bootstrap-token.txt');
      writeTokenFile(fresh, 'ipl_first');
      expect(fs.statSync(fresh).mode & 0o777).toBe(0o600);
      const existing = path.join(folder, 'existing.txt');
      fs.writeFileSync(existing, 'old\n', { mode: 0o644 });
      fs.chmodSync(existing, 0o644);
      writeTokenFile(existing, 'ipl_second');
      expect(fs.statSync(existing).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(existing, 'utf8')).toBe('ipl_second\n');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

/** Reads, refusals and replays are audited just after their answer: wait (bounded) for that row instead of guessing a delay. */
async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function auditRowOf(requestId: string): Promise<void> {
  await waitUntil(async () => (await service.db.pool.query(`select 1 from audit_log where request_id = $1`, [requestId])).rowCount! > 0);
}
