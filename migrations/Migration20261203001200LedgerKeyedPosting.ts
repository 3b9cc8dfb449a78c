import { Migration } from '@mikro-orm/migrations';

/**
 * The ledger's write path, cheaper per posting with the same invariants (README "Benchmark", "The ledger"):
 *
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

      alter table ledger_account set (fillfactor = 50);
      alter table integrity_chain set (fillfactor = 20);

      -- entryContentHash of src/ledger/posting.ts: sha256 of
      --   JSON.stringify([date, description, kind, id, reverses ?? null, [[code, 'debit'|'credit', amount], …]]).
      -- to_json of text escapes exactly as JSON.stringify does (quote, backslash, \\b \\f \\n \\r \\t, other control
      -- characters as \\u00xx); test/ledger.keyed.test.ts compares the two.
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
