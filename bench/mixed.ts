/**
 * Mixed traffic at a fixed rate (README "Benchmark"): banks posting events, staff reading lists, finance reading the
 * split reconciliation, 200 requests/s for 60 s (`BENCH_MIXED_RATE`, `BENCH_MIXED_SECONDS`), then the same traffic with
 * the banks' events sent by 8 writers on four hot loans. Target for both: p99 < 50 ms. Then, beyond the target, a
 * saturation test: the traffic again with 8 more clients repaying four hot loans as fast as they are answered. Open loop: each request
 * is sent at its scheduled instant whether or not the ones before were answered, and its latency counts from that
 * instant, so a stall shows as the queue it causes. Baseline: a trivial express GET on the same schedule.
 *
 * The service runs in a process of its own (bench/mixed-server.ts: createApp on the bench database, the service's HTTP
 * limits), as in a deployment where the clients are elsewhere; the load comes from this process, over keep-alive
 * connections as a bank's system or a browser keeps them. The trivial baseline has its own server process too. On a
 * 2-core machine the client's work and PostgreSQL's still share the cores with the service.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { createPool } from '../src/db/pool';
import { registerEnterprise } from '../src/loans';
import { createBank, createPrincipal } from '../src/principals';
import type { BenchDatabase } from './support';

const RATE = Number(process.env.BENCH_MIXED_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 60);
const BASELINE_SECONDS = Math.min(SECONDS, 10);
const LOANS = 2_000;
const HOT_LOANS = 4;
const HOT_WRITERS = 8;
const TARGET_P99_MS = 50;
const ENTERPRISE = '91360902MA36R7KCX7';

interface Sample {
  kind: string;
  ms: number;
  ok: boolean;
}

/** Requests that got no answer at all, by cause (printed after the table). */
const failures = new Map<string, number>();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarise(label: string, samples: Sample[], seconds: number): string {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const errors = samples.filter((s) => !s.ok).length;
  return `| ${label} | ${samples.length} | ${(samples.length / seconds).toFixed(0)} | ${percentile(ms, 50).toFixed(1)} | ${percentile(ms, 99).toFixed(1)} | ${errors} |`;
}

/** Sends `request(i)` at start + i/rate for `seconds`; each latency from its scheduled instant. */
async function openLoop(seconds: number, request: (i: number) => Promise<{ kind: string; ok: boolean }>): Promise<Sample[]> {
  const total = Math.round(seconds * RATE);
  const samples: Sample[] = [];
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    const scheduled = start + (i * 1000) / RATE;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      request(i).then(
        (result) => {
          samples.push({ kind: result.kind, ms: performance.now() - scheduled, ok: result.ok });
        },
        (error: unknown) => {
          failures.set(String((error as Error).cause ?? error), (failures.get(String((error as Error).cause ?? error)) ?? 0) + 1);
          samples.push({ kind: 'failed', ms: performance.now() - scheduled, ok: false });
        },
      ),
    );
  }
  await Promise.all(pending);
  return samples;
}

/** A server process (bench/mixed-server.ts) and the port it listens on. */
async function startServer(args: string[]): Promise<{ port: number; close: () => Promise<void> }> {
  const child: ChildProcess = fork(path.join(__dirname, `mixed-server${path.extname(__filename)}`), args, {
    stdio: 'inherit',
    // BENCH_MIXED_SERVER_ARGS: node options for the server processes only, e.g. "--cpu-prof --cpu-prof-dir=prof".
    execArgv: [...process.execArgv, ...(process.env.BENCH_MIXED_SERVER_ARGS ?? '').split(' ').filter(Boolean)],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

/**
 * The clients' connections: kept alive between requests, as a bank's system or a browser keeps them, at most 64 to
 * each server at once (a request beyond waits for one, and its latency counts from its scheduled instant).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One request; the answer's text only when `keepBody` (the set-up reads ids from it). The timed traffic discards each
 * body as it arrives once its status is known: this process's own garbage (a list page's text, then its parsed
 * objects) would otherwise bring on collections in the process that times the requests, and their pauses would
 * count as the service's latency.
 */
function httpRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  keepBody = true,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      if (keepBody) response.on('data', (chunk: Buffer) => chunks.push(chunk));
      else response.resume();
      response.on('end', () => resolve({ status: response.statusCode!, text: keepBody ? Buffer.concat(chunks).toString('utf8') : '' }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function benchMixed(database: BenchDatabase): Promise<void> {
  // This process's own pool only sets up the bank, principals and enterprise; the service has its own.
  const pool = createPool(database.url, 2);
  const api = await startServer(['service', database.url]);
  const trivial = await startServer(['trivial']);

  const bank = await createBank(pool, { code: `MIX${process.pid}`, name: 'bench bank' });
  const bankPrincipal = await createPrincipal(pool, { name: 'bench bank system', role: 'bank', bankId: bank.id }, null);
  const staff = await createPrincipal(pool, { name: 'bench staff', role: 'staff' }, null);
  const finance = await createPrincipal(pool, { name: 'bench city finance', role: 'finance', body: 'city' }, null);
  await registerEnterprise(pool, { uscc: ENTERPRISE, name: 'bench enterprise' }, {
    principalId: bankPrincipal.principal.id,
    principalName: bankPrincipal.principal.name,
    mayOverride: false,
  });
  const call = async (token: string, method: string, path: string, body?: unknown, keepBody = true): Promise<{ ok: boolean; status: number; json: unknown }> => {
    const response = await httpRequest(
      api.port,
      method,
      path,
      { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body === undefined ? undefined : JSON.stringify(body),
      keepBody,
    );
    return { ok: response.status < 300, status: response.status, json: response.text ? (JSON.parse(response.text) as unknown) : null };
  };
  const loans = Array.from({ length: LOANS }, (_, i) => ({
    contractNo: `MIX-${i}`,
    enterpriseUscc: ENTERPRISE,
    principal: '1000000.00',
    annualRate: '0.0435',
    startDate: '2024-01-15',
    maturityDate: '2025-01-15',
    collateral: 'ip_only',
    pledges: [{ rightType: 'trademark', number: String(20_000_000 + i) }],
  }));
  const created = await call(bankPrincipal.token, 'POST', '/api/v1/loans:batch', loans);
  if (!created.ok) throw new Error(`loans:batch → ${created.status} ${JSON.stringify(created.json).slice(0, 300)}`);
  const ids = (created.json as { ids: string[] }).ids;
  const disbursed = await call(
    bankPrincipal.token,
    'POST',
    '/api/v1/loan-events:batch',
    ids.map((loanId) => ({ loanId, type: 'disbursement', date: '2024-01-15', amount: '1000000.00' })),
  );
  if (!disbursed.ok) throw new Error(`loan-events:batch → ${disbursed.status}`);
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  await owner.query('vacuum analyze');
  const year = 2024;

  // `hot`: the banks' events come from 8 writers (request i from writer i mod 8), writer w posting to hot loan w mod 4;
  // the lists and the reconciliation as without.
  const mixedRequest = async (i: number, hot = false): Promise<{ kind: string; ok: boolean }> => {
    const slot = i % 10;
    const loanId = ids[(i * 7919) % LOANS]!;
    if (slot < 6) {
      const eventLoanId = hot ? ids[(i % HOT_WRITERS) % HOT_LOANS]! : loanId;
      // Half repayments (the loan's own accounts), half interest (which also moves the bank's interest-received account).
      const event = i % 2 === 0 ? { type: 'principal_repayment', date: '2024-06-15', amount: '0.01' } : { type: 'interest_payment', date: '2024-06-15', amount: '1.00' };
      const result = await call(bankPrincipal.token, 'POST', `/api/v1/loans/${eventLoanId}/events`, event, false);
      return { kind: 'bank: POST event', ok: result.ok };
    }
    if (slot < 9) {
      const path = slot === 8 ? `/api/v1/loans/${loanId}/events?limit=50` : `/api/v1/loans?limit=50${slot === 7 ? '&sort=-principal' : ''}`;
      const result = await call(staff.token, 'GET', path, undefined, false);
      return { kind: 'staff: GET list', ok: result.ok };
    }
    const result = await call(finance.token, 'GET', `/api/v1/reports/split-reconciliation?year=${year}`, undefined, false);
    return { kind: 'finance: GET reconciliation', ok: result.ok };
  };

  // Warm, as a service that has been serving is: the pool's connections open (32 requests in flight at once, so each
  // connection has planned its statements and trigger functions), JIT; then each kind alone, one request at a time:
  // what one costs without a queue.
  for (let i = 0; i < 400; i += 32) await Promise.all(Array.from({ length: 32 }, (_, k) => mixedRequest(i + k)));
  const trivialGet = async () => ({ kind: 'trivial', ok: (await httpRequest(trivial.port, 'GET', '/one', {}, undefined, false)).status === 200 });
  for (let i = 0; i < 200; i += 1) await trivialGet();
  const alone = new Map<string, number[]>();
  for (let i = 0; i < 300; i += 1) {
    const started = performance.now();
    const { kind } = await mixedRequest(2_000_000 + i);
    alone.set(kind, [...(alone.get(kind) ?? []), performance.now() - started]);
  }

  const walBefore = await owner.query<{ wal_bytes: string }>(`select wal_bytes::text from pg_stat_wal`);
  const baseline = await openLoop(BASELINE_SECONDS, trivialGet);
  const mixed = await openLoop(SECONDS, mixedRequest);
  // The same traffic, its banks' events from 8 writers on four hot loans: every event waits for the one before on its
  // loan's accounts (the target).
  const mixedHot = await openLoop(SECONDS, (i) => mixedRequest(i + 3_000_000, true));

  // Beyond the target: the traffic without hot loans, and 8 more clients repaying four hot loans one request after
  // another, as fast as they are answered (a saturation test: on 2 cores the writers alone fill the machine).
  let writing = true;
  const hotSamples: Sample[] = [];
  const writers = Array.from({ length: HOT_WRITERS }, async (_, writer) => {
    const loanId = ids[writer % HOT_LOANS]!;
    while (writing) {
      const started = performance.now();
      const result = await call(bankPrincipal.token, 'POST', `/api/v1/loans/${loanId}/events`, { type: 'principal_repayment', date: '2024-06-15', amount: '0.01' }, false).catch(
        (error: unknown) => {
          // Counted as an error in the table, its cause printed after it, as the open loop's are.
          const cause = String((error as Error).cause ?? error);
          failures.set(cause, (failures.get(cause) ?? 0) + 1);
          return { ok: false };
        },
      );
      hotSamples.push({ kind: 'hot', ms: performance.now() - started, ok: result.ok });
    }
  });
  const mixedWithHot = await openLoop(SECONDS, (i) => mixedRequest(i + 1_000_000));
  writing = false;
  await Promise.all(writers);
  const walAfter = await owner.query<{ wal_bytes: string }>(`select wal_bytes::text from pg_stat_wal`);

  const lines = [
    `\n## Mixed traffic — ${RATE} requests/s for ${SECONDS} s (60 % banks posting events, 30 % staff lists, 10 % finance reconciliation); target p99 < ${TARGET_P99_MS} ms`,
    '| traffic | requests | per second | p50 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|---:|',
    summarise(`baseline: trivial express GET, same schedule (${BASELINE_SECONDS} s)`, baseline, BASELINE_SECONDS),
    summarise('mixed, all requests', mixed, SECONDS),
    ...['bank: POST event', 'staff: GET list', 'finance: GET reconciliation'].map((kind) =>
      summarise(`  of which ${kind}`, mixed.filter((s) => s.kind === kind), SECONDS),
    ),
    summarise(`mixed, the banks' events from ${HOT_WRITERS} writers on ${HOT_LOANS} hot loans`, mixedHot, SECONDS),
    ...['bank: POST event', 'staff: GET list', 'finance: GET reconciliation'].map((kind) =>
      summarise(`  of which ${kind}`, mixedHot.filter((s) => s.kind === kind), SECONDS),
    ),
    summarise(`saturation: mixed, all requests, with ${HOT_WRITERS} more closed-loop writers on ${HOT_LOANS} hot loans`, mixedWithHot, SECONDS),
    summarise(`  the ${HOT_WRITERS} closed-loop writers (repayments, each sent when the one before is answered)`, hotSamples, SECONDS),
  ];
  const p99 = (samples: Sample[]) => percentile(samples.map((s) => s.ms).sort((a, b) => a - b), 99);
  lines.push(
    `\nmixed p99 ${p99(mixed).toFixed(1)} ms (${p99(mixed) < TARGET_P99_MS ? 'met' : 'NOT met'}), the events from ${HOT_WRITERS} writers on hot loans ${p99(mixedHot).toFixed(1)} ms (${
      p99(mixedHot) < TARGET_P99_MS ? 'met' : 'NOT met'
    }); saturation with ${HOT_WRITERS} more closed-loop writers ${p99(mixedWithHot).toFixed(1)} ms; p99 ratio baseline/mixed ${(p99(baseline) / p99(mixed)).toFixed(2)}; WAL written during the runs ${(
      (Number(walAfter.rows[0]!.wal_bytes) - Number(walBefore.rows[0]!.wal_bytes)) /
      2 ** 20
    ).toFixed(1)} MiB`,
  );
  lines.push(
    `one at a time, no load (median ms): ${[...alone].map(([kind, ms]) => `${kind} ${percentile(ms.sort((a, b) => a - b), 50).toFixed(1)}`).join('; ')}`,
  );
  for (const [cause, count] of failures) lines.push(`no answer (${count}): ${cause.slice(0, 200)}`);
  console.log(lines.join('\n'));

  await owner.end();
  agent.destroy();
  await api.close();
  await trivial.close();
  await pool.end();
}
