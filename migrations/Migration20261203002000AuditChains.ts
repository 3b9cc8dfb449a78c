import { Migration } from '@mikro-orm/migrations';

/**
 * The audit log in 16 hash chains side by side, as the ledger is (migrations/Migration20261203000300Integrity.ts).
 *
 * One chain meant one head, locked by every audited write from its audit row to the end of its transaction, so every
 * write of the service waited for the commit's disk flush of the one before it: a ceiling of one audited write per
 * flush, whatever the machine. `pg_stat_statements` under 8 banks posting loans one by one showed each loan waiting
 * 4.8 ms on that head (README "Benchmark", "The audit log's chains").
 *
 * - A transaction's audit rows go to chain (its id mod 16): the number of the ledger chain whose lock it already holds
 *   when it has posted (migrations/Migration20261203001750LedgerOneLineTrigger.ts). The lock order stays: ledger
 *   chain, accounts, audit chain; a transaction uses one audit head only, so audit heads never deadlock.
 * - `audit_log.chain_no` records the chain of each row written from now on; rows written before are chain 0 (null).
 *   Like the hash columns it is the chain's own, outside the content: a row moved to another chain breaks the links of
 *   both.
 * - Ids come from `audit_log_chained_id`, drawn after the chain's head is locked: within a chain ids increase in chain
 *   order, so each chain is its rows in id order and an export in id order is every chain in order at once. Ids are
 *   no longer consecutive: a transaction that rolls back leaves a gap, as any sequence does; the chain, not the id,
 *   says whether a row is missing.
 * - Chains 1–15 start empty. The daily statement names them once they have a row, so the statement of a day before
 *   this migration is unchanged (src/integrity/statement.ts).
 */
export class Migration20261203002000AuditChains extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- The check that kept the audit log to chain 0 (named by PostgreSQL: it was written on the column).
      do $$
      declare
        name text;
      begin
        select conname into strict name from pg_constraint
         where conrelid = 'integrity_chain'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%shard = 0%';
        execute format('alter table integrity_chain drop constraint %I', name);
      end $$;
      alter table integrity_chain add constraint integrity_chain_shard_check check (shard between 0 and 15);
      insert into integrity_chain (chain, shard, rows, last_id, last_hash, last_at)
      select 'audit_log', s, 0, null, decode(repeat('00', 32), 'hex'), null from generate_series(1, 15) as s;

      alter table audit_log add column chain_no smallint check (chain_no between 1 and 15);

      create sequence audit_log_chained_id as bigint;
      select setval('audit_log_chained_id',
                    greatest((select max(id) from audit_log), (select last_value from audit_log_id_seq), 1));

      create or replace function audit_log_chained() returns trigger language plpgsql security definer as $$
      declare
        chain_no constant smallint := (pg_current_xact_id()::text::bigint % 16)::smallint;
        head integrity_chain;
      begin
        select * into head from integrity_chain where chain = 'audit_log' and shard = chain_no for update;
        -- Drawn under the head's lock: within a chain, ids follow the chain.
        new.id := nextval('audit_log_chained_id');
        new.chain_no := nullif(chain_no, 0);
        new.at := clock_timestamp();
        new.prev_hash := head.last_hash;
        new.hash := sha256(head.last_hash || convert_to(integrity_audit_content(new), 'UTF8'));
        update integrity_chain set rows = rows + 1, last_id = new.id, last_hash = new.hash, last_at = new.at
         where chain = 'audit_log' and shard = chain_no;
        -- Read by ledger_lines_posted: this transaction holds an audit head (lock order: ledger chain, then audit chain).
        perform set_config('ipl.audit_chain_held', 'on', true);
        return new;
      end $$;

      -- As migrations/…LedgerOneLineTrigger.ts wrote it, but for each of the audit log's chains: its last row chained
      -- before the boundary (rows are stamped under their chain's head, so those are a prefix of the chain).
      create or replace function integrity_heads_at(boundary timestamptz)
      returns table (chain text, shard smallint, rows bigint, last_id bigint, last_hash bytea, last_at timestamptz)
      language plpgsql volatile security definer as $$
      declare
        genesis constant bytea := decode(repeat('00', 32), 'hex');
      begin
        perform 1 from integrity_chain for share;
        perform pg_advisory_xact_lock_shared('ledger_chain'::regclass::oid::integer, k) from generate_series(0, 15) as k;
        return query
          select 'audit_log'::text, k.shard, coalesce(c.rows, 0), c.last_id, coalesce(x.hash, genesis), x.at
            from (select generate_series(0, 15)::smallint as shard) k
            left join (select coalesce(a.chain_no, 0) as shard, count(*) as rows, max(a.id) as last_id
                         from audit_log a where a.at < boundary group by 1) c on c.shard = k.shard
            left join audit_log x on x.id = c.last_id
           order by k.shard;
        return query
          select 'ledger'::text, k.shard, coalesce(l.seq, 0), x.entry_id, coalesce(x.hash, genesis), x.chained_at
            from (select generate_series(0, 15)::smallint as shard) k
            left join lateral (select max(c.seq) as seq from ledger_chain c where c.shard = k.shard and c.chained_at < boundary) l on true
            left join ledger_chain x on x.shard = k.shard and x.seq = l.seq
           order by k.shard;
      end $$;
      do $$
      begin
        execute format('alter function audit_log_chained() set search_path = %I, pg_temp', current_schema());
        execute format('alter function integrity_heads_at(timestamptz) set search_path = %I, pg_temp', current_schema());
      end $$;
    `);
  }
}
