/**
 * Two concurrent approvals that together exceed the fund's cash: exactly one commits (issue 5 acceptance). An approval
 * commits cash to its claim (`fund:<code>:uncommitted`, floor 0); the check in TypeScript reads the committed balance,
 * so two transactions can both pass it; the floor, checked by PostgreSQL after locking the account, refuses the second.
 * This test makes the race happen for certain by holding the first approval's transaction open until the second has
 * passed its own check and is waiting on the lock.
 */
import { transitionClaim } from '../src/fund';
import { authenticate } from '../src/principals';
import { loan, ok, USCC } from './fund.support';
import { startTestService, type TestService } from './support/app';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => service.close());

it('of two approvals of 60.00 against 100.00 of cash, held open together, exactly one commits; paid, the cash ends at 40.00', async () => {
  const staff = service.as(service.staffToken);
  const bankCredentials = await service.bank();
  const bank = { agent: service.as(bankCredentials.token) };
  ok(await staff.post('/api/v1/enterprises').send({ uscc: USCC, name: '袁州测试企业' }), 201);
  const fundId = ok(
    await staff.post('/api/v1/funds').send({
      code: 'RACE',
      name: '并发测试基金',
      shareOfLoss: '0.5',
      leverage: '10',
      claimAfterDaysOverdue: 90,
      bodies: ['district'],
      effectiveFrom: '2024-01-01',
    }),
    201,
  ).body.id as string;
  ok(await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'district', amount: '100.00', date: '2024-01-10' }), 201);
  // Two IP-only loans of 120.00, defaulted: each claim is 120.00 × 0.5 = 60.00; 60.00 + 60.00 = 120.00 > 100.00.
  const claimIds: string[] = [];
  for (let i = 0; i < 2; i += 1) {
    const loanId = await loan(bank, { principal: '120.00', defaulted: true });
    ok(await bank.agent.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId, date: '2024-03-01' }), 201);
    const claim = ok(await bank.agent.post(`/api/v1/funds/${fundId}/claims`).send({ loanId, date: '2025-04-01' }), 201);
    expect(claim.body.amount).toBe('60.00');
    claimIds.push(claim.body.id);
  }

  const principal = (await authenticate(service.db.pool, service.staffToken))!;
  const first = await service.db.pool.connect();
  const second = await service.db.pool.connect();
  try {
    await first.query('begin');
    await second.query('begin');
    // The first approval posts and holds the uncommitted-cash account's lock, not yet committed.
    await transitionClaim(first, principal, fundId, claimIds[0]!, { to: 'approved', date: '2025-04-02' });
    // The second reads the committed balance (100.00 ≥ 60.00: its own check passes) and then waits for the lock.
    const racing = transitionClaim(second, principal, fundId, claimIds[1]!, { to: 'approved', date: '2025-04-02' });
    const waiting = await Promise.race([racing.then(() => 'finished', () => 'failed'), sleep(300).then(() => 'waiting')]);
    expect(waiting).toBe('waiting');
    await first.query('commit');
    // Once the first commits, the ledger's floor refuses the second: 100.00 − 60.00 − 60.00 < 0 of uncommitted cash.
    // The refusal names the cash as it is after the first approval, 100.00 − 60.00 = 40.00, read inside the same
    // (still usable) transaction: the posting ran in a savepoint, so the failure did not fail the transaction.
    await expect(racing).rejects.toMatchObject({ code: 'fund_cash_insufficient', extra: { cash: '40.00', amount: '60.00' } });
    expect((await second.query(`select 1 as alive`)).rows).toEqual([{ alive: 1 }]);
    await second.query('rollback');
  } finally {
    first.release();
    second.release();
  }

  ok(await staff.post(`/api/v1/funds/${fundId}/claims/${claimIds[0]}/transitions`).send({ to: 'paid', date: '2025-04-02' }), 200);
  const cash = ok(await staff.get('/api/v1/ledger/accounts/fund:RACE:cash/balance'), 200).body;
  expect(cash.balance).toBe('40.00');
  const statuses = await Promise.all(claimIds.map(async (id) => ok(await staff.get(`/api/v1/funds/${fundId}/claims/${id}`), 200).body.status));
  expect(statuses).toEqual(['paid', 'submitted']);
  // And straight from the database: no day on which the cash was below zero.
  const days = await service.db.pool.query<{ day: string; balance: string }>(
    `select day, sum(change) over (order by day)::text as balance
       from (select l.effective_date as day, sum(case l.side when 'D' then l.amount_fen else -l.amount_fen end) as change
               from ledger_line l join ledger_account a on a.id = l.account_id
              where a.code = 'fund:RACE:cash' group by l.effective_date) d`,
  );
  expect(days.rows.map((row) => [row.day, row.balance])).toEqual([
    ['2024-01-10', '10000'],
    ['2025-04-02', '4000'],
  ]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
