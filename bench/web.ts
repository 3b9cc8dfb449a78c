/**
 * The console's reads with 10,000 loans in the database ("the loan list answers in under 300 ms and the
 * dashboard in under 1 s on this machine"): the loan list's first page as the console asks for it (default limit,
 * with totals), and the dashboard's API calls made as the page makes them (in parallel; the fund card's KPIs after
 * its list of funds), each timed over HTTP, against a trivial express GET on the same machine (what HTTP and JSON
 * alone cost here). The 10,000 loans go in through the batch API, with their events, over five start years and
 * two banks, so that the dashboard's aggregates have something to sum.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import { createPool } from '../src/db/pool';
import { createApp } from '../src/http/app';
import { registerEnterprise } from '../src/loans';
import { patentCheckDigit } from '../src/loans/identifiers';
import { createLogger } from '../src/log';
import { createBank, createPrincipal } from '../src/principals';
import { openBenchDatabase, printFigures, type Figure } from './support';

const LOANS = 10_000;
const REQUESTS = Number(process.env.BENCH_WEB_REQUESTS ?? 20);
const WARM_UP_REQUESTS = 3;
const TARGET_LIST_MS = 300;
const TARGET_DASHBOARD_MS = 1_000;
const ENTERPRISES = ['91360902MA36R7KCX7', '92330783MA2DK4P606'];
const START_YEARS = [2021, 2022, 2023, 2024, 2025];

function loanBody(bank: string, index: number): Record<string, unknown> {
  const year = START_YEARS[index % START_YEARS.length]!;
  return {
    contractNo: `${bank}-${index}`,
    enterpriseUscc: ENTERPRISES[index % ENTERPRISES.length],
    principal: `${1_000_000 + (index % 97) * 10_000}.00`,
    annualRate: '0.0435',
    startDate: `${year}-0${1 + (index % 9)}-15`,
    maturityDate: `${year + 1}-0${1 + (index % 9)}-15`,
    collateral: index % 3 === 0 ? 'combination' : 'ip_only',
    ...(index % 3 === 0 ? { ipPledgedAmount: '500000.00' } : {}),
    pledges: [{ rightType: index % 2 === 0 ? 'patent' : 'trademark', number: index % 2 === 0 ? patentNumber(index) : String(20_000_000 + index) }],
  };
}

/** A Chinese invention patent application number (2023, type 1, serial) with its check digit. */
function patentNumber(index: number): string {
  const digits = `20231${String(1_000_000 + index).slice(1).padStart(7, '0')}`;
  return `${digits}.${patentCheckDigit(digits)}`;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export async function benchWeb(): Promise<Figure[]> {
  const database = await openBenchDatabase(`ipl_bench_web_${process.pid}`);
  const pool = createPool(database.url, 10);
  const listen = (app: express.Express) =>
    new Promise<{ base: string; close: () => Promise<void> }>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve({ base: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
      });
    });
  const trivialApp = express();
  trivialApp.get('/one', (_req, res) => {
    res.json({ items: [], nextCursor: null });
  });
  const api = await listen(createApp({ pool, logger: createLogger('silent') }));
  const trivial = await listen(trivialApp);
  try {
    const staff = await createPrincipal(pool, { name: 'bench staff', role: 'staff' }, null);
    const as = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
    const call = async (token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
      const response = await fetch(`${api.base}${path}`, { method, headers: as(token), body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 500)}`);
      return JSON.parse(text) as unknown;
    };
    for (const uscc of ENTERPRISES) {
      await registerEnterprise(pool, { uscc, name: `bench enterprise ${uscc}` }, { principalId: staff.principal.id, principalName: 'bench', mayOverride: false });
    }
    // 10,000 loans through the batch API (two banks, 5,000 each), then one disbursement each, also in batches.
    for (const code of ['BENCHWEBA', 'BENCHWEBB']) {
      const bank = await createBank(pool, { code, name: `bench bank ${code}` });
      const { token } = await createPrincipal(pool, { name: `bench ${code}`, role: 'bank', bankId: bank.id }, null);
      const { ids } = (await call(token, 'POST', '/api/v1/loans:batch', Array.from({ length: LOANS / 2 }, (_, i) => loanBody(code, i)))) as { ids: string[] };
      const bodies = Array.from({ length: LOANS / 2 }, (_, i) => loanBody(code, i));
      await call(
        token,
        'POST',
        '/api/v1/loan-events:batch',
        ids.map((loanId, i) => ({ loanId, type: 'disbursement', date: bodies[i]!.startDate, amount: bodies[i]!.principal })),
      );
    }
    await call(staff.token, 'POST', '/api/v1/whitelist', { enterpriseUscc: ENTERPRISES[0], reason: 'bench', validFrom: '2020-01-01', validTo: '2030-12-31' });
    const fund = (await call(staff.token, 'POST', '/api/v1/funds', {
      code: 'BENCHFUND',
      name: 'bench fund',
      shareOfLoss: '0.5',
      leverage: '10',
      claimAfterDaysOverdue: 90,
      bodies: ['city', 'district'],
    })) as { id: string };
    await call(staff.token, 'POST', `/api/v1/funds/${fund.id}/contributions`, { body: 'city', amount: '50000000.00', date: '2024-01-02' });
    const owner = new pg.Client({ connectionString: database.ownerUrl });
    await owner.connect();
    await owner.query('analyze');
    await owner.end();

    const year = new Date().getFullYear();
    const get = (path: string) => call(staff.token, 'GET', path);
    /**
     * The dashboard as DashboardPage makes its calls: every card at once, the fund card's KPIs after its fund list,
     * the lending card's area report after the list of areas.
     */
    const dashboard = async () => {
      await Promise.all([
        get('/api/v1/me'),
        get('/api/v1/ledger/summary'),
        (async () => {
          const areas = (await get('/api/v1/areas')) as { items: Array<{ code: string }> };
          await get(`/api/v1/reports/portfolio?year=${year - 1}&area=${areas.items[0]!.code}`);
        })(),
        get(`/api/v1/reports/whitelist-lending?year=${year}`),
        get(`/api/v1/reports/split-reconciliation?year=${year}`),
        (async () => {
          const funds = (await get('/api/v1/funds')) as { items: Array<{ id: string }> };
          await Promise.all(funds.items.map((f) => get(`/api/v1/funds/${f.id}/kpis`)));
        })(),
      ]);
    };
    const measurements: Array<{ label: string; work: () => Promise<unknown>; baseline?: string; targetMs?: number }> = [
      { label: 'trivial express GET (small JSON)', work: async () => (await fetch(`${trivial.base}/one`)).json() },
      { label: 'GET /api/v1/loans (first page, limit 50, with totals)', work: () => get('/api/v1/loans?limit=50'), targetMs: TARGET_LIST_MS },
      { label: 'GET /api/v1/loans?sort=-principal (first page)', work: () => get('/api/v1/loans?limit=50&sort=-principal'), targetMs: TARGET_LIST_MS },
      { label: 'GET /api/v1/loans?status=active (status filter)', work: () => get('/api/v1/loans?limit=50&status=active'), targetMs: TARGET_LIST_MS },
      { label: 'dashboard: all 8 API calls as the page makes them', work: dashboard, targetMs: TARGET_DASHBOARD_MS },
      { label: '  of which GET /api/v1/reports/portfolio?area=yuanzhou', work: () => get(`/api/v1/reports/portfolio?year=${year - 1}&area=yuanzhou`) },
      { label: '  of which GET /api/v1/ledger/summary (the ledger card)', work: () => get('/api/v1/ledger/summary') },
      { label: 'GET /api/v1/ledger/trial-balance (what the card read before: every account)', work: () => get('/api/v1/ledger/trial-balance') },
    ];
    const figures: Figure[] = [];
    const lines: string[] = [];
    const total = await (async () => (await get('/api/v1/loans?limit=1')) as { totals: { count: number } })();
    for (const m of measurements) {
      for (let i = 0; i < WARM_UP_REQUESTS; i++) await m.work();
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const started = process.hrtime.bigint();
        await m.work();
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      const sorted = [...times].sort((a, b) => a - b);
      const median = quantile(sorted, 0.5);
      const p95 = quantile(sorted, 0.95);
      figures.push({
        label: m.label,
        count: REQUESTS,
        unit: 'requests',
        seconds: times.reduce((a, b) => a + b, 0) / 1000,
        ...(m.label.startsWith('trivial') ? {} : { baseline: measurements[0]!.label }),
      });
      const verdict = m.targetMs === undefined ? '' : ` — target < ${m.targetMs} ms: ${p95 < m.targetMs ? 'met (p95)' : median < m.targetMs ? 'met by the median only' : 'NOT met'}`;
      lines.push(`- ${m.label}: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms${verdict}`);
    }
    printFigures(`Console reads with ${total.totals.count.toLocaleString('en-US')} loans (${REQUESTS} sequential requests each)`, figures);
    console.log(lines.join('\n'));
    return figures;
  } finally {
    await api.close();
    await trivial.close();
    await pool.end();
    await database.close();
  }
}

if (require.main === module) {
  benchWeb().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
