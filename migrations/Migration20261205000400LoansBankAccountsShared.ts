import { Migration } from '@mikro-orm/migrations';

/**
 * A bank's accounts are shared ledger accounts (migrations/…LedgerSharedAccounts.ts): every loan of the bank credits
 * `bank:<id>:facilities` and every interest payment `bank:<id>:interest-received` (src/loans/accounts.ts
 * `bankAccountDefinitions`), so their totals move in parts and no loan waits on their rows for another's commit.
 *
 * - The bank accounts made before are marked shared; their totals so far stay on their rows, what is posted from now
 *   on goes to their parts.
 * - `loan_create_one` takes, beside each account's code, name, type, side and limits, whether it is shared, and
 *   creates it so (one more array, so the function is made anew under its new signature). It is otherwise as
 *   migrations/…LoansOneEntry.ts wrote it.
 */
export class Migration20261205000400LoansBankAccountsShared extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      update ledger_account set shared = true where code like 'bank:%' and not shared;

      drop function loan_create_one(jsonb, jsonb, uuid, uuid, text, text, bigint, numeric, date, date, text, bigint, uuid,
        text[], text[], text[], bigint[], text[], text[], text[], text[], bigint[], bigint[],
        text[], date[], text[], text[], text[], bigint[], bytea[], int[], smallint[], text[], text[], bigint[]);

      create function loan_create_one(
        p_envelope jsonb, p_response jsonb,
        p_id uuid, p_bank uuid, p_contract_no text, p_uscc text, p_principal_fen bigint, p_rate numeric, p_start date,
        p_maturity date, p_collateral text, p_ip_pledged_fen bigint, p_created_by uuid,
        p_pledge_types text[], p_pledge_numbers text[], p_pledge_registrations text[], p_pledge_secured bigint[],
        -- The accounts to make sure of; '{bank}' in a name stands for the bank's code.
        p_account_codes text[], p_account_names text[], p_account_types text[], p_account_sides text[],
        p_account_floors bigint[], p_account_ceilings bigint[], p_account_shared boolean[],
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

        insert into ledger_account (code, name, type, normal_side, floor_fen, ceiling_fen, shared)
        select t.code, replace(t.name, '{bank}', coalesce((select b.code from bank_directory b where b.id = p_bank), '')),
               t.type, t.normal_side, t.floor_fen, t.ceiling_fen, t.shared
          from unnest(p_account_codes, p_account_names, p_account_types, p_account_sides, p_account_floors, p_account_ceilings,
                      p_account_shared)
            as t(code, name, type, normal_side, floor_fen, ceiling_fen, shared)
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
    `);
  }
}
