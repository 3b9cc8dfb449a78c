import { Migration } from '@mikro-orm/migrations';

/**
 * The white-list of enterprises with high-value patents that the district pushes to partner banks (《云阳县高价值发明专利质量提升行动方案（2022—2024年）》; the console's
 * "企业"). A listing has a reason and a validity period; removing it keeps the row with who removed it, when and why.
 * Nothing else about a listing ever changes.
 */
export class Migration20261123000006Whitelist extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table enterprise_whitelist (
        id uuid primary key default gen_random_uuid(),
        enterprise_uscc text not null references enterprise (uscc),
        reason text not null check (length(reason) between 1 and 500),
        valid_from date not null,
        valid_to date not null,
        added_by uuid references principal (id),
        added_at timestamptz not null default now(),
        removed_by uuid references principal (id),
        removed_at timestamptz,
        removal_reason text check (length(removal_reason) between 1 and 500),
        constraint enterprise_whitelist_period check (valid_to >= valid_from),
        constraint enterprise_whitelist_removal check ((removed_at is null) = (removal_reason is null))
      );
      create index enterprise_whitelist_enterprise on enterprise_whitelist (enterprise_uscc, valid_from);

      create function enterprise_whitelist_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          raise exception 'white-list listings are removed, never deleted' using errcode = 'LG002';
        end if;
        if old.removed_at is not null
           or (new.enterprise_uscc, new.reason, new.valid_from, new.valid_to, new.added_by, new.added_at)
              is distinct from (old.enterprise_uscc, old.reason, old.valid_from, old.valid_to, old.added_by, old.added_at) then
          raise exception 'a white-list listing changes only by being removed, once' using errcode = 'LG002';
        end if;
        return new;
      end $$;
      create trigger enterprise_whitelist_guard before update or delete on enterprise_whitelist
        for each row execute function enterprise_whitelist_guard();
    `);
  }
}
