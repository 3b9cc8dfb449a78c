/**
 * An independent check of our books: Debian's hledger reads our journal export and must find, per account, the same
 * debits − credits as our trial balance, and a zero total. `.ci/run` installs hledger; on a developer
 * machine without it this test says so and fails only in CI, where it must run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureAccounts, exportHledgerJournal, post, postMany, reverse, trialBalance } from '../src/ledger';
import { formatYuan } from '../src/money';
import { createTestDatabase, type TestDatabase } from './support/database';

const hledgerAvailable = spawnSync('hledger', ['--version']).status === 0;
if (!hledgerAvailable && process.env.CI) throw new Error('hledger must be installed in CI (.ci/run installs it)');
const maybe = hledgerAvailable ? it : it.skip;
if (!hledgerAvailable) console.warn('hledger is not installed: `apt-get install hledger` to run the independent ledger check');

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

maybe('hledger balance gives the same per-account totals as our trial balance', async () => {
  await ensureAccounts(db.pool, [
    { code: 'fund:F1:cash', name: 'Fund cash', type: 'asset', floorFen: 0n },
    { code: 'fund:F1:capital:city', name: 'City capital', type: 'equity' },
    { code: 'fund:F1:capital:district', name: 'District capital', type: 'equity' },
    { code: 'fund:F1:claims-paid', name: 'Claims paid', type: 'expense' },
  ]);
  const entry = (key: string, date: string, debit: string, credit: string, amountFen: bigint) => ({
    idempotencyKey: key,
    effectiveDate: date,
    description: `${key}; with a semicolon | and a pipe`,
    source: { kind: 'test', id: key },
    lines: [
      { accountCode: debit, side: 'debit' as const, amountFen },
      { accountCode: credit, side: 'credit' as const, amountFen },
    ],
  });
  await postMany(db.pool, [
    entry('h1', '2024-01-10', 'fund:F1:cash', 'fund:F1:capital:city', 500_000_000n), // 5,000,000.00
    entry('h2', '2024-01-11', 'fund:F1:cash', 'fund:F1:capital:district', 500_000_001n), // 5,000,000.01
  ]);
  const claim = await post(db.pool, entry('h3', '2024-06-30', 'fund:F1:claims-paid', 'fund:F1:cash', 123_456_78n));
  await reverse(db.pool, claim.id, { idempotencyKey: 'h3-rev' });
  await post(db.pool, entry('h4', '2024-07-01', 'fund:F1:claims-paid', 'fund:F1:cash', 99n));

  const journal = await exportHledgerJournal(db.pool);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hledger-')), 'journal.hledger');
  fs.writeFileSync(file, journal);
  const csv = execFileSync('hledger', ['-f', file, 'balance', '--flat', '--no-total', '-O', 'csv'], { encoding: 'utf8' });
  const hledger = new Map<string, string>();
  for (const line of csv.trim().split('\n').slice(1)) {
    const [account, amount] = line.split(',').map((cell) => cell.replace(/^"|"$/g, ''));
    hledger.set(account!, amount!.replace(/^CNY\s*/, '').replace(/,/g, ''));
  }
  const ours = await trialBalance(db.pool);
  expect(ours.totalDebitsFen).toBe(ours.totalCreditsFen);
  // Ours, as hledger shows it: debits − credits for every account that moved.
  const expected = new Map(
    ours.accounts
      .filter((a) => a.debitsFen !== a.creditsFen)
      .map((a) => [a.code, formatYuan(a.debitsFen - a.creditsFen)]),
  );
  expect(Object.fromEntries(hledger)).toEqual(Object.fromEntries(expected));
  // By hand: cash = 5,000,000.00 + 5,000,000.01 − 123,456.78 + 123,456.78 − 0.99 = 9,999,999.02
  expect(hledger.get('fund:F1:cash')).toBe('9999999.02');
  expect(hledger.get('fund:F1:claims-paid')).toBe('0.99');
  const total = execFileSync('hledger', ['-f', file, 'balance', '--flat', '-O', 'csv'], { encoding: 'utf8' }).trim().split('\n').pop()!;
  expect(total).toMatch(/"total","(0|CNY 0\.00|0\.00)"/);
});
