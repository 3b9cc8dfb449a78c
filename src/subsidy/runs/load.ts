/**
 * Loads everything one yearly run needs, set-wise (STYLE.md "one set-based query for a year of loans, not one query
 * per loan"): a fixed number of statements whatever the number of loans, then `computeRun` works on plain arrays.
 *
 * Which loans: those of enterprises whose registration division matches the policy's jurisdiction (the engine checks
 * again and makes no line for anything else), and of those a superset of the loans the year is attributed to —
 * accrual: the window `[start, start + N months)` can overlap the year; settlement: a settlement event in the year —
 * plus loans with a fee paid in the year (fee support needs the loan). The engine decides the lines exactly.
 *
 * Back-of-the-envelope for 100,000 loans with 1,000,000 events: the events are the bulk (1,000,000 rows × 5 columns),
 * read in array row mode (no per-row object with named keys) in one statement.
 */
import type { Queryable } from '../../db/pool';
import type { Fen } from '../../money';
import type { Policy, RightType } from '../policy';
import type {
  BodyAmount,
  LoanEventType,
  RunCarry,
  RunInput,
  RunLoan,
  RunLoanEvent,
  RunPledge,
  RunSubsidisedAsset,
} from '../types';

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

const EVENT_TYPES = new Set<LoanEventType>(['disbursement', 'interest_payment', 'principal_repayment', 'overdue', 'default', 'settlement']);

/** Reads the run's input for `policy` and `year` (see the module comment), in eleven statements. */
export async function loadRunInput(db: Queryable, policy: Policy, year: number, options: LoadOptions = {}): Promise<LoadedInput> {
  const patterns = divisionPatterns(policy);
  const yearFrom = `${year}-01-01`;
  const yearTo = `${year + 1}-01-01`;
  const attribution = policy.parameters.attribution.value;
  const windowMonths = policy.parameters.windowMonths.value;

  const enterprises = await db.query<[string, string, string]>({
    text: `select uscc, name, division_code from enterprise where division_code like any($1::text[]) order by uscc`,
    values: [patterns],
    rowMode: 'array',
  });

  // The loans: attributed superset (see above), in the jurisdiction.
  const loans = await db.query<[string, string, string, string, bigint, bigint, string, string, string, string]>({
    text: `select l.id::text, l.bank_id::text, l.enterprise_uscc, l.contract_no, l.principal_fen, l.ip_pledged_fen,
                  l.collateral, l.annual_rate::text, l.start_date, l.maturity_date
             from loan l join enterprise e on e.uscc = l.enterprise_uscc
            where e.division_code like any($1::text[])
              and (case when $4::text = 'accrual'
                        then l.start_date < $3::date and (l.start_date + make_interval(months => $5::int))::date > $2::date
                        else exists (select 1 from loan_event s where s.loan_id = l.id and s.type = 'settlement'
                                        and s.effective_date >= $2::date and s.effective_date < $3::date) end
                   or exists (select 1 from loan_fee f where f.loan_id = l.id and f.paid_on >= $2::date and f.paid_on < $3::date))
            order by l.id`,
    values: [patterns, yearFrom, yearTo, attribution, windowMonths],
    rowMode: 'array',
  });
  const loanIds = loans.rows.map((row) => row[0]);

  // In sequence: on a transaction's client (a run is created inside the request's transaction) they would queue anyway.
  const queries: Array<() => Promise<{ rows: unknown[] }>> = [
    () => db.query<[string, string, string, bigint | null, number | null]>({
      text: `select loan_id::text, type, effective_date, amount_fen, days_overdue from loan_event
              where loan_id = any($1::uuid[]) and type <> 'interest_payment'`,
      values: [loanIds],
      rowMode: 'array',
    }),
    () => db.query<[string, RightType, string]>({
      text: `select p.loan_id::text, a.right_type, a.number from pledge p join ip_asset a on a.id = p.asset_id
              where p.loan_id = any($1::uuid[]) order by p.loan_id, p.line_no`,
      values: [loanIds],
      rowMode: 'array',
    }),
    () => db.query<{ rate_index: string; effective_date: string; rate: string }>(
      `select rate_index, effective_date, rate::text from reference_rate order by rate_index, effective_date`,
    ),
    () => db.query<{ enterprise_uscc: string; year: number; reason: string; set_by: string | null }>(
      `select x.enterprise_uscc, x.year, x.reason, p.name || ' (' || p.id || ')' as set_by
         from subsidy_exclusion x join enterprise e on e.uscc = x.enterprise_uscc left join principal p on p.id = x.set_by
        where x.year = $1 and e.division_code like any($2::text[])`,
      [year, patterns],
    ),
    () => db.query<{ loan_id: string; programme: string; fiscal_level: string; amount_fen: bigint; year: number | null }>(
      `select loan_id::text, programme, fiscal_level, amount_fen, year from subsidy_other_support
        where loan_id = any($1::uuid[]) and (year is null or year = $2)`,
      [loanIds, year],
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
      `select loan_id::text, kind, amount_fen, paid_on from loan_fee
        where loan_id = any($1::uuid[]) and paid_on >= $2::date and paid_on < $3::date`,
      [loanIds, yearFrom, yearTo],
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
          `select distinct a.right_type, a.number, r.year, l.loan_id::text
             from subsidy_run r
             join subsidy_run_line l on l.run_id = r.id and l.kind = 'interest' and l.eligible and l.amount_fen > 0
             join pledge p on p.loan_id = l.loan_id
             join ip_asset a on a.id = p.asset_id
            where r.policy_id = $1 and r.year <> $2 and r.status = any($3::text[])
              and a.right_type = any($4::text[])
              and p.asset_id in (select asset_id from pledge where loan_id = any($5::uuid[]))`,
          [policy.id, year, APPROVED_STATUSES, policy.parameters.eligibleRightTypes.value, loanIds],
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
  const [events, pledges, rates, exclusions, otherSupport, contributions, fees, premiums, carry, prior, cumulative] = results as [
    QueryRows<[string, string, string, bigint | null, number | null]>,
    QueryRows<[string, RightType, string]>,
    QueryRows<{ rate_index: string; effective_date: string; rate: string }>,
    QueryRows<{ enterprise_uscc: string; year: number; reason: string; set_by: string | null }>,
    QueryRows<{ loan_id: string; programme: string; fiscal_level: string; amount_fen: bigint; year: number | null }>,
    QueryRows<{ enterprise_uscc: string; year: number; amount_fen: bigint }>,
    QueryRows<{ loan_id: string; kind: 'evaluation' | 'guarantee' | 'insurance'; amount_fen: bigint; paid_on: string }>,
    QueryRows<{ enterprise_uscc: string; amount_fen: bigint; paid_on: string }>,
    QueryRows<{ carry_out: unknown }>,
    QueryRows<{ right_type: string; number: string; year: number; loan_id: string }>,
    QueryRows<{ enterprise_uscc: string; amount_fen: bigint }>,
  ];

  const eventsByLoan = new Map<string, RunLoanEvent[]>();
  for (const [loanId, type, date, amountFen, daysOverdue] of events.rows) {
    if (!EVENT_TYPES.has(type as LoanEventType)) throw new Error(`loan event of unknown type ${type}`);
    const event: RunLoanEvent = { type: type as LoanEventType, date };
    if (amountFen !== null) event.amountFen = amountFen;
    if (daysOverdue !== null) event.daysOverdue = daysOverdue;
    let list = eventsByLoan.get(loanId);
    if (!list) eventsByLoan.set(loanId, (list = []));
    list.push(event);
  }
  const pledgesByLoan = new Map<string, RunPledge[]>();
  for (const [loanId, rightType, number] of pledges.rows) {
    let list = pledgesByLoan.get(loanId);
    if (!list) pledgesByLoan.set(loanId, (list = []));
    list.push({ rightType, number });
  }
  const runLoans: RunLoan[] = loans.rows.map(
    ([loanId, bankId, enterpriseUscc, contractNo, principalFen, ipPledgedFen, collateral, annualRate, startDate, maturityDate]) => ({
      loanId,
      bankId,
      enterpriseUscc,
      contractNo,
      principalFen,
      // The loans table always knows the IP part (the loans API requires it for a combination loan).
      ipPledgedFen,
      collateral: collateral as RunLoan['collateral'],
      annualRate,
      startDate,
      maturityDate,
      pledges: pledgesByLoan.get(loanId) ?? [],
      events: eventsByLoan.get(loanId) ?? [],
    }),
  );

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
    enterprises: enterprises.rows.map(([uscc, name, divisionCode]) => ({ uscc, name, divisionCode })),
    exclusions: exclusions.rows.map((row) => ({ uscc: row.enterprise_uscc, year: row.year, reason: row.reason, ...(row.set_by ? { setBy: row.set_by } : {}) })),
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
    counts: { enterprises: enterprises.rows.length, loans: runLoans.length, events: events.rows.length, pledges: pledges.rows.length },
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
