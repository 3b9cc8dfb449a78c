import { Migration } from '@mikro-orm/migrations';

/**
 * A posting updates the running totals of the accounts it touches, and PostgreSQL prepares every check constraint of
 * a table for every UPDATE statement on it, whatever columns it sets: for `ledger_account` that was nine checks, 12 kB
 * of stored expressions read back (`stringToNode`) and compiled twice per posting, 17 % of a posting's time in the
 * server (perf, PostgreSQL 18, one connection). The six checks on columns a posting never sets (code, name, type,
 * normal side, the limits' order) are now a trigger after an INSERT, or an UPDATE that sets one of those columns:
 * the same rules, the same SQLSTATE (23514) and constraint names. The checks on the totals stay constraints (the
 * totals never negative, a limited account within its limits). The account guard, after an update from outside any
 * trigger, keeps only that condition in its WHEN (the code, type and normal side are the new trigger's).
 */
export class Migration20261203001751LedgerAccountChecks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- The checks of migrations/…Ledger.ts on the columns a posting never sets, raised as PostgreSQL raises a failed
      -- check (SQLSTATE 23514, the same constraint names); and, for an update, the guard's refusal to change the code,
      -- type or normal side (LG002).
      create function ledger_account_checked() returns trigger language plpgsql as $$
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
        end;
        if failed is not null then
          raise exception 'new row for relation "ledger_account" violates check constraint "%"', failed
            using errcode = 'check_violation', constraint = failed, table = 'ledger_account', detail = format('Failing row contains (%s, %s, …).', new.id, new.code);
        end if;
        if tg_op = 'UPDATE' and (new.code <> old.code or new.type <> old.type or new.normal_side <> old.normal_side) then
          raise exception 'ledger account %: code, type and normal side never change', old.code using errcode = 'LG002';
        end if;
        return null;
      end $$;
      alter table ledger_account drop constraint ledger_account_code_check, drop constraint ledger_account_name_check,
        drop constraint ledger_account_type_check, drop constraint ledger_account_normal_side_check,
        drop constraint ledger_account_normal_side, drop constraint ledger_account_limits_ordered;
      create trigger ledger_account_checked after insert or update of code, name, type, normal_side, floor_fen, ceiling_fen
        on ledger_account for each row execute function ledger_account_checked();
      -- The guard (its function unchanged) for every update from outside a trigger: totals move only by posting. Its
      -- condition is now the depth alone; the code, type and normal side are the trigger above's.
      drop trigger ledger_account_guard on ledger_account;
      create trigger ledger_account_guard after update on ledger_account for each row when (pg_trigger_depth() = 0)
        execute function ledger_account_guard();
      do $$
      begin
        execute format('alter function ledger_account_checked() set search_path = %I, pg_temp', current_schema());
      end $$;
    `);
  }
}
