/**
 * The append-only audit log: every request, attributed to its principal. A write is recorded inside the
 * transaction of the change it describes, so the change and its audit row commit or vanish together; reads and
 * refusals are recorded after the response.
 */
import type { Queryable } from '../db/pool';

export interface AuditRecord {
  principalId: string | null;
  requestId?: string;
  method?: string;
  path?: string;
  status?: number;
  /** What happened, e.g. "POST /api/v1/banks" or "subsidy_run.approved". */
  action: string;
  detail?: Record<string, unknown>;
}

export async function recordAudit(db: Queryable, record: AuditRecord): Promise<void> {
  await db.query(
    `insert into audit_log (principal_id, request_id, method, path, status, action, detail) values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      record.principalId,
      record.requestId ?? null,
      record.method ?? null,
      record.path ?? null,
      record.status ?? null,
      record.action,
      JSON.stringify(record.detail ?? {}),
    ],
  );
}

/**
 * Several audit rows in one statement, in the order given (ids follow it: the chain's trigger numbers each row as
 * it is inserted).
 */
export async function recordAudits(db: Queryable, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  if (records.length === 1) return recordAudit(db, records[0]!);
  await db.query(
    `insert into audit_log (principal_id, request_id, method, path, status, action, detail)
     select principal_id, request_id, method, path, status, action, detail
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::text[], $7::jsonb[])
            with ordinality as t(principal_id, request_id, method, path, status, action, detail, n)
      order by n`,
    [
      records.map((record) => record.principalId),
      records.map((record) => record.requestId ?? null),
      records.map((record) => record.method ?? null),
      records.map((record) => record.path ?? null),
      records.map((record) => record.status ?? null),
      records.map((record) => record.action),
      records.map((record) => JSON.stringify(record.detail ?? {})),
    ],
  );
}

/**
 * The audit rows written after an answer (reads, refusals, replays: src/http/app.ts), grouped: a row is inserted at
 * once when none is being written, and the rows that arrive while an insert runs go together in the next one. So
 * under load the reads' rows take one statement, one commit and one turn at the audit chain's head
 * (migrations/…Integrity.ts) per group rather than per request, and idle they are written as soon as before.
 */
export class AuditQueue {
  private waiting: AuditRecord[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly db: Queryable,
    /** A row that could not be written: logged by the caller (the answer has been sent). */
    private readonly failed: (error: unknown, record: AuditRecord) => void,
  ) {}

  add(record: AuditRecord): void {
    this.waiting.push(record);
    this.writing ??= this.drain();
  }

  /** Resolves once every row added so far is written (or reported as failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting;
        this.waiting = [];
        try {
          await recordAudits(this.db, group);
        } catch (error) {
          if (group.length === 1) {
            this.failed(error, group[0]!);
            continue;
          }
          // One bad row must not take the others with it: each again on its own, each failure reported.
          for (const record of group) await recordAudit(this.db, record).catch((single: unknown) => this.failed(single, record));
        }
      }
    } finally {
      this.writing = undefined;
    }
  }
}

export interface AuditEntry {
  id: string;
  at: string;
  principalId: string | null;
  principalName: string | null;
  method: string | null;
  path: string | null;
  status: number | null;
  action: string;
  detail: Record<string, unknown>;
}

export async function listAudit(
  db: Queryable,
  filter: { principalId?: string | undefined; action?: string | undefined; from?: string | undefined; to?: string | undefined; beforeId?: bigint | undefined; limit: number },
): Promise<AuditEntry[]> {
  const result = await db.query<{
    id: bigint;
    at: Date;
    principal_id: string | null;
    principal_name: string | null;
    method: string | null;
    path: string | null;
    status: number | null;
    action: string;
    detail: Record<string, unknown>;
  }>(
    `select a.id, a.at, a.principal_id, p.name as principal_name, a.method, a.path, a.status, a.action, a.detail
       from audit_log a left join principal_directory p on p.id = a.principal_id
      where ($1::uuid is null or a.principal_id = $1)
        and ($2::text is null or a.action ilike '%' || $2 || '%')
        and ($3::date is null or a.at >= $3::date)
        and ($4::date is null or a.at < $4::date + 1)
        and ($5::bigint is null or a.id < $5)
      order by a.id desc
      limit $6`,
    [filter.principalId ?? null, filter.action ?? null, filter.from ?? null, filter.to ?? null, filter.beforeId ?? null, filter.limit],
  );
  return result.rows.map((row) => ({
    id: row.id.toString(),
    at: row.at.toISOString(),
    principalId: row.principal_id,
    principalName: row.principal_name,
    method: row.method,
    path: row.path,
    status: row.status,
    action: row.action,
    detail: row.detail,
  }));
}
