/**
 * Stage 2a — a loan's facts as the later stages need them, checked: the principal and IP part, the dates as day
 * numbers, the principal changes (sorted, for the segments), the settlement day and the first overdue or default
 * event. Malformed data (a date that is not a calendar date, a maturity on or before the start, an IP part above the
 * principal, a disbursement without an amount) refuses the run with `input_invalid` naming the field: the loans
 * module refuses it at the edge, so this only guards the computation.
 */
import type { Fen } from '../../money';
import type { DayNumber } from '../dates';
import type { RunLoan } from '../types';
import type { PrincipalChange } from '../windows';
import { invalid, requireFen, type RunContext } from './context';

export interface LoanFacts {
  loan: RunLoan;
  principalFen: Fen;
  startDay: DayNumber;
  maturityDay: DayNumber;
  contractDay: DayNumber | null;
  /** Disbursements (+) and principal repayments (−), sorted by day. */
  changes: PrincipalChange[];
  /** The first settlement event, if any. */
  settlementDay: DayNumber | null;
  /** The first overdue or default event (on one day, `default` before `overdue`), if any. */
  firstLateDay: DayNumber | null;
  firstLateType: string;
}

export function loanFacts(ctx: RunContext, loan: RunLoan): LoanFacts {
  const loanId = loan.loanId;
  const path = (field: string) => `loans[${loanId}].${field}`;
  const principalFen = requireFen(loan.principalFen, path('principalFen'));
  if (principalFen === 0n) throw invalid(path('principalFen'), 'must be above zero');
  if (loan.ipPledgedFen !== null && loan.ipPledgedFen !== undefined) {
    const ip = requireFen(loan.ipPledgedFen, path('ipPledgedFen'));
    if (ip > principalFen) throw invalid(path('ipPledgedFen'), 'must not exceed the principal');
  }
  const caches = ctx.caches;
  const startDay = caches.parseLoanDate(loan.startDate, loanId, 'startDate');
  const maturityDay = caches.parseLoanDate(loan.maturityDate, loanId, 'maturityDate');
  if (maturityDay <= startDay) throw invalid(path('maturityDate'), 'must be after the start date');
  const contractDay = loan.contractDate ? caches.parseLoanDate(loan.contractDate, loanId, 'contractDate') : null;

  const changes: PrincipalChange[] = [];
  let settlementDay: DayNumber | null = null;
  let firstLateDay: DayNumber | null = null;
  let firstLateType = '';
  for (let i = 0; i < loan.events.length; i += 1) {
    const event = loan.events[i]!;
    const day = caches.parseLoanDate(event.date, loanId, `events.${i}.date`);
    switch (event.type) {
      case 'disbursement':
      case 'principal_repayment': {
        const amountFen = event.amountFen;
        if (typeof amountFen !== 'bigint' || amountFen < 0n) requireFen(amountFen, path(`events.${i}.amountFen`)); // throws
        changes.push({ day, deltaFen: event.type === 'disbursement' ? amountFen! : -amountFen! });
        break;
      }
      case 'settlement':
        if (settlementDay === null || day < settlementDay) settlementDay = day;
        break;
      case 'overdue':
      case 'default':
        if (firstLateDay === null || day < firstLateDay || (day === firstLateDay && event.type < firstLateType)) {
          firstLateDay = day;
          firstLateType = event.type;
        }
        break;
      case 'interest_payment':
        break;
      default:
        throw invalid(path(`events.${i}.type`), `unknown event type "${String((event as { type: unknown }).type)}"`);
    }
  }
  changes.sort((a, b) => a.day - b.day);
  return { loan, principalFen, startDay, maturityDay, contractDay, changes, settlementDay, firstLateDay, firstLateType };
}
