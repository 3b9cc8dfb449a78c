/**
 * Staff's records that an enterprise is not an independent legal person, or not in normal operation, for a period
 * (001 § 20 "具有独立法人资格…并正常生产经营的企业"). A policy whose `enterpriseConditions` parameter sets these
 * conditions makes every line of such an enterprise ineligible in the run of each year the period overlaps, naming the
 * record. A record is never edited or deleted: a wrong or obsolete one is withdrawn (dated, with a reason, once), and
 * a withdrawn record no longer counts in any run computed after. An individual business (USCC beginning 92) needs no
 * record: the policy's parameter names that prefix.
 */
import type { Queryable } from '../../db/pool';
import { DomainError } from '../../errors';
import type { EnterpriseCondition } from '../policy';

export interface EnterpriseStatusRecord {
  id: string;
  enterpriseUscc: string;
  condition: EnterpriseCondition;
  /** First day of the period. */
  from: string;
  /** Last day of the period (inclusive), or null: still so. */
  to: string | null;
  reason: string;
  recordedBy: string | null;
  recordedAt: string;
  withdrawal: { on: string; reason: string; by: string | null; at: string } | null;
}

type Row = {
  id: string;
  enterprise_uscc: string;
  condition: EnterpriseCondition;
  valid_from: string;
  valid_to: string | null;
  reason: string;
  recorded_by: string | null;
  recorded_at: Date;
  withdrawn_on: string | null;
  withdrawal_reason: string | null;
  withdrawn_by: string | null;
  withdrawn_at: Date | null;
};

const COLUMNS = `id, enterprise_uscc, condition, valid_from, valid_to, reason, recorded_by, recorded_at, withdrawn_on, withdrawal_reason,
  withdrawn_by, withdrawn_at`;

function toRecord(row: Row): EnterpriseStatusRecord {
  return {
    id: row.id,
    enterpriseUscc: row.enterprise_uscc,
    condition: row.condition,
    from: row.valid_from,
    to: row.valid_to,
    reason: row.reason,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at.toISOString(),
    withdrawal:
      row.withdrawn_on === null
        ? null
        : { on: row.withdrawn_on, reason: row.withdrawal_reason!, by: row.withdrawn_by, at: row.withdrawn_at!.toISOString() },
  };
}

async function requireEnterprise(db: Queryable, uscc: string): Promise<void> {
  const found = await db.query(`select 1 from enterprise where uscc = $1`, [uscc]);
  if (found.rowCount === 0) throw new DomainError('enterprise_not_found', `no enterprise ${uscc}`);
}

export interface NewStatusRecord {
  uscc: string;
  condition: EnterpriseCondition;
  from: string;
  to?: string | null | undefined;
  reason: string;
}

/** Records a condition of an enterprise; `from` is a day that has come (the record states a fact, not a plan). */
export async function addStatusRecord(db: Queryable, input: NewStatusRecord, by: string, today: string): Promise<EnterpriseStatusRecord> {
  await requireEnterprise(db, input.uscc);
  if (input.from > today) {
    throw new DomainError('validation_failed', `from ${input.from} is after today (${today}): a record states what is so, not a plan`, [
      { path: 'from', message: `must not be in the future (today in China is ${today})` },
    ]);
  }
  if (input.to != null && input.to < input.from) {
    throw new DomainError('validation_failed', `to ${input.to} is before from ${input.from}`, [{ path: 'to', message: 'must not be before from' }]);
  }
  const result = await db.query<Row>(
    `insert into enterprise_status_record (enterprise_uscc, condition, valid_from, valid_to, reason, recorded_by)
     values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
    [input.uscc, input.condition, input.from, input.to ?? null, input.reason, by],
  );
  return toRecord(result.rows[0]!);
}

/** Withdraws a record on `date` (not in the future), with a reason, once; the record stays, with its withdrawal. */
export async function withdrawStatusRecord(
  db: Queryable,
  uscc: string,
  id: string,
  input: { date: string; reason: string },
  by: string,
  today: string,
): Promise<EnterpriseStatusRecord> {
  if (input.date > today) {
    throw new DomainError('validation_failed', `a withdrawal is recorded when made: ${input.date} is after today (${today})`, [
      { path: 'date', message: `must not be in the future (today in China is ${today})` },
    ]);
  }
  const found = await db.query<Row>(`select ${COLUMNS} from enterprise_status_record where id = $1 and enterprise_uscc = $2 for update`, [id, uscc]);
  const row = found.rows[0];
  if (!row) throw new DomainError('not_found', `enterprise ${uscc} has no status record ${id}`);
  if (row.withdrawn_on !== null) {
    throw new DomainError('conflict', `status record ${id} was withdrawn on ${row.withdrawn_on}; a record is withdrawn once`, [], {
      withdrawnOn: row.withdrawn_on,
    });
  }
  const updated = await db.query<Row>(
    `update enterprise_status_record set withdrawn_on = $2, withdrawal_reason = $3, withdrawn_by = $4, withdrawn_at = now()
      where id = $1 returning ${COLUMNS}`,
    [id, input.date, input.reason, by],
  );
  return toRecord(updated.rows[0]!);
}

/** An enterprise's records, withdrawn ones too, oldest period first. */
export async function listStatusRecords(db: Queryable, uscc: string): Promise<EnterpriseStatusRecord[]> {
  await requireEnterprise(db, uscc);
  const result = await db.query<Row>(
    `select ${COLUMNS} from enterprise_status_record where enterprise_uscc = $1 order by valid_from, recorded_at, id`,
    [uscc],
  );
  return result.rows.map(toRecord);
}
