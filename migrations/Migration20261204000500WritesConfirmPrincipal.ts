import { Migration } from '@mikro-orm/migrations';

/**
 * A write made in one statement confirms its caller's token itself (src/http/route.ts `handle`), so that a loan or an
 * event from a token the service has authenticated before costs one round trip instead of two.
 *
 * The service remembers which principal each token's hash named when it last authenticated it (`RememberedTokens`,
 * src/principals). For a remembered token the HTTP edge does not look the token up first: it sends in the envelope's
 * `confirm` the token's hash and the principal it expects (name, role, bank, funding body), and `http_write_claim`
 * calls the principals' `principal_confirm`, which checks, before the Idempotency-Key is claimed or anything is
 * written, that an unrevoked principal with that id, that token hash and those attributes exists.
 *
 * - If none does (the token was revoked, or the principal's row was changed by hand), it raises SQLSTATE 28000 and the
 *   statement writes nothing. The edge then forgets the token and authenticates it the usual way: 401 for a revoked
 *   token, or the request again as the principal is now.
 * - Revocation stays immediate: the check and the write read one snapshot, where before the token was checked in a
 *   statement of its own ahead of the write.
 * - Without `confirm` (a token the edge has just looked up) `http_write_claim` is as before.
 */
export class Migration20261204000500WritesConfirmPrincipal extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- The principals module's check, which the HTTP edge's function calls: the principal named, unrevoked, holding
      -- the token whose hash is given, with the attributes expected.
      create function principal_confirm(p_id uuid, p_expected jsonb) returns void language plpgsql as $$
      begin
        perform 1 from principal p
         where p.token_hash = decode(p_expected->>'tokenHash', 'hex')
           and p.id = p_id
           and p.revoked_at is null
           and p.name = p_expected->>'name'
           and p.role = p_expected->>'role'
           and p.bank_id is not distinct from (p_expected->>'bankId')::uuid
           and p.body is not distinct from p_expected->>'body';
        if not found then
          raise exception 'the token is not valid or has been revoked, or its principal has changed' using errcode = '28000';
        end if;
      end $$;

      create or replace function http_write_claim(p_envelope jsonb)
        returns table (request_hash text, status integer, response jsonb)
        language plpgsql as $$
      begin
        if p_envelope ? 'confirm' then
          perform principal_confirm((p_envelope->>'principalId')::uuid, p_envelope->'confirm');
        end if;
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
    `);
  }
}
