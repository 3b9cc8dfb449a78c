/**
 * What the fund's claims wait for (the 待办 page, docs/api.md "To do and a bank's figures"): a submitted claim
 * waits for staff's review, an approved one for its payment from the fund's cash (袁府办字〔2023〕25号 三(一)2; src/fund/README.md); a bank follows its own
 * submitted claims. Who submitted is read through the principals' `principal_directory`; an approval is dated
 * (`approved_on`) but its approver is in the audit log, not on the claim.
 */
import type { Queryable } from '../db/pool';
import type { Fen } from '../money';
import type { Principal } from '../principals';

export type ClaimTodoKind = 'claim_review' | 'claim_payment';

export interface ClaimTodo {
  kind: ClaimTodoKind;
  fundId: string;
  fundName: string;
  claimId: string;
  loanId: string;
  contractNo: string | null;
  bankId: string;
  bankName: string | null;
  amountFen: Fen;
  previous: { step: string; by: string | null; at: string | null; on: string | null };
}

/** The most open claims one answer lists. */
const CLAIM_TODO_MAX = 200;

/** Staff (and auditors, to read) see every open claim; a bank its own submitted claims; a finance bureau none. */
export async function claimTodo(db: Queryable, principal: Principal): Promise<ClaimTodo[]> {
  if (principal.role === 'finance') return [];
  const statuses = principal.role === 'bank' ? ['submitted'] : ['submitted', 'approved'];
  const rows = await db.query<{
    status: string;
    fund_id: string;
    fund_name: string;
    id: string;
    loan_id: string;
    contract_no: string | null;
    bank_id: string;
    bank_name: string | null;
    amount_fen: bigint;
    by_name: string | null;
    created_at: Date;
    claim_date: string;
    approved_on: string | null;
  }>(
    `select c.status, c.fund_id, f.name as fund_name, c.id, c.loan_id, lf.contract_no, c.bank_id, b.name as bank_name,
            c.amount_fen, (select d.name from principal_directory d where d.id = c.created_by) as by_name,
            c.created_at, c.claim_date::text as claim_date, c.approved_on::text as approved_on
       from fund_claim c
       join fund f on f.id = c.fund_id
       left join loan_facts lf on lf.id = c.loan_id
       left join bank_directory b on b.id = c.bank_id
      where c.status = any($1::text[]) and ($2::uuid is null or c.bank_id = $2)
      order by c.claim_date, c.created_at, c.id
      limit $3`,
    [statuses, principal.role === 'bank' ? principal.bankId : null, CLAIM_TODO_MAX],
  );
  return rows.rows.map((row) => ({
    kind: row.status === 'submitted' ? 'claim_review' : 'claim_payment',
    fundId: row.fund_id,
    fundName: row.fund_name,
    claimId: row.id,
    loanId: row.loan_id,
    contractNo: row.contract_no,
    bankId: row.bank_id,
    bankName: row.bank_name,
    amountFen: BigInt(row.amount_fen),
    previous:
      row.status === 'submitted'
        ? { step: 'claim_submitted', by: row.by_name, at: row.created_at.toISOString(), on: row.claim_date }
        : { step: 'claim_approved', by: null, at: null, on: row.approved_on },
  }));
}

/** A bank's claims in every fund, per status: how many and how much. */
export async function bankClaimFigures(db: Queryable, bankId: string): Promise<Array<{ status: string; count: number; amountFen: Fen }>> {
  const rows = await db.query<{ status: string; count: string; amount_fen: bigint }>(
    `select status, count(*)::text as count, sum(amount_fen)::bigint as amount_fen
       from fund_claim where bank_id = $1 group by status order by status`,
    [bankId],
  );
  return rows.rows.map((row) => ({ status: row.status, count: Number(row.count), amountFen: BigInt(row.amount_fen) }));
}
