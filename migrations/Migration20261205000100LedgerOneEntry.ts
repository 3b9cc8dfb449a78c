import { Migration } from '@mikro-orm/migrations';

/**
 * One entry posted by a statement made for one entry (README "Benchmark", the ledger at 8 connections).
 *
 * `ledger_post_entries` posts any number of entries in one statement: it unnests seven arrays of entries and five of
 * lines, inserts the entries, joins the lines to them by their order and key (hash joins over the arrays) and returns
 * a row per entry through a tuple store. For a single entry — a posting through `post()`, a loan's facility, a loan
 * event — that set-up is most of the statement's cost: the executor starts the joins and the table functions for two
 * lines.
 *
 * `ledger_post_entry` writes the same rows for one entry: the entry's row (`on conflict (idempotency_key) do nothing`,
 * as the batch), then its lines, each account found by its code with one keyed lookup; a line whose account does not
 * exist is dropped, as in the batch, so the line trigger refuses the entry as unbalanced (LG001) and src/ledger/
 * posting.ts names the unknown account. It returns the new entry's id, or null when the key was posted before (the
 * caller compares content hashes, as for the batch).
 *
 * Nothing the database checks moves: the line trigger (`ledger_lines_posted`), the deferred check that every entry
 * has lines, the accounts' limits and the chain run on these rows exactly as on the batch's.
 */
export class Migration20261205000100LedgerOneEntry extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function ledger_post_entry(
        p_key text, p_date date, p_description text, p_source_kind text, p_source_id text, p_reverses bigint, p_hash bytea,
        p_line_codes text[], p_line_sides text[], p_line_amounts bigint[])
      returns bigint
      language plpgsql set plan_cache_mode = force_generic_plan as $$
      declare
        posted bigint;
      begin
        insert into ledger_entry (idempotency_key, effective_date, description, source_kind, source_id, reverses_entry_id,
                                  content_hash)
        values (p_key, p_date, p_description, p_source_kind, p_source_id, p_reverses, p_hash)
        on conflict (idempotency_key) do nothing
        returning id into posted;
        if posted is null then
          return null;
        end if;
        insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
        select posted, l.line_no::smallint, a.id, l.side, l.amount_fen, p_date
          from unnest(p_line_codes, p_line_sides, p_line_amounts) with ordinality as l(account_code, side, amount_fen, line_no)
          -- limit 1: a keyed lookup per line on ledger_account_code_key, as in ledger_post_entries.
          cross join lateral (select x.id from ledger_account x where x.code = l.account_code limit 1) a;
        return posted;
      end $$;
    `);
  }
}
