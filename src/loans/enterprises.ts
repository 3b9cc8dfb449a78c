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

/** A correction of an enterprise's division or registered name: from, to, reason, who, when. */
export interface Correction {
  id: string;
  enterpriseUscc: string;
  from: string;
  to: string;
  reason: string;
  changedBy: string;
  changedByName: string | null;
  changedAt: string;
}

export type DivisionCorrection = Correction;
/** A correction of an enterprise's registered name (migration 001300). */
export type NameCorrection = Correction;

export const NAME_REASON_CHARACTERS_MAX = 500;

/**
 * Where each kind of correction is kept: the enterprise's column it corrects, and the table recording each correction
 * with its columns of the value before and after.
 */
const CORRECTED = {
  division: { column: 'division_code', table: 'enterprise_division_change', from: 'from_code', to: 'to_code' },
  name: { column: 'name', table: 'enterprise_name_change', from: 'from_name', to: 'to_name' },
} as const;

interface CorrectionRow {
  id: bigint;
  enterprise_uscc: string;
  from_value: string;
  to_value: string;
  reason: string;
  changed_by: string;
  changed_by_name: string | null;
  changed_at: Date;
}

const toCorrection = (row: CorrectionRow): Correction => ({
  id: row.id.toString(),
  enterpriseUscc: row.enterprise_uscc,
  from: row.from_value,
  to: row.to_value,
  reason: row.reason,
  changedBy: row.changed_by,
  changedByName: row.changed_by_name,
  changedAt: row.changed_at.toISOString(),
});

/**
 * One correction of an enterprise's division or name: refused with its problems, if any; else the enterprise locked
 * (two corrections of one enterprise are recorded one after the other, each from the value before it), refused when
 * it already has the value, the correction recorded and then the enterprise changed (`set`, whose parameters follow
 * the USCC as $2…), all in the caller's transaction (the database refuses the change without its record).
 */
async function correct(
  db: Queryable,
  kind: keyof typeof CORRECTED,
  uscc: string,
  change: {
    to: string;
    reason: string;
    problems: FieldProblem[];
    already: (uscc: string) => DomainError;
    set: string;
    setParams: unknown[];
    by: { principalId: string };
  },
): Promise<{ enterprise: Enterprise; correction: Correction }> {
  const { problems } = change;
  if (problems.length > 0) {
    throw new DomainError('validation_failed', `the correction is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }
  const { column, table, from, to } = CORRECTED[kind];
  const current = await db.query<{ uscc: string; value: string }>(`select uscc, ${column} as value from enterprise where uscc = $1 for no key update`, [normalised(uscc)]);
  const before = current.rows[0];
  if (!before) throw new DomainError('enterprise_not_found', `no enterprise ${uscc}`);
  if (before.value === change.to) throw change.already(before.uscc);
  const recorded = await db.query<CorrectionRow>(
    `insert into ${table} (enterprise_uscc, ${from}, ${to}, reason, changed_by) values ($1, $2, $3, $4, $5)
     returning id, enterprise_uscc, ${from} as from_value, ${to} as to_value, reason, changed_by, changed_at,
               (select name from principal_directory where id = changed_by) as changed_by_name`,
    [before.uscc, before.value, change.to, change.reason, change.by.principalId],
  );
  const updated = await db.query<EnterpriseRow>(`update enterprise e set ${change.set} where e.uscc = $1 returning ${COLUMNS}`, [before.uscc, ...change.setParams]);
  return { enterprise: toEnterprise(updated.rows[0]!), correction: toCorrection(recorded.rows[0]!) };
}

/** An enterprise's corrections of one kind, oldest first. */
async function listCorrections(db: Queryable, kind: keyof typeof CORRECTED, uscc: string): Promise<Correction[]> {
  const { table, from, to } = CORRECTED[kind];
  const result = await db.query<CorrectionRow>(
    `select c.id, c.enterprise_uscc, c.${from} as from_value, c.${to} as to_value, c.reason, c.changed_by, p.name as changed_by_name, c.changed_at
       from ${table} c left join principal_directory p on p.id = c.changed_by
      where c.enterprise_uscc = $1 order by c.id`,
    [normalised(uscc)],
  );
  return result.rows.map(toCorrection);
}

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
  return correct(db, 'division', uscc, {
    to: input.divisionCode,
    reason,
    problems,
    already: (of) =>
      new DomainError('validation_failed', `enterprise ${of} is already in division ${input.divisionCode}`, [
        { path: 'divisionCode', message: `is already the enterprise's division (${input.divisionCode})` },
      ]),
    set: 'division_code = $2, division_reason = case when $2 = substr(e.uscc, 3, 6) then null else $3 end',
    setParams: [input.divisionCode, reason],
    by,
  });
}

/** An enterprise's division corrections, oldest first. */
export const listDivisionCorrections = (db: Queryable, uscc: string): Promise<DivisionCorrection[]> => listCorrections(db, 'division', uscc);

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
  return correct(db, 'name', uscc, {
    to: name,
    reason,
    problems,
    already: (of) => new DomainError('validation_failed', `enterprise ${of} is already named ${name}`, [{ path: 'name', message: "is already the enterprise's name" }]),
    set: 'name = $2',
    setParams: [name],
    by,
  });
}

/** An enterprise's name corrections, oldest first. */
export const listNameCorrections = (db: Queryable, uscc: string): Promise<NameCorrection[]> => listCorrections(db, 'name', uscc);
