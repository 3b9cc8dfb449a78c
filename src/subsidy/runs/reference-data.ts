/**
 * Reference rates and policy versions in the database. Both are append-only: a new fixing, a new
 * policy version; a run records the exact version it used.
 */
import type { Queryable } from '../../db/pool';
import { DomainError } from '../../errors';
import { SubsidyError } from '../errors';
import { checkPolicy, completeRecordedPolicy, type Policy, type RateIndex, type RawPolicy } from '../policy';
import type { RunRate } from '../types';

export interface ReferenceRate extends RunRate {
  source: string;
  recordedAt: string;
}

export async function addRate(
  db: Queryable,
  input: { index: RateIndex; effectiveDate: string; rate: string; source?: string | undefined },
  recordedBy: string,
): Promise<ReferenceRate> {
  const result = await db.query<{ rate_index: string; effective_date: string; rate: string; source: string; recorded_at: Date }>(
    `insert into reference_rate (rate_index, effective_date, rate, source, recorded_by) values ($1, $2, $3, $4, $5)
     on conflict (rate_index, effective_date) do nothing
     returning rate_index, effective_date, rate::text, source, recorded_at`,
    [input.index, input.effectiveDate, input.rate, input.source ?? 'entered by staff', recordedBy],
  );
  const row = result.rows[0];
  if (!row) {
    const existing = await db.query<{ rate: string }>(
      `select rate::text from reference_rate where rate_index = $1 and effective_date = $2`,
      [input.index, input.effectiveDate],
    );
    throw new DomainError(
      'conflict',
      `${input.index} already has a fixing effective ${input.effectiveDate} (${existing.rows[0]?.rate}); fixings are never edited`,
      [{ path: 'effectiveDate', message: 'a fixing for this index and date exists' }],
    );
  }
  return { index: row.rate_index, effectiveDate: row.effective_date, rate: row.rate, source: row.source, recordedAt: row.recorded_at.toISOString() };
}

/**
 * A page of fixings by index and effective date (of one index when given), after `after`; `next` is where the
 * following page starts, null on the last page.
 */
export async function listRates(
  db: Queryable,
  page: { index?: string | undefined; after?: [index: string, effectiveDate: string] | undefined; limit: number },
): Promise<{ items: ReferenceRate[]; next: [string, string] | null }> {
  const result = await db.query<{ rate_index: string; effective_date: string; rate: string; source: string; recorded_at: Date }>(
    `select rate_index, effective_date, rate::text, source, recorded_at from reference_rate
      where ($1::text is null or rate_index = $1) and ($2::text is null or (rate_index, effective_date) > ($2::text, $3::date))
      order by rate_index, effective_date limit $4`,
    [page.index ?? null, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
  const items = result.rows.slice(0, page.limit).map((row) => ({
    index: row.rate_index,
    effectiveDate: row.effective_date,
    rate: row.rate,
    source: row.source,
    recordedAt: row.recorded_at.toISOString(),
  }));
  const last = items[items.length - 1];
  return { items, next: result.rows.length > page.limit && last ? [last.index, last.effectiveDate] : null };
}

/** The fixing in force on `date`: the latest effective date ≤ date (docs/subsidy-rules.md "Rates"); never a zero. */
export async function rateInForce(db: Queryable, index: RateIndex, date: string): Promise<ReferenceRate> {
  const result = await db.query<{ rate_index: string; effective_date: string; rate: string; source: string; recorded_at: Date }>(
    `select rate_index, effective_date, rate::text, source, recorded_at from reference_rate
      where rate_index = $1 and effective_date <= $2 order by effective_date desc limit 1`,
    [index, date],
  );
  const row = result.rows[0];
  if (!row) {
    throw new SubsidyError('rate_not_in_force', `no ${index} fixing is in force on ${date}`, { index, date });
  }
  return { index: row.rate_index, effectiveDate: row.effective_date, rate: row.rate, source: row.source, recordedAt: row.recorded_at.toISOString() };
}

export interface StoredPolicy {
  raw: RawPolicy;
  policy: Policy;
  recordedAt: string;
}

/** A stored version, read with the parameters added since it was recorded filled in as it meant them. */
function parseStored(document: unknown, recordedAt: Date): StoredPolicy {
  const completed = completeRecordedPolicy(document);
  const check = checkPolicy(completed);
  if (!check.ok) throw new Error(`stored policy does not validate: ${JSON.stringify(check.errors)}`);
  return { raw: completed as RawPolicy, policy: check.policy, recordedAt: recordedAt.toISOString() };
}

/** A new policy or a new version of one: versions are consecutive and never overwritten. */
export async function addPolicy(db: Queryable, raw: unknown, recordedBy: string): Promise<StoredPolicy> {
  const check = checkPolicy(raw);
  if (!check.ok) {
    throw new DomainError('validation_failed', `the policy is not valid: ${check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, check.errors);
  }
  const policy = check.policy;
  const latest = await db.query<{ version: number }>(`select max(version) as version from subsidy_policy where id = $1`, [policy.id]);
  const expected = (latest.rows[0]?.version ?? 0) + 1;
  if (policy.version !== expected) {
    throw new DomainError('conflict', `policy ${policy.id}: the next version is ${expected}`, [
      { path: 'version', message: `must be ${expected}` },
    ]);
  }
  const result = await db.query<{ recorded_at: Date }>(
    `insert into subsidy_policy (id, version, document, recorded_by) values ($1, $2, $3, $4)
     on conflict (id, version) do nothing returning recorded_at`,
    [policy.id, policy.version, JSON.stringify(raw), recordedBy],
  );
  if (!result.rows[0]) throw new DomainError('conflict', `policy ${policy.id} version ${policy.version} exists`);
  return { raw: raw as RawPolicy, policy, recordedAt: result.rows[0].recorded_at.toISOString() };
}

/** A policy version, or its latest version when none is given. */
export async function getPolicy(db: Queryable, id: string, version?: number): Promise<StoredPolicy> {
  const result = await db.query<{ document: unknown; recorded_at: Date }>(
    `select document, recorded_at from subsidy_policy where id = $1 and ($2::int is null or version = $2)
      order by version desc limit 1`,
    [id, version ?? null],
  );
  const row = result.rows[0];
  if (!row) throw new DomainError('not_found', `no policy ${id}${version ? ` version ${version}` : ''}`);
  return parseStored(row.document, row.recorded_at);
}

export async function listPolicies(db: Queryable): Promise<StoredPolicy[]> {
  const result = await db.query<{ document: unknown; recorded_at: Date }>(
    `select document, recorded_at from subsidy_policy order by id, version`,
  );
  return result.rows.map((row) => parseStored(row.document, row.recorded_at));
}

/** A page of policy versions by id and version, after `after`; `next` is null on the last page. */
export async function pagePolicies(
  db: Queryable,
  page: { after?: [id: string, version: number] | undefined; limit: number },
): Promise<{ items: StoredPolicy[]; next: [string, number] | null }> {
  const result = await db.query<{ id: string; version: number; document: unknown; recorded_at: Date }>(
    `select id, version, document, recorded_at from subsidy_policy
      where $1::text is null or (id, version) > ($1::text, $2::int)
      order by id, version limit $3`,
    [page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
  const rows = result.rows.slice(0, page.limit);
  const last = rows[rows.length - 1];
  return { items: rows.map((row) => parseStored(row.document, row.recorded_at)), next: result.rows.length > page.limit && last ? [last.id, last.version] : null };
}
