import { Migration } from '@mikro-orm/migrations';

/**
 * What a loan's events say of it now, kept as they arrive (README "Benchmark", mixed traffic): a loan's status over
 * every event (`loan_event_summary(loan, null)`) aggregated all of the loan's events, so each new event of a loan
 * with thousands of them (a credit line repaid daily) read them all while it held the loan's lock, and every list
 * read them again for each loan it showed.
 *
 * - `loan_event_state`: one row per loan that has events, the six facts `loan_event_summary` derives (latest
 *   settlement, any default, latest overdue, latest payment, first overdue, first default), over every event. Events
 *   are never changed or removed (`loan_event_immutable`), so each fact only moves one way: a date to a later (or, for
 *   the firsts, an earlier) one, a default from false to true. The statement trigger `loan_event_state_moved` merges
 *   each INSERT's events into it in the same statement (GREATEST and LEAST ignore NULLs), so in every snapshot it is
 *   what aggregating the events would give (test/loans.event-state.test.ts compares the two over events in single
 *   posts, batches, out of date order and on concurrent connections).
 * - `loan_event_summary(loan, date)` (migrations/…LoanEventSummary.ts) keeps its columns and its one status rule; for
 *   a null date (every event) it reads them from that row (a loan without events: `active`), for a date it still
 *   aggregates the events up to it. Every reader of a loan's status — an event's answer (`loan_event_record_one`),
 *   a loan, the lists and their status filter, the fund — so gains it unchanged. Still one SELECT, inlined where a
 *   query joins it laterally; a literal null date leaves only the row's branch in the plan.
 */
export class Migration20261204000100LoanEventState extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table loan_event_state (
        loan_id uuid primary key,
        settlement_date date,
        defaulted boolean not null,
        last_overdue date,
        last_payment date,
        first_overdue date,
        first_default date,
        check (first_overdue <= last_overdue),
        check ((first_overdue is null) = (last_overdue is null)),
        check (defaulted = (first_default is not null))
      ) with (fillfactor = 50);
      create trigger loan_event_state_no_delete before delete on loan_event_state
        for each row execute function forbid_change();
      create trigger loan_event_state_no_truncate before truncate on loan_event_state
        for each statement execute function forbid_change();

      create or replace function loan_event_summary(p_loan_id uuid, p_as_of date)
        returns table (settlement_date date, defaulted boolean, last_overdue date, last_payment date,
                       first_overdue date, first_default date, status text)
        language sql stable parallel safe as $$
        select s.settlement_date, s.defaulted, s.last_overdue, s.last_payment, s.first_overdue, s.first_default,
               case when s.settlement_date is not null then 'settled'
                    when s.defaulted then 'defaulted'
                    when s.last_overdue is not null and (s.last_payment is null or s.last_payment <= s.last_overdue) then 'overdue'
                    else 'active' end
          from (-- Every event: the loan's state row.
                select k.settlement_date, coalesce(k.defaulted, false) as defaulted, k.last_overdue, k.last_payment,
                       k.first_overdue, k.first_default
                  from (select 1) one
                  left join loan_event_state k on k.loan_id = p_loan_id
                 where p_as_of is null
                union all
                -- The events up to a date.
                select a.* from (
                  select max(e.effective_date) filter (where e.type = 'settlement') as settlement_date,
                         coalesce(bool_or(e.type = 'default'), false) as defaulted,
                         max(e.effective_date) filter (where e.type = 'overdue') as last_overdue,
                         max(e.effective_date) filter (where e.type in ('interest_payment', 'principal_repayment')) as last_payment,
                         min(e.effective_date) filter (where e.type = 'overdue') as first_overdue,
                         min(e.effective_date) filter (where e.type = 'default') as first_default
                    from loan_event e
                   where e.loan_id = p_loan_id and e.effective_date <= p_as_of) a
                 where p_as_of is not null) s
      $$;

      -- What the events say now, aggregated by the function's dated branch over every event; no event may be added
      -- meanwhile.
      lock table loan_event in share mode;
      insert into loan_event_state (loan_id, settlement_date, defaulted, last_overdue, last_payment, first_overdue, first_default)
      select l.loan_id, s.settlement_date, s.defaulted, s.last_overdue, s.last_payment, s.first_overdue, s.first_default
        from (select distinct loan_id from loan_event) l
        cross join lateral loan_event_summary(l.loan_id, 'infinity') s;

      create function loan_event_state_moved() returns trigger language plpgsql security definer as $$
      begin
        -- In loan order, as the writers lock the loans (src/loans/events.ts), so two batches never wait on each other
        -- in a circle.
        insert into loan_event_state as s (loan_id, settlement_date, defaulted, last_overdue, last_payment, first_overdue, first_default)
        select n.loan_id,
               max(n.effective_date) filter (where n.type = 'settlement'),
               coalesce(bool_or(n.type = 'default'), false),
               max(n.effective_date) filter (where n.type = 'overdue'),
               max(n.effective_date) filter (where n.type in ('interest_payment', 'principal_repayment')),
               min(n.effective_date) filter (where n.type = 'overdue'),
               min(n.effective_date) filter (where n.type = 'default')
          from new_events n
         group by n.loan_id
         order by n.loan_id
        on conflict (loan_id) do update
          set settlement_date = greatest(s.settlement_date, excluded.settlement_date),
              defaulted = s.defaulted or excluded.defaulted,
              last_overdue = greatest(s.last_overdue, excluded.last_overdue),
              last_payment = greatest(s.last_payment, excluded.last_payment),
              first_overdue = least(s.first_overdue, excluded.first_overdue),
              first_default = least(s.first_default, excluded.first_default)
          where s.settlement_date is distinct from greatest(s.settlement_date, excluded.settlement_date)
             or s.defaulted <> (s.defaulted or excluded.defaulted)
             or s.last_overdue is distinct from greatest(s.last_overdue, excluded.last_overdue)
             or s.last_payment is distinct from greatest(s.last_payment, excluded.last_payment)
             or s.first_overdue is distinct from least(s.first_overdue, excluded.first_overdue)
             or s.first_default is distinct from least(s.first_default, excluded.first_default);
        return null;
      end $$;
      do $$
      begin
        execute format('alter function loan_event_state_moved() set search_path = %I, pg_temp', current_schema());
      end $$;
      create trigger loan_event_state_moved after insert on loan_event
        referencing new table as new_events for each statement execute function loan_event_state_moved();
    `);
  }
}
