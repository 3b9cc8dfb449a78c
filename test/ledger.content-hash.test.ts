/**
 * The SQL helpers of a single event's and a single loan's statement (migrations/…SqlHelpersPlanned.ts).
 *
 * - `ledger_content_hash` (SQL) and `entryContentHash` (src/ledger/posting.ts) must give the same bytes: an event
 *   posted alone has its entry's hash made in SQL, and a retry of it through a batch compares it with the one made in
 *   TypeScript. Both are checked against the canonical text written out here by hand.
 * - The two formatters give the API's text, and the planner inlines them into their callers' plans, so that they are
 *   not parsed and planned again on every request.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { entryContentHash } from '../src/ledger/posting';
import type { EntryInput } from '../src/ledger';
import { createTestDatabase, type TestDatabase } from './support/database';

let db: TestDatabase;
let session: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  session = await db.rawClient('app');
});
afterAll(() => db.drop());

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

async function sqlHash(entry: EntryInput): Promise<Buffer> {
  const result = await session.query<{ hash: Buffer }>(
    `select ledger_content_hash($1::date, $2, $3, $4, $5::bigint, $6::text[], $7::text[], $8::bigint[]) as hash`,
    [
      entry.effectiveDate,
      entry.description,
      entry.source.kind,
      entry.source.id,
      entry.reversesEntryId?.toString() ?? null,
      entry.lines.map((line) => line.accountCode),
      entry.lines.map((line) => line.side),
      entry.lines.map((line) => line.amountFen.toString()),
    ],
  );
  return result.rows[0]!.hash;
}

/** TypeScript's and SQL's hash of `entry` are both the sha256 of `canonical`. */
async function expectBothHash(entry: EntryInput, canonical: string): Promise<void> {
  const expected = sha256(canonical).toString('hex');
  expect(entryContentHash(entry).toString('hex')).toBe(expected);
  expect((await sqlHash(entry)).toString('hex')).toBe(expected);
}

describe('ledger_content_hash', () => {
  it('hashes the canonical text of an entry, as entryContentHash does', async () => {
    const entry: EntryInput = {
      idempotencyKey: 'hash-1',
      effectiveDate: '2024-01-15',
      description: '放款 "HT-1"',
      source: { kind: 'loan_event', id: 'e-1' },
      lines: [
        { accountCode: 'loan:1:outstanding', side: 'debit', amountFen: 100_000_000n },
        { accountCode: 'loan:1:undrawn', side: 'credit', amountFen: 100_000_000n },
      ],
    };
    // JSON.stringify of [date, description, kind, id, reverses, [[code, side, amount], …]], written out by hand.
    const canonical =
      '["2024-01-15","放款 \\"HT-1\\"","loan_event","e-1",null,' +
      '[["loan:1:outstanding","debit","100000000"],["loan:1:undrawn","credit","100000000"]]]';
    await expectBothHash(entry, canonical);
  });

  it('escapes as JSON.stringify does, with a reversal and three lines', async () => {
    const entry: EntryInput = {
      idempotencyKey: 'hash-2',
      effectiveDate: '2025-12-31',
      description: 'back\\slash, tab\t, newline\n, return\r, bell\u0007, unit\u001f, 商标 ✓ 😀',
      source: { kind: 'fund_claim', id: 'id with "quotes"' },
      reversesEntryId: 9_007_199_254_740_993n,
      lines: [
        { accountCode: 'fund:RCF1:cash', side: 'credit', amountFen: 3n },
        { accountCode: 'bank:B1:claims', side: 'debit', amountFen: 1n },
        { accountCode: 'bank:B2:claims', side: 'debit', amountFen: 2n },
      ],
    };
    const canonical =
      '["2025-12-31","back\\\\slash, tab\\t, newline\\n, return\\r, bell\\u0007, unit\\u001f, 商标 ✓ 😀",' +
      '"fund_claim","id with \\"quotes\\"","9007199254740993",' +
      '[["fund:RCF1:cash","credit","3"],["bank:B1:claims","debit","1"],["bank:B2:claims","debit","2"]]]';
    await expectBothHash(entry, canonical);
  });

  it('gives an empty list for no lines and leaves out a line with a missing part, as the SQL function before it', async () => {
    const call = (codes: Array<string | null>, sides: Array<string | null>, amounts: Array<string | null>) =>
      session
        .query<{ hash: Buffer }>(
          `select ledger_content_hash('2024-01-15', 'd', 'k', 'i', null, $1::text[], $2::text[], $3::bigint[]) as hash`,
          [codes, sides, amounts],
        )
        .then((result) => result.rows[0]!.hash.toString('hex'));
    expect(await call([], [], [])).toBe(sha256('["2024-01-15","d","k","i",null,[]]').toString('hex'));
    // The shorter arrays are read as padded with nulls; a line with a null part is not in the text.
    expect(await call(['a:1', 'a:2', 'a:3'], ['debit', null, 'credit'], ['5', '5'])).toBe(
      sha256('["2024-01-15","d","k","i",null,[["a:1","debit","5"]]]').toString('hex'),
    );
  });
});

describe('the formatters of the single statements', () => {
  it('formats yuan from fen and instants in UTC with milliseconds', async () => {
    const { rows } = await session.query<Record<string, string | null>>(
      `select loan_format_yuan(-12345) as negative, loan_format_yuan(5) as fen, loan_format_yuan(100) as yuan,
              loan_format_yuan(0) as zero, loan_format_yuan(null) as missing,
              loan_format_instant('2024-01-15 08:00:00.123456+08') as instant, loan_format_instant(null) as no_instant`,
    );
    expect(rows[0]).toEqual({
      negative: '-123.45',
      fen: '0.05',
      yuan: '1.00',
      zero: '0.00',
      missing: null,
      instant: '2024-01-15T00:00:00.123Z',
      no_instant: null,
    });
  });

  it('are inlined into a generic plan, not called', async () => {
    await session.query('begin');
    try {
      await session.query(`set local plan_cache_mode = force_generic_plan`);
      await session.query(`prepare formatted(bigint, timestamptz) as select loan_format_yuan($1), loan_format_instant($2)`);
      const plan = await session.query<{ 'QUERY PLAN': string }>(`explain (verbose, costs off) execute formatted(1, now())`);
      const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('to_char');
      expect(text).not.toContain('loan_format_yuan');
      expect(text).not.toContain('loan_format_instant');
    } finally {
      await session.query('rollback');
      await session.query('deallocate all');
    }
  });
});
