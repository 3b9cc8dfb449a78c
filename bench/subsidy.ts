/**
 * The yearly subsidy run at full size: 100,000 loans with 1,000,000 events of 5,000 enterprises in Yuanzhou
 * (360902), written with set-based SQL (generate_series) straight into the loans tables, then the 2024 Yuanzhou run:
 * - baseline: merely reading the same rows from PostgreSQL (loans, events and pledges, one row each, array row mode);
 * - load + compute (`loadRunInput` + `computeRun`) in a fresh child process, so its peak RSS is that phase's alone,
 *   with the load's part of it; then compute only (the same input again, in the child);
 * - store: the run's lines written (`insertLines`, one COPY), in a transaction rolled back;
 * - the whole draft as POST /subsidy-runs makes it (`createRun`: load, compute, store run and lines, read it back),
 *   in a fresh child process too, with its peak RSS.
 * Target: the whole draft in under 10 s and under 1 GiB of peak RSS.
 *
 * Then the eligibility answer of one enterprise (`enterpriseEligibility`, what GET /enterprises/{uscc}/eligibility
 * computes) with 50 loans of 10 events each, registered in Dongyang (330783) so that the Yuanzhou run above does not
 * see it: 20 answers, median and 95th percentile, against a baseline of merely reading that enterprise's loans, events
 * and pledges. Target: under 100 ms.
 *
 * The loans' money events normally carry the ledger entry that moved the loan's memo accounts (a million entries of
 * the loans module, which the run never reads); the data set is written with triggers off (`session_replication_role
 * = replica`, so the connection needs superuser: the embedded PostgreSQL's) and with placeholder entry ids. Checks
 * and unique constraints still apply.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import pg from 'pg';
import { createPool } from '../src/db/pool';
import { organisationCodeCheckCharacter, usccCheckCharacter } from '../src/loans/identifiers';
import { computeRun } from '../src/subsidy';
import { getPolicy, loadRunInput } from '../src/subsidy/runs';
import { insertLines } from '../src/subsidy/runs/store';
import { enterpriseEligibility } from '../src/subsidy/runs/eligibility';
import { createRun } from '../src/subsidy/runs/workflow';
import { printFigures, timed, type BenchDatabase, type Figure } from './support';

export const LOANS = Number(process.env.BENCH_SUBSIDY_LOANS ?? 100_000);
const EVENTS_PER_LOAN = 10;
const ENTERPRISES = 5_000;
const DIVISION = '360902';
export const YEAR = 2024;

function usccOf(index: number): string {
  const organisation = `MA${String(index).padStart(6, '0')}`;
  const first17 = `91${DIVISION}${organisation}${organisationCodeCheckCharacter(organisation)}`;
  return first17 + usccCheckCharacter(first17);
}

/** Loans like engine's former performance test: starts spread over 700 days from 2023-01-01, 10 events each. */
export async function writeDataSet(client: pg.Client): Promise<void> {
  await client.query(`set session_replication_role = replica`);
  const bank = await client.query<{ id: string }>(`insert into bank (code, name) values ('BENCH', 'bench bank') returning id`);
  const usccs = Array.from({ length: ENTERPRISES }, (_, index) => usccOf(index));
  await client.query(
    `insert into enterprise (uscc, name, division_code) select u, 'E' || n, $2 from unnest($1::text[]) with ordinality as t(u, n)`,
    [usccs, DIVISION],
  );
  await client.query(
    `insert into loan (id, bank_id, contract_no, enterprise_uscc, principal_fen, annual_rate, start_date, maturity_date,
                       collateral, ip_pledged_fen)
     select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, $1, 'C' || i, ($2::text[])[i % $3 + 1],
            x.principal, 0.0435, x.start, (x.start + interval '24 months')::date,
            case when i % 5 = 0 then 'combination' else 'ip_only' end,
            case when i % 5 = 0 then x.principal * 3 / 5 else x.principal end
       from generate_series(0, $4 - 1) as i,
            lateral (select 10000000::bigint + (i % 997) * 100000 as principal, date '2023-01-01' + (i % 700) as start) x`,
    [bank.rows[0]!.id, usccs, ENTERPRISES, LOANS],
  );
  await client.query(
    `insert into ip_asset (right_type, number)
     select case when i % 9 = 0 then 'trademark' else 'patent' end,
            case when i % 9 = 0 then (i + 1)::text else lpad(i::text, 12, '0') || '.0' end
       from generate_series(0, $1 - 1) as i`,
    [LOANS],
  );
  await client.query(
    `insert into pledge (loan_id, line_no, asset_id)
     select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 1, a.id
       from generate_series(0, $1 - 1) as i
       join ip_asset a on a.right_type = case when i % 9 = 0 then 'trademark' else 'patent' end
                      and a.number = case when i % 9 = 0 then (i + 1)::text else lpad(i::text, 12, '0') || '.0' end`,
    [LOANS],
  );
  // Per loan: the disbursement on its start; months 1–8 alternate interest payments and repayments of a tenth; the
  // rest repaid at 12 months.
  await client.query(
    `insert into loan_event (id, loan_id, type, effective_date, amount_fen, ledger_entry_id)
     select gen_random_uuid(), l.id,
            case when k = 0 then 'disbursement' when k = 9 then 'principal_repayment'
                 when k % 2 = 1 then 'interest_payment' else 'principal_repayment' end,
            case when k = 9 then (l.start_date + interval '12 months')::date
                 else (l.start_date + make_interval(months => k))::date end,
            case when k = 0 then l.principal_fen when k = 9 then l.principal_fen - 4 * (l.principal_fen / 10)
                 when k % 2 = 1 then 100000 else l.principal_fen / 10 end,
            row_number() over ()
       from loan l cross join generate_series(0, $1 - 1) as k`,
    [EVENTS_PER_LOAN],
  );
  await client.query(`set session_replication_role = origin`);
  await client.query(`vacuum analyze enterprise, loan, ip_asset, pledge, loan_event`);
}

const ELIGIBILITY_LOANS = 50;
const ELIGIBILITY_REPEATS = 20;
const ELIGIBILITY_LIMIT_MS = 100;

/** One Dongyang enterprise with 50 loans settled on time in 2024, 10 events each (triggers off, as above). */
async function writeEligibilityEnterprise(client: pg.Client): Promise<string> {
  const organisation = 'DY000001';
  const first17 = `91330783${organisation}${organisationCodeCheckCharacter(organisation)}`;
  const code = first17 + usccCheckCharacter(first17);
  await client.query(`set session_replication_role = replica`);
  const bank = await client.query<{ id: string }>(`select id from bank where code = 'BENCH'`);
  await client.query(`insert into enterprise (uscc, name, division_code) values ($1, '东阳基准企业', '330783')`, [code]);
  await client.query(
    `insert into loan (id, bank_id, contract_no, enterprise_uscc, principal_fen, annual_rate, start_date, maturity_date, collateral, ip_pledged_fen)
     select ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, $1, 'E' || i, $2, 100000000, 0.0435,
            date '2023-03-01' + i * 3, (date '2023-03-01' + i * 3 + interval '12 months' - interval '1 day')::date, 'ip_only', 100000000
       from generate_series(0, $3 - 1) as i`,
    [bank.rows[0]!.id, code, ELIGIBILITY_LOANS],
  );
  await client.query(
    `insert into ip_asset (right_type, number) select 'patent', '99' || lpad(i::text, 10, '0') || '.0' from generate_series(0, $1 - 1) as i`,
    [ELIGIBILITY_LOANS],
  );
  await client.query(
    `insert into pledge (loan_id, line_no, asset_id)
     select ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, 1, a.id
       from generate_series(0, $1 - 1) as i join ip_asset a on a.right_type = 'patent' and a.number = '99' || lpad(i::text, 10, '0') || '.0'`,
    [ELIGIBILITY_LOANS],
  );
  // Per loan: the disbursement; 4 interest payments and 3 repayments of a tenth; the rest and the settlement at maturity.
  await client.query(
    `insert into loan_event (id, loan_id, type, effective_date, amount_fen, ledger_entry_id)
     select gen_random_uuid(), l.id,
            case when k = 0 then 'disbursement' when k = 8 then 'principal_repayment' when k = 9 then 'settlement'
                 when k % 2 = 1 then 'interest_payment' else 'principal_repayment' end,
            case when k >= 8 then l.maturity_date else (l.start_date + make_interval(months => k))::date end,
            case when k = 0 then l.principal_fen when k = 8 then l.principal_fen - 3 * (l.principal_fen / 10) when k = 9 then null
                 when k % 2 = 1 then 100000 else l.principal_fen / 10 end,
            case when k = 9 then null else 2000000000 + row_number() over () end
       from loan l cross join generate_series(0, 9) as k where l.enterprise_uscc = $1`,
    [code],
  );
  await client.query(`set session_replication_role = origin`);
  await client.query(`vacuum analyze enterprise, loan, ip_asset, pledge, loan_event`);
  return code;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Milliseconds of each of `repeats` runs of `work`, sorted. */
async function latencies(repeats: number, work: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i += 1) times.push((await timed(work)) * 1000);
  return times.sort((a, b) => a - b);
}

const MiB = 2 ** 20;
const DRAFT_LIMIT_SECONDS = 10;
const RSS_LIMIT_MIB = 1024;

/** What the child process measured (see `loadAndCompute`). */
interface ChildFigures {
  /** The load alone (`loadRunInput`), the first part of `loadComputeSeconds`. */
  loadSeconds: number;
  loadComputeSeconds: number;
  computeSeconds: number;
  lines: number;
  counts: Record<string, number>;
  /** Peak RSS of the child up to the end of load + compute (the compute-only pass runs after it is read). */
  peakRssMiB: number;
  heapAfterComputeMiB: number;
}

/** In the child: load + compute once (timed, then its peak RSS), then compute only, reported to the parent. */
async function loadAndCompute(url: string): Promise<ChildFigures> {
  const pool = createPool(url, 2);
  try {
    const policy = (await getPolicy(pool, 'yuanzhou-2023')).policy;
    await pool.query('select 1');
    let loaded: Awaited<ReturnType<typeof loadRunInput>> | undefined;
    let lines = 0;
    let loadSeconds = 0;
    const loadComputeSeconds = await timed(async () => {
      loadSeconds = await timed(async () => {
        loaded = await loadRunInput(pool, policy, YEAR);
      });
      lines = computeRun(loaded!.input).lines.length;
    });
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    const heapAfterComputeMiB = process.memoryUsage().heapUsed / MiB;
    const computeSeconds = await timed(async () => {
      computeRun(loaded!.input);
    });
    return { loadSeconds, loadComputeSeconds, computeSeconds, lines, counts: loaded!.counts, peakRssMiB, heapAfterComputeMiB };
  } finally {
    await pool.end();
  }
}

/** In the child: the whole draft, committed, as POST /subsidy-runs makes it (in a transaction, by `staffId`). */
async function draft(url: string, staffId: string): Promise<DraftFigures> {
  const pool = createPool(url, 2);
  const transaction = await pool.connect();
  try {
    await transaction.query('select 1');
    const seconds = await timed(async () => {
      await transaction.query('begin');
      await createRun(transaction, { policyId: 'yuanzhou-2023', year: YEAR }, staffId);
      await transaction.query('commit');
    });
    return { seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    transaction.release();
    await pool.end();
  }
}

interface DraftFigures {
  seconds: number;
  peakRssMiB: number;
}

const CHILD_LOAD_COMPUTE = '--subsidy-load-compute';
const CHILD_DRAFT = '--subsidy-draft';

/** Runs one of the phases above in a fresh process (this module again, with the same node flags). */
async function inChildProcess<T>(args: string[]): Promise<T> {
  const child = fork(__filename, args, { stdio: 'inherit' });
  const [message] = (await once(child, 'message')) as [T | { error: string }];
  await once(child, 'exit');
  if (typeof message === 'object' && message !== null && 'error' in message) throw new Error(`${args[0]} child: ${message.error}`);
  return message as T;
}

export async function benchSubsidy(database: BenchDatabase): Promise<Figure[]> {
  // The data set is written by the superuser with the triggers off; the run is measured as the serving role.
  const url = database.url;
  const client = new pg.Client({ connectionString: database.adminUrl });
  await client.connect();
  const pool = createPool(url, 4);
  try {
    const writeSeconds = await timed(() => writeDataSet(client));
    const eventCount = Number((await client.query(`select count(*) from loan_event`)).rows[0].count);
    console.log(`\n(data set: ${LOANS} loans, ${eventCount} events written in ${writeSeconds.toFixed(1)} s)`);
    const policy = (await getPolicy(pool, 'yuanzhou-2023')).policy;

    // Baseline: the rows the load reads, read and nothing else.
    const baselineSeconds = await timed(async () => {
      const loans = await pool.query({ text: `select id::text, bank_id::text, enterprise_uscc, contract_no, principal_fen, ip_pledged_fen, collateral, annual_rate::text, start_date, maturity_date from loan`, rowMode: 'array' });
      const ids = loans.rows.map((row) => row[0] as string);
      await pool.query({ text: `select loan_id::text, type, effective_date, amount_fen, days_overdue from loan_event where loan_id = any($1::uuid[])`, values: [ids], rowMode: 'array' });
      await pool.query({ text: `select p.loan_id::text, a.right_type, a.number from pledge p join ip_asset a on a.id = p.asset_id where p.loan_id = any($1::uuid[])`, values: [ids], rowMode: 'array' });
    });

    const child = await inChildProcess<ChildFigures>([CHILD_LOAD_COMPUTE, url]);

    // Store: the lines of the run computed here, written in a transaction rolled back (the draft below keeps its own).
    let result: ReturnType<typeof computeRun> | undefined = computeRun((await loadRunInput(pool, policy, YEAR)).input);
    const storeClient = await pool.connect();
    let stored = 0;
    let storeSeconds: number;
    try {
      await storeClient.query('begin');
      const run = await storeClient.query<{ id: string }>(
        `insert into subsidy_run (policy_id, policy_version, year, kind, status, total_fen, totals, result, computed_at)
         values ($1, $2, $3, 'regular', 'draft', 0, '[]', '{}', now()) returning id`,
        [policy.id, policy.version, YEAR],
      );
      storeSeconds = await timed(async () => {
        stored = await insertLines(storeClient, run.rows[0]!.id, result!);
      });
      await storeClient.query('rollback');
    } finally {
      storeClient.release();
    }
    result = undefined;

    const staff = await client.query<{ id: string }>(`insert into principal (name, role, token_hash) values ('bench', 'staff', sha256('bench'::bytea)) returning id`);
    const drafted = await inChildProcess<DraftFigures>([CHILD_DRAFT, url, staff.rows[0]!.id]);

    const baseline = 'read loans, events, pledges (baseline)';
    const figures: Figure[] = [
      { label: baseline, count: LOANS, unit: 'loans', seconds: baselineSeconds },
      { label: `${YEAR} run: load (own process)`, count: LOANS, unit: 'loans', seconds: child.loadSeconds, baseline },
      { label: `${YEAR} run: load + compute (own process)`, count: LOANS, unit: 'loans', seconds: child.loadComputeSeconds, baseline },
      { label: `${YEAR} run: compute only`, count: LOANS, unit: 'loans', seconds: child.computeSeconds, baseline },
      { label: `${YEAR} run: store ${stored.toLocaleString('en-US')} lines (COPY)`, count: stored, unit: 'lines', seconds: storeSeconds, baseline },
      { label: `${YEAR} run: draft stored (createRun: load, compute, store, read back)`, count: LOANS, unit: 'loans', seconds: drafted.seconds, baseline },
    ];
    printFigures(
      `Yearly subsidy run (Yuanzhou ${YEAR}): ${LOANS.toLocaleString('en-US')} loans, ${eventCount.toLocaleString('en-US')} events (${child.counts.events?.toLocaleString('en-US')} read by the run), ${child.lines.toLocaleString('en-US')} lines`,
      figures,
    );
    const met = drafted.seconds < DRAFT_LIMIT_SECONDS && drafted.peakRssMiB < RSS_LIMIT_MIB;
    console.log(
      `the whole draft: ${drafted.seconds.toFixed(2)} s (limit ${DRAFT_LIMIT_SECONDS}), peak RSS ${drafted.peakRssMiB.toFixed(0)} MiB ` +
        `(limit ${RSS_LIMIT_MIB}): ${met ? 'met' : 'NOT MET'}; load ${child.loadSeconds.toFixed(2)} s, load + compute ` +
        `${child.loadComputeSeconds.toFixed(2)} s (peak RSS ${child.peakRssMiB.toFixed(0)} MiB, heap after compute ` +
        `${child.heapAfterComputeMiB.toFixed(0)} MiB); load average ${os.loadavg().map((load) => load.toFixed(2)).join(', ')}`,
    );

    // Eligibility of one enterprise with 50 loans.
    const enterprise = await writeEligibilityEnterprise(client);
    const readBaseline = await latencies(ELIGIBILITY_REPEATS, async () => {
      const loans = await pool.query({ text: `select id from loan where enterprise_uscc = $1`, values: [enterprise], rowMode: 'array' });
      const ids = loans.rows.map((row) => row[0] as string);
      await pool.query({ text: `select loan_id::text, type, effective_date, amount_fen, days_overdue from loan_event where loan_id = any($1::uuid[])`, values: [ids], rowMode: 'array' });
      await pool.query({ text: `select p.loan_id::text, a.right_type, a.number from pledge p join ip_asset a on a.id = p.asset_id where p.loan_id = any($1::uuid[])`, values: [ids], rowMode: 'array' });
    });
    let answered = 0;
    const answers = await latencies(ELIGIBILITY_REPEATS, async () => {
      const answer = await enterpriseEligibility(pool, enterprise, YEAR, { bankId: null });
      answered = answer.policies.find((policy) => policy.policyId === 'dongyang-2021')?.loans.filter((loan) => loan.eligible).length ?? 0;
    });
    const baselineMedian = quantile(readBaseline, 0.5);
    const median = quantile(answers, 0.5);
    const p95 = quantile(answers, 0.95);
    console.log(`\n## Eligibility of one enterprise (${ELIGIBILITY_LOANS} loans, ${ELIGIBILITY_LOANS * 10} events; ${answered} loans eligible under Dongyang ${YEAR}), ${ELIGIBILITY_REPEATS} answers`);
    console.log('| measurement | median ms | p95 ms | ratio to baseline (median) |');
    console.log('|---|---:|---:|---|');
    console.log(`| read its loans, events, pledges (baseline) | ${baselineMedian.toFixed(1)} | ${quantile(readBaseline, 0.95).toFixed(1)} | baseline |`);
    console.log(`| eligibility answer (3 policies in force) | ${median.toFixed(1)} | ${p95.toFixed(1)} | ${(baselineMedian / median).toFixed(2)} |`);
    console.log(`eligibility: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target < ${ELIGIBILITY_LIMIT_MS} ms): ${p95 < ELIGIBILITY_LIMIT_MS ? 'met (p95)' : median < ELIGIBILITY_LIMIT_MS ? 'met by the median only' : 'NOT MET'}`);
    return figures;
  } finally {
    await pool.end();
    await client.end();
  }
}

const childPhase = require.main === module ? process.argv[2] : undefined;
if (childPhase === CHILD_LOAD_COMPUTE || childPhase === CHILD_DRAFT) {
  const report = (message: ChildFigures | DraftFigures | { error: string }) => process.send!(message, () => process.disconnect());
  const phase = childPhase === CHILD_LOAD_COMPUTE ? loadAndCompute(process.argv[3]!) : draft(process.argv[3]!, process.argv[4]!);
  phase.then(report, (error: unknown) => report({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
}
