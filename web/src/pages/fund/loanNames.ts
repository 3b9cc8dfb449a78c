/**
 * The loans a fund page names: contract number and enterprise instead of ids (a bank reads only its own loans,
 * staff every loan). One read of the first page of loans (the API's largest page); a loan not in it is shown by the
 * start of its id.
 */
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { formatAmount } from '../../format/money';

export type LoanRow = paths['/api/v1/loans']['get']['responses'][200]['content']['application/json']['items'][number];

/** The API's largest page of loans (docs/api.md "Lists"). */
const LOANS_PAGE_MAX = 500;

export function useLoanNames() {
  const loans = useLoad(() => api.GET('/api/v1/loans', { params: { query: { limit: LOANS_PAGE_MAX, sort: '-startDate' } } }), []);
  const items: LoanRow[] = loans.data?.items ?? [];
  const byId = new Map(items.map((loan) => [loan.id, loan]));
  return {
    loading: loans.loading,
    reload: loans.reload,
    /** "YZ-2024-001" for a loan's id. */
    name: (id: string) => byId.get(id)?.contractNo ?? `${id.slice(0, 8)}…`,
    /** Select options: contract number and outstanding principal. */
    options: (filter: (loan: LoanRow) => boolean = () => true) =>
      items.filter(filter).map((loan) => ({ value: loan.id, label: `${loan.contractNo}（余额 ${formatAmount(loan.outstandingPrincipal)}）` })),
  };
}
