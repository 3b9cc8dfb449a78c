/**
 * A table sorted on the server: the API's `sort` (`column` or `-column`, one of the list's sort columns) from an antd
 * column header click, and back to the header's arrow. Changing the sort starts again at the first page.
 */
import type { SorterResult } from 'antd/es/table/interface';

/** The arrow of a column header for the list's current sort. */
export function sortOrder(sort: string | undefined, column: string): 'ascend' | 'descend' | null {
  return sort === column ? 'ascend' : sort === `-${column}` ? 'descend' : null;
}

/** The API's sort from a header click (undefined: the list's default), for the columns the list sorts by. */
export function sortOf<Row>(sorter: SorterResult<Row> | SorterResult<Row>[], columns: readonly string[]): string | undefined {
  const one = Array.isArray(sorter) ? sorter[0] : sorter;
  const column = String(one?.columnKey ?? one?.field ?? '');
  if (!one?.order || !columns.includes(column)) return undefined;
  return one.order === 'descend' ? `-${column}` : column;
}
