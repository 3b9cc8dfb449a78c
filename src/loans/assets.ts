/**
 * IP assets and what they backed: one row per right (type and normalised number), pledged by any number
 * of loans over time; for each, the loan's dates and how it ended.
 */
import type { Queryable } from '../db/pool';
import { DomainError } from '../errors';
import { EVENT_SUMMARY_SQL, STATUS_SQL } from './status';
import type { LoanScope, LoanStatus, RightType } from './types';
import { normaliseRightNumber } from './validation';

export interface AssetHistory {
  id: string;
  rightType: RightType;
  number: string;
  /** Every loan the asset backed (those of the caller's bank only, for a bank), by start date. */
  loans: Array<{
    loanId: string;
    bankId: string;
    contractNo: string;
    enterpriseUscc: string;
    registrationNo: string | null;
    startDate: string;
    maturityDate: string;
    settlementDate: string | null;
    status: LoanStatus;
  }>;
}

/**
 * The asset with this right type and number (normalised first, so 'ZL 2023 1 0123456.6' finds '202310123456.6') and
 * the loans it backed. A bank sees only its own loans; an asset none of them pledged is `ip_asset_not_found` for it,
 * so that a bank cannot learn what another bank holds.
 */
export async function assetHistory(db: Queryable, scope: LoanScope, rightType: RightType, number: string): Promise<AssetHistory> {
  const normalised = normaliseRightNumber(rightType, number);
  if (!normalised.ok) {
    throw new DomainError('validation_failed', `number: ${normalised.message}`, [{ path: 'number', message: normalised.message }]);
  }
  const asset = await db.query<{ id: bigint; right_type: RightType; number: string }>(
    `select id, right_type, number from ip_asset where right_type = $1 and number = $2`,
    [rightType, normalised.number],
  );
  const row = asset.rows[0];
  if (!row) throw new DomainError('ip_asset_not_found', `no ${rightType} ${normalised.number} has been pledged`);
  const loans = await db.query<{
    id: string;
    bank_id: string;
    contract_no: string;
    enterprise_uscc: string;
    registration_no: string | null;
    start_date: string;
    maturity_date: string;
    settlement_date: string | null;
    status: LoanStatus;
  }>(
    `select l.id, l.bank_id, l.contract_no, l.enterprise_uscc, p.registration_no, l.start_date, l.maturity_date,
            ev.settlement_date, ${STATUS_SQL} as status
       from pledge p join loan l on l.id = p.loan_id
       left join lateral (${EVENT_SUMMARY_SQL('null')}) ev on true
      where p.asset_id = $1 and ($2::uuid is null or l.bank_id = $2)
      order by l.start_date, l.id`,
    [row.id, scope.bankId],
  );
  if (scope.bankId !== null && loans.rows.length === 0) {
    throw new DomainError('ip_asset_not_found', `no ${rightType} ${normalised.number} has been pledged`);
  }
  return {
    id: row.id.toString(),
    rightType: row.right_type,
    number: row.number,
    loans: loans.rows.map((loan) => ({
      loanId: loan.id,
      bankId: loan.bank_id,
      contractNo: loan.contract_no,
      enterpriseUscc: loan.enterprise_uscc,
      registrationNo: loan.registration_no,
      startDate: loan.start_date,
      maturityDate: loan.maturity_date,
      settlementDate: loan.settlement_date,
      status: loan.status,
    })),
  };
}
