import { Migration } from '@mikro-orm/migrations';

/**
 * An enterprise's name as staff keep it (README "Security", "Enterprises and jurisdiction"):
 * staff correct an enterprise's registered name, saying why: each correction (from, to, reason, who, when) is a row
 *    of `enterprise_name_change`, written in the same transaction as the change of `enterprise.name`, never updated
 *    or deleted; PostgreSQL refuses a name changed without its record (as it does a division, 000301).
 */
export class Migration20261203001300EnterpriseFile extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table enterprise_name_change (
        id bigint generated always as identity primary key,
        enterprise_uscc text not null references enterprise (uscc),
        from_name text not null,
        to_name text not null check (length(to_name) between 1 and 200),
        reason text not null check (length(reason) between 1 and 500),
        changed_by uuid not null references principal (id),
        changed_at timestamptz not null default now(),
        created_xid xid8 not null default pg_current_xact_id(),
        constraint enterprise_name_change_changes check (to_name <> from_name)
      );
      create index enterprise_name_change_enterprise on enterprise_name_change (enterprise_uscc, id);
      create trigger enterprise_name_change_immutable before update or delete on enterprise_name_change
        for each row execute function forbid_change();
      create trigger enterprise_name_change_no_truncate before truncate on enterprise_name_change
        for each statement execute function forbid_change();

      -- A name changes only with its record, written first in the same transaction.
      create function enterprise_name_guard() returns trigger language plpgsql as $$
      begin
        if new.name is distinct from old.name and not exists (
          select 1 from enterprise_name_change c
           where c.enterprise_uscc = old.uscc and c.from_name = old.name and c.to_name = new.name
             and c.created_xid = pg_current_xact_id()) then
          raise exception 'enterprise %: the name changes only with a recorded correction (from, to, reason)', old.uscc
            using errcode = 'LN005';
        end if;
        return new;
      end $$;
      create trigger enterprise_name_guard before update on enterprise
        for each row execute function enterprise_name_guard();

    `);
  }
}
