/**
 * What the yearly runs wait for, and from whom (the 待办 page, docs/api.md "To do and a bank's figures"): a draft
 * waits for review, a reviewed run for its publicity, a publicised run for the end of its publicity period and then
 * approval, an open objection for its resolution, and an approved run for each funding body's payment of its share
 * (袁府办字〔2023〕25号 奖励认定1–4: review, publicity, approval, payment; 四(三)2 the split). Each item names who did
 * the step before and when, read through the principals' `principal_directory`.
 */
import type { Queryable } from '../../db/pool';
import type { Fen } from '../../money';

export type RunTodoKind = 'run_review' | 'run_publicity' | 'run_approval' | 'objection' | 'run_payment';

export interface RunTodo {
  kind: RunTodoKind;
  runId: string;
  policyId: string;
  policyTitle: string | null;
  year: number;
  /** The objection waiting for a resolution (kind objection). */
  objectionId: string | null;
  objectionText: string | null;
  /** The run's total (review, publicity, approval) or the body's outstanding share (run_payment). */
  amountFen: Fen;
  /** The day by which or from which it is due: the publicity period's last day (run_approval). */
  due: string | null;
  previous: { step: string; by: string | null; at: string | null; on: string | null };
}

/** The most open items of each kind one answer lists: a 待办 page is read, not paged through. */
export const TODO_ITEMS_MAX = 200;

interface RunRow {
  id: string;
  policy_id: string;
  title: string | null;
  year: number;
  total_fen: bigint;
  publicity_to: string | null;
  by_name: string | null;
  at: Date | null;
  on: string | null;
}

const titleOf = `(select p.document ->> 'title' from subsidy_policy p where p.id = r.policy_id and p.version = r.policy_version)`;
const nameOf = (column: string) => `(select d.name from principal_directory d where d.id = ${column})`;

function runItem(kind: RunTodoKind, step: string, row: RunRow, extra: Partial<RunTodo> = {}): RunTodo {
  return {
    kind,
    runId: row.id,
    policyId: row.policy_id,
    policyTitle: row.title,
    year: row.year,
    objectionId: null,
    objectionText: null,
    amountFen: BigInt(row.total_fen),
    due: null,
    previous: { step, by: row.by_name, at: row.at ? row.at.toISOString() : null, on: row.on },
    ...extra,
  };
}

/** The service centre's items (and an auditor's, to read): review, publicity, approval, objections. */
export async function staffRunTodo(db: Queryable): Promise<RunTodo[]> {
  const runs = await db.query<RunRow & { status: string }>(
    `select r.id, r.policy_id, ${titleOf} as title, r.year, r.total_fen, r.status, r.publicity_to::text as publicity_to,
            case r.status when 'draft' then ${nameOf('r.created_by')} when 'reviewed' then ${nameOf('r.reviewed_by')}
                          else ${nameOf('r.publicised_by')} end as by_name,
            case r.status when 'draft' then r.created_at when 'reviewed' then r.reviewed_at else r.publicised_at end as at,
            case r.status when 'draft' then null when 'reviewed' then r.reviewed_on::text else r.publicised_on::text end as on
       from subsidy_run r
      where r.status in ('draft', 'reviewed', 'publicised')
      order by r.year, r.created_at, r.id
      limit $1`,
    [TODO_ITEMS_MAX],
  );
  const objections = await db.query<RunRow & { objection_id: string; text: string }>(
    `select r.id, r.policy_id, ${titleOf} as title, r.year, r.total_fen, r.publicity_to::text as publicity_to,
            o.id as objection_id, o.text, ${nameOf('o.raised_by')} as by_name, o.raised_at as at, null as on
       from subsidy_objection o join subsidy_run r on r.id = o.run_id
      where o.resolution is null
      order by o.raised_at, o.id
      limit $1`,
    [TODO_ITEMS_MAX],
  );
  const items = runs.rows.map((row) =>
    row.status === 'draft'
      ? runItem('run_review', 'computed', row)
      : row.status === 'reviewed'
        ? runItem('run_publicity', 'reviewed', row)
        : runItem('run_approval', 'publicised', row, { due: row.publicity_to }),
  );
  for (const row of objections.rows) {
    items.push(runItem('objection', 'objection_raised', row, { objectionId: row.objection_id, objectionText: row.text }));
  }
  return items;
}

/**
 * A finance bureau's items: each approved run in which its body's share is not paid in full, with what is still
 * outstanding (credited by approvals, less later reductions, less its payments).
 */
export async function financeRunTodo(db: Queryable, body: string): Promise<RunTodo[]> {
  const rows = await db.query<RunRow>(
    `with owed as (
       select s.payable_run_id as run_id, sum(s.amount_fen)::bigint as fen
         from subsidy_approval_share s where s.body = $1 group by s.payable_run_id
     ), paid as (
       select p.run_id, sum(p.amount_fen)::bigint as fen from subsidy_payment p where p.body = $1 group by p.run_id
     )
     select r.id, r.policy_id, ${titleOf} as title, r.year, (owed.fen - coalesce(paid.fen, 0))::bigint as total_fen,
            null as publicity_to, ${nameOf('r.approved_by')} as by_name, r.approved_at as at, r.approved_on::text as on
       from owed join subsidy_run r on r.id = owed.run_id left join paid on paid.run_id = owed.run_id
      where r.status in ('approved', 'partially_paid') and owed.fen - coalesce(paid.fen, 0) > 0
      order by r.approved_on, r.id
      limit $2`,
    [body, TODO_ITEMS_MAX],
  );
  return rows.rows.map((row) => runItem('run_payment', 'approved', row));
}

/** Per year and policy, what approved runs granted on a bank's loans, and how much of it is in runs paid in full. */
export async function bankSubsidyFigures(
  db: Queryable,
  bankId: string,
): Promise<Array<{ year: number; policyId: string; policyTitle: string | null; enterprises: number; loans: number; grantedFen: Fen; paidFen: Fen }>> {
  const rows = await db.query<{ year: number; policy_id: string; title: string | null; enterprises: string; loans: string; granted_fen: bigint; paid_fen: bigint }>(
    `select r.year, r.policy_id, max(${titleOf}) as title,
            count(distinct l.enterprise_uscc)::text as enterprises, count(distinct l.loan_id)::text as loans,
            sum(l.amount_fen)::bigint as granted_fen,
            coalesce(sum(l.amount_fen) filter (where r.status = 'paid'), 0)::bigint as paid_fen
       from subsidy_run_line l
       join subsidy_run r on r.id = l.run_id
       join loan_facts f on f.id = l.loan_id
      where f.bank_id = $1 and r.status in ('approved', 'partially_paid', 'paid') and l.eligible and l.amount_fen > 0
      group by r.year, r.policy_id
      order by r.year desc, r.policy_id`,
    [bankId],
  );
  return rows.rows.map((row) => ({
    year: row.year,
    policyId: row.policy_id,
    policyTitle: row.title,
    enterprises: Number(row.enterprises),
    loans: Number(row.loans),
    grantedFen: BigInt(row.granted_fen),
    paidFen: BigInt(row.paid_fen),
  }));
}
