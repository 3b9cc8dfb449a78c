/**
 * Enterprises keyed by their unified social credit code (issue 3 § 1; API.md `POST /api/v1/enterprises`).
 */
import type { DatabaseError } from 'pg';
import { keysetSql, pageOfRows, type Keyset, type Sort, type SortColumn } from '../db/keyset';
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

export interface NewEnterprise {
  uscc: string;
  name: string;
  divisionCode?: string | null | undefined;
  checkOverride?: { reason: string } | null | undefined;
}

export interface Registrar {
  principalId: string;
  principalName: string;
  /** Only staff may override the check (issue 3 § 1). */
  mayOverride: boolean;
}

interface EnterpriseRow {
  uscc: string;
  name: string;
  division_code: string;
  check_override: Enterprise['checkOverride'];
  created_at: Date;
}

const toEnterprise = (row: EnterpriseRow): Enterprise => ({
  uscc: row.uscc,
  name: row.name,
  divisionCode: row.division_code,
  checkOverride: row.check_override,
  createdAt: row.created_at.toISOString(),
});

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
  if (input.divisionCode != null) {
    if (!/^\d{6}$/.test(input.divisionCode)) problems.push({ path: 'divisionCode', message: 'must be a 6-digit division code' });
    divisionCode = input.divisionCode;
  }
  if (problems.length > 0) {
    throw new DomainError('validation_failed', `the enterprise is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }

  const checkOverride = override
    ? { reason: override.reason.trim(), by: `${registrar.principalName} (${registrar.principalId})`, at: new Date().toISOString(), rule: checked.ok ? null : checked.rule }
    : null;
  try {
    const result = await db.query<EnterpriseRow>(
      `insert into enterprise (uscc, name, division_code, check_override, created_by) values ($1, $2, $3, $4, $5)
       on conflict (uscc) do nothing
       returning uscc, name, division_code, check_override, created_at`,
      [uscc, name, divisionCode, checkOverride === null ? null : JSON.stringify(checkOverride), registrar.principalId],
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

export async function getEnterprise(db: Queryable, uscc: string): Promise<Enterprise> {
  const result = await db.query<EnterpriseRow>(
    `select uscc, name, division_code, check_override, created_at from enterprise where uscc = $1`,
    [uscc.trim().replace(/[a-z]/g, (c) => c.toUpperCase())],
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

/** A page of enterprises, filtered and sorted on the server (default: by USCC), with the cursor of the next page. */
export async function listEnterprises(
  db: Queryable,
  filter: EnterpriseFilter,
  page: { limit: number; sort: Sort<keyof typeof ENTERPRISE_SORT_COLUMNS>; after?: Keyset | undefined },
): Promise<{ items: Enterprise[]; next: string | null }> {
  const params: unknown[] = [filter.divisionCode ?? null, filter.name ?? null, filter.divisionPrefix ?? null];
  const keyset = keysetSql(ENTERPRISE_SORT_COLUMNS, page.sort, 'uscc', 'text', page.after, params);
  params.push(page.limit + 1);
  const result = await db.query<EnterpriseRow & { id: string; sort_value: string }>(
    `select uscc as id, ${keyset.sortValue} as sort_value, uscc, name, division_code, check_override, created_at from enterprise
      where ($1::text is null or division_code = $1)
        and ($2::text is null or strpos(name, $2) > 0)
        and ($3::text is null or division_code like $3 || '%')
        and ${keyset.where}
      order by ${keyset.orderBy} limit $${params.length}`,
    params,
  );
  const paged = pageOfRows(result.rows, page.limit, page.sort);
  return { items: paged.rows.map(toEnterprise), next: paged.next };
}
