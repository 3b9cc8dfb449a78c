import { Migration } from '@mikro-orm/migrations';

/**
 * Events of one bank's principal written together, one statement for the group (src/loans/groups.ts), as
 * `loan_event_record_one` (migrations/…LoanEventState.ts and after) writes one: each with its own Idempotency-Key,
 * audit row and answer, its loan's balances and status after it, its ledger entry when it moves money.
 *
 * - A group's events are on different loans (the service never groups two events of one loan: each answer states
 *   its loan after that event alone); the loans are locked in the order of their ids, so two groups never wait for
 *   each other in a cycle.
 * - A refusal of any event refuses the group (the statement writes nothing): each request of the group is then
 *   written on its own, where the refusal is found again and named for its request alone.
 * - `p_debit_codes`/`p_credit_codes`: a money event's two lines (src/loans/accounts.ts `eventEntry`), null for the
 *   others; in descriptions `p_contract_token` stands for the loan's contract number.
 */
export class Migration20261205000700LoanEventsWriteGroups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function loan_event_record_group(
        p_envelopes jsonb[], p_responses jsonb[], p_bank uuid, p_ids uuid[], p_loans uuid[], p_types text[],
        p_dates date[], p_amount_fens bigint[], p_days_overdue integer[], p_periods_from date[], p_periods_to date[],
        p_recorded_by uuid, p_entry_keys text[], p_entry_descriptions text[], p_contract_token text,
        p_debit_codes text[], p_credit_codes text[])
      returns table (recorded_at timestamptz, ledger_entry_ids bigint[], outstanding_fens bigint[],
                     interest_paid_fens bigint[], disbursed_fens bigint[], statuses text[])
      language plpgsql
      set plan_cache_mode = force_generic_plan as $$
      declare
        items constant integer := coalesce(cardinality(p_ids), 0);
        locked integer;
        recorded timestamptz;
        entry_ids bigint[];
        money integer[];
        contracts text[];
        principals bigint[];
        keys text[];
        dates date[];
        descriptions text[];
        sources text[];
        hashes bytea[];
        line_entries integer[];
        line_numbers smallint[];
        line_codes text[];
        line_sides text[];
        line_amounts bigint[];
        posted record;
        after record;
      begin
        if items < 2 or cardinality(p_envelopes) <> items or cardinality(p_responses) <> items
           or cardinality(p_loans) <> items or (select count(distinct l) from unnest(p_loans) l) <> items then
          raise exception 'a group of events is two or more, on as many loans, each with its envelope and its answer'
            using errcode = 'LN005';
        end if;
        perform http_write_claim_group(p_recorded_by, p_envelopes);

        -- As recordEvents: the loans locked (another bank's read as none), in the order of their ids.
        select count(*) into locked
          from (select l.id from loan l where l.id = any(p_loans) and l.bank_id = p_bank order by l.id for no key update) x;
        if locked <> items then
          raise exception 'a loan of the group of events: no such loan' using errcode = 'LN004';
        end if;
        select array_agg(l.contract_no order by t.ord), array_agg(l.principal_fen order by t.ord) into contracts, principals
          from unnest(p_loans) with ordinality as t(loan_id, ord) join loan l on l.id = t.loan_id;

        -- The money events' entries, in the group's order, by the statement made for many: each entry (its event's
        -- position in the group, key, date, description with the contract number, source, content hash), then their
        -- two lines each, debit first (src/loans/accounts.ts eventEntry).
        select array_agg(t.ord::integer order by t.ord), array_agg(p_entry_keys[t.ord] order by t.ord),
               array_agg(p_dates[t.ord] order by t.ord), array_agg(d.description order by t.ord),
               array_agg(p_ids[t.ord]::text order by t.ord),
               array_agg(ledger_content_hash(p_dates[t.ord], d.description, 'loan_event', p_ids[t.ord]::text, null,
                                             array[p_debit_codes[t.ord], p_credit_codes[t.ord]], array['debit', 'credit'],
                                             array[p_amount_fens[t.ord], p_amount_fens[t.ord]]) order by t.ord)
          into money, keys, dates, descriptions, sources, hashes
          from generate_series(1, items) as t(ord)
          cross join lateral (select replace(p_entry_descriptions[t.ord], p_contract_token, contracts[t.ord]) as description) d
         where p_entry_keys[t.ord] is not null;
        entry_ids := array_fill(null::bigint, array[items]);
        if money is not null then
          select array_agg(u.k::integer order by u.k, s.line), array_agg(s.line::smallint order by u.k, s.line),
                 array_agg(case s.line when 1 then p_debit_codes[u.m] else p_credit_codes[u.m] end order by u.k, s.line),
                 array_agg(case s.line when 1 then 'D' else 'C' end order by u.k, s.line),
                 array_agg(p_amount_fens[u.m] order by u.k, s.line)
            into line_entries, line_numbers, line_codes, line_sides, line_amounts
            from unnest(money) with ordinality as u(m, k), generate_series(1, 2) as s(line);
          for posted in
            select p.posted_ord, p.posted_id
              from ledger_post_entries(keys, dates, descriptions, array_fill('loan_event'::text, array[cardinality(money)]),
                                       sources, array_fill(null::bigint, array[cardinality(money)]), hashes,
                                       line_entries, line_numbers, line_codes, line_sides, line_amounts) p
          loop
            if posted.posted_id is null then
              raise exception 'an event of the group: its entry was posted before' using errcode = 'LG002';
            end if;
            entry_ids[money[posted.posted_ord]] := posted.posted_id;
          end loop;
        end if;

        insert into loan_event (id, loan_id, type, effective_date, amount_fen, days_overdue, period_from, period_to,
                                ledger_entry_id, recorded_by)
        select t.id, t.loan_id, t.type, t.effective_date, t.amount_fen, t.days_overdue, t.period_from, t.period_to,
               entry_ids[t.ord], p_recorded_by
          from unnest(p_ids, p_loans, p_types, p_dates, p_amount_fens, p_days_overdue, p_periods_from, p_periods_to)
            with ordinality as t(id, loan_id, type, effective_date, amount_fen, days_overdue, period_from, period_to, ord)
         order by t.ord;
        -- The events' recorded_at (its default, the transaction's start).
        recorded := now();

        -- Each loan after its event: its balances (the ledger's) and its status (loan_event_summary).
        select array_agg(coalesce(b.outstanding, 0)::bigint order by t.ord) as outstanding,
               array_agg(coalesce(b.interest_paid, 0)::bigint order by t.ord) as interest_paid,
               array_agg((principals[t.ord] - coalesce(b.undrawn, 0))::bigint order by t.ord) as disbursed,
               array_agg(s.status order by t.ord) as statuses
          into after
          from unnest(p_loans) with ordinality as t(loan_id, ord)
          cross join lateral (
            select sum(x.debits_fen - x.credits_fen) filter (where x.code = 'loan:' || t.loan_id || ':outstanding') as outstanding,
                   sum(x.debits_fen - x.credits_fen) filter (where x.code = 'loan:' || t.loan_id || ':interest-paid') as interest_paid,
                   sum(x.debits_fen - x.credits_fen) filter (where x.code = 'loan:' || t.loan_id || ':undrawn') as undrawn
              from ledger_account_totals x
             where x.code in ('loan:' || t.loan_id || ':outstanding', 'loan:' || t.loan_id || ':interest-paid',
                              'loan:' || t.loan_id || ':undrawn')) b
          cross join lateral (select y.status from loan_event_summary(t.loan_id, null) y) s;

        perform http_write_finish_group(p_recorded_by, p_envelopes, (
          select array_agg(t.response || jsonb_build_object(
                   'recordedAt', loan_format_instant(recorded),
                   'ledgerEntryId', entry_ids[t.ord]::text,
                   'loan', jsonb_build_object(
                     'outstandingPrincipal', loan_format_yuan(after.outstanding[t.ord]),
                     'interestPaid', loan_format_yuan(after.interest_paid[t.ord]),
                     'disbursed', loan_format_yuan(after.disbursed[t.ord]),
                     'status', after.statuses[t.ord])) order by t.ord)
            from unnest(p_responses) with ordinality as t(response, ord)));
        return query select recorded, entry_ids, after.outstanding, after.interest_paid, after.disbursed, after.statuses;
      end $$;
    `);
  }
}
