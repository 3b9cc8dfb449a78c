import { Migration } from '@mikro-orm/migrations';

/**
 * Tamper evidence for the two histories of the service: the audit log and the ledger (README "Security").
 *
 * Triggers already refuse UPDATE, DELETE and TRUNCATE of audit rows and ledger entries, and the serving role has no
 * privilege to do them nor to disable a trigger (src/db/roles.ts). The owner of the tables can still do both, so each
 * history is also a hash chain: every audit row, and every ledger entry with its lines, carries
 *
 *     hash = sha256(hash of the previous one ‖ UTF-8 of its content)
 *
 * where the content is a JSON object of every column (keys in a fixed order, instants in UTC) and the first one's
 * previous hash is 32 zero bytes. The hash is computed here, in PostgreSQL, by triggers that run for
 * every writer; a change to a chained row then shows as a row whose hash no longer matches its content, or (if its
 * hash was recomputed) as the next row no longer linking to it, up to the head recorded in `integrity_chain` and
 * published every day (src/integrity: the daily statement, the verifier).
 *
 * A chain is linked one writer at a time: its head row (`integrity_chain`) stays locked until the writing transaction
 * ends, so concurrent writers never fork it and its order is the order of commit. Holding a head through commit also
 * means waiting for the commit's disk flush, one transaction after another; so that concurrent postings still share
 * their flushes, the ledger is 16 chains side by side, a transaction's entries going to chain (its id mod 16). Measured
 * by `npm run bench -- ledger` (README "Benchmark").
 *
 * - audit_log: one chain. A BEFORE INSERT trigger takes the head, numbers the row (`id` = the previous row's + 1, so
 *   ids follow the chain) and stamps `at` with the time it was chained, then sets `prev_hash` and `hash`. Audit rows
 *   are the last writes of a transaction, so its head is held for little more than the commit.
 * - ledger: an entry's content includes its lines, which are inserted after the entry by the same statement; the
 *   statement trigger over the inserted lines chains the new entries into `ledger_chain`, one row per entry with its
 *   chain (`shard`), position there (`seq`), `prev_hash` and `hash` (rewriting the entry row itself would cost a second
 *   row version per posting). It runs before the ledger's own checks, so a transaction's head is always locked before
 *   the accounts, and a transaction uses one head only (no deadlocks between postings over heads).
 * - Lock order between the two histories: ledger first, then audit. A transaction that writes an audit row and then
 *   posts is refused (LG006) rather than left to deadlock with one that posts and then audits.
 *
 * Adding a column to a chained table: the content functions below name their columns, so the new column is not
 * covered until they do; add it as a key present only when not null, so rows written before keep their hashes
 * (test/integrity.test.ts fails until then).
 */
export class Migration20261203000300Integrity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table integrity_chain (
        chain text not null check (chain in ('audit_log', 'ledger')),
        -- The ledger's chains 0–15 (a transaction posts to chain: its id mod 16); the audit log has chain 0 only.
        shard smallint not null check (shard between 0 and 15 and (chain = 'ledger' or shard = 0)),
        rows bigint not null check (rows >= 0),
        last_id bigint,
        last_hash bytea not null check (length(last_hash) = 32),
        last_at timestamptz,
        -- The head's hash before its last move: what a posting returns as the first new entry's previous hash.
        prev_hash bytea check (length(prev_hash) = 32),
        primary key (chain, shard)
      );
      create trigger integrity_chain_no_delete before delete on integrity_chain
        for each row execute function forbid_change();
      create trigger integrity_chain_no_truncate before truncate on integrity_chain
        for each statement execute function forbid_change();

      -- Contents are JSON text built in a fixed key order (about five times cheaper than building jsonb, measured):
      -- strings through to_json, ids and amounts as strings, dates and instants (UTC) by to_char — nothing that a
      -- session setting could change. A column added later joins as a key present only when not null:
      --   || coalesce(',"new_column":' || to_json(new_column)::text, '')
      -- so rows written before keep their hashes.
      create function integrity_json(value text) returns text language sql stable parallel safe as $$
        select coalesce(to_json(value)::text, 'null')
      $$;

      -- The content of an audit row: every column but the chain's own.
      create function integrity_audit_content(a audit_log) returns text language sql stable parallel safe as $$
        select '{"id":"' || a.id
            || '","at":"' || to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
            || '","principal_id":' || integrity_json(a.principal_id::text)
            || ',"request_id":' || integrity_json(a.request_id)
            || ',"method":' || integrity_json(a.method)
            || ',"path":' || integrity_json(a.path)
            || ',"status":' || coalesce(a.status::text, 'null')
            || ',"action":' || integrity_json(a.action)
            || ',"detail":' || a.detail::text
            || '}'
      $$;

      create function integrity_ledger_line_content(l ledger_line, account_code text) returns text
        language sql stable parallel safe as $$
        select '{"line_no":' || l.line_no
            || ',"account_id":"' || l.account_id
            || '","account_code":' || integrity_json(account_code)
            || ',"side":' || integrity_json(l.side::text)
            || ',"amount_fen":"' || l.amount_fen
            || '","effective_date":"' || to_char(l.effective_date, 'YYYY-MM-DD')
            || '"}'
      $$;

      -- The content of a ledger entry: every column of the entry, then its lines in line order (each with its
      -- account's code as well as its id), 'lines' being their contents joined by commas.
      create function integrity_ledger_entry_content(e ledger_entry, lines text) returns text
        language sql stable parallel safe as $$
        select '{"id":"' || e.id
            || '","idempotency_key":' || integrity_json(e.idempotency_key)
            || ',"effective_date":"' || to_char(e.effective_date, 'YYYY-MM-DD')
            || '","description":' || integrity_json(e.description)
            || ',"source_kind":' || integrity_json(e.source_kind)
            || ',"source_id":' || integrity_json(e.source_id)
            || ',"reverses_entry_id":' || integrity_json(e.reverses_entry_id::text)
            || ',"content_hash":"' || encode(e.content_hash, 'hex')
            || '","recorded_at":"' || to_char(e.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
            || '","created_xid":"' || e.created_xid
            || '","lines":[' || coalesce(lines, '') || ']}'
      $$;

      -- ---------------------------------------------------------------------------------------------------------
      -- The audit chain.

      alter table audit_log add column prev_hash bytea, add column hash bytea;

      -- Rows written before this migration, chained in id order.
      alter table audit_log disable trigger audit_log_append_only;
      do $$
      declare
        r audit_log;
        previous bytea := decode(repeat('00', 32), 'hex');
        chained bigint := 0;
        last_row audit_log;
      begin
        for r in select * from audit_log order by id loop
          r.prev_hash := previous;
          r.hash := sha256(previous || convert_to(integrity_audit_content(r), 'UTF8'));
          update audit_log set prev_hash = r.prev_hash, hash = r.hash where id = r.id;
          previous := r.hash;
          chained := chained + 1;
          last_row := r;
        end loop;
        insert into integrity_chain (chain, shard, rows, last_id, last_hash, last_at)
        values ('audit_log', 0, chained, last_row.id, previous, last_row.at);
      end $$;
      alter table audit_log enable trigger audit_log_append_only;

      alter table audit_log
        alter column prev_hash set not null,
        alter column hash set not null,
        add constraint audit_log_hash_lengths check (length(prev_hash) = 32 and length(hash) = 32);

      create function audit_log_chained() returns trigger language plpgsql security definer as $$
      declare
        head integrity_chain;
      begin
        select * into head from integrity_chain where chain = 'audit_log' and shard = 0 for update;
        new.id := coalesce(head.last_id, 0) + 1;
        new.at := clock_timestamp();
        new.prev_hash := head.last_hash;
        new.hash := sha256(head.last_hash || convert_to(integrity_audit_content(new), 'UTF8'));
        update integrity_chain set rows = rows + 1, last_id = new.id, last_hash = new.hash, last_at = new.at
         where chain = 'audit_log' and shard = 0;
        -- Read by ledger_lines_chained: this transaction holds the audit head (see "Lock order" above).
        perform set_config('ipl.audit_chain_held', 'on', true);
        return new;
      end $$;
      create trigger audit_log_chained before insert on audit_log
        for each row execute function audit_log_chained();

      -- ---------------------------------------------------------------------------------------------------------
      -- The ledger chain.

      create table ledger_chain (
        shard smallint not null check (shard between 0 and 15),
        seq bigint not null check (seq >= 1),
        -- No foreign key: the trigger below chains only entries it has just joined; the verifier names a chain row
        -- whose entry is gone.
        entry_id bigint not null unique,
        prev_hash bytea not null check (length(prev_hash) = 32),
        hash bytea not null check (length(hash) = 32),
        chained_at timestamptz not null,
        primary key (shard, seq)
      );
      create trigger ledger_chain_immutable before update or delete on ledger_chain
        for each row execute function forbid_change();
      create trigger ledger_chain_no_truncate before truncate on ledger_chain
        for each statement execute function forbid_change();

      -- Entries posted before this migration, chained in id order on chain 0.
      do $$
      declare
        r record;
        previous bytea := decode(repeat('00', 32), 'hex');
        pos bigint := 0;
        last_entry bigint;
        now_at timestamptz := clock_timestamp();
      begin
        for r in
          select e.id, integrity_ledger_entry_content(e,
                   (select string_agg(integrity_ledger_line_content(l, a.code), ',' order by l.line_no)
                      from ledger_line l left join ledger_account a on a.id = l.account_id
                     where l.entry_id = e.id)) as content
            from ledger_entry e order by e.id
        loop
          pos := pos + 1;
          insert into ledger_chain (shard, seq, entry_id, prev_hash, hash, chained_at)
          values (0, pos, r.id, previous, sha256(previous || convert_to(r.content, 'UTF8')), now_at)
          returning hash into previous;
          last_entry := r.id;
        end loop;
        insert into integrity_chain (chain, shard, rows, last_id, last_hash, last_at)
        values ('ledger', 0, pos, last_entry, previous, case when pos > 0 then now_at end);
        insert into integrity_chain (chain, shard, rows, last_id, last_hash, last_at)
        select 'ledger', k, 0, null, decode(repeat('00', 32), 'hex'), null from generate_series(1, 15) k;
      end $$;

      -- sha256(…sha256(sha256(start ‖ c1) ‖ c2)… ‖ cn): the head after chaining contents c1…cn.
      create function integrity_fold(start bytea, contents text[]) returns bytea
        language plpgsql immutable strict parallel safe as $$
      declare
        folded bytea := start;
        content text;
      begin
        foreach content in array contents loop
          folded := sha256(folded || convert_to(content, 'UTF8'));
        end loop;
        return folded;
      end $$;

      -- Once per INSERT statement of lines (every posting is one): chains the entries whose lines it inserted. One
      -- UPDATE locks the head, moves it past the new entries and stamps the time (after any wait for the lock, so
      -- chain times only grow); the entries' own links are then recomputed from the previous head it returns.
      create function ledger_lines_chained() returns trigger language plpgsql security definer as $$
      declare
        entry_ids bigint[];
        contents text[];
        entries integer;
        previous bytea;
        chained bigint;
        stamped_at timestamptz;
        prev_hashes bytea[] := '{}';
        hashes bytea[] := '{}';
        -- This transaction's chain: consecutive transactions take consecutive ids, so concurrent ones rarely share one.
        chain_no constant smallint := (pg_current_xact_id()::text::bigint % 16)::smallint;
      begin
        if current_setting('ipl.audit_chain_held', true) = 'on' then
          raise exception 'post ledger entries before writing audit rows in the same transaction (lock order: ledger chain, then audit chain)'
            using errcode = 'LG006';
        end if;
        -- Both arrays aggregate the same rows in the same order: entry_ids[k] is the entry of contents[k]. (The
        -- order of the new entries in the chain is that order; nothing needs it to be any other.) The entries and
        -- the accounts' codes are fetched by primary key, one lookup each (lateral, and a subquery per line): joined
        -- plainly, a batch's plan picked while the ledger was small read the whole of ledger_entry (measured).
        select array_agg(c.id), array_agg(c.content) into entry_ids, contents
          from (select g.entry_id as id, integrity_ledger_entry_content(f.entry, g.lines) as content
                  from (select n.entry_id,
                               string_agg(integrity_ledger_line_content(n, (select a.code from ledger_account a where a.id = n.account_id)),
                                          ',' order by n.line_no) as lines
                          from new_lines n
                         group by n.entry_id) g
                  -- limit 1: kept a parameterised lookup, not flattened into a join the planner may hash.
                  cross join lateral (select e as entry from ledger_entry e where e.id = g.entry_id limit 1) f
                 -- Lines for an entry of an earlier transaction are refused by ledger_lines_inserted (LG002).
                 where (f.entry).created_xid = pg_current_xact_id()) c;
        entries := coalesce(array_length(entry_ids, 1), 0);
        if entries = 0 then
          return null;
        end if;
        if entries = 1 then
          -- One entry (every single posting): head and link in one statement.
          with head as (
            update integrity_chain h
               set rows = h.rows + 1, last_id = entry_ids[1], prev_hash = h.last_hash,
                   last_hash = sha256(h.last_hash || convert_to(contents[1], 'UTF8')), last_at = clock_timestamp()
             where h.chain = 'ledger' and h.shard = chain_no
            returning h.rows, h.prev_hash, h.last_hash, h.last_at)
          insert into ledger_chain (shard, seq, entry_id, prev_hash, hash, chained_at)
          select chain_no, head.rows, entry_ids[1], head.prev_hash, head.last_hash, head.last_at from head;
          return null;
        end if;
        update integrity_chain h
           set rows = h.rows + entries, last_id = entry_ids[entries], prev_hash = h.last_hash,
               last_hash = integrity_fold(h.last_hash, contents), last_at = clock_timestamp()
         where h.chain = 'ledger' and h.shard = chain_no
        returning h.prev_hash, h.rows, h.last_at into previous, chained, stamped_at;
        for i in 1 .. entries loop
          prev_hashes[i] := previous;
          previous := sha256(previous || convert_to(contents[i], 'UTF8'));
          hashes[i] := previous;
        end loop;
        -- An entry's lines come in one statement: a second statement adding lines to it (same transaction) would
        -- chain it twice, and is refused by ledger_chain's unique entry_id.
        insert into ledger_chain (shard, seq, entry_id, prev_hash, hash, chained_at)
        select chain_no, chained - entries + k, entry_ids[k], prev_hashes[k], hashes[k], stamped_at
          from generate_series(1, entries) as k;
        return null;
      end $$;
      create trigger ledger_lines_chained after insert on ledger_line
        referencing new table as new_lines for each statement execute function ledger_lines_chained();

      -- The ledger's statement trigger moves the accounts' running totals: it runs as the owner, so the serving role
      -- needs no UPDATE on ledger_account at all.
      alter function ledger_lines_inserted() security definer;

      -- Security-definer functions resolve names in this schema only (never in a session's temporary schema), and
      -- nobody but the serving role calls them.
      do $$
      declare
        f regprocedure;
      begin
        foreach f in array array['audit_log_chained()', 'ledger_lines_chained()', 'ledger_lines_inserted()']::regprocedure[] loop
          execute format('alter function %s set search_path = %I, pg_temp', f, current_schema());
          execute format('revoke all on function %s from public', f);
        end loop;
      end $$;

      -- What a daily statement holds: each chain's head at the end of a day (its last row chained before 'boundary'),
      -- after waiting for any transaction still holding a head, so that a row chained before the boundary but not yet
      -- committed is counted. Rows are chained in time order ('at' and 'chained_at' are stamped under the head's
      -- lock), so "chained before the boundary" is a prefix of the chain. Security definer: the serving role may read
      -- the heads, not lock them.
      create function integrity_heads_at(boundary timestamptz)
      returns table (chain text, shard smallint, rows bigint, last_id bigint, last_hash bytea, last_at timestamptz)
      language plpgsql volatile security definer as $$
      declare
        genesis constant bytea := decode(repeat('00', 32), 'hex');
        last_audit bigint;
      begin
        perform 1 from integrity_chain for share;
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
      do $$
      begin
        execute format('alter function integrity_heads_at(timestamptz) set search_path = %I, pg_temp', current_schema());
        execute 'revoke all on function integrity_heads_at(timestamptz) from public';
      end $$;
    `);
  }
}
