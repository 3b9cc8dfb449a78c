/**
 * Pages of a cursor-paginated list (`?limit=&cursor=` → `{ items, nextCursor }`, docs/api.md "Conventions"): the
 * cursors of the pages already seen make "previous" possible without the API knowing about it.
 */
import { Button, Select, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';

export const PAGE_SIZES = [20, 50, 100, 200] as const;

export interface CursorState {
  cursor: string | undefined;
  limit: number;
  pageNumber: number;
  next(nextCursor: string): void;
  previous(): void;
  setLimit(limit: number): void;
  /** Back to the first page (after a filter changed). */
  reset(): void;
}

export function useCursor(initialLimit = 50): CursorState {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const [limit, setLimitState] = useState(initialLimit);
  const reset = useCallback(() => setStack([undefined]), []);
  return {
    cursor: stack[stack.length - 1],
    limit,
    pageNumber: stack.length,
    next: (nextCursor) => setStack((s) => [...s, nextCursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    setLimit: (value) => {
      setLimitState(value);
      reset();
    },
    reset,
  };
}

export function CursorPager({ state, nextCursor, loading }: { state: CursorState; nextCursor: string | null | undefined; loading: boolean }) {
  return (
    <Space style={{ marginTop: 16, justifyContent: 'flex-end', width: '100%' }}>
      <Typography.Text type="secondary">第 {state.pageNumber} 页</Typography.Text>
      <Button onClick={state.previous} disabled={state.pageNumber === 1 || loading}>
        上一页
      </Button>
      <Button onClick={() => nextCursor && state.next(nextCursor)} disabled={!nextCursor || loading}>
        下一页
      </Button>
      <Select
        aria-label="每页条数"
        value={state.limit}
        onChange={state.setLimit}
        options={PAGE_SIZES.map((size) => ({ value: size, label: `每页 ${size} 条` }))}
        style={{ width: 120 }}
      />
    </Space>
  );
}
