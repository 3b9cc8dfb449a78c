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
