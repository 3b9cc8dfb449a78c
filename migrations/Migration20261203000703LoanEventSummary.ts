import { Migration } from '@mikro-orm/migrations';

/**
 * A loan's event summary and status as of a date, as the loans module exports it (migrations/owners.ts): the one
 * definition of a loan's status, used by the loans' own reads (src/loans/status.ts) and by the fund's, so that they
 * cannot disagree. In this order of precedence:
 *
 * - `settled`: it has a settlement event (which needs the outstanding principal at zero);
 * - `defaulted`: it has a default event;
 * - `overdue`: it has an overdue event and no payment (interest or principal) dated after the latest one. A payment
 *   dated after the latest overdue event cures it; a payment on the same day does not, because the bank reported the
 *   loan overdue on that day. The events do not say what was due, so a partial payment cannot be told from a full
 *   one; a bank that finds the loan overdue again posts another overdue event;
 * - `active` otherwise.
 *
 * `p_as_of` null: every event. A plain SQL function of one SELECT, so the planner inlines it where a query joins it
 * laterally (`left join lateral loan_event_summary(l.id, $1) ev on true`): no function call per loan.
 */
export class Migration20261203000703LoanEventSummary extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function loan_event_summary(p_loan_id uuid, p_as_of date)
        returns table (settlement_date date, defaulted boolean, last_overdue date, last_payment date,
                       first_overdue date, first_default date, status text)
        language sql stable parallel safe as $$
        select s.settlement_date, s.defaulted, s.last_overdue, s.last_payment, s.first_overdue, s.first_default,
               case when s.settlement_date is not null then 'settled'
                    when s.defaulted then 'defaulted'
                    when s.last_overdue is not null and (s.last_payment is null or s.last_payment <= s.last_overdue) then 'overdue'
                    else 'active' end
          from (select max(e.effective_date) filter (where e.type = 'settlement') as settlement_date,
                       coalesce(bool_or(e.type = 'default'), false) as defaulted,
                       max(e.effective_date) filter (where e.type = 'overdue') as last_overdue,
                       max(e.effective_date) filter (where e.type in ('interest_payment', 'principal_repayment')) as last_payment,
                       min(e.effective_date) filter (where e.type = 'overdue') as first_overdue,
                       min(e.effective_date) filter (where e.type = 'default') as first_default
                  from loan_event e
                 where e.loan_id = p_loan_id and (p_as_of is null or e.effective_date <= p_as_of)) s
      $$;
    `);
  }
}
