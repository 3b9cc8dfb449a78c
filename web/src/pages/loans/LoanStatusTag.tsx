import { StatusTag } from '../../components/StatusTag';
import { today } from '../../format/date';
import { LOAN_STATUS_LABELS } from '../../format/labels';
import { shownLoanStatus, type ShownLoanStatus } from './loanStatus';

const TONE = { active: 'ok', overdue: 'bad', defaulted: 'bad', settled: 'muted', matured_unsettled: 'bad' } as const satisfies Record<ShownLoanStatus, string>;
const LABELS: Record<ShownLoanStatus, string> = { ...(LOAN_STATUS_LABELS as Record<Exclude<ShownLoanStatus, 'matured_unsettled'>, string>), matured_unsettled: '已到期未结清' };

/** The loan's status; past maturity with principal outstanding shows 已到期未结清 (web/src/pages/loans/loanStatus.ts). */
export function LoanStatusTag({ loan }: { loan: { status: string; maturityDate: string; outstandingPrincipal?: string } }) {
  const status = shownLoanStatus(loan, today());
  return <StatusTag tone={TONE[status]}>{LABELS[status]}</StatusTag>;
}
