import { Migration } from '@mikro-orm/migrations';

/**
 * Less written to the WAL per posting, the same invariants (README "Benchmark": WAL per posting, read record by record
 * with pg_walinspect):
 *
 * - (4) of migrations/…Ledger.ts: a statement that touches few accounts (up to 8: every single posting, every loan
 *   event) moves their running totals by one UPDATE per account in ascending id order. Each
 *   UPDATE takes its row's lock as it writes, in that one global order, so the separate `select … for no key update`
 *   is not needed; an account that does not exist is refused (LG004) as it is reached. A statement that touches more
 *   (a batch) locks them in id order first and updates them in one statement, as before: one UPDATE per account there
 *   cost twice the batch's time (measured, 1,000 accounts). (5), the back-dated limits, is one function for both. The
 *   rest of the line trigger is as migrations/…LedgerKeyedPosting.ts wrote it.
 * - The account guard (code, type and normal side never change; totals change only inside the line trigger) runs
 *   after the update instead of before it, and only when it can refuse something: an update from outside any trigger,
 *   or one that changes the code, type or normal side. A row trigger before an update first locks the row, and that
 *   lock is a WAL record of its own (54 bytes) before the update's: one per account per posting, now none. It refuses
 *   the same updates with the same SQLSTATE (LG002); the statement, and with it the update, fails.
 * - The chains' heads (`integrity_chain`) keep fillfactor 20. At the default, their page was pruned once every few dozen
 *   postings instead of on every one (a WAL record less per posting on one connection), but under 8 writers the
 *   prune (which needs the page to itself) fell behind and the heads' updates stopped being HOT: 24.8 WAL records per
 *   posting against 16.0 and 0.33 of the raw inserts against 0.45, measured by `npm run bench -- ledger` side by side.
 */
export class Migration20261203001650LedgerLeanWal extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- (5) back-dated lines on a limited account: the balance at the end of every day from p_since on stays within
      -- the limits (lines on the latest day only move the current balance, which the check constraint covers).
      create function ledger_limits_held_since(p_id bigint, p_code text, p_normal_side text, p_floor_fen bigint,
                                               p_ceiling_fen bigint, p_since date) returns void language plpgsql as $$
      begin
        if exists (
          select 1 from (
            select day, sum(day_change) over (order by day) as balance_fen
              from (select effective_date as day,
                           sum(case when (side = 'D') = (p_normal_side = 'debit') then amount_fen else -amount_fen end)
                             as day_change
                      from ledger_line where account_id = p_id
                     group by effective_date) days
          ) running
          where running.day >= p_since
            and ((p_floor_fen is not null and running.balance_fen < p_floor_fen)
              or (p_ceiling_fen is not null and running.balance_fen > p_ceiling_fen))
        ) then
          raise exception 'ledger account % would cross its limit', p_code using errcode = 'LG003', detail = p_code;
        end if;
      end $$;
      revoke all on function ledger_limits_held_since(bigint, text, text, bigint, bigint, date) from public;

      create or replace function ledger_lines_inserted() returns trigger language plpgsql as $$
      declare
        offending record;
        misplaced bigint;
        any_reversal boolean;
        touched record;
        accounts_touched integer;
        accounts_updated integer := 0;
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
        return null;
      end $$;

      -- create or replace keeps the owner and the grants, not the attributes: as the integrity migration set them.
      alter function ledger_lines_inserted() security definer;
      do $$
      begin
        execute format('alter function ledger_lines_inserted() set search_path = %I, pg_temp', current_schema());
      end $$;

      drop trigger ledger_account_guard on ledger_account;
      create trigger ledger_account_guard after update on ledger_account for each row
        when (pg_trigger_depth() = 0
              or new.code <> old.code or new.type <> old.type or new.normal_side <> old.normal_side)
        execute function ledger_account_guard();

    `);
  }
}
