/**
 * Ledger throughput against raw PostgreSQL on the same database in the same run:
 * - single postings (one 2-line entry per transaction) on 1 and 8 connections, against the same rows written into
 *   tables with no triggers, foreign keys, checks or secondary indexes (primary keys only) the way a plain
 *   application does (BEGIN; INSERT entry; INSERT lines; COMMIT), and, as a stricter reference, in one statement;
 * - `postMany` with 1,000 entries per transaction, against `COPY` of the same rows into those plain tables.
 * Targets: single postings ≥ 0.50 of the raw inserts, batches ≥ 0.30 of COPY.
 *
 * The single postings are measured in rounds (`BENCH_ROUNDS`, 3), each round the raw transactions, the raw statement
 * and the ledger one after the other, so that a machine slowing down or speeding up during the part weighs on the
 * baseline and the ledger alike; a figure is the sum of its rounds, and each round's own ratio is printed too.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createPool } from '../src/db/pool';
import { ensureAccounts, post, postMany, type EntryInput } from '../src/ledger';
import { inRounds, printFigures, runConcurrently, timed, type BenchDatabase, type Figure } from './support';

const ACCOUNTS = 1_000;
const SINGLE_POSTINGS = Number(process.env.BENCH_SINGLE ?? 3_000);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 10);
const BATCH_SIZE = 1_000;

function entry(prefix: string, index: number): EntryInput {
  const debit = index % ACCOUNTS;
  const credit = (index * 7 + 3) % ACCOUNTS === debit ? (debit + 1) % ACCOUNTS : (index * 7 + 3) % ACCOUNTS;
  const amountFen = BigInt(1 + (index % 100_000));
  return {
    idempotencyKey: `${prefix}-${index}`,
    effectiveDate: '2024-06-30',
    description: `bench transfer ${index}`,
    source: { kind: 'bench', id: String(index) },
    lines: [
      { accountCode: `bench:${debit}`, side: 'debit', amountFen },
      { accountCode: `bench:${credit}`, side: 'credit', amountFen },
    ],
  };
}

const RAW_TABLES = `
  create table raw_entry (id bigint generated always as identity primary key, idempotency_key text not null,
    effective_date date not null, description text not null, source_kind text not null, source_id text not null,
    content_hash text not null, recorded_at timestamptz not null default now());
  create table raw_line (entry_id bigint not null, line_no smallint not null, account_id bigint not null,
    side char(1) not null, amount_fen bigint not null, effective_date date not null, primary key (entry_id, line_no));`;

/** The same rows as a plain application writes them: BEGIN; INSERT the entry; INSERT its lines; COMMIT. */
const RAW_ENTRY = `insert into raw_entry (idempotency_key, effective_date, description, source_kind, source_id, content_hash)
  values ($1, $2, $3, 'bench', $4, 'x') returning id`;
const RAW_LINES = `insert into raw_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
  values ($1, 1, $2, 'D', $4, $5), ($1, 2, $3, 'C', $4, $5)`;

/** The same rows in one statement (one round trip), still with none of the ledger's checks: a stricter reference. */
const RAW_INSERT = `
  with e as (insert into raw_entry (idempotency_key, effective_date, description, source_kind, source_id, content_hash)
             values ($1, $2, $3, 'bench', $4, 'x') returning id)
  insert into raw_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
  select e.id, v.line_no, v.account_id, v.side, v.amount_fen, $2 from e,
    (values (1, $5::bigint, 'D', $7::bigint), (2, $6::bigint, 'C', $7::bigint)) v(line_no, account_id, side, amount_fen)`;

export async function benchLedger(database: BenchDatabase): Promise<Figure[]> {
  // Everything is measured as the serving role, as the service runs; the owner makes the baseline's tables and vacuums.
  const url = database.url;
  const setup = new pg.Client({ connectionString: database.ownerUrl });
  await setup.connect();
  await setup.query(RAW_TABLES);
  await setup.query(`grant select, insert on raw_entry, raw_line to "${database.appRole}"`);
  const pool = createPool(url, 8);
  await ensureAccounts(
    pool,
    Array.from({ length: ACCOUNTS }, (_, i) => ({ code: `bench:${i}`, name: `bench ${i}`, type: 'asset' as const })),
  );
  const accountIds = (await setup.query<{ id: bigint; code: string }>(`select id, code from ledger_account`)).rows;
  const idByCode = new Map(accountIds.map((row) => [row.code, row.id]));
  const vacuum = () => setup.query('vacuum analyze');
  const admin = new pg.Client({ connectionString: database.adminUrl });
  await admin.connect();
  // WAL per posting (pg_stat_wal, the whole server: nothing else writes during a phase): what each phase wrote.
  const wal: Array<{ label: string; count: number; bytes: number; records: number; fpi: number }> = [];
  const walNow = async () =>
    (await setup.query<{ bytes: string; records: string; fpi: string }>(`select wal_bytes::text as bytes, wal_records::text as records, wal_fpi::text as fpi from pg_stat_wal`)).rows[0]!;
  // A server process adds its WAL to pg_stat_wal at most once a second, or when idle for 10 s: each writer's is
  // flushed at the end of its phase (pg_stat_force_next_flush on every connection of its pool), or a short phase's
  // WAL would be counted in the next one.
  await admin.query(`grant execute on function pg_stat_force_next_flush() to "${database.appRole}"`);
  const flushStats = async (writers: pg.Pool, connections: number) => {
    const clients = await Promise.all(Array.from({ length: connections }, () => writers.connect()));
    try {
      await Promise.all(clients.map((client) => client.query('select pg_stat_force_next_flush()')));
    } finally {
      for (const client of clients) client.release();
    }
  };
  const withWal = async (label: string, count: number, writers: pg.Pool, connections: number, work: () => Promise<number>): Promise<number> => {
    await admin.query('checkpoint'); // full-page images then count from the same point for every phase
    await flushStats(writers, connections);
    const before = await walNow();
    const seconds = await work();
    await flushStats(writers, connections);
    const after = await walNow();
    // A phase measured in several rounds adds up.
    let phase = wal.find((p) => p.label === label);
    if (!phase) wal.push((phase = { label, count: 0, bytes: 0, records: 0, fpi: 0 }));
    phase.count += count;
    phase.bytes += Number(after.bytes) - Number(before.bytes);
    phase.records += Number(after.records) - Number(before.records);
    phase.fpi += Number(after.fpi) - Number(before.fpi);
    return seconds;
  };

  const rawSingle = async (prefix: string, index: number, client: pg.Pool) => {
    const e = entry(prefix, index);
    await client.query({ name: 'raw_insert', text: RAW_INSERT, values: [
      e.idempotencyKey,
      e.effectiveDate,
      e.description,
      e.source.id,
      idByCode.get(e.lines[0]!.accountCode)!.toString(),
      idByCode.get(e.lines[1]!.accountCode)!.toString(),
      e.lines[0]!.amountFen.toString(),
    ] });
  };

  const rawTransaction = async (prefix: string, index: number, clientPool: pg.Pool) => {
    const e = entry(prefix, index);
    const client = await clientPool.connect();
    try {
      await client.query('begin');
      const inserted = await client.query<{ id: bigint }>({
        name: 'raw_entry',
        text: RAW_ENTRY,
        values: [e.idempotencyKey, e.effectiveDate, e.description, e.source.id],
      });
      await client.query({
        name: 'raw_lines',
        text: RAW_LINES,
        values: [
          inserted.rows[0]!.id.toString(),
          idByCode.get(e.lines[0]!.accountCode)!.toString(),
          idByCode.get(e.lines[1]!.accountCode)!.toString(),
          e.lines[0]!.amountFen.toString(),
          e.effectiveDate,
        ],
      });
      await client.query('commit');
    } finally {
      client.release();
    }
  };

  const figures: Figure[] = [];
  const rounds: string[] = [];
  for (const connections of [1, 8]) {
    const clientPool = createPool(url, connections);
    // Warm both paths (plans, caches) before timing.
    await runConcurrently(connections, 200, (i) => rawSingle(`warm-raw-${connections}`, i, clientPool));
    await runConcurrently(connections, 200, (i) => rawTransaction(`warm-rawtx-${connections}`, i, clientPool));
    await runConcurrently(connections, 200, (i) => post(clientPool, entry(`warm-${connections}`, i)).then(() => undefined));
    await vacuum();
    let rawTransactionSeconds = 0;
    let rawSeconds = 0;
    let ledgerSeconds = 0;
    const roundRatios: string[] = [];
    for (const { from, count } of inRounds(SINGLE_POSTINGS)) {
      const indexed = (job: (i: number) => Promise<void>) => () => runConcurrently(connections, count, (i) => job(from + i));
      const rawTransactionRound = await withWal(`raw BEGIN; INSERT entry; INSERT 2 lines; COMMIT — ${connections} conn.`, count, clientPool, connections, () =>
        timed(indexed((i) => rawTransaction(`rawtx-${connections}`, i, clientPool))),
      );
      await vacuum();
      rawSeconds += await timed(indexed((i) => rawSingle(`raw-${connections}`, i, clientPool)));
      await vacuum();
      const ledgerRound = await withWal(`ledger post() — ${connections} conn.`, count, clientPool, connections, () =>
        timed(indexed((i) => post(clientPool, entry(`single-${connections}`, i)).then(() => undefined))),
      );
      await vacuum();
      rawTransactionSeconds += rawTransactionRound;
      ledgerSeconds += ledgerRound;
      roundRatios.push((rawTransactionRound / ledgerRound).toFixed(2));
    }
    rounds.push(`ledger post() against the raw transactions, ${connections} conn., round by round: ${roundRatios.join(', ')}`);
    const rawTransactionLabel = `raw BEGIN; INSERT entry; INSERT 2 lines; COMMIT — ${connections} conn.`;
    const rawLabel = `raw one-statement INSERT of entry + 2 lines — ${connections} conn.`;
    const ledgerLabel = `ledger post(), 1 entry per transaction — ${connections} conn.`;
    figures.push({ label: rawTransactionLabel, count: SINGLE_POSTINGS, unit: 'entries', seconds: rawTransactionSeconds });
    figures.push({ label: rawLabel, count: SINGLE_POSTINGS, unit: 'entries', seconds: rawSeconds });
    figures.push({ label: ledgerLabel, count: SINGLE_POSTINGS, unit: 'entries', seconds: ledgerSeconds, baseline: rawTransactionLabel });
    figures.push({ label: `${ledgerLabel} (vs the one-statement insert)`, count: SINGLE_POSTINGS, unit: 'entries', seconds: ledgerSeconds, baseline: rawLabel });
    await clientPool.end();
  }

  // Batches: COPY of the same rows vs postMany, BATCH_SIZE entries per transaction.
  const copyClient = new pg.Client({ connectionString: url });
  await copyClient.connect();
  const copyBatch = async (batch: number) => {
    const entries = Array.from({ length: BATCH_SIZE }, (_, i) => entry(`copy-${batch}`, batch * BATCH_SIZE + i));
    await copyClient.query('begin');
    const first = await copyClient.query<{ next: bigint }>(
      `select coalesce(max(id), 0) + 1 as next from raw_entry`,
    );
    const firstId = first.rows[0]!.next;
    await pipeline(
      Readable.from(entries.map((e) => `${e.idempotencyKey}\t${e.effectiveDate}\t${e.description}\tbench\t${e.source.id}\tx\n`)),
      copyClient.query(copyFrom(`copy raw_entry (idempotency_key, effective_date, description, source_kind, source_id, content_hash) from stdin`)),
    );
    await pipeline(
      Readable.from(
        entries.flatMap((e, i) =>
          e.lines.map(
            (line, lineIndex) =>
              `${firstId + BigInt(i)}\t${lineIndex + 1}\t${idByCode.get(line.accountCode)}\t${line.side === 'debit' ? 'D' : 'C'}\t${line.amountFen}\t${e.effectiveDate}\n`,
          ),
        ),
      ),
      copyClient.query(copyFrom(`copy raw_line (entry_id, line_no, account_id, side, amount_fen, effective_date) from stdin`)),
    );
    await copyClient.query('commit');
  };
  await copyBatch(BATCHES); // warm-up, with keys the timed batches do not use
  await postMany(pool, Array.from({ length: BATCH_SIZE }, (_, i) => entry('warm-batch', i)));
  await vacuum();
  const copySeconds = await timed(async () => {
    for (let batch = 0; batch < BATCHES; batch += 1) await copyBatch(batch);
  });
  await vacuum();
  const batchSeconds = await timed(async () => {
    for (let batch = 0; batch < BATCHES; batch += 1) {
      await postMany(pool, Array.from({ length: BATCH_SIZE }, (_, i) => entry(`batch-${batch}`, batch * BATCH_SIZE + i)));
    }
  });
  const copyLabel = `COPY, ${BATCH_SIZE} entries + ${2 * BATCH_SIZE} lines per transaction`;
  figures.push({ label: copyLabel, count: BATCHES * BATCH_SIZE, unit: 'entries', seconds: copySeconds });
  figures.push({
    label: `ledger postMany(), ${BATCH_SIZE} entries per transaction`,
    count: BATCHES * BATCH_SIZE,
    unit: 'entries',
    seconds: batchSeconds,
    baseline: copyLabel,
  });

  await copyClient.end();
  await pool.end();
  await setup.end();
  await admin.end();
  printFigures('Ledger', figures);
  for (const line of rounds) console.log(`- ${line}`);
  console.log('\n### WAL per posting (pg_stat_wal; a checkpoint before each phase)');
  console.log('| phase | postings | WAL bytes per posting | WAL records per posting | full-page images per posting |');
  console.log('|---|---:|---:|---:|---:|');
  for (const phase of wal) {
    console.log(`| ${phase.label} | ${phase.count} | ${Math.round(phase.bytes / phase.count)} | ${(phase.records / phase.count).toFixed(1)} | ${(phase.fpi / phase.count).toFixed(2)} |`);
  }
  return figures;
}
