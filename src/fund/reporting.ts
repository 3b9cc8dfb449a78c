/**
 * Reporting: the fund's cash statement from the ledger and its key figures.
 *
 * Each function runs on the caller's transaction (`db`), gathers the facts set-wise, lets the pure functions of
 * ./compute.ts decide the amounts, and writes the row and its ledger entry together (src/fund/README.md).
 * Loans are read through what the loans module exports (`getLoan`; the SQL function `loan_event_summary` and the view
 * `loan_facts`), banks and funding bodies through the principals' views: never their tables (migrations/owners.ts).
 */
import type { Queryable } from '../db/pool';
import {
  balances,
  statement,
  statementPage,
  trialBalance,
  type StatementLine,
  type StatementPosition,
} from '../ledger';
import type { Fen } from '../money';
import { fundAccountCodes, MOVEMENT_KIND } from './accounts';
import { leverageLimitFen, ratioText, suspension } from './compute';
import { versionInForce } from './parameters';
import { getFund } from './funds';
import { coveredPrincipalOf } from './enrolments';
import { bankPortfolios } from './claims';

export interface FundStatement {
  fundId: string;
  account: string;
  from: string;
  to: string;
  openingFen: Fen;
  movements: Array<{
    date: string;
    kind: string;
    /** Signed: into the cash positive, out of it negative. */
    amountFen: Fen;
    balanceFen: Fen;
    description: string;
    source: { kind: string; id: string; entryId: string };
  }>;
  closingFen: Fen;
}

/** The statement of the fund's cash from the ledger: opening at the start of `from`, closing at the end of `to`. */
export async function fundStatement(db: Queryable, fundId: string, from: string, to: string): Promise<FundStatement> {
  const fund = await getFund(db, fundId);
  const account = fundAccountCodes(fund.code).cash;
  const s = await statement(db, account, from, to);
  return { fundId, account, from, to, openingFen: s.openingFen, movements: s.lines.map(movementOf), closingFen: s.closingFen };
}

function movementOf(line: StatementLine): FundStatement['movements'][number] {
  return {
    date: line.effectiveDate,
    kind: line.reversesEntryId !== null ? 'reversal' : (MOVEMENT_KIND[line.source.kind] ?? line.source.kind),
    amountFen: line.side === 'debit' ? line.amountFen : -line.amountFen,
    balanceFen: line.balanceFen,
    description: line.description,
    source: { kind: line.source.kind, id: line.source.id, entryId: line.entryId.toString() },
  };
}

/**
 * A page of the statement (the console's): opening and closing of the whole period, the movements after `after`
 * (the ledger's order: value date, entry, line), each with the running balance, and where the next page starts.
 */
export async function fundStatementPage(
  db: Queryable,
  fundId: string,
  from: string,
  to: string,
  page: { limit: number; after?: StatementPosition | undefined },
): Promise<FundStatement & { next: StatementPosition | null }> {
  const fund = await getFund(db, fundId);
  const account = fundAccountCodes(fund.code).cash;
  const s = await statementPage(db, account, from, to, page);
  return { fundId, account, from, to, openingFen: s.openingFen, movements: s.lines.map(movementOf), closingFen: s.closingFen, next: s.next };
}

export interface FundKpis {
  fundId: string;
  asOf: string;
  capitalFen: Fen;
  capitalByBody: Array<{ body: string; amountFen: Fen }>;
  cashFen: Fen;
  coveredPrincipalFen: Fen;
  leverage: string;
  leverageLimitFen: Fen;
  /** Covered principal ÷ capital. */
  leverageUsed: string;
  claimsApprovedUnpaidFen: Fen;
  claimsPaidFen: Fen;
  recoveredFen: Fen;
  writtenOffFen: Fen;
  /** Recovered ÷ paid. */
  recoveryRate: string;
  nonPerformingByBank: Array<{
    bankId: string;
    coveredPrincipalFen: Fen;
    nonPerformingCoveredPrincipalFen: Fen;
    ratio: string;
    suspended: boolean;
  }>;
}

export async function fundKpis(db: Queryable, fundId: string, asOf: string): Promise<FundKpis> {
  const fund = await getFund(db, fundId);
  const version = versionInForce(fund.versions, asOf) ?? fund.versions[0]!;
  const codes = fundAccountCodes(fund.code);
  const capital = await trialBalance(db, { asOf, prefix: codes.capitalPrefix });
  const ledger = await balances(db, [codes.cash, codes.recoveryIncome], asOf);
  const covered = await coveredPrincipalOf(db, fundId, asOf);
  const claims = await db.query<{ approved_unpaid: bigint; paid: bigint }>(
    `select coalesce(sum(amount_fen) filter (where approved_on <= $2 and (paid_on is null or paid_on > $2)
                                               and (rejected_on is null or rejected_on > $2)), 0)::bigint as approved_unpaid,
            coalesce(sum(amount_fen) filter (where paid_on <= $2), 0)::bigint as paid
       from fund_claim where fund_id = $1`,
    [fundId, asOf],
  );
  const writeOffs = await db.query<{ total: bigint }>(
    `select coalesce(sum(amount_fen), 0)::bigint as total from fund_write_off where fund_id = $1 and written_off_on <= $2`,
    [fundId, asOf],
  );
  const portfolios = await bankPortfolios(db, fundId, asOf);
  const capitalFen = capital.accounts.reduce((sum, account) => sum + account.balanceFen, 0n);
  const paidFen = claims.rows[0]!.paid;
  const recoveredFen = ledger.get(codes.recoveryIncome)?.balanceFen ?? 0n;
  return {
    fundId,
    asOf,
    capitalFen,
    capitalByBody: capital.accounts.map((account) => ({ body: account.code.slice(codes.capitalPrefix.length), amountFen: account.balanceFen })),
    cashFen: ledger.get(codes.cash)?.balanceFen ?? 0n,
    coveredPrincipalFen: covered,
    leverage: version.parameters.leverage,
    leverageLimitFen: leverageLimitFen(capitalFen, version.parameters.leverage),
    leverageUsed: ratioText(covered, capitalFen),
    claimsApprovedUnpaidFen: claims.rows[0]!.approved_unpaid,
    claimsPaidFen: paidFen,
    recoveredFen,
    writtenOffFen: writeOffs.rows[0]!.total,
    recoveryRate: ratioText(recoveredFen, paidFen),
    nonPerformingByBank: [...portfolios.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([bankId, portfolio]) => {
        const s = suspension(version.parameters, portfolio);
        return {
          bankId,
          coveredPrincipalFen: portfolio.coveredFen,
          nonPerformingCoveredPrincipalFen: portfolio.nonPerformingCoveredFen,
          ratio: s.ratio,
          suspended: s.suspended,
        };
      }),
  };
}
