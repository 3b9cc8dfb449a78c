import { Migration } from '@mikro-orm/migrations';

/**
 * A stored answer replayed for a repeated Idempotency-Key must not hold a secret: the answers of
 * `POST /api/v1/principals` stored before kept the new principal's bearer token in plain text, readable in the
 * database and replayable with the key. Their token is removed here; a replay says the token cannot be shown again
 * (the same words as src/http/routes/access.ts). The principal's token itself is kept only as its SHA-256 hash.
 */
export const PURGE_REPLAYED_TOKENS_SQL = `
  update idempotency_record
     set response = (response - 'token') || jsonb_build_object(
           'token', null,
           'tokenNotice', 'the token was issued in the first answer and is stored only as a hash: it cannot be shown again; revoke this principal and create another if it was lost')
   where jsonb_typeof(response) = 'object' and jsonb_typeof(response -> 'token') = 'string';
`;

export class Migration20261203000200ReplaysWithoutTokens extends Migration {
  override async up(): Promise<void> {
    this.addSql(PURGE_REPLAYED_TOKENS_SQL);
  }
}
