import { Migration } from '@mikro-orm/migrations';

/**
 * The small SQL helpers of a single loan's and a single event's statement are planned once per connection, as the rest
 * of those statements is (README "Benchmark", single loans and events).
 *
 * A `language sql` function that PostgreSQL cannot inline into its caller's plan is parsed, analysed and planned again
 * every time the calling statement runs: its cache lives in that statement's executor state. A CPU profile of the
 * server under single loans and events (perf, local PostgreSQL 15) put about a seventh of its time in that
 * (`fmgr_sql`), every request paying it again:
 *
 * - `ledger_content_hash`, the content hash of a single event's entry, aggregates its lines with a sub-select, which
 *   no SQL function can be inlined with. It is now PL/pgSQL, whose expressions keep their plans per connection. Its
 *   bytes are unchanged: `entryContentHash` of src/ledger/posting.ts, which test/ledger.content-hash.test.ts compares
 *   it with. As before, a line with a null part is left out and no line gives an empty list.
 * - `loan_format_instant` was declared immutable, but `to_char` is only stable, so the planner would not inline a body
 *   more volatile than its declaration: it is now declared stable, which is what it is.
 * - `loan_format_yuan` was declared strict, but its body begins with a `case`, which the planner does not know to be
 *   strict, so it would not inline it: it is no longer declared strict. A null amount still gives null: every other
 *   part of the concatenation is null then.
 *
 * Each of the three returns the same value as before for every input its callers can give it (arrays of one
 * dimension, as SQL's `array[…]` and the service build them).
 */
export class Migration20261204000300SqlHelpersPlanned extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create or replace function ledger_content_hash(p_date date, p_description text, p_source_kind text, p_source_id text,
                                                     p_reverses bigint, p_codes text[], p_sides text[], p_amounts bigint[])
        returns bytea language plpgsql immutable parallel safe as $$
      declare
        line text;
        lines text;
      begin
        -- unnest of several arrays, as the SQL version read them: in order, the shorter ones padded with nulls.
        for i in 1 .. coalesce(greatest(cardinality(p_codes), cardinality(p_sides), cardinality(p_amounts)), 0) loop
          line := '[' || to_json(p_codes[i])::text || ',' || to_json(p_sides[i])::text || ',' || to_json(p_amounts[i]::text)::text || ']';
          if line is not null then
            lines := case when lines is null then line else lines || ',' || line end;
          end if;
        end loop;
        return sha256(convert_to(
          '[' || to_json(to_char(p_date, 'YYYY-MM-DD'))::text
          || ',' || to_json(p_description)::text
          || ',' || to_json(p_source_kind)::text
          || ',' || to_json(p_source_id)::text
          || ',' || coalesce(to_json(p_reverses::text)::text, 'null')
          || ',[' || coalesce(lines, '')
          || ']]', 'UTF8'));
      end $$;

      create or replace function loan_format_instant(p_at timestamptz) returns text language sql stable strict parallel safe as $$
        select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      $$;

      create or replace function loan_format_yuan(p_fen bigint) returns text language sql immutable parallel safe as $$
        select case when p_fen < 0 then '-' else '' end || (abs(p_fen) / 100)::text || '.' || lpad((abs(p_fen) % 100)::text, 2, '0')
      $$;
    `);
  }
}
