import { Migration } from '@mikro-orm/migrations';

/**
 * One statement trigger for a posting's lines instead of two, and a chain's head found from its last link instead of
 * kept in a row that every posting updates (README "Benchmark": fewer statements and WAL records per posting):
 *
 * - `ledger_lines_posted` runs, for every statement that inserts ledger lines, what `ledger_lines_chained`
 *   (migrations/…Integrity.ts) and `ledger_lines_inserted` (migrations/…LedgerLeanWal.ts) ran one after the other, and
 *   refuses the same things with the same SQLSTATEs (LG001–LG006). The two triggers each grouped the new lines and
 *   looked their entries up again; one query now checks the entries (LG002, LG001, whether any reverses another) and
 *   builds their chain contents together.
 * - The ledger chains' heads are no longer rows of `integrity_chain`. A chain is locked by a transaction-level advisory
 *   lock (class: the oid of `ledger_chain`, key: the chain's number) held until the transaction ends, as the head's
 *   row lock was; its last link is read by the primary key of `ledger_chain` (shard, seq) after the lock is taken.
 *   The UPDATE of the head on every posting (a WAL record, the prune of its page, and the preparation of its table's
 *   checks) is gone. The primary key (shard, seq) still refuses a fork, and `ledger_chain`'s unique entry_id a second
 *   link for one entry. The heads are each chain's last link (src/integrity/export.ts); `integrity_heads_at` waits for
 *   the chains' writers by taking the same locks shared. `integrity_chain` keeps the audit log's head only.
 */
export class Migration20261203001750LedgerOneLineTrigger extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function ledger_lines_posted() returns trigger language plpgsql security definer as $$
      declare
        chain_no constant smallint := (pg_current_xact_id()::text::bigint % 16)::smallint;
        genesis constant bytea := decode(repeat('00', 32), 'hex');
        misplaced bigint;
        unbalanced bigint;
        any_reversal boolean;
        accounts_touched integer;
        accounts_updated integer := 0;
        entry_ids bigint[];
        contents text[];
        entries integer;
        previous bytea;
        last_seq bigint;
        stamped_at timestamptz;
        hashes bytea[] := '{}';
        prev_hashes bytea[] := '{}';
        offending record;
        touched record;
      begin
        if current_setting('ipl.audit_chain_held', true) = 'on' then
          raise exception 'post ledger entries before writing audit rows in the same transaction (lock order: ledger chain, then audit chain)'
            using errcode = 'LG006';
        end if;

        -- One pass over the statement's lines, grouped by entry, each entry found by its primary key: (2) the lines belong
      -- to an entry of this transaction and carry its date; (1) each entry's lines balance and are at least two; (3)
      -- whether any entry is a reversal; each entry's chain content (as migrations/…Integrity.ts wrote it).
      select min(g.entry_id) filter (where e.id is null or (e.entry).created_xid <> pg_current_xact_id()
                                          or g.first_date <> (e.entry).effective_date or g.last_date <> (e.entry).effective_date),
               min(g.entry_id) filter (where g.difference <> 0 or g.lines < 2),
               bool_or((e.entry).reverses_entry_id is not null),
               array_agg(g.entry_id order by g.entry_id),
               array_agg(integrity_ledger_entry_content(e.entry, g.content) order by g.entry_id),
               (select count(distinct n.account_id) from new_lines n)
          into misplaced, unbalanced, any_reversal, entry_ids, contents, accounts_touched
          from (select n.entry_id,
                       sum(case n.side when 'D' then n.amount_fen else -n.amount_fen end) as difference,
                       count(*) as lines,
                       min(n.effective_date) as first_date,
                       max(n.effective_date) as last_date,
                       string_agg(integrity_ledger_line_content(n, (select a.code from ledger_account a where a.id = n.account_id)),
                                  ',' order by n.line_no) as content
                  from new_lines n group by n.entry_id) g
          left join lateral (select x.id, x as entry from ledger_entry x where x.id = g.entry_id limit 1) e on true;
      -- No lines (every entry of the statement replayed an idempotency key): nothing to check, move or chain.
      if entry_ids is null then
        return null;
      end if;

        if misplaced is not null then
          raise exception 'ledger entry %: lines may be added only by the transaction that creates the entry, on its date',
            misplaced using errcode = 'LG002';
        end if;
        if unbalanced is not null then
          select sum(case side when 'D' then amount_fen else -amount_fen end) as difference, count(*) as lines into offending
            from new_lines where entry_id = unbalanced;
          raise exception 'ledger entry % does not balance (debits - credits = % fen over % lines)',
            unbalanced, offending.difference, offending.lines using errcode = 'LG001';
        end if;
        if any_reversal then
          select e.id, e.reverses_entry_id into offending
            from ledger_entry e
           where e.id = any(entry_ids) and e.reverses_entry_id is not null
             and (exists (select account_id, side, amount_fen from ledger_line where entry_id = e.id
                          except all
                          select account_id, case side when 'D' then 'C' else 'D' end, amount_fen
                            from ledger_line where entry_id = e.reverses_entry_id)
               or exists (select account_id, case side when 'D' then 'C' else 'D' end, amount_fen
                            from ledger_line where entry_id = e.reverses_entry_id
                          except all
                          select account_id, side, amount_fen from ledger_line where entry_id = e.id))
           limit 1;
          if found then
            raise exception 'ledger entry % does not mirror entry % that it reverses', offending.id, offending.reverses_entry_id
              using errcode = 'LG005';
          end if;
        end if;

        -- The chain's lock, held to the end of the transaction (one writer at a time links a chain; taken before the
      -- accounts', as the head's row lock was).
      perform pg_advisory_xact_lock('ledger_chain'::regclass::oid::integer, chain_no);

        -- (4) and (5) as migrations/…LedgerLeanWal.ts: few accounts one UPDATE each in id order, many locked in id order
      -- and updated in one statement; the back-dated limits of a limited account.
      if accounts_touched <= 8 then
          for touched in
            select account_id,
                   coalesce(sum(amount_fen) filter (where side = 'D'), 0) as debits_fen,
                   coalesce(sum(amount_fen) filter (where side = 'C'), 0) as credits_fen,
                   min(effective_date) as earliest_date,
                   max(effective_date) as latest_date
              from new_lines group by account_id order by account_id
          loop
            update ledger_account a
               set debits_fen = a.debits_fen + touched.debits_fen,
                   credits_fen = a.credits_fen + touched.credits_fen,
                   last_effective_date = greatest(a.last_effective_date, touched.latest_date)
             where a.id = touched.account_id
            returning a.id, a.code, a.normal_side, a.floor_fen, a.ceiling_fen, a.last_effective_date
              into offending;
            if not found then
              raise exception 'a ledger line names an account that does not exist' using errcode = 'LG004';
            end if;
            continue when (offending.floor_fen is null and offending.ceiling_fen is null)
                       or touched.earliest_date >= offending.last_effective_date;
            perform ledger_limits_held_since(offending.id, offending.code, offending.normal_side, offending.floor_fen,
                                             offending.ceiling_fen, touched.earliest_date);
          end loop;
        else
          perform 1 from ledger_account where id in (select account_id from new_lines) order by id for no key update;
          for offending in
            update ledger_account a
               set debits_fen = a.debits_fen + t.debits_fen,
                   credits_fen = a.credits_fen + t.credits_fen,
                   last_effective_date = greatest(a.last_effective_date, t.latest_date)
              from (select account_id,
                           coalesce(sum(amount_fen) filter (where side = 'D'), 0) as debits_fen,
                           coalesce(sum(amount_fen) filter (where side = 'C'), 0) as credits_fen,
                           min(effective_date) as earliest_date,
                           max(effective_date) as latest_date
                      from new_lines group by account_id) t
             where a.id = t.account_id
            returning a.id, a.code, a.normal_side, a.floor_fen, a.ceiling_fen, t.earliest_date, a.last_effective_date
          loop
            accounts_updated := accounts_updated + 1;
            continue when (offending.floor_fen is null and offending.ceiling_fen is null)
                       or offending.earliest_date >= offending.last_effective_date;
            perform ledger_limits_held_since(offending.id, offending.code, offending.normal_side, offending.floor_fen,
                                             offending.ceiling_fen, offending.earliest_date);
          end loop;
          if accounts_updated <> accounts_touched then
            raise exception 'a ledger line names an account that does not exist' using errcode = 'LG004';
          end if;
        end if;

        -- The chain's last link, read after its lock was taken (a statement of its own: a snapshot that sees the
      -- previous holder's commit). Two writers that read the same link would both write the next position: the
      -- primary key (shard, seq) refuses the second.
      select c.seq, c.hash into last_seq, previous from ledger_chain c where c.shard = chain_no order by c.seq desc limit 1;
        last_seq := coalesce(last_seq, 0);
        previous := coalesce(previous, genesis);
        stamped_at := clock_timestamp();
        entries := array_length(entry_ids, 1);
        if entries = 1 then
          insert into ledger_chain (shard, seq, entry_id, prev_hash, hash, chained_at)
          values (chain_no, last_seq + 1, entry_ids[1], previous, sha256(previous || convert_to(contents[1], 'UTF8')), stamped_at);
          return null;
        end if;
        for i in 1 .. entries loop
          prev_hashes[i] := previous;
          previous := sha256(previous || convert_to(contents[i], 'UTF8'));
          hashes[i] := previous;
        end loop;
        insert into ledger_chain (shard, seq, entry_id, prev_hash, hash, chained_at)
        select chain_no, last_seq + k, entry_ids[k], prev_hashes[k], hashes[k], stamped_at from generate_series(1, entries) as k;
        return null;
      end $$;

      do $$
      begin
        execute format('alter function ledger_lines_posted() set search_path = %I, pg_temp', current_schema());
        execute 'revoke all on function ledger_lines_posted() from public';
      end $$;

      drop trigger ledger_lines_chained on ledger_line;
      drop trigger ledger_lines_inserted on ledger_line;
      drop function ledger_lines_chained();
      drop function ledger_lines_inserted();
      create trigger ledger_lines_posted after insert on ledger_line
        referencing new table as new_lines for each statement execute function ledger_lines_posted();

      -- The ledger's heads are its chains' last links now: the rows that held them would only go stale.
      alter table integrity_chain disable trigger integrity_chain_no_delete;
      delete from integrity_chain where chain = 'ledger';
      alter table integrity_chain enable trigger integrity_chain_no_delete;

      -- As migrations/…Integrity.ts wrote it, but for the ledger's writers: their chains' locks, taken shared.
      create or replace function integrity_heads_at(boundary timestamptz)
      returns table (chain text, shard smallint, rows bigint, last_id bigint, last_hash bytea, last_at timestamptz)
      language plpgsql volatile security definer as $$
      declare
        genesis constant bytea := decode(repeat('00', 32), 'hex');
        last_audit bigint;
      begin
        perform 1 from integrity_chain for share;
        perform pg_advisory_xact_lock_shared('ledger_chain'::regclass::oid::integer, k) from generate_series(0, 15) as k;
        select max(a.id) into last_audit from audit_log a where a.at < boundary;
        return query
          select 'audit_log'::text, 0::smallint, (select count(*) from audit_log a where a.id <= last_audit),
                 last_audit, coalesce(x.hash, genesis), x.at
            from (select 1) one left join audit_log x on x.id = last_audit;
        return query
          select 'ledger'::text, k.shard, coalesce(l.seq, 0), x.entry_id, coalesce(x.hash, genesis), x.chained_at
            from (select generate_series(0, 15)::smallint as shard) k
            left join lateral (select max(c.seq) as seq from ledger_chain c where c.shard = k.shard and c.chained_at < boundary) l on true
            left join ledger_chain x on x.shard = k.shard and x.seq = l.seq
           order by k.shard;
      end $$;
    `);
  }
}
