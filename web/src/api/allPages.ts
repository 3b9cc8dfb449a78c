/**
 * Every page of a list the console shows whole: the reference lists (banks, principals, policy versions, rate fixings,
 * funds) and an enterprise's or a loan's own records are short, so a picker or a table reads them 500 rows a page
 * until `nextCursor` is null.
 */
interface Paged {
  items: unknown[];
  nextCursor: string | null;
}

export const WHOLE_LIST_PAGE = 500;

export async function allPages<D extends Paged, E>(read: (cursor: string | undefined) => Promise<{ data?: D; error?: E }>): Promise<{ data?: D; error?: E }> {
  let cursor: string | undefined;
  let whole: D | undefined;
  do {
    const { data, error } = await read(cursor);
    if (!data) return error ? { error } : {};
    whole = whole ? { ...data, items: [...whole.items, ...data.items] } : data;
    cursor = data.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return { data: { ...whole, nextCursor: null } };
}

/** The query of one page of such a list. */
export function wholeListPage(cursor: string | undefined): { limit: number; cursor?: string } {
  return cursor === undefined ? { limit: WHOLE_LIST_PAGE } : { limit: WHOLE_LIST_PAGE, cursor };
}
