/**
 * One loan, or one event, written in one statement (migrations/Migration20261203001202LoansOneStatement.ts): the
 * checks of a row on its own run here as in `createLoans`/`recordEvents`; everything that needs the database — the
 * enterprise, the contract number, the loan's events and balances, the ledger's limits — is left to its constraints,
 * triggers and account floors, inside a statement that also claims the request's Idempotency-Key and writes its audit
 * row (the envelope, src/http/route.ts). So a request that is accepted costs one round trip after the token check, or
 * one in all when its token is remembered and the statement confirms it (migrations/…WritesConfirmPrincipal.ts).
 *
 * Anything refused here or by the database returns `undefined` and writes nothing (the statement is its own
 * transaction): the caller then goes the transaction path, `createLoans`/`recordEvents`, which finds the same refusal
 * and names its field — one rule, one wording, for both paths.
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseError } from 'pg';
import type { OneStatementOutcome, WriteEnvelope } from '../db/one-statement';
import type { Queryable } from '../db/pool';
import { countPostings, postingArguments, type AccountDefinition, type EntryInput } from '../ledger';
import { bankAccountDefinitions, eventEntry, facilityEntry, loanAccountDefinitions } from './accounts';
import { MONEY_EVENT_TYPES, type EventInput, type Loan, type LoanEvent, type LoanInput, type LoanStatus } from './types';
import { newEventOf } from './events';
import { checkEvent, checkLoan } from './validation';
import type { Writer } from './loans';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where the loan's contract number goes in an event entry's description, completed by the database. */
const CONTRACT_TOKEN = '\u{1F4C4}contract-no\u{1F4C4}';

/**
 * A refusal by the database's rules — a constraint (class 23), bad data (22), the ledger's (LG) or the loans' (LN)
 * own, or a deadlock or serialization failure (40) — rolled the statement back: the transaction path answers it.
 * Anything else (a missing function, the connection) is a fault and is thrown.
 */
function refused(error: unknown): boolean {
  const code = (error as Partial<DatabaseError>).code;
  return typeof code === 'string' && ['23', '22', 'LG', 'LN', '40'].includes(code.slice(0, 2));
}

/** The accounts to make sure of, as the functions take them: code, name, type, side, floor, ceiling, shared. */
function accountArguments(accounts: readonly AccountDefinition[]): unknown[][] {
  return [
    accounts.map((a) => a.code),
    accounts.map((a) => a.name),
    accounts.map((a) => a.type),
    accounts.map((a) => a.normalSide ?? null),
    accounts.map((a) => a.floorFen?.toString() ?? null),
    accounts.map((a) => a.ceilingFen?.toString() ?? null),
    accounts.map((a) => a.shared ?? false),
  ];
}

type NewEvent = Omit<LoanEvent, 'recordedAt' | 'ledgerEntryId'>;

/** A money event's entry, the loan's contract number left for the database to fill in; none for the others. */
function moneyEntry(event: NewEvent, writer: Writer): EntryInput | undefined {
  return MONEY_EVENT_TYPES.has(event.type)
    ? eventEntry({ ...event, amountFen: event.amountFen! }, { id: event.loanId, bankId: writer.bankId, contractNo: CONTRACT_TOKEN })
    : undefined;
}

/** The event as its answer is built before the database sets what it writes (recordedAt, entry, the loan after it). */
function unanswered(event: NewEvent): RecordedEvent {
  return {
    event: { ...event, recordedAt: '', ledgerEntryId: null },
    loan: { outstandingFen: 0n, interestPaidFen: 0n, disbursedFen: 0n, status: 'active' },
  };
}

/** A loan just written, with the names its answer carries for people. */
export interface NamedLoan {
  loan: Loan;
  enterpriseName: string | null;
  bankName: string | null;
}

/**
 * `answer(loan)` is the body of the 201 for this loan; the database stores it under the Idempotency-Key with its
 * `createdAt` (a top-level key) set to the instant of the insert.
 */
export async function createLoanInOneStatement(
  db: Queryable,
  writer: Writer,
  input: LoanInput,
  options: { today: string; envelope: WriteEnvelope; answer: (loan: Loan) => Record<string, unknown> },
): Promise<OneStatementOutcome<NamedLoan> | undefined> {
  const checked = checkLoan(input, options.today);
  if (checked.problems.length > 0 || !checked.loan) return undefined;
  const loan: Omit<Loan, 'createdAt'> = { ...checked.loan, id: randomUUID(), bankId: writer.bankId };
  const accounts = [...bankAccountDefinitions(writer.bankId, '{bank}'), ...loanAccountDefinitions(loan.id, loan.contractNo)];
  const entry = facilityEntry(loan);
  const posting = postingArguments([entry]);
  let row: {
    replay_hash: string | null;
    replay_status: number | null;
    replay_response: unknown;
    created_at: Date | null;
    enterprise_name: string | null;
    bank_name: string | null;
  };
  try {
    const result = await db.query<typeof row>({
      name: 'loan_create_one',
      // The answer carries the enterprise's and the bank's names for people; they are read in the same statement and
      // stored with it, so a replay answers exactly as the first time.
      text: `with names as (
               select (select name from enterprise where uscc = $6::text) as enterprise_name,
                      (select name from bank_directory where id = $4::uuid) as bank_name
             )
             select f.*, n.enterprise_name, n.bank_name from names n, lateral loan_create_one($1::jsonb,
               $2::jsonb || jsonb_build_object('enterpriseName', n.enterprise_name, 'bankName', n.bank_name), $3::uuid, $4::uuid, $5::text, $6::text, $7::bigint, $8::numeric,
               $9::date, $10::date, $11::text, $12::bigint, $13::uuid, $14::text[], $15::text[], $16::text[], $17::bigint[],
               $18::text[], $19::text[], $20::text[], $21::text[], $22::bigint[], $23::bigint[], $24::boolean[],
               $25::text[], $26::date[], $27::text[], $28::text[], $29::text[], $30::bigint[], $31::bytea[],
               $32::int[], $33::smallint[], $34::text[], $35::text[], $36::bigint[]) f`,
      values: [
        JSON.stringify(options.envelope),
        JSON.stringify(options.answer({ ...loan, createdAt: '' })),
        loan.id,
        loan.bankId,
        loan.contractNo,
        loan.enterpriseUscc,
        loan.principalFen.toString(),
        loan.annualRate,
        loan.startDate,
        loan.maturityDate,
        loan.collateral,
        loan.ipPledgedFen?.toString() ?? null,
        writer.principalId,
        loan.pledges.map((p) => p.rightType),
        loan.pledges.map((p) => p.number),
        loan.pledges.map((p) => p.registrationNo),
        loan.pledges.map((p) => p.securedFen?.toString() ?? null),
        ...accountArguments(accounts),
        ...posting.values,
      ],
    });
    row = result.rows[0]!;
  } catch (error) {
    if (refused(error)) return undefined;
    throw error;
  }
  if (row.replay_status !== null) {
    return { kind: 'replay', requestHash: row.replay_hash!, status: row.replay_status, response: row.replay_response };
  }
  countPostings([entry]);
  return {
    kind: 'written',
    value: { loan: { ...loan, createdAt: row.created_at!.toISOString() }, enterpriseName: row.enterprise_name, bankName: row.bank_name },
  };
}

/** One loan of a group (`createLoansInOneStatement`): its input and what `createLoanInOneStatement` takes with it. */
export interface GroupedLoan {
  input: LoanInput;
  options: { today: string; envelope: WriteEnvelope; answer: (loan: Loan) => Record<string, unknown> };
}

/**
 * Two or more loans of one writer in one statement, its own transaction (`loan_create_group`,
 * migrations/…LoansWriteGroups.ts): each with its envelope (Idempotency-Key, audit row) and answer, as
 * `createLoanInOneStatement` writes one, with the statements and the commit shared.
 *
 * `undefined` when any loan is refused — here, or by the database (then nothing was written) — or when an
 * Idempotency-Key of the group was used before: each loan must then go on its own (src/loans/groups.ts), where its
 * refusal or replay is answered for its own request.
 */
export async function createLoansInOneStatement(
  db: Queryable,
  writer: Writer,
  group: readonly GroupedLoan[],
): Promise<Array<OneStatementOutcome<NamedLoan>> | undefined> {
  if (group.length < 2) throw new RangeError('a group of loans is two or more');
  const loans: Array<Omit<Loan, 'createdAt'>> = [];
  for (const { input, options } of group) {
    const checked = checkLoan(input, options.today);
    if (checked.problems.length > 0 || !checked.loan) return undefined;
    loans.push({ ...checked.loan, id: randomUUID(), bankId: writer.bankId });
  }
  const accounts = [
    ...bankAccountDefinitions(writer.bankId, '{bank}'),
    ...loans.flatMap((loan) => loanAccountDefinitions(loan.id, loan.contractNo)),
  ];
  const entries = loans.map((loan) => facilityEntry(loan));
  const posting = postingArguments(entries);
  const pledges = loans.flatMap((loan, index) => loan.pledges.map((pledge, line) => ({ item: index + 1, line: line + 1, pledge })));
  let row: { created_at: Date; enterprise_names: Array<string | null>; bank_name: string | null };
  try {
    const result = await db.query<typeof row>({
      name: 'loan_create_group',
      text: `select * from loan_create_group($1::jsonb[], $2::jsonb[], $3::uuid[], $4::uuid, $5::text[], $6::text[], $7::bigint[],
               $8::numeric[], $9::date[], $10::date[], $11::text[], $12::bigint[], $13::uuid, $14::int[], $15::int[], $16::text[],
               $17::text[], $18::text[], $19::bigint[], $20::text[], $21::text[], $22::text[], $23::text[], $24::bigint[], $25::bigint[],
               $26::boolean[], $27::text[], $28::date[], $29::text[], $30::text[], $31::text[], $32::bigint[], $33::bytea[],
               $34::int[], $35::smallint[], $36::text[], $37::text[], $38::bigint[])`,
      values: [
        group.map(({ options }) => JSON.stringify(options.envelope)),
        group.map(({ options }, index) => JSON.stringify(options.answer({ ...loans[index]!, createdAt: '' }))),
        loans.map((loan) => loan.id),
        writer.bankId,
        loans.map((loan) => loan.contractNo),
        loans.map((loan) => loan.enterpriseUscc),
        loans.map((loan) => loan.principalFen.toString()),
        loans.map((loan) => loan.annualRate),
        loans.map((loan) => loan.startDate),
        loans.map((loan) => loan.maturityDate),
        loans.map((loan) => loan.collateral),
        loans.map((loan) => loan.ipPledgedFen?.toString() ?? null),
        writer.principalId,
        pledges.map((p) => p.item),
        pledges.map((p) => p.line),
        pledges.map((p) => p.pledge.rightType),
        pledges.map((p) => p.pledge.number),
        pledges.map((p) => p.pledge.registrationNo),
        pledges.map((p) => p.pledge.securedFen?.toString() ?? null),
        ...accountArguments(accounts),
        ...posting.values,
      ],
    });
    row = result.rows[0]!;
  } catch (error) {
    if (refused(error) || (error as Partial<DatabaseError>).code === '28000') return undefined;
    throw error;
  }
  countPostings(entries);
  const createdAt = row.created_at.toISOString();
  return loans.map((loan, index) => ({
    kind: 'written',
    value: { loan: { ...loan, createdAt }, enterpriseName: row.enterprise_names[index] ?? null, bankName: row.bank_name },
  }));
}

export interface RecordedEvent {
  event: LoanEvent;
  loan: { outstandingFen: bigint; interestPaidFen: bigint; disbursedFen: bigint; status: LoanStatus };
}

/**
 * `answer(recorded)` is the body of the 201; the database stores it under the Idempotency-Key with `recordedAt`,
 * `ledgerEntryId` and `loan` (outstandingPrincipal, interestPaid, disbursed, status) set from what it wrote.
 */
export async function recordEventInOneStatement(
  db: Queryable,
  writer: Writer,
  input: EventInput,
  options: { today: string; envelope: WriteEnvelope; answer: (recorded: RecordedEvent) => Record<string, unknown> },
): Promise<OneStatementOutcome<RecordedEvent> | undefined> {
  if (!UUID_PATTERN.test(input.loanId) || checkEvent(input, options.today).length > 0) return undefined;
  const event = newEventOf(input);
  const entry = moneyEntry(event, writer);
  let row: {
    replay_hash: string | null;
    replay_status: number | null;
    replay_response: unknown;
    recorded_at: Date | null;
    ledger_entry_id: bigint | null;
    outstanding_fen: bigint;
    interest_paid_fen: bigint;
    disbursed_fen: bigint;
    status: LoanStatus;
  };
  try {
    const result = await db.query<typeof row>({
      name: 'loan_event_record_one',
      text: `select * from loan_event_record_one($1::jsonb, $2::jsonb, $3::uuid, $4::uuid, $5::uuid, $6::text, $7::date, $8::bigint,
               $9::integer, $10::date, $11::date, $12::uuid, $13::text, $14::text, $15::text, $16::text[], $17::text[])`,
      values: [
        JSON.stringify(options.envelope),
        JSON.stringify(options.answer(unanswered(event))),
        writer.bankId,
        event.id,
        event.loanId,
        event.type,
        event.date,
        event.amountFen?.toString() ?? null,
        event.daysOverdue,
        event.periodFrom,
        event.periodTo,
        writer.principalId,
        entry?.idempotencyKey ?? null,
        entry?.description ?? null,
        CONTRACT_TOKEN,
        entry?.lines.map((line) => line.accountCode) ?? null,
        entry?.lines.map((line) => line.side) ?? null,
      ],
    });
    row = result.rows[0]!;
  } catch (error) {
    if (refused(error)) return undefined;
    throw error;
  }
  if (row.replay_status !== null) {
    return { kind: 'replay', requestHash: row.replay_hash!, status: row.replay_status, response: row.replay_response };
  }
  if (entry) countPostings([entry]);
  return {
    kind: 'written',
    value: {
      event: { ...event, recordedAt: row.recorded_at!.toISOString(), ledgerEntryId: row.ledger_entry_id },
      loan: { outstandingFen: row.outstanding_fen, interestPaidFen: row.interest_paid_fen, disbursedFen: row.disbursed_fen, status: row.status },
    },
  };
}

/** One event of a group (`recordEventsInOneStatement`): its input and what `recordEventInOneStatement` takes with it. */
export interface GroupedEvent {
  input: EventInput;
  options: { today: string; envelope: WriteEnvelope; answer: (recorded: RecordedEvent) => Record<string, unknown> };
}

/**
 * Two or more events of one writer, on as many loans, in one statement, its own transaction (`loan_event_record_group`,
 * migrations/…LoanEventsWriteGroups.ts): each with its envelope and answer, as `recordEventInOneStatement` writes one.
 * `undefined` when any event is refused, here or by the database (then nothing was written), or when an
 * Idempotency-Key of the group was used before: each event must then go on its own (src/loans/groups.ts).
 */
export async function recordEventsInOneStatement(
  db: Queryable,
  writer: Writer,
  group: readonly GroupedEvent[],
): Promise<Array<OneStatementOutcome<RecordedEvent>> | undefined> {
  if (group.length < 2) throw new RangeError('a group of events is two or more');
  if (group.some(({ input, options }) => !UUID_PATTERN.test(input.loanId) || checkEvent(input, options.today).length > 0)) return undefined;
  const events = group.map(({ input }) => newEventOf(input));
  if (new Set(events.map((event) => event.loanId)).size !== events.length) throw new RangeError('a group of events is on as many loans');
  const entries = events.map((event) => moneyEntry(event, writer));
  let row: {
    recorded_at: Date;
    ledger_entry_ids: Array<string | null>;
    outstanding_fens: string[];
    interest_paid_fens: string[];
    disbursed_fens: string[];
    statuses: LoanStatus[];
  };
  try {
    const result = await db.query<typeof row>({
      name: 'loan_event_record_group',
      text: `select * from loan_event_record_group($1::jsonb[], $2::jsonb[], $3::uuid, $4::uuid[], $5::uuid[], $6::text[], $7::date[],
               $8::bigint[], $9::integer[], $10::date[], $11::date[], $12::uuid, $13::text[], $14::text[], $15::text, $16::text[], $17::text[])`,
      values: [
        group.map(({ options }) => JSON.stringify(options.envelope)),
        group.map(({ options }, index) => JSON.stringify(options.answer(unanswered(events[index]!)))),
        writer.bankId,
        events.map((event) => event.id),
        events.map((event) => event.loanId),
        events.map((event) => event.type),
        events.map((event) => event.date),
        events.map((event) => event.amountFen?.toString() ?? null),
        events.map((event) => event.daysOverdue),
        events.map((event) => event.periodFrom),
        events.map((event) => event.periodTo),
        writer.principalId,
        entries.map((entry) => entry?.idempotencyKey ?? null),
        entries.map((entry) => entry?.description ?? null),
        CONTRACT_TOKEN,
        entries.map((entry) => entry?.lines.find((line) => line.side === 'debit')?.accountCode ?? null),
        entries.map((entry) => entry?.lines.find((line) => line.side === 'credit')?.accountCode ?? null),
      ],
    });
    row = result.rows[0]!;
  } catch (error) {
    if (refused(error) || (error as Partial<DatabaseError>).code === '28000') return undefined;
    throw error;
  }
  const posted = entries.filter((entry): entry is NonNullable<typeof entry> => entry !== undefined);
  if (posted.length > 0) countPostings(posted);
  const recordedAt = row.recorded_at.toISOString();
  return events.map((event, index) => {
    const entryId = row.ledger_entry_ids[index];
    return {
      kind: 'written',
      value: {
        event: { ...event, recordedAt, ledgerEntryId: entryId === null || entryId === undefined ? null : BigInt(entryId) },
        loan: {
          outstandingFen: BigInt(row.outstanding_fens[index]!),
          interestPaidFen: BigInt(row.interest_paid_fens[index]!),
          disbursedFen: BigInt(row.disbursed_fens[index]!),
          status: row.statuses[index]!,
        },
      },
    };
  });
}
