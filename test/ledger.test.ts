/**
 * The ledger's invariants, against a real PostgreSQL: through the typed API and, where the issue asks, through a raw
 * SQL session that bypasses the API entirely.
 */
import pg from 'pg';
import { createPool } from '../src/db/pool';
import { DomainError } from '../src/errors';
import {
  balance,
  ensureAccounts,
  post,
  postMany,
  reverse,
  statement,
  trialBalance,
} from '../src/ledger';
import { createTestDatabase, type TestDatabase } from './support/database';
import { transferEntry } from './support/ledger';

let db: TestDatabase;
let raw: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  raw = await db.rawClient();
  await ensureAccounts(db.pool, [
    { code: 'test:cash', name: 'Cash', type: 'asset', floorFen: 0n },
    { code: 'test:capital', name: 'Capital', type: 'equity' },
    { code: 'test:expense', name: 'Expense', type: 'expense' },
    { code: 'test:payable', name: 'Payable', type: 'liability' },
  ]);
});
afterAll(() => db.drop());

const transfer = (key: string, date: string, debit: string, credit: string, amountFen: bigint) => transferEntry(key, debit, credit, amountFen, date);

async function rawFails(sql: string, params: unknown[] = []): Promise<string> {
  await raw.query('begin');
  try {
    await raw.query(sql, params);
    await raw.query('commit');
  } catch (error) {
    await raw.query('rollback');
    return (error as pg.DatabaseError).code ?? 'unknown';
  }
  throw new Error(`expected the database to refuse: ${sql}`);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('every entry balances', () => {
  it('the API refuses an unbalanced entry before writing', async () => {
    const entry = transfer('unbalanced-api', '2024-01-01', 'test:cash', 'test:capital', 100n);
    entry.lines[1]!.amountFen = 99n;
    expect(await codeOf(post(db.pool, entry))).toBe('entry_unbalanced');
  });

  it('a raw SQL session cannot insert an unbalanced entry', async () => {
    const code = await rawFails(`
      with e as (insert into ledger_entry (idempotency_key, effective_date, description, source_kind, source_id, content_hash)
                 values ('raw-unbalanced', '2024-01-01', 'raw', 'test', 'raw', 'x') returning id)
      insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
      select e.id, v.line_no, a.id, v.side, v.amount, '2024-01-01' from e,
        (values ('test:cash', 'D', 100, 1), ('test:capital', 'C', 99, 2)) v(code, side, amount, line_no)
        join ledger_account a on a.code = v.code`);
    expect(code).toBe('LG001');
  });

  it('a raw SQL session cannot commit an entry without lines, or with one line', async () => {
    expect(
      await rawFails(`insert into ledger_entry (idempotency_key, effective_date, description, source_kind, source_id, content_hash)
                      values ('raw-empty', '2024-01-01', 'raw', 'test', 'raw', 'x')`),
    ).toBe('LG001');
    expect(
      await rawFails(`
        with e as (insert into ledger_entry (idempotency_key, effective_date, description, source_kind, source_id, content_hash)
                   values ('raw-one-line', '2024-01-01', 'raw', 'test', 'raw', 'x') returning id)
        insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
        select e.id, 1, a.id, 'D', 100, '2024-01-01' from e, ledger_account a where a.code = 'test:cash'`),
    ).toBe('LG001');
  });

  it('a raw SQL session cannot add lines, even balanced ones, to an entry committed earlier', async () => {
    const posted = await post(db.pool, transfer('append-target', '2024-01-02', 'test:cash', 'test:capital', 500n));
    const code = await rawFails(
      `insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
       select $1::bigint, v.line_no, a.id, v.side, 10, '2024-01-02' from (values ('test:expense', 'D', 3), ('test:payable', 'C', 4)) v(code, side, line_no)
         join ledger_account a on a.code = v.code`,
      [posted.id],
    );
    expect(code).toBe('LG002');
  });
});

describe('lines name a real entry and a real account', () => {
  it('a raw SQL session cannot insert lines for an entry that does not exist', async () => {
    const code = await rawFails(`
      insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
      select 999999, v.line_no, a.id, v.side, 10, '2024-01-01'
        from (values ('test:cash', 'D', 1), ('test:capital', 'C', 2)) v(code, side, line_no) join ledger_account a on a.code = v.code`);
    expect(code).toBe('LG002');
  });

  it('a raw SQL session cannot post to an account that does not exist', async () => {
    const code = await rawFails(`
      with e as (insert into ledger_entry (idempotency_key, effective_date, description, source_kind, source_id, content_hash)
                 values ('raw-no-account', '2024-01-01', 'raw', 'test', 'raw', 'x') returning id)
      insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
      select e.id, v.line_no, v.account_id, v.side, 10, '2024-01-01' from e,
        (values (1, 'D', (select id from ledger_account where code = 'test:cash')), (2, 'C', -42::bigint)) v(line_no, side, account_id)`);
    expect(code).toBe('LG004');
  });

  it('the API names the unknown account', async () => {
    const error = await post(db.pool, transfer('no-such-account', '2024-01-01', 'test:cash', 'test:nowhere', 100n)).catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('account_not_found');
    expect(error.message).toContain('test:nowhere');
  });
});

describe('posted entries and lines are never updated or deleted', () => {
  let entryId: bigint;
  beforeAll(async () => {
    entryId = (await post(db.pool, transfer('immutable', '2024-01-03', 'test:cash', 'test:capital', 700n))).id;
  });

  it.each([
    ['update a line amount', `update ledger_line set amount_fen = amount_fen + 1 where entry_id = $1`],
    ['delete a line', `delete from ledger_line where entry_id = $1`],
    ['update an entry date', `update ledger_entry set effective_date = '2020-01-01' where id = $1`],
    ['delete an entry', `delete from ledger_entry where id = $1`],
  ])('a raw SQL session cannot %s', async (_what, sql) => {
    expect(await rawFails(sql, [entryId])).toBe('LG002');
  });

  it('a raw SQL session cannot truncate the journal or edit a running balance', async () => {
    expect(await rawFails(`truncate ledger_line`)).toBe('LG002');
    expect(await rawFails(`update ledger_account set debits_fen = debits_fen + 100 where code = 'test:cash'`)).toBe('LG002');
  });
});

describe('a limited account never crosses its limit', () => {
  beforeAll(async () => {
    await ensureAccounts(db.pool, [
      { code: 'limit:cash', name: 'Limited cash', type: 'asset', floorFen: 0n },
      { code: 'limit:capital', name: 'Capital', type: 'equity' },
      { code: 'limit:loss', name: 'Loss', type: 'expense' },
    ]);
    // 2024-03-01: capital 1,000.00 paid in.
    await post(db.pool, transfer('limit-capital', '2024-03-01', 'limit:cash', 'limit:capital', 100_000n));
  });

  it('a payment of one fen more than the cash is refused, the exact cash is accepted', async () => {
    expect(await codeOf(post(db.pool, transfer('limit-over', '2024-03-02', 'limit:loss', 'limit:cash', 100_001n)))).toBe(
      'account_limit_exceeded',
    );
    await post(db.pool, transfer('limit-exact', '2024-03-02', 'limit:loss', 'limit:cash', 60_000n));
    expect((await balance(db.pool, 'limit:cash')).balanceFen).toBe(40_000n); // 1,000.00 − 600.00
  });

  it('a back-dated payment that would have overdrawn an earlier day is refused even though today it fits', async () => {
    // Today's cash is 400.00, so 300.00 fits now; but dated 2024-02-15, before the capital arrived, the cash would
    // have been −300.00 on that day.
    expect(await codeOf(post(db.pool, transfer('limit-backdated', '2024-02-15', 'limit:loss', 'limit:cash', 30_000n)))).toBe(
      'account_limit_exceeded',
    );
    expect((await balance(db.pool, 'limit:cash')).balanceFen).toBe(40_000n);
  });

  it('a raw SQL session cannot overdraw it either', async () => {
    const code = await rawFails(`
      with e as (insert into ledger_entry (idempotency_key, effective_date, description, source_kind, source_id, content_hash)
                 values ('raw-overdraw', '2024-03-03', 'raw', 'test', 'raw', 'x') returning id)
      insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
      select e.id, v.line_no, a.id, v.side, 40001, '2024-03-03' from e,
        (values ('limit:loss', 'D', 1), ('limit:cash', 'C', 2)) v(code, side, line_no) join ledger_account a on a.code = v.code`);
    expect(['23514', 'LG003']).toContain(code);
  });

  // A statement touching more than 8 accounts takes the batch path of the line trigger (its accounts locked in id
  // order, then one UPDATE); fewer, one UPDATE per account (migrations/…LedgerLeanWal.ts). Both hold every rule.
  it('a batch over more than 8 accounts moves every total and refuses a back-dated overdraft on any of them', async () => {
    const wide = Array.from({ length: 10 }, (_, i) => `wide:${i}`);
    await ensureAccounts(db.pool, [
      ...wide.map((code) => ({ code, name: code, type: 'asset' as const, floorFen: 0n })),
      { code: 'wide:capital', name: 'capital', type: 'equity' as const },
      { code: 'wide:loss', name: 'loss', type: 'expense' as const },
    ]);
    // 2024-03-01: 10.00 into each of the ten (eleven accounts in one statement).
    await postMany(db.pool, wide.map((code) => transfer(`wide-seed-${code}`, '2024-03-01', code, 'wide:capital', 1_000n)));
    // 2024-03-02: 4.00 out of each; and one dated 2024-02-20, before the money arrived: the whole batch is refused.
    const payments = wide.map((code) => transfer(`wide-pay-${code}`, '2024-03-02', 'wide:loss', code, 400n));
    expect(await codeOf(postMany(db.pool, [...payments, transfer('wide-backdated', '2024-02-20', 'wide:loss', 'wide:9', 100n)]))).toBe(
      'account_limit_exceeded',
    );
    for (const code of wide) expect((await balance(db.pool, code)).balanceFen).toBe(1_000n);
    await postMany(db.pool, payments);
    for (const code of wide) expect((await balance(db.pool, code)).balanceFen).toBe(600n); // 10.00 − 4.00
    expect((await balance(db.pool, 'wide:loss')).balanceFen).toBe(4_000n);
    expect((await balance(db.pool, 'wide:capital')).balanceFen).toBe(10_000n);
    // The batch path refuses a line on an account that does not exist, as the one-by-one path does (LG004).
    const code = await rawFails(`
      with e as (insert into ledger_entry (idempotency_key, effective_date, description, source_kind, source_id, content_hash)
                 values ('raw-wide-no-account', '2024-03-03', 'raw', 'test', 'raw', 'x') returning id)
      insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
      select e.id, v.line_no, v.account_id, v.side, v.amount_fen, '2024-03-03' from e,
        (select row_number() over (order by a.id)::smallint, a.id, 'D', 10::bigint from ledger_account a where a.code like 'wide:_'
         union all select 11::smallint, -42::bigint, 'C', 100::bigint) v(line_no, account_id, side, amount_fen)`);
    expect(code).toBe('LG004');
  });

  it('8 connections posting 500 random transfers each never overdraw, lose an update or deadlock', async () => {
    const accounts = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'].map((name) => `conc:${name}`);
    await ensureAccounts(db.pool, [
      ...accounts.map((code) => ({ code, name: code, type: 'asset' as const, floorFen: 0n })),
      { code: 'conc:capital', name: 'capital', type: 'equity' as const },
    ]);
    // Each account starts with 100.00.
    await postMany(
      db.pool,
      accounts.map((code) => transfer(`conc-seed-${code}`, '2024-01-01', code, 'conc:capital', 10_000n)),
    );
    // A deterministic pseudo-random sequence so a failure can be replayed.
    let seed = 20261123;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const expected = new Map(accounts.map((code) => [code, 10_000n]));
    const otherErrors: unknown[] = [];
    let refused = 0;
    // Eight connections of their own. Commits do not wait for the disk here (synchronous_commit off): durability is
    // not what this test checks, and waiting for 4,000 flushes on a busy CI disk would only make it slow.
    const writers = createPool(db.url, 8, { options: '-c synchronous_commit=off' });
    const worker = async (workerIndex: number) => {
      for (let i = 0; i < 500; i += 1) {
        const from = accounts[random(accounts.length)]!;
        let to = accounts[random(accounts.length)]!;
        if (to === from) to = accounts[(accounts.indexOf(from) + 1) % accounts.length]!;
        const amountFen = BigInt(1 + random(4_000)); // up to 40.00: overdrafts happen often
        try {
          await post(writers, transfer(`conc-${workerIndex}-${i}`, '2024-01-02', to, from, amountFen));
          expected.set(from, expected.get(from)! - amountFen);
          expected.set(to, expected.get(to)! + amountFen);
        } catch (error) {
          if (error instanceof DomainError && error.code === 'account_limit_exceeded') refused += 1;
          else otherErrors.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, index) => worker(index)));
    await writers.end();
    expect(otherErrors).toEqual([]);
    expect(refused).toBeGreaterThan(0);
    for (const code of accounts) {
      const actual = await balance(db.pool, code);
      expect(actual.balanceFen).toBe(expected.get(code));
      expect(actual.balanceFen).toBeGreaterThanOrEqual(0n);
    }
    // Money is conserved: 6 × 100.00 in the six accounts, whatever moved between them.
    let total = 0n;
    for (const code of accounts) total += (await balance(db.pool, code)).balanceFen;
    expect(total).toBe(60_000n);
    // About 3 s on an idle 2-core machine: the service's pool (src/db/pool.ts) keeps a connection whose statement was
    // refused, so the hundreds of refused transfers open no new connections.
  }, 120_000);
});

describe('idempotency keys', () => {
  it('the same key posts once, and a different body under it is a conflict', async () => {
    const entry = transfer('idem-1', '2024-04-01', 'test:expense', 'test:payable', 12_345n);
    const before = (await balance(db.pool, 'test:payable')).balanceFen;
    const first = await post(db.pool, entry);
    const second = await post(db.pool, entry);
    expect(second).toEqual({ ...first, replayed: true });
    expect((await balance(db.pool, 'test:payable')).balanceFen).toBe(before + 12_345n);
    const changed = transfer('idem-1', '2024-04-01', 'test:expense', 'test:payable', 12_346n);
    expect(await codeOf(post(db.pool, changed))).toBe('idempotency_conflict');
  });

  it('two concurrent postings of one key write once', async () => {
    const entry = transfer('idem-concurrent', '2024-04-02', 'test:expense', 'test:payable', 1_000n);
    const before = (await balance(db.pool, 'test:payable')).balanceFen;
    const results = await Promise.all(Array.from({ length: 6 }, () => post(db.pool, entry)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect((await balance(db.pool, 'test:payable')).balanceFen).toBe(before + 1_000n);
  });
});

describe('one entry and a batch write the same rows', () => {
  // post() of one entry goes through ledger_post_entry, postMany() of several through ledger_post_entries.
  const rowsOf = async (key: string) =>
    (
      await raw.query(
        `select e.effective_date::text as date, e.description, e.source_kind, e.source_id, encode(e.content_hash, 'hex') as hash,
                l.line_no, a.code, l.side, l.amount_fen::text as amount, l.effective_date::text as line_date,
                (select count(*)::int from ledger_chain c where c.entry_id = e.id) as links
           from ledger_entry e join ledger_line l on l.entry_id = e.id join ledger_account a on a.id = l.account_id
          where e.idempotency_key = $1 order by l.line_no`,
        [key],
      )
    ).rows.map((row) => ({ ...row, description: row.description.replace(/^(one|batch)-/, '') }));

  it('the same lines, numbers, dates and chain link, whichever statement posted the entry', async () => {
    const three = (key: string) => ({
      idempotencyKey: key,
      effectiveDate: '2024-05-06',
      description: `${key.split('-')[0]}-three lines`,
      source: { kind: 'test', id: 'same-rows' },
      lines: [
        { accountCode: 'test:expense', side: 'debit' as const, amountFen: 700n },
        { accountCode: 'test:payable', side: 'credit' as const, amountFen: 300n },
        { accountCode: 'test:capital', side: 'credit' as const, amountFen: 400n },
      ],
    });
    await post(db.pool, three('one-same'));
    await postMany(db.pool, [three('batch-same'), transfer('batch-other', '2024-05-06', 'test:expense', 'test:payable', 5n)]);
    const one = await rowsOf('one-same');
    const batch = await rowsOf('batch-same');
    expect(one.map((row) => [row.line_no, row.code, row.side, row.amount, row.line_date, row.links])).toEqual([
      [1, 'test:expense', 'D', '700', '2024-05-06', 1],
      [2, 'test:payable', 'C', '300', '2024-05-06', 1],
      [3, 'test:capital', 'C', '400', '2024-05-06', 1],
    ]);
    // Everything but the content hash (which covers the description, "one-…" against "batch-…") is the same.
    expect(one.map(({ hash: _hash, ...row }) => row)).toEqual(batch.map(({ hash: _hash, ...row }) => row));
  });

  it('a raw SQL call of the one-entry statement is held to the same rules: an unknown account, an unbalanced entry', async () => {
    const call = (key: string, codes: string[], amounts: number[]) =>
      rawFails(`select ledger_post_entry($1, '2024-05-07', 'raw one', 'test', 'raw', null, '\\x00', $2::text[], array['D', 'C'], $3::bigint[])`, [
        key,
        codes,
        amounts,
      ]);
    expect(await call('raw-one-unknown', ['test:expense', 'test:nowhere'], [10, 10])).toBe('LG001');
    expect(await call('raw-one-unbalanced', ['test:expense', 'test:payable'], [10, 11])).toBe('LG001');
    const written = await raw.query(`select count(*)::int as n from ledger_entry where idempotency_key like 'raw-one-%'`);
    expect(written.rows[0].n).toBe(0);
  });

  it('a key posted before answers null from the one-entry statement and writes nothing', async () => {
    const entry = transfer('one-replay', '2024-05-08', 'test:expense', 'test:payable', 42n);
    const first = await post(db.pool, entry);
    const again = await raw.query(
      `select ledger_post_entry('one-replay', '2024-05-08', 'other', 'test', 'x', null, '\\x00', array['test:expense', 'test:payable'], array['D', 'C'], array[42, 42]::bigint[]) as id`,
    );
    expect(again.rows[0].id).toBeNull();
    const lines = await raw.query(`select count(*)::int as n from ledger_line where entry_id = $1`, [first.id]);
    expect(lines.rows[0].n).toBe(2);
  });
});

describe('reversals', () => {
  it('a reversal restores every balance, and a second reversal of the same entry is refused', async () => {
    await ensureAccounts(db.pool, [
      { code: 'rev:bank', name: 'bank', type: 'asset' },
      { code: 'rev:income', name: 'income', type: 'income' },
    ]);
    await post(db.pool, transfer('rev-keep', '2024-05-01', 'rev:bank', 'rev:income', 20_000n));
    const wrong = await post(db.pool, transfer('rev-wrong', '2024-05-02', 'rev:bank', 'rev:income', 5_000n));
    expect((await balance(db.pool, 'rev:bank')).balanceFen).toBe(25_000n);
    await reverse(db.pool, wrong.id, { idempotencyKey: 'rev-wrong-reversal' });
    expect((await balance(db.pool, 'rev:bank')).balanceFen).toBe(20_000n);
    expect((await balance(db.pool, 'rev:income')).balanceFen).toBe(20_000n);
    expect((await balance(db.pool, 'rev:bank', '2024-05-02')).balanceFen).toBe(20_000n);
    expect(await codeOf(reverse(db.pool, wrong.id, { idempotencyKey: 'rev-wrong-reversal-2' }))).toBe(
      'entry_already_reversed',
    );
  });

  it('a raw SQL "reversal" that does not mirror the entry is refused', async () => {
    const target = await post(db.pool, transfer('rev-target', '2024-05-03', 'rev:bank', 'rev:income', 3_000n));
    const code = await rawFails(
      `with e as (insert into ledger_entry (idempotency_key, effective_date, description, source_kind, source_id,
                                           reverses_entry_id, content_hash)
                  values ('raw-bad-reversal', '2024-05-03', 'raw', 'test', 'raw', $1, 'x') returning id)
       insert into ledger_line (entry_id, line_no, account_id, side, amount_fen, effective_date)
       select e.id, v.line_no, a.id, v.side, 2999, '2024-05-03' from e,
         (values ('rev:income', 'D', 1), ('rev:bank', 'C', 2)) v(code, side, line_no) join ledger_account a on a.code = v.code`,
      [target.id],
    );
    expect(code).toBe('LG005');
  });
});

describe('point-in-time balances, trial balance and statements', () => {
  beforeAll(async () => {
    await ensureAccounts(db.pool, [
      { code: 'pit:cash', name: 'cash', type: 'asset' },
      { code: 'pit:capital', name: 'capital', type: 'equity' },
    ]);
    // Posted out of date order on purpose: the figures as of a date depend on value dates only.
    await post(db.pool, transfer('pit-3', '2024-06-30', 'pit:capital', 'pit:cash', 2_500n)); // −25.00 on 06-30
    await post(db.pool, transfer('pit-1', '2024-06-01', 'pit:cash', 'pit:capital', 100_000n)); // +1,000.00 on 06-01
    await post(db.pool, transfer('pit-2', '2024-06-15', 'pit:cash', 'pit:capital', 50_050n)); // +500.50 on 06-15
  });

  it.each([
    ['2024-05-31', 0n], // nothing yet
    ['2024-06-01', 100_000n], // 1,000.00
    ['2024-06-14', 100_000n],
    ['2024-06-15', 150_050n], // 1,000.00 + 500.50 = 1,500.50
    ['2024-06-30', 147_550n], // 1,500.50 − 25.00 = 1,475.50
  ])('cash as of %s is %p fen', async (asOf, expected) => {
    expect((await balance(db.pool, 'pit:cash', asOf)).balanceFen).toBe(expected);
  });

  it('the trial balance has equal debit and credit totals, now and as of any date', async () => {
    for (const asOf of [undefined, '2024-01-01', '2024-06-15']) {
      const tb = await trialBalance(db.pool, { asOf: asOf ?? null });
      expect(tb.totalDebitsFen).toBe(tb.totalCreditsFen);
      expect(tb.totalDebitsFen).toBeGreaterThan(0n);
    }
    const pit = await trialBalance(db.pool, { prefix: 'pit:' });
    // debits: cash 1,000.00 + 500.50, capital 25.00 = 1,525.50; credits the same.
    expect(pit.totalDebitsFen).toBe(152_550n);
    expect(pit.totalCreditsFen).toBe(152_550n);
  });

  it('a statement is opening + movements = closing', async () => {
    const s = await statement(db.pool, 'pit:cash', '2024-06-02', '2024-06-30');
    expect(s.openingFen).toBe(100_000n);
    expect(s.lines.map((l) => [l.effectiveDate, l.side, l.amountFen])).toEqual([
      ['2024-06-15', 'debit', 50_050n],
      ['2024-06-30', 'credit', 2_500n],
    ]);
    expect(s.closingFen).toBe(147_550n); // 1,000.00 + 500.50 − 25.00
  });
});
