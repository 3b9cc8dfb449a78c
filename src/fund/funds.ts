/**
 * The risk-compensation fund itself: a fund and its dated versions of parameters, and the capital the funding
 * bodies pay into its cash. Also what the fund's other operations share: the fund read (and locked), the version in
 * force on a date, a bank's scope, dates that must not be in the future.
 *
 * Each function runs on the caller's transaction (`db`), gathers the facts set-wise, lets the pure functions of
 * ./compute.ts decide the amounts, and writes the row and its ledger entry together (src/fund/README.md).
 * Loans are read through what the loans module exports (`getLoan`; the SQL function `loan_event_summary` and the view
 * `loan_facts`), banks and funding bodies through the principals' views: never their tables (migrations/owners.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool';
import { todayInChina } from '../dates';
import { DomainError, validationError } from '../errors';
import { keysetSql, pageOfRows, type Keyset, type Sort, type SortColumn } from '../db/keyset';
import { ensureAccounts, post } from '../ledger';
import type { Fen } from '../money';
import type { Principal } from '../principals';
import { contributionEntry, fundAccountDefinitions } from './accounts';
import {
  assertFundParameters,
  loadParameters,
  storeParameters,
  versionInForce,
  type FundParameters,
  type FundVersion,
  type StoredFundParameters,
} from './parameters';
export interface Fund {
  id: string;
  code: string;
  name: string;
  createdAt: string;
  /** Every version, oldest first. */
  versions: FundVersion[];
}

export const scopeOf = (principal: Principal): { bankId: string | null } => ({ bankId: principal.role === 'bank' ? principal.bankId : null });

export function assertNotFuture(path: string, date: string): void {
  if (date > todayInChina()) throw validationError(path, `must not be in the future (today in China is ${todayInChina()})`);
}


async function assertBodiesAndBanksExist(db: Queryable, parameters: FundParameters): Promise<void> {
  const bodies = await db.query<{ code: string }>(`select code from funding_body_directory where code = any($1::text[])`, [parameters.bodies]);
  const knownBodies = new Set(bodies.rows.map((row) => row.code));
  const problems = parameters.bodies
    .map((body, index) => ({ body, index }))
    .filter(({ body }) => !knownBodies.has(body))
    .map(({ body, index }) => ({ path: `bodies.${index}`, message: `no funding body ${body}` }));
  if (parameters.partnerBankIds) {
    const banks = await db.query<{ id: string }>(`select id from bank_directory where id = any($1::uuid[])`, [parameters.partnerBankIds]);
    const knownBanks = new Set(banks.rows.map((row) => row.id));
    parameters.partnerBankIds.forEach((bankId, index) => {
      if (!knownBanks.has(bankId)) problems.push({ path: `partnerBankIds.${index}`, message: `no bank ${bankId}` });
    });
  }
  if (problems.length > 0) {
    throw new DomainError('validation_failed', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  }
}

export interface NewFundVersion {
  effectiveFrom: string;
  reference: string;
  parameters: FundParameters;
}

export async function createFund(
  db: Queryable,
  principal: Principal,
  input: { code: string; name: string } & NewFundVersion,
): Promise<Fund> {
  assertFundParameters(input.parameters);
  await assertBodiesAndBanksExist(db, input.parameters);
  const inserted = await db.query<{ id: string }>(
    `insert into fund (code, name, created_by) values ($1, $2, $3) on conflict (code) do nothing returning id`,
    [input.code, input.name, principal.id],
  );
  const id = inserted.rows[0]?.id;
  if (!id) throw new DomainError('conflict', `a fund with code ${input.code} exists`, [{ path: 'code', message: 'already used' }]);
  await db.query(
    `insert into fund_version (fund_id, version, effective_from, reference, parameters, created_by) values ($1, 1, $2, $3, $4, $5)`,
    [id, input.effectiveFrom, input.reference, JSON.stringify(storeParameters(input.parameters)), principal.id],
  );
  await ensureAccounts(db, fundAccountDefinitions(input.code, input.parameters.bodies));
  return getFund(db, id);
}

/** A change of rule: a new version from its effective date; earlier versions stay as they were. */
export async function addFundVersion(db: Queryable, principal: Principal, fundId: string, input: NewFundVersion): Promise<Fund> {
  assertFundParameters(input.parameters);
  await assertBodiesAndBanksExist(db, input.parameters);
  const fund = await getFund(db, fundId, { lock: true });
  if (fund.versions.some((v) => v.effectiveFrom === input.effectiveFrom)) {
    throw new DomainError('conflict', `the fund already has a version effective from ${input.effectiveFrom}`, [
      { path: 'effectiveFrom', message: 'a version with this date exists; add one with another date' },
    ]);
  }
  await db.query(
    `insert into fund_version (fund_id, version, effective_from, reference, parameters, created_by) values ($1, $2, $3, $4, $5, $6)`,
    [fundId, fund.versions.length + 1, input.effectiveFrom, input.reference, JSON.stringify(storeParameters(input.parameters)), principal.id],
  );
  await ensureAccounts(db, fundAccountDefinitions(fund.code, input.parameters.bodies));
  return getFund(db, fundId);
}

/** `lock`: holds the fund's row until the transaction ends, serialising enrolments and claims of one fund. */
type FundRow = { id: string; code: string; name: string; created_at: Date };
type VersionRow = { fund_id: string; version: number; effective_from: string; reference: string; parameters: StoredFundParameters };

function toFund(fund: FundRow, versions: VersionRow[]): Fund {
  return {
    id: fund.id,
    code: fund.code,
    name: fund.name,
    createdAt: fund.created_at.toISOString(),
    versions: versions.map((v) => ({
      fundId: fund.id,
      version: v.version,
      effectiveFrom: v.effective_from,
      reference: v.reference,
      parameters: loadParameters(v.parameters),
    })),
  };
}

const VERSIONS_OF = `select fund_id, version, effective_from, reference, parameters from fund_version
  where fund_id = any($1::uuid[]) order by fund_id, version`;

export async function getFund(db: Queryable, fundId: string, options: { lock?: boolean } = {}): Promise<Fund> {
  const row = await db.query<FundRow>(`select id, code, name, created_at from fund where id = $1${options.lock ? ' for update' : ''}`, [fundId]);
  const fund = row.rows[0];
  if (!fund) throw new DomainError('fund_not_found', `no fund ${fundId}`);
  const versions = await db.query<VersionRow>(VERSIONS_OF, [[fundId]]);
  return toFund(fund, versions.rows);
}

/** A page of funds by code, after the code `after` (two statements: the funds, then all their versions); `next` is null on the last page. */
export async function listFunds(db: Queryable, page: { after?: string | undefined; limit: number }): Promise<{ items: Fund[]; next: string | null }> {
  const rows = await db.query<FundRow>(`select id, code, name, created_at from fund where $1::text is null or code > $1 order by code limit $2`, [
    page.after ?? null,
    page.limit + 1,
  ]);
  const funds = rows.rows.slice(0, page.limit);
  const versions = await db.query<VersionRow>(VERSIONS_OF, [funds.map((fund) => fund.id)]);
  const byFund = new Map<string, VersionRow[]>();
  for (const version of versions.rows) byFund.set(version.fund_id, [...(byFund.get(version.fund_id) ?? []), version]);
  return {
    items: funds.map((fund) => toFund(fund, byFund.get(fund.id) ?? [])),
    next: rows.rows.length > page.limit ? funds[funds.length - 1]!.code : null,
  };
}

export function inForce(fund: Fund, date: string): FundVersion {
  const version = versionInForce(fund.versions, date);
  if (!version) {
    throw new DomainError(
      'fund_parameters_not_in_force',
      `fund ${fund.code} has no parameters in force on ${date}; its first version is effective from ${fund.versions[0]?.effectiveFrom}`,
    );
  }
  return version;
}

// ---------------------------------------------------------------------------------------------------------------
// Contributions

export interface Contribution {
  id: string;
  fundId: string;
  body: string;
  amountFen: Fen;
  date: string;
  entryId: string;
}

/** Capital paid in by a funding body (staff, or that body's finance principal): one ledger entry into the cash. */
export async function contribute(
  db: Queryable,
  principal: Principal,
  fundId: string,
  input: { body: string; amountFen: Fen; date: string },
): Promise<Contribution> {
  if (principal.role === 'finance' && principal.body !== input.body) {
    throw new DomainError('forbidden', `a finance principal of ${principal.body} records only ${principal.body}'s contributions`);
  }
  assertNotFuture('date', input.date);
  const fund = await getFund(db, fundId);
  const version = inForce(fund, input.date);
  if (!version.parameters.bodies.includes(input.body)) {
    throw validationError('body', `is not a contributing body of fund ${fund.code} on ${input.date} (${version.parameters.bodies.join(', ')})`);
  }
  const id = randomUUID();
  const entry = await post(db, contributionEntry(fund, { id, body: input.body, amountFen: input.amountFen, date: input.date }));
  await db.query(
    `insert into fund_contribution (id, fund_id, body, amount_fen, contributed_on, ledger_entry_id, created_by)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [id, fundId, input.body, input.amountFen.toString(), input.date, entry.id.toString(), principal.id],
  );
  return { id, fundId, body: input.body, amountFen: input.amountFen, date: input.date, entryId: entry.id.toString() };
}

/** The fund's contributions by date (then id), optionally of one funding body, a page at a time. */
/** The columns the fund's lists may be sorted by (src/db/keyset.ts). */
export const CONTRIBUTION_SORT_COLUMNS = {
  date: { sql: 'contributed_on', type: 'date' },
  amount: { sql: 'amount_fen', type: 'bigint' },
} satisfies Record<string, SortColumn>;

export async function listContributions(
  db: Queryable,
  fundId: string,
  page: { limit: number; sort: Sort<keyof typeof CONTRIBUTION_SORT_COLUMNS>; after?: Keyset | undefined; body?: string | undefined },
): Promise<{ items: Contribution[]; next: string | null }> {
  await getFund(db, fundId);
  const params: unknown[] = [fundId, page.body ?? null];
  const keyset = keysetSql(CONTRIBUTION_SORT_COLUMNS, page.sort, 'id', 'uuid', page.after, params);
  params.push(page.limit + 1);
  const rows = await db.query<{ id: string; sort_value: string; fund_id: string; body: string; amount_fen: bigint; contributed_on: string; ledger_entry_id: string }>(
    `select id, ${keyset.sortValue} as sort_value, fund_id, body, amount_fen, contributed_on, ledger_entry_id::text as ledger_entry_id
       from fund_contribution
      where fund_id = $1 and ($2::text is null or body = $2) and ${keyset.where}
      order by ${keyset.orderBy} limit $${params.length}`,
    params,
  );
  const paged = pageOfRows(rows.rows, page.limit, page.sort);
  return {
    items: paged.rows.map((row) => ({
      id: row.id,
      fundId: row.fund_id,
      body: row.body,
      amountFen: BigInt(row.amount_fen),
      date: row.contributed_on,
      entryId: row.ledger_entry_id,
    })),
    next: paged.next,
  };
}
