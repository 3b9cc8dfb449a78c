import { Migration } from '@mikro-orm/migrations';
import { rawShippedPoliciesV2 } from '../src/subsidy/policies';

/**
 * The subsidy rules read as the documents write them (docs/subsidy-rules.md):
 *
 * 1. A pledge may state the claim its registration secures (担保债权数额, `secured_fen`, at most the loan's principal),
 *    when the loan is created or once later (null → a value, never changed after): a loan that also pledges a right
 *    type a policy does not support is paid only on the part its supported pledges secure.
 * 2. A combination loan may leave its IP-pledged part unstated (`ip_pledged_fen` null): it is recorded, and every run
 *    finds it ineligible (《关于全面加强知识产权工作的实施意见》 § 6 "组合贷款中无法计算…的，不予补助").
 * 3. Staff's dated records that an enterprise is not an independent legal person or not in normal operation
 *    (《关于全面加强知识产权工作的实施意见》 § 20), withdrawn (dated, with a reason, once) but never deleted or edited.
 * 4. A run's transitions carry the day they happened (`reviewed_on`, `publicised_on`, `approved_on`), in order; the
 *    approval comes after the publicity period; a payment is not dated before the approval.
 * 5. Version 2 of each shipped policy (30E/360 day count, per-loan window cap, other support after the caps, the
 *    supported part, the enterprise conditions), as the next version of each id.
 */
export class Migration20261203000100PolicyFidelity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- (1) Secured amounts of pledges.
      alter table pledge add column secured_fen bigint check (secured_fen > 0);
      drop trigger pledge_immutable on pledge;
      create function pledge_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' or old.secured_fen is not null
           or (new.loan_id, new.line_no, new.asset_id, new.registration_no)
              is distinct from (old.loan_id, old.line_no, old.asset_id, old.registration_no) then
          raise exception 'pledge of loan % line %: only a secured amount not yet stated may be recorded, once', old.loan_id, old.line_no
            using errcode = 'LG002';
        end if;
        return new;
      end $$;
      create trigger pledge_guard before update or delete on pledge for each row execute function pledge_guard();
      create function pledge_secured_within_principal() returns trigger language plpgsql as $$
      declare
        offending record;
      begin
        select n.loan_id, n.line_no, n.secured_fen, l.principal_fen into offending
          from changed_pledges n join loan l on l.id = n.loan_id
         where n.secured_fen > l.principal_fen
         limit 1;
        if found then
          raise exception 'pledge of loan % line %: secured amount % fen exceeds the principal % fen',
            offending.loan_id, offending.line_no, offending.secured_fen, offending.principal_fen using errcode = 'LN005';
        end if;
        return null;
      end $$;
      create trigger pledge_secured_inserted after insert on pledge
        referencing new table as changed_pledges for each statement execute function pledge_secured_within_principal();
      create trigger pledge_secured_updated after update on pledge
        referencing new table as changed_pledges for each statement execute function pledge_secured_within_principal();

      -- (2) The IP part of a combination loan may be unknown.
      alter table loan alter column ip_pledged_fen drop not null;
      alter table loan drop constraint loan_ip_pledged;
      alter table loan add constraint loan_ip_pledged check (case collateral
        when 'ip_only' then ip_pledged_fen is not null and ip_pledged_fen = principal_fen
        else ip_pledged_fen is null or (ip_pledged_fen > 0 and ip_pledged_fen <= principal_fen) end);

      -- (3) 《关于全面加强知识产权工作的实施意见》 § 20: an enterprise that is not an independent legal person, or not in normal operation, for a period.
      create table enterprise_status_record (
        id uuid primary key default gen_random_uuid(),
        enterprise_uscc text not null references enterprise (uscc),
        condition text not null check (condition in ('not_independent_legal_person', 'not_in_normal_operation')),
        valid_from date not null check (valid_from between date '1990-01-01' and date '2100-12-31'),
        -- Inclusive; null: still so.
        valid_to date check (valid_to between date '1990-01-01' and date '2100-12-31'),
        reason text not null check (length(reason) between 1 and 500),
        recorded_by uuid references principal (id),
        recorded_at timestamptz not null default now(),
        withdrawn_on date,
        withdrawal_reason text check (length(withdrawal_reason) between 1 and 500),
        withdrawn_by uuid references principal (id),
        withdrawn_at timestamptz,
        constraint enterprise_status_record_period check (valid_to is null or valid_to >= valid_from),
        constraint enterprise_status_record_withdrawal check (
          (withdrawn_on is null) = (withdrawal_reason is null) and (withdrawn_on is null) = (withdrawn_at is null)),
        constraint enterprise_status_record_withdrawn_after_recorded check (
          withdrawn_on is null or withdrawn_on <= (withdrawn_at at time zone 'Asia/Shanghai')::date)
      );
      create index enterprise_status_record_enterprise on enterprise_status_record (enterprise_uscc, valid_from);
      create function enterprise_status_record_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          raise exception 'enterprise status records are withdrawn, never deleted' using errcode = 'LG002';
        end if;
        if old.withdrawn_at is not null
           or (new.enterprise_uscc, new.condition, new.valid_from, new.valid_to, new.reason, new.recorded_by, new.recorded_at)
              is distinct from (old.enterprise_uscc, old.condition, old.valid_from, old.valid_to, old.reason, old.recorded_by, old.recorded_at) then
          raise exception 'an enterprise status record changes only by being withdrawn, once' using errcode = 'LG002';
        end if;
        return new;
      end $$;
      create trigger enterprise_status_record_guard before update or delete on enterprise_status_record
        for each row execute function enterprise_status_record_guard();

      -- (4) The day each transition happened (staff load earlier years' runs with their real dates).
      alter table subsidy_run add column reviewed_on date, add column publicised_on date;
      update subsidy_run set reviewed_on = (reviewed_at at time zone 'Asia/Shanghai')::date where reviewed_at is not null;
      update subsidy_run set publicised_on = (publicised_at at time zone 'Asia/Shanghai')::date where publicised_at is not null;
      alter table subsidy_run
        add constraint subsidy_run_review_dated check ((status = 'draft') = (reviewed_on is null)),
        add constraint subsidy_run_publicity_dated check ((status in ('draft', 'reviewed')) = (publicised_on is null)),
        add constraint subsidy_run_transitions_ordered check (
          (publicised_on is null or publicised_on >= reviewed_on) and (approved_on is null or approved_on >= publicised_on)),
        add constraint subsidy_run_approved_after_publicity check (approved_on is null or approved_on > publicity_to);
      create function subsidy_run_transition_dates_final() returns trigger language plpgsql as $$
      begin
        if (old.reviewed_on is not null and new.reviewed_on is distinct from old.reviewed_on)
           or (old.publicised_on is not null and new.publicised_on is distinct from old.publicised_on) then
          raise exception 'subsidy run %: the day of a transition is never changed', old.id using errcode = 'SB001';
        end if;
        return new;
      end $$;
      create trigger subsidy_run_transition_dates_final before update on subsidy_run
        for each row execute function subsidy_run_transition_dates_final();

      -- A payment is not dated before the run's approval (checked in src/subsidy/runs/workflow.ts first).
      create function subsidy_payment_after_approval() returns trigger language plpgsql as $$
      declare
        offending record;
      begin
        select p.id, p.paid_on, r.approved_on into offending
          from new_payments p join subsidy_run r on r.id = p.run_id
         where r.approved_on is null or p.paid_on < r.approved_on
         limit 1;
        if found then
          raise exception 'subsidy payment % dated % precedes the approval (%)', offending.id, offending.paid_on, offending.approved_on
            using errcode = 'SB003';
        end if;
        return null;
      end $$;
      create trigger subsidy_payment_after_approval after insert on subsidy_payment
        referencing new table as new_payments for each statement execute function subsidy_payment_after_approval();
    `);

    // (5) The next version of each shipped policy: version 2 on a database that has only the shipped version 1.
    for (const policy of rawShippedPoliciesV2) {
      const document = JSON.stringify(policy);
      this.addSql(
        `insert into subsidy_policy (id, version, document)
         select ${quote(policy.id)}, v.next, jsonb_set(${quote(document)}::jsonb, '{version}', to_jsonb(v.next))
           from (select coalesce(max(version), 0) + 1 as next from subsidy_policy where id = ${quote(policy.id)}) v`,
      );
    }
  }
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
