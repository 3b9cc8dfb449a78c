/**
 * Lists sorted and paged on the server by keyset: a list declares the columns it may be sorted by (a whitelist — the
 * sort parameter never reaches the SQL text except as one of these keys), the client asks `sort=column` or
 * `sort=-column`, and each page ends with a cursor holding the sort, the last item's value of that column and its id.
 * The next page starts strictly after that pair, so inserts between pages neither repeat nor skip an item. A cursor
 * made for another sort, or forged, is refused (422 naming `cursor`) rather than silently starting elsewhere.
 *
 * Text columns compare in the "C" collation so that the order and the keyset comparison agree byte for byte.
 */
import { DomainError } from '../errors';

export interface SortColumn {
  /** The SQL expression, e.g. `w.valid_from` or `e.name collate "C"`. */
  sql: string;
  type: 'date' | 'bigint' | 'integer' | 'text' | 'timestamptz';
}

export interface Sort<C extends string = string> {
  column: C;
  descending: boolean;
}

/** Where the previous page ended. */
export interface Keyset {
  sort: string;
  value: string;
  id: string;
}

/** Every sort value a list takes, for its zod enum: `column` and `-column`. */
export function sortValues(columns: Record<string, SortColumn>): [string, ...string[]] {
  return Object.keys(columns).flatMap((column) => [column, `-${column}`]) as [string, ...string[]];
}

export function parseSort<C extends string>(columns: Record<C, SortColumn>, text: string | undefined, fallback: Sort<C>): Sort<C> {
  if (text === undefined) return fallback;
  const descending = text.startsWith('-');
  const column = (descending ? text.slice(1) : text) as C;
  if (!Object.hasOwn(columns, column)) {
    throw new DomainError('validation_failed', `sort: ${text} is not a column of this list`, [
      { path: 'sort', message: `must be one of ${Object.keys(columns).join(', ')} (descending with "-")` },
    ]);
  }
  return { column, descending };
}

export const formatSort = (sort: Sort): string => `${sort.descending ? '-' : ''}${sort.column}`;

const invalidCursor = (message: string) => new DomainError('validation_failed', `cursor: ${message}`, [{ path: 'cursor', message }]);

const VALUE_PATTERNS: Record<SortColumn['type'], RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  bigint: /^-?\d{1,19}$/,
  integer: /^-?\d{1,10}$/,
  text: /^[\s\S]{0,500}$/,
  timestamptz: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/,
};

export function encodeKeyset(keyset: Keyset): string {
  return Buffer.from(JSON.stringify(keyset), 'utf8').toString('base64url');
}

/**
 * The cursor of a page (base64url JSON `{ sort, value, id }`), checked against the sort it is used with and the
 * types of the sort column and of the list's ids.
 */
export function decodeKeyset(
  cursor: string | undefined,
  sort: Sort,
  columns: Record<string, SortColumn>,
  idPattern: RegExp,
): Keyset | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('is not a cursor of this list; ask for the first page again');
  }
  const keyset = decoded as Partial<Keyset> | null;
  if (typeof keyset !== 'object' || keyset === null || typeof keyset.value !== 'string' || typeof keyset.id !== 'string' || typeof keyset.sort !== 'string') {
    throw invalidCursor('is not a cursor of this list; ask for the first page again');
  }
  const expected = formatSort(sort);
  if (keyset.sort !== expected) throw invalidCursor(`was made for sort=${keyset.sort}; ask the first page again with sort=${expected}`);
  const column = columns[sort.column]!;
  if (!VALUE_PATTERNS[column.type].test(keyset.value) || !idPattern.test(keyset.id)) throw invalidCursor('is not a cursor of this list; ask for the first page again');
  return { sort: keyset.sort, value: keyset.value, id: keyset.id };
}

/**
 * The keyset condition and order of a page. `params` receives the cursor's value and id (their placeholders are
 * numbered after what it already holds); `idSql` is the list's unique id column, `idType` its SQL type.
 */
export function keysetSql(
  columns: Record<string, SortColumn>,
  sort: Sort,
  idSql: string,
  idType: 'uuid' | 'bigint' | 'text',
  after: Keyset | undefined,
  params: unknown[],
): { where: string; orderBy: string; sortValue: string } {
  const column = columns[sort.column]!;
  const direction = sort.descending ? 'desc' : 'asc';
  const comparison = sort.descending ? '<' : '>';
  const bare = column.sql.replace(/ collate .*$/, '');
  const sortValue = column.type === 'timestamptz' ? `to_char(${bare} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : `${bare}::text`;
  let where = 'true';
  if (after) {
    params.push(after.value, after.id);
    const collate = (type: string) => (type === 'text' ? ' collate "C"' : '');
    where = `(${column.sql}, ${idSql}${collate(idType)}) ${comparison} ($${params.length - 1}::${column.type}${collate(column.type)}, $${params.length}::${idType}${collate(idType)})`;
  }
  return { where, orderBy: `${column.sql} ${direction}, ${idSql}${idType === 'text' ? ' collate "C"' : ''} ${direction}`, sortValue };
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SERIAL_PATTERN = /^\d{1,19}$/;

/**
 * One page: the rows of `limit + 1` asked for (the extra row says whether a next page exists), cut to `limit`, and
 * the cursor after the last.
 */
export function pageOfRows<R extends { id: string; sort_value: string }>(rows: R[], limit: number, sort: Sort): { rows: R[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? encodeKeyset({ sort: formatSort(sort), value: last.sort_value, id: last.id }) : null };
}
