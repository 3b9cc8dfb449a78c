import fs from 'node:fs';
import path from 'node:path';
import { Migration } from '@mikro-orm/migrations';
import { projectRoot } from '../src/db/server';
import { rawShippedPolicies } from '../src/subsidy/policies';

/**
 * Interest subsidies: reference rates, policies as versioned records, the inputs staff enter (exclusions,
 * other support, local contributions, fees, premiums), yearly runs with their lines, objections and payments.
 *
 * - Rates and policy versions are append-only: a change is a new fixing or a new version, never an edit.
 * - A run's lines may change only while the run is a draft (recomputation); from `reviewed` on they are frozen
 *   (docs/subsidy-rules.md "Workflow"), and the run's amounts with them.
 * - One approved regular run per policy and year; a correction is an adjustment run.
 * The money itself moves in the ledger: approval posts expense against a payable per run, enterprise and funding body;
 * payments clear the payables (floor 0: a body cannot pay more than its share).
 */
export class Migration20261123000004Subsidy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table reference_rate (
        rate_index text not null check (rate_index in ('LPR1Y', 'LPR5Y', 'PBOC_LE1Y', 'PBOC_1TO5Y', 'PBOC_GT5Y')),
        effective_date date not null,
        rate numeric not null check (rate > 0 and rate < 1),
        source text not null check (length(source) between 1 and 300),
        recorded_by uuid references principal (id),
        recorded_at timestamptz not null default now(),
        primary key (rate_index, effective_date)
      );
      create trigger reference_rate_append_only before update or delete on reference_rate
        for each row execute function forbid_change();

      create table subsidy_policy (
        id text not null check (id ~ '^[a-z0-9][a-z0-9-]*$' and length(id) <= 63),
        version integer not null check (version >= 1),
        document jsonb not null,
        recorded_by uuid references principal (id),
        recorded_at timestamptz not null default now(),
        primary key (id, version),
        constraint subsidy_policy_document_matches check (document ->> 'id' = id and (document ->> 'version')::int = version)
      );
      create trigger subsidy_policy_append_only before update or delete on subsidy_policy
        for each row execute function forbid_change();

      -- 《关于全面加强知识产权工作的实施意见》 § 23: an enterprise flagged for a year gets nothing that year; the flag, its reason and who set it are kept.
      create table subsidy_exclusion (
        id uuid primary key default gen_random_uuid(),
        enterprise_uscc text not null references enterprise (uscc),
        year integer not null check (year between 2000 and 2100),
        reason text not null check (length(reason) between 1 and 500),
        set_by uuid references principal (id),
        set_at timestamptz not null default now()
      );
      create index subsidy_exclusion_year on subsidy_exclusion (year);

      -- 袁府办字〔2023〕25号 奖励认定 1; 《关于全面加强知识产权工作的实施意见》 § 21: support the same loan received from another programme of a fiscal level.
      create table subsidy_other_support (
        id uuid primary key default gen_random_uuid(),
        loan_id uuid not null references loan (id),
        programme text not null check (length(programme) between 1 and 200),
        fiscal_level text not null check (fiscal_level in ('province', 'city', 'district', 'county', 'national')),
        amount_fen bigint not null check (amount_fen > 0),
        -- The year the support belongs to: only that year's run nets it (an accrual loan is paid over two runs).
        -- Null: netted in every run of the loan.
        year integer check (year between 2000 and 2100),
        recorded_by uuid references principal (id),
        recorded_at timestamptz not null default now()
      );
      create index subsidy_other_support_loan on subsidy_other_support (loan_id);

      -- 《关于全面加强知识产权工作的实施意见》 § 22: each enterprise's local contribution for a year; the latest record for (enterprise, year) counts.
      create table subsidy_contribution (
        id uuid primary key default gen_random_uuid(),
        enterprise_uscc text not null references enterprise (uscc),
        year integer not null check (year between 2000 and 2100),
        amount_fen bigint not null check (amount_fen >= 0),
        recorded_by uuid references principal (id),
        recorded_at timestamptz not null default clock_timestamp()
      );
      create index subsidy_contribution_year on subsidy_contribution (year, enterprise_uscc, recorded_at);

      -- 袁府办字〔2023〕25号 四(三)2: evaluation, guarantee and insurance fees paid for a loan.
      create table loan_fee (
        id uuid primary key default gen_random_uuid(),
        loan_id uuid not null references loan (id),
        kind text not null check (kind in ('evaluation', 'guarantee', 'insurance')),
        amount_fen bigint not null check (amount_fen > 0),
        paid_on date not null,
        recorded_by uuid references principal (id),
        recorded_at timestamptz not null default now()
      );
      create index loan_fee_loan on loan_fee (loan_id);

      -- 《关于全面加强知识产权工作的实施意见》 § 6: patent-insurance premiums an enterprise paid.
      create table subsidy_premium (
        id uuid primary key default gen_random_uuid(),
        enterprise_uscc text not null references enterprise (uscc),
        amount_fen bigint not null check (amount_fen > 0),
        paid_on date not null,
        recorded_by uuid references principal (id),
        recorded_at timestamptz not null default now()
      );

      create table subsidy_run (
        id uuid primary key default gen_random_uuid(),
        policy_id text not null,
        policy_version integer not null,
        year integer not null check (year between 2000 and 2100),
        kind text not null check (kind in ('regular', 'adjustment')),
        adjusts_run_id uuid references subsidy_run (id),
        status text not null check (status in ('draft', 'reviewed', 'publicised', 'approved', 'partially_paid', 'paid')),
        budget jsonb,
        total_fen bigint not null check (total_fen >= 0),
        totals jsonb not null,
        result jsonb not null,
        computed_at timestamptz not null,
        created_by uuid references principal (id),
        created_at timestamptz not null default now(),
        reviewed_by uuid references principal (id),
        reviewed_at timestamptz,
        publicity_from date,
        publicity_to date,
        publicised_by uuid references principal (id),
        publicised_at timestamptz,
        approved_by uuid references principal (id),
        approved_at timestamptz,
        approved_on date,
        line_count integer not null default 0 check (line_count >= 0),
        -- The parts of the lines' traces that many lines share (policy, clauses, interpretations, rate, …), stored once:
        -- a line's stored trace names them as {"$part": n} (src/subsidy/runs/store.ts), and the lines are read whole.
        trace_parts json not null default '[]',
        foreign key (policy_id, policy_version) references subsidy_policy (id, version),
        constraint subsidy_run_approval_recorded check (
          (status in ('approved', 'partially_paid', 'paid')) = (approved_at is not null and approved_on is not null)),
        constraint subsidy_run_publicity_recorded check (
          status in ('draft', 'reviewed') or (publicity_from is not null and publicity_to is not null)),
        constraint subsidy_run_adjusts check ((kind = 'adjustment') = (adjusts_run_id is not null)),
        constraint subsidy_run_publicity check (publicity_from is null or publicity_to >= publicity_from)
      );
      create unique index subsidy_run_one_approved on subsidy_run (policy_id, year)
        where kind = 'regular' and status in ('approved', 'partially_paid', 'paid');

      create table subsidy_run_line (
        run_id uuid not null references subsidy_run (id),
        line_no integer not null check (line_no >= 1),
        line_key text not null,
        kind text not null,
        loan_id uuid references loan (id),
        enterprise_uscc text not null,
        right_type text,
        origin_year integer,
        amount_fen bigint not null check (amount_fen >= 0),
        shares jsonb not null,
        eligible boolean not null,
        reasons jsonb not null,
        -- json, not jsonb: the trace is only ever stored and served whole, in the engine's key order; json keeps the
        -- text as written (no parse into jsonb on the way in, no re-print on the way out).
        trace json not null,
        primary key (run_id, line_no),
        unique (run_id, line_key)
      );
      create index subsidy_run_line_enterprise on subsidy_run_line (enterprise_uscc, run_id);

      -- Amounts are frozen from 'reviewed' on (docs/subsidy-rules.md "Workflow"): a run's figures change only
      -- while it is a draft, its status only moves forward along the workflow, and only a draft can be deleted.
      create function subsidy_run_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          if old.status <> 'draft' then
            raise exception 'subsidy run % is %: it cannot be deleted', old.id, old.status using errcode = 'SB001';
          end if;
          return old;
        end if;
        if old.status <> 'draft' and (new.total_fen, new.totals, new.result, new.policy_id, new.policy_version, new.budget,
                                      new.year, new.kind, new.line_count, new.computed_at, new.trace_parts::text)
             is distinct from (old.total_fen, old.totals, old.result, old.policy_id, old.policy_version, old.budget,
                               old.year, old.kind, old.line_count, old.computed_at, old.trace_parts::text) then
          raise exception 'subsidy run % is %: its amounts are frozen', old.id, old.status using errcode = 'SB001';
        end if;
        if old.status in ('approved', 'partially_paid', 'paid')
           and (new.approved_at, new.approved_on, new.approved_by, new.publicity_from, new.publicity_to)
               is distinct from (old.approved_at, old.approved_on, old.approved_by, old.publicity_from, old.publicity_to) then
          raise exception 'subsidy run % is %: its approval is final', old.id, old.status using errcode = 'SB001';
        end if;
        if new.status <> old.status and (old.status, new.status) not in (
             ('draft', 'reviewed'), ('reviewed', 'publicised'), ('publicised', 'approved'),
             ('approved', 'partially_paid'), ('approved', 'paid'), ('partially_paid', 'paid')) then
          raise exception 'subsidy run %: % -> % is not a step of the workflow', old.id, old.status, new.status
            using errcode = 'SB002';
        end if;
        return new;
      end $$;
      create trigger subsidy_run_guard before update or delete on subsidy_run
        for each row execute function subsidy_run_guard();

      -- Lines: once per statement over all the rows it touched (a run of 100,000 lines is one check, not 100,000).
      create function subsidy_run_lines_frozen() returns trigger language plpgsql as $$
      declare
        offending record;
      begin
        select r.id, r.status into offending
          from subsidy_run r
         where r.status <> 'draft'
           and r.id in (select run_id from changed_lines)
         limit 1;
        if found then
          raise exception 'subsidy run % is %: its lines are frozen', offending.id, offending.status using errcode = 'SB001';
        end if;
        return null;
      end $$;
      create trigger subsidy_run_line_inserted after insert on subsidy_run_line
        referencing new table as changed_lines for each statement execute function subsidy_run_lines_frozen();
      create trigger subsidy_run_line_updated after update on subsidy_run_line
        referencing old table as changed_lines for each statement execute function subsidy_run_lines_frozen();
      create trigger subsidy_run_line_deleted after delete on subsidy_run_line
        referencing old table as changed_lines for each statement execute function subsidy_run_lines_frozen();
      create trigger subsidy_run_line_no_truncate before truncate on subsidy_run_line
        for each statement execute function forbid_change();

      -- What an approval posted, per enterprise and funding body, and to which run's payable: a regular run credits its
      -- own payables; an adjustment run credits its own (an increase) or debits earlier runs' payables (a decrease).
      -- The split reconciliation reads this table and compares it with the ledger balances.
      create table subsidy_approval_share (
        run_id uuid not null references subsidy_run (id),
        enterprise_uscc text not null,
        body text not null references funding_body (code),
        payable_run_id uuid not null references subsidy_run (id),
        amount_fen bigint not null check (amount_fen <> 0),
        ledger_entry_id bigint not null references ledger_entry (id),
        primary key (run_id, enterprise_uscc, body, payable_run_id),
        constraint subsidy_approval_share_direction check ((payable_run_id = run_id) = (amount_fen > 0))
      );
      create index subsidy_approval_share_payable on subsidy_approval_share (payable_run_id);
      create trigger subsidy_approval_share_append_only before update or delete on subsidy_approval_share
        for each row execute function forbid_change();

      create table subsidy_objection (
        id uuid primary key default gen_random_uuid(),
        run_id uuid not null references subsidy_run (id),
        enterprise_uscc text,
        loan_id uuid,
        text text not null check (length(text) between 1 and 2000),
        raised_by uuid references principal (id),
        raised_at timestamptz not null default now(),
        resolution text check (resolution in ('upheld', 'dismissed')),
        resolution_text text,
        resolved_by uuid references principal (id),
        resolved_at timestamptz,
        constraint subsidy_objection_resolved check ((resolution is null) = (resolved_at is null))
      );
      create index subsidy_objection_run on subsidy_objection (run_id);
      -- An objection is resolved once; what was raised, and the resolution, are never edited.
      create function subsidy_objection_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' or old.resolution is not null
           or (new.run_id, new.enterprise_uscc, new.loan_id, new.text, new.raised_by, new.raised_at)
              is distinct from (old.run_id, old.enterprise_uscc, old.loan_id, old.text, old.raised_by, old.raised_at) then
          raise exception 'objection %: only an open objection may be resolved, once', old.id using errcode = 'SB001';
        end if;
        return new;
      end $$;
      create trigger subsidy_objection_guard before update or delete on subsidy_objection
        for each row execute function subsidy_objection_guard();

      create table subsidy_payment (
        id uuid primary key default gen_random_uuid(),
        run_id uuid not null references subsidy_run (id),
        body text not null references funding_body (code),
        amount_fen bigint not null check (amount_fen > 0),
        paid_on date not null,
        reference text not null check (length(reference) between 1 and 200),
        ledger_entry_id bigint not null references ledger_entry (id),
        recorded_by uuid references principal (id),
        recorded_at timestamptz not null default now()
      );
      create index subsidy_payment_run on subsidy_payment (run_id);
      create trigger subsidy_payment_append_only before update or delete on subsidy_payment
        for each row execute function forbid_change();

      -- How a payment was allocated across the run's enterprises (pro rata to their outstanding payables).
      create table subsidy_payment_share (
        payment_id uuid not null references subsidy_payment (id),
        enterprise_uscc text not null,
        amount_fen bigint not null check (amount_fen > 0),
        primary key (payment_id, enterprise_uscc)
      );
      create trigger subsidy_payment_share_append_only before update or delete on subsidy_payment_share
        for each row execute function forbid_change();
    `);

    // The shipped rate history (data/reference-rates.csv).
    const csv = fs.readFileSync(path.join(projectRoot(), 'data', 'reference-rates.csv'), 'utf8');
    const rows = csv.trim().split('\n').slice(1).map((line) => line.split(','));
    for (const [index, effectiveDate, rate, source] of rows) {
      if (!/^[A-Z0-9_]+$/.test(index!) || !/^\d{4}-\d{2}-\d{2}$/.test(effectiveDate!) || !/^0\.\d+$/.test(rate!)) {
        throw new Error(`data/reference-rates.csv: bad row ${[index, effectiveDate, rate].join(',')}`);
      }
      this.addSql(
        `insert into reference_rate (rate_index, effective_date, rate, source) values ('${index}', '${effectiveDate}', ${rate}, ${quote(source!)})`,
      );
    }
    // The shipped policies (src/subsidy/policies): a later change of a shipped policy is a new version in a new migration.
    for (const policy of rawShippedPolicies) {
      this.addSql(
        `insert into subsidy_policy (id, version, document) values (${quote(policy.id)}, ${policy.version}, ${quote(JSON.stringify(policy))}::jsonb)`,
      );
    }
  }
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
