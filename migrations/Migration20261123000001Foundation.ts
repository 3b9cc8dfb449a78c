import { Migration } from '@mikro-orm/migrations';

/**
 * Who may call us and what they did: banks, funding bodies, principals (hashed bearer tokens), the append-only audit
 * log and the idempotency records that make retried POSTs safe (docs/api.md "Conventions", "Who may do what").
 */
export class Migration20261123000001Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- A shared guard: rows of append-only tables are never updated or deleted, not even from a raw SQL session.
      create function forbid_change() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only: % refused', tg_table_name, tg_op
          using errcode = 'LG002', hint = 'post a correcting record instead';
      end $$;

      create table funding_body (
        code text primary key check (code ~ '^[a-z][a-z0-9_]+$' and length(code) <= 32),
        name text not null check (length(name) between 1 and 100),
        fiscal_level text not null check (fiscal_level in ('province', 'city', 'district'))
      );
      insert into funding_body (code, name, fiscal_level) values
        ('province', '省财政厅', 'province'),
        ('city', '市财政局', 'city'),
        ('district', '区财政局', 'district');

      create table bank (
        id uuid primary key default gen_random_uuid(),
        code text not null unique check (code ~ '^[A-Za-z0-9_-]+$' and length(code) <= 32),
        name text not null check (length(name) between 1 and 200),
        created_at timestamptz not null default now()
      );

      create table principal (
        id uuid primary key default gen_random_uuid(),
        name text not null check (length(name) between 1 and 200),
        role text not null check (role in ('staff', 'bank', 'finance', 'auditor')),
        bank_id uuid references bank (id),
        body text references funding_body (code),
        token_hash bytea not null unique check (length(token_hash) = 32),
        created_at timestamptz not null default now(),
        created_by uuid references principal (id),
        revoked_at timestamptz,
        -- docs/api.md: bankId is required for (and only for) bank, body for (and only for) finance.
        constraint principal_bank_binding check ((role = 'bank') = (bank_id is not null)),
        constraint principal_body_binding check ((role = 'finance') = (body is not null))
      );

      create table audit_log (
        id bigint generated always as identity primary key,
        at timestamptz not null default clock_timestamp(),
        principal_id uuid references principal (id),
        request_id text,
        method text,
        path text,
        status integer,
        action text not null,
        detail jsonb not null default '{}'::jsonb
      );
      create index audit_log_principal_at on audit_log (principal_id, at);
      create index audit_log_at on audit_log (at);
      create trigger audit_log_append_only before update or delete on audit_log
        for each row execute function forbid_change();
      create trigger audit_log_no_truncate before truncate on audit_log
        for each statement execute function forbid_change();

      -- docs/api.md: the same key with the same body returns the first response again; a different body is a 409.
      create table idempotency_record (
        principal_id uuid not null references principal (id),
        key text not null check (length(key) between 1 and 200),
        method text not null,
        path text not null,
        request_hash text not null,
        status integer not null,
        response jsonb not null,
        created_at timestamptz not null default now(),
        primary key (principal_id, key)
      );
    `);
  }
}
