/**
 * Mixed traffic at a fixed rate (README "Benchmark"): banks posting events, staff reading lists, finance reading the
 * split reconciliation, 200 requests/s for 60 s (`BENCH_MIXED_RATE`, `BENCH_MIXED_SECONDS`), then the same traffic with
 * the banks' events sent by 8 writers on four hot loans. Target for both: p99 < 50 ms. Then, beyond the target, a
 * saturation test: the traffic again with 8 more clients repaying four hot loans as fast as they are answered. Open loop: each request
 * is sent at its scheduled instant whether or not the ones before were answered, and its latency counts from that
 * instant, so a stall shows as the queue it causes. Baseline: a trivial express GET on the same schedule.
 *
 * The service runs in a process of its own (bench/mixed-server.ts: createApp on the bench database, the service's HTTP
 * limits), as in a deployment where the clients are elsewhere. The timed load comes from another (bench/load.ts), which
 * loads nothing but node:http, over keep-alive connections as a bank's system or a browser keeps them; this process
 * sets up the data, warms the service, plans each run and sums them up. The trivial baseline has its own server
 * process too, running only for the baseline. On a 2-core machine the client's work and PostgreSQL's still share the
 * cores with the service.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { createPool } from '../src/db/pool';
import { registerEnterprise } from '../src/loans';
import { createBank, createPrincipal } from '../src/principals';
import { closeConnections, sendPlanned, type LoadPlan, type LoadResult, type PlannedRequest, type Sample } from './load';
import type { BenchDatabase } from './support';

const RATE = Number(process.env.BENCH_MIXED_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 60);
const BASELINE_SECONDS = Math.min(SECONDS, 10);
const LOANS = 2_000;
const HOT_LOANS = 4;
const HOT_WRITERS = 8;
const TARGET_P99_MS = 50;
const ENTERPRISE = '91360902MA36R7KCX7';
const NO_MEMORY_REDUCER = '--no-memory-reducer';

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

/**
 * The load generator's process (bench/load.ts): `run(plan)` sends a plan and answers with its samples, adding the
 * requests that got no answer to `failures`.
 */
function startLoad(): { run: (plan: LoadPlan) => Promise<[open: Sample[], closed: Sample[]]>; close: () => Promise<void> } {
  // Like this process, the generator runs without V8's memory reducer (bench/run.ts): idle between the runs, it would
  // otherwise collect its heap while the next run is timed.
  const child: ChildProcess = fork(path.join(__dirname, `load${path.extname(__filename)}`), [], {
    stdio: 'inherit',
    execArgv: [...process.execArgv.filter((option) => option !== NO_MEMORY_REDUCER), NO_MEMORY_REDUCER],
  });
  return {
    run: (plan) =>
      new Promise((resolve, reject) => {
        const exited = (code: number | null) => reject(new Error(`the load generator exited with ${code}`));
        child.once('exit', exited);
        child.once('message', (message) => {
          child.off('exit', exited);
          const result = message as LoadResult;
          for (const [cause, count] of result.failures) failures.set(cause, (failures.get(cause) ?? 0) + count);
          resolve([result.samples, result.closedSamples]);
        });
        child.send(plan);
      }),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

/** A server process (bench/mixed-server.ts) and the port it listens on. */
async function startServer(args: string[]): Promise<{ port: number; close: () => Promise<void> }> {
  const child: ChildProcess = fork(path.join(__dirname, `mixed-server${path.extname(__filename)}`), args, {
    stdio: 'inherit',
    // The servers run with node's own settings, not this process's --no-memory-reducer (bench/run.ts), plus
    // BENCH_MIXED_SERVER_ARGS: node options for the server processes only, e.g. "--cpu-prof --cpu-prof-dir=prof".
    execArgv: [...process.execArgv.filter((option) => option !== NO_MEMORY_REDUCER), ...(process.env.BENCH_MIXED_SERVER_ARGS ?? '').split(' ').filter(Boolean)],
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

export async function benchMixed(database: BenchDatabase): Promise<void> {
  // This process's own pool only sets up the bank, principals and enterprise; the service has its own.
  const pool = createPool(database.url, 2);
  const api = await startServer(['service', database.url]);
  const load = startLoad();

  const bank = await createBank(pool, { code: `MIX${process.pid}`, name: 'bench bank' });
  const bankPrincipal = await createPrincipal(pool, { name: 'bench bank system', role: 'bank', bankId: bank.id }, null);
  const staff = await createPrincipal(pool, { name: 'bench staff', role: 'staff' }, null);
  const finance = await createPrincipal(pool, { name: 'bench city finance', role: 'finance', body: 'city' }, null);
  await registerEnterprise(pool, { uscc: ENTERPRISE, name: 'bench enterprise' }, {
    principalId: bankPrincipal.principal.id,
    principalName: bankPrincipal.principal.name,
    mayOverride: false,
  });
  // The plans name a token by its index here.
  const tokens = [bankPrincipal.token, staff.token, finance.token];
  const [BANK, STAFF, FINANCE] = [0, 1, 2];
  // The set-up and the warm-up, from this process: the set-up reads ids from the answers.
  const send = (port: number, planned: PlannedRequest) => sendPlanned(port, tokens, planned, true);
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
  const created = await send(api.port, { kind: 'set-up', method: 'POST', path: '/api/v1/loans:batch', token: BANK, body: JSON.stringify(loans) });
  if (!created.ok) throw new Error(`loans:batch → ${created.status} ${created.text.slice(0, 300)}`);
  const ids = (JSON.parse(created.text) as { ids: string[] }).ids;
  const disbursed = await send(api.port, {
    kind: 'set-up',
    method: 'POST',
    path: '/api/v1/loan-events:batch',
    token: BANK,
    body: JSON.stringify(ids.map((loanId) => ({ loanId, type: 'disbursement', date: '2024-01-15', amount: '1000000.00' }))),
  });
  if (!disbursed.ok) throw new Error(`loan-events:batch → ${disbursed.status}`);
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  await owner.query('vacuum analyze');
  const year = 2024;

  // Request i of the traffic. `hot`: the banks' events come from 8 writers (request i from writer i mod 8), writer w
  // posting to hot loan w mod 4; the lists and the reconciliation as without.
  const mixedRequest = (i: number, hot = false): PlannedRequest => {
    const slot = i % 10;
    const loanId = ids[(i * 7919) % LOANS]!;
    if (slot < 6) {
      const eventLoanId = hot ? ids[(i % HOT_WRITERS) % HOT_LOANS]! : loanId;
      // Half repayments (the loan's own accounts), half interest (which also moves the bank's interest-received account).
      const event = i % 2 === 0 ? { type: 'principal_repayment', date: '2024-06-15', amount: '0.01' } : { type: 'interest_payment', date: '2024-06-15', amount: '1.00' };
      return { kind: 'bank: POST event', method: 'POST', path: `/api/v1/loans/${eventLoanId}/events`, token: BANK, body: JSON.stringify(event) };
    }
    if (slot < 9) {
      const path = slot === 8 ? `/api/v1/loans/${loanId}/events?limit=50` : `/api/v1/loans?limit=50${slot === 7 ? '&sort=-principal' : ''}`;
      return { kind: 'staff: GET list', method: 'GET', path, token: STAFF };
    }
    return { kind: 'finance: GET reconciliation', method: 'GET', path: `/api/v1/reports/split-reconciliation?year=${year}`, token: FINANCE };
  };
  const total = Math.round(SECONDS * RATE);
  const traffic = (offset: number, hot = false) => Array.from({ length: total }, (_, i) => mixedRequest(i + offset, hot));

  // Warm, as a service that has been serving is: the pool's connections open (32 requests in flight at once, so each
  // connection has planned its statements and trigger functions), JIT; then each kind alone, one request at a time:
  // what one costs without a queue.
  for (let i = 0; i < 400; i += 32) await Promise.all(Array.from({ length: 32 }, (_, k) => send(api.port, mixedRequest(i + k))));
  const alone = new Map<string, number[]>();
  for (let i = 0; i < 300; i += 1) {
    const planned = mixedRequest(2_000_000 + i);
    const started = performance.now();
    await send(api.port, planned);
    alone.set(planned.kind, [...(alone.get(planned.kind) ?? []), performance.now() - started]);
  }
  // The load generator warms its own connections on the service before it is timed.
  await load.run({ port: api.port, rate: RATE, tokens, schedule: traffic(4_000_000).slice(0, 400) });

  // The baseline: the trivial server runs only for its own run, so that it takes no share of the cores from the others.
  const trivial = await startServer(['trivial']);
  const trivialGet: PlannedRequest = { kind: 'trivial', method: 'GET', path: '/one' };
  await load.run({ port: trivial.port, rate: RATE, tokens, schedule: Array.from({ length: 200 }, () => trivialGet) });
  const [baseline] = await load.run({ port: trivial.port, rate: RATE, tokens, schedule: Array.from({ length: BASELINE_SECONDS * RATE }, () => trivialGet) });
  await trivial.close();

  const walBefore = await owner.query<{ wal_bytes: string }>(`select wal_bytes::text from pg_stat_wal`);
  const [mixed] = await load.run({ port: api.port, rate: RATE, tokens, schedule: traffic(0) });
  // The same traffic, its banks' events from 8 writers on four hot loans: every event waits for the one before on its
  // loan's accounts (the target).
  const [mixedHot] = await load.run({ port: api.port, rate: RATE, tokens, schedule: traffic(3_000_000, true) });
  // Beyond the target: the traffic without hot loans, and 8 more clients repaying four hot loans one request after
  // another, as fast as they are answered (a saturation test: on 2 cores the writers alone fill the machine).
  const [mixedWithHot, hotSamples] = await load.run({
    port: api.port,
    rate: RATE,
    tokens,
    schedule: traffic(1_000_000),
    closedLoop: Array.from({ length: HOT_WRITERS }, (_, writer) => ({
      kind: 'hot',
      method: 'POST',
      path: `/api/v1/loans/${ids[writer % HOT_LOANS]!}/events`,
      token: BANK,
      body: JSON.stringify({ type: 'principal_repayment', date: '2024-06-15', amount: '0.01' }),
    })),
  });
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
  closeConnections();
  await load.close();
  await api.close();
  await pool.end();
}
