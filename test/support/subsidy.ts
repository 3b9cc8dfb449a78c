/**
 * Helpers for the subsidy API tests: valid identifiers (GB 32100 USCCs, patent numbers with their check digits) and a
 * bank that posts a loan with its events through the loans API.
 */
import { organisationCodeCheckCharacter, patentCheckDigit, usccCheckCharacter } from '../../src/loans/identifiers';
import type { AuthorisedAgent } from './app';

/** A USCC registered in `division` whose both check characters are right. */
export function uscc(division: string, serial: number): string {
  const organisation = `MA${String(serial).padStart(6, '0')}`;
  const first17 = `91${division}${organisation}${organisationCodeCheckCharacter(organisation)}`;
  return first17 + usccCheckCharacter(first17);
}

/** An invention-patent application number of 2024 with its check digit. */
export function patentNumber(serial: number): string {
  const digits = `20241${String(serial).padStart(7, '0')}`;
  return `${digits}.${patentCheckDigit(digits)}`;
}

export interface LoanSpec {
  contractNo: string;
  enterpriseUscc: string;
  principal: string;
  startDate: string;
  maturityDate: string;
  rightType?: 'patent' | 'trademark';
  assetSerial: number;
  events: Array<{ type: string; date: string; amount?: string }>;
}

/** Posts the loan and then its events, one by one, as the bank would; returns the loan id. */
export async function postLoan(bank: AuthorisedAgent, spec: LoanSpec): Promise<string> {
  const rightType = spec.rightType ?? 'patent';
  const created = await bank.post('/api/v1/loans').send({
    contractNo: spec.contractNo,
    enterpriseUscc: spec.enterpriseUscc,
    principal: spec.principal,
    annualRate: '0.0435',
    startDate: spec.startDate,
    maturityDate: spec.maturityDate,
    collateral: 'ip_only',
    pledges: [{ rightType, number: rightType === 'patent' ? patentNumber(spec.assetSerial) : String(30_000_000 + spec.assetSerial) }],
  });
  if (created.status !== 201) throw new Error(`loan ${spec.contractNo}: ${created.status} ${JSON.stringify(created.body)}`);
  const loanId = created.body.id as string;
  for (const event of spec.events) {
    const posted = await bank.post(`/api/v1/loans/${loanId}/events`).send(event);
    if (posted.status !== 201) throw new Error(`event ${event.type} of ${spec.contractNo}: ${posted.status} ${JSON.stringify(posted.body)}`);
  }
  return loanId;
}
