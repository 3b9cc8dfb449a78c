/**
 * Enterprises keyed by their unified social credit code (docs/api.md `POST /api/v1/enterprises`).
 *
 * Jurisdiction (README "Security", "Enterprises and jurisdiction"): an enterprise's division decides which district's
 * policy covers it (袁府办字〔2023〕25号 covers enterprises registered in Yuanzhou, 360902), so it is the division in
 * its USCC (characters 3–8, GB 32100-2015) unless staff record another with a reason; a bank that sends a different
 * `divisionCode` is refused (422 naming it). Staff correct a division later with a reason; each correction is kept
 * (`enterprise_division_change`) and audited with the old and new codes.
 *
 * Visibility: a bank sees the enterprises it lends to, those on the white-list in force today (002
 * 《云阳县高价值专利培育行动方案》: 白名单推送 — the list is pushed to every partner bank) and those its own
 * principals registered; any other enterprise is, to it, not there (404), so a bank never learns who borrows from
 * another bank. Staff, finance bureaus and auditors see every enterprise.
 */
import type { DatabaseError } from 'pg';
import { keysetSql, pageOfRows, type Keyset, type Sort, type SortColumn } from '../db/keyset';
import { todayInChina } from '../dates';
import type { Queryable } from '../db/pool';
import { DomainError, type FieldProblem } from '../errors';
import { validateUscc, type UsccRule } from './identifiers';
import { ENTERPRISE_NAME_CHARACTERS_MAX, type Enterprise } from './types';

/**
 * The rules a staff override may set aside: the two check characters. A code of the wrong length, alphabet,
 * authority, category or province is a typo, not an early pilot code, and no override registers it.
 */
const OVERRIDABLE_RULES: ReadonlySet<UsccRule> = new Set(['organisation_code_check', 'check_character']);
export const OVERRIDE_REASON_CHARACTERS_MAX = 500;
export const DIVISION_REASON_CHARACTERS_MAX = 500;

export interface NewEnterprise {
  uscc: string;
  name: string;
  divisionCode?: string | null | undefined;
  /** Staff only: why the division differs from the USCC's characters 3–8. */
  divisionReason?: string | null | undefined;
  checkOverride?: { reason: string } | null | undefined;
}

export interface Registrar {
  principalId: string;
  principalName: string;
  /** Staff: only they may override the check, or record a division other than the USCC's. */
  mayOverride: boolean;
}

/** Whose enterprises a caller sees: a bank's (see above), or (bankId null) every enterprise. */
export interface EnterpriseScope {
  bankId: string | null;
}

interface EnterpriseRow {
  uscc: string;
  name: string;
  division_code: string;
  division_reason: string | null;
  check_override: Enterprise['checkOverride'];
  created_at: Date;
}

const COLUMNS = 'e.uscc, e.name, e.division_code, e.division_reason, e.check_override, e.created_at';

const toEnterprise = (row: EnterpriseRow): Enterprise => ({
  uscc: row.uscc,
  name: row.name,
  divisionCode: row.division_code,
  divisionReason: row.division_reason,
  checkOverride: row.check_override,
  createdAt: row.created_at.toISOString(),
});

const normalised = (uscc: string) => uscc.trim().replace(/[a-z]/g, (c) => c.toUpperCase());

/** Characters 3–8 of a USCC: the division code of the authority that registered it (GB 32100-2015). */
export const usccDivision = (uscc: string) => uscc.slice(2, 8);

/** A bank's view ($1: its id, $2: today): its borrowers, today's white-list, and what it registered itself. */
const VISIBLE_TO_BANK = `(exists (select 1 from loan l where l.enterprise_uscc = e.uscc and l.bank_id = $1)
    or exists (select 1 from enterprise_whitelist w where w.enterprise_uscc = e.uscc and w.removed_at is null
                  and w.valid_from <= $2::date and w.valid_to >= $2::date)
    or exists (select 1 from principal_directory p where p.id = e.created_by and p.bank_id = $1))`;

function divisionProblems(uscc: string, input: NewEnterprise, staff: boolean): FieldProblem[] {
  const own = usccDivision(uscc);
  const reason = input.divisionReason?.trim() ? input.divisionReason.trim() : null;
  if (input.divisionCode == null) {
    return reason === null ? [] : [{ path: 'divisionReason', message: 'only with a divisionCode other than the USCC’s characters 3–8' }];
  }
  if (!/^\d{6}$/.test(input.divisionCode)) return [{ path: 'divisionCode', message: 'must be a 6-digit division code' }];
  if (input.divisionCode === own) {
    return reason === null ? [] : [{ path: 'divisionReason', message: `only with a divisionCode other than the USCC’s characters 3–8 (${own})` }];
  }
  if (!staff) {
    return [
      {
        path: 'divisionCode',
        message: `must be ${own}, characters 3–8 of the USCC (the division where it is registered): only staff record another division, with a reason`,
      },
    ];
  }
  if (reason === null) {
    return [{ path: 'divisionReason', message: `required: why the division is ${input.divisionCode} and not ${own} (characters 3–8 of the USCC)` }];
  }
  if (reason.length > DIVISION_REASON_CHARACTERS_MAX) {
    return [{ path: 'divisionReason', message: `must be 1–${DIVISION_REASON_CHARACTERS_MAX} characters` }];
  }
  return [];
}

/**
 * Registers an enterprise. A code failing GB 32100-2015 is refused naming the rule, unless staff pass an override
 * with a reason and the code fails only a check character; the override (reason, who, when) is stored on the row.
 */
export async function registerEnterprise(db: Queryable, input: NewEnterprise, registrar: Registrar): Promise<Enterprise> {
  const problems: FieldProblem[] = [];
  const checked = validateUscc(input.uscc);
  const uscc = checked.ok ? checked.uscc : input.uscc.trim().replace(/[a-z]/g, (c) => c.toUpperCase());
  let divisionCode = checked.ok ? checked.divisionCode : uscc.slice(2, 8);
  const override = input.checkOverride ?? null;
  if (override && !registrar.mayOverride) {
    throw new DomainError('forbidden', 'only staff may register an enterprise whose USCC fails the check', [
      { path: 'checkOverride', message: 'only staff may override the USCC check' },
    ]);
  }
  if (!checked.ok) {
    if (!override) {
      problems.push({ path: 'uscc', message: `${checked.rule}: ${checked.message}` });
    } else if (!OVERRIDABLE_RULES.has(checked.rule)) {
      problems.push({
        path: 'uscc',
        message: `${checked.rule}: ${checked.message} (an override sets aside only the check characters)`,
      });
    }
  } else if (override) {
    problems.push({ path: 'checkOverride', message: 'this USCC passes the check: there is nothing to override' });
  }
  if (override && (override.reason.trim() === '' || override.reason.length > OVERRIDE_REASON_CHARACTERS_MAX)) {
    problems.push({ path: 'checkOverride.reason', message: `must be 1–${OVERRIDE_REASON_CHARACTERS_MAX} characters` });
  }
  const name = input.name.trim();
  if (name === '' || [...name].length > ENTERPRISE_NAME_CHARACTERS_MAX) {
    problems.push({ path: 'name', message: `must be 1–${ENTERPRISE_NAME_CHARACTERS_MAX} characters` });
  }
  problems.push(...divisionProblems(uscc, input, registrar.mayOverride));
  if (input.divisionCode != null) divisionCode = input.divisionCode;
  if (problems.length > 0) {
    throw new DomainError('validation_failed', `the enterprise is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }

  const divisionReason = divisionCode === usccDivision(uscc) ? null : (input.divisionReason ?? '').trim();
  const checkOverride = override
    ? { reason: override.reason.trim(), by: `${registrar.principalName} (${registrar.principalId})`, at: new Date().toISOString(), rule: checked.ok ? null : checked.rule }
    : null;
  try {
    const result = await db.query<EnterpriseRow>(
      `insert into enterprise as e (uscc, name, division_code, division_reason, check_override, created_by) values ($1, $2, $3, $4, $5, $6)
       on conflict (uscc) do nothing
       returning ${COLUMNS}`,
      [uscc, name, divisionCode, divisionReason, checkOverride === null ? null : JSON.stringify(checkOverride), registrar.principalId],
    );
    const row = result.rows[0];
    if (!row) {
      throw new DomainError('conflict', `enterprise ${uscc} is already registered`, [{ path: 'uscc', message: 'already registered' }]);
    }
    return toEnterprise(row);
  } catch (error) {
    if ((error as DatabaseError).constraint === 'enterprise_uscc_checked') {
      // The database's own check character disagrees with ours: never expected, but refused either way.
      throw new DomainError('validation_failed', 'uscc: check_character', [{ path: 'uscc', message: 'check_character: refused by the database' }]);
    }
    throw error;
  }
}

/** One enterprise; to a bank, only one it may see (else `enterprise_not_found`, as if it did not exist). */
export async function getEnterprise(db: Queryable, uscc: string, scope: EnterpriseScope = { bankId: null }): Promise<Enterprise> {
  const result = await db.query<EnterpriseRow>(
    `select ${COLUMNS} from enterprise e where e.uscc = $3 and ($1::uuid is null or ${VISIBLE_TO_BANK})`,
    [scope.bankId, todayInChina(), normalised(uscc)],
  );
  if (!result.rows[0]) throw new DomainError('enterprise_not_found', `no enterprise ${uscc}`);
  return toEnterprise(result.rows[0]);
}

/** The columns the list of enterprises may be sorted by (src/db/keyset.ts). */
export const ENTERPRISE_SORT_COLUMNS = {
  uscc: { sql: 'uscc collate "C"', type: 'text' },
  name: { sql: 'name collate "C"', type: 'text' },
  createdAt: { sql: 'created_at', type: 'timestamptz' },
} satisfies Record<string, SortColumn>;

export interface EnterpriseFilter {
  divisionCode?: string | undefined;
  /** The first digits of the division code (an area). */
  divisionPrefix?: string | undefined;
  /** Part of the name. */
  name?: string | undefined;
}

/**
 * A page of enterprises, filtered and sorted on the server (default: by USCC), with the cursor of the next page; a bank
 * sees only the enterprises visible to it (see the header of this file).
 */
export async function listEnterprises(
  db: Queryable,
  filter: EnterpriseFilter,
  page: { limit: number; sort: Sort<keyof typeof ENTERPRISE_SORT_COLUMNS>; after?: Keyset | undefined },
  scope: EnterpriseScope = { bankId: null },
): Promise<{ items: Enterprise[]; next: string | null }> {
  const params: unknown[] = [scope.bankId, todayInChina(), filter.divisionCode ?? null, filter.name ?? null, filter.divisionPrefix ?? null];
  const keyset = keysetSql(ENTERPRISE_SORT_COLUMNS, page.sort, 'uscc', 'text', page.after, params);
  params.push(page.limit + 1);
  const result = await db.query<EnterpriseRow & { id: string; sort_value: string }>(
    `select e.uscc as id, ${keyset.sortValue} as sort_value, ${COLUMNS} from enterprise e
      where ($3::text is null or e.division_code = $3)
        and ($4::text is null or strpos(e.name, $4) > 0)
        and ($5::text is null or e.division_code like $5 || '%')
        and ($1::uuid is null or ${VISIBLE_TO_BANK})
        and ${keyset.where}
      order by ${keyset.orderBy} limit $${params.length}`,
    params,
  );
  const paged = pageOfRows(result.rows, page.limit, page.sort);
  return { items: paged.rows.map(toEnterprise), next: paged.next };
}

export interface DivisionCorrection {
  id: string;
  enterpriseUscc: string;
  from: string;
  to: string;
  reason: string;
  changedBy: string;
  changedByName: string | null;
  changedAt: string;
}

interface CorrectionRow {
  id: bigint;
  enterprise_uscc: string;
  from_code: string;
  to_code: string;
  reason: string;
  changed_by: string;
  changed_by_name: string | null;
  changed_at: Date;
}

const toCorrection = (row: CorrectionRow): DivisionCorrection => ({
  id: row.id.toString(),
  enterpriseUscc: row.enterprise_uscc,
  from: row.from_code,
  to: row.to_code,
  reason: row.reason,
  changedBy: row.changed_by,
  changedByName: row.changed_by_name,
  changedAt: row.changed_at.toISOString(),
});

/**
 * Staff correct an enterprise's division, saying why: the correction (from, to, reason, who, when) is recorded and the
 * enterprise's division changed in the caller's transaction (the database refuses the change without its record).
 */
export async function correctDivision(
  db: Queryable,
  uscc: string,
  input: { divisionCode: string; reason: string },
  by: { principalId: string },
): Promise<{ enterprise: Enterprise; correction: DivisionCorrection }> {
  const reason = input.reason.trim();
  const problems: FieldProblem[] = [];
  if (!/^\d{6}$/.test(input.divisionCode)) problems.push({ path: 'divisionCode', message: 'must be a 6-digit division code' });
  if (reason === '' || reason.length > DIVISION_REASON_CHARACTERS_MAX) {
    problems.push({ path: 'reason', message: `must be 1–${DIVISION_REASON_CHARACTERS_MAX} characters` });
  }
  if (problems.length > 0) {
    throw new DomainError('validation_failed', `the correction is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }
  // Locked, so that two corrections of one enterprise are recorded one after the other, each from the code before it.
  const current = await db.query<{ uscc: string; division_code: string }>(
    `select uscc, division_code from enterprise where uscc = $1 for no key update`,
    [normalised(uscc)],
  );
  const before = current.rows[0];
  if (!before) throw new DomainError('enterprise_not_found', `no enterprise ${uscc}`);
  if (before.division_code === input.divisionCode) {
    throw new DomainError('validation_failed', `enterprise ${before.uscc} is already in division ${input.divisionCode}`, [
      { path: 'divisionCode', message: `is already the enterprise's division (${input.divisionCode})` },
    ]);
  }
  const recorded = await db.query<CorrectionRow>(
    `insert into enterprise_division_change (enterprise_uscc, from_code, to_code, reason, changed_by) values ($1, $2, $3, $4, $5)
     returning id, enterprise_uscc, from_code, to_code, reason, changed_by, changed_at,
               (select name from principal_directory where id = changed_by) as changed_by_name`,
    [before.uscc, before.division_code, input.divisionCode, reason, by.principalId],
  );
  const updated = await db.query<EnterpriseRow>(
    `update enterprise e set division_code = $2, division_reason = case when $2 = substr(e.uscc, 3, 6) then null else $3 end
      where e.uscc = $1 returning ${COLUMNS}`,
    [before.uscc, input.divisionCode, reason],
  );
  return { enterprise: toEnterprise(updated.rows[0]!), correction: toCorrection(recorded.rows[0]!) };
}

/** An enterprise's division corrections, oldest first. */
export async function listDivisionCorrections(db: Queryable, uscc: string): Promise<DivisionCorrection[]> {
  const result = await db.query<CorrectionRow>(
    `select c.id, c.enterprise_uscc, c.from_code, c.to_code, c.reason, c.changed_by, p.name as changed_by_name, c.changed_at
       from enterprise_division_change c left join principal_directory p on p.id = c.changed_by
      where c.enterprise_uscc = $1 order by c.id`,
    [normalised(uscc)],
  );
  return result.rows.map(toCorrection);
}

/** A correction of an enterprise's registered name: from, to, reason, who, when (migration 001300). */
export interface NameCorrection {
  id: string;
  enterpriseUscc: string;
  from: string;
  to: string;
  reason: string;
  changedBy: string;
  changedByName: string | null;
  changedAt: string;
}

interface NameCorrectionRow {
  id: bigint;
  enterprise_uscc: string;
  from_name: string;
  to_name: string;
  reason: string;
  changed_by: string;
  changed_by_name: string | null;
  changed_at: Date;
}

const toNameCorrection = (row: NameCorrectionRow): NameCorrection => ({
  id: row.id.toString(),
  enterpriseUscc: row.enterprise_uscc,
  from: row.from_name,
  to: row.to_name,
  reason: row.reason,
  changedBy: row.changed_by,
  changedByName: row.changed_by_name,
  changedAt: row.changed_at.toISOString(),
});

export const NAME_REASON_CHARACTERS_MAX = 500;

/**
 * Staff correct an enterprise's registered name (a typo at registration, or a change of name at the registration
 * authority), saying why: the correction (from, to, reason, who, when) is recorded and the name changed in the
 * caller's transaction; the database refuses a name changed without its record (enterprise_name_guard).
 */
export async function correctName(
  db: Queryable,
  uscc: string,
  input: { name: string; reason: string },
  by: { principalId: string },
): Promise<{ enterprise: Enterprise; correction: NameCorrection }> {
  const name = input.name.trim();
  const reason = input.reason.trim();
  const problems: FieldProblem[] = [];
  if (name === '' || [...name].length > ENTERPRISE_NAME_CHARACTERS_MAX) problems.push({ path: 'name', message: `must be 1–${ENTERPRISE_NAME_CHARACTERS_MAX} characters` });
  if (reason === '' || reason.length > NAME_REASON_CHARACTERS_MAX) problems.push({ path: 'reason', message: `must be 1–${NAME_REASON_CHARACTERS_MAX} characters` });
  if (problems.length > 0) {
    throw new DomainError('validation_failed', `the correction is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }
  // Locked, so that two corrections of one enterprise are recorded one after the other, each from the name before it.
  const current = await db.query<{ uscc: string; name: string }>(`select uscc, name from enterprise where uscc = $1 for no key update`, [normalised(uscc)]);
  const before = current.rows[0];
  if (!before) throw new DomainError('enterprise_not_found', `no enterprise ${uscc}`);
  if (before.name === name) {
    throw new DomainError('validation_failed', `enterprise ${before.uscc} is already named ${name}`, [{ path: 'name', message: "is already the enterprise's name" }]);
  }
  const recorded = await db.query<NameCorrectionRow>(
    `insert into enterprise_name_change (enterprise_uscc, from_name, to_name, reason, changed_by) values ($1, $2, $3, $4, $5)
     returning id, enterprise_uscc, from_name, to_name, reason, changed_by, changed_at,
               (select name from principal_directory where id = changed_by) as changed_by_name`,
    [before.uscc, before.name, name, reason, by.principalId],
  );
  const updated = await db.query<EnterpriseRow>(`update enterprise e set name = $2 where e.uscc = $1 returning ${COLUMNS}`, [before.uscc, name]);
  return { enterprise: toEnterprise(updated.rows[0]!), correction: toNameCorrection(recorded.rows[0]!) };
}

/** An enterprise's name corrections, oldest first. */
export async function listNameCorrections(db: Queryable, uscc: string): Promise<NameCorrection[]> {
  const result = await db.query<NameCorrectionRow>(
    `select c.id, c.enterprise_uscc, c.from_name, c.to_name, c.reason, c.changed_by, p.name as changed_by_name, c.changed_at
       from enterprise_name_change c left join principal_directory p on p.id = c.changed_by
      where c.enterprise_uscc = $1 order by c.id`,
    [normalised(uscc)],
  );
  return result.rows.map(toNameCorrection);
}
