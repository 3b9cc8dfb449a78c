import { Migration } from '@mikro-orm/migrations';

/**
 * The ledger's write path, cheaper per posting with the same invariants (README "Benchmark", "The ledger"):
 *
 * - the line trigger (`ledger_lines_inserted`) finds each new line's entry by its primary key, one lookup per line
 *   (the rest of the function as migrations/…Ledger.ts wrote it); its plan, made once per connection, joined the
 *   new lines to the whole of `ledger_entry` by a hash join with a sequential scan when the ledger was small.
 * - `ledger_post_entries` finds each line's account by its code with one keyed lookup (the unique index on
 *   `ledger_account.code`) instead of a join the planner may hash: its plan is generic and cached per connection, and
 *   a plan made while the ledger had few accounts read the whole of `ledger_account` on every posting (a sequential
 *   scan, seen in its plan with 1,000 accounts; four memo accounts per loan make that 400,000 rows at 100,000 loans).
 * - `ledger_account` and the chains' heads (`integrity_chain`) are rewritten by every posting (running totals, head
 *   hash) in columns no index covers: room left on their pages (fillfactor) keeps those updates HOT, one heap tuple
 *   and no index entries per update, instead of new entries in each of their indexes once a page is full.
 * - `ledger_content_hash` is the content hash of an entry (src/ledger/posting.ts `entryContentHash`) in SQL, byte for
 *   byte the same, for a posting whose description is completed inside the database (a loan event posted in the
 *   statement that locks its loan, src/loans/one-statement.ts).
 */
export class Migration20261203001200LedgerKeyedPosting extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create or replace function ledger_post_entries(
        p_keys text[], p_dates date[], p_descriptions text[], p_source_kinds text[], p_source_ids text[],
        p_reverses bigint[], p_hashes bytea[],
        p_line_entries int[], p_line_numbers smallint[], p_line_codes text[], p_line_sides text[], p_line_amounts bigint[])
      returns table (posted_ord bigint, posted_id bigint)
      language plpgsql set plan_cache_mode = force_generic_plan as $$
      begin
        return query
        with input_entry as (
          select * from unnest(p_keys, p_dates, p_descriptions, p_source_kinds, p_source_ids, p_reverses, p_hashes)
            with ordinality as t(idempotency_key, effective_date, description, source_kind, source_id,
                                 reverses_entry_id, content_hash, ord)
        ), inserted as (
          insert into ledger_entry as le (idempotency_key, effective_date, description, source_kind, source_id,
                                          reverses_entry_id, content_hash)
          select ie.idempotency_key, ie.effective_date, ie.description, ie.source_kind, ie.source_id,
                 ie.reverses_entry_id, ie.content_hash
            from input_entry ie order by ie.ord
          on conflict (idempotency_key) do nothing
          returning le.id, le.idempotency_key, le.effective_date
        ), lines as (
          insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
          select i.id, l.line_no, a.id, l.side, l.amount_fen, i.effective_date
            from unnest(p_line_entries, p_line_numbers, p_line_codes, p_line_sides, p_line_amounts)
              as l(entry_ord, line_no, account_code, side, amount_fen)
            join input_entry e on e.ord = l.entry_ord
            join inserted i on i.idempotency_key = e.idempotency_key
            -- limit 1: a keyed lookup per line on ledger_account_code_key, never flattened into a hash join.
            cross join lateral (select x.id from ledger_account x where x.code = l.account_code limit 1) a
          returning 1
        )
        select e.ord, i.id from input_entry e left join inserted i on i.idempotency_key = e.idempotency_key order by e.ord;
      end $$;

      create or replace function ledger_lines_inserted() returns trigger language plpgsql as $$
      declare
        offending record;
        misplaced bigint;
        any_reversal boolean;
        accounts_touched integer;
        accounts_updated integer := 0;
      begin
        -- (2) lines belong to an existing entry of this transaction and carry its effective date.
        select min(n.entry_id) filter (where e.id is null or e.created_xid <> pg_current_xact_id()
                                          or e.effective_date <> n.effective_date),
               bool_or(e.reverses_entry_id is not null)
          into misplaced, any_reversal
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

        -- (4) lock the touched accounts in one global order (no key update: compatible with the key-share locks of
        -- concurrent foreign-key checks), then apply the totals; the check constraint refuses a crossed limit now.
        perform 1 from ledger_account where id in (select account_id from new_lines) order by id for no key update;
        select count(distinct account_id) into accounts_touched from new_lines;
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
          -- (5) back-dated lines on a limited account: the balance at the end of every day from the earliest new line
          -- on stays within the limits (lines on the latest day only move the current balance, checked above).
          continue when (offending.floor_fen is null and offending.ceiling_fen is null)
                     or offending.earliest_date >= offending.last_effective_date;
          if exists (
            select 1 from (
              select day, sum(day_change) over (order by day) as balance_fen
                from (select effective_date as day,
                             sum(case when (side = 'D') = (offending.normal_side = 'debit') then amount_fen else -amount_fen end)
                               as day_change
                        from ledger_line where account_id = offending.id
                       group by effective_date) days
            ) running
            where running.day >= offending.earliest_date
              and ((offending.floor_fen is not null and running.balance_fen < offending.floor_fen)
                or (offending.ceiling_fen is not null and running.balance_fen > offending.ceiling_fen))
          ) then
            raise exception 'ledger account % would cross its limit', offending.code
              using errcode = 'LG003', detail = offending.code;
          end if;
        end loop;
        if accounts_updated <> accounts_touched then
          raise exception 'a ledger line names an account that does not exist' using errcode = 'LG004';
        end if;
        return null;
      end $$;

      -- create or replace keeps the owner and the grants, not the attributes: as the integrity migration set them.
      alter function ledger_lines_inserted() security definer;
      do $$
      begin
        execute format('alter function ledger_lines_inserted() set search_path = %I, pg_temp', current_schema());
      end $$;

      alter table ledger_account set (fillfactor = 50);
      alter table integrity_chain set (fillfactor = 20);

      -- entryContentHash of src/ledger/posting.ts: sha256 of
      --   JSON.stringify([date, description, kind, id, reverses ?? null, [[code, 'debit'|'credit', amount], …]]).
      -- to_json of text escapes exactly as JSON.stringify does (quote, backslash, \\b \\f \\n \\r \\t, other control
      -- characters as \\u00xx); test/ledger.content-hash.test.ts compares the two.
      create function ledger_content_hash(p_date date, p_description text, p_source_kind text, p_source_id text,
                                          p_reverses bigint, p_codes text[], p_sides text[], p_amounts bigint[])
        returns bytea language sql immutable parallel safe as $$
        select sha256(convert_to(
          '[' || to_json(to_char(p_date, 'YYYY-MM-DD'))::text
          || ',' || to_json(p_description)::text
          || ',' || to_json(p_source_kind)::text
          || ',' || to_json(p_source_id)::text
          || ',' || coalesce(to_json(p_reverses::text)::text, 'null')
          || ',[' || coalesce((select string_agg('[' || to_json(c)::text || ',' || to_json(s)::text || ',' || to_json(a::text)::text || ']',
                                                 ',' order by o)
                                 from unnest(p_codes, p_sides, p_amounts) with ordinality as u(c, s, a, o)), '')
          || ']]', 'UTF8'))
      $$;
    `);
  }
}
