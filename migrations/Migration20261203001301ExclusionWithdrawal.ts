import { Migration } from '@mikro-orm/migrations';

/**
 * An exclusion (《关于全面加强知识产权工作的实施意见》 § 23) set by mistake, or whose ground has gone, is withdrawn —
 * dated, with a reason, once — and is kept: a withdrawn flag no longer counts in a run computed after, like a
 * withdrawn status record (§ 20, 000100). The flag itself never changes and is never deleted.
 */
export class Migration20261203001301ExclusionWithdrawal extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table subsidy_exclusion
        add column withdrawn_on date,
        add column withdrawal_reason text check (length(withdrawal_reason) between 1 and 500),
        add column withdrawn_by uuid references principal (id),
        add column withdrawn_at timestamptz,
        add constraint subsidy_exclusion_withdrawal check (
          (withdrawn_on is null) = (withdrawal_reason is null) and (withdrawn_on is null) = (withdrawn_at is null)),
        add constraint subsidy_exclusion_withdrawn_after_set check (
          withdrawn_on is null or withdrawn_on <= (withdrawn_at at time zone 'Asia/Shanghai')::date);
      create function subsidy_exclusion_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          raise exception 'exclusions are withdrawn, never deleted' using errcode = 'LG002';
        end if;
        if old.withdrawn_at is not null
           or (new.enterprise_uscc, new.year, new.reason, new.set_by, new.set_at)
              is distinct from (old.enterprise_uscc, old.year, old.reason, old.set_by, old.set_at) then
          raise exception 'an exclusion changes only by being withdrawn, once' using errcode = 'LG002';
        end if;
        return new;
      end $$;
      create trigger subsidy_exclusion_guard before update or delete on subsidy_exclusion
        for each row execute function subsidy_exclusion_guard();
    `);
  }
}
