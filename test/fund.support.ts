/**
 * Fixtures of the fund tests: an enterprise and a patent in the real formats, and loans with the events a fund test
 * needs, recorded through the loans API as a bank would.
 */
import type { AuthorisedAgent } from './support/app';

/** Yuanzhou 360902 enterprise and a patent with valid check characters (src/loans/identifiers.test.ts). */
export const USCC = '91360902MA36R7KCX7';
export const PATENT = '202310123456.6';

export function ok<T extends { status: number; body: unknown }>(response: T, status: number): T {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response;
}

export interface LoanSpec {
  principal: string;
  collateral?: 'ip_only' | 'combination';
  ipPledgedAmount?: string;
  /** Principal repaid on 2024-08-01. */
  repaid?: string;
  /** Overdue on 2025-01-01 and default on 2025-02-01. */
  defaulted?: boolean;
}

let contractCounter = 0;

/** A loan started and fully disbursed on 2024-02-01, maturing 2026-02-01, with the events its spec asks for. */
export async function loan(bank: { agent: AuthorisedAgent }, spec: LoanSpec): Promise<string> {
  contractCounter += 1;
  const created = ok(
    await bank.agent.post('/api/v1/loans').send({
      contractNo: `FUND-${process.pid}-${contractCounter}`,
      enterpriseUscc: USCC,
      principal: spec.principal,
      annualRate: '0.0435',
      startDate: '2024-02-01',
      maturityDate: '2026-02-01',
      collateral: spec.collateral ?? 'ip_only',
      ...(spec.ipPledgedAmount ? { ipPledgedAmount: spec.ipPledgedAmount } : {}),
      pledges: [{ rightType: 'patent', number: PATENT }],
    }),
    201,
  );
  const id = created.body.id as string;
  const event = async (body: Record<string, unknown>) => ok(await bank.agent.post(`/api/v1/loans/${id}/events`).send(body), 201);
  await event({ type: 'disbursement', date: '2024-02-01', amount: spec.principal });
  if (spec.repaid) await event({ type: 'principal_repayment', date: '2024-08-01', amount: spec.repaid });
  if (spec.defaulted) {
    await event({ type: 'overdue', date: '2025-01-01' });
    await event({ type: 'default', date: '2025-02-01' });
  }
  return id;
}
