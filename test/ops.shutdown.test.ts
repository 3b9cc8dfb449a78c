/**
 * Graceful shutdown of the real process (`src/main.ts`, as `npm start` runs it): on SIGTERM a request in flight
 * completes, a new connection is refused, a request still arriving on a connection opened before gets 503 with
 * `Connection: close`, then the pool is closed and the process exits 0 (docs/operations.md "Stopping").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './support/database';

const ROOT = path.join(__dirname, '..');
const TOKEN = 'ops-shutdown-staff-token-0123456789';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The service's JSON log lines, and a way to wait for one. */
function watchLog(child: ChildProcess) {
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ test: (line: Record<string, unknown>) => boolean; resolve: () => void }> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }
  });
  return {
    lines,
    waitFor(test: (line: Record<string, unknown>) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
      if (lines.some(test)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line "${what}" within ${timeoutMs} ms; got:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`)), timeoutMs);
        waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

let db: TestDatabase;
let child: ChildProcess | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await db.drop();
});

it('SIGTERM: the request in flight completes, new ones are refused, the pool closes, the process exits 0', async () => {
  const port = await freePort();
  child = spawn(process.execPath, ['-r', './scripts/register-ts.cjs', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.ownerUrl, DATABASE_APP_URL: db.url, PORT: String(port), BOOTSTRAP_TOKEN: TOKEN, LOG_LEVEL: 'info', METRICS_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  const log = watchLog(child);
  await log.waitFor((line) => typeof line.msg === 'string' && line.msg.startsWith('serving on'), 'serving on').catch((error) => {
    throw new Error(`${error.message}\nstderr:\n${stderr}`);
  });
  const base = `http://127.0.0.1:${port}`;

  // Hold the principal table so that authentication waits: GET /api/v1/me is then a request in flight.
  const blocker = await db.rawClient();
  await blocker.query('begin');
  await blocker.query('lock table principal in access exclusive mode');
  const inFlight = fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${TOKEN}` } });
  for (let waited = 0; ; waited += 20) {
    const waiting = await db.pool.query(
      `select 1 from pg_stat_activity where datname = current_database() and application_name = 'ip-pledge-ledger' and wait_event_type = 'Lock'`,
    );
    if (waiting.rowCount! > 0) break;
    if (waited > 10_000) throw new Error('the request never reached the database');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  // A client that has started sending a request on an open connection (its headers not yet complete).
  const early = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => early.once('connect', () => resolve()));
  early.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  let earlyAnswer = '';
  early.on('data', (chunk: Buffer) => (earlyAnswer += chunk.toString('utf8')));
  const earlyClosed = new Promise<void>((resolve) => early.once('close', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 100));

  child.kill('SIGTERM');
  await log.waitFor((line) => line.msg === 'shutting down', 'shutting down');

  // A new connection: nobody listens any more.
  await expect(fetch(`${base}/healthz`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  // The request that was being sent: answered 503, connection closed.
  early.write('\r\n');
  await earlyClosed;
  expect(earlyAnswer).toMatch(/^HTTP\/1\.1 503 /);
  expect(earlyAnswer).toMatch(/\r\nconnection: close\r\n/i);
  expect(earlyAnswer).toContain('"code":"shutting_down"');
  expect(child.exitCode).toBeNull(); // still finishing the request in flight

  await blocker.query('commit');
  const answer = await inFlight;
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({ role: 'staff' });

  expect(await exited).toBe(0);
  expect(log.lines.find((line) => line.msg === 'stopped')).toMatchObject({ exitCode: 0 });
  // The pool is closed: none of the service's connections remains on the database.
  const left = await db.pool.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'ip-pledge-ledger' and pid <> pg_backend_pid()`);
  expect(left.rows[0].n).toBe(0);
});
