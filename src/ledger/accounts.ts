import type { Queryable } from '../db/pool';
import { DomainError } from '../errors';
import type { Account, AccountDefinition, NormalSide } from './types';

export const ACCOUNT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$/;

function defaultNormalSide(definition: AccountDefinition): NormalSide {
  if (definition.normalSide) return definition.normalSide;
  switch (definition.type) {
    case 'asset':
    case 'expense':
      return 'debit';
    case 'liability':
    case 'equity':
    case 'income':
      return 'credit';
    case 'memo':
      throw new DomainError('validation_failed', `memo account ${definition.code} needs an explicit normal side`);
  }
}

interface AccountRow {
  id: bigint;
  code: string;
  name: string;
  type: Account['type'];
  normal_side: NormalSide;
  floor_fen: bigint | null;
  ceiling_fen: bigint | null;
  shared: boolean;
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    normalSide: row.normal_side,
    floorFen: row.floor_fen,
    ceilingFen: row.ceiling_fen,
    shared: row.shared,
  };
}

/**
 * Creates the accounts that do not exist yet, in one statement, and checks that those that exist were defined the
 * same way (type, normal side, limits): an account's meaning never changes under its code.
 */
export async function ensureAccounts(db: Queryable, definitions: AccountDefinition[]): Promise<Account[]> {
  if (definitions.length === 0) return [];
  for (const definition of definitions) {
    if (!ACCOUNT_CODE_PATTERN.test(definition.code)) {
      throw new DomainError('validation_failed', `account code ${JSON.stringify(definition.code)} is not valid`);
    }
  }
  const normalSides = definitions.map(defaultNormalSide);
  const result = await db.query<AccountRow>(
    `with input as (
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::boolean[])
         as t(code, name, type, normal_side, floor_fen, ceiling_fen, shared)
     ), inserted as (
       insert into ledger_account (code, name, type, normal_side, floor_fen, ceiling_fen, shared)
       select i.code, i.name, i.type, i.normal_side, i.floor_fen, i.ceiling_fen, i.shared from input i
        where not exists (select 1 from ledger_account a where a.code = i.code)
        order by i.code
       on conflict (code) do nothing -- one created by a concurrent transaction since
       returning id, code, name, type, normal_side, floor_fen, ceiling_fen, shared
     )
     -- The statement sees the table as it was before it ran, so the two halves never list an account twice.
     select * from inserted
     union all
     select a.id, a.code, a.name, a.type, a.normal_side, a.floor_fen, a.ceiling_fen, a.shared
       from ledger_account a join input i on i.code = a.code`,
    [
      definitions.map((d) => d.code),
      definitions.map((d) => d.name),
      definitions.map((d) => d.type),
      normalSides,
      definitions.map((d) => (d.floorFen ?? null)?.toString() ?? null),
      definitions.map((d) => (d.ceilingFen ?? null)?.toString() ?? null),
      definitions.map((d) => d.shared ?? false),
    ],
  );
  const byCode = new Map(result.rows.map((row) => [row.code, toAccount(row)]));
  // A concurrent transaction that created one of them first and committed while we waited is not visible to the
  // statement above (its snapshot predates the wait): read those again.
  const missing = definitions.map((d) => d.code).filter((code) => !byCode.has(code));
  if (missing.length > 0) {
    const again = await db.query<AccountRow>(
      `select id, code, name, type, normal_side, floor_fen, ceiling_fen, shared from ledger_account where code = any($1::text[])`,
      [missing],
    );
    for (const row of again.rows) byCode.set(row.code, toAccount(row));
  }
  return definitions.map((definition, index) => {
    const account = byCode.get(definition.code);
    if (!account) throw new DomainError('account_not_found', `account ${definition.code} was not created`);
    const same =
      account.type === definition.type &&
      account.normalSide === normalSides[index] &&
      account.floorFen === (definition.floorFen ?? null) &&
      account.ceilingFen === (definition.ceilingFen ?? null) &&
      account.shared === (definition.shared ?? false);
    if (!same) {
      throw new DomainError(
        'account_definition_conflict',
        `account ${definition.code} exists with another type, normal side, limits or sharing`,
      );
    }
    return account;
  });
}

export async function findAccount(db: Queryable, code: string): Promise<Account | undefined> {
  const result = await db.query<AccountRow>(
    `select id, code, name, type, normal_side, floor_fen, ceiling_fen, shared from ledger_account where code = $1`,
    [code],
  );
  return result.rows[0] ? toAccount(result.rows[0]) : undefined;
}

export async function getAccount(db: Queryable, code: string): Promise<Account> {
  const account = await findAccount(db, code);
  if (!account) throw new DomainError('account_not_found', `no ledger account ${code}`, [], { account: code });
  return account;
}
