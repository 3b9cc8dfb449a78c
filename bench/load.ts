/**
 * The mixed-traffic bench's load generator (bench/mixed.ts): a process of its own that loads nothing but node:http, as
 * a bank's system or a browser is a program of its own. It receives a plan over IPC, sends it, and answers with each
 * request's latency.
 *
 * Why a process of its own: the latencies are timed here, so a pause of this process counts as the service's latency.
 * The bench part's process holds the whole service's module graph and its set-up's objects. A full collection of that
 * heap paused it for 40–80 ms on 2 cores, and stretched every request in flight at that instant. This process's heap
 * is the plan and the samples.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One request: `token` indexes the plan's tokens; `body` is JSON text. */
export interface PlannedRequest {
  kind: string;
  method: string;
  path: string;
  token?: number;
  body?: string;
}

export interface LoadPlan {
  port: number;
  /** Requests per second of the open loop. */
  rate: number;
  tokens: string[];
  /**
   * The open loop: request i is sent at start + i / rate, whether or not the ones before were answered, and its latency
   * counts from that instant, so a stall shows as the queue it causes.
   */
  schedule: PlannedRequest[];
  /**
   * Closed-loop clients beside the open loop, one per entry: each sends its request again as soon as the one before is
   * answered, until the open loop has been answered; their latency counts from each sending.
   */
  closedLoop?: PlannedRequest[];
}

export interface Sample {
  kind: string;
  ms: number;
  ok: boolean;
}

export interface LoadResult {
  samples: Sample[];
  closedSamples: Sample[];
  /** Requests that got no answer at all, by cause. */
  failures: Array<[string, number]>;
}

/**
 * The connections: kept alive between requests, as a bank's system or a browser keeps them, at most 64 to each server
 * at once (a request beyond waits for one, and its latency still counts from its scheduled instant).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Closes the kept-alive connections of this process (bench/mixed.ts sends its set-up through them too). */
export function closeConnections(): void {
  agent.destroy();
}

/**
 * Sends one request. Its answer's text only with `keepBody` (the set-up reads ids from it); the timed traffic reads
 * each answer to the end without keeping it: only the status is needed.
 */
export function sendPlanned(
  port: number,
  tokens: readonly string[],
  planned: PlannedRequest,
  keepBody = false,
): Promise<{ ok: boolean; status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (planned.token !== undefined) headers.authorization = `Bearer ${tokens[planned.token]}`;
  if (planned.body !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method: planned.method, path: planned.path, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      if (keepBody) response.on('data', (chunk: Buffer) => chunks.push(chunk));
      else response.resume();
      response.on('end', () => {
        const status = response.statusCode!;
        resolve({ ok: status < 300, status, text: keepBody ? Buffer.concat(chunks).toString('utf8') : '' });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(planned.body);
  });
}

export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const failures = new Map<string, number>();
  const failed = (error: unknown) => {
    const cause = String((error as Error).cause ?? error);
    failures.set(cause, (failures.get(cause) ?? 0) + 1);
    return false;
  };
  let running = true;
  const closedSamples: Sample[] = [];
  const closed = (plan.closedLoop ?? []).map(async (planned) => {
    while (running) {
      const started = performance.now();
      const ok = await sendPlanned(plan.port, plan.tokens, planned).then((answer) => answer.ok, failed);
      closedSamples.push({ kind: planned.kind, ms: performance.now() - started, ok });
    }
  });
  const samples: Sample[] = [];
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < plan.schedule.length; i += 1) {
    const planned = plan.schedule[i]!;
    const scheduled = start + (i * 1000) / plan.rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      sendPlanned(plan.port, plan.tokens, planned).then(
        ({ ok }) => {
          samples.push({ kind: planned.kind, ms: performance.now() - scheduled, ok });
        },
        (error: unknown) => {
          samples.push({ kind: 'failed', ms: performance.now() - scheduled, ok: failed(error) });
        },
      ),
    );
  }
  await Promise.all(pending);
  running = false;
  await Promise.all(closed);
  return { samples, closedSamples, failures: [...failures] };
}

if (require.main === module) {
  process.on('message', (message: LoadPlan | 'stop') => {
    if (message === 'stop') {
      closeConnections();
      process.exit(0);
    }
    runLoad(message).then(
      (result) => process.send!(result),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  process.on('disconnect', () => process.exit(0));
}
