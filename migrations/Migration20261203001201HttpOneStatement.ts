import { Migration } from '@mikro-orm/migrations';

/**
 * The HTTP edge's part of a write made in one statement (src/http/route.ts `oneStatement`): the request's envelope —
 * who, which Idempotency-Key and request hash, the audit row's fields — as one jsonb argument, and two functions a
 * module's one-statement write calls first and last, so that the whole request (idempotency, domain write, ledger
 * posting, audit) is one statement and so one transaction, in one round trip after the token check.
 *
 * Envelope keys: principalId, key (null without Idempotency-Key), method, path (the request path the key is bound to),
 * hash (the request hash), requestId, auditPath, action, status, detail.
 *
 * - `http_write_claim(envelope)`: claims the key as the transaction path does (`insert … on conflict do nothing`,
 *   which waits for a concurrent first request with the same key to end) and returns nothing when claimed, or the
 *   first request's hash, status and answer when the key was used before: the caller then writes nothing and the
 *   edge replays that answer (or refuses another body, 409).
 * - `http_write_finish(envelope, response)`: stores the answer under the key and writes the request's audit row —
 *   the last write of the transaction, after any ledger posting (lock order: ledger chain, then audit chain).
 */
export class Migration20261203001201HttpOneStatement extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function http_write_claim(p_envelope jsonb)
        returns table (request_hash text, status integer, response jsonb)
        language plpgsql as $$
      begin
        if p_envelope->>'key' is null then
          return;
        end if;
        insert into idempotency_record (principal_id, key, method, path, request_hash, status, response)
        values ((p_envelope->>'principalId')::uuid, p_envelope->>'key', p_envelope->>'method', p_envelope->>'path',
                p_envelope->>'hash', 0, 'null'::jsonb)
        on conflict (principal_id, key) do nothing;
        if found then
          return;
        end if;
        return query
          select r.request_hash, r.status, r.response from idempotency_record r
           where r.principal_id = (p_envelope->>'principalId')::uuid and r.key = p_envelope->>'key';
      end $$;

      create function http_write_finish(p_envelope jsonb, p_response jsonb) returns void language plpgsql as $$
      begin
        if p_envelope->>'key' is not null then
          update idempotency_record set status = (p_envelope->>'status')::integer, response = p_response
           where principal_id = (p_envelope->>'principalId')::uuid and key = p_envelope->>'key';
        end if;
        insert into audit_log (principal_id, request_id, method, path, status, action, detail)
        values ((p_envelope->>'principalId')::uuid, p_envelope->>'requestId', p_envelope->>'method', p_envelope->>'auditPath',
                (p_envelope->>'status')::integer, p_envelope->>'action', coalesce(p_envelope->'detail', '{}'::jsonb));
      end $$;
    `);
  }
}
