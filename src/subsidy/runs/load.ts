/**
 * Loads everything one yearly run needs, set-wise (STYLE.md "one set-based query for a year of loans, not one query
 * per loan"): a fixed number of statements whatever the number of loans, then `computeRun` works on plain arrays.
 *
 * Which loans: those of enterprises whose registration division matches the policy's jurisdiction (the engine checks
 * again and makes no line for anything else), and of those a superset of the loans the year is attributed to —
 * accrual: the window `[start, start + N months)` can overlap the year; settlement: a settlement event in the year —
 * plus loans with a fee paid in the year (fee support needs the loan). The engine decides the lines exactly.
 *
 * Size (bench/subsidy.ts: 100,000 loans with 1,000,000 events): the events are the bulk. Read as one row each, the
 * driver builds a row array, five field strings and a bigint per event, a million short-lived objects (node's CPU for
 * the load was ~2.6 s, its peak RSS ~720 MiB with the compute). So the loans come with their events and pledges in
 * ONE statement, one row per loan: a loan's events aggregated into one compact text column
 * (`D19358:10000000,P19417:1000000,…`, see `EVENTS_SQL`), decoded here with charCodeAt (no split, no regex), day
 * numbers turned into date strings through a per-load cache, and repeated strings (bank, enterprise, collateral,
 * rate, dates) shared (node's CPU ~1.1 s, peak RSS ~490 MiB). Measured and not kept: the events as a second
 * statement grouped by loan (a second 100,000-row result costs node more than the server saves), and as a
 * `COPY … TO STDOUT` of raw event rows parsed from the bytes (the server's cheapest, but node's CPU went up to ~1.9 s).
 * The other statements name the same selection of loans in SQL (`selectedLoan`) rather than sending 100,000 loan
 * ids back as an array parameter. Given the pool, all statements read one snapshot (see `onOneSnapshot`).
 */
import pg from 'pg';
import type { Queryable } from '../../db/pool';
import { formatDate } from '../dates';
import type { Policy, RightType } from '../policy';
import type { BodyAmount, LoanEventType, RunCarry, RunEnterpriseStatus, RunInput, RunLoan, RunLoanEvent, RunPledge, RunSubsidisedAsset } from '../types';
import type { Fen } from '../../money';

/** The statuses of a run whose amounts the ledger holds. */
export const APPROVED_STATUSES = ['approved', 'partially_paid', 'paid'] as const;

export interface LoadOptions {
  budget?: BodyAmount[] | undefined;
}

export interface LoadedInput {
  input: RunInput;
  /** How many rows each statement read (shown in the bench and useful when a run looks wrong). */
  counts: { enterprises: number; loans: number; events: number; pledges: number };
}

function divisionPatterns(policy: Policy): string[] {
  return policy.jurisdiction.divisionPrefixes.map((prefix) => `${prefix}%`);
}

type QueryRows<T> = { rows: T[] };

/**
 * The selection of loans as a predicate on a loan `l` (its enterprise joined as `e`) over the parameters $1 (division
 * patterns), $2 and $3 (the year as `[from, to)` dates). Written per attribution, so the planner sees the predicate
 * that applies (a `case` over a parameter hides it).
 */
function selectedLoanPredicate(policy: Policy): string {
  const windowMonths = policy.parameters.windowMonths.value;
  if (!Number.isSafeInteger(windowMonths)) throw new Error(`policy ${policy.id}: window months ${windowMonths} is not an integer`);
  const attributed =
    policy.parameters.attribution.value === 'accrual'
      ? `l.start_date < $3::date and (l.start_date + make_interval(months => ${windowMonths}))::date > $2::date`
      : `exists (select 1 from loan_event s where s.loan_id = l.id and s.type = 'settlement'
                    and s.effective_date >= $2::date and s.effective_date < $3::date)`;
  return `e.division_code like any($1::text[])
      and (${attributed}
           or exists (select 1 from loan_fee f where f.loan_id = l.id and f.paid_on >= $2::date and f.paid_on < $3::date))`;
}

/** `loanId` (a uuid expression) is one of the selected loans. */
function selectedLoan(predicate: string, loanId: string): string {
  return `exists (select 1 from loan l join enterprise e on e.uscc = l.enterprise_uscc where l.id = ${loanId} and ${predicate})`;
}

/** One letter per event type in the aggregated events column; interest payments are not read (the engine ignores them). */
const EVENT_CODE: Record<Exclude<LoanEventType, 'interest_payment'>, string> = {
  disbursement: 'D',
  principal_repayment: 'P',
  overdue: 'O',
  default: 'F',
  settlement: 'S',
};
const EVENT_TYPE_BY_CODE = new Map<number, LoanEventType>(
  Object.entries(EVENT_CODE).map(([type, code]) => [code.charCodeAt(0), type as LoanEventType]),
);

/**
 * A loan's events as one text: `<code><day number>[:<amount fen or days overdue>]`, comma-separated, where the day
 * number counts days since 1970-01-01 (as src/subsidy/dates.ts: no DateStyle involved). Null when it has none. The
 * order within a loan does not matter: the engine sorts by date and sums the changes of one day.
 */
const EVENTS_SQL = `(select string_agg(case ev.type ${Object.entries(EVENT_CODE)
  .map(([type, code]) => `when '${type}' then '${code}'`)
  .join(' ')} else '?' end
                                    || (ev.effective_date - date '1970-01-01')::text
                                    || coalesce(':' || coalesce(ev.amount_fen, ev.days_overdue)::text, ''), ',')
                      from loan_event ev where ev.loan_id = l.id and ev.type <> 'interest_payment')`;

/**
 * A loan's pledges in line order, each `<right type>:<secured fen or empty>:<number>` (a right type and an amount have
 * no colon; a number may, so it comes last).
 */
const PLEDGES_SQL = `(select array_agg(a.right_type || ':' || coalesce(p.secured_fen::text, '') || ':' || a.number order by p.line_no)
                        from pledge p join ip_asset a on a.id = p.asset_id where p.loan_id = l.id)`;

type LoanRow = [string, string, string, string, bigint, bigint | null, string, string, string, string, string | null, string[] | null];

const ZERO = '0'.charCodeAt(0);
const NINE = '9'.charCodeAt(0);
const COLON = ':'.charCodeAt(0);
const COMMA = ','.charCodeAt(0);
const MINUS = '-'.charCodeAt(0);
/** Digits a double holds exactly (2^53 has 16): a longer amount goes through a string. */
const EXACT_DIGITS = 15;

/** Decodes the aggregated columns of the loans statement; repeated strings (dates, banks, enterprises, rates) are shared. */
class RowDecoder {
  private readonly days = new Map<number, string>();
  private readonly strings = new Map<string, string>();
  eventCount = 0;
  pledgeCount = 0;

  shared(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  private dayText(day: number): string {
    let text = this.days.get(day);
    if (text === undefined) {
      text = formatDate(day);
      this.days.set(day, text);
    }
    return text;
  }

  decodeEvents(text: string | null, loanId: string): RunLoanEvent[] {
    const events: RunLoanEvent[] = [];
    if (text === null) return events;
    const length = text.length;
    let position = 0;
    while (position < length) {
      const type = EVENT_TYPE_BY_CODE.get(text.charCodeAt(position));
      if (type === undefined) throw new Error(`loan ${loanId}: loan event of unknown type in "${text}"`);
      position += 1;
      let sign = 1;
      if (text.charCodeAt(position) === MINUS) {
        sign = -1;
        position += 1;
      }
      let day = 0;
      let code = text.charCodeAt(position);
      while (code >= ZERO && code <= NINE) {
        day = day * 10 + (code - ZERO);
        position += 1;
        code = text.charCodeAt(position);
      }
      const event: RunLoanEvent = { type, date: this.dayText(sign * day) };
      if (code === COLON) {
        position += 1;
        const from = position;
        let value = 0;
        code = text.charCodeAt(position);
        while (code >= ZERO && code <= NINE) {
          value = value * 10 + (code - ZERO);
          position += 1;
          code = text.charCodeAt(position);
        }
        if (type === 'overdue') event.daysOverdue = value;
        else event.amountFen = position - from <= EXACT_DIGITS ? BigInt(value) : BigInt(text.substring(from, position));
      }
      if (position < length && code !== COMMA) throw new Error(`loan ${loanId}: malformed events "${text}"`);
      position += 1;
      events.push(event);
    }
    this.eventCount += events.length;
    return events;
  }

  decodePledges(items: string[] | null): RunPledge[] {
    if (items === null) return [];
    this.pledgeCount += items.length;
    return items.map((item) => {
      const colon = item.indexOf(':');
      const second = item.indexOf(':', colon + 1);
      const secured = item.substring(colon + 1, second);
      return {
        rightType: this.shared(item.substring(0, colon)) as RightType,
        number: item.substring(second + 1),
        securedFen: secured === '' ? null : BigInt(secured),
      };
    });
  }
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

async function load(db: Queryable, policy: Policy, year: number, options: LoadOptions): Promise<LoadedInput> {
  const patterns = divisionPatterns(policy);
  const yearFrom = `${year}-01-01`;
  const yearTo = `${year + 1}-01-01`;
  const predicate = selectedLoanPredicate(policy);
  const selection = [patterns, yearFrom, yearTo];

  // In sequence: on one client they would queue anyway.
  const enterprises = await db.query<[string, string, string]>({
    text: `select uscc, name, division_code from enterprise where division_code like any($1::text[]) order by uscc`,
    values: [patterns],
    rowMode: 'array',
  });

  // The loans with their events and pledges, one row each (see the module comment).
  const loans = await withoutJit(db, () =>
    db.query<LoanRow>({
      text: `select l.id::text, l.bank_id::text, l.enterprise_uscc, l.contract_no, l.principal_fen, l.ip_pledged_fen,
                    l.collateral, l.annual_rate::text, l.start_date, l.maturity_date, ${EVENTS_SQL}, ${PLEDGES_SQL}
               from loan l join enterprise e on e.uscc = l.enterprise_uscc
              where ${predicate}
              order by l.id`,
      values: selection,
      rowMode: 'array',
    }),
  );
  const decoder = new RowDecoder();
  const rows = loans.rows;
  const runLoans = new Array<RunLoan>(rows.length);
  for (let index = 0; index < rows.length; index += 1) {
    const [loanId, bankId, enterpriseUscc, contractNo, principalFen, ipPledgedFen, collateral, annualRate, startDate, maturityDate, events, pledges] =
      rows[index]!;
    runLoans[index] = {
      loanId,
      bankId: decoder.shared(bankId),
      enterpriseUscc: decoder.shared(enterpriseUscc),
      contractNo,
      principalFen,
      // Null for a combination loan whose IP part the bank did not state: the engine finds it ineligible.
      ipPledgedFen,
      collateral: decoder.shared(collateral) as RunLoan['collateral'],
      annualRate: decoder.shared(annualRate),
      startDate: decoder.shared(startDate),
      maturityDate: decoder.shared(maturityDate),
      pledges: decoder.decodePledges(pledges),
      events: decoder.decodeEvents(events, loanId),
    };
  }
  rows.length = 0;

  const queries: Array<() => Promise<{ rows: unknown[] }>> = [
    () => db.query<{ rate_index: string; effective_date: string; rate: string }>(
      `select rate_index, effective_date, rate::text from reference_rate order by rate_index, effective_date`,
    ),
    () => db.query<{ enterprise_uscc: string; year: number; reason: string; set_by: string | null }>(
      `select x.enterprise_uscc, x.year, x.reason, p.name || ' (' || p.id || ')' as set_by
         from subsidy_exclusion x join enterprise e on e.uscc = x.enterprise_uscc left join principal p on p.id = x.set_by
        where x.year = $1 and e.division_code like any($2::text[])`,
      [year, patterns],
    ),
    // 001 § 20: records not withdrawn whose period overlaps the year.
    () => db.query<{ id: string; enterprise_uscc: string; condition: RunEnterpriseStatus['condition']; valid_from: string; valid_to: string | null; reason: string; recorded_by: string | null }>(
      `select x.id::text, x.enterprise_uscc, x.condition, x.valid_from, x.valid_to, x.reason, p.name || ' (' || p.id || ')' as recorded_by
         from enterprise_status_record x join enterprise e on e.uscc = x.enterprise_uscc left join principal p on p.id = x.recorded_by
        where x.withdrawn_at is null and x.valid_from < $2::date and (x.valid_to is null or x.valid_to >= $1::date)
          and e.division_code like any($3::text[])
        order by x.enterprise_uscc, x.valid_from, x.id`,
      [yearFrom, yearTo, patterns],
    ),
    () => db.query<{ loan_id: string; programme: string; fiscal_level: string; amount_fen: bigint; year: number | null }>(
      `select o.loan_id::text, o.programme, o.fiscal_level, o.amount_fen, o.year from subsidy_other_support o
        where (o.year is null or o.year = $4) and ${selectedLoan(predicate, 'o.loan_id')}`,
      [...selection, year],
    ),
    // 001 § 22: the latest record per enterprise and year counts.
    () => db.query<{ enterprise_uscc: string; year: number; amount_fen: bigint }>(
      `select distinct on (c.enterprise_uscc, c.year) c.enterprise_uscc, c.year, c.amount_fen
         from subsidy_contribution c join enterprise e on e.uscc = c.enterprise_uscc
        where c.year = $1 and e.division_code like any($2::text[])
        order by c.enterprise_uscc, c.year, c.recorded_at desc, c.id desc`,
      [year, patterns],
    ),
    () => db.query<{ loan_id: string; kind: 'evaluation' | 'guarantee' | 'insurance'; amount_fen: bigint; paid_on: string }>(
      `select x.loan_id::text, x.kind, x.amount_fen, x.paid_on from loan_fee x
        where x.paid_on >= $2::date and x.paid_on < $3::date and ${selectedLoan(predicate, 'x.loan_id')}`,
      selection,
    ),
    () => db.query<{ enterprise_uscc: string; amount_fen: bigint; paid_on: string }>(
      `select s.enterprise_uscc, s.amount_fen, s.paid_on from subsidy_premium s join enterprise e on e.uscc = s.enterprise_uscc
        where s.paid_on >= $1::date and s.paid_on < $2::date and e.division_code like any($3::text[])`,
      [yearFrom, yearTo, patterns],
    ),
    // 001 § 22: what the latest approved run of the year before carried out (it already holds older carried amounts).
    () => db.query<{ carry_out: unknown }>(
      `select result -> 'carryOut' as carry_out from subsidy_run
        where policy_id = $1 and year = $2 and status = any($3::text[])
        order by approved_at desc limit 1`,
      [policy.id, year - 1, APPROVED_STATUSES],
    ),
    // 001 § 6 (same asset one year only): assets of loans paid by approved runs of this policy in other years.
    () => policy.parameters.sameAsset.value === 'one_year_only'
      ? db.query<{ right_type: string; number: string; year: number; loan_id: string }>(
          `select distinct a.right_type, a.number, r.year, rl.loan_id::text
             from subsidy_run r
             join subsidy_run_line rl on rl.run_id = r.id and rl.kind = 'interest' and rl.eligible and rl.amount_fen > 0
             join pledge p on p.loan_id = rl.loan_id
             join ip_asset a on a.id = p.asset_id
            where r.policy_id = $4 and r.year <> $5 and r.status = any($6::text[])
              and a.right_type = any($7::text[])
              and p.asset_id in (select sp.asset_id from pledge sp where ${selectedLoan(predicate, 'sp.loan_id')})`,
          [...selection, policy.id, year, APPROVED_STATUSES, policy.parameters.eligibleRightTypes.value],
        )
      : Promise.resolve({ rows: [] as Array<{ right_type: string; number: string; year: number; loan_id: string }> }),
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
  const [rates, exclusions, statusRecords, otherSupport, contributions, fees, premiums, carry, prior, cumulative] = results as [
    QueryRows<{ rate_index: string; effective_date: string; rate: string }>,
    QueryRows<{ enterprise_uscc: string; year: number; reason: string; set_by: string | null }>,
    QueryRows<{ id: string; enterprise_uscc: string; condition: RunEnterpriseStatus['condition']; valid_from: string; valid_to: string | null; reason: string; recorded_by: string | null }>,
    QueryRows<{ loan_id: string; programme: string; fiscal_level: string; amount_fen: bigint; year: number | null }>,
    QueryRows<{ enterprise_uscc: string; year: number; amount_fen: bigint }>,
    QueryRows<{ loan_id: string; kind: 'evaluation' | 'guarantee' | 'insurance'; amount_fen: bigint; paid_on: string }>,
    QueryRows<{ enterprise_uscc: string; amount_fen: bigint; paid_on: string }>,
    QueryRows<{ carry_out: unknown }>,
    QueryRows<{ right_type: string; number: string; year: number; loan_id: string }>,
    QueryRows<{ enterprise_uscc: string; amount_fen: bigint }>,
  ];

  const carryIn: RunCarry[] = parseCarryOut(carry.rows[0]?.carry_out);
  const priorSubsidisedAssets: RunSubsidisedAsset[] = prior.rows.map((row) => ({
    rightType: row.right_type,
    number: row.number,
    year: row.year,
    loanId: row.loan_id,
  }));

  const input: RunInput = {
    policy,
    year,
    loans: runLoans,
    rates: rates.rows.map((row) => ({ index: row.rate_index, effectiveDate: row.effective_date, rate: row.rate })),
    enterprises: enterprises.rows.map(([uscc, name, divisionCode]) => ({ uscc: decoder.shared(uscc), name, divisionCode: decoder.shared(divisionCode) })),
    exclusions: exclusions.rows.map((row) => ({ uscc: row.enterprise_uscc, year: row.year, reason: row.reason, ...(row.set_by ? { setBy: row.set_by } : {}) })),
    enterpriseStatus: statusRecords.rows.map((row) => ({
      recordId: row.id,
      uscc: row.enterprise_uscc,
      condition: row.condition,
      from: row.valid_from,
      to: row.valid_to,
      reason: row.reason,
      ...(row.recorded_by ? { recordedBy: row.recorded_by } : {}),
    })),
    otherSupport: otherSupport.rows.map((row) => ({
      loanId: row.loan_id,
      programme: row.programme,
      fiscalLevel: row.fiscal_level,
      amountFen: row.amount_fen,
      ...(row.year !== null ? { year: row.year } : {}),
    })),
    contributions: contributions.rows.map((row) => ({ uscc: row.enterprise_uscc, year: row.year, amountFen: row.amount_fen })),
    carryIn: policy.parameters.contributionCap.value ? carryIn : [],
    priorSubsidisedAssets,
    fees: fees.rows.map((row) => ({ loanId: row.loan_id, kind: row.kind, amountFen: row.amount_fen, date: row.paid_on })),
    premiums: premiums.rows.map((row) => ({ uscc: row.enterprise_uscc, amountFen: row.amount_fen, date: row.paid_on })),
    cumulativePaid: cumulative.rows.map((row) => ({ uscc: row.enterprise_uscc, amountFen: row.amount_fen })),
    ...(options.budget && options.budget.length > 0 ? { budget: options.budget } : {}),
  };
  return {
    input,
    counts: { enterprises: enterprises.rows.length, loans: runLoans.length, events: decoder.eventCount, pledges: decoder.pledgeCount },
  };
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
