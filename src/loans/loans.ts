/**
 * Loans and their pledges: creation one at a time or in batches of up to 10,000 with the same
 * code path (validate every row in memory, then a handful of set-based statements whatever the batch size), reading
 * a loan with its ledger balances and derived status, and the filtered portfolio list with totals.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DatabaseError } from 'pg';
import type { Queryable } from '../db/pool';
import { DomainError, type FieldProblem } from '../errors';
import { balances, ensureAccounts, postMany } from '../ledger';
import type { Fen } from '../money';
import { bankAccountDefinitions, facilityEntry, loanAccountCodes, loanAccountDefinitions } from './accounts';
import { EVENT_SUMMARY_SQL, STATUS_SQL } from './status';
import {
  MAX_BATCH_ITEMS,
  type EventInput,
  type Loan,
  type LoanInput,
  type LoanScope,
  type LoanState,
  type LoanStatus,
  type Pledge,
  type RightType,
} from './types';
import { checkLoan, checkLoanFields, unknownEnterpriseMessage, type CheckedLoan, type PartialRow } from './validation';

export interface Writer {
  bankId: string;
  principalId: string;
}

export interface BatchOptions {
  /** Today in China, the latest value date accepted. */
  today: string;
  /** One item sent on its own: problems carry no row number, a taken contract number is a 409. */
  single?: boolean;
  /**
   * Problems the caller found while reading the items (a JSON row of the wrong shape, a bad CSV line); such rows are
   * passed as `undefined`. They are reported together with every problem found here, so one answer names every bad row.
   */
  parseProblems?: FieldProblem[];
  /** The fields that did parse of those rows, by row index: checked too (validation.ts `PartialRow`). */
  partialLoans?: ReadonlyMap<number, PartialRow<LoanInput>>;
  partialEvents?: ReadonlyMap<number, PartialRow<EventInput>>;
}

/** Rows are numbered from 1: the first item of a JSON array, the first line after a CSV header. */
export function rowProblems(problems: FieldProblem[], index: number, single: boolean | undefined): FieldProblem[] {
  return single ? problems : problems.map((problem) => ({ row: index + 1, ...problem }));
}

export function batchInvalid(problems: FieldProblem[], what: string): DomainError {
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const summary = problems
    .slice(0, 5)
    .map((p) => `${p.row !== undefined ? `row ${p.row}: ` : ''}${p.path}: ${p.message}`)
    .join('; ');
  const rows = new Set(problems.map((p) => p.row)).size;
  return new DomainError(
    'validation_failed',
    `${what} ${problems.some((p) => p.row !== undefined) ? `has ${rows} bad row(s), nothing was written` : 'is not valid'}: ${summary}${problems.length > 5 ? '; …' : ''}`,
    problems,
  );
}

/**
 * Creates loans for one bank, all or nothing: every row is checked first (its own rules, its enterprise, its contract
 * number against the bank's loans and the other rows) and any problem refuses the whole batch naming every bad row.
 * Then: the pledged assets (one upsert), the loans, the pledges, the ledger accounts (one `ensureAccounts`) and the
 * facility entries (one `postMany`).
 */
export async function createLoans(
  db: Queryable,
  writer: Writer,
  inputs: Array<LoanInput | undefined>,
  options: BatchOptions,
): Promise<Loan[]> {
  if (inputs.length === 0) return [];
  if (inputs.length > MAX_BATCH_ITEMS) {
    throw new DomainError('validation_failed', `a batch has at most ${MAX_BATCH_ITEMS} loans; this has ${inputs.length}`, [
      { path: '(body)', message: `at most ${MAX_BATCH_ITEMS} items; this has ${inputs.length}` },
    ]);
  }
  const problems: FieldProblem[] = [...(options.parseProblems ?? [])];
  const checked: CheckedLoan[] = [];
  // The enterprise and contract number of every row that has them, valid or not: each row's problems all at once.
  const named: Array<{ enterpriseUscc?: string | undefined; contractNo?: string | undefined } | undefined> = [];
  const normalisedUscc = (uscc: string) => uscc.trim().replace(/[a-z]/g, (c) => c.toUpperCase());
  inputs.forEach((input, index) => {
    const partial = input ? undefined : options.partialLoans?.get(index);
    if (partial) {
      problems.push(...rowProblems(checkLoanFields(partial, options.today), index, options.single));
      named[index] = { enterpriseUscc: partial.fields.enterpriseUscc, contractNo: partial.fields.contractNo?.trim() };
    }
    if (!input) return;
    const result = checkLoan(input, options.today);
    problems.push(...rowProblems(result.problems, index, options.single));
    if (result.loan) checked[index] = result.loan;
    named[index] = { enterpriseUscc: input.enterpriseUscc, contractNo: input.contractNo.trim() };
  });

  const usccs = [...new Set(named.flatMap((row) => (row?.enterpriseUscc ? [normalisedUscc(row.enterpriseUscc)] : [])))];
  const contractNos = [...new Set(named.flatMap((row) => (row?.contractNo ? [row.contractNo] : [])))];
  // One statement after another: `db` may be a transaction's client, which runs one query at a time anyway.
  const enterprises = await db.query<{ uscc: string }>(`select uscc from enterprise where uscc = any($1::text[])`, [usccs]);
  const taken = await db.query<{ contract_no: string }>(
    `select contract_no from loan where bank_id = $1 and contract_no = any($2::text[])`,
    [writer.bankId, contractNos],
  );
  const bank = await db.query<{ code: string }>(`select code from bank_directory where id = $1`, [writer.bankId]);
  if (!bank.rows[0]) throw new DomainError('not_found', `no bank ${writer.bankId}`);
  const known = new Set(enterprises.rows.map((row) => row.uscc));
  const takenNos = new Set(taken.rows.map((row) => row.contract_no));
  const firstRowOf = new Map<string, number>();
  let contractTaken = false;
  named.forEach((loan, index) => {
    if (!loan) return;
    const rowProblemsOfLoan: FieldProblem[] = [];
    if (loan.enterpriseUscc !== undefined && !known.has(normalisedUscc(loan.enterpriseUscc))) {
      rowProblemsOfLoan.push({ path: 'enterpriseUscc', message: unknownEnterpriseMessage(normalisedUscc(loan.enterpriseUscc)) });
    }
    const contractNo = loan.contractNo;
    if (contractNo === undefined || contractNo === '') {
      // Its length is checkLoan's to name.
    } else if (takenNos.has(contractNo)) {
      contractTaken = true;
      rowProblemsOfLoan.push({ path: 'contractNo', message: `this bank already has a loan with contract number ${contractNo}` });
    } else if (firstRowOf.has(contractNo)) {
      rowProblemsOfLoan.push({ path: 'contractNo', message: `the same contract number as row ${firstRowOf.get(contractNo)! + 1}` });
    } else {
      firstRowOf.set(contractNo, index);
    }
    problems.push(...rowProblems(rowProblemsOfLoan, index, options.single));
  });
  if (problems.length > 0) {
    if (options.single && contractTaken && problems.length === 1) {
      throw new DomainError('conflict', problems[0]!.message, problems);
    }
    throw batchInvalid(problems, inputs.length === 1 && options.single ? 'the loan' : 'the batch');
  }

  if (checked.length !== inputs.length || checked.some((loan) => !loan)) throw new Error('an unreadable row came without its problem');
  const loans = checked.map((loan) => ({ ...loan, id: randomUUID(), bankId: writer.bankId }));
  const assetIds = await ensureAssets(
    db,
    loans.flatMap((loan) => loan.pledges),
  );
  let createdAt: Date;
  try {
    const inserted = await db.query<{ created_at: Date }>(
      `with input as (
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::numeric[], $6::date[], $7::date[],
                              $8::text[], $9::bigint[])
           as t(id, contract_no, enterprise_uscc, principal_fen, annual_rate, start_date, maturity_date, collateral, ip_pledged_fen)
       ), loans as (
         insert into loan (id, bank_id, contract_no, enterprise_uscc, principal_fen, annual_rate, start_date, maturity_date,
                           collateral, ip_pledged_fen, created_by)
         select id, $10::uuid, contract_no, enterprise_uscc, principal_fen, annual_rate, start_date, maturity_date, collateral,
                ip_pledged_fen, $11::uuid
           from input
         returning created_at
       )
       select min(created_at) as created_at from loans`,
      [
        loans.map((l) => l.id),
        loans.map((l) => l.contractNo),
        loans.map((l) => l.enterpriseUscc),
        loans.map((l) => l.principalFen.toString()),
        loans.map((l) => l.annualRate),
        loans.map((l) => l.startDate),
        loans.map((l) => l.maturityDate),
        loans.map((l) => l.collateral),
        loans.map((l) => (l.ipPledgedFen === null ? null : l.ipPledgedFen.toString())),
        writer.bankId,
        writer.principalId,
      ],
    );
    createdAt = inserted.rows[0]!.created_at;
  } catch (error) {
    throw translateLoanError(error);
  }
  const pledgeLoan: string[] = [];
  const pledgeLine: number[] = [];
  const pledgeAsset: string[] = [];
  const pledgeRegistration: Array<string | null> = [];
  const pledgeSecured: Array<string | null> = [];
  for (const loan of loans) {
    loan.pledges.forEach((pledge, index) => {
      pledgeLoan.push(loan.id);
      pledgeLine.push(index + 1);
      pledgeAsset.push(assetIds.get(assetKey(pledge.rightType, pledge.number))!.toString());
      pledgeRegistration.push(pledge.registrationNo);
      pledgeSecured.push(pledge.securedFen === null ? null : pledge.securedFen.toString());
    });
  }
  await db.query(
    `insert into pledge (loan_id, line_no, asset_id, registration_no, secured_fen)
     select * from unnest($1::uuid[], $2::smallint[], $3::bigint[], $4::text[], $5::bigint[])`,
    [pledgeLoan, pledgeLine, pledgeAsset, pledgeRegistration, pledgeSecured],
  );
  await ensureAccounts(db, [
    ...bankAccountDefinitions(writer.bankId, bank.rows[0].code),
    ...loans.flatMap((loan) => loanAccountDefinitions(loan.id, loan.contractNo)),
  ]);
  await postMany(db, loans.map(facilityEntry));
  return loans.map((loan) => ({
    id: loan.id,
    bankId: loan.bankId,
    contractNo: loan.contractNo,
    enterpriseUscc: loan.enterpriseUscc,
    principalFen: loan.principalFen,
    annualRate: loan.annualRate,
    startDate: loan.startDate,
    maturityDate: loan.maturityDate,
    collateral: loan.collateral,
    ipPledgedFen: loan.ipPledgedFen,
    pledges: loan.pledges,
    createdAt: createdAt.toISOString(),
  }));
}

function translateLoanError(error: unknown): unknown {
  const pgError = error as Partial<DatabaseError>;
  if (pgError.code === '23505' && pgError.constraint === 'loan_contract_no_per_bank') {
    // A concurrent request took the number between our check and our insert.
    return new DomainError('conflict', 'this bank already has a loan with that contract number', [
      { path: 'contractNo', message: 'already used by another loan of this bank' },
    ]);
  }
  return error;
}

const assetKey = (rightType: RightType, number: string) => `${rightType}:${number}`;

/** The ids of the pledged assets, creating the ones not seen before, in one statement. */
async function ensureAssets(db: Queryable, pledges: Pledge[]): Promise<Map<string, bigint>> {
  const distinct = new Map<string, Pledge>();
  for (const pledge of pledges) distinct.set(assetKey(pledge.rightType, pledge.number), pledge);
  const types = [...distinct.values()].map((p) => p.rightType);
  const numbers = [...distinct.values()].map((p) => p.number);
  const result = await db.query<{ id: bigint; right_type: RightType; number: string }>(
    `with input as (select * from unnest($1::text[], $2::text[]) as t(right_type, number)),
     inserted as (
       insert into ip_asset (right_type, number) select right_type, number from input order by right_type, number
       on conflict (right_type, number) do nothing
       returning id, right_type, number
     )
     select id, right_type, number from inserted
     union all
     select a.id, a.right_type, a.number from ip_asset a join input i using (right_type, number)`,
    [types, numbers],
  );
  const ids = new Map(result.rows.map((row) => [assetKey(row.right_type, row.number), row.id]));
  // Created and committed by a concurrent transaction while we waited: invisible to the statement above.
  const missing = [...distinct.keys()].filter((key) => !ids.has(key));
  if (missing.length > 0) {
    const again = await db.query<{ id: bigint; right_type: RightType; number: string }>(
      `select a.id, a.right_type, a.number from ip_asset a
         join unnest($1::text[], $2::text[]) as t(right_type, number) using (right_type, number)`,
      [missing.map((key) => distinct.get(key)!.rightType), missing.map((key) => distinct.get(key)!.number)],
    );
    for (const row of again.rows) ids.set(assetKey(row.right_type, row.number), row.id);
  }
  return ids;
}

interface LoanRow {
  id: string;
  bank_id: string;
  contract_no: string;
  enterprise_uscc: string;
  principal_fen: bigint;
  annual_rate: string;
  start_date: string;
  maturity_date: string;
  collateral: Loan['collateral'];
  ip_pledged_fen: bigint | null;
  created_at: Date;
  status: LoanStatus;
  settlement_date: string | null;
}

/**
 * The loans with these ids visible in `scope`, with pledges, derived status and ledger balances now or as of the end
 * of `asOf`, in the order of `ids` (absent ids are left out). Three queries whatever the number of loans.
 */
export async function loanStates(db: Queryable, scope: LoanScope, ids: string[], asOf: string | null = null): Promise<LoanState[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<LoanRow>(
    `select l.id, l.bank_id, l.contract_no, l.enterprise_uscc, l.principal_fen, l.annual_rate::text as annual_rate,
            l.start_date, l.maturity_date, l.collateral, l.ip_pledged_fen, l.created_at, ${STATUS_SQL} as status,
            ev.settlement_date
       from loan l
       left join lateral (${EVENT_SUMMARY_SQL('$3')}) ev on true
      where l.id = any($1::uuid[]) and ($2::uuid is null or l.bank_id = $2)`,
    [ids, scope.bankId, asOf],
  );
  const found = rows.rows.map((row) => row.id);
  const pledges = await db.query<{ loan_id: string; right_type: RightType; number: string; registration_no: string | null; secured_fen: bigint | null }>(
    `select p.loan_id, a.right_type, a.number, p.registration_no, p.secured_fen
       from pledge p join ip_asset a on a.id = p.asset_id
      where p.loan_id = any($1::uuid[]) order by p.loan_id, p.line_no`,
    [found],
  );
  const ledger = await balances(
    db,
    found.flatMap((id) => {
      const codes = loanAccountCodes(id);
      return [codes.undrawn, codes.outstanding, codes.interestPaid];
    }),
    asOf,
  );
  const pledgesOf = new Map<string, Pledge[]>();
  for (const row of pledges.rows) {
    const list = pledgesOf.get(row.loan_id) ?? [];
    list.push({ rightType: row.right_type, number: row.number, registrationNo: row.registration_no, securedFen: row.secured_fen });
    pledgesOf.set(row.loan_id, list);
  }
  const byId = new Map(
    rows.rows.map((row): [string, LoanState] => {
      const codes = loanAccountCodes(row.id);
      const balanceOf = (code: string): Fen => ledger.get(code)?.balanceFen ?? 0n;
      return [
        row.id,
        {
          id: row.id,
          bankId: row.bank_id,
          contractNo: row.contract_no,
          enterpriseUscc: row.enterprise_uscc,
          principalFen: row.principal_fen,
          annualRate: row.annual_rate,
          startDate: row.start_date,
          maturityDate: row.maturity_date,
          collateral: row.collateral,
          ipPledgedFen: row.ip_pledged_fen,
          pledges: pledgesOf.get(row.id) ?? [],
          createdAt: row.created_at.toISOString(),
          asOf,
          status: row.status,
          outstandingFen: balanceOf(codes.outstanding),
          interestPaidFen: balanceOf(codes.interestPaid),
          // Before the start date the facility is not open yet: nothing undrawn, nothing disbursed.
          disbursedFen: asOf !== null && asOf < row.start_date ? 0n : row.principal_fen - balanceOf(codes.undrawn),
          settlementDate: row.settlement_date,
        },
      ];
    }),
  );
  return ids.map((id) => byId.get(id)).filter((loan): loan is LoanState => loan !== undefined);
}

/** One loan as `scope` may see it; another bank's loan is `loan_not_found`, exactly like a loan that does not exist. */
export async function getLoan(db: Queryable, scope: LoanScope, id: string, asOf: string | null = null): Promise<LoanState> {
  const [loan] = await loanStates(db, scope, [id], asOf);
  if (!loan) throw new DomainError('loan_not_found', `no loan ${id}`);
  return loan;
}

/**
 * Records the claim a pledge's registration secures (担保债权数额) when the loan was created without it: once, never
 * changed after (PostgreSQL refuses any other change of a pledge). The bank of the loan records it; `lineNo` is the
 * pledge's place in the loan's list, from 1.
 */
export async function recordSecuredAmount(
  db: Queryable,
  writer: Writer,
  loanId: string,
  lineNo: number,
  securedFen: Fen,
): Promise<Pledge & { lineNo: number }> {
  const loan = await db.query<{ principal_fen: bigint }>(`select principal_fen from loan where id = $1 and bank_id = $2`, [loanId, writer.bankId]);
  if (!loan.rows[0]) throw new DomainError('loan_not_found', `no loan ${loanId}`);
  if (securedFen <= 0n) throw new DomainError('validation_failed', 'the secured amount must be greater than 0', [{ path: 'securedAmount', message: 'must be greater than 0' }]);
  if (securedFen > loan.rows[0].principal_fen) {
    throw new DomainError('validation_failed', 'a registration secures at most the whole debt: the secured amount exceeds the principal', [
      { path: 'securedAmount', message: 'must not exceed the principal' },
    ]);
  }
  const pledge = await db.query<{ right_type: RightType; number: string; registration_no: string | null; secured_fen: bigint | null }>(
    `select a.right_type, a.number, p.registration_no, p.secured_fen from pledge p join ip_asset a on a.id = p.asset_id
      where p.loan_id = $1 and p.line_no = $2 for update of p`,
    [loanId, lineNo],
  );
  const row = pledge.rows[0];
  if (!row) throw new DomainError('not_found', `loan ${loanId} has no pledge ${lineNo}`);
  if (row.secured_fen !== null) {
    throw new DomainError('conflict', `pledge ${lineNo} of loan ${loanId} already states a secured amount (${row.secured_fen} fen); it is never changed`, [
      { path: 'securedAmount', message: 'already recorded' },
    ]);
  }
  await db.query(`update pledge set secured_fen = $3 where loan_id = $1 and line_no = $2`, [loanId, lineNo, securedFen.toString()]);
  return { lineNo, rightType: row.right_type, number: row.number, registrationNo: row.registration_no, securedFen };
}

export interface LoanFilter {
  bankId?: string | undefined;
  enterpriseUscc?: string | undefined;
  status?: LoanStatus | undefined;
  rightType?: RightType | undefined;
  startFrom?: string | undefined;
  startTo?: string | undefined;
}

/**
 * The columns the list may be sorted by (every list "sortable on the server"), each with its SQL column and
 * type. A whitelist: the sort parameter never reaches the SQL text except as one of these keys. Text sorts use the
 * "C" collation so that the order and the keyset comparison of the cursor agree byte for byte.
 */
export const LOAN_SORT_COLUMNS = {
  startDate: { sql: 'start_date', type: 'date' },
  maturityDate: { sql: 'maturity_date', type: 'date' },
  principal: { sql: 'principal_fen', type: 'bigint' },
  contractNo: { sql: 'contract_no collate "C"', type: 'text' },
} as const;
export type LoanSortColumn = keyof typeof LOAN_SORT_COLUMNS;

/** A sort: one whitelisted column, ascending or descending, then id in the same direction (a stable total order). */
export interface LoanSort {
  column: LoanSortColumn;
  descending: boolean;
}
export const DEFAULT_LOAN_SORT: LoanSort = { column: 'startDate', descending: false };

/** "startDate" | "-principal" → a sort; undefined for anything not on the whitelist. */
export function parseLoanSort(text: string): LoanSort | undefined {
  const descending = text.startsWith('-');
  const column = descending ? text.slice(1) : text;
  return Object.hasOwn(LOAN_SORT_COLUMNS, column) ? { column: column as LoanSortColumn, descending } : undefined;
}

export const formatLoanSort = (sort: LoanSort): string => `${sort.descending ? '-' : ''}${sort.column}`;

/** Where the previous page ended: the sort it was read with, the last item's value of that column (as text), its id. */
export interface LoanKeyset {
  sort: string;
  value: string;
  id: string;
}

/** A loan of a list, with the names people read beside its identifiers. */
export interface ListedLoan extends LoanState {
  /** The enterprise registered under its USCC (null when its code is not a USCC's shape, as the names lookup reads it). */
  enterpriseName: string | null;
  bankName: string | null;
}

export interface LoanPage {
  items: ListedLoan[];
  /** The sort key of the last item when more may follow. */
  next: LoanKeyset | null;
  totals: { count: number; principalFen: Fen; ipPledgedFen: Fen; outstandingFen: Fen; interestPaidFen: Fen };
}

/** One row of the list statement: a loan of the page (a loan row's columns) with the totals of every matching loan. */
interface ListRow extends Omit<LoanRow, 'id'> {
  count: string;
  total_principal_fen: bigint;
  total_ip_pledged_fen: bigint;
  total_outstanding_fen: bigint;
  total_interest_paid_fen: bigint;
  /** The page's columns: null on the one row of an empty page. */
  id: string | null;
  sort_value: string;
  /** [right type, number, registration number, secured fen as text], in line order. */
  pledges: Array<[RightType, string, string | null, string | null]> | null;
  outstanding_fen: bigint;
  interest_paid_fen: bigint;
  undrawn_fen: bigint;
  enterprise_name: string | null;
  bank_name: string | null;
}

/** The list's totals over the loans that match a filter: each loan's own ledger accounts. */
const FILTERED_TOTALS_SQL = `
       select count(*)::text as count,
              coalesce(sum(f.principal_fen), 0)::bigint as total_principal_fen,
              coalesce(sum(f.ip_pledged_fen), 0)::bigint as total_ip_pledged_fen,
              coalesce(sum(o.debits_fen - o.credits_fen), 0)::bigint as total_outstanding_fen,
              coalesce(sum(i.debits_fen - i.credits_fen), 0)::bigint as total_interest_paid_fen
         from filtered f
         left join ledger_account_totals o on o.code = 'loan:' || f.id || ':outstanding'
         left join ledger_account_totals i on i.code = 'loan:' || f.id || ':interest-paid'`;

/**
 * The same totals when every loan matches (no filter, a reader of every bank): the sums over all loans' accounts of a
 * kind, which the ledger keeps as it posts (migrations/…LedgerKindTotals.ts), read in the statement's snapshot like
 * the loans themselves. Every `loan:<id>:<kind>` account is a loan's, created with it (src/loans/accounts.ts).
 */
const EVERY_LOAN_TOTALS_SQL = `
       select count(*)::text as count,
              coalesce(sum(f.principal_fen), 0)::bigint as total_principal_fen,
              coalesce(sum(f.ip_pledged_fen), 0)::bigint as total_ip_pledged_fen,
              coalesce((select k.debits_fen - k.credits_fen from ledger_kind_balances k where k.prefix = 'loan' and k.kind = 'outstanding'), 0)::bigint
                as total_outstanding_fen,
              coalesce((select k.debits_fen - k.credits_fen from ledger_kind_balances k where k.prefix = 'loan' and k.kind = 'interest-paid'), 0)::bigint
                as total_interest_paid_fen
         from filtered f`;

/** The shape of a USCC, as the names lookup (src/reports/ledger-names.ts) finds enterprises in a text. */
const USCC_SHAPE = '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$';

/**
 * Loans visible in `scope` matching the filter, by start date then id, a page at a time, with totals over every
 * matching loan (not only the page): how many, principal, IP-pledged amount, and the outstanding principal and
 * interest paid from the ledger's running totals of each loan's accounts, or, when every loan matches, from its
 * totals of the loans' accounts by kind (no line is ever dated in the future, so those are today's balances). One
 * statement, one round trip: the page, each loan's pledges, status and balances (as `loanStates` reads them), the
 * enterprise's and the bank's names, and the totals.
 */
export async function listLoans(
  db: Queryable,
  scope: LoanScope,
  filter: LoanFilter,
  page: { limit: number; after?: LoanKeyset | undefined; sort?: LoanSort | undefined },
): Promise<LoanPage> {
  const sort = page.sort ?? DEFAULT_LOAN_SORT;
  const column = LOAN_SORT_COLUMNS[sort.column];
  // The status needs each loan's events; it is computed only when the filter asks for it (the lateral summary over
  // every loan is most of the list's cost with 10,000 loans, bench/web.ts).
  const needsStatus = filter.status !== undefined;
  const direction = sort.descending ? 'desc' : 'asc';
  const comparison = sort.descending ? '<' : '>';
  const after = page.after && page.after.sort === formatLoanSort(sort) ? page.after : undefined;
  const order = `${column.sql} ${direction}, id ${direction}`;
  // Only the conditions of the filters given, each with its own parameter: the statement is named by its text, so
  // PostgreSQL plans each shape of the list once per connection, and that plan is as good as one made for the values.
  const values: unknown[] = [];
  const parameter = (value: unknown, type: string) => {
    values.push(value);
    return `$${values.length}::${type}`;
  };
  const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;
  const conditions: string[] = [];
  if (given(scope.bankId)) conditions.push(`l.bank_id = ${parameter(scope.bankId, 'uuid')}`);
  if (given(filter.bankId)) conditions.push(`l.bank_id = ${parameter(filter.bankId, 'uuid')}`);
  if (given(filter.enterpriseUscc)) conditions.push(`l.enterprise_uscc = ${parameter(filter.enterpriseUscc, 'text')}`);
  if (given(filter.startFrom)) conditions.push(`l.start_date >= ${parameter(filter.startFrom, 'date')}`);
  if (given(filter.startTo)) conditions.push(`l.start_date <= ${parameter(filter.startTo, 'date')}`);
  if (given(filter.rightType)) {
    conditions.push(
      `exists (select 1 from pledge p join ip_asset a on a.id = p.asset_id where p.loan_id = l.id and a.right_type = ${parameter(filter.rightType, 'text')})`,
    );
  }
  if (needsStatus) conditions.push(`${STATUS_SQL} = ${parameter(filter.status, 'text')}`);
  // Every loan matches: the ledger's totals by kind of the loans' accounts (ledger_kind_balances) are those of every loan.
  const everyLoan = conditions.length === 0;
  const keyset = after ? `where (${column.sql}, id) ${comparison} (${parameter(after.value, column.type)}, ${parameter(after.id, 'uuid')})` : '';
  const limit = parameter(page.limit, 'integer');
  // Conditions on the loan's own columns only: not materialised, the page and the totals each read the loans as they
  // need them (the page by the sort's index, stopping after `limit` rows, when there is one). A status or a right type
  // is worked out once per loan instead. The page's order is numbered over its own rows only.
  const columnsOnly = !needsStatus && !given(filter.rightType);
  const text = `with filtered as ${columnsOnly ? 'not materialized' : 'materialized'} (
       select l.id, l.start_date, l.maturity_date, l.contract_no, l.principal_fen, l.ip_pledged_fen
         from loan l
         ${needsStatus ? `left join lateral (${EVENT_SUMMARY_SQL('null')}) ev on true` : ''}
        ${conditions.length > 0 ? `where ${conditions.join('\n          and ')}` : ''}
     ), first as (
       select id, start_date, maturity_date, contract_no, principal_fen, ${column.sql.replace(/ collate.*/, '')}::text as sort_value
         from filtered
        ${keyset}
        order by ${order} limit ${limit}
     ), page as (
       select id, sort_value, row_number() over (order by ${order}) as ord from first
     ), totals as (${everyLoan ? EVERY_LOAN_TOTALS_SQL : FILTERED_TOTALS_SQL})
     select t.*, x.*
       from totals t
       left join lateral (
         select l.id, p.sort_value, p.ord, l.bank_id, l.contract_no, l.enterprise_uscc, l.principal_fen,
                l.annual_rate::text as annual_rate, l.start_date, l.maturity_date, l.collateral, l.ip_pledged_fen, l.created_at,
                ${STATUS_SQL} as status, ev.settlement_date,
                (select json_agg(json_build_array(a.right_type, a.number, pl.registration_no, pl.secured_fen::text) order by pl.line_no)
                   from pledge pl join ip_asset a on a.id = pl.asset_id where pl.loan_id = l.id) as pledges,
                coalesce((select b.debits_fen - b.credits_fen from ledger_account_totals b where b.code = 'loan:' || l.id || ':outstanding'), 0)::bigint
                  as outstanding_fen,
                coalesce((select b.debits_fen - b.credits_fen from ledger_account_totals b where b.code = 'loan:' || l.id || ':interest-paid'), 0)::bigint
                  as interest_paid_fen,
                coalesce((select b.debits_fen - b.credits_fen from ledger_account_totals b where b.code = 'loan:' || l.id || ':undrawn'), 0)::bigint
                  as undrawn_fen,
                case when l.enterprise_uscc ~ '${USCC_SHAPE}'
                     then (select e.name from enterprise_registration e where e.uscc = l.enterprise_uscc) end as enterprise_name,
                (select d.name from bank_directory d where d.id = l.bank_id) as bank_name
           from page p
           join loan l on l.id = p.id
           left join lateral (${EVENT_SUMMARY_SQL('null')}) ev on true
       ) x on true
      order by x.ord`;
  const result = await db.query<ListRow>({ name: `loan_list_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`, text, values });
  const rows = result.rows.filter((row) => row.id !== null);
  const items = rows.map(
    (row): ListedLoan => ({
      id: row.id!,
      bankId: row.bank_id,
      contractNo: row.contract_no,
      enterpriseUscc: row.enterprise_uscc,
      principalFen: row.principal_fen,
      annualRate: row.annual_rate,
      startDate: row.start_date,
      maturityDate: row.maturity_date,
      collateral: row.collateral,
      ipPledgedFen: row.ip_pledged_fen,
      pledges: (row.pledges ?? []).map(([rightType, number, registrationNo, securedFen]) => ({
        rightType,
        number,
        registrationNo,
        securedFen: securedFen === null ? null : BigInt(securedFen),
      })),
      createdAt: row.created_at.toISOString(),
      asOf: null,
      status: row.status,
      outstandingFen: row.outstanding_fen,
      interestPaidFen: row.interest_paid_fen,
      disbursedFen: row.principal_fen - row.undrawn_fen,
      settlementDate: row.settlement_date,
      enterpriseName: row.enterprise_name,
      bankName: row.bank_name,
    }),
  );
  const last = rows[rows.length - 1];
  const total = result.rows[0]!;
  return {
    items,
    next: rows.length === page.limit && last ? { sort: formatLoanSort(sort), value: last.sort_value, id: last.id! } : null,
    totals: {
      count: Number(total.count),
      principalFen: total.total_principal_fen,
      ipPledgedFen: total.total_ip_pledged_fen,
      outstandingFen: total.total_outstanding_fen,
      interestPaidFen: total.total_interest_paid_fen,
    },
  };
}
