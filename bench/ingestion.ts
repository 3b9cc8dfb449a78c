/**
 * Ingestion through HTTP: loans and loan events per second, one per
 * request and in batches of 10,000, against a trivial express endpoint on the same machine that parses the same JSON
 * and answers 201 (the baseline: what HTTP and JSON alone cost here). Target: a 10,000-event batch in under 2 s.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createPool } from '../src/db/pool';
import { createApp } from '../src/http/app';
import { BATCH_BODY_LIMIT_BYTES } from '../src/http/body';
import { registerEnterprise } from '../src/loans';
import { createLogger } from '../src/log';
import { createBank, createPrincipal } from '../src/principals';
import { inRounds, printFigures, runConcurrently, timed, type BenchDatabase, type Figure } from './support';

const SINGLE_REQUESTS = Number(process.env.BENCH_INGEST_SINGLE ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_INGEST_CONCURRENCY ?? 8);
/** Requests sent to each path, untimed, before the timed rounds (see the warm-up below). */
const WARM_UP = Number(process.env.BENCH_INGEST_WARM_UP ?? 1_500);
const BATCH_ITEMS = 10_000;
/** Loans the event batch is spread over: 5 events each. */
const EVENT_BATCH_LOANS = 2_000;
const ENTERPRISE = '91360902MA36R7KCX7';

function loanBody(prefix: string, index: number): Record<string, unknown> {
  return {
    contractNo: `${prefix}-${index}`,
    enterpriseUscc: ENTERPRISE,
    principal: '1000000.00',
    annualRate: '0.0435',
    startDate: '2024-01-15',
    maturityDate: '2025-01-15',
    collateral: 'ip_only',
    pledges: [{ rightType: 'trademark', number: String(10_000_000 + (index % 80_000_000)) }],
  };
}

function eventsFor(loanId: string): Array<Record<string, unknown>> {
  return [
    { loanId, type: 'principal_repayment', date: '2024-06-15', amount: '100000.00' },
    { loanId, type: 'disbursement', date: '2024-01-15', amount: '1000000.00' },
    { loanId, type: 'interest_payment', date: '2024-02-15', amount: '3625.00', periodFrom: '2024-01-15', periodTo: '2024-02-14' },
    { loanId, type: 'overdue', date: '2024-03-20', daysOverdue: 5 },
    { loanId, type: 'interest_payment', date: '2024-03-25', amount: '3625.00' },
  ];
}

export async function benchIngestion(database: BenchDatabase): Promise<Figure[]> {
  const pool = createPool(database.url, 10);
  const service = createApp({ pool, logger: createLogger('silent') });
  const baseline = express();
  baseline.use(express.json({ limit: BATCH_BODY_LIMIT_BYTES, strict: false }));
  baseline.post('/one', (req, res) => {
    res.status(201).json({ id: randomUUID(), received: typeof req.body });
  });
  baseline.post('/batch', (req, res) => {
    const items = req.body as unknown[];
    res.status(201).json({ count: items.length, ids: items.map(() => randomUUID()) });
  });
  const listen = (app: express.Express) =>
    new Promise<{ base: string; close: () => Promise<void> }>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve({ base: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
      });
    });
  const api = await listen(service);
  const trivial = await listen(baseline);

  const bank = await createBank(pool, { code: `BENCH${process.pid}`, name: 'bench bank' });
  const { token, principal } = await createPrincipal(pool, { name: 'bench bank system', role: 'bank', bankId: bank.id }, null);
  await registerEnterprise(pool, { uscc: ENTERPRISE, name: 'bench enterprise' }, { principalId: principal.id, principalName: principal.name, mayOverride: false });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const post = async (url: string, body: unknown, expected = 201): Promise<{ id?: string; ids?: string[] }> => {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await response.text();
    if (response.status !== expected) throw new Error(`${url} → ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as { id?: string; ids?: string[] };
  };

  // Warm every path (JIT, plans, connections) before timing: the HTTP client in this process and both servers. V8
  // optimises code only after it has run many times. After 100 requests each, in two runs of 1,000-request rounds,
  // the trivial endpoint ran its first round at 747 and 818 requests/s and its later rounds at 1,127–1,701, loans at
  // 258 and 235, then 259–326: the first round's ratio (0.34, 0.29) measured the trivial endpoint's warm-up more than
  // the service.
  await runConcurrently(CONCURRENCY, WARM_UP, async (i) => {
    await post(`${trivial.base}/one`, loanBody('warm', i));
  });
  const warmLoans: string[] = [];
  await runConcurrently(CONCURRENCY, WARM_UP, async (i) => {
    warmLoans.push((await post(`${api.base}/api/v1/loans`, loanBody('warm', i))).id!);
  });
  await runConcurrently(CONCURRENCY, WARM_UP, async (i) => {
    await post(`${api.base}/api/v1/loans/${warmLoans[i]}/events`, { type: 'disbursement', date: '2024-01-15', amount: '1.00' });
  });
  await post(`${api.base}/api/v1/loans:batch`, Array.from({ length: 1_000 }, (_, i) => loanBody('warm-batch', i)));

  const figures: Figure[] = [];
  const singleBaseline = `trivial express POST (parse JSON, answer 201) — ${CONCURRENCY} concurrent`;
  // In rounds (the trivial endpoint, then loans, then an event on each of those loans), so that a machine slowing down
  // or speeding up during the part weighs on the baseline and the service alike; each figure sums its rounds.
  let trivialSeconds = 0;
  let loanSeconds = 0;
  let eventSeconds = 0;
  const roundRatios: string[] = [];
  for (const { from, count } of inRounds(SINGLE_REQUESTS)) {
    const trivialRound = await timed(() =>
      runConcurrently(CONCURRENCY, count, async (i) => {
        await post(`${trivial.base}/one`, loanBody('trivial', from + i));
      }),
    );
    const loans: string[] = new Array(count);
    const loanRound = await timed(() =>
      runConcurrently(CONCURRENCY, count, async (i) => {
        loans[i] = (await post(`${api.base}/api/v1/loans`, loanBody('single', from + i))).id!;
      }),
    );
    const eventRound = await timed(() =>
      runConcurrently(CONCURRENCY, count, async (i) => {
        await post(`${api.base}/api/v1/loans/${loans[i]}/events`, { type: 'disbursement', date: '2024-01-15', amount: '500000.00' });
      }),
    );
    trivialSeconds += trivialRound;
    loanSeconds += loanRound;
    eventSeconds += eventRound;
    roundRatios.push(
      `loans ${(trivialRound / loanRound).toFixed(2)}, events ${(trivialRound / eventRound).toFixed(2)}` +
        ` (per second: trivial ${Math.round(count / trivialRound)}, loans ${Math.round(count / loanRound)}, events ${Math.round(count / eventRound)})`,
    );
  }
  figures.push({ label: singleBaseline, count: SINGLE_REQUESTS, unit: 'requests', seconds: trivialSeconds });
  figures.push({ label: `POST /api/v1/loans, one loan per request — ${CONCURRENCY} concurrent`, count: SINGLE_REQUESTS, unit: 'loans', seconds: loanSeconds, baseline: singleBaseline });
  figures.push({ label: `POST /api/v1/loans/{id}/events, one event per request — ${CONCURRENCY} concurrent`, count: SINGLE_REQUESTS, unit: 'events', seconds: eventSeconds, baseline: singleBaseline });

  const loanBatch = Array.from({ length: BATCH_ITEMS }, (_, i) => loanBody('batch', i));
  const batchBaseline = `trivial express POST of the same ${BATCH_ITEMS.toLocaleString('en-US')}-item JSON array`;
  const trivialBatchSeconds = await timed(async () => {
    await post(`${trivial.base}/batch`, loanBatch);
  });
  figures.push({ label: batchBaseline, count: BATCH_ITEMS, unit: 'items', seconds: trivialBatchSeconds });
  let batchIds: string[] = [];
  const loanBatchSeconds = await timed(async () => {
    batchIds = (await post(`${api.base}/api/v1/loans:batch`, loanBatch)).ids!;
  });
  figures.push({ label: `POST /api/v1/loans:batch, ${BATCH_ITEMS.toLocaleString('en-US')} loans`, count: BATCH_ITEMS, unit: 'loans', seconds: loanBatchSeconds, baseline: batchBaseline });

  const eventBatch = batchIds.slice(0, EVENT_BATCH_LOANS).flatMap(eventsFor);
  const eventBaseline = `trivial express POST of the same ${eventBatch.length.toLocaleString('en-US')}-event JSON array`;
  const trivialEventSeconds = await timed(async () => {
    await post(`${trivial.base}/batch`, eventBatch);
  });
  figures.push({ label: eventBaseline, count: eventBatch.length, unit: 'items', seconds: trivialEventSeconds });
  const eventBatchSeconds = await timed(async () => {
    await post(`${api.base}/api/v1/loan-events:batch`, eventBatch);
  });
  figures.push({
    label: `POST /api/v1/loan-events:batch, ${eventBatch.length.toLocaleString('en-US')} events on ${EVENT_BATCH_LOANS.toLocaleString('en-US')} loans (target < 2 s)`,
    count: eventBatch.length,
    unit: 'events',
    seconds: eventBatchSeconds,
    baseline: eventBaseline,
  });

  await api.close();
  await trivial.close();
  await pool.end();
  printFigures('Ingestion through HTTP', figures);
  console.log(`- single requests against the trivial endpoint, round by round: ${roundRatios.join('; ')}`);
  return figures;
}
