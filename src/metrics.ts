/**
 * The service's Prometheus metrics (prom-client), served at `GET /metrics` by src/http/metrics.ts.
 *
 * Two kinds live here:
 * - process-wide counters of domain work, bumped where the work happens (the ledger's `postMany`, the subsidy-run
 *   routes): one registry for the process, since that work has no app to hang them on;
 * - per-app metrics (HTTP requests, the pool), made by `createAppMetrics` for each express app, so that two apps in
 *   one process (the tests, the benchmark) do not count each other's requests.
 *
 * Names follow Prometheus conventions: base units (seconds), `_total` for counters, labels of low cardinality only
 * (a route template, never a raw URL or an id).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type pg from 'pg';

export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

export const ledgerEntriesPosted = new Counter({
  name: 'ledger_entries_posted_total',
  help:
    'Ledger entries accepted by postMany/post: outcome "new" was inserted, "replayed" matched an entry posted before under ' +
    'the same idempotency key and wrote nothing (counted when the statement returns; a transaction rolled back later is not subtracted)',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});

export const ledgerLinesPosted = new Counter({
  name: 'ledger_lines_posted_total',
  help: 'Lines of the ledger entries inserted (outcome "new" of ledger_entries_posted_total)',
  registers: [processRegistry],
});

/** A yearly run over 100,000 loans takes seconds (README "Benchmark"); a minute is the statement timeout. */
const RUN_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60];

export const subsidyRunDuration = new Histogram({
  name: 'subsidy_run_duration_seconds',
  help: 'Time to compute and store a subsidy run (operation "create" or "recompute"), by outcome',
  labelNames: ['operation', 'outcome'] as const,
  buckets: RUN_BUCKETS_SECONDS,
  registers: [processRegistry],
});

/** Times `work` into subsidy_run_duration_seconds, whether it succeeds or throws. */
export async function timeSubsidyRun<T>(operation: 'create' | 'recompute', work: () => Promise<T>): Promise<T> {
  const stop = subsidyRunDuration.startTimer({ operation });
  try {
    const result = await work();
    stop({ outcome: 'ok' });
    return result;
  } catch (error) {
    stop({ outcome: 'error' });
    throw error;
  }
}

/** Request latencies: most answers take milliseconds, a batch of 10,000 loans a few seconds. */
const HTTP_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface AppMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route' | 'status'>;
}

export function createAppMetrics(pool: pg.Pool): AppMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template (e.g. /api/v1/loans/{id}) and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request reaching the app to the last byte of the answer, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS_SECONDS,
    registers: [registry],
  });
  // Read when scraped: the pool's own counters, nothing kept in between.
  new Gauge({
    name: 'db_pool_connections',
    help: 'Connections of the service\'s PostgreSQL pool: state "total" (open), "idle" (open, unused), "waiting" (callers queued for one)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  new Gauge({
    name: 'db_pool_max_connections',
    help: 'The pool\'s limit on open connections',
    registers: [registry],
    collect() {
      this.set(pool.options.max ?? 10);
    },
  });
  return { registry, requests, duration };
}

/** The text a scrape gets: the app's metrics followed by the process-wide ones. */
export async function renderMetrics(app: AppMetrics): Promise<string> {
  return `${await app.registry.metrics()}\n${await processRegistry.metrics()}`;
}

export const METRICS_CONTENT_TYPE = processRegistry.contentType;
