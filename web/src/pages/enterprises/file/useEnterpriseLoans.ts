/** The enterprise's loans, the first 500 (the API's largest page): every tab about loans reads this one list. */
import { api } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { useLoad } from '../../../api/useLoad';

export type EnterpriseLoan = paths['/api/v1/loans']['get']['responses'][200]['content']['application/json']['items'][number];

export const LOANS_PER_ENTERPRISE_SHOWN = 500;

export function useEnterpriseLoans(uscc: string) {
  return useLoad(
    () => api.GET('/api/v1/loans', { params: { query: { enterpriseUscc: uscc, limit: LOANS_PER_ENTERPRISE_SHOWN, sort: 'startDate' } } }),
    [uscc],
  );
}
