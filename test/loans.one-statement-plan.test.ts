/**
 * A loan written in one statement (`loan_create_one`, src/loans/one-statement.ts) costs the same however many
 * accounts and pledged rights the database holds: the function keeps one generic plan per connection for each of its
 * statements, made when the tables were small (migrations/Migration20261204000400LoanPlansKept.ts), and a plan that
 * hashed the whole of `ledger_account` to find a loan's existing accounts, or of `ip_asset` to find its pledged
 * rights, would read every row for every loan from then on (migrations/Migration20261203001900LoanAccountsKeyed.ts).
 * Counted by PostgreSQL itself: the sequential scans of the writing transaction (`pg_stat_xact_user_tables`).
 */
import type pg from 'pg';
import { ensureAccounts } from '../src/ledger';
import { createLoanInOneStatement, registerEnterprise, type LoanInput } from '../src/loans';
import { createBank, createPrincipal } from '../src/principals';
import { createTestDatabase, type TestDatabase } from './support/database';
import { PATENT, USCC } from './loans.support';

let db: TestDatabase;
let session: pg.Client;
let writer: { bankId: string; principalId: string };
beforeAll(async () => {
  db = await createTestDatabase();
  const bank = await createBank(db.pool, { code: 'PLAN-BANK', name: 'plan bank' });
  const { principal } = await createPrincipal(db.pool, { name: 'plan bank system', role: 'bank', bankId: bank.id }, null);
  await registerEnterprise(db.pool, { uscc: USCC.yuanzhou, name: 'plan enterprise' }, { principalId: principal.id, principalName: principal.name, mayOverride: false });
  writer = { bankId: bank.id, principalId: principal.id };
  // One connection of the serving role, as one of the service's pool.
  session = await db.rawClient('app');
});
afterAll(() => db.drop());

const loan = (n: number): LoanInput => ({
  contractNo: `PLAN-${n}`,
  enterpriseUscc: USCC.yuanzhou,
  principalFen: 100_000_000n,
  annualRate: '0.0435',
  startDate: '2024-01-15',
  maturityDate: '2025-01-15',
  collateral: 'ip_only',
  pledges: [{ rightType: 'patent', number: PATENT.invention }],
});

const write = (n: number) =>
  createLoanInOneStatement(session, writer, loan(n), {
    today: '2026-12-03',
    envelope: {
      principalId: writer.principalId,
      key: null,
      method: 'POST',
      path: '/api/v1/loans',
      hash: null,
      requestId: `plan-${n}`,
      auditPath: '/api/v1/loans',
      action: 'POST /api/v1/loans',
      status: 201,
      detail: {},
    },
    answer: () => ({}),
  });

it('reads no account and no pledged right sequentially for a loan, its plans made when both were few and 3,000 of each later', async () => {
  // Enough loans on this connection for PL/pgSQL to settle on its generic plans, while the ledger is small.
  for (let n = 1; n <= 8; n += 1) expect((await write(n))?.kind).toBe('written');
  await ensureAccounts(
    db.pool,
    Array.from({ length: 3_000 }, (_, i) => ({ code: `plan:filler:${i}`, name: `filler ${i}`, type: 'asset' as const })),
  );

  await db.pool.query(
    `insert into ip_asset (right_type, number) select 'trademark', (20000000 + g)::text from generate_series(1, 3000) g`,
  );

  await session.query('begin');
  expect((await write(9))?.kind).toBe('written');
  const scans = await session.query<{ relname: string; seq_scan: string }>(
    `select relname, seq_scan::text from pg_stat_xact_user_tables where relname in ('ledger_account', 'ip_asset') order by relname`,
  );
  await session.query('commit');
  expect(scans.rows).toEqual([
    { relname: 'ip_asset', seq_scan: '0' },
    { relname: 'ledger_account', seq_scan: '0' },
  ]);
});
