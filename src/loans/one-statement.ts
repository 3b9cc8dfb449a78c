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
import { countPostings, postingArguments } from '../ledger';
import { bankAccountDefinitions, eventEntry, facilityEntry, loanAccountDefinitions } from './accounts';
import { MONEY_EVENT_TYPES, type EventInput, type Loan, type LoanEvent, type LoanInput, type LoanStatus } from './types';
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
        accounts.map((a) => a.code),
        accounts.map((a) => a.name),
        accounts.map((a) => a.type),
        accounts.map((a) => a.normalSide ?? null),
        accounts.map((a) => a.floorFen?.toString() ?? null),
        accounts.map((a) => a.ceilingFen?.toString() ?? null),
        accounts.map((a) => a.shared ?? false),
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
  const event = {
    id: randomUUID(),
    loanId: input.loanId.toLowerCase(),
    type: input.type,
    date: input.date,
    amountFen: input.amountFen ?? null,
    periodFrom: input.periodFrom ?? null,
    periodTo: input.periodTo ?? null,
    daysOverdue: input.daysOverdue ?? null,
  };
  const entry = MONEY_EVENT_TYPES.has(event.type)
    ? eventEntry({ ...event, amountFen: event.amountFen! }, { id: event.loanId, bankId: writer.bankId, contractNo: CONTRACT_TOKEN })
    : undefined;
  const template: RecordedEvent = {
    event: { ...event, recordedAt: '', ledgerEntryId: null },
    loan: { outstandingFen: 0n, interestPaidFen: 0n, disbursedFen: 0n, status: 'active' },
  };
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
        JSON.stringify(options.answer(template)),
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
