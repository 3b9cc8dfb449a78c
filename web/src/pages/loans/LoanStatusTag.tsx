import type { paths } from '../../api/schema';
import { StatusTag } from '../../components/StatusTag';
import { LOAN_STATUS_LABELS } from '../../format/labels';

type LoanStatus = paths['/api/v1/loans/{id}']['get']['responses'][200]['content']['application/json']['status'];

const TONE = { active: 'ok', overdue: 'bad', defaulted: 'bad', settled: 'muted' } as const satisfies Record<LoanStatus, string>;

export function LoanStatusTag({ status }: { status: LoanStatus }) {
  return <StatusTag tone={TONE[status]}>{LOAN_STATUS_LABELS[status]}</StatusTag>;
}
