/**
 * The white-list of enterprises with high-value patents pushed to partner banks (002 《云阳县高价值专利培育行动方案》:
 * 白名单推送). Staff list an enterprise with a reason and a validity period, and remove it with a reason; banks read
 * the list; the dashboard shows how much the banks lent to listed enterprises.
 */
import { keysetSql, pageOfRows, type Keyset, type Sort, type SortColumn } from '../db/keyset';
import type { Queryable } from '../db/pool';
import { DomainError } from '../errors';
import { formatYuan } from '../money';

export interface WhitelistListing {
  id: string;
  enterpriseUscc: string;
  enterpriseName: string;
  divisionCode: string;
  reason: string;
  validFrom: string;
  validTo: string;
  addedAt: string;
  removedAt: string | null;
  removalReason: string | null;
}

interface ListingRow {
  id: string;
  enterprise_uscc: string;
  name: string;
  division_code: string;
  reason: string;
  valid_from: string;
  valid_to: string;
  added_at: Date;
  removed_at: Date | null;
  removal_reason: string | null;
}

const toListing = (row: ListingRow): WhitelistListing => ({
  id: row.id,
  enterpriseUscc: row.enterprise_uscc,
  enterpriseName: row.name,
  divisionCode: row.division_code,
  reason: row.reason,
  validFrom: row.valid_from,
  validTo: row.valid_to,
  addedAt: row.added_at.toISOString(),
  removedAt: row.removed_at?.toISOString() ?? null,
  removalReason: row.removal_reason,
});

const SELECT = `select w.id, w.enterprise_uscc, e.name, e.division_code, w.reason, w.valid_from, w.valid_to, w.added_at,
                       w.removed_at, w.removal_reason
                  from enterprise_whitelist w join enterprise e on e.uscc = w.enterprise_uscc`;

export async function addToWhitelist(
  db: Queryable,
  input: { enterpriseUscc: string; reason: string; validFrom: string; validTo: string },
  addedBy: string,
): Promise<WhitelistListing> {
  if (input.validTo < input.validFrom) {
    throw new DomainError('validation_failed', 'validTo is before validFrom', [{ path: 'validTo', message: 'must not be before validFrom' }]);
  }
  // Lock the enterprise so two listings of it cannot be added side by side with overlapping periods.
  const enterprise = await db.query(`select 1 from enterprise where uscc = $1 for update`, [input.enterpriseUscc]);
  if (enterprise.rowCount === 0) {
    throw new DomainError('validation_failed', `no enterprise ${input.enterpriseUscc}`, [
      { path: 'enterpriseUscc', message: 'no such enterprise: register it first' },
    ]);
  }
  const overlapping = await db.query<{ valid_from: string; valid_to: string }>(
    `select valid_from, valid_to from enterprise_whitelist
      where enterprise_uscc = $1 and removed_at is null and valid_from <= $3 and valid_to >= $2 limit 1`,
    [input.enterpriseUscc, input.validFrom, input.validTo],
  );
  const clash = overlapping.rows[0];
  if (clash) {
    throw new DomainError('conflict', `the enterprise is already listed from ${clash.valid_from} to ${clash.valid_to}`, [
      { path: 'validFrom', message: `overlaps the listing ${clash.valid_from} – ${clash.valid_to}` },
    ]);
  }
  const inserted = await db.query<{ id: string }>(
    `insert into enterprise_whitelist (enterprise_uscc, reason, valid_from, valid_to, added_by) values ($1, $2, $3, $4, $5) returning id`,
    [input.enterpriseUscc, input.reason, input.validFrom, input.validTo, addedBy],
  );
  return getListing(db, inserted.rows[0]!.id);
}

export async function removeFromWhitelist(db: Queryable, id: string, reason: string, removedBy: string): Promise<WhitelistListing> {
  const result = await db.query(
    `update enterprise_whitelist set removed_at = now(), removed_by = $2, removal_reason = $3 where id = $1 and removed_at is null`,
    [id, removedBy, reason],
  );
  if (result.rowCount === 0) {
    await getListing(db, id); // not found → 404
    throw new DomainError('conflict', 'this listing was already removed');
  }
  return getListing(db, id);
}

export async function getListing(db: Queryable, id: string): Promise<WhitelistListing> {
  const result = await db.query<ListingRow>(`${SELECT} where w.id = $1`, [id]);
  if (!result.rows[0]) throw new DomainError('not_found', `no white-list listing ${id}`);
  return toListing(result.rows[0]);
}

/** The columns the white-list may be sorted by (src/db/keyset.ts). */
export const WHITELIST_SORT_COLUMNS = {
  name: { sql: 'e.name collate "C"', type: 'text' },
  validFrom: { sql: 'w.valid_from', type: 'date' },
  validTo: { sql: 'w.valid_to', type: 'date' },
  addedAt: { sql: 'w.added_at', type: 'timestamptz' },
} satisfies Record<string, SortColumn>;
export type WhitelistSortColumn = keyof typeof WHITELIST_SORT_COLUMNS;

export interface WhitelistFilter {
  /** Listings in force on this date (not removed, the date within their period); absent: every listing ever made. */
  on?: string | undefined;
  /** A USCC, or part of the enterprise's name. */
  enterprise?: string | undefined;
  /** The first digits of the enterprise's division code. */
  divisionPrefix?: string | undefined;
}

/** A page of the white-list, filtered and sorted on the server, with the cursor of the next page. */
export async function listWhitelist(
  db: Queryable,
  filter: WhitelistFilter,
  page: { limit: number; sort: Sort<WhitelistSortColumn>; after?: Keyset | undefined },
): Promise<{ items: WhitelistListing[]; next: string | null }> {
  const enterprise = filter.enterprise?.trim();
  const params: unknown[] = [filter.on ?? null, enterprise ? enterprise.toUpperCase() : null, enterprise ?? null, filter.divisionPrefix ?? null];
  const keyset = keysetSql(WHITELIST_SORT_COLUMNS, page.sort, 'w.id', 'uuid', page.after, params);
  params.push(page.limit + 1);
  const result = await db.query<ListingRow & { sort_value: string }>(
    `${SELECT.replace('select ', `select ${keyset.sortValue} as sort_value, `)}
      where ($1::date is null or (w.removed_at is null and w.valid_from <= $1::date and w.valid_to >= $1::date))
        and ($2::text is null or w.enterprise_uscc = $2 or strpos(e.name, $3) > 0)
        and ($4::text is null or e.division_code like $4 || '%')
        and ${keyset.where}
      order by ${keyset.orderBy} limit $${params.length}`,
    params,
  );
  const paged = pageOfRows(result.rows, page.limit, page.sort);
  return { items: paged.rows.map(toListing), next: paged.next };
}

export interface WhitelistLending {
  year: number;
  /** Loans started in the year by enterprises listed on the loan's start date. */
  loanCount: number;
  principal: string;
  byBank: Array<{ bankId: string; bankCode: string; bankName: string; loanCount: number; principal: string }>;
}

/** How much the partner banks lent to listed enterprises in a year (a loan counts when listed on its start date). */
export async function whitelistLending(db: Queryable, year: number): Promise<WhitelistLending> {
  const result = await db.query<{ bank_id: string; code: string; name: string; loans: string; principal_fen: bigint }>(
    `select b.id as bank_id, b.code, b.name, count(*)::text as loans, sum(l.principal_fen)::bigint as principal_fen
       from loan l join bank_directory b on b.id = l.bank_id
      where l.start_date >= make_date($1, 1, 1) and l.start_date <= make_date($1, 12, 31)
        and exists (select 1 from enterprise_whitelist w
                     where w.enterprise_uscc = l.enterprise_uscc and w.removed_at is null
                       and l.start_date between w.valid_from and w.valid_to)
      group by b.id, b.code, b.name
      order by b.code`,
    [year],
  );
  let loanCount = 0;
  let principalFen = 0n;
  const byBank = result.rows.map((row) => {
    loanCount += Number(row.loans);
    principalFen += row.principal_fen;
    return { bankId: row.bank_id, bankCode: row.code, bankName: row.name, loanCount: Number(row.loans), principal: formatYuan(row.principal_fen) };
  });
  return { year, loanCount, principal: formatYuan(principalFen), byBank };
}
