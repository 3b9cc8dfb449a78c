import type { RunLoan } from '../types';
import { projectLoans } from './projection';

const loan = (overrides: Partial<RunLoan>): RunLoan => ({
  loanId: 'l1',
  bankId: 'b1',
  enterpriseUscc: '91360902MA0000001X',
  contractNo: 'C-1',
  principalFen: 100_000_000n,
  ipPledgedFen: 100_000_000n,
  collateral: 'ip_only',
  annualRate: '0.0435',
  startDate: '2025-01-01',
  maturityDate: '2025-12-31',
  pledges: [{ rightType: 'patent', number: '202410000007.7' }],
  events: [{ type: 'disbursement', date: '2025-01-01', amountFen: 100_000_000n }],
  ...overrides,
});

describe('days after today, projected on the contract', () => {
  it('a loan maturing after today is settled on time at maturity, its outstanding repaid that day', () => {
    // 1,000,000.00 disbursed, 300,000.00 repaid: 700,000.00 outstanding until maturity.
    const projection = projectLoans([loan({ events: [...loan({}).events, { type: 'principal_repayment', date: '2025-04-01', amountFen: 30_000_000n }] })], '2025-06-30');
    expect(projection.projected.get('l1')?.events).toEqual([
      { type: 'principal_repayment', date: '2025-12-31', amountFen: 70_000_000n },
      { type: 'settlement', date: '2025-12-31' },
    ]);
    expect(projection.loans[0]!.events).toHaveLength(4);
  });

  it('a loan maturing today or before is read as its events say (the last day that is not projected)', () => {
    expect(projectLoans([loan({ maturityDate: '2025-06-30' })], '2025-06-30').projected.size).toBe(0);
    expect(projectLoans([loan({ maturityDate: '2025-07-01' })], '2025-06-30').projected.size).toBe(1);
  });

  it('a settled loan is never projected, even before its maturity', () => {
    const settled = loan({ events: [...loan({}).events, { type: 'principal_repayment', date: '2025-05-01', amountFen: 100_000_000n }, { type: 'settlement', date: '2025-05-01' }] });
    expect(projectLoans([settled], '2025-06-30').projected.size).toBe(0);
  });

  it('a loan starting after today with no event is disbursed in full on its start, then settled at maturity', () => {
    const future = loan({ startDate: '2025-09-01', maturityDate: '2026-08-31', events: [] });
    expect(projectLoans([future], '2025-06-30').projected.get('l1')?.events).toEqual([
      { type: 'disbursement', date: '2025-09-01', amountFen: 100_000_000n },
      { type: 'principal_repayment', date: '2026-08-31', amountFen: 100_000_000n },
      { type: 'settlement', date: '2026-08-31' },
    ]);
  });

  it('an overdue event already recorded stays: the projection does not make a late loan punctual', () => {
    const late = loan({ events: [...loan({}).events, { type: 'overdue', date: '2025-06-01', daysOverdue: 5 }] });
    const projected = projectLoans([late], '2025-06-30').loans[0]!;
    expect(projected.events.filter((event) => event.type === 'overdue')).toHaveLength(1);
  });
});
