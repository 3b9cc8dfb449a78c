/**
 * `GET /api/v1/ledger/summary`: balances by account type, normal side and code prefix, equal at every moment to the
 * trial balance summed the same way — before and after its checkpoint moves, as of any value date, while postings
 * run concurrently, and with a posting's transaction still open (migrations/…LedgerSummary.ts).
 */
import { ensureAccounts, ledgerSummary, post, postMany, refreshLedgerSummary, reverse, trialBalance, type EntryInput } from '../src/ledger';
import { loanBody, registerEnterprises } from './loans.support';
import { startTestService, type TestService } from './support/app';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
});
afterAll(() => service.close());

interface GroupOut {
  type: string;
  normalSide: string;
  prefix: string;
  accounts: number;
  debits: string;
  credits: string;
  balance: string;
}

/** Fen from the API's "123.45" (two places always), to add without floats. */
const fen = (yuan: string) => BigInt(yuan.replace('.', ''));
const yuan = (value: bigint) => `${value < 0n ? '-' : ''}${(value < 0n ? -value : value) / 100n}.${String((value < 0n ? -value : value) % 100n).padStart(2, '0')}`;

/** The trial balance of the same date, summed by type, normal side and the code's first segment — independently of the summary's SQL. */
async function trialBalanceGrouped(asOf?: string): Promise<{ groups: GroupOut[]; accounts: number; totalDebits: string; totalCredits: string }> {
  const response = await service.as(service.staffToken).get(`/api/v1/ledger/trial-balance${asOf ? `?asOf=${asOf}` : ''}`);
  expect(response.status).toBe(200);
  const groups = new Map<string, { type: string; normalSide: string; prefix: string; accounts: number; debits: bigint; credits: bigint }>();
  for (const account of response.body.accounts as Array<{ code: string; type: string; normalSide: string; debits: string; credits: string }>) {
    const prefix = account.code.split(':')[0]!;
    const key = `${prefix}|${account.type}|${account.normalSide}`;
    const group = groups.get(key) ?? { type: account.type, normalSide: account.normalSide, prefix, accounts: 0, debits: 0n, credits: 0n };
    group.accounts += 1;
    group.debits += fen(account.debits);
    group.credits += fen(account.credits);
    groups.set(key, group);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
  return {
    groups: sorted.map((group) => ({
      type: group.type,
      normalSide: group.normalSide,
      prefix: group.prefix,
      accounts: group.accounts,
      debits: yuan(group.debits),
      credits: yuan(group.credits),
      balance: yuan(group.normalSide === 'debit' ? group.debits - group.credits : group.credits - group.debits),
    })),
    accounts: response.body.accounts.length,
    totalDebits: response.body.totalDebits,
    totalCredits: response.body.totalCredits,
  };
}

async function summary(asOf?: string) {
  const response = await service.as(service.staffToken).get(`/api/v1/ledger/summary${asOf ? `?asOf=${asOf}` : ''}`);
  expect(response.status).toBe(200);
  expect(response.body.asOf).toBe(asOf ?? null);
  const { asOf: _asOf, ...rest } = response.body;
  return rest;
}

async function expectSummaryEqualsTrialBalance(dates: Array<string | undefined>): Promise<void> {
  for (const asOf of dates) expect(await summary(asOf)).toEqual(await trialBalanceGrouped(asOf));
}

const DATES = [undefined, '2023-12-31', '2024-01-15', '2024-02-29', '2024-06-30', '2030-01-01'];

describe('a loan by hand', () => {
  it('one loan of 1,000,000.00, 400,000.00 drawn on 2024-02-01, 100,000.00 repaid on 2024-06-01', async () => {
    const bank = await service.bank();
    const agent = service.as(bank.token);
    const loan = await agent.post('/api/v1/loans').send(loanBody({ principal: '1000000.00', startDate: '2024-01-15' }));
    expect(loan.status).toBe(201);
    for (const event of [
      { type: 'disbursement', date: '2024-02-01', amount: '400000.00' },
      { type: 'principal_repayment', date: '2024-06-01', amount: '100000.00' },
    ]) {
      expect((await agent.post(`/api/v1/loans/${loan.body.id}/events`).send(event)).status).toBe(201);
    }
    // loan (memo, debit-normal; 4 accounts): debits = undrawn 1,000,000.00 + outstanding 400,000.00 + repaid
    // 100,000.00 = 1,500,000.00; credits = undrawn 400,000.00 + outstanding 100,000.00 = 500,000.00; balance 1,000,000.00.
    // bank (memo, credit-normal; facilities and interest received): credits 1,000,000.00.
    const now = await summary();
    expect(now).toEqual({
      groups: [
        { type: 'memo', normalSide: 'credit', prefix: 'bank', accounts: 2, debits: '0.00', credits: '1000000.00', balance: '1000000.00' },
        { type: 'memo', normalSide: 'debit', prefix: 'loan', accounts: 4, debits: '1500000.00', credits: '500000.00', balance: '1000000.00' },
      ],
      accounts: 6,
      totalDebits: '1500000.00',
      totalCredits: '1500000.00',
    });
    // As of 2024-03-31 the repayment has not happened: loan debits 1,400,000.00, credits 400,000.00.
    const march = await summary('2024-03-31');
    expect(march.groups[1]).toMatchObject({ prefix: 'loan', debits: '1400000.00', credits: '400000.00', balance: '1000000.00' });
    // Before the start date nothing is posted, but the six accounts exist (as in the trial balance).
    expect(await summary('2024-01-14')).toMatchObject({ accounts: 6, totalDebits: '0.00', totalCredits: '0.00' });
    await expectSummaryEqualsTrialBalance(DATES);
  });
});

describe('equal to the trial balance', () => {
  it('from the tail alone, from the checkpoint alone, and from both', async () => {
    const bank = await service.bank();
    const agent = service.as(bank.token);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const loan = await agent.post('/api/v1/loans').send(loanBody({ principal: `${100_000 + i * 12_345}.67`, startDate: `2024-0${1 + i}-10` }));
      expect(loan.status).toBe(201);
      ids.push(loan.body.id);
      expect((await agent.post(`/api/v1/loans/${loan.body.id}/events`).send({ type: 'disbursement', date: `2024-0${1 + i}-10`, amount: '50000.01' })).status).toBe(201);
    }
    await service.db.pool.query('select ledger_summary_reset()');
    await expectSummaryEqualsTrialBalance(DATES); // all tail

    expect(await refreshLedgerSummary(service.db.pool)).toBe(true);
    const checkpoint = await service.db.pool.query(`select entries_through, accounts_through from ledger_summary_checkpoint`);
    const highest = await service.db.pool.query(`select (select max(id) from ledger_entry) as e, (select max(id) from ledger_account) as a`);
    expect(checkpoint.rows[0]).toEqual({ entries_through: highest.rows[0].e, accounts_through: highest.rows[0].a });
    expect(await refreshLedgerSummary(service.db.pool)).toBe(false); // nothing new to fold
    await expectSummaryEqualsTrialBalance(DATES); // all checkpoint

    for (const id of ids.slice(0, 3)) {
      expect((await agent.post(`/api/v1/loans/${id}/events`).send({ type: 'interest_payment', date: '2024-06-21', amount: '1234.56' })).status).toBe(201);
    }
    await agent.post('/api/v1/loans').send(loanBody({ principal: '777777.77', startDate: '2024-05-05' }));
    await expectSummaryEqualsTrialBalance(DATES); // checkpoint + tail
  });

  it('while four writers post and a refresher moves the checkpoint again and again', async () => {
    const pool = service.db.pool;
    await ensureAccounts(pool, [
      { code: 'fund:SUMTEST:cash', name: 'cash', type: 'asset' },
      { code: 'fund:SUMTEST:capital:city', name: 'capital', type: 'equity' },
      { code: 'subsidy:city:expense', name: 'expense', type: 'expense' },
    ]);
    const transfer = (key: string, index: number): EntryInput => ({
      idempotencyKey: key,
      effectiveDate: `2024-${String(1 + (index % 12)).padStart(2, '0')}-15`,
      description: key,
      source: { kind: 'test', id: key },
      lines: [
        { accountCode: index % 3 === 0 ? 'subsidy:city:expense' : 'fund:SUMTEST:cash', side: 'debit', amountFen: BigInt(100 + index) },
        { accountCode: 'fund:SUMTEST:capital:city', side: 'credit', amountFen: BigInt(100 + index) },
      ],
    });
    let writing = true;
    let moved = 0;
    const refresher = (async () => {
      while (writing) {
        if (await refreshLedgerSummary(pool, 50)) moved += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all(
      [0, 1, 2, 3].map(async (writer) => {
        for (let i = 0; i < 60; i++) {
          const posted = await post(pool, transfer(`summary-${writer}-${i}`, writer * 60 + i));
          // Every tenth posting is reversed: a reversal is an entry like any other.
          if (i % 10 === 0) await reverse(pool, posted.id, { idempotencyKey: `summary-${writer}-${i}-reversal` });
        }
      }),
    );
    writing = false;
    await refresher;
    expect(moved).toBeGreaterThan(0);
    await expectSummaryEqualsTrialBalance(DATES);
    // The writers are done: the checkpoint can reach the last entry. A refresh may give up on its lock (autovacuum,
    // a loaded machine) or find nothing left to fold (the refresher's last pass caught up): what must hold is that the
    // checkpoint gets there, not that one particular call moved it.
    const caughtUp = async () => {
      const lag = await pool.query<{ behind: boolean }>(
        `select coalesce((select max(id) from ledger_entry), 0) > entries_through as behind from ledger_summary_checkpoint`,
      );
      return !lag.rows[0]!.behind;
    };
    for (let attempt = 0; attempt < 5 && !(await caughtUp()); attempt++) await refreshLedgerSummary(pool, 5_000);
    expect(await caughtUp()).toBe(true);
    await expectSummaryEqualsTrialBalance(DATES);
    // The summary's own rows: what the checkpoint holds equals the day-by-day lines it stands for.
    const check = await pool.query(
      `select (select coalesce(sum(debits_fen), 0) from ledger_summary_day)::bigint as summarised,
              (select coalesce(sum(amount_fen), 0) from ledger_line l where side = 'D'
                  and entry_id <= (select entries_through from ledger_summary_checkpoint))::bigint as lines`,
    );
    expect(check.rows[0].summarised).toBe(check.rows[0].lines);
  });

  it('a posting still open holds the refresh back (it gives up, nothing lost) and counts once committed', async () => {
    const pool = service.db.pool;
    expect(await refreshLedgerSummary(pool)).toBe(false);
    const open = await service.db.rawClient();
    await open.query('begin');
    await open.query(
      `select * from ledger_post_entries(array['summary-open'], array['2024-03-03']::date[], array['open'], array['test'], array['open'],
         array[null]::bigint[], array['\\x00']::bytea[], array[1, 1], array[1, 2]::smallint[],
         array['fund:SUMTEST:cash', 'fund:SUMTEST:capital:city'], array['D', 'C'], array[500000, 500000]::bigint[])`,
    );
    // A later entry commits while the open one (a lower id) has not: a checkpoint past it would miss the open one.
    // (Other accounts: the open transaction holds its accounts' row locks until it ends.)
    await ensureAccounts(pool, [
      { code: 'fund:SUMTEST2:cash', name: 'cash', type: 'asset' },
      { code: 'fund:SUMTEST2:capital:city', name: 'capital', type: 'equity' },
    ]);
    await post(pool, {
      idempotencyKey: 'summary-after-open',
      effectiveDate: '2024-03-04',
      description: 'after the open one',
      source: { kind: 'test', id: 'after-open' },
      lines: [
        { accountCode: 'fund:SUMTEST2:cash', side: 'debit', amountFen: 7n },
        { accountCode: 'fund:SUMTEST2:capital:city', side: 'credit', amountFen: 7n },
      ],
    });
    const started = Date.now();
    expect(await refreshLedgerSummary(pool, 100)).toBe(false); // waited its 100 ms for the open transaction, then gave up
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    await expectSummaryEqualsTrialBalance([undefined, '2024-03-03']);
    await open.query('commit');
    // 5,000.00 more on both sides, now and as of 2024-03-03, from the tail.
    const before = await trialBalanceGrouped();
    expect(await refreshLedgerSummary(pool)).toBe(true);
    expect(await summary()).toEqual(before);
    await expectSummaryEqualsTrialBalance(DATES);
  });

  it('refreshes by itself on a read once 5,000 entries arrived since the checkpoint', async () => {
    const pool = service.db.pool;
    const entries = Array.from({ length: 5_001 }, (_, i): EntryInput => ({
      idempotencyKey: `summary-bulk-${i}`,
      effectiveDate: '2024-07-01',
      description: 'bulk',
      source: { kind: 'test', id: String(i) },
      lines: [
        { accountCode: 'fund:SUMTEST:cash', side: 'debit', amountFen: 1n },
        { accountCode: 'fund:SUMTEST:capital:city', side: 'credit', amountFen: 1n },
      ],
    }));
    await postMany(pool, entries);
    const before = (await pool.query(`select entries_through from ledger_summary_checkpoint`)).rows[0].entries_through as bigint;
    await ledgerSummary(pool);
    const after = (await pool.query(`select entries_through, (select max(id) from ledger_entry) as highest from ledger_summary_checkpoint`)).rows[0];
    expect(after.entries_through).toBe(after.highest);
    expect(after.entries_through - before).toBeGreaterThan(5_000n);
    // The trial balance in TypeScript (not over HTTP) gives the same totals: 5,001 fen more on each side.
    const tb = await trialBalance(pool);
    const s = await ledgerSummary(pool);
    expect([s.totalDebitsFen, s.totalCreditsFen, s.accounts]).toEqual([tb.totalDebitsFen, tb.totalCreditsFen, tb.accounts.length]);
  });
});

describe('the route', () => {
  it('is for staff, finance and auditors; refuses a bad date naming the field', async () => {
    const auditor = await service.principal('auditor');
    expect((await service.as(auditor.token).get('/api/v1/ledger/summary')).status).toBe(200);
    const bank = await service.principal('bank');
    expect((await service.as(bank.token).get('/api/v1/ledger/summary')).status).toBe(403);
    const bad = await service.as(service.staffToken).get('/api/v1/ledger/summary?asOf=2024-02-30');
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'asOf' })]);
  });
});
