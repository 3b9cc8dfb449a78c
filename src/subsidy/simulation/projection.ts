/**
 * Days after today, projected on each loan's contract (docs/api.md "Simulations"): a loan not settled whose maturity
 * is after today keeps its outstanding principal unchanged until maturity and is settled on time at maturity (its
 * outstanding repaid and a settlement, both dated on the maturity date); a loan that starts after today and has no
 * event yet is disbursed in full on its start date, as its contract says. Nothing else is invented: a loan settled,
 * or whose maturity has passed without a settlement, is read as its events say; an overdue event already recorded
 * stays, so a loan paid late stays late (《关于全面加强知识产权工作的实施意见》 § 6 "按期还本付息"). Events are never dated after today
 * (README "Security"), so the projected ones cannot collide with recorded ones.
 *
 * Pure: the loans in, the projected loans out, with what was projected for each.
 */
import { sumFen, type Fen } from '../../money';
import type { RunLoan, RunLoanEvent } from '../types';

export interface ProjectedLoan {
  loanId: string;
  /** The events added, as the engine reads them (the trace of a simulated line shows them). */
  events: RunLoanEvent[];
  settledOn: string;
}

export interface Projection {
  today: string;
  loans: RunLoan[];
  projected: Map<string, ProjectedLoan>;
}

function outstandingFen(events: readonly RunLoanEvent[]): Fen {
  const disbursed = sumFen(events.filter((event) => event.type === 'disbursement').map((event) => event.amountFen ?? (0n as Fen)));
  const repaid = sumFen(events.filter((event) => event.type === 'principal_repayment').map((event) => event.amountFen ?? (0n as Fen)));
  return (disbursed - repaid) as Fen;
}

/** The loans with the days after `today` projected (the module comment says how). */
export function projectLoans(loans: readonly RunLoan[], today: string): Projection {
  const projected = new Map<string, ProjectedLoan>();
  const out = loans.map((loan) => {
    if (loan.maturityDate <= today || loan.events.some((event) => event.type === 'settlement')) return loan;
    const added: RunLoanEvent[] = [];
    if (loan.startDate > today && loan.events.length === 0) {
      added.push({ type: 'disbursement', date: loan.startDate, amountFen: loan.principalFen });
    }
    const outstanding = outstandingFen([...loan.events, ...added]);
    if (outstanding > 0n) added.push({ type: 'principal_repayment', date: loan.maturityDate, amountFen: outstanding });
    added.push({ type: 'settlement', date: loan.maturityDate });
    projected.set(loan.loanId, { loanId: loan.loanId, events: added, settledOn: loan.maturityDate });
    return { ...loan, events: [...loan.events, ...added] };
  });
  return { today, loans: out, projected };
}
