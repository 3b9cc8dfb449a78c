/**
 * Operations: `GET /metrics` (Prometheus text format, who may read it), request ids in every log line of a request,
 * and the 503 a request gets once shutdown has begun (README "Metrics", "Logs", "Stopping"; docs/operations.md).
 */
import { Writable } from 'node:stream';
import type express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../src/http/app';
import { beginShutdown } from '../src/http/shutdown';
import { ensureBootstrapPrincipal } from '../src/principals';
import { loanBody, registerEnterprises } from './loans.support';
import { startTestService, type TestService } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/database';

const STAFF_TOKEN = 'ipl_test_bootstrap_staff_token_0123456789';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample of a Prometheus text exposition, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics without METRICS_TOKEN: loopback only', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
    await registerEnterprises(service);
  });
  afterAll(() => service.close());

  it('answers a direct local client in Prometheus text format, counting requests per route template, not per URL', async () => {
    const staff = service.as(service.staffToken);
    const bank = await service.bank();
    const bankAgent = service.as(bank.token);
    const first = await bankAgent.post('/api/v1/loans').send(loanBody());
    const second = await bankAgent.post('/api/v1/loans').send(loanBody());
    expect([first.status, second.status]).toEqual([201, 201]);
    // Two different loans read by id: one series for the template /api/v1/loans/{id}, with count 2.
    expect((await staff.get(`/api/v1/loans/${first.body.id}`)).status).toBe(200);
    expect((await staff.get(`/api/v1/loans/${second.body.id}`)).status).toBe(200);
    expect((await staff.get('/api/v1/loans/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await staff.get('/api/v1/no-such-thing')).status).toBe(404);
    expect((await request(service.app).post('/api/v1/loans:batch').send([])).status).toBe(401);

    // The audit rows of reads and refusals are written after the answer: let them finish, so the pool is at rest.
    const pool = service.db.pool;
    for (let waited = 0; pool.idleCount !== pool.totalCount && waited < 2_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    const response = await request(service.app).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.text;
    expect(sample(text, 'http_requests_total', { method: 'POST', route: '/api/v1/loans', status: '201' })).toBe(2);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/api/v1/loans/{id}', status: '200' })).toBe(2);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/api/v1/loans/{id}', status: '404' })).toBe(1);
    // A literal ':' in a path stays a ':'; an unknown path is "(no route)", never its URL.
    expect(sample(text, 'http_requests_total', { method: 'POST', route: '/api/v1/loans:batch', status: '401' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '(no route)', status: '404' })).toBe(1);
    expect(text).not.toContain(first.body.id);
    // The latency histogram: one observation per request, so its _count equals the counter.
    expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/loans/{id}', status: '200' })).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_bucket', { method: 'GET', route: '/api/v1/loans/{id}', status: '200', le: '+Inf' })).toBe(2);

    // The pool: test/support/database.ts makes it with max 20 connections (POOL_MAX_CONNECTIONS); at rest none is
    // waiting and every open one is idle.
    expect(sample(text, 'db_pool_max_connections')).toBe(20);
    expect(sample(text, 'db_pool_connections', { state: 'waiting' })).toBe(0);
    const total = sample(text, 'db_pool_connections', { state: 'total' })!;
    expect(total).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'db_pool_connections', { state: 'idle' })).toBe(total);
    // Node's own process metrics come with it (prom-client's defaults).
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('counts ledger postings: a loan posts its facility entry, a disbursement one more, a replayed event none', async () => {
    const bank = await service.bank();
    const bankAgent = service.as(bank.token);
    const read = async () => {
      const text = (await request(service.app).get('/metrics')).text;
      return {
        new: sample(text, 'ledger_entries_posted_total', { outcome: 'new' }) ?? 0,
        lines: sample(text, 'ledger_lines_posted_total') ?? 0,
      };
    };
    const before = await read();
    const loan = await bankAgent.post('/api/v1/loans').send(loanBody());
    expect(loan.status).toBe(201);
    const event = { type: 'disbursement', date: '2024-01-15', amount: '1000000.00' };
    const posted = await bankAgent.post(`/api/v1/loans/${loan.body.id}/events`).set('Idempotency-Key', 'metrics-disbursement').send(event);
    expect(posted.status).toBe(201);
    // The same request again is answered from the idempotency record: no posting at all.
    const replay = await bankAgent.post(`/api/v1/loans/${loan.body.id}/events`).set('Idempotency-Key', 'metrics-disbursement').send(event);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const after = await read();
    // Facility (D undrawn / C bank facilities) + disbursement (D outstanding / C undrawn): 2 entries of 2 lines each.
    expect(after.new - before.new).toBe(2);
    expect(after.lines - before.lines).toBe(4);
  });

  it('times subsidy runs: one observation per computed run, by outcome', async () => {
    const staff = service.as(service.staffToken);
    const count = async (outcome: string) =>
      sample((await request(service.app).get('/metrics')).text, 'subsidy_run_duration_seconds_count', { operation: 'create', outcome }) ?? 0;
    const [okBefore, errorBefore] = [await count('ok'), await count('error')];
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(run.status).toBe(201);
    // A year before the policy's rates exist is refused by the computation (422): timed as an error.
    const refused = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2000 });
    expect(refused.status).toBe(422);
    expect([await count('ok'), await count('error')]).toEqual([okBefore + 1, errorBefore + 1]);
  });

  it('refuses a request a proxy forwarded, and one from another machine', async () => {
    const forwarded = await request(service.app).get('/metrics').set('X-Forwarded-For', '203.0.113.7');
    expect(forwarded.status).toBe(403);
    expect(forwarded.body).toMatchObject({ code: 'forbidden' });
    const viaForwarded = await request(service.app).get('/metrics').set('Forwarded', 'for=203.0.113.7');
    expect(viaForwarded.status).toBe(403);
  });
});

describe('GET /metrics with METRICS_TOKEN, request ids in the logs, and shutdown', () => {
  let db: TestDatabase;
  let app: express.Express;
  const logLines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    await ensureBootstrapPrincipal(db.pool, STAFF_TOKEN);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
        done();
      },
    });
    app = createApp({ pool: db.pool, logger: pino({ level: 'debug' }, sink), metricsToken: METRICS_TOKEN });
  });
  afterAll(() => db.drop());

  it('needs the token, even from this machine; the staff token is not it', async () => {
    expect((await request(app).get('/metrics')).status).toBe(401);
    expect((await request(app).get('/metrics').set('Authorization', `Bearer ${STAFF_TOKEN}`)).status).toBe(401);
    const ok = await request(app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).set('X-Forwarded-For', '203.0.113.7');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# TYPE http_requests_total counter');
  });

  it('puts the request id on every log line written while a request is handled', async () => {
    logLines.length = 0;
    const ok = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${STAFF_TOKEN}`).set('X-Request-Id', 'ops-test-1');
    expect(ok.status).toBe(200);
    const refused = await request(app).get('/api/v1/ledger/trial-balance').set('X-Request-Id', 'ops-test-2');
    expect(refused.status).toBe(401);
    // Let the after-response audit writes finish (they log only on failure).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const requestLines = logLines.filter((line) => line.msg === 'request');
    // The request id is the service's own (the X-Request-Id it answers with); the client's is kept beside it.
    expect(requestLines.map((line) => [line.requestId, line.clientRequestId, line.status])).toEqual([
      [ok.headers['x-request-id'], 'ops-test-1', 200],
      [refused.headers['x-request-id'], 'ops-test-2', 401],
    ]);
    // No line of these requests lacks its id.
    expect(logLines.filter((line) => typeof line.requestId !== 'string')).toEqual([]);
  });

  it('once shutdown has begun, answers 503 with Connection: close and counts it', async () => {
    beginShutdown(app);
    const refused = await request(app).get('/healthz');
    expect(refused.status).toBe(503);
    expect(refused.headers.connection).toBe('close');
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toMatchObject({ status: 503, code: 'shutting_down' });
    const metrics = await request(app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    // /metrics is refused too: a scrape during shutdown would read a pool being closed.
    expect(metrics.status).toBe(503);
    app.locals.shuttingDown = false;
    const text = (await request(app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).text;
    // Refused before any route matched: counted under "(shutting down)", both of them.
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '(shutting down)', status: '503' })).toBe(2);
  });
});
