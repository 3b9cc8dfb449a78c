import { Migration } from '@mikro-orm/migrations';

/**
 * Accounts that many writers post to at once keep their running totals in parts (README "Benchmark", single loans).
 * Each loan's facility entry credits its bank's `bank:<id>:facilities` account and each interest payment its
 * `bank:<id>:interest-received` (src/loans/accounts.ts). The line trigger updated that account's row, and the row
 * stayed locked to the posting's commit, disk flush included: a bank's loans posted one at a time whatever the
 * machine, and 8 concurrent single loans spent most of their time waiting on that one row.
 *
 * - `ledger_account.shared`: set by the account's definition (`AccountDefinition.shared`, src/ledger/types.ts) when
 *   it is created. A shared account has no floor or ceiling (`ledger_account_checked`, constraint
 *   `ledger_account_shared_unlimited`): its totals are never checked against a limit, so nothing needs them in one
 *   row. An account may become shared (a migration of the module that defines it), never stop being shared: its
 *   parts would no longer be counted (LG002).
 * - `ledger_account_part`: a shared account's debits and credits posted since it became shared, in up to 16 parts,
 *   one per ledger chain. The line trigger (`ledger_lines_posted`, (7)) adds a shared account's movement to the part
 *   of the chain whose lock the transaction holds (migrations/…LedgerFreeChain.ts), and leaves the account's row
 *   alone: two writers of one part are already one after the other, so no posting waits for another on a shared
 *   account. The lock order stays chain, accounts, parts, kinds' shard, audit chain.
 * - An account's totals are its row's plus its parts' (`ledger_account_current`, and `ledger_account_totals` on it),
 *   read in one snapshot: the parts move in the same statement as the lines, so in every snapshot an account's
 *   totals equal the sum of its lines (test/ledger.shared.test.ts).
 * - Written only by the trigger (security definer, as the owner); the serving role may only read the parts.
 * - The rest of the line trigger is as migrations/…LedgerFreeChain.ts wrote it.
 */
export class Migration20261205000300LedgerSharedAccounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table ledger_account add column shared boolean not null default false;

      create table ledger_account_part (
        account_id bigint not null references ledger_account (id),
        shard smallint not null check (shard between 0 and 15),
        debits_fen bigint not null check (debits_fen >= 0),
        credits_fen bigint not null check (credits_fen >= 0),
        primary key (account_id, shard)
      ) with (fillfactor = 20);
      create trigger ledger_account_part_no_delete before delete on ledger_account_part
        for each row execute function forbid_change();
      create trigger ledger_account_part_no_truncate before truncate on ledger_account_part
        for each statement execute function forbid_change();

      -- Every account with its totals now: its row's, plus its parts' for a shared account.
      create view ledger_account_current as
        select a.id, a.code, a.name, a.type, a.normal_side, a.floor_fen, a.ceiling_fen, a.shared,
               case when a.shared
                 then a.debits_fen + coalesce((select sum(p.debits_fen) from ledger_account_part p where p.account_id = a.id), 0)
                 else a.debits_fen end::bigint as debits_fen,
               case when a.shared
                 then a.credits_fen + coalesce((select sum(p.credits_fen) from ledger_account_part p where p.account_id = a.id), 0)
                 else a.credits_fen end::bigint as credits_fen
          from ledger_account a;
      create or replace view ledger_account_totals as
        select code, debits_fen, credits_fen from ledger_account_current;

      -- As migrations/…LedgerAccountChecks.ts; a shared account has no limits and stays shared.
      create or replace function ledger_account_checked() returns trigger language plpgsql as $$
      declare
        failed text;
      begin
        failed := case
          when not (new.code ~ '^[A-Za-z0-9][A-Za-z0-9:._-]*$' and length(new.code) <= 200) then 'ledger_account_code_check'
          when not (length(new.name) between 1 and 300) then 'ledger_account_name_check'
          when new.type not in ('asset', 'liability', 'equity', 'income', 'expense', 'memo') then 'ledger_account_type_check'
          when new.normal_side not in ('debit', 'credit') then 'ledger_account_normal_side_check'
          when new.type <> 'memo' and new.normal_side <> case when new.type in ('asset', 'expense') then 'debit' else 'credit' end
            then 'ledger_account_normal_side'
          when new.floor_fen > new.ceiling_fen then 'ledger_account_limits_ordered'
          when new.shared and (new.floor_fen is not null or new.ceiling_fen is not null) then 'ledger_account_shared_unlimited'
        end;
        if failed is not null then
          raise exception 'new row for relation "ledger_account" violates check constraint "%"', failed
            using errcode = 'check_violation', constraint = failed, table = 'ledger_account', detail = format('Failing row contains (%s, %s, …).', new.id, new.code);
        end if;
        if tg_op = 'UPDATE' and (new.code <> old.code or new.type <> old.type or new.normal_side <> old.normal_side) then
          raise exception 'ledger account %: code, type and normal side never change', old.code using errcode = 'LG002';
        end if;
        if tg_op = 'UPDATE' and old.shared and not new.shared then
          raise exception 'ledger account %: a shared account stays shared (its parts hold part of its totals)', old.code
            using errcode = 'LG002';
        end if;
        return null;
      end $$;
      drop trigger ledger_account_checked on ledger_account;
      create trigger ledger_account_checked after insert or update of code, name, type, normal_side, floor_fen, ceiling_fen, shared
        on ledger_account for each row execute function ledger_account_checked();

      create or replace function ledger_lines_posted() returns trigger language plpgsql security definer as $$
      declare
        chain_no smallint := nullif(current_setting('ipl.ledger_chain', true), '')::smallint;
        first_choice smallint;
        genesis constant bytea := decode(repeat('00', 32), 'hex');
        misplaced bigint;
        unbalanced bigint;
        any_reversal boolean;
        accounts_touched integer;
        accounts_updated integer := 0;
        parts_moved integer := 0;
        shared_code text;
        entry_ids bigint[];
        contents text[];
        entries integer;
        previous bytea;
        last_seq bigint;
        stamped_at timestamptz;
        hashes bytea[] := '{}';
        prev_hashes bytea[] := '{}';
        offending record;
        touched record;
        -- The per-loan accounts' movements of this statement, by kind (the code's last segment), for ledger_kind_total.
        kinds text[] := '{}';
        kind_debits bigint[] := '{}';
        kind_credits bigint[] := '{}';
      begin
        if current_setting('ipl.audit_chain_held', true) = 'on' then
          raise exception 'post ledger entries before writing audit rows in the same transaction (lock order: ledger chain, then audit chain)'
            using errcode = 'LG006';
        end if;

        -- One pass over the statement's lines, grouped by entry, each entry found by its primary key: (2) the lines belong
      -- to an entry of this transaction and carry its date; (1) each entry's lines balance and are at least two; (3)
      -- whether any entry is a reversal; each entry's chain content (as migrations/…Integrity.ts wrote it).
      select min(g.entry_id) filter (where e.id is null or (e.entry).created_xid <> pg_current_xact_id()
                                          or g.first_date <> (e.entry).effective_date or g.last_date <> (e.entry).effective_date),
               min(g.entry_id) filter (where g.difference <> 0 or g.lines < 2),
               bool_or((e.entry).reverses_entry_id is not null),
               array_agg(g.entry_id order by g.entry_id),
               array_agg(integrity_ledger_entry_content(e.entry, g.content) order by g.entry_id),
               (select count(distinct n.account_id) from new_lines n)
          into misplaced, unbalanced, any_reversal, entry_ids, contents, accounts_touched
          from (select n.entry_id,
                       sum(case n.side when 'D' then n.amount_fen else -n.amount_fen end) as difference,
                       count(*) as lines,
                       min(n.effective_date) as first_date,
                       max(n.effective_date) as last_date,
                       string_agg(integrity_ledger_line_content(n, (select a.code from ledger_account a where a.id = n.account_id)),
                                  ',' order by n.line_no) as content
                  from new_lines n group by n.entry_id) g
          left join lateral (select x.id, x as entry from ledger_entry x where x.id = g.entry_id limit 1) e on true;
      -- No lines (every entry of the statement replayed an idempotency key): nothing to check, move or chain.
      if entry_ids is null then
        return null;
      end if;

        if misplaced is not null then
          raise exception 'ledger entry %: lines may be added only by the transaction that creates the entry, on its date',
            misplaced using errcode = 'LG002';
        end if;
        if unbalanced is not null then
          select sum(case side when 'D' then amount_fen else -amount_fen end) as difference, count(*) as lines into offending
            from new_lines where entry_id = unbalanced;
          raise exception 'ledger entry % does not balance (debits - credits = % fen over % lines)',
            unbalanced, offending.difference, offending.lines using errcode = 'LG001';
        end if;
        if any_reversal then
          select e.id, e.reverses_entry_id into offending
            from ledger_entry e
           where e.id = any(entry_ids) and e.reverses_entry_id is not null
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

        -- A chain's lock, held to the end of the transaction (one writer at a time links a chain; taken before the
        -- accounts'). The transaction's first posting takes the first chain no other transaction holds, trying from
        -- its id mod 16, and waits for that one only when all 16 are held; its later postings use the same chain,
        -- whose lock it holds (ipl.ledger_chain, local to the transaction). A transaction so holds one chain's lock.
        if chain_no is null then
          first_choice := (pg_current_xact_id()::text::bigint % 16)::smallint;
          for k in 0 .. 15 loop
            if pg_try_advisory_xact_lock('ledger_chain'::regclass::oid::integer, ((first_choice + k) % 16)::integer) then
              chain_no := (first_choice + k) % 16;
              exit;
            end if;
          end loop;
          if chain_no is null then
            perform pg_advisory_xact_lock('ledger_chain'::regclass::oid::integer, first_choice);
            chain_no := first_choice;
          end if;
          perform set_config('ipl.ledger_chain', chain_no::text, true);
        end if;

        -- (4) and (5) as migrations/…LedgerLeanWal.ts: few accounts one UPDATE each in id order, many locked in id order
        -- and updated in one statement; the back-dated limits of a limited account. (7) A shared account's movement goes
        -- to its part on this transaction's chain number instead of its row, which no posting locks.
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
             where a.id = touched.account_id and not a.shared
            returning a.id, a.code, a.normal_side, a.floor_fen, a.ceiling_fen, a.last_effective_date
              into offending;
            if not found then
              -- (7) A shared account: its movement goes to its part on this transaction's chain number. It has no limits
              -- (ledger_account_checked), so nothing is re-checked.
              select x.code into shared_code from ledger_account x where x.id = touched.account_id and x.shared;
              if not found then
                raise exception 'a ledger line names an account that does not exist' using errcode = 'LG004';
              end if;
              insert into ledger_account_part as p (account_id, shard, debits_fen, credits_fen)
              values (touched.account_id, chain_no, touched.debits_fen, touched.credits_fen)
              on conflict (account_id, shard) do update
                set debits_fen = p.debits_fen + excluded.debits_fen, credits_fen = p.credits_fen + excluded.credits_fen;
              if shared_code like 'loan:%' then
                kinds := kinds || split_part(shared_code, ':', 3);
                kind_debits := kind_debits || touched.debits_fen;
                kind_credits := kind_credits || touched.credits_fen;
              end if;
              continue;
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
          perform 1 from ledger_account where id in (select account_id from new_lines) and not shared order by id for no key update;
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
             where a.id = t.account_id and not a.shared
            returning a.id, a.code, a.normal_side, a.floor_fen, a.ceiling_fen, t.earliest_date, a.last_effective_date
          loop
            accounts_updated := accounts_updated + 1;
            continue when (offending.floor_fen is null and offending.ceiling_fen is null)
                       or offending.earliest_date >= offending.last_effective_date;
            perform ledger_limits_held_since(offending.id, offending.code, offending.normal_side, offending.floor_fen,
                                             offending.ceiling_fen, offending.earliest_date);
          end loop;
          insert into ledger_account_part as p (account_id, shard, debits_fen, credits_fen)
          select n.account_id, chain_no,
                 coalesce(sum(n.amount_fen) filter (where n.side = 'D'), 0), coalesce(sum(n.amount_fen) filter (where n.side = 'C'), 0)
            from new_lines n join ledger_account x on x.id = n.account_id and x.shared
           group by n.account_id
           order by n.account_id
          on conflict (account_id, shard) do update
            set debits_fen = p.debits_fen + excluded.debits_fen, credits_fen = p.credits_fen + excluded.credits_fen;
          get diagnostics parts_moved = row_count;
          if accounts_updated + parts_moved <> accounts_touched then
            raise exception 'a ledger line names an account that does not exist' using errcode = 'LG004';
          end if;
        end if;

        -- (6) the per-loan accounts' totals by kind, on this transaction's shard: the number of the ledger chain whose
        -- lock it took above, so no writer waits here for another.
        -- Few accounts: the kinds gathered by the loop above; many (a batch): one grouped statement over the lines, never
        -- an array grown account by account (each append copies the array: quadratic in a batch of 10,000 loans).
        if accounts_touched > 8 then
          insert into ledger_kind_total as k (prefix, kind, shard, debits_fen, credits_fen)
          select 'loan', split_part(a.code, ':', 3), chain_no,
                 coalesce(sum(n.amount_fen) filter (where n.side = 'D'), 0), coalesce(sum(n.amount_fen) filter (where n.side = 'C'), 0)
            from new_lines n join ledger_account a on a.id = n.account_id
           where a.code like 'loan:%'
           group by 2
           order by 2
          on conflict (prefix, kind, shard) do update
            set debits_fen = k.debits_fen + excluded.debits_fen, credits_fen = k.credits_fen + excluded.credits_fen;
        elsif cardinality(kinds) > 0 then
          insert into ledger_kind_total as k (prefix, kind, shard, debits_fen, credits_fen)
          select 'loan', t.kind, chain_no, sum(t.debits_fen), sum(t.credits_fen)
            from unnest(kinds, kind_debits, kind_credits) as t(kind, debits_fen, credits_fen)
           group by t.kind
           order by t.kind
          on conflict (prefix, kind, shard) do update
            set debits_fen = k.debits_fen + excluded.debits_fen, credits_fen = k.credits_fen + excluded.credits_fen;
        end if;

        -- The chain's last link, read after its lock was taken (a statement of its own: a snapshot that sees the
      -- previous holder's commit). Two writers that read the same link would both write the next position: the
      -- primary key (shard, seq) refuses the second.
      select c.seq, c.hash into last_seq, previous from ledger_chain c where c.shard = chain_no order by c.seq desc limit 1;
        last_seq := coalesce(last_seq, 0);
        previous := coalesce(previous, genesis);
        stamped_at := clock_timestamp();
        entries := array_length(entry_ids, 1);
        if entries = 1 then
          insert into ledger_chain (shard, seq, entry_id, prev_hash, hash, chained_at)
          values (chain_no, last_seq + 1, entry_ids[1], previous, sha256(previous || convert_to(contents[1], 'UTF8')), stamped_at);
          return null;
        end if;
        for i in 1 .. entries loop
          prev_hashes[i] := previous;
          previous := sha256(previous || convert_to(contents[i], 'UTF8'));
          hashes[i] := previous;
        end loop;
        insert into ledger_chain (shard, seq, entry_id, prev_hash, hash, chained_at)
        select chain_no, last_seq + k, entry_ids[k], prev_hashes[k], hashes[k], stamped_at from generate_series(1, entries) as k;
        return null;
      end $$;

      -- create or replace keeps the owner and the grants, not the settings: the search paths as the earlier
      -- migrations set them.
      do $$
      begin
        execute format('alter function ledger_lines_posted() set search_path = %I, pg_temp', current_schema());
        execute format('alter function ledger_account_checked() set search_path = %I, pg_temp', current_schema());
      end $$;
    `);
  }
}
