import { Migration } from '@mikro-orm/migrations';

/**
 * The double-entry ledger. Every invariant lives here, in PostgreSQL, so that no code path and no raw SQL session can
 * break it (the invariants live in migrations a reader can read):
 *
 * 1. every entry balances and has at least two lines — checked at the end of every statement that inserts lines
 *    (statement trigger over the transition table) and, for an entry with no lines at all, at commit (deferred
 *    constraint trigger);
 * 2. lines are added only to an entry created in the same transaction, on the entry's own effective date;
 * 3. entries and lines are never updated or deleted; a correction is a reversing entry that names the entry it
 *    reverses, mirrors its lines exactly, and may exist only once per entry;
 * 4. running totals per account are kept by the same statement that inserts the lines, after locking the touched
 *    accounts in ascending id order (one global order: no deadlocks, no lost updates); nothing else may change them;
 * 5. a limited account never crosses its floor or ceiling on its normal side — neither now nor at the end of any
 *    earlier day when a line is back-dated.
 *
 * SQLSTATEs raised here (class LG) are mapped to domain error codes by src/ledger/errors.ts.
 */
export class Migration20261123000002Ledger extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- Patterns in checks use * and length(), never {m,n}: PostgreSQL's regex engine expands a bounded repetition
      -- into that many states, which made a check on a 40-character code cost ~40 µs per row (measured).
      create table ledger_account (
        id bigint generated always as identity primary key,
        code text not null unique check (code ~ '^[A-Za-z0-9][A-Za-z0-9:._-]*$' and length(code) <= 200),
        name text not null check (length(name) between 1 and 300),
        type text not null check (type in ('asset', 'liability', 'equity', 'income', 'expense', 'memo')),
        normal_side text not null check (normal_side in ('debit', 'credit')),
        floor_fen bigint,
        ceiling_fen bigint,
        debits_fen bigint not null default 0 check (debits_fen >= 0),
        credits_fen bigint not null default 0 check (credits_fen >= 0),
        last_effective_date date,
        created_at timestamptz not null default now(),
        constraint ledger_account_normal_side check (
          type = 'memo' or normal_side = case when type in ('asset', 'expense') then 'debit' else 'credit' end),
        constraint ledger_account_limits_ordered check (floor_fen is null or ceiling_fen is null or floor_fen <= ceiling_fen),
        -- The current balance on the normal side within the limits; the trigger below checks earlier days too.
        constraint ledger_account_within_limits check (
          (floor_fen is null or
            (case normal_side when 'debit' then debits_fen - credits_fen else credits_fen - debits_fen end) >= floor_fen)
          and (ceiling_fen is null or
            (case normal_side when 'debit' then debits_fen - credits_fen else credits_fen - debits_fen end) <= ceiling_fen))
      );

      create table ledger_entry (
        id bigint generated always as identity primary key,
        idempotency_key text not null unique check (length(idempotency_key) between 1 and 300),
        effective_date date not null,
        description text not null check (length(description) between 1 and 500),
        source_kind text not null check (source_kind ~ '^[a-z][a-z_]*$' and length(source_kind) <= 40),
        source_id text not null check (length(source_id) between 1 and 200),
        reverses_entry_id bigint references ledger_entry (id),
        content_hash bytea not null,
        recorded_at timestamptz not null default now(),
        created_xid xid8 not null default pg_current_xact_id()
      );
      -- (3) one reversal per entry; partial, so the many entries that reverse nothing cost no index write.
      create unique index ledger_entry_reversed_once on ledger_entry (reverses_entry_id) where reverses_entry_id is not null;

      create table ledger_line (
        -- No foreign keys here: the statement trigger below joins every new line to its entry and its account and
        -- refuses one that names neither; a per-row foreign-key check would do the same work twice per line.
        entry_id bigint not null,
        line_no smallint not null check (line_no >= 1),
        account_id bigint not null,
        side char(1) not null check (side in ('D', 'C')),
        amount_fen bigint not null check (amount_fen > 0),
        effective_date date not null,
        primary key (entry_id, line_no)
      );
      create index ledger_line_account_date on ledger_line (account_id, effective_date) include (side, amount_fen);

      -- (3) never updated, never deleted, never truncated.
      create trigger ledger_entry_immutable before update or delete on ledger_entry
        for each row execute function forbid_change();
      create trigger ledger_line_immutable before update or delete on ledger_line
        for each row execute function forbid_change();
      create trigger ledger_entry_no_truncate before truncate on ledger_entry
        for each statement execute function forbid_change();
      create trigger ledger_line_no_truncate before truncate on ledger_line
        for each statement execute function forbid_change();

      -- (4) an account's running totals change only from inside the line trigger (trigger depth > 1); its code,
      -- type and normal side never change.
      create function ledger_account_guard() returns trigger language plpgsql as $$
      begin
        if new.code <> old.code or new.type <> old.type or new.normal_side <> old.normal_side then
          raise exception 'ledger account %: code, type and normal side never change', old.code using errcode = 'LG002';
        end if;
        if pg_trigger_depth() < 2 and (new.debits_fen, new.credits_fen, new.last_effective_date)
            is distinct from (old.debits_fen, old.credits_fen, old.last_effective_date) then
          raise exception 'ledger account %: balances change only by posting entries', old.code using errcode = 'LG002';
        end if;
        return new;
      end $$;
      create trigger ledger_account_guard before update on ledger_account
        for each row execute function ledger_account_guard();
      create trigger ledger_account_no_delete before delete on ledger_account
        for each row execute function forbid_change();

      -- (1), (2), (3 reversal mirror), (4), (5): once per INSERT statement over all its new lines.
      create function ledger_lines_inserted() returns trigger language plpgsql as $$
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
          from new_lines n left join ledger_entry e on e.id = n.entry_id;
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
      create trigger ledger_lines_inserted after insert on ledger_line
        referencing new table as new_lines for each statement execute function ledger_lines_inserted();

      -- The one write path of src/ledger/posting.ts: entries and their lines in one statement. A function so that its
      -- plan is cached once per connection as a generic plan (planning the statement anew on every posting cost
      -- about as much as executing it); entries whose idempotency key exists are skipped and returned with a null id.
      create function ledger_post_entries(
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
            join ledger_account a on a.code = l.account_code
          returning 1
        )
        select e.ord, i.id from input_entry e left join inserted i on i.idempotency_key = e.idempotency_key order by e.ord;
      end $$;

      -- (1) at commit: an entry has lines (an entry inserted alone would otherwise balance vacuously), and it was
      -- created by the transaction that committed it.
      create function ledger_entry_committed() returns trigger language plpgsql as $$
      begin
        if new.created_xid <> pg_current_xact_id() then
          raise exception 'ledger entry %: created_xid is set by the database', new.id using errcode = 'LG002';
        end if;
        -- Any statement that adds lines to an entry adds at least two that balance (checked above), so one line
        -- found means two or more.
        if not exists (select 1 from ledger_line where entry_id = new.id) then
          raise exception 'ledger entry % has fewer than two lines', new.id using errcode = 'LG001';
        end if;
        return null;
      end $$;
      create constraint trigger ledger_entry_has_lines after insert on ledger_entry
        deferrable initially deferred for each row execute function ledger_entry_committed();
    `);
  }
}
