import { Migration } from '@mikro-orm/migrations';

/**
 * Enterprises, IP assets, loans, pledges and loan events. Every rule src/loans checks in TypeScript before
 * writing is enforced here again when writing (paired assertions):
 *
 * 1. an enterprise's USCC has the GB 32100-2015 shape and check character, unless staff recorded an override
 *    (reason, who, when) for a legal pilot code that fails it;
 * 2. an IP asset is one row per (right type, normalised number); patent and trademark numbers have their normalised
 *    shape; assets, loans and pledges are never updated or deleted (an asset backs many loans over time);
 * 3. a loan: positive principal, a rate strictly between 0 and 1, maturity after start, start not after its creation
 *    day in China, the IP-pledged amount equal to the principal for `ip_only` and within (0, principal] for
 *    `combination`; its contract number unique per bank;
 * 4. loan events are append-only; an amount exactly for the money events, and each money event carries the ledger
 *    entry that moved the loan's memo accounts by that amount; days overdue only on `overdue`; an interest period only on
 *    `interest_payment`, ordered; nothing dated before the loan's start or after the day it was recorded (China time);
 *    one settlement per loan, nothing dated after it, and the loan's outstanding principal zero on its date.
 *
 * The money rules themselves (disbursed ≤ principal, repaid ≤ outstanding at every value date) are limits of the
 * loan's ledger accounts (floor 0 on `loan:<id>:undrawn` and `loan:<id>:outstanding`), enforced by the ledger trigger.
 * SQLSTATEs raised here are class LN; src/loans maps them to domain errors.
 */
export class Migration20261123000003Loans extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- GB 32100-2015 check character (character 18) of a USCC: the mirror of usccCheckCharacter in
      -- src/loans/identifiers.ts. Values are indexes in the alphabet; weights 3^(i-1) mod 31.
      create function uscc_check_character_ok(code text) returns boolean language sql immutable strict parallel safe as $$
        select substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
                      ((31 - sum((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, t.i::int, 1)) - 1) * t.w) % 31) % 31 + 1)::int,
                      1) = substr(code, 18, 1)
          from unnest(array[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]) with ordinality as t(w, i)
      $$;

      create table enterprise (
        uscc text primary key check (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
        name text not null check (length(name) between 1 and 200),
        division_code text not null check (division_code ~ '^[0-9]{6}$'),
        -- {reason, by, at}: staff registered a legal code that fails the check.
        check_override jsonb,
        created_by uuid references principal (id),
        created_at timestamptz not null default now(),
        constraint enterprise_override_shape check (check_override is null or (
          jsonb_typeof(check_override -> 'reason') = 'string' and length(check_override ->> 'reason') between 1 and 500
          and jsonb_typeof(check_override -> 'by') = 'string' and jsonb_typeof(check_override -> 'at') = 'string')),
        constraint enterprise_uscc_checked check (check_override is not null or uscc_check_character_ok(uscc))
      );
      create index enterprise_division on enterprise (division_code);

      create table ip_asset (
        id bigint generated always as identity primary key,
        right_type text not null check (right_type in ('patent', 'trademark', 'copyright')),
        number text not null check (length(number) between 1 and 64),
        created_at timestamptz not null default now(),
        constraint ip_asset_unique unique (right_type, number),
        constraint ip_asset_patent_number check (right_type <> 'patent' or number ~ '^([0-9]{12}|[0-9]{8})\\.[0-9X]$'),
        constraint ip_asset_trademark_number check (right_type <> 'trademark' or number ~ '^[0-9]{1,9}$')
      );

      create table loan (
        id uuid primary key,
        bank_id uuid not null references bank (id),
        contract_no text not null check (length(contract_no) between 1 and 100),
        enterprise_uscc text not null references enterprise (uscc),
        principal_fen bigint not null check (principal_fen > 0),
        annual_rate numeric not null check (annual_rate > 0 and annual_rate < 1 and scale(annual_rate) <= 10),
        start_date date not null,
        maturity_date date not null,
        collateral text not null check (collateral in ('ip_only', 'combination')),
        ip_pledged_fen bigint not null,
        created_by uuid references principal (id),
        created_at timestamptz not null default now(),
        constraint loan_contract_no_per_bank unique (bank_id, contract_no),
        constraint loan_dates_ordered check (maturity_date > start_date),
        constraint loan_not_started_in_future check (start_date <= (created_at at time zone 'Asia/Shanghai')::date),
        constraint loan_ip_pledged check (case collateral
          when 'ip_only' then ip_pledged_fen = principal_fen
          else ip_pledged_fen > 0 and ip_pledged_fen <= principal_fen end)
      );
      create index loan_bank_start on loan (bank_id, start_date, id);
      create index loan_start on loan (start_date, id);
      create index loan_enterprise on loan (enterprise_uscc);

      create table pledge (
        loan_id uuid not null references loan (id),
        line_no smallint not null check (line_no between 1 and 100),
        asset_id bigint not null references ip_asset (id),
        registration_no text check (length(registration_no) between 1 and 64),
        primary key (loan_id, line_no),
        constraint pledge_asset_once_per_loan unique (loan_id, asset_id)
      );
      create index pledge_asset on pledge (asset_id);

      -- No foreign keys on loan_id, ledger_entry_id and recorded_by: the statement trigger below joins every new event
      -- to its loan, its ledger entry and its principal and refuses one that names none; per-row foreign-key checks
      -- would do the same work again, once per event (a batch has 10,000).
      create table loan_event (
        id uuid primary key,
        loan_id uuid not null,
        seq bigint generated always as identity,
        type text not null check (type in
          ('disbursement', 'interest_payment', 'principal_repayment', 'overdue', 'default', 'settlement')),
        effective_date date not null,
        recorded_at timestamptz not null default now(),
        amount_fen bigint check (amount_fen > 0),
        days_overdue integer check (days_overdue between 1 and 36500),
        period_from date,
        period_to date,
        ledger_entry_id bigint unique,
        recorded_by uuid,
        constraint loan_event_amount check (
          (type in ('disbursement', 'interest_payment', 'principal_repayment')) = (amount_fen is not null)),
        constraint loan_event_ledger_entry check ((amount_fen is not null) = (ledger_entry_id is not null)),
        constraint loan_event_days_overdue check (type = 'overdue' or days_overdue is null),
        constraint loan_event_period check (
          (period_from is null and period_to is null)
          or (type = 'interest_payment' and period_from is not null and period_to is not null and period_from <= period_to)),
        constraint loan_event_not_in_future check (effective_date <= (recorded_at at time zone 'Asia/Shanghai')::date)
      );
      create index loan_event_loan_date on loan_event (loan_id, effective_date, seq);
      create unique index loan_event_one_settlement on loan_event (loan_id) where type = 'settlement';

      create trigger enterprise_no_delete before delete on enterprise for each row execute function forbid_change();
      create trigger ip_asset_immutable before update or delete on ip_asset for each row execute function forbid_change();
      create trigger loan_immutable before update or delete on loan for each row execute function forbid_change();
      create trigger pledge_immutable before update or delete on pledge for each row execute function forbid_change();
      create trigger loan_event_immutable before update or delete on loan_event for each row execute function forbid_change();
      create trigger loan_no_truncate before truncate on loan for each statement execute function forbid_change();
      create trigger loan_event_no_truncate before truncate on loan_event for each statement execute function forbid_change();

      -- (4) once per INSERT statement over all its new events.
      create function loan_events_inserted() returns trigger language plpgsql as $$
      declare
        offending record;
      begin
        -- Every event names an existing loan and principal, and is not dated before the loan's start.
        select n.id, n.effective_date, l.id as loan_id, l.start_date, p.id as principal_id, n.recorded_by into offending
          from new_events n left join loan l on l.id = n.loan_id left join principal p on p.id = n.recorded_by
         where l.id is null or (n.recorded_by is not null and p.id is null)
            or n.effective_date < l.start_date or n.period_from < l.start_date
         limit 1;
        if found then
          if offending.loan_id is null then
            raise exception 'loan event % names no loan', offending.id using errcode = 'LN004';
          elsif offending.recorded_by is not null and offending.principal_id is null then
            raise exception 'loan event % names no principal', offending.id using errcode = 'LN004';
          end if;
          raise exception 'loan event % is dated before its loan started on %', offending.id, offending.start_date
            using errcode = 'LN001';
        end if;

        -- A money event carries the entry that moved the loan's accounts, for its amount.
        select n.id into offending
          from new_events n
          left join ledger_entry e on e.id = n.ledger_entry_id
          left join ledger_line ll on ll.entry_id = n.ledger_entry_id and ll.line_no = 1
         where n.ledger_entry_id is not null
           and (e.id is null or e.source_kind <> 'loan_event' or e.source_id <> n.id::text
                or e.effective_date <> n.effective_date or ll.amount_fen is distinct from n.amount_fen)
         limit 1;
        if found then
          raise exception 'loan event % does not match its ledger entry', offending.id using errcode = 'LN002';
        end if;

        -- Settlement: nothing dated after it, and the outstanding principal (the ledger's balance of
        -- loan:<id>:outstanding) zero at the end of its date.
        select s.loan_id, s.effective_date into offending
          from loan_event s
         where s.type = 'settlement' and s.loan_id in (select loan_id from new_events)
           and (exists (select 1 from loan_event e where e.loan_id = s.loan_id and e.effective_date > s.effective_date)
             or coalesce((select sum(case ll.side when 'D' then ll.amount_fen else -ll.amount_fen end)
                            from ledger_account a join ledger_line ll on ll.account_id = a.id
                           where a.code = 'loan:' || s.loan_id || ':outstanding' and ll.effective_date <= s.effective_date), 0) <> 0)
         limit 1;
        if found then
          raise exception 'loan %: a settlement on % needs the outstanding principal at zero and no later event',
            offending.loan_id, offending.effective_date using errcode = 'LN003';
        end if;
        return null;
      end $$;
      create trigger loan_events_inserted after insert on loan_event
        referencing new table as new_events for each statement execute function loan_events_inserted();
    `);
  }
}
