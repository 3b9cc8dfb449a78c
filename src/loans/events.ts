/**
 * Loan events (docs/api.md `POST /api/v1/loans/{id}/events`, `POST /api/v1/loan-events:batch`).
 *
 * One code path for one event and for 10,000: lock the loans named (one statement, in id order), read their events
 * (one statement), replay every rule in memory so that each bad row is reported with its field, then post all the
 * ledger entries (one `postMany`) and insert all the events (one statement). PostgreSQL checks the same rules again
 * while writing: the money limits are floors of the loan's ledger accounts, the date and settlement rules a trigger
 * on loan_event (migrations/…Loans.ts).
 *
 * Events may arrive out of order by value date: the rules hold at every date, not only at the latest one, so a
 * back-dated repayment is refused when it would make the outstanding principal negative on any day from its date on.
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseError } from 'pg';
import type { Queryable } from '../db/pool';
import { DomainError, type FieldProblem } from '../errors';
import { postMany } from '../ledger';
import { formatYuan, type Fen } from '../money';
import { eventEntry } from './accounts';
import { batchInvalid, rowProblems, type BatchOptions, type Writer } from './loans';
import { MAX_BATCH_ITEMS, MONEY_EVENT_TYPES, type EventInput, type EventType, type LoanEvent, type LoanScope } from './types';
import { checkEvent, checkEventFields } from './validation';

/** A new event's row from its input: a new id, the loan id in lower case, absent fields null. */
export function newEventOf(input: EventInput): Omit<LoanEvent, 'recordedAt' | 'ledgerEntryId'> {
  return {
    id: randomUUID(),
    loanId: input.loanId.toLowerCase(),
    type: input.type,
    date: input.date,
    amountFen: input.amountFen ?? null,
    periodFrom: input.periodFrom ?? null,
    periodTo: input.periodTo ?? null,
    daysOverdue: input.daysOverdue ?? null,
  };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface LockedLoan {
  id: string;
  bank_id: string;
  contract_no: string;
  principal_fen: bigint;
  start_date: string;
}

interface StoredEvent {
  loan_id: string;
  type: EventType;
  effective_date: string;
  amount_fen: bigint | null;
}

/** A dated change of a loan's outstanding principal. */
interface Movement {
  date: string;
  changeFen: Fen;
}

/** The first date on or after `from` at whose end the outstanding principal is negative, with that balance. */
export function firstNegativeDay(movements: Movement[], from: string): { date: string; balanceFen: Fen } | undefined {
  const byDate = new Map<string, Fen>();
  for (const movement of movements) byDate.set(movement.date, (byDate.get(movement.date) ?? 0n) + movement.changeFen);
  let balanceFen = 0n;
  for (const date of [...byDate.keys()].sort()) {
    balanceFen += byDate.get(date)!;
    if (date >= from && balanceFen < 0n) return { date, balanceFen };
  }
  return undefined;
}

export function balanceAt(movements: Movement[], date: string): Fen {
  let balanceFen = 0n;
  for (const movement of movements) if (movement.date <= date) balanceFen += movement.changeFen;
  return balanceFen;
}

/**
 * Records events on loans of the writer's bank, all or nothing. Every row is checked against its loan as it stands
 * plus the other rows of the batch; any problem refuses the batch, naming every bad row.
 */
export async function recordEvents(
  db: Queryable,
  writer: Writer,
  rows: Array<EventInput | undefined>,
  options: BatchOptions,
): Promise<LoanEvent[]> {
  const inputs = rows as EventInput[]; // read only at the indexes of defined rows, until the check below
  const defined = (index: number) => rows[index] !== undefined;
  if (inputs.length === 0) return [];
  if (inputs.length > MAX_BATCH_ITEMS) {
    throw new DomainError('validation_failed', `a batch has at most ${MAX_BATCH_ITEMS} events; this has ${inputs.length}`, [
      { path: '(body)', message: `at most ${MAX_BATCH_ITEMS} items; this has ${inputs.length}` },
    ]);
  }
  const problemsByRow = new Map<number, FieldProblem[]>();
  const parseProblems = options.parseProblems ?? [];
  const refuse = (index: number, path: string, message: string) => {
    const list = problemsByRow.get(index) ?? [];
    list.push({ path, message });
    problemsByRow.set(index, list);
  };
  const ok = (index: number) => defined(index) && !problemsByRow.has(index);
  // Rows that did not parse whole: their loan and date are still checked, so one answer names every problem of a row.
  const partials = new Map<number, Partial<EventInput>>();
  inputs.forEach((input, index) => {
    const partial = input ? undefined : options.partialEvents?.get(index);
    if (partial) {
      for (const problem of checkEventFields(partial, options.today)) refuse(index, problem.path, problem.message);
      if (partial.fields.loanId !== undefined && !UUID_PATTERN.test(partial.fields.loanId)) refuse(index, 'loanId', 'is not a loan id');
      partials.set(index, partial.fields);
    }
    if (!input) return;
    for (const problem of checkEvent(input, options.today)) refuse(index, problem.path, problem.message);
    if (!UUID_PATTERN.test(input.loanId)) refuse(index, 'loanId', 'is not a loan id');
  });

  const loanIds = [
    ...new Set(
      [...inputs.filter(Boolean).map((input) => input.loanId), ...[...partials.values()].flatMap((partial) => (partial.loanId ? [partial.loanId] : []))]
        .map((id) => id.toLowerCase())
        .filter((id) => UUID_PATTERN.test(id)),
    ),
  ].sort();
  // Lock the loans (in one global order, so two batches never deadlock) before reading their events: a concurrent
  // request for the same loan waits here and then sees this one's events.
  const locked = await db.query<LockedLoan>(
    `select id, bank_id, contract_no, principal_fen, start_date from loan
      where id = any($1::uuid[]) and bank_id = $2 order by id for no key update`,
    [loanIds, writer.bankId],
  );
  const loans = new Map(locked.rows.map((row) => [row.id, row]));
  if (options.single && loans.size === 0) throw new DomainError('loan_not_found', `no loan ${inputs[0]?.loanId ?? ""}`);
  const stored = await db.query<StoredEvent>(
    `select loan_id, type, effective_date, amount_fen from loan_event where loan_id = any($1::uuid[]) order by loan_id, effective_date, seq`,
    [[...loans.keys()]],
  );
  const storedByLoan = new Map<string, StoredEvent[]>();
  for (const row of stored.rows) {
    const list = storedByLoan.get(row.loan_id) ?? [];
    list.push(row);
    storedByLoan.set(row.loan_id, list);
  }

  for (const [index, partial] of partials) {
    const loan = partial.loanId ? loans.get(partial.loanId.toLowerCase()) : undefined;
    if (partial.loanId && UUID_PATTERN.test(partial.loanId) && !loan) refuse(index, 'loanId', `no loan ${partial.loanId}`);
    if (loan && partial.date !== undefined && partial.date < loan.start_date) refuse(index, 'date', `is before the loan started on ${loan.start_date}`);
  }

  const rowsByLoan = new Map<string, number[]>();
  inputs.forEach((input, index) => {
    if (!input) return;
    const loanId = input.loanId.toLowerCase();
    const loan = loans.get(loanId);
    if (!loan) {
      // Another bank's loan reads exactly like a loan that does not exist.
      if (UUID_PATTERN.test(input.loanId)) refuse(index, 'loanId', `no loan ${input.loanId}`);
      return;
    }
    if (input.date < loan.start_date) refuse(index, 'date', `is before the loan started on ${loan.start_date}`);
    if (input.periodFrom != null && input.periodFrom < loan.start_date) {
      refuse(index, 'periodFrom', `is before the loan started on ${loan.start_date}`);
    }
    const rows = rowsByLoan.get(loanId) ?? [];
    rows.push(index);
    rowsByLoan.set(loanId, rows);
  });

  for (const [loanId, rows] of rowsByLoan) {
    checkLoanRows(loans.get(loanId)!, storedByLoan.get(loanId) ?? [], rows, inputs, ok, refuse);
  }

  if (problemsByRow.size > 0 || parseProblems.length > 0) {
    const problems = [...parseProblems, ...[...problemsByRow].flatMap(([index, list]) => rowProblems(list, index, options.single))];
    throw batchInvalid(problems, options.single ? 'the event' : 'the batch');
  }

  if (rows.some((row) => row === undefined)) throw new Error('an unreadable row came without its problem');
  const events = inputs.map(newEventOf);
  const moneyEvents = events.filter((event) => MONEY_EVENT_TYPES.has(event.type));
  let posted;
  try {
    posted = await postMany(
      db,
      moneyEvents.map((event) => {
        const loan = loans.get(event.loanId)!;
        return eventEntry({ ...event, amountFen: event.amountFen! }, { id: loan.id, bankId: loan.bank_id, contractNo: loan.contract_no });
      }),
    );
  } catch (error) {
    throw limitError(error);
  }
  const entryOf = new Map(moneyEvents.map((event, index) => [event.id, posted[index]!.id]));
  let recordedAt: Date;
  try {
    const inserted = await db.query<{ recorded_at: Date }>(
      `with rows as (
         insert into loan_event (id, loan_id, type, effective_date, amount_fen, days_overdue, period_from, period_to,
                                 ledger_entry_id, recorded_by)
         select id, loan_id, type, effective_date, amount_fen, days_overdue, period_from, period_to, ledger_entry_id, $10::uuid
           from unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::bigint[], $6::int[], $7::date[], $8::date[],
                       $9::bigint[]) with ordinality
             as u(id, loan_id, type, effective_date, amount_fen, days_overdue, period_from, period_to, ledger_entry_id, ord)
          order by ord
         returning recorded_at
       )
       select min(recorded_at) as recorded_at from rows`,
      [
        events.map((e) => e.id),
        events.map((e) => e.loanId),
        events.map((e) => e.type),
        events.map((e) => e.date),
        events.map((e) => e.amountFen?.toString() ?? null),
        events.map((e) => e.daysOverdue),
        events.map((e) => e.periodFrom),
        events.map((e) => e.periodTo),
        events.map((e) => entryOf.get(e.id)?.toString() ?? null),
        writer.principalId,
      ],
    );
    recordedAt = inserted.rows[0]!.recorded_at;
  } catch (error) {
    throw eventError(error);
  }
  return events.map((event) => ({ ...event, recordedAt: recordedAt.toISOString(), ledgerEntryId: entryOf.get(event.id) ?? null }));
}

/**
 * The rules of one loan's new rows against its stored events and each other (rows already refused are left out):
 * one settlement, nothing dated after it, outstanding zero on its date; disbursements within the principal;
 * repayments within the outstanding principal at every date from theirs on.
 */
function checkLoanRows(
  loan: LockedLoan,
  stored: StoredEvent[],
  rows: number[],
  inputs: EventInput[],
  ok: (index: number) => boolean,
  refuse: (index: number, path: string, message: string) => void,
): void {
  const principalFen = loan.principal_fen;
  const storedSettlement = stored.find((event) => event.type === 'settlement')?.effective_date;
  const latestStored = stored.reduce<string | undefined>((latest, e) => (!latest || e.effective_date > latest ? e.effective_date : latest), undefined);

  // Settlement: once, last, at zero.
  let settlementDate = storedSettlement;
  let settlementRow: number | undefined;
  for (const index of rows) {
    if (!ok(index) || inputs[index]!.type !== 'settlement') continue;
    const date = inputs[index]!.date;
    if (storedSettlement) refuse(index, 'type', `the loan was already settled on ${storedSettlement}`);
    else if (settlementRow !== undefined) refuse(index, 'type', `the loan is settled once; row ${settlementRow + 1} settles it`);
    else if (latestStored && latestStored > date) refuse(index, 'date', `the loan has an event dated ${latestStored}, after this settlement`);
    else {
      settlementRow = index;
      settlementDate = date;
    }
  }
  for (const index of rows) {
    if (!ok(index) || index === settlementRow || !settlementDate) continue;
    const input = inputs[index]!;
    if (input.date > settlementDate) {
      refuse(index, 'date', `the loan was settled on ${settlementDate}: nothing may be dated after its settlement`);
    } else if (storedSettlement && input.type === 'disbursement') {
      refuse(index, 'type', `the loan was settled on ${storedSettlement}: a disbursement would reopen it`);
    }
  }

  // Disbursements: their sum never exceeds the principal (all are positive, so the final sum is the largest).
  const movements: Movement[] = [];
  let disbursedFen = 0n;
  for (const event of stored) {
    if (event.type === 'disbursement') {
      disbursedFen += event.amount_fen!;
      movements.push({ date: event.effective_date, changeFen: event.amount_fen! });
    } else if (event.type === 'principal_repayment') {
      movements.push({ date: event.effective_date, changeFen: -event.amount_fen! });
    }
  }
  for (const index of rows) {
    const input = inputs[index]!;
    if (!ok(index) || input.type !== 'disbursement') continue;
    if (disbursedFen + input.amountFen! > principalFen) {
      refuse(
        index,
        'amount',
        `disbursements would exceed the principal: ${formatYuan(principalFen)} granted, ${formatYuan(disbursedFen)} already ` +
          `disbursed (earlier rows of this batch included), ${formatYuan(input.amountFen!)} more`,
      );
      continue;
    }
    disbursedFen += input.amountFen!;
    movements.push({ date: input.date, changeFen: input.amountFen! });
  }

  // Repayments: the outstanding principal stays ≥ 0 at the end of every day. Usually all pass at once; otherwise each
  // is tried in row order so that the rows to blame are the ones named.
  const repaymentRows = rows.filter((index) => ok(index) && inputs[index]!.type === 'principal_repayment');
  const repayment = (index: number): Movement => ({ date: inputs[index]!.date, changeFen: -inputs[index]!.amountFen! });
  const earliest = repaymentRows.reduce<string | undefined>((min, index) => (!min || inputs[index]!.date < min ? inputs[index]!.date : min), undefined);
  if (earliest && firstNegativeDay([...movements, ...repaymentRows.map(repayment)], earliest)) {
    for (const index of repaymentRows) {
      const negative = firstNegativeDay([...movements, repayment(index)], inputs[index]!.date);
      if (negative) {
        const outstandingFen = negative.balanceFen + inputs[index]!.amountFen!;
        refuse(
          index,
          'amount',
          `repayment exceeds the outstanding principal on ${negative.date}: ${formatYuan(outstandingFen)} outstanding then, ` +
            `${formatYuan(inputs[index]!.amountFen!)} repaid`,
        );
      } else {
        movements.push(repayment(index));
      }
    }
  } else {
    movements.push(...repaymentRows.map(repayment));
  }

  if (settlementRow !== undefined && ok(settlementRow)) {
    const outstandingFen = balanceAt(movements, settlementDate!);
    if (outstandingFen !== 0n) {
      refuse(
        settlementRow,
        'type',
        `settlement requires the outstanding principal to be 0 on ${settlementDate}; it is ${formatYuan(outstandingFen)}`,
      );
    }
  }
}

/** The ledger refused an entry that the checks above let through (they should not): the same words, without a row. */
function limitError(error: unknown): unknown {
  if (error instanceof DomainError && error.code === 'account_limit_exceeded') {
    const account = String(error.extra.account ?? '');
    const message = account.endsWith(':undrawn')
      ? 'disbursements would exceed the principal'
      : account.endsWith(':outstanding')
        ? 'repayment exceeds the outstanding principal on some date from its own on'
        : `ledger account ${account} would cross its limit`;
    return new DomainError('validation_failed', `amount: ${message}`, [{ path: 'amount', message }]);
  }
  return error;
}

function eventError(error: unknown): unknown {
  const pgError = error as Partial<DatabaseError>;
  switch (pgError.code) {
    case 'LN001':
      return new DomainError('validation_failed', pgError.message ?? 'dated before the loan start', [
        { path: 'date', message: 'is before the loan started' },
      ]);
    case 'LN004':
      return new DomainError('loan_not_found', pgError.message ?? 'an event names no loan');
    case 'LN003':
      return new DomainError('validation_failed', pgError.message ?? 'settlement refused', [
        { path: 'type', message: 'settlement needs the outstanding principal at zero and no later event' },
      ]);
    case '23505':
      if (pgError.constraint === 'loan_event_one_settlement') {
        return new DomainError('validation_failed', 'the loan is already settled', [{ path: 'type', message: 'the loan is already settled' }]);
      }
      return error;
    case '23514':
      if (pgError.constraint === 'loan_event_not_in_future') {
        return new DomainError('validation_failed', 'an event is dated in the future', [{ path: 'date', message: 'must not be in the future' }]);
      }
      return error;
    default:
      return error;
  }
}

interface EventRow {
  id: string;
  loan_id: string;
  seq: bigint;
  type: EventType;
  effective_date: string;
  amount_fen: bigint | null;
  days_overdue: number | null;
  period_from: string | null;
  period_to: string | null;
  recorded_at: Date;
  ledger_entry_id: bigint | null;
}

/** A loan's events by value date, then in the order recorded; a page at a time after (date, seq). */
export async function listEvents(
  db: Queryable,
  scope: LoanScope,
  loanId: string,
  page: { limit: number; after?: [string, string] | undefined },
): Promise<{ items: LoanEvent[]; next: [string, string] | null }> {
  // One round trip: the loan as `scope` sees it, and its page of events (no row at all: no such loan, or another
  // bank's; one row of nulls: the loan, with no event on this page).
  const result = await db.query<Omit<EventRow, 'id'> & { id: string | null }>({
    name: 'loan_events_page',
    text: `select e.id, e.loan_id, e.seq, e.type, e.effective_date, e.amount_fen, e.days_overdue, e.period_from, e.period_to,
            e.recorded_at, e.ledger_entry_id
       from loan l
       left join lateral (
         select id, loan_id, seq, type, effective_date, amount_fen, days_overdue, period_from, period_to, recorded_at, ledger_entry_id
           from loan_event
          where loan_id = l.id and ($3::date is null or (effective_date, seq) > ($3::date, $4::bigint))
          order by effective_date, seq limit $5
       ) e on true
      where l.id = $1 and ($2::uuid is null or l.bank_id = $2)
      order by e.effective_date, e.seq`,
    values: [loanId, scope.bankId, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit],
  });
  if (result.rows.length === 0) throw new DomainError('loan_not_found', `no loan ${loanId}`);
  result.rows = result.rows.filter((row) => row.id !== null);
  const items = result.rows.map(
    (row): LoanEvent => ({
      id: row.id!,
      loanId: row.loan_id,
      type: row.type,
      date: row.effective_date,
      amountFen: row.amount_fen,
      periodFrom: row.period_from,
      periodTo: row.period_to,
      daysOverdue: row.days_overdue,
      recordedAt: row.recorded_at.toISOString(),
      ledgerEntryId: row.ledger_entry_id,
    }),
  );
  const last = result.rows[result.rows.length - 1];
  return { items, next: result.rows.length === page.limit && last ? [last.effective_date, last.seq.toString()] : null };
}

/**
 * Batch items that name their loan by the bank's contract number instead of its id (a clerk's sheet): the id filled
 * in from the writer's own loans, or the problem of the row (`contractNo` unknown to this bank, or naming another loan
 * than the id given with it). Items are changed in place; a JSON item's own `loanId` is left alone.
 */
export async function loanIdsFromContracts(db: Queryable, writer: Writer, items: unknown[]): Promise<FieldProblem[]> {
  const named = items.flatMap((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return [];
    const record = item as Record<string, unknown>;
    return typeof record.contractNo === 'string' && record.contractNo.trim() !== '' ? [{ index, record, contractNo: record.contractNo.trim() }] : [];
  });
  if (named.length === 0) return [];
  const found = await db.query<{ id: string; contract_no: string }>(
    `select id, contract_no from loan where bank_id = $1 and contract_no = any($2::text[])`,
    [writer.bankId, [...new Set(named.map((item) => item.contractNo))]],
  );
  const ids = new Map(found.rows.map((row) => [row.contract_no, row.id]));
  const problems: FieldProblem[] = [];
  for (const { index, record, contractNo } of named) {
    const id = ids.get(contractNo);
    const given = typeof record.loanId === 'string' ? record.loanId.trim().toLowerCase() : undefined;
    if (!id) {
      problems.push({ row: index + 1, path: 'contractNo', message: `this bank has no loan with contract number ${contractNo}` });
    } else if (given && given !== id) {
      problems.push({ row: index + 1, path: 'loanId', message: `is not the loan with contract number ${contractNo}` });
    } else {
      record.loanId = id;
    }
    delete record.contractNo;
  }
  return problems;
}
