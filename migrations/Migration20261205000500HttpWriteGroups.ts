import { Migration } from '@mikro-orm/migrations';

/**
 * Several requests' envelopes in one statement (src/loans/groups.ts): what `http_write_claim` and `http_write_finish`
 * (migrations/…HttpOneStatement.ts, migrations/…WritesConfirmPrincipal.ts) do for one request, done for a group of
 * requests of one principal written together, in one transaction.
 *
 * - `http_write_claim_group` confirms each remembered token of the group (`principal_confirm`, 28000 if one no longer
 *   holds) and claims every Idempotency-Key of the group. It claims all of them or raises SQLSTATE LN005: a key used
 *   before (a replay, or a concurrent duplicate) is not the group's to answer, and each request of the group then goes
 *   its own way, where the one-request path answers the replay or waits for the duplicate.
 * - `http_write_finish_group` stores each keyed request's answer under its key and writes each request's audit row, in
 *   the order of the group.
 */
export class Migration20261205000500HttpWriteGroups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function http_write_claim_group(p_principal uuid, p_envelopes jsonb[]) returns void
      language plpgsql
      set plan_cache_mode = force_generic_plan as $$
      declare
        keyed integer;
        claimed integer;
      begin
        if exists (select 1 from unnest(p_envelopes) e where e->>'principalId' is distinct from p_principal::text) then
          raise exception 'a group of requests is written for one principal' using errcode = 'LN005';
        end if;
        perform principal_confirm(p_principal, c.confirm)
           from (select distinct e->'confirm' as confirm from unnest(p_envelopes) e where e ? 'confirm') c;
        select count(*), count(distinct e->>'key') into keyed, claimed from unnest(p_envelopes) e where e->>'key' is not null;
        if keyed = 0 then
          return;
        end if;
        if claimed = keyed then
          insert into idempotency_record (principal_id, key, method, path, request_hash, status, response)
          select p_principal, e->>'key', e->>'method', e->>'path', e->>'hash', 0, 'null'::jsonb
            from unnest(p_envelopes) e
           where e->>'key' is not null
           order by e->>'key'
          on conflict (principal_id, key) do nothing;
          get diagnostics claimed = row_count;
        end if;
        if claimed <> keyed then
          raise exception 'an Idempotency-Key of the group was used before, or twice in it' using errcode = 'LN005';
        end if;
      end $$;

      create function http_write_finish_group(p_principal uuid, p_envelopes jsonb[], p_responses jsonb[]) returns void
      language plpgsql
      set plan_cache_mode = force_generic_plan as $$
      begin
        if cardinality(p_responses) is distinct from cardinality(p_envelopes) then
          raise exception 'a group of requests needs an answer for each request' using errcode = 'LN005';
        end if;
        update idempotency_record r set status = (t.e->>'status')::integer, response = t.response
          from unnest(p_envelopes, p_responses) as t(e, response)
         where t.e->>'key' is not null and r.principal_id = p_principal and r.key = t.e->>'key';
        insert into audit_log (principal_id, request_id, method, path, status, action, detail)
        select p_principal, t.e->>'requestId', t.e->>'method', t.e->>'auditPath', (t.e->>'status')::integer,
               t.e->>'action', coalesce(t.e->'detail', '{}'::jsonb)
          from unnest(p_envelopes) with ordinality as t(e, ord)
         order by t.ord;
      end $$;
    `);
  }
}
