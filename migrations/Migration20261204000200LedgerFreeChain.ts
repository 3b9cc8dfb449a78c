import { Migration } from '@mikro-orm/migrations';

/**
 * A posting links the first ledger chain free (README "Benchmark", ledger). A transaction's entries went to chain (its
 * id mod 16), whose lock it held to its commit, disk flush included: two of 8 concurrent writers landed on the same
 * chain about one posting in three, and the second waited for the first's flush though 8 or more chains stood idle.
 *
 * - A transaction's first posting takes the first of the 16 chain locks that no other transaction holds, trying from
 *   its id mod 16 (`pg_try_advisory_xact_lock`, which never waits), and waits only when all 16 are held, then for
 *   the one it tried first. Its later postings use the chain it holds, named in the transaction-local setting
 *   `ipl.ledger_chain`: a transaction holds one chain's lock, as before, so the lock order stays chain, accounts,
 *   kinds' shard, audit chain, and two postings never wait on each other in a circle.
 * - Which chain an entry is linked on was never part of its content: each link records its chain (`ledger_chain.shard`)
 *   and its predecessor's hash, so the verifier and the export read the chains as before.
 * - The loans' accounts' totals by kind still move on the transaction's chain number (their shard), whose lock it holds.
 * - The rest of the line trigger is as migrations/…LedgerKindTotals.ts wrote it.
 */
export class Migration20261204000200LedgerFreeChain extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
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
      -- and updated in one statement; the back-dated limits of a limited account.
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
            returning a.id, a.code, a.normal_side, a.floor_fen, a.ceiling_fen, t.earliest_date, a.last_effective_date
          loop
            accounts_updated := accounts_updated + 1;
            continue when (offending.floor_fen is null and offending.ceiling_fen is null)
                       or offending.earliest_date >= offending.last_effective_date;
            perform ledger_limits_held_since(offending.id, offending.code, offending.normal_side, offending.floor_fen,
                                             offending.ceiling_fen, offending.earliest_date);
          end loop;
          if accounts_updated <> accounts_touched then
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

      -- create or replace keeps the owner and the grants, not the settings: the search path as the line trigger's
      -- migration set it.
      do $$
      begin
        execute format('alter function ledger_lines_posted() set search_path = %I, pg_temp', current_schema());
      end $$;
    `);
  }
}
