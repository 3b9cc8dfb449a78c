import { Migration } from '@mikro-orm/migrations';

/**
 * Who decides an enterprise's jurisdiction (README "Security", "Enterprises and jurisdiction"). The division where an
 * enterprise is registered decides which district's policy covers it (袁府办字〔2023〕25号 applies to enterprises
 * registered in Yuanzhou; 安政办发〔2024〕13号 to those of Ankang), so it is not a bank's to choose:
 *
 * 1. an enterprise's division is characters 3–8 of its USCC (GB 32100-2015: the registration authority's division
 *    code) unless staff recorded another with a reason (`division_reason`);
 * 2. a later correction by staff is a row of `enterprise_division_change` (from, to, reason, who, when), written in
 *    the same transaction as the change of `enterprise.division_code`, and never updated or deleted.
 */
export class Migration20261203000301EnterpriseDivision extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table enterprise add column division_reason text
        check (division_reason is null or length(division_reason) between 1 and 500);
      -- Divisions recorded before this rule, different from the USCC's and without a reason: kept, and marked for
      -- review (the console and GET /api/v1/enterprises show the reason).
      update enterprise set division_reason = '本规则实施前登记的属地与统一社会信用代码第3至8位不一致，未记录理由，待工作人员复核'
       where division_code <> substr(uscc, 3, 6);
      alter table enterprise add constraint enterprise_division_reasoned
        check (division_code = substr(uscc, 3, 6) or division_reason is not null);

      create table enterprise_division_change (
        id bigint generated always as identity primary key,
        enterprise_uscc text not null references enterprise (uscc),
        from_code text not null check (from_code ~ '^[0-9]{6}$'),
        to_code text not null check (to_code ~ '^[0-9]{6}$'),
        reason text not null check (length(reason) between 1 and 500),
        changed_by uuid not null references principal (id),
        changed_at timestamptz not null default now(),
        created_xid xid8 not null default pg_current_xact_id(),
        constraint enterprise_division_change_changes check (to_code <> from_code)
      );
      create index enterprise_division_change_enterprise on enterprise_division_change (enterprise_uscc, id);
      create trigger enterprise_division_change_immutable before update or delete on enterprise_division_change
        for each row execute function forbid_change();
      create trigger enterprise_division_change_no_truncate before truncate on enterprise_division_change
        for each statement execute function forbid_change();

      -- (2) a division changes only with its record, written first in the same transaction.
      create function enterprise_division_guard() returns trigger language plpgsql as $$
      begin
        if new.division_code is distinct from old.division_code and not exists (
          select 1 from enterprise_division_change c
           where c.enterprise_uscc = old.uscc and c.from_code = old.division_code and c.to_code = new.division_code
             and c.created_xid = pg_current_xact_id()) then
          raise exception 'enterprise %: the division changes only with a recorded correction (from, to, reason)', old.uscc
            using errcode = 'LN005';
        end if;
        if new.uscc <> old.uscc then
          raise exception 'enterprise %: the USCC never changes', old.uscc using errcode = 'LN005';
        end if;
        return new;
      end $$;
      create trigger enterprise_division_guard before update on enterprise
        for each row execute function enterprise_division_guard();
    `);
  }
}
