import { Migration } from '@mikro-orm/migrations';

/**
 * The ledger's summary by account type, normal side and code prefix (the code's first segment: `loan`, `bank`,
 * `fund`, `subsidy`), read by the dashboard without reading every account (four memo accounts per loan).
 *
 * Nothing is added to a posting: the summary is a checkpoint plus a tail. The checkpoint holds, for every entry with
 * `id <= entries_through`, its lines summed per group and value date (`ledger_summary_day`), and for every account
 * with `id <= accounts_through`, the count per group (`ledger_summary_accounts`). A read adds the tail — the lines of
 * entries after the checkpoint and the accounts after it, found by primary-key range — so its figures are exact at
 * every moment, however old the checkpoint (src/ledger/summary.ts).
 *
 * Moving the checkpoint forward is safe only to a bound below which no transaction can still add an entry or an
 * account. Ids are handed out when a row is inserted, not when it commits, so `ledger_summary_mark` takes a SHARE
 * lock on both tables — it waits for the transactions inserting into them to end and holds new ones back for that
 * instant (at most `p_lock_timeout_ms`: otherwise it gives up and the checkpoint stays where it was) — and records
 * the highest ids then as the pending bound. Every id at or below it belongs to a committed row or to none, for good.
 * `ledger_summary_apply`, without any table lock, folds the rows up to the pending bound into the checkpoint.
 * Both are SECURITY DEFINER so that a role that may only insert into the ledger can still run them (LOCK … SHARE
 * needs more than INSERT).
 */
export class Migration20261203000400LedgerSummary extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table ledger_summary_checkpoint (
        singleton boolean primary key default true check (singleton),
        entries_through bigint not null default 0,
        accounts_through bigint not null default 0,
        pending_entries_through bigint not null default 0,
        pending_accounts_through bigint not null default 0,
        refreshed_at timestamptz,
        constraint ledger_summary_checkpoint_ordered check (
          entries_through <= pending_entries_through and accounts_through <= pending_accounts_through)
      );
      insert into ledger_summary_checkpoint default values;

      create table ledger_summary_accounts (
        type text not null,
        normal_side text not null,
        prefix text not null,
        accounts bigint not null check (accounts > 0),
        primary key (type, normal_side, prefix)
      );

      create table ledger_summary_day (
        type text not null,
        normal_side text not null,
        prefix text not null,
        effective_date date not null,
        debits_fen bigint not null check (debits_fen >= 0),
        credits_fen bigint not null check (credits_fen >= 0),
        primary key (type, normal_side, prefix, effective_date)
      );

      create function ledger_summary_mark(p_lock_timeout_ms integer) returns boolean
      language plpgsql security definer set search_path = pg_catalog, public as $$
      begin
        -- One refresher at a time; a second one has nothing to add and must not queue behind the first.
        perform 1 from ledger_summary_checkpoint for update skip locked;
        if not found then
          return false;
        end if;
        perform set_config('lock_timeout', p_lock_timeout_ms || 'ms', true);
        begin
          lock table ledger_entry, ledger_account in share mode;
        exception when lock_not_available then
          return false;
        end;
        update ledger_summary_checkpoint
           set pending_entries_through = greatest(pending_entries_through, coalesce((select max(id) from ledger_entry), 0)),
               pending_accounts_through = greatest(pending_accounts_through, coalesce((select max(id) from ledger_account), 0));
        return true;
      end $$;

      create function ledger_summary_apply() returns boolean
      language plpgsql security definer set search_path = pg_catalog, public as $$
      declare
        checkpoint record;
      begin
        select * into checkpoint from ledger_summary_checkpoint for update skip locked;
        if not found then
          return false;
        end if;
        if checkpoint.pending_entries_through = checkpoint.entries_through
           and checkpoint.pending_accounts_through = checkpoint.accounts_through then
          return false;
        end if;
        insert into ledger_summary_accounts as s (type, normal_side, prefix, accounts)
        select type, normal_side, split_part(code, ':', 1), count(*)
          from ledger_account
         where id > checkpoint.accounts_through and id <= checkpoint.pending_accounts_through
         group by 1, 2, 3
        on conflict (type, normal_side, prefix) do update set accounts = s.accounts + excluded.accounts;

        insert into ledger_summary_day as s (type, normal_side, prefix, effective_date, debits_fen, credits_fen)
        select a.type, a.normal_side, split_part(a.code, ':', 1), l.effective_date,
               coalesce(sum(l.amount_fen) filter (where l.side = 'D'), 0),
               coalesce(sum(l.amount_fen) filter (where l.side = 'C'), 0)
          from ledger_line l join ledger_account a on a.id = l.account_id
         where l.entry_id > checkpoint.entries_through and l.entry_id <= checkpoint.pending_entries_through
         group by 1, 2, 3, 4
        on conflict (type, normal_side, prefix, effective_date) do update
          set debits_fen = s.debits_fen + excluded.debits_fen, credits_fen = s.credits_fen + excluded.credits_fen;

        update ledger_summary_checkpoint
           set entries_through = pending_entries_through, accounts_through = pending_accounts_through, refreshed_at = now();
        return true;
      end $$;

      -- Starts the summary again from nothing (after a restore that left it suspect, for instance); the next read
      -- computes from the tail alone until a refresh moves the checkpoint.
      create function ledger_summary_reset() returns void
      language plpgsql security definer set search_path = pg_catalog, public as $$
      begin
        perform 1 from ledger_summary_checkpoint for update;
        delete from ledger_summary_accounts;
        delete from ledger_summary_day;
        update ledger_summary_checkpoint
           set entries_through = 0, accounts_through = 0, pending_entries_through = 0, pending_accounts_through = 0,
               refreshed_at = null;
      end $$;
    `);
  }
}
