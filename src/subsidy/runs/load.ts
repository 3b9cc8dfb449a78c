/**
 * Loads everything one yearly run needs, set-wise (one set-based query for a year of loans, not one query per loan): a
 * fixed number of statements whatever the number of loans, then `computeRun` works on plain arrays.
 *
 * Which loans: those of enterprises whose registration division matches the policy's jurisdiction (the engine checks
 * again and makes no line for anything else), and of those a superset of the loans the year is attributed to —
 * accrual: the window `[start, start + N months)` can overlap the year; settlement: settled in the year — plus loans
 * with a fee paid in the year (fee support needs the loan). The engine decides the lines exactly.
 *
 * The loans module's tables are read through what it exports (migrations/owners.ts): the view `loan_facts`, one row
 * per loan with its events and pledges aggregated (decoded by src/loans/facts.ts; bench/subsidy.ts: 100,000 loans
 * with 1,000,000 events in one statement, node's CPU ~1.1 s, peak RSS ~490 MiB with the compute), `pledged_asset`
 * and `enterprise_registration`; who recorded something through the principals' `principal_directory`. The other
 * statements name the same selection of loans in SQL (`selectedLoan`) rather than sending 100,000 loan ids back as an
 * array parameter. Given the pool, all statements read one snapshot (see `onOneSnapshot`).
 *
 * `loadEnterpriseInputs` reads the same inputs for one enterprise and several policies at once (the eligibility
 * answer): the enterprise's loans whatever their dates, the engine deciding which the year concerns.
 */
import pg from 'pg';
import type { Queryable } from '../../db/pool';
import { LOAN_FACTS_COLUMNS, LoanFactsDecoder, loanFactsSelectedSql, type LoanFactsRow, type LoanIdRange } from '../../loans/facts';
import type { Policy } from '../policy';
import type { BodyAmount, RunCarry, RunEnterpriseStatus, RunInput, RunLoan, RunSubsidisedAsset } from '../types';
import type { Fen } from '../../money';

/** The statuses of a run whose amounts the ledger holds. */
export const APPROVED_STATUSES = ['approved', 'partially_paid', 'paid'] as const;

export interface LoadOptions {
  budget?: BodyAmount[] | undefined;
  /**
   * Other versions of the same policy whose loans are read too (a reform simulation: a longer window or another
   * attribution selects other loans). The selection is the union; the engine decides each version's lines exactly.
   */
  alsoFor?: readonly Policy[] | undefined;
  /**
   * A reform simulation's today (`YYYY-MM-DD`): a loan not settled whose maturity falls in the year after that day is
   * read as well, so that a settlement attribution can count it once projected as settled at maturity
   * (src/subsidy/simulation/projection.ts).
   */
  projectAfter?: string | undefined;
  /**
   * Told each batch of loans as it is read, in loan-id order, with the run's input (its other inputs complete, its
   * `loans` filled as the batches come): a caller computing the run (`RunComputation`) evaluates a batch while the
   * server reads the next. Given it, the loans are read in `LOAN_BATCHES` statements over ranges of loan ids instead
   * of one (see `readLoans`).
   */
  onLoans?: ((input: RunInput, loans: readonly RunLoan[]) => void) | undefined;
}

export interface LoadedInput {
  input: RunInput;
  /** How many rows each statement read (shown in the bench and useful when a run looks wrong). */
  counts: { enterprises: number; loans: number; events: number; pledges: number };
  /**
   * The input of another version given in `alsoFor`, from the same read: the same loans and staff inputs, with what
   * depends on the version (the carried amounts, the assets subsidised in other years) taken as that version reads them.
   */
  inputFor(other: Policy, budget?: BodyAmount[]): RunInput;
}

function divisionPatterns(policy: Policy): string[] {
  return policy.jurisdiction.divisionPrefixes.map((prefix) => `${prefix}%`);
}

type QueryRows<T> = { rows: T[] };

/**
 * The selection of loans as a predicate on `loan_facts l` over the parameters $1 (division patterns), $2 and $3 (the
 * year as `[from, to)` dates). Written per attribution, so the planner sees the predicate that applies (a `case` over
 * a parameter hides it).
 */
function selectedLoanPredicate(policies: readonly Policy[], projectAfter?: string): string {
  if (projectAfter !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(projectAfter)) throw new Error(`projectAfter ${projectAfter} is not a date`);
  const clauses = new Set<string>();
  for (const policy of policies) {
    const windowMonths = policy.parameters.windowMonths.value;
    if (!Number.isSafeInteger(windowMonths)) throw new Error(`policy ${policy.id}: window months ${windowMonths} is not an integer`);
    if (policy.parameters.attribution.value === 'accrual') {
      clauses.add(`l.start_date < $3::date and (l.start_date + make_interval(months => ${windowMonths}))::date > $2::date`);
    } else {
      clauses.add(`l.settled_on >= $2::date and l.settled_on < $3::date`);
      // Projected as settled at maturity (a date validated above, so inlined: the statements number their own parameters).
      if (projectAfter !== undefined) {
        clauses.add(`l.settled_on is null and l.maturity_date >= $2::date and l.maturity_date < $3::date and l.maturity_date > '${projectAfter}'::date`);
      }
    }
  }
  const attributed = [...clauses].map((clause) => `(${clause})`).join(' or ');
  return `l.division_code like any($1::text[])
      and (${attributed}
           or exists (select 1 from loan_fee f where f.loan_id = l.id and f.paid_on >= $2::date and f.paid_on < $3::date))`;
}

/** `loanId` (a uuid expression) is one of the selected loans. */
function selectedLoan(predicate: string, loanId: string): string {
  return `exists (select 1 from loan_facts l where l.id = ${loanId} and ${predicate})`;
}

/** The decoded loans of a `loan_facts` read, as the engine takes them. */
function runLoans(rows: LoanFactsRow[], decoder: LoanFactsDecoder): RunLoan[] {
  const loans = new Array<RunLoan>(rows.length);
  for (let index = 0; index < rows.length; index += 1) loans[index] = decoder.decode(rows[index]!);
  rows.length = 0;
  return loans;
}

/**
 * Runs `read` on one snapshot: given the pool, on a connection of its own in a read-only repeatable-read
 * transaction; given a client, on it as it is (a run is created inside the request's transaction).
 */
async function onOneSnapshot<T>(db: Queryable, read: (db: Queryable) => Promise<T>): Promise<T> {
  if (!(db instanceof pg.Pool)) return read(db);
  const client = await db.connect();
  // A failed rollback leaves the connection unusable: it is destroyed, not returned to the pool; the first error stands.
  let broken: Error | undefined;
  try {
    await client.query('begin isolation level repeatable read read only');
    const result = await read(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * `work` with PostgreSQL's JIT compilation off, then the setting as it was. The loans statement costs millions in
 * the planner's units (a subquery per loan), so the server would spend ~0.5 s compiling it with LLVM to save nothing:
 * it runs in about a second. `set_config(…, true)` lasts until the end of the transaction (outside one, the
 * statement), hence the explicit restore.
 */
async function withoutJit<T>(db: Queryable, work: () => Promise<T>): Promise<T> {
  const before = await db.query<{ jit: string }>(`select current_setting('jit') as jit, set_config('jit', 'off', true)`);
  // Restored when `work` succeeds; when it fails, its transaction is aborted and the setting goes with the rollback.
  const result = await work();
  await db.query(`select set_config('jit', $1, true)`, [before.rows[0]!.jit]);
  return result;
}

/** Reads the run's input for `policy` and `year` (see the module comment): a fixed number of statements, one snapshot. */
export async function loadRunInput(db: Queryable, policy: Policy, year: number, options: LoadOptions = {}): Promise<LoadedInput> {
  return onOneSnapshot(db, (snapshot) => load(snapshot, policy, year, options));
}

type RateRow = { rate_index: string; effective_date: string; rate: string };
type ExclusionRow = { enterprise_uscc: string; year: number; reason: string; set_by: string | null };
type StatusRow = { id: string; enterprise_uscc: string; condition: RunEnterpriseStatus['condition']; valid_from: string; valid_to: string | null; reason: string; recorded_by: string | null };
type OtherSupportRow = { loan_id: string; programme: string; fiscal_level: string; amount_fen: bigint; year: number | null };
type ContributionRow = { enterprise_uscc: string; year: number; amount_fen: bigint };
type FeeRow = { loan_id: string; kind: 'evaluation' | 'guarantee' | 'insurance'; amount_fen: bigint; paid_on: string };
type PremiumRow = { enterprise_uscc: string; amount_fen: bigint; paid_on: string };
type PriorAssetRow = { right_type: string; number: string; year: number; loan_id: string };

const RATES_SQL = `select rate_index, effective_date, rate::text from reference_rate order by rate_index, effective_date`;
/** Who recorded something, as the trace names them: "name (id)". */
const RECORDED_BY = (column: string) => `(select p.name || ' (' || p.id || ')' from principal_directory p where p.id = ${column})`;

/** The inputs of the run besides the loans, as the engine takes them. */
function staffInputs(rows: {
  rates: RateRow[];
  exclusions: ExclusionRow[];
  status: StatusRow[];
  otherSupport: OtherSupportRow[];
  contributions: ContributionRow[];
  fees: FeeRow[];
  premiums: PremiumRow[];
}): Omit<RunInput, 'policy' | 'year' | 'loans' | 'enterprises' | 'carryIn' | 'priorSubsidisedAssets' | 'cumulativePaid' | 'budget'> {
  return {
    rates: rows.rates.map((row) => ({ index: row.rate_index, effectiveDate: row.effective_date, rate: row.rate })),
    exclusions: rows.exclusions.map((row) => ({ uscc: row.enterprise_uscc, year: row.year, reason: row.reason, ...(row.set_by ? { setBy: row.set_by } : {}) })),
    enterpriseStatus: rows.status.map((row) => ({
      recordId: row.id,
      uscc: row.enterprise_uscc,
      condition: row.condition,
      from: row.valid_from,
      to: row.valid_to,
      reason: row.reason,
      ...(row.recorded_by ? { recordedBy: row.recorded_by } : {}),
    })),
    otherSupport: rows.otherSupport.map((row) => ({
      loanId: row.loan_id,
      programme: row.programme,
      fiscalLevel: row.fiscal_level,
      amountFen: row.amount_fen,
      ...(row.year !== null ? { year: row.year } : {}),
    })),
    contributions: rows.contributions.map((row) => ({ uscc: row.enterprise_uscc, year: row.year, amountFen: row.amount_fen })),
    fees: rows.fees.map((row) => ({ loanId: row.loan_id, kind: row.kind, amountFen: row.amount_fen, date: row.paid_on })),
    premiums: rows.premiums.map((row) => ({ uscc: row.enterprise_uscc, amountFen: row.amount_fen, date: row.paid_on })),
  };
}

function priorAssets(rows: PriorAssetRow[]): RunSubsidisedAsset[] {
  return rows.map((row) => ({ rightType: row.right_type, number: row.number, year: row.year, loanId: row.loan_id }));
}

/** Statements the loans are read in when a caller computes them as they come (`LoadOptions.onLoans`). */
export const LOAN_BATCHES = 4;
/** Fewer selected loans than this are read in one statement all the same. */
const BATCHED_FROM_LOANS = 20_000;

/**
 * Reads the selected loans in loan-id order, handing each statement's loans to `take` decoded. In batches (`batched`,
 * and at least `BATCHED_FROM_LOANS` loans): the selection's loan ids cut into `LOAN_BATCHES` ranges of about as many
 * loans at its quantiles (one statement), then a statement per range, each sent when the one before has answered: the
 * server reads a range while the caller computes the one before. Each range reads its loans' events and pledges by
 * index; the four cost the server about a third more CPU than one statement over all the loans (~2 s for 100,000
 * loans, README "Benchmark"), and the caller's computing of the loans overlaps them. The ranges are disjoint and cover
 * every loan id: each selected loan is read once.
 */
async function readLoans(
  db: Queryable,
  predicate: string,
  selection: unknown[],
  decoder: LoanFactsDecoder,
  batched: boolean,
  take: (loans: RunLoan[]) => void,
): Promise<void> {
  let bounds: string[] = [];
  if (batched) {
    const fractions = Array.from({ length: LOAN_BATCHES - 1 }, (_, index) => (index + 1) / LOAN_BATCHES);
    const quantiles = await db.query<{ loans: number; bounds: string[] | null }>(
      `select count(*)::int as loans, percentile_disc($${selection.length + 1}::float8[]) within group (order by l.id)::text[] as bounds
         from loan_facts l where ${predicate}`,
      [...selection, fractions],
    );
    const found = quantiles.rows[0];
    if (found && found.loans >= BATCHED_FROM_LOANS && found.bounds) bounds = found.bounds.filter((bound, index, all) => index === 0 || bound !== all[index - 1]);
  }
  const ranges: Array<{ range: LoanIdRange; values: unknown[] }> = [];
  for (let index = 0; index <= bounds.length; index += 1) {
    const values = [...selection];
    const range: LoanIdRange = {};
    if (index > 0) {
      values.push(bounds[index - 1]);
      range.after = `$${values.length}::uuid`;
    }
    if (index < bounds.length) {
      values.push(bounds[index]);
      range.upTo = `$${values.length}::uuid`;
    }
    ranges.push({ range, values });
  }
  const read = (index: number) => {
    const { range, values } = ranges[index]!;
    return db.query<LoanFactsRow>({ text: loanFactsSelectedSql(predicate, range), values, rowMode: 'array' });
  };
  // Each range's statement is sent as soon as the one before has answered, before its loans are handed over.
  let pending: ReturnType<typeof read> | undefined = read(0);
  for (let index = 0; pending !== undefined; index += 1) {
    const rows = (await pending).rows;
    pending = index + 1 < ranges.length ? read(index + 1) : undefined;
    try {
      take(runLoans(rows, decoder));
    } catch (error) {
      // The statement in flight ends before the caller goes on with the connection (a rollback, say).
      await pending?.catch(() => undefined);
      throw error;
    }
  }
}

async function load(db: Queryable, policy: Policy, year: number, options: LoadOptions): Promise<LoadedInput> {
  const patterns = divisionPatterns(policy);
  const yearFrom = `${year}-01-01`;
  const yearTo = `${year + 1}-01-01`;
  const versions = [policy, ...(options.alsoFor ?? [])];
  const predicate = selectedLoanPredicate(versions, options.projectAfter);
  const selection = [patterns, yearFrom, yearTo];

  // In sequence: on one client they would queue anyway.
  const enterprises = await db.query<[string, string, string]>({
    text: `select uscc, name, division_code from enterprise_registration where division_code like any($1::text[]) order by uscc`,
    values: [patterns],
    rowMode: 'array',
  });

  const decoder = new LoanFactsDecoder();

  const queries: Array<() => Promise<{ rows: unknown[] }>> = [
    () => db.query<RateRow>(RATES_SQL),
    () => db.query<ExclusionRow>(
      `select x.enterprise_uscc, x.year, x.reason, ${RECORDED_BY('x.set_by')} as set_by
         from subsidy_exclusion x join enterprise_registration e on e.uscc = x.enterprise_uscc
        where x.year = $1 and x.withdrawn_at is null and e.division_code like any($2::text[])`,
      [year, patterns],
    ),
    // 《关于全面加强知识产权工作的实施意见》 § 20: records not withdrawn whose period overlaps the year.
    () => db.query<StatusRow>(
      `select x.id::text, x.enterprise_uscc, x.condition, x.valid_from, x.valid_to, x.reason, ${RECORDED_BY('x.recorded_by')} as recorded_by
         from enterprise_status_record x join enterprise_registration e on e.uscc = x.enterprise_uscc
        where x.withdrawn_at is null and x.valid_from < $2::date and (x.valid_to is null or x.valid_to >= $1::date)
          and e.division_code like any($3::text[])
        order by x.enterprise_uscc, x.valid_from, x.id`,
      [yearFrom, yearTo, patterns],
    ),
    () => db.query<OtherSupportRow>(
      `select o.loan_id::text, o.programme, o.fiscal_level, o.amount_fen, o.year from subsidy_other_support o
        where (o.year is null or o.year = $4) and ${selectedLoan(predicate, 'o.loan_id')}`,
      [...selection, year],
    ),
    // § 22: the latest record per enterprise and year counts.
    () => db.query<ContributionRow>(
      `select distinct on (c.enterprise_uscc, c.year) c.enterprise_uscc, c.year, c.amount_fen
         from subsidy_contribution c join enterprise_registration e on e.uscc = c.enterprise_uscc
        where c.year = $1 and e.division_code like any($2::text[])
        order by c.enterprise_uscc, c.year, c.recorded_at desc, c.id desc`,
      [year, patterns],
    ),
    () => db.query<FeeRow>(
      `select x.loan_id::text, x.kind, x.amount_fen, x.paid_on from loan_fee x
        where x.paid_on >= $2::date and x.paid_on < $3::date and ${selectedLoan(predicate, 'x.loan_id')}`,
      selection,
    ),
    () => db.query<PremiumRow>(
      `select s.enterprise_uscc, s.amount_fen, s.paid_on from subsidy_premium s join enterprise_registration e on e.uscc = s.enterprise_uscc
        where s.paid_on >= $1::date and s.paid_on < $2::date and e.division_code like any($3::text[])`,
      [yearFrom, yearTo, patterns],
    ),
    // § 22: what the latest approved run of the year before carried out (it already holds older carried amounts).
    () => db.query<{ carry_out: unknown }>(
      `select result -> 'carryOut' as carry_out from subsidy_run
        where policy_id = $1 and year = $2 and status = any($3::text[])
        order by approved_at desc limit 1`,
      [policy.id, year - 1, APPROVED_STATUSES],
    ),
    // § 6 (same asset one year only): assets of loans paid by approved runs of this policy in other years.
    () => versions.some((version) => version.parameters.sameAsset.value === 'one_year_only')
      ? db.query<PriorAssetRow>(
          `select distinct a.right_type, a.number, r.year, rl.loan_id::text
             from subsidy_run r
             join subsidy_run_line rl on rl.run_id = r.id and rl.kind = 'interest' and rl.eligible and rl.amount_fen > 0
             join pledged_asset a on a.loan_id = rl.loan_id
            where r.policy_id = $4 and r.year <> $5 and r.status = any($6::text[])
              and a.right_type = any($7::text[])
              and a.asset_id in (select sp.asset_id from pledged_asset sp where ${selectedLoan(predicate, 'sp.loan_id')})`,
          [...selection, policy.id, year, APPROVED_STATUSES, [...new Set(versions.flatMap((version) => version.parameters.eligibleRightTypes.value))]],
        )
      : Promise.resolve({ rows: [] as PriorAssetRow[] }),
    // For the cumulative cap: what approvals of this policy posted per enterprise in other years (net of adjustments).
    () => db.query<{ enterprise_uscc: string; amount_fen: bigint }>(
      `select s.enterprise_uscc, sum(s.amount_fen)::bigint as amount_fen
         from subsidy_approval_share s join subsidy_run r on r.id = s.run_id
        where r.policy_id = $1 and r.year <> $2
        group by s.enterprise_uscc`,
      [policy.id, year],
    ),
  ];
  const results: Array<{ rows: unknown[] }> = [];
  for (const query of queries) results.push(await query());
  const [rates, exclusions, status, otherSupport, contributions, fees, premiums, carry, prior, cumulative] = results as [
    QueryRows<RateRow>,
    QueryRows<ExclusionRow>,
    QueryRows<StatusRow>,
    QueryRows<OtherSupportRow>,
    QueryRows<ContributionRow>,
    QueryRows<FeeRow>,
    QueryRows<PremiumRow>,
    QueryRows<{ carry_out: unknown }>,
    QueryRows<PriorAssetRow>,
    QueryRows<{ enterprise_uscc: string; amount_fen: bigint }>,
  ];

  const versionInputs = (version: Policy): Pick<RunInput, 'carryIn' | 'priorSubsidisedAssets'> => {
    const eligibleTypes: readonly string[] = version.parameters.eligibleRightTypes.value;
    return {
      carryIn: version.parameters.contributionCap.value ? parseCarryOut(carry.rows[0]?.carry_out) : [],
      priorSubsidisedAssets:
        version.parameters.sameAsset.value === 'one_year_only' ? priorAssets(prior.rows.filter((row) => eligibleTypes.includes(row.right_type))) : [],
    };
  };
  const loanList: RunLoan[] = [];
  const input: RunInput = {
    policy,
    year,
    loans: loanList,
    enterprises: enterprises.rows.map(([uscc, name, divisionCode]) => ({ uscc: decoder.shared(uscc), name, divisionCode: decoder.shared(divisionCode) })),
    ...staffInputs({
      rates: rates.rows,
      exclusions: exclusions.rows,
      status: status.rows,
      otherSupport: otherSupport.rows,
      contributions: contributions.rows,
      fees: fees.rows,
      premiums: premiums.rows,
    }),
    ...versionInputs(policy),
    cumulativePaid: cumulative.rows.map((row) => ({ uscc: row.enterprise_uscc, amountFen: row.amount_fen })),
    ...(options.budget && options.budget.length > 0 ? { budget: options.budget } : {}),
  };

  // The loans with their events and pledges, one row each (see the module comment), last: a caller computing the
  // run has all the other inputs when the first loans come.
  await withoutJit(db, () =>
    readLoans(db, predicate, selection, decoder, options.onLoans !== undefined, (loans) => {
      for (const loan of loans) loanList.push(loan);
      options.onLoans?.(input, loans);
    }),
  );
  return {
    input,
    counts: { enterprises: enterprises.rows.length, loans: loanList.length, events: decoder.eventCount, pledges: decoder.pledgeCount },
    inputFor(other, budget) {
      if (other.id !== policy.id || !versions.includes(other)) throw new Error(`policy ${other.id} was not read with this input (alsoFor)`);
      const { budget: _budget, ...rest } = input;
      return { ...rest, policy: other, ...versionInputs(other), ...(budget && budget.length > 0 ? { budget } : {}) };
    },
  };
}

/**
 * The inputs of each policy's run for `year`, restricted to one enterprise (for the eligibility answer): all of the
 * enterprise's loans, whatever their dates (the engine decides which the year concerns), and the inputs staff
 * recorded for it. One snapshot, a fixed number of statements however many policies. Null when no enterprise has the
 * USCC.
 */
export async function loadEnterpriseInputs(
  db: Queryable,
  uscc: string,
  policies: readonly Policy[],
  year: number,
): Promise<{ enterprise: { uscc: string; name: string; divisionCode: string }; loans: RunLoan[]; inputs: RunInput[] } | null> {
  return onOneSnapshot(db, async (snapshot) => {
    const enterprise = await snapshot.query<{ uscc: string; name: string; division_code: string }>(
      `select uscc, name, division_code from enterprise_registration where uscc = $1`,
      [uscc],
    );
    const found = enterprise.rows[0];
    if (!found) return null;
    const yearFrom = `${year}-01-01`;
    const yearTo = `${year + 1}-01-01`;
    const policyIds = policies.map((policy) => policy.id);
    const loans = await snapshot.query<LoanFactsRow>({
      text: `select ${LOAN_FACTS_COLUMNS} from loan_facts l where l.enterprise_uscc = $1 order by l.id`,
      values: [uscc],
      rowMode: 'array',
    });
    const loanList = runLoans(loans.rows, new LoanFactsDecoder());
    const ofEnterprise = `(select l.id from loan_facts l where l.enterprise_uscc = $1)`;
    const rates = await snapshot.query<RateRow>(RATES_SQL);
    const exclusions = await snapshot.query<ExclusionRow>(
      `select x.enterprise_uscc, x.year, x.reason, ${RECORDED_BY('x.set_by')} as set_by from subsidy_exclusion x
        where x.enterprise_uscc = $1 and x.year = $2 and x.withdrawn_at is null`,
      [uscc, year],
    );
    const status = await snapshot.query<StatusRow>(
      `select x.id::text, x.enterprise_uscc, x.condition, x.valid_from, x.valid_to, x.reason, ${RECORDED_BY('x.recorded_by')} as recorded_by
         from enterprise_status_record x
        where x.enterprise_uscc = $1 and x.withdrawn_at is null and x.valid_from < $3::date and (x.valid_to is null or x.valid_to >= $2::date)
        order by x.valid_from, x.id`,
      [uscc, yearFrom, yearTo],
    );
    const otherSupport = await snapshot.query<OtherSupportRow>(
      `select o.loan_id::text, o.programme, o.fiscal_level, o.amount_fen, o.year from subsidy_other_support o
        where (o.year is null or o.year = $2) and o.loan_id in ${ofEnterprise}`,
      [uscc, year],
    );
    const contributions = await snapshot.query<ContributionRow>(
      `select c.enterprise_uscc, c.year, c.amount_fen from subsidy_contribution c where c.enterprise_uscc = $1 and c.year = $2
        order by c.recorded_at desc, c.id desc limit 1`,
      [uscc, year],
    );
    const fees = await snapshot.query<FeeRow>(
      `select x.loan_id::text, x.kind, x.amount_fen, x.paid_on from loan_fee x
        where x.paid_on >= $2::date and x.paid_on < $3::date and x.loan_id in ${ofEnterprise}`,
      [uscc, yearFrom, yearTo],
    );
    const premiums = await snapshot.query<PremiumRow>(
      `select s.enterprise_uscc, s.amount_fen, s.paid_on from subsidy_premium s
        where s.enterprise_uscc = $1 and s.paid_on >= $2::date and s.paid_on < $3::date`,
      [uscc, yearFrom, yearTo],
    );
    const carries = await snapshot.query<{ policy_id: string; carry_out: unknown }>(
      `select distinct on (policy_id) policy_id, result -> 'carryOut' as carry_out from subsidy_run
        where policy_id = any($1::text[]) and year = $2 and status = any($3::text[])
        order by policy_id, approved_at desc`,
      [policyIds, year - 1, APPROVED_STATUSES],
    );
    const prior = await snapshot.query<PriorAssetRow & { policy_id: string }>(
      `select distinct r.policy_id, a.right_type, a.number, r.year, rl.loan_id::text
         from subsidy_run r
         join subsidy_run_line rl on rl.run_id = r.id and rl.kind = 'interest' and rl.eligible and rl.amount_fen > 0
         join pledged_asset a on a.loan_id = rl.loan_id
        where r.policy_id = any($2::text[]) and r.year <> $3 and r.status = any($4::text[])
          and a.asset_id in (select sp.asset_id from pledged_asset sp where sp.loan_id in ${ofEnterprise})`,
      [uscc, policyIds, year, APPROVED_STATUSES],
    );
    const cumulative = await snapshot.query<{ policy_id: string; amount_fen: bigint }>(
      `select r.policy_id, sum(s.amount_fen)::bigint as amount_fen
         from subsidy_approval_share s join subsidy_run r on r.id = s.run_id
        where r.policy_id = any($2::text[]) and r.year <> $3 and s.enterprise_uscc = $1
        group by r.policy_id`,
      [uscc, policyIds, year],
    );
    const shared = staffInputs({
      rates: rates.rows,
      exclusions: exclusions.rows,
      status: status.rows,
      otherSupport: otherSupport.rows,
      contributions: contributions.rows,
      fees: fees.rows,
      premiums: premiums.rows,
    });
    const inputs = policies.map((policy): RunInput => {
      const eligibleTypes: readonly string[] = policy.parameters.eligibleRightTypes.value;
      const carry = carries.rows.find((row) => row.policy_id === policy.id);
      const paid = cumulative.rows.find((row) => row.policy_id === policy.id);
      return {
        policy,
        year,
        loans: loanList,
        enterprises: [{ uscc: found.uscc, name: found.name, divisionCode: found.division_code }],
        ...shared,
        carryIn: policy.parameters.contributionCap.value ? parseCarryOut(carry?.carry_out).filter((item) => item.uscc === uscc) : [],
        priorSubsidisedAssets:
          policy.parameters.sameAsset.value === 'one_year_only'
            ? priorAssets(prior.rows.filter((row) => row.policy_id === policy.id && eligibleTypes.includes(row.right_type)))
            : [],
        cumulativePaid: paid ? [{ uscc, amountFen: paid.amount_fen }] : [],
      };
    });
    return { enterprise: { uscc: found.uscc, name: found.name, divisionCode: found.division_code }, loans: loanList, inputs };
  });
}

/** The stored `carryOut` of a run (money as fen strings) back to the engine's `RunCarry`. */
export function parseCarryOut(stored: unknown): RunCarry[] {
  if (!Array.isArray(stored)) return [];
  return stored.map((item: { uscc: string; originYear: number; amountFen: string; shares?: Array<{ body: string; amountFen: string }> }) => ({
    uscc: item.uscc,
    originYear: item.originYear,
    amountFen: BigInt(item.amountFen) as Fen,
    ...(item.shares ? { shares: item.shares.map((share) => ({ body: share.body, amountFen: BigInt(share.amountFen) })) } : {}),
  }));
}
