/**
 * Who recorded what, and which bank lends, by name: the principals' names for the roles that may list them (staff),
 * the banks' names for every role. Where a name cannot be read the console shows "—", never an id.
 */
import { api } from '../../../api/client';
import { allPages, wholeListPage } from '../../../api/allPages';
import { useLoad } from '../../../api/useLoad';
import { useCan } from '../../../auth/session';

export function usePrincipalNames(): (id: string | null | undefined) => string {
  const can = useCan();
  const mayList = can('GET /api/v1/principals');
  const principals = useLoad(async () => (mayList ? allPages((cursor) => api.GET('/api/v1/principals', { params: { query: wholeListPage(cursor) } })) : { data: { items: [], nextCursor: null } }), [mayList]);
  const names = new Map((principals.data?.items ?? []).map((p) => [p.id, p.name]));
  return (id) => (id ? (names.get(id) ?? '—') : '—');
}

export function useBankNames(): (id: string | null | undefined) => string {
  const banks = useLoad(() => allPages((cursor) => api.GET('/api/v1/banks', { params: { query: wholeListPage(cursor) } })), []);
  const names = new Map((banks.data?.items ?? []).map((b) => [b.id, b.name]));
  return (id) => (id ? (names.get(id) ?? '—') : '—');
}
