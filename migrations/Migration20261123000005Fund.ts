import { Migration } from '@mikro-orm/migrations';

/**
 * The risk-compensation fund (docs/api.md "Risk-compensation fund"; 袁府办字〔2023〕25号 三(一)2, 《关于全面加强知识产权工作的实施意见》 § 6, 《江西省专利转化运用专项行动实施方案》 (十四)).
 * The money itself lives in the ledger (accounts `fund:<code>:…`, see src/fund/accounts.ts); these tables hold the
 * fund's parameters, enrolments, claims, recoveries and write-offs, each money row naming the ledger entry that moved
 * it. What src/fund checks in TypeScript is enforced here again (paired assertions):
 *
 * 1. a fund's parameters are versions keyed by effective date, never edited or deleted (a change of rule is a new
 *    version); contributions, recoveries and write-offs are append-only;
 * 2. one active enrolment per loan and fund; an enrolment changes only once, to record its withdrawal;
 * 3. a claim's amount, computation and trace never change; its status moves only submitted → approved → paid,
 *    submitted → rejected or approved → rejected, each step with its date and (for money) its ledger entry;
 * 4. the fund's cash never goes below zero: that is the floor of its ledger account (`fund:<code>:cash`, floor 0),
 *    which the ledger trigger enforces even for concurrent payments (migrations/…Ledger.ts (5)).
 */
export class Migration20261123000005Fund extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table fund (
        id uuid primary key default gen_random_uuid(),
        -- The code names the fund's ledger accounts (fund:<code>:cash): letters, digits, '_' and '-'.
        code text not null unique check (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'),
        name text not null check (length(name) between 1 and 200),
        created_by uuid references principal (id),
        created_at timestamptz not null default now()
      );

      create table fund_version (
        fund_id uuid not null references fund (id),
        version integer not null check (version >= 1),
        effective_from date not null,
        reference text not null check (length(reference) between 1 and 500),
        -- src/fund/parameters.ts StoredFundParameters: money as integer strings of fen, ratios as decimal strings.
        parameters jsonb not null check (jsonb_typeof(parameters) = 'object'
          and parameters ? 'shareOfLoss' and parameters ? 'leverage' and parameters ? 'claimAfterDaysOverdue'
          and jsonb_typeof(parameters -> 'bodies') = 'array' and jsonb_array_length(parameters -> 'bodies') >= 1),
        created_by uuid references principal (id),
        created_at timestamptz not null default now(),
        primary key (fund_id, version),
        constraint fund_version_one_per_date unique (fund_id, effective_from)
      );

      create table fund_contribution (
        id uuid primary key,
        fund_id uuid not null references fund (id),
        body text not null references funding_body (code),
        amount_fen bigint not null check (amount_fen > 0),
        contributed_on date not null,
        ledger_entry_id bigint not null unique references ledger_entry (id),
        created_by uuid references principal (id),
        created_at timestamptz not null default now()
      );
      create index fund_contribution_fund_date on fund_contribution (fund_id, contributed_on);

      create table fund_enrolment (
        id uuid primary key,
        fund_id uuid not null references fund (id),
        loan_id uuid not null references loan (id),
        bank_id uuid not null references bank (id),
        enrolled_on date not null,
        covered_principal_fen bigint not null check (covered_principal_fen > 0),
        withdrawn_on date,
        withdrawn_by uuid references principal (id),
        created_by uuid references principal (id),
        created_at timestamptz not null default now(),
        constraint fund_enrolment_withdrawal_after check (withdrawn_on is null or withdrawn_on >= enrolled_on)
      );
      -- (2) one active enrolment per loan and fund.
      create unique index fund_enrolment_one_active on fund_enrolment (fund_id, loan_id) where withdrawn_on is null;
      create index fund_enrolment_bank on fund_enrolment (fund_id, bank_id);

      create table fund_claim (
        id uuid primary key,
        fund_id uuid not null references fund (id),
        enrolment_id uuid not null references fund_enrolment (id),
        loan_id uuid not null references loan (id),
        bank_id uuid not null references bank (id),
        claim_date date not null,
        fund_version integer not null,
        -- The covered loss and the fund's part of it before caps: the fund's share of later recoveries is their ratio.
        covered_loss_fen bigint not null check (covered_loss_fen >= 0),
        fund_part_fen bigint not null check (fund_part_fen >= 0 and fund_part_fen <= covered_loss_fen),
        amount_fen bigint not null check (amount_fen > 0 and amount_fen <= fund_part_fen),
        trace jsonb not null,
        status text not null default 'submitted' check (status in ('submitted', 'approved', 'paid', 'rejected')),
        approved_on date,
        approval_entry_id bigint unique references ledger_entry (id),
        paid_on date,
        payment_entry_id bigint unique references ledger_entry (id),
        rejected_on date,
        rejection_reason text check (length(rejection_reason) between 1 and 1000),
        rejection_entry_id bigint unique references ledger_entry (id),
        created_by uuid references principal (id),
        created_at timestamptz not null default now(),
        foreign key (fund_id, fund_version) references fund_version (fund_id, version),
        -- (3) each status carries exactly the dates and entries of the steps that led to it.
        constraint fund_claim_status_shape check (case status
          when 'submitted' then approved_on is null and approval_entry_id is null and paid_on is null
                                and payment_entry_id is null and rejected_on is null and rejection_reason is null
          when 'approved' then approved_on is not null and approval_entry_id is not null and paid_on is null
                                and payment_entry_id is null and rejected_on is null and rejection_reason is null
          when 'paid' then approved_on is not null and approval_entry_id is not null and paid_on is not null
                                and payment_entry_id is not null and rejected_on is null and rejection_reason is null
          when 'rejected' then rejected_on is not null and rejection_reason is not null and paid_on is null
                                and payment_entry_id is null
                                and (approval_entry_id is null) = (rejection_entry_id is null)
          end),
        constraint fund_claim_dates_ordered check (
          (approved_on is null or approved_on >= claim_date) and (paid_on is null or paid_on >= approved_on)
          and (rejected_on is null or rejected_on >= coalesce(approved_on, claim_date)))
      );
      create index fund_claim_loan on fund_claim (fund_id, loan_id);
      create index fund_claim_bank_date on fund_claim (fund_id, bank_id, claim_date);

      create table fund_recovery (
        id uuid primary key,
        fund_id uuid not null references fund (id),
        loan_id uuid not null references loan (id),
        bank_id uuid not null references bank (id),
        -- The paid claim whose share applies.
        claim_id uuid not null references fund_claim (id),
        recovered_on date not null,
        proceeds_fen bigint not null check (proceeds_fen > 0),
        fund_share_fen bigint not null check (fund_share_fen >= 0 and fund_share_fen <= proceeds_fen),
        trace jsonb not null,
        -- No entry when the fund's share is 0 (nothing left to recover): the proceeds are still on record.
        ledger_entry_id bigint unique references ledger_entry (id),
        created_by uuid references principal (id),
        created_at timestamptz not null default now(),
        constraint fund_recovery_entry check ((fund_share_fen > 0) = (ledger_entry_id is not null))
      );
      create index fund_recovery_loan on fund_recovery (fund_id, loan_id);

      create table fund_write_off (
        id uuid primary key,
        fund_id uuid not null references fund (id),
        loan_id uuid not null references loan (id),
        written_off_on date not null,
        amount_fen bigint not null check (amount_fen > 0),
        reason text not null check (length(reason) between 1 and 1000),
        ledger_entry_id bigint not null unique references ledger_entry (id),
        created_by uuid references principal (id),
        created_at timestamptz not null default now()
      );
      create index fund_write_off_loan on fund_write_off (fund_id, loan_id);

      -- (1) append-only tables.
      create trigger fund_version_immutable before update or delete on fund_version for each row execute function forbid_change();
      create trigger fund_contribution_immutable before update or delete on fund_contribution for each row execute function forbid_change();
      create trigger fund_recovery_immutable before update or delete on fund_recovery for each row execute function forbid_change();
      create trigger fund_write_off_immutable before update or delete on fund_write_off for each row execute function forbid_change();
      create trigger fund_no_delete before delete on fund for each row execute function forbid_change();
      create trigger fund_enrolment_no_delete before delete on fund_enrolment for each row execute function forbid_change();
      create trigger fund_claim_no_delete before delete on fund_claim for each row execute function forbid_change();
      create trigger fund_no_truncate before truncate on fund for each statement execute function forbid_change();
      create trigger fund_version_no_truncate before truncate on fund_version for each statement execute function forbid_change();
      create trigger fund_contribution_no_truncate before truncate on fund_contribution for each statement execute function forbid_change();
      create trigger fund_enrolment_no_truncate before truncate on fund_enrolment for each statement execute function forbid_change();
      create trigger fund_claim_no_truncate before truncate on fund_claim for each statement execute function forbid_change();
      create trigger fund_recovery_no_truncate before truncate on fund_recovery for each statement execute function forbid_change();
      create trigger fund_write_off_no_truncate before truncate on fund_write_off for each statement execute function forbid_change();

      -- A fund's code and an enrolment's facts never change; an enrolment is withdrawn once.
      create function fund_enrolment_guard() returns trigger language plpgsql as $$
      begin
        if (new.id, new.fund_id, new.loan_id, new.bank_id, new.enrolled_on, new.covered_principal_fen, new.created_by, new.created_at)
             is distinct from (old.id, old.fund_id, old.loan_id, old.bank_id, old.enrolled_on, old.covered_principal_fen, old.created_by, old.created_at)
           or old.withdrawn_on is not null then
          raise exception 'fund enrolment %: only a withdrawal may be recorded, once', old.id using errcode = 'LG002';
        end if;
        return new;
      end $$;
      create trigger fund_enrolment_guard before update on fund_enrolment for each row execute function fund_enrolment_guard();

      create function fund_guard() returns trigger language plpgsql as $$
      begin
        if new.code <> old.code or new.id <> old.id then
          raise exception 'fund %: its id and code never change', old.code using errcode = 'LG002';
        end if;
        return new;
      end $$;
      create trigger fund_guard before update on fund for each row execute function fund_guard();

      -- (3) a claim's computation never changes; its status moves only forward along the allowed steps.
      create function fund_claim_guard() returns trigger language plpgsql as $$
      begin
        if (new.id, new.fund_id, new.enrolment_id, new.loan_id, new.bank_id, new.claim_date, new.fund_version,
            new.covered_loss_fen, new.fund_part_fen, new.amount_fen, new.trace, new.created_by, new.created_at)
           is distinct from
           (old.id, old.fund_id, old.enrolment_id, old.loan_id, old.bank_id, old.claim_date, old.fund_version,
            old.covered_loss_fen, old.fund_part_fen, old.amount_fen, old.trace, old.created_by, old.created_at) then
          raise exception 'fund claim %: its amount and computation never change', old.id using errcode = 'LG002';
        end if;
        if (old.status, new.status) not in (('submitted', 'approved'), ('submitted', 'rejected'),
                                            ('approved', 'paid'), ('approved', 'rejected')) then
          raise exception 'fund claim %: % → % is not an allowed step', old.id, old.status, new.status
            using errcode = 'FD001';
        end if;
        return new;
      end $$;
      create trigger fund_claim_guard before update on fund_claim for each row execute function fund_claim_guard();
    `);
  }
}
