/**
 * A write made in one statement, its own transaction (src/http/route.ts `oneStatement`, src/loans/one-statement.ts):
 * the request's envelope that the database's `http_write_claim` and `http_write_finish` read
 * (migrations/Migration20261203001201HttpOneStatement.ts), and what such a write comes back with.
 */

/** principalId, key, method, path, hash, requestId, auditPath, action, status, detail: see the migration. */
export type WriteEnvelope = Readonly<Record<string, unknown>>;

export type OneStatementOutcome<T> =
  | { kind: 'written'; value: T }
  /** The Idempotency-Key was used before: nothing was written; this is the first request's hash and answer. */
  | { kind: 'replay'; requestHash: string; status: number; response: unknown };
