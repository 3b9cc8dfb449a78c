import { Migration } from '@mikro-orm/migrations';

/**
 * What the loans module shares with the others (migrations/owners.ts): the facts other modules compute with, so that
 * they never name the loans' tables.
 *
 * - `enterprise_registration`: an enterprise's name and the division it is registered in.
 * - `loan_facts`: a loan's terms, its enterprise's division, the day it was settled, and its events and pledges
 *   aggregated into one row (a yearly subsidy run reads 100,000 loans and 1,000,000 events through it in one
 *   statement). `events`: the loan's events but interest payments, comma-separated, each
 *   `<code><day number>[:<amount in fen, or days overdue>]` with the code D disbursement, P principal repayment,
 *   O overdue, F default, S settlement and the day number counted from 1970-01-01; null when it has none.
 *   `pledges`: in line order, each `<right type>:<secured amount in fen, or empty>:<number>` (the number last: it
 *   may hold a colon). src/loans/facts.ts decodes both. A column is computed only when a query selects it, so a
 *   reader that filters on the terms pays for the aggregates of the loans it keeps only.
 * - `pledged_asset`: each pledge with its asset's right type and number.
 */
export class Migration20261203000702LoansViews extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create view enterprise_registration as select uscc, name, division_code, created_at from enterprise;

      create view loan_facts as
      select l.id, l.bank_id, l.enterprise_uscc, e.division_code, l.contract_no, l.principal_fen, l.ip_pledged_fen,
             l.collateral, l.annual_rate, l.start_date, l.maturity_date,
             (select min(s.effective_date) from loan_event s where s.loan_id = l.id and s.type = 'settlement') as settled_on,
             (select string_agg(case ev.type when 'disbursement' then 'D' when 'principal_repayment' then 'P'
                                             when 'overdue' then 'O' when 'default' then 'F' when 'settlement' then 'S' else '?' end
                                || (ev.effective_date - date '1970-01-01')::text
                                || coalesce(':' || coalesce(ev.amount_fen, ev.days_overdue)::text, ''), ',')
                from loan_event ev where ev.loan_id = l.id and ev.type <> 'interest_payment') as events,
             (select array_agg(a.right_type || ':' || coalesce(p.secured_fen::text, '') || ':' || a.number order by p.line_no)
                from pledge p join ip_asset a on a.id = p.asset_id where p.loan_id = l.id) as pledges
        from loan l join enterprise e on e.uscc = l.enterprise_uscc;

      create view pledged_asset as
      select p.loan_id, p.line_no, p.asset_id, a.right_type, a.number, p.secured_fen
        from pledge p join ip_asset a on a.id = p.asset_id;
    `);
  }
}
