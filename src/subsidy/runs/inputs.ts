/**
 * What staff enter for the yearly runs (docs/subsidy-rules.md "Other support"): fees paid for a
 * loan (袁府办字〔2023〕25号 四(三)2), patent-insurance premiums (《关于全面加强知识产权工作的实施意见》 § 6), local contributions (《关于全面加强知识产权工作的实施意见》 § 22), exclusions (《关于全面加强知识产权工作的实施意见》 § 23)
 * and support from other programmes (袁府办字〔2023〕25号 奖励认定1; 《关于全面加强知识产权工作的实施意见》 § 21). Every record is kept with who entered it and when;
 * the runs read them set-wise (load.ts).
 */
import type { Queryable } from '../../db/pool';
import { DomainError } from '../../errors';
import type { Fen } from '../../money';
import type { FeeKind } from '../policy';

export const FISCAL_LEVELS = ['national', 'province', 'city', 'district', 'county'] as const;
export type FiscalLevel = (typeof FISCAL_LEVELS)[number];

/** A list of one enterprise's or one loan's inputs is small; this bounds an answer all the same. */
export const INPUT_LIST_LIMIT = 1_000;

async function requireLoan(db: Queryable, loanId: string): Promise<void> {
  const found = await db.query(`select 1 from loan_facts where id = $1`, [loanId]);
  if (found.rowCount === 0) throw new DomainError('loan_not_found', `no loan ${loanId}`);
}

async function requireEnterprise(db: Queryable, uscc: string): Promise<void> {
  const found = await db.query(`select 1 from enterprise_registration where uscc = $1`, [uscc]);
  if (found.rowCount === 0) throw new DomainError('enterprise_not_found', `no enterprise ${uscc}`);
}

export interface Recorded {
  id: string;
  recordedBy: string | null;
  recordedAt: string;
}

// ---- fees -------------------------------------------------------------------------------------------------------

export interface LoanFee extends Recorded {
  loanId: string;
  kind: FeeKind;
  amountFen: Fen;
  paidOn: string;
}

type FeeRow = { id: string; loan_id: string; kind: FeeKind; amount_fen: bigint; paid_on: string; recorded_by: string | null; recorded_at: Date };
const toFee = (row: FeeRow): LoanFee => ({
  id: row.id,
  loanId: row.loan_id,
  kind: row.kind,
  amountFen: row.amount_fen,
  paidOn: row.paid_on,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at.toISOString(),
});

export async function addFee(db: Queryable, input: { loanId: string; kind: FeeKind; amountFen: Fen; paidOn: string }, by: string): Promise<LoanFee> {
  await requireLoan(db, input.loanId);
  const result = await db.query<FeeRow>(
    `insert into loan_fee (loan_id, kind, amount_fen, paid_on, recorded_by) values ($1, $2, $3, $4, $5)
     returning id, loan_id, kind, amount_fen, paid_on, recorded_by, recorded_at`,
    [input.loanId, input.kind, input.amountFen.toString(), input.paidOn, by],
  );
  return toFee(result.rows[0]!);
}

export async function listFees(db: Queryable, loanId: string): Promise<LoanFee[]> {
  await requireLoan(db, loanId);
  const result = await db.query<FeeRow>(
    `select id, loan_id, kind, amount_fen, paid_on, recorded_by, recorded_at from loan_fee where loan_id = $1
      order by paid_on, recorded_at, id limit ${INPUT_LIST_LIMIT}`,
    [loanId],
  );
  return result.rows.map(toFee);
}

// ---- premiums ---------------------------------------------------------------------------------------------------

export interface Premium extends Recorded {
  enterpriseUscc: string;
  amountFen: Fen;
  paidOn: string;
}

type PremiumRow = { id: string; enterprise_uscc: string; amount_fen: bigint; paid_on: string; recorded_by: string | null; recorded_at: Date };
const toPremium = (row: PremiumRow): Premium => ({
  id: row.id,
  enterpriseUscc: row.enterprise_uscc,
  amountFen: row.amount_fen,
  paidOn: row.paid_on,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at.toISOString(),
});

export async function addPremium(db: Queryable, input: { uscc: string; amountFen: Fen; paidOn: string }, by: string): Promise<Premium> {
  await requireEnterprise(db, input.uscc);
  const result = await db.query<PremiumRow>(
    `insert into subsidy_premium (enterprise_uscc, amount_fen, paid_on, recorded_by) values ($1, $2, $3, $4)
     returning id, enterprise_uscc, amount_fen, paid_on, recorded_by, recorded_at`,
    [input.uscc, input.amountFen.toString(), input.paidOn, by],
  );
  return toPremium(result.rows[0]!);
}

export async function listPremiums(db: Queryable, uscc: string): Promise<Premium[]> {
  await requireEnterprise(db, uscc);
  const result = await db.query<PremiumRow>(
    `select id, enterprise_uscc, amount_fen, paid_on, recorded_by, recorded_at from subsidy_premium
      where enterprise_uscc = $1 order by paid_on, recorded_at, id limit ${INPUT_LIST_LIMIT}`,
    [uscc],
  );
  return result.rows.map(toPremium);
}

// ---- contributions (《关于全面加强知识产权工作的实施意见》 § 22) -----------------------------------------------------------------------------------

export interface Contribution extends Recorded {
  enterpriseUscc: string;
  year: number;
  amountFen: Fen;
  /** The latest record for (enterprise, year) counts; earlier ones are kept, superseded. */
  current: boolean;
}

type ContributionRow = { id: string; enterprise_uscc: string; year: number; amount_fen: bigint; recorded_by: string | null; recorded_at: Date; current: boolean };
const toContribution = (row: ContributionRow): Contribution => ({
  id: row.id,
  enterpriseUscc: row.enterprise_uscc,
  year: row.year,
  amountFen: row.amount_fen,
  current: row.current,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at.toISOString(),
});

export async function addContribution(db: Queryable, input: { uscc: string; year: number; amountFen: Fen }, by: string): Promise<Contribution> {
  await requireEnterprise(db, input.uscc);
  const result = await db.query<ContributionRow>(
    `insert into subsidy_contribution (enterprise_uscc, year, amount_fen, recorded_by) values ($1, $2, $3, $4)
     returning id, enterprise_uscc, year, amount_fen, recorded_by, recorded_at, true as current`,
    [input.uscc, input.year, input.amountFen.toString(), by],
  );
  return toContribution(result.rows[0]!);
}

export async function listContributions(db: Queryable, uscc: string): Promise<Contribution[]> {
  await requireEnterprise(db, uscc);
  const result = await db.query<ContributionRow>(
    `select id, enterprise_uscc, year, amount_fen, recorded_by, recorded_at,
            row_number() over (partition by year order by recorded_at desc, id desc) = 1 as current
       from subsidy_contribution where enterprise_uscc = $1 order by year, recorded_at, id limit ${INPUT_LIST_LIMIT}`,
    [uscc],
  );
  return result.rows.map(toContribution);
}

// ---- exclusions (《关于全面加强知识产权工作的实施意见》 § 23) --------------------------------------------------------------------------------------

export interface Exclusion {
  id: string;
  enterpriseUscc: string;
  year: number;
  reason: string;
  setBy: string | null;
  setAt: string;
  /** null while the flag stands; a withdrawn flag no longer counts in runs computed after (migration 001301). */
  withdrawal: { on: string; reason: string; by: string | null; at: string } | null;
}

type ExclusionRow = {
  id: string;
  enterprise_uscc: string;
  year: number;
  reason: string;
  set_by: string | null;
  set_at: Date;
  withdrawn_on: string | null;
  withdrawal_reason: string | null;
  withdrawn_by: string | null;
  withdrawn_at: Date | null;
};
const EXCLUSION_COLUMNS = 'id, enterprise_uscc, year, reason, set_by, set_at, withdrawn_on, withdrawal_reason, withdrawn_by, withdrawn_at';
const toExclusion = (row: ExclusionRow): Exclusion => ({
  id: row.id,
  enterpriseUscc: row.enterprise_uscc,
  year: row.year,
  reason: row.reason,
  setBy: row.set_by,
  setAt: row.set_at.toISOString(),
  withdrawal:
    row.withdrawn_on === null
      ? null
      : { on: row.withdrawn_on, reason: row.withdrawal_reason!, by: row.withdrawn_by, at: row.withdrawn_at!.toISOString() },
});

export async function addExclusion(db: Queryable, input: { uscc: string; year: number; reason: string }, by: string): Promise<Exclusion> {
  await requireEnterprise(db, input.uscc);
  const result = await db.query<ExclusionRow>(
    `insert into subsidy_exclusion (enterprise_uscc, year, reason, set_by) values ($1, $2, $3, $4)
     returning ${EXCLUSION_COLUMNS}`,
    [input.uscc, input.year, input.reason, by],
  );
  return toExclusion(result.rows[0]!);
}

/**
 * Withdraws an exclusion on `date` (not in the future), with a reason, once (《关于全面加强知识产权工作的实施意见》
 * § 23: the flag was set by mistake, or its ground has gone); the flag stays, with its withdrawal, and no longer
 * counts in runs computed after. The database refuses any other change (subsidy_exclusion_guard).
 */
export async function withdrawExclusion(
  db: Queryable,
  uscc: string,
  id: string,
  input: { date: string; reason: string },
  by: string,
  today: string,
): Promise<Exclusion> {
  if (input.date > today) {
    throw new DomainError('validation_failed', `a withdrawal is recorded when made: ${input.date} is after today (${today})`, [
      { path: 'date', message: `must not be in the future (today in China is ${today})` },
    ]);
  }
  const found = await db.query<ExclusionRow>(`select ${EXCLUSION_COLUMNS} from subsidy_exclusion where id = $1 and enterprise_uscc = $2 for update`, [
    id,
    uscc,
  ]);
  const row = found.rows[0];
  if (!row) throw new DomainError('not_found', `enterprise ${uscc} has no exclusion ${id}`);
  if (row.withdrawn_on !== null) {
    throw new DomainError('conflict', `exclusion ${id} was withdrawn on ${row.withdrawn_on}; a flag is withdrawn once`, [], { withdrawnOn: row.withdrawn_on });
  }
  const setOn = row.set_at.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  if (input.date < setOn) {
    throw new DomainError('validation_failed', `exclusion ${id} was set on ${setOn}; it is not withdrawn before`, [
      { path: 'date', message: `must not be before the day the exclusion was set (${setOn})` },
    ]);
  }
  const updated = await db.query<ExclusionRow>(
    `update subsidy_exclusion set withdrawn_on = $2, withdrawal_reason = $3, withdrawn_by = $4, withdrawn_at = now()
      where id = $1 returning ${EXCLUSION_COLUMNS}`,
    [id, input.date, input.reason, by],
  );
  return toExclusion(updated.rows[0]!);
}

/** An enterprise's exclusions, withdrawn ones too. */
export async function listExclusions(db: Queryable, uscc: string): Promise<Exclusion[]> {
  await requireEnterprise(db, uscc);
  const result = await db.query<ExclusionRow>(
    `select ${EXCLUSION_COLUMNS} from subsidy_exclusion where enterprise_uscc = $1
      order by year, set_at, id limit ${INPUT_LIST_LIMIT}`,
    [uscc],
  );
  return result.rows.map(toExclusion);
}

// ---- other support (袁府办字〔2023〕25号 奖励认定1; 《关于全面加强知识产权工作的实施意见》 § 21) ---------------------------------------------------------------------

export interface OtherSupport extends Recorded {
  loanId: string;
  programme: string;
  fiscalLevel: FiscalLevel;
  amountFen: Fen;
  year: number | null;
}

type OtherSupportRow = {
  id: string;
  loan_id: string;
  programme: string;
  fiscal_level: FiscalLevel;
  amount_fen: bigint;
  year: number | null;
  recorded_by: string | null;
  recorded_at: Date;
};
const toOtherSupport = (row: OtherSupportRow): OtherSupport => ({
  id: row.id,
  loanId: row.loan_id,
  programme: row.programme,
  fiscalLevel: row.fiscal_level,
  amountFen: row.amount_fen,
  year: row.year,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at.toISOString(),
});

export async function addOtherSupport(
  db: Queryable,
  input: { loanId: string; programme: string; fiscalLevel: FiscalLevel; amountFen: Fen; year?: number | undefined },
  by: string,
): Promise<OtherSupport> {
  await requireLoan(db, input.loanId);
  const result = await db.query<OtherSupportRow>(
    `insert into subsidy_other_support (loan_id, programme, fiscal_level, amount_fen, year, recorded_by)
     values ($1, $2, $3, $4, $5, $6)
     returning id, loan_id, programme, fiscal_level, amount_fen, year, recorded_by, recorded_at`,
    [input.loanId, input.programme, input.fiscalLevel, input.amountFen.toString(), input.year ?? null, by],
  );
  return toOtherSupport(result.rows[0]!);
}

export async function listOtherSupport(db: Queryable, loanId: string): Promise<OtherSupport[]> {
  await requireLoan(db, loanId);
  const result = await db.query<OtherSupportRow>(
    `select id, loan_id, programme, fiscal_level, amount_fen, year, recorded_by, recorded_at from subsidy_other_support
      where loan_id = $1 order by recorded_at, id limit ${INPUT_LIST_LIMIT}`,
    [loanId],
  );
  return result.rows.map(toOtherSupport);
}
