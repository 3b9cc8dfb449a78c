/**
 * The subsidy module's figures for the reports (src/reports builds documents from them and names no table of ours):
 * a run's roster amounts per enterprise, and a year's approvals, payments and per-body totals for the split
 * reconciliation. Enterprise names come from the loans module's `enterprise_registration`, funding bodies from the
 * principals' `funding_body_directory` (migrations/owners.ts).
 */
import type { Queryable } from '../../db/pool';
import type { Fen } from '../../money';
import { APPROVED_STATUSES } from './load';

/** The eligible lines of a run above zero, summed per enterprise, in USCC order. */
export async function rosterAmounts(db: Queryable, runId: string): Promise<Array<{ uscc: string; name: string | null; amountFen: Fen }>> {
  const rows = await db.query<{ uscc: string; name: string | null; amount_fen: bigint }>(
    `select l.enterprise_uscc as uscc, max(e.name) as name, sum(l.amount_fen)::bigint as amount_fen
       from subsidy_run_line l left join enterprise_registration e on e.uscc = l.enterprise_uscc
      where l.run_id = $1 and l.eligible and l.amount_fen > 0
      group by l.enterprise_uscc order by l.enterprise_uscc`,
    [runId],
  );
  return rows.rows.map((row) => ({ uscc: row.uscc, name: row.name, amountFen: BigInt(row.amount_fen) }));
}

export interface YearFigures {
  /** The year's approved runs, in the order approved. */
  runs: Array<{ id: string; policy_id: string; policy_version: number; kind: string; status: string }>;
  /** Per payable (run, enterprise, body): what approvals credited and what later adjustments took off. */
  shares: Array<{ payable_run_id: string; uscc: string; body: string; credited_fen: bigint; reduced_fen: bigint; name: string | null }>;
  /** Per (run, enterprise, body): what payments allocated to it. */
  payments: Array<{ run_id: string; uscc: string; body: string; paid_fen: bigint }>;
  /** Per body, over all years: the net of every approval and every payment. */
  bodies: Array<{ body: string; approvals_net_fen: bigint; payments_fen: bigint }>;
}

/** The split reconciliation's figures of `year` from the run tables (`body`: one funding body only). */
export async function yearFigures(db: Queryable, year: number, body: string | null): Promise<YearFigures> {
  // One after the other: the reconciliation reads them on one connection, in one snapshot.
  const runs = await db.query<YearFigures['runs'][number]>(
    `select id, policy_id, policy_version, kind, status from subsidy_run where year = $1 and status = any($2::text[])
      order by approved_at, id`,
    [year, APPROVED_STATUSES],
  );
  const shares = await db.query<YearFigures['shares'][number]>(
    `select s.payable_run_id, s.enterprise_uscc as uscc, s.body,
            coalesce(sum(s.amount_fen) filter (where s.amount_fen > 0), 0)::bigint as credited_fen,
            coalesce(-sum(s.amount_fen) filter (where s.amount_fen < 0), 0)::bigint as reduced_fen,
            max(e.name) as name
       from subsidy_approval_share s join subsidy_run r on r.id = s.payable_run_id
       left join enterprise_registration e on e.uscc = s.enterprise_uscc
      where r.year = $1 and ($2::text is null or s.body = $2)
      group by 1, 2, 3 order by 2, 3, 1`,
    [year, body],
  );
  const payments = await db.query<YearFigures['payments'][number]>(
    `select p.run_id, ps.enterprise_uscc as uscc, p.body, sum(ps.amount_fen)::bigint as paid_fen
       from subsidy_payment p join subsidy_payment_share ps on ps.payment_id = p.id join subsidy_run r on r.id = p.run_id
      where r.year = $1 and ($2::text is null or p.body = $2)
      group by 1, 2, 3`,
    [year, body],
  );
  const bodies = await db.query<YearFigures['bodies'][number]>(
    `select b.code as body,
            coalesce((select sum(amount_fen) from subsidy_approval_share s where s.body = b.code), 0)::bigint as approvals_net_fen,
            coalesce((select sum(amount_fen) from subsidy_payment p where p.body = b.code), 0)::bigint as payments_fen
       from funding_body_directory b where $1::text is null or b.code = $1 order by b.code`,
    [body],
  );
  return { runs: runs.rows, shares: shares.rows, payments: payments.rows, bodies: bodies.rows };
}
