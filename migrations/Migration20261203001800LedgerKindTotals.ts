import { Migration } from '@mikro-orm/migrations';

/**
 * The per-loan accounts' running totals by kind, kept by the ledger (README "Benchmark", mixed traffic): the loans
 * list's totals over the whole portfolio (outstanding principal, interest paid) read 16 rows instead of two accounts
 * of every loan (with 2,000 loans that join was most of the list's time and of the database's work under load).
 *
 * - `ledger_kind_total`: for the accounts whose code is `loan:<id>:<kind>` (src/loans/accounts.ts), the sum of their
 *   debits and of their credits per kind, in 16 shards. The line trigger (`ledger_lines_inserted`, (6) below) moves
 *   them in the same statement that moves the accounts, so in every snapshot the sum over the shards of a kind equals
 *   the sum of that kind's accounts (test/ledger.kinds.test.ts checks it after postings, batches and reversals).
 * - A posting moves its transaction's shard: the transaction's id mod 16, the ledger chain whose head
 *   (migrations/…Integrity.ts) it already holds from the first line to the commit. Two writers of one shard are
 *   already one after the other, so the shard adds no wait, and the order of locks stays: chain head, accounts, shard.
 * - Written only by the trigger (security definer, as the owner); the serving role may only read it, through the
 *   view `ledger_kind_balances` (the sum over the shards), which is what the ledger shares with the loans module.
 * - The rest of the line trigger is as migrations/…LedgerLeanWal.ts wrote it.
 */
export class Migration20261203001800LedgerKindTotals extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table ledger_kind_total (
        prefix text not null check (prefix = 'loan'),
        kind text not null check (length(kind) between 1 and 100),
        shard smallint not null check (shard between 0 and 15),
        debits_fen bigint not null check (debits_fen >= 0),
        credits_fen bigint not null check (credits_fen >= 0),
        primary key (prefix, kind, shard)
      ) with (fillfactor = 20);
      create trigger ledger_kind_total_no_delete before delete on ledger_kind_total
        for each row execute function forbid_change();
      create trigger ledger_kind_total_no_truncate before truncate on ledger_kind_total
        for each statement execute function forbid_change();

      -- What the accounts hold now, on shard 0; no posting may run meanwhile.
      lock table ledger_account in share mode;
      insert into ledger_kind_total (prefix, kind, shard, debits_fen, credits_fen)
      select 'loan', split_part(code, ':', 3), 0, sum(debits_fen), sum(credits_fen)
        from ledger_account
       where code like 'loan:%'
       group by 2;

      create view ledger_kind_balances as
        select prefix, kind, sum(debits_fen)::bigint as debits_fen, sum(credits_fen)::bigint as credits_fen
          from ledger_kind_total
         group by prefix, kind;

      create or replace function ledger_lines_inserted() returns trigger language plpgsql as $$
      declare
        offending record;
        misplaced bigint;
        any_reversal boolean;
        touched record;
        accounts_touched integer;
        accounts_updated integer := 0;
        -- The per-loan accounts' movements of this statement, by kind (the code's last segment), for ledger_kind_total.
        kinds text[] := '{}';
        kind_debits bigint[] := '{}';
        kind_credits bigint[] := '{}';
      begin
        -- (2) lines belong to an existing entry of this transaction and carry its effective date.
        select min(n.entry_id) filter (where e.id is null or e.created_xid <> pg_current_xact_id()
                                          or e.effective_date <> n.effective_date),
               bool_or(e.reverses_entry_id is not null),
               count(distinct n.account_id)
          into misplaced, any_reversal, accounts_touched
          -- limit 1: one keyed lookup per line (ledger_entry_pkey), never a hash join over the whole of ledger_entry
          -- (the plan is made once per connection, and one made while the ledger was small scanned it all).
          from new_lines n
          left join lateral (select x.id, x.created_xid, x.effective_date, x.reverses_entry_id
                               from ledger_entry x where x.id = n.entry_id limit 1) e on true;
        if misplaced is not null then
          raise exception 'ledger entry %: lines may be added only by the transaction that creates the entry, on its date',
            misplaced using errcode = 'LG002';
        end if;

        -- (1) every entry's lines in this statement balance, and there are at least two of them.
        select entry_id, sum(case side when 'D' then amount_fen else -amount_fen end) as difference, count(*) as lines
          into offending
          from new_lines group by entry_id
        having sum(case side when 'D' then amount_fen else -amount_fen end) <> 0 or count(*) < 2
         limit 1;
        if found then
          raise exception 'ledger entry % does not balance (debits - credits = % fen over % lines)',
            offending.entry_id, offending.difference, offending.lines using errcode = 'LG001';
        end if;

        -- (3) a reversal mirrors the entry it reverses: same accounts and amounts, sides swapped.
        if any_reversal then
          select e.id, e.reverses_entry_id into offending
            from ledger_entry e
           where e.id in (select entry_id from new_lines) and e.reverses_entry_id is not null
             and (exists (select account_id, side, amount_fen from ledger_line where entry_id = e.id
                          except all
                          select account_id, case side when 'D' then 'C' else 'D' end, amount_fen
                            from ledger_line where entry_id = e.reverses_entry_id)
               or exists (select account_id, case side when 'D' then 'C' else 'D' end, amount_fen
                            from ledger_line where entry_id = e.reverses_entry_id
                          except all
                          select account_id, side, amount_fen from ledger_line where entry_id = e.id))
           limit 1;
          if found then
            raise exception 'ledger entry % does not mirror entry % that it reverses', offending.id, offending.reverses_entry_id
              using errcode = 'LG005';
          end if;
        end if;

        -- (4) few accounts: one UPDATE each in ascending id order, each taking its row's lock as it writes (one global
        -- order: no deadlocks, no lost updates). Many: all locked in id order first, then one UPDATE. The check
        -- constraint refuses a crossed limit now; (5) the back-dated limits, for a limited account with lines before its
        -- latest day.
        if accounts_touched <= 8 then
          for touched in
            select account_id,
                   coalesce(sum(amount_fen) filter (where side = 'D'), 0) as debits_fen,
                   coalesce(sum(amount_fen) filter (where side = 'C'), 0) as credits_fen,
                   min(effective_date) as earliest_date,
                   max(effective_date) as latest_date
              from new_lines group by account_id order by account_id
          loop
            update ledger_account a
               set debits_fen = a.debits_fen + touched.debits_fen,
                   credits_fen = a.credits_fen + touched.credits_fen,
                   last_effective_date = greatest(a.last_effective_date, touched.latest_date)
             where a.id = touched.account_id
            returning a.id, a.code, a.normal_side, a.floor_fen, a.ceiling_fen, a.last_effective_date
              into offending;
            if not found then
              raise exception 'a ledger line names an account that does not exist' using errcode = 'LG004';
            end if;
            if offending.code like 'loan:%' then
              kinds := kinds || split_part(offending.code, ':', 3);
              kind_debits := kind_debits || touched.debits_fen;
              kind_credits := kind_credits || touched.credits_fen;
            end if;
            continue when (offending.floor_fen is null and offending.ceiling_fen is null)
                       or touched.earliest_date >= offending.last_effective_date;
            perform ledger_limits_held_since(offending.id, offending.code, offending.normal_side, offending.floor_fen,
                                             offending.ceiling_fen, touched.earliest_date);
          end loop;
        else
          perform 1 from ledger_account where id in (select account_id from new_lines) order by id for no key update;
          for offending in
            update ledger_account a
               set debits_fen = a.debits_fen + t.debits_fen,
                   credits_fen = a.credits_fen + t.credits_fen,
                   last_effective_date = greatest(a.last_effective_date, t.latest_date)
              from (select account_id,
                           coalesce(sum(amount_fen) filter (where side = 'D'), 0) as debits_fen,
                           coalesce(sum(amount_fen) filter (where side = 'C'), 0) as credits_fen,
                           min(effective_date) as earliest_date,
                           max(effective_date) as latest_date
                      from new_lines group by account_id) t
             where a.id = t.account_id
            returning a.id, a.code, a.normal_side, a.floor_fen, a.ceiling_fen, t.earliest_date, a.last_effective_date,
                      t.debits_fen, t.credits_fen
          loop
            accounts_updated := accounts_updated + 1;
            if offending.code like 'loan:%' then
              kinds := kinds || split_part(offending.code, ':', 3);
              kind_debits := kind_debits || offending.debits_fen;
              kind_credits := kind_credits || offending.credits_fen;
            end if;
            continue when (offending.floor_fen is null and offending.ceiling_fen is null)
                       or offending.earliest_date >= offending.last_effective_date;
            perform ledger_limits_held_since(offending.id, offending.code, offending.normal_side, offending.floor_fen,
                                             offending.ceiling_fen, offending.earliest_date);
          end loop;
          if accounts_updated <> accounts_touched then
            raise exception 'a ledger line names an account that does not exist' using errcode = 'LG004';
          end if;
        end if;

        -- (6) the per-loan accounts' totals by kind, on this transaction's shard: the one of the ledger chain whose head
        -- it already holds (ledger_lines_chained ran first), so no writer waits here for another.
        if cardinality(kinds) > 0 then
          insert into ledger_kind_total as k (prefix, kind, shard, debits_fen, credits_fen)
          select 'loan', t.kind, (pg_current_xact_id()::text::bigint % 16)::smallint, sum(t.debits_fen), sum(t.credits_fen)
            from unnest(kinds, kind_debits, kind_credits) as t(kind, debits_fen, credits_fen)
           group by t.kind
           order by t.kind
          on conflict (prefix, kind, shard) do update
            set debits_fen = k.debits_fen + excluded.debits_fen, credits_fen = k.credits_fen + excluded.credits_fen;
        end if;
        return null;
      end $$;

      -- create or replace keeps the owner and the grants, not the attributes: as the integrity migration set them.
      alter function ledger_lines_inserted() security definer;
      do $$
      begin
        execute format('alter function ledger_lines_inserted() set search_path = %I, pg_temp', current_schema());
      end $$;

      -- create or replace keeps the owner and the grants, not the attributes: as the integrity migration set them.
      alter function ledger_lines_inserted() security definer;
      do $$
      begin
        execute format('alter function ledger_lines_inserted() set search_path = %I, pg_temp', current_schema());
      end $$;
    `);
  }
}
