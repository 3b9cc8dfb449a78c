import { Migration } from '@mikro-orm/migrations';

/**
 * The items of `loan_facts.events` and `loan_facts.pledges` (Migration20261203000702LoansViews) one row each, for a
 * reader that reads many loans at once: the yearly subsidy run (src/subsidy/runs/load.ts, 100,000 loans with 600,000
 * such events) aggregates them per loan in one pass over the events (a hash join and a sort), where `loan_facts`
 * computes a subquery per loan (an index probe and ~10 heap pages per loan: twice the server's time). `loan_facts`
 * is redefined over them, so that the item form has one definition; its columns and their values are unchanged.
 *
 * - `loan_fact_event`: each event but interest payments, `item` as `<code><day number>[:<amount in fen, or days
 *   overdue>]` (the codes of `loan_facts.events`).
 * - `loan_fact_pledge`: each pledge, `item` as `<right type>:<secured amount in fen, or empty>:<number>`.
 */
export class Migration20261203001500LoanFactItems extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create view loan_fact_event as
      select ev.loan_id,
             case ev.type when 'disbursement' then 'D' when 'principal_repayment' then 'P'
                          when 'overdue' then 'O' when 'default' then 'F' when 'settlement' then 'S' else '?' end
             || (ev.effective_date - date '1970-01-01')::text
             || coalesce(':' || coalesce(ev.amount_fen, ev.days_overdue)::text, '') as item
        from loan_event ev where ev.type <> 'interest_payment';

      create view loan_fact_pledge as
      select p.loan_id, p.line_no, a.right_type || ':' || coalesce(p.secured_fen::text, '') || ':' || a.number as item
        from pledge p join ip_asset a on a.id = p.asset_id;

      create or replace view loan_facts as
      select l.id, l.bank_id, l.enterprise_uscc, e.division_code, l.contract_no, l.principal_fen, l.ip_pledged_fen,
             l.collateral, l.annual_rate, l.start_date, l.maturity_date,
             (select min(s.effective_date) from loan_event s where s.loan_id = l.id and s.type = 'settlement') as settled_on,
             (select string_agg(ev.item, ',') from loan_fact_event ev where ev.loan_id = l.id) as events,
             (select array_agg(p.item order by p.line_no) from loan_fact_pledge p where p.loan_id = l.id) as pledges
        from loan l join enterprise e on e.uscc = l.enterprise_uscc;
    `);
  }
}
