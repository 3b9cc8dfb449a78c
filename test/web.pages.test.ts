/**
 * The console reads a reference list whole (web/src/api/allPages.ts): it follows `nextCursor` page by page, 500 rows
 * a page, and a refused page is the answer, never half a list shown as if it were whole.
 */
import { allPages, wholeListPage } from '../web/src/api/allPages';

type Page = { items: number[]; nextCursor: string | null };

describe('allPages', () => {
  it('follows the cursors to the last page and joins the items in order', async () => {
    const served: Record<string, Page> = {
      first: { items: [1, 2], nextCursor: 'c2' },
      c2: { items: [3, 4], nextCursor: 'c3' },
      c3: { items: [5], nextCursor: null },
    };
    const asked: Array<ReturnType<typeof wholeListPage>> = [];
    const whole = await allPages((cursor) => {
      asked.push(wholeListPage(cursor));
      return Promise.resolve({ data: served[cursor ?? 'first']! });
    });
    expect(whole).toEqual({ data: { items: [1, 2, 3, 4, 5], nextCursor: null } });
    expect(asked).toEqual([{ limit: 500 }, { limit: 500, cursor: 'c2' }, { limit: 500, cursor: 'c3' }]);
  });

  it('answers the problem of a refused page, not the pages before it', async () => {
    const problem = { type: 'about:blank', title: '拒绝', status: 403, code: 'forbidden', detail: 'no' };
    const whole = await allPages<Page, typeof problem>((cursor) => Promise.resolve(cursor ? { error: problem } : { data: { items: [1], nextCursor: 'c2' } }));
    expect(whole).toEqual({ error: problem });
  });
});
