import { Migration } from '@mikro-orm/migrations';

/**
 * One loan, or one event of a loan, written through HTTP in one statement (src/loans/one-statement.ts): the
 * Idempotency-Key claimed, the domain rows, the ledger accounts and posting, the stored answer and the audit row, in
 * one transaction and one round trip after the token check (README "Benchmark", ingestion).
 *
 * These functions add no rule: they write what the transaction path writes (src/loans/loans.ts `createLoans`,
 * src/loans/events.ts `recordEvents`) and leave every refusal to the database's own constraints and triggers — the
 * unique contract number per bank, the enterprise's foreign key, the dates and settlement rules of loan_event, the
 * floors of a loan's undrawn and outstanding accounts at every value date (migrations/…Loans.ts, …Ledger.ts). A
 * refusal rolls the whole statement back and the caller answers it through the transaction path, which names the
 * field; so what is accepted and how a refusal reads are the same on both paths.
 *
 * The answers stored under an Idempotency-Key are completed here with what only the database knows (the instant of
 * the write, the ledger entry, the loan's balances and status), formatted as the service formats them: instants as
 * ISO 8601 in UTC with milliseconds, money as yuan with two decimals (`loan_format_yuan`, src/money.ts `formatYuan`).
 */
export class Migration20261203001202LoansOneStatement extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function loan_format_yuan(p_fen bigint) returns text language sql immutable strict parallel safe as $$
        select case when p_fen < 0 then '-' else '' end || (abs(p_fen) / 100)::text || '.' || lpad((abs(p_fen) % 100)::text, 2, '0')
      $$;

      create function loan_format_instant(p_at timestamptz) returns text language sql immutable strict parallel safe as $$
        select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      $$;

      create function loan_create_one(
        p_envelope jsonb, p_response jsonb,
        p_id uuid, p_bank uuid, p_contract_no text, p_uscc text, p_principal_fen bigint, p_rate numeric, p_start date,
        p_maturity date, p_collateral text, p_ip_pledged_fen bigint, p_created_by uuid,
        p_pledge_types text[], p_pledge_numbers text[], p_pledge_registrations text[], p_pledge_secured bigint[],
        -- The accounts to make sure of; '{bank}' in a name stands for the bank's code.
        p_account_codes text[], p_account_names text[], p_account_types text[], p_account_sides text[],
        p_account_floors bigint[], p_account_ceilings bigint[],
        -- ledger_post_entries' arguments.
        p_keys text[], p_dates date[], p_descriptions text[], p_source_kinds text[], p_source_ids text[],
        p_reverses bigint[], p_hashes bytea[],
        p_line_entries int[], p_line_numbers smallint[], p_line_codes text[], p_line_sides text[], p_line_amounts bigint[])
      returns table (replay_hash text, replay_status integer, replay_response jsonb, created_at timestamptz)
      language plpgsql as $$
      declare
        replay record;
        created timestamptz;
        posted integer;
      begin
        select * into replay from http_write_claim(p_envelope);
        if found then
          return query select replay.request_hash, replay.status, replay.response, null::timestamptz;
          return;
        end if;

        insert into ip_asset (right_type, number)
        select distinct t.right_type, t.number from unnest(p_pledge_types, p_pledge_numbers) as t(right_type, number)
         order by 1, 2
        on conflict (right_type, number) do nothing;

        insert into loan (id, bank_id, contract_no, enterprise_uscc, principal_fen, annual_rate, start_date, maturity_date,
                          collateral, ip_pledged_fen, created_by)
        values (p_id, p_bank, p_contract_no, p_uscc, p_principal_fen, p_rate, p_start, p_maturity, p_collateral,
                p_ip_pledged_fen, p_created_by)
        returning loan.created_at into created;

        insert into pledge (loan_id, line_no, asset_id, registration_no, secured_fen)
        select p_id, t.ord, a.id, t.registration_no, t.secured_fen
          from unnest(p_pledge_types, p_pledge_numbers, p_pledge_registrations, p_pledge_secured) with ordinality
            as t(right_type, number, registration_no, secured_fen, ord)
          join ip_asset a on a.right_type = t.right_type and a.number = t.number;
        if not found then
          raise exception 'loan %: its pledges were not written', p_id using errcode = 'LN004';
        end if;

        insert into ledger_account (code, name, type, normal_side, floor_fen, ceiling_fen)
        select t.code, replace(t.name, '{bank}', coalesce((select b.code from bank_directory b where b.id = p_bank), '')),
               t.type, t.normal_side, t.floor_fen, t.ceiling_fen
          from unnest(p_account_codes, p_account_names, p_account_types, p_account_sides, p_account_floors, p_account_ceilings)
            as t(code, name, type, normal_side, floor_fen, ceiling_fen)
         where not exists (select 1 from ledger_account x where x.code = t.code)
         order by t.code
        on conflict (code) do nothing;

        select count(*) filter (where posted_id is not null) into posted
          from ledger_post_entries(p_keys, p_dates, p_descriptions, p_source_kinds, p_source_ids, p_reverses, p_hashes,
                                   p_line_entries, p_line_numbers, p_line_codes, p_line_sides, p_line_amounts);
        if posted <> coalesce(array_length(p_keys, 1), 0) then
          raise exception 'loan %: its facility entry was posted before', p_id using errcode = 'LG002';
        end if;

        perform http_write_finish(p_envelope, p_response || jsonb_build_object('createdAt', loan_format_instant(created)));
        return query select null::text, null::integer, null::jsonb, created;
      end $$;

      create function loan_event_record_one(
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
        select s.status into loan_status from loan_event_summary(p_loan, null) s;

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
