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
 * - `loan_event_summary_now(loan)`: the same columns and status rule as `loan_event_summary(loan, null)`
 *   (migrations/…LoanEventSummary.ts), read from that row (a loan without events: `active`). A summary as of a date
 *   still aggregates the events up to it.
 * - The row is updated only when a fact moves: an interest payment dated no later than the loan's latest payment
 *   writes nothing.
 * - Written only by the trigger (security definer, as the owner); the serving role may only read it.
 * - `loan_event_record_one` (migrations/…LoansOneStatement.ts) answers with the status from the row; the rest of it
 *   is unchanged.
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

      -- What the events say now; no event may be added meanwhile.
      lock table loan_event in share mode;
      insert into loan_event_state (loan_id, settlement_date, defaulted, last_overdue, last_payment, first_overdue, first_default)
      select e.loan_id,
             max(e.effective_date) filter (where e.type = 'settlement'),
             coalesce(bool_or(e.type = 'default'), false),
             max(e.effective_date) filter (where e.type = 'overdue'),
             max(e.effective_date) filter (where e.type in ('interest_payment', 'principal_repayment')),
             min(e.effective_date) filter (where e.type = 'overdue'),
             min(e.effective_date) filter (where e.type = 'default')
        from loan_event e
       group by e.loan_id;

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

      create function loan_event_summary_now(p_loan_id uuid)
        returns table (settlement_date date, defaulted boolean, last_overdue date, last_payment date,
                       first_overdue date, first_default date, status text)
        language sql stable parallel safe as $$
        select s.settlement_date, coalesce(s.defaulted, false), s.last_overdue, s.last_payment, s.first_overdue, s.first_default,
               case when s.settlement_date is not null then 'settled'
                    when s.defaulted then 'defaulted'
                    when s.last_overdue is not null and (s.last_payment is null or s.last_payment <= s.last_overdue) then 'overdue'
                    else 'active' end
          from (select 1) one
          left join loan_event_state s on s.loan_id = p_loan_id
      $$;

      -- As migrations/…LoansOneStatement.ts wrote it, but for the status, read from the loan's state row.
      create or replace function loan_event_record_one(
        p_envelope jsonb, p_response jsonb,
        p_bank uuid, p_id uuid, p_loan uuid, p_type text, p_date date, p_amount_fen bigint, p_days_overdue integer,
        p_period_from date, p_period_to date, p_recorded_by uuid,
        -- The money event's entry (null key: none): its description says p_contract_token where the loan's contract
        -- number goes; its lines' codes and sides ('debit', 'credit').
        p_entry_key text, p_entry_description text, p_contract_token text, p_line_codes text[], p_line_sides text[])
      returns table (replay_hash text, replay_status integer, replay_response jsonb, recorded_at timestamptz,
                     ledger_entry_id bigint, outstanding_fen bigint, interest_paid_fen bigint, disbursed_fen bigint,
                     status text)
      language plpgsql as $$
      declare
        replay record;
        target record;
        description text;
        entry_id bigint;
        recorded timestamptz;
        balances record;
        loan_status text;
      begin
        select * into replay from http_write_claim(p_envelope);
        if found then
          return query select replay.request_hash, replay.status, replay.response, null::timestamptz, null::bigint,
                              null::bigint, null::bigint, null::bigint, null::text;
          return;
        end if;

        -- As recordEvents: the loan locked (another bank's reads as none), so that concurrent events queue here.
        select l.id, l.contract_no, l.principal_fen into target from loan l
         where l.id = p_loan and l.bank_id = p_bank for no key update;
        if not found then
          raise exception 'loan event %: no loan %', p_id, p_loan using errcode = 'LN004';
        end if;

        if p_entry_key is not null then
          description := replace(p_entry_description, p_contract_token, target.contract_no);
          select e.posted_id into entry_id
            from ledger_post_entries(array[p_entry_key], array[p_date], array[description], array['loan_event'],
                                     array[p_id::text], array[null::bigint],
                                     array[ledger_content_hash(p_date, description, 'loan_event', p_id::text, null,
                                                               p_line_codes, p_line_sides, array[p_amount_fen, p_amount_fen])],
                                     array[1, 1], array[1, 2]::smallint[], p_line_codes,
                                     array(select case s when 'debit' then 'D' else 'C' end from unnest(p_line_sides) as s),
                                     array[p_amount_fen, p_amount_fen]) e;
          if entry_id is null then
            raise exception 'loan event %: its entry was posted before', p_id using errcode = 'LG002';
          end if;
        end if;

        insert into loan_event (id, loan_id, type, effective_date, amount_fen, days_overdue, period_from, period_to,
                                ledger_entry_id, recorded_by)
        values (p_id, p_loan, p_type, p_date, p_amount_fen, p_days_overdue, p_period_from, p_period_to, entry_id, p_recorded_by)
        returning loan_event.recorded_at into recorded;

        select coalesce(sum(t.debits_fen - t.credits_fen) filter (where t.code = 'loan:' || p_loan || ':outstanding'), 0)::bigint as outstanding,
               coalesce(sum(t.debits_fen - t.credits_fen) filter (where t.code = 'loan:' || p_loan || ':interest-paid'), 0)::bigint as interest_paid,
               coalesce(sum(t.debits_fen - t.credits_fen) filter (where t.code = 'loan:' || p_loan || ':undrawn'), 0)::bigint as undrawn
          into balances
          from ledger_account_totals t
         where t.code in ('loan:' || p_loan || ':outstanding', 'loan:' || p_loan || ':interest-paid', 'loan:' || p_loan || ':undrawn');
        select s.status into loan_status from loan_event_summary_now(p_loan) s;

        perform http_write_finish(p_envelope, p_response || jsonb_build_object(
          'recordedAt', loan_format_instant(recorded),
          'ledgerEntryId', entry_id::text,
          'loan', jsonb_build_object(
            'outstandingPrincipal', loan_format_yuan(balances.outstanding),
            'interestPaid', loan_format_yuan(balances.interest_paid),
            'disbursed', loan_format_yuan(target.principal_fen - balances.undrawn),
            'status', loan_status)));
        return query select null::text, null::integer, null::jsonb, recorded, entry_id, balances.outstanding::bigint,
                            balances.interest_paid::bigint, (target.principal_fen - balances.undrawn)::bigint, loan_status;
      end $$;
    `);
  }
}
