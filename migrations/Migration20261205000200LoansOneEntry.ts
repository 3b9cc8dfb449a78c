import { Migration } from '@mikro-orm/migrations';

/**
 * A single loan's statement (`loan_create_one`) and a single event's (`loan_event_record_one`) post their one entry
 * through the ledger's statement made for one entry, `ledger_post_entry` (migrations/…LedgerOneEntry.ts), instead of
 * the batch's `ledger_post_entries` with arrays of one (README "Benchmark", single loans and events).
 *
 * - The rows written, the checks the database makes on them and the errors are the same: a key posted before is
 *   LG002 as before, and `loan_create_one` refuses any number of entries but one (its caller sends the facility's).
 * - An event's lines are its two (a debit and a credit of its amount), as the content hash already assumed.
 * - Both functions are otherwise as migrations/…LoanPlansKept.ts and migrations/…LoansOneStatement.ts wrote them.
 */
export class Migration20261205000200LoansOneEntry extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create or replace function loan_create_one(
        p_envelope jsonb, p_response jsonb,
        p_id uuid, p_bank uuid, p_contract_no text, p_uscc text, p_principal_fen bigint, p_rate numeric, p_start date,
        p_maturity date, p_collateral text, p_ip_pledged_fen bigint, p_created_by uuid,
        p_pledge_types text[], p_pledge_numbers text[], p_pledge_registrations text[], p_pledge_secured bigint[],
        -- The accounts to make sure of; '{bank}' in a name stands for the bank's code.
        p_account_codes text[], p_account_names text[], p_account_types text[], p_account_sides text[],
        p_account_floors bigint[], p_account_ceilings bigint[],
        -- postingArguments' twelve (src/ledger/posting.ts), of the one facility entry.
        p_keys text[], p_dates date[], p_descriptions text[], p_source_kinds text[], p_source_ids text[],
        p_reverses bigint[], p_hashes bytea[],
        p_line_entries int[], p_line_numbers smallint[], p_line_codes text[], p_line_sides text[], p_line_amounts bigint[])
      returns table (replay_hash text, replay_status integer, replay_response jsonb, created_at timestamptz)
      language plpgsql
      set plan_cache_mode = force_generic_plan as $$
      declare
        replay record;
        created timestamptz;
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
          -- limit 1: a keyed lookup per pledge on ip_asset's (right_type, number) key, never a join the generic plan may hash.
          cross join lateral (select x.id from ip_asset x where x.right_type = t.right_type and x.number = t.number limit 1) a;
        if not found then
          raise exception 'loan %: its pledges were not written', p_id using errcode = 'LN004';
        end if;

        insert into ledger_account (code, name, type, normal_side, floor_fen, ceiling_fen)
        select t.code, replace(t.name, '{bank}', coalesce((select b.code from bank_directory b where b.id = p_bank), '')),
               t.type, t.normal_side, t.floor_fen, t.ceiling_fen
          from unnest(p_account_codes, p_account_names, p_account_types, p_account_sides, p_account_floors, p_account_ceilings)
            as t(code, name, type, normal_side, floor_fen, ceiling_fen)
         -- limit 1: a keyed lookup per account on ledger_account_code_key, never an anti join the generic plan may hash.
         where not exists (select 1 from (select x.id from ledger_account x where x.code = t.code limit 1) x)
         order by t.code
        on conflict (code) do nothing;

        -- The loan's one entry, its facility (src/loans/accounts.ts facilityEntry), by the statement made for one entry:
        -- its lines all belong to it, numbered in their order (p_line_entries and p_line_numbers say no more).
        if coalesce(cardinality(p_keys), 0) <> 1 then
          raise exception 'loan %: one facility entry expected, % given', p_id, coalesce(cardinality(p_keys), 0) using errcode = 'LG002';
        end if;
        if ledger_post_entry(p_keys[1], p_dates[1], p_descriptions[1], p_source_kinds[1], p_source_ids[1], p_reverses[1],
                             p_hashes[1], p_line_codes, p_line_sides, p_line_amounts) is null then
          raise exception 'loan %: its facility entry was posted before', p_id using errcode = 'LG002';
        end if;

        perform http_write_finish(p_envelope, p_response || jsonb_build_object('createdAt', loan_format_instant(created)));
        return query select null::text, null::integer, null::jsonb, created;
      end $$;

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
          -- Its two lines (src/loans/accounts.ts eventEntry), by the statement made for one entry.
          entry_id := ledger_post_entry(p_entry_key, p_date, description, 'loan_event', p_id::text, null,
                                        ledger_content_hash(p_date, description, 'loan_event', p_id::text, null,
                                                            p_line_codes, p_line_sides, array[p_amount_fen, p_amount_fen]),
                                        p_line_codes,
                                        array[case p_line_sides[1] when 'debit' then 'D' else 'C' end,
                                              case p_line_sides[2] when 'debit' then 'D' else 'C' end],
                                        array[p_amount_fen, p_amount_fen]);
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
