import { Migration } from '@mikro-orm/migrations';

/**
 * Loans of one bank's principal written together, one statement for the group (src/loans/groups.ts): when loans
 * arrive one per request faster than the database takes them, the requests waiting are written in one transaction, each
 * with its own Idempotency-Key, audit row and answer, as `loan_create_one` (migrations/…LoansBankAccountsShared.ts)
 * writes one; the statements and the commit are shared. Everything the database checks for one loan it checks here
 * for each (the same tables, constraints, triggers and ledger limits).
 *
 * A refusal of any loan refuses the group (the statement writes nothing): each request of the group is then written
 * on its own, where the refusal is found again and named for its request alone.
 *
 * `p_pledge_items` gives each pledge's loan (its position in the group, from 1); the accounts are those of every loan
 * (a bank's repeat: each is made once); the postings are postingArguments' twelve (src/ledger/posting.ts), one facility
 * entry per loan, in the group's order.
 */
export class Migration20261205000600LoansWriteGroups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function loan_create_group(
        p_envelopes jsonb[], p_responses jsonb[],
        p_ids uuid[], p_bank uuid, p_contract_nos text[], p_usccs text[], p_principal_fens bigint[], p_rates numeric[],
        p_starts date[], p_maturities date[], p_collaterals text[], p_ip_pledged_fens bigint[], p_created_by uuid,
        p_pledge_items int[], p_pledge_lines int[], p_pledge_types text[], p_pledge_numbers text[],
        p_pledge_registrations text[], p_pledge_secured bigint[],
        p_account_codes text[], p_account_names text[], p_account_types text[], p_account_sides text[],
        p_account_floors bigint[], p_account_ceilings bigint[], p_account_shared boolean[],
        p_keys text[], p_dates date[], p_descriptions text[], p_source_kinds text[], p_source_ids text[],
        p_reverses bigint[], p_hashes bytea[],
        p_line_entries int[], p_line_numbers smallint[], p_line_codes text[], p_line_sides text[], p_line_amounts bigint[])
      returns table (created_at timestamptz, enterprise_names text[], bank_name text)
      language plpgsql
      set plan_cache_mode = force_generic_plan as $$
      declare
        items constant integer := coalesce(cardinality(p_ids), 0);
        written integer;
        created timestamptz;
        bank text := (select b.name from bank_directory b where b.id = p_bank);
        names text[];
      begin
        if items < 2 or cardinality(p_envelopes) <> items or cardinality(p_responses) <> items
           or coalesce(cardinality(p_keys), 0) <> items then
          raise exception 'a group of loans is two or more, each with its envelope, its answer and its facility entry'
            using errcode = 'LN005';
        end if;
        perform http_write_claim_group(p_created_by, p_envelopes);

        insert into ip_asset (right_type, number)
        select distinct t.right_type, t.number from unnest(p_pledge_types, p_pledge_numbers) as t(right_type, number)
         order by 1, 2
        on conflict (right_type, number) do nothing;

        insert into loan (id, bank_id, contract_no, enterprise_uscc, principal_fen, annual_rate, start_date, maturity_date,
                          collateral, ip_pledged_fen, created_by)
        select t.id, p_bank, t.contract_no, t.uscc, t.principal_fen, t.rate, t.start_date, t.maturity_date, t.collateral,
               t.ip_pledged_fen, p_created_by
          from unnest(p_ids, p_contract_nos, p_usccs, p_principal_fens, p_rates, p_starts, p_maturities, p_collaterals,
                      p_ip_pledged_fens) with ordinality
            as t(id, contract_no, uscc, principal_fen, rate, start_date, maturity_date, collateral, ip_pledged_fen, ord)
         order by t.ord;
        -- The loans' created_at (its default, the transaction's start).
        created := now();

        insert into pledge (loan_id, line_no, asset_id, registration_no, secured_fen)
        select p_ids[t.item], t.line_no, a.id, t.registration_no, t.secured_fen
          from unnest(p_pledge_items, p_pledge_lines, p_pledge_types, p_pledge_numbers, p_pledge_registrations,
                      p_pledge_secured) as t(item, line_no, right_type, number, registration_no, secured_fen)
          -- limit 1: a keyed lookup per pledge on ip_asset's (right_type, number) key, as in loan_create_one.
          cross join lateral (select x.id from ip_asset x where x.right_type = t.right_type and x.number = t.number limit 1) a;
        get diagnostics written = row_count;
        if written <> coalesce(cardinality(p_pledge_items), 0)
           or (select count(distinct i) from unnest(p_pledge_items) i where i between 1 and items) <> items then
          raise exception 'a loan of the group: its pledges were not written' using errcode = 'LN004';
        end if;

        insert into ledger_account (code, name, type, normal_side, floor_fen, ceiling_fen, shared)
        select distinct on (t.code) t.code,
               replace(t.name, '{bank}', coalesce((select b.code from bank_directory b where b.id = p_bank), '')),
               t.type, t.normal_side, t.floor_fen, t.ceiling_fen, t.shared
          from unnest(p_account_codes, p_account_names, p_account_types, p_account_sides, p_account_floors,
                      p_account_ceilings, p_account_shared)
            as t(code, name, type, normal_side, floor_fen, ceiling_fen, shared)
         -- limit 1: a keyed lookup per account on ledger_account_code_key, as in loan_create_one.
         where not exists (select 1 from (select x.id from ledger_account x where x.code = t.code limit 1) x)
         order by t.code
        on conflict (code) do nothing;

        if exists (select 1 from ledger_post_entries(p_keys, p_dates, p_descriptions, p_source_kinds, p_source_ids,
                                                     p_reverses, p_hashes, p_line_entries, p_line_numbers, p_line_codes,
                                                     p_line_sides, p_line_amounts) p
                    where p.posted_id is null) then
          raise exception 'a loan of the group: its facility entry was posted before' using errcode = 'LG002';
        end if;

        -- Each answer with the names for people and the instant of the insert, as loan_create_one stores it.
        select array_agg((select x.name from enterprise x where x.uscc = t.uscc) order by t.ord) into names
          from unnest(p_usccs) with ordinality as t(uscc, ord);
        perform http_write_finish_group(p_created_by, p_envelopes, (
          select array_agg(t.response || jsonb_build_object('enterpriseName', names[t.ord], 'bankName', bank,
                                                            'createdAt', loan_format_instant(created)) order by t.ord)
            from unnest(p_responses) with ordinality as t(response, ord)));
        return query select created, names, bank;
      end $$;
    `);
  }
}
