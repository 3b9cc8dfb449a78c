/**
 * The yearly subsidy run at full size (issue 4): 100,000 loans with 1,000,000 events of 5,000 enterprises in Yuanzhou
 * (360902), written with set-based SQL (generate_series) straight into the loans tables, then the 2024 Yuanzhou run:
 * - baseline: merely reading the same rows from PostgreSQL (the loans, events and pledges statements of the load);
 * - load + compute (`loadRunInput` + `computeRun`), and compute only;
 * - the whole draft as POST /subsidy-runs makes it (load, compute, store run and lines), for scale.
 * Target: computed in under 10 s and under 1 GiB (peak RSS printed).
 *
 * The loans' money events normally carry the ledger entry that moved the loan's memo accounts (a million entries of
 * the loans module, which the run never reads); the data set is written with triggers off (`session_replication_role
 * = replica`, so the connection needs superuser: the embedded PostgreSQL's) and with placeholder entry ids. Checks
 * and unique constraints still apply.
 */
import pg from 'pg';
import { createPool } from '../src/db/pool';
import { organisationCodeCheckCharacter, usccCheckCharacter } from '../src/loans/identifiers';
import { computeRun } from '../src/subsidy';
import { getPolicy, loadRunInput } from '../src/subsidy/runs';
import { createRun } from '../src/subsidy/runs/workflow';
import { printFigures, timed, type Figure } from './support';

const LOANS = Number(process.env.BENCH_SUBSIDY_LOANS ?? 100_000);
const EVENTS_PER_LOAN = 10;
const ENTERPRISES = 5_000;
const DIVISION = '360902';
const YEAR = 2024;

function usccOf(index: number): string {
  const organisation = `MA${String(index).padStart(6, '0')}`;
  const first17 = `91${DIVISION}${organisation}${organisationCodeCheckCharacter(organisation)}`;
  return first17 + usccCheckCharacter(first17);
}

/** Loans like engine's former performance test: starts spread over 700 days from 2023-01-01, 10 events each. */
async function writeDataSet(client: pg.Client): Promise<void> {
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

export async function benchSubsidy(url: string): Promise<Figure[]> {
  const client = new pg.Client({ connectionString: url });
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

    let lines = 0;
    let loaded: Awaited<ReturnType<typeof loadRunInput>> | undefined;
    const loadComputeSeconds = await timed(async () => {
      loaded = await loadRunInput(pool, policy, YEAR);
      lines = computeRun(loaded.input).lines.length;
    });
    const computeSeconds = await timed(async () => {
      computeRun(loaded!.input);
    });
    const heapAfterCompute = process.memoryUsage().heapUsed;
    loaded = undefined;

    const staff = await client.query<{ id: string }>(`insert into principal (name, role, token_hash) values ('bench', 'staff', sha256('bench'::bytea)) returning id`);
    const transaction = await pool.connect();
    const draftSeconds = await timed(async () => {
      await transaction.query('begin');
      await createRun(transaction, { policyId: 'yuanzhou-2023', year: YEAR }, staff.rows[0]!.id);
      await transaction.query('commit');
    });
    transaction.release();

    const figures: Figure[] = [
      { label: 'read loans, events, pledges (baseline)', count: LOANS, unit: 'loans', seconds: baselineSeconds },
      { label: `${YEAR} run: load + compute`, count: LOANS, unit: 'loans', seconds: loadComputeSeconds, baseline: 'read loans, events, pledges (baseline)' },
      { label: `${YEAR} run: compute only`, count: LOANS, unit: 'loans', seconds: computeSeconds, baseline: 'read loans, events, pledges (baseline)' },
      { label: `${YEAR} run: draft stored (load, compute, store lines)`, count: LOANS, unit: 'loans', seconds: draftSeconds, baseline: 'read loans, events, pledges (baseline)' },
    ];
    printFigures(`Yearly subsidy run (Yuanzhou ${YEAR}): ${LOANS.toLocaleString('en-US')} loans, ${eventCount.toLocaleString('en-US')} events, ${lines.toLocaleString('en-US')} lines`, figures);
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(
      `peak RSS ${peakRssMiB.toFixed(0)} MiB (limit 1024), heap after compute ${(heapAfterCompute / 2 ** 20).toFixed(0)} MiB; ` +
        `load + compute ${loadComputeSeconds.toFixed(2)} s (target < 10 s): ${loadComputeSeconds < 10 && peakRssMiB < 1024 ? 'met' : 'NOT MET'}`,
    );
    return figures;
  } finally {
    await pool.end();
    await client.end();
  }
}
