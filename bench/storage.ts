/**
 * Storage per loan, per event and per ledger entry with this schema (docs/operations.md "Scale, on paper"), measured
 * with `pg_total_relation_size` (table, TOAST and every index) on a database filled through the API as banks fill
 * it: 10,000 loans (one batch request per 10,000), then ten money events each (one disbursement, nine interest
 * payments: 100,000 events, each with its ledger entry of two lines), a Yuanzhou 2024 subsidy run (one line per loan,
 * with its trace), then 1,000 events posted one per request with an Idempotency-Key (an audit row and an
 * idempotency record each), as a bank's system posts them day to day.
 *
 * Where the server's pg_dump and pg_restore are installed (docs/operations.md "Backups"), it also times a dump of
 * the database and its restore into a fresh one: how long a restore of a year's data would take.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createPool } from '../src/db/pool';
import { withDatabase } from '../src/db/server';
import { createApp } from '../src/http/app';
import { registerEnterprise } from '../src/loans';
import { patentCheckDigit } from '../src/loans/identifiers';
import { createLogger } from '../src/log';
import { createBank, createPrincipal } from '../src/principals';
import { findBinDir } from '../src/db/pgtools';
import { openBenchDatabase, runConcurrently, timed } from './support';

const LOANS = Number(process.env.BENCH_STORAGE_LOANS ?? 10_000);
const EVENTS_PER_LOAN = 10;
const BATCH = 10_000;
const SINGLE_REQUESTS = 1_000;
const ENTERPRISE = '91360902MA36R7KCX7'; // Yuanzhou (360902)

interface Sizes {
  tables: Map<string, { rows: number; bytes: number }>;
  bytes: number;
}

async function sizes(pool: pg.Pool): Promise<Sizes> {
  await pool.query('vacuum analyze');
  const result = await pool.query<{ name: string; bytes: string }>(
    `select c.relname as name, pg_total_relation_size(c.oid)::text as bytes
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' order by 1`,
  );
  const tables = new Map<string, { rows: number; bytes: number }>();
  let bytes = 0;
  for (const row of result.rows) {
    const rows = Number((await pool.query(`select count(*) from "${row.name}"`)).rows[0].count);
    tables.set(row.name, { rows, bytes: Number(row.bytes) });
    bytes += Number(row.bytes);
  }
  return { tables, bytes };
}

function patentNumber(index: number): string {
  const digits = `20241${String(index).padStart(7, '0')}`;
  return `${digits}.${patentCheckDigit(digits)}`;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;

export async function benchStorage(): Promise<void> {
  const database = await openBenchDatabase(`ipl_bench_storage_${process.pid}`);
  const pool = createPool(database.url, 10);
  // Sizes and row counts as the owner: the serving role may not read every table (the migrations' own, for one).
  const ownerPool = createPool(database.ownerUrl, 2);
  const app = createApp({ pool, logger: createLogger('silent') });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const staff = await createPrincipal(pool, { name: 'bench staff', role: 'staff' }, null);
    await registerEnterprise(pool, { uscc: ENTERPRISE, name: '园州基准企业' }, { principalId: staff.principal.id, principalName: 'bench', mayOverride: false });
    const bank = await createBank(pool, { code: 'BENCHSTORE', name: 'bench bank' });
    const { token } = await createPrincipal(pool, { name: 'bench bank', role: 'bank', bankId: bank.id }, null);
    const call = async (method: string, url: string, body: unknown, headers: Record<string, string> = {}, asToken = token) => {
      const response = await fetch(`${base}${url}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${asToken}`, ...headers },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${url} → ${response.status}: ${text.slice(0, 500)}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const empty = await sizes(ownerPool);

    const loanIds: string[] = [];
    const loansSeconds = await timed(async () => {
      for (let first = 0; first < LOANS; first += BATCH) {
        const bodies = Array.from({ length: Math.min(BATCH, LOANS - first) }, (_, i) => {
          const n = first + i;
          return {
            contractNo: `STORE-${n}`,
            enterpriseUscc: ENTERPRISE,
            principal: `${1_000_000 + (n % 97) * 10_000}.00`,
            annualRate: '0.0435',
            startDate: '2024-01-15',
            maturityDate: '2025-01-15',
            collateral: 'ip_only',
            pledges: [{ rightType: 'patent', number: patentNumber(n) }],
          };
        });
        loanIds.push(...((await call('POST', '/api/v1/loans:batch', bodies)).ids as string[]));
      }
    });
    const afterLoans = await sizes(ownerPool);

    const events = loanIds.flatMap((loanId) => [
      { loanId, type: 'disbursement', date: '2024-01-15', amount: '1000000.00' },
      ...Array.from({ length: EVENTS_PER_LOAN - 1 }, (_, month) => ({
        loanId,
        type: 'interest_payment',
        date: `2024-${String(2 + month).padStart(2, '0')}-20`,
        amount: '3625.00',
      })),
    ]);
    const eventsSeconds = await timed(async () => {
      for (let first = 0; first < events.length; first += BATCH) await call('POST', '/api/v1/loan-events:batch', events.slice(first, first + BATCH));
    });
    const afterEvents = await sizes(ownerPool);

    await call('POST', '/api/v1/subsidy-runs', { policyId: 'yuanzhou-2023', year: 2024 }, {}, staff.token);
    const afterRun = await sizes(ownerPool);

    await runConcurrently(8, SINGLE_REQUESTS, async (index) => {
      await call(
        'POST',
        `/api/v1/loans/${loanIds[index % loanIds.length]}/events`,
        { type: 'interest_payment', date: '2024-11-20', amount: '100.00' },
        { 'Idempotency-Key': `bench-storage-${index}` },
      );
    });
    const afterSingles = await sizes(ownerPool);

    const row = (s: Sizes, table: string) => s.tables.get(table) ?? { rows: 0, bytes: 0 };
    const delta = (a: Sizes, b: Sizes, table: string) => ({
      rows: row(b, table).rows - row(a, table).rows,
      bytes: row(b, table).bytes - row(a, table).bytes,
    });
    console.log(`\n## Storage with this schema (${LOANS.toLocaleString('en-US')} loans, ${events.length.toLocaleString('en-US')} events through the batch API; pg_total_relation_size after VACUUM ANALYZE)`);
    console.log('| table | rows | total size | bytes per row |');
    console.log('|---|---:|---:|---:|');
    for (const [name, { rows, bytes }] of afterSingles.tables) {
      if (rows === 0) continue;
      console.log(`| ${name} | ${rows.toLocaleString('en-US')} | ${(bytes / 1024 / 1024).toFixed(1)} MiB | ${Math.round(bytes / rows).toLocaleString('en-US')} |`);
    }
    const ledgerEntryBytes =
      (row(afterEvents, 'ledger_entry').bytes + row(afterEvents, 'ledger_line').bytes) / row(afterEvents, 'ledger_entry').rows;
    const perLoan = (afterLoans.bytes - empty.bytes) / LOANS;
    const perEvent = (afterEvents.bytes - afterLoans.bytes) / events.length;
    const runLine = delta(afterEvents, afterRun, 'subsidy_run_line');
    const singles = delta(afterRun, afterSingles, 'audit_log');
    const idempotency = delta(afterRun, afterSingles, 'idempotency_record');
    const perSingle = (afterSingles.bytes - afterRun.bytes) / SINGLE_REQUESTS;
    console.log('\n| what | bytes | how measured |');
    console.log('|---|---:|---|');
    console.log(`| a loan (loan, pledge, IP asset, 4 memo accounts, its facility entry) | ${Math.round(perLoan).toLocaleString('en-US')} | growth of all tables over the loans ÷ ${LOANS} |`);
    console.log(`| a money event (event row, its ledger entry of 2 lines, indexes) | ${Math.round(perEvent).toLocaleString('en-US')} | growth over the events ÷ ${events.length} |`);
    console.log(`| a ledger entry with its 2 lines | ${Math.round(ledgerEntryBytes).toLocaleString('en-US')} | (ledger_entry + ledger_line) ÷ entries |`);
    console.log(`| a subsidy run line with its trace | ${Math.round(runLine.bytes / Math.max(1, runLine.rows)).toLocaleString('en-US')} | subsidy_run_line ÷ ${runLine.rows} lines |`);
    console.log(`| an event posted alone over HTTP (event, entry, audit row, idempotency record) | ${Math.round(perSingle).toLocaleString('en-US')} | growth over ${SINGLE_REQUESTS} requests (audit ${Math.round(singles.bytes / Math.max(1, singles.rows))} B/row, idempotency ${Math.round(idempotency.bytes / Math.max(1, idempotency.rows))} B/row) |`);
    console.log(`\ntotal ${kib(afterSingles.bytes)}; loading: ${LOANS} loans in ${loansSeconds.toFixed(2)} s, ${events.length} events in ${eventsSeconds.toFixed(2)} s`);

    await dumpAndRestore(database.url, pool);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.end();
    await ownerPool.end();
    await database.close();
  }
}

/** pg_dump (custom format) and pg_restore into a fresh database, timed, when the server's own versions are installed. */
async function dumpAndRestore(url: string, pool: pg.Pool): Promise<void> {
  const major = Math.floor(Number((await pool.query(`select current_setting('server_version_num') as v`)).rows[0].v) / 10_000);
  const binDir = findBinDir(major, ['pg_dump', 'pg_restore']);
  if (!binDir) {
    console.log(`\npg_dump/pg_restore: not measured — no pg_dump ${major} installed for this PostgreSQL ${major} (docs/operations.md "Backups")`);
    return;
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ipl-bench-dump-')), 'bench.dump');
  const restoredName = `ipl_bench_restored_${process.pid}`;
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const runTool = (tool: string, args: string[]) => {
      const result = spawnSync(path.join(binDir, tool), args, { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr}`);
    };
    const dumpSeconds = await timed(async () => runTool('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${url}`]));
    await admin.query(`drop database if exists "${restoredName}" with (force)`);
    await admin.query(`create database "${restoredName}" template template0`);
    const restoreSeconds = await timed(async () => runTool('pg_restore', ['--exit-on-error', '--no-owner', `--dbname=${withDatabase(url, restoredName)}`, file]));
    const databaseBytes = Number((await pool.query(`select pg_database_size(current_database()) as b`)).rows[0].b);
    console.log(
      `\npg_dump ${major} (custom format): ${dumpSeconds.toFixed(2)} s for a ${(databaseBytes / 1024 / 1024).toFixed(0)} MiB database, ` +
        `dump ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MiB; pg_restore into a fresh database: ${restoreSeconds.toFixed(2)} s ` +
        `(${((databaseBytes / 1024 / 1024) / restoreSeconds).toFixed(1)} MiB of database per second)`,
    );
  } finally {
    await admin.query(`drop database if exists "${restoredName}" with (force)`).catch(() => undefined);
    await admin.end();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
