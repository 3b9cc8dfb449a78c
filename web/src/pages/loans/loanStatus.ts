/**
 * A loan's status as shown: the bank's events decide it (active, overdue, defaulted, settled), and one more is derived
 * without waiting for an event — a loan still active after its maturity date with principal outstanding is
 * 已到期未结清 (past maturity, not settled). Dates compare as ISO strings; amounts in fen (no float).
 */
import { toFen } from '../../format/money';

export type ShownLoanStatus = 'active' | 'overdue' | 'defaulted' | 'settled' | 'matured_unsettled';

export function shownLoanStatus(loan: { status: string; maturityDate: string; outstandingPrincipal?: string }, today: string): ShownLoanStatus {
  const status = loan.status as ShownLoanStatus;
  if (status !== 'active') return status;
  const outstanding = loan.outstandingPrincipal === undefined ? 1n : toFen(loan.outstandingPrincipal);
  return loan.maturityDate < today && outstanding > 0n ? 'matured_unsettled' : 'active';
}
