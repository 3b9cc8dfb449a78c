/**
 * Bulk ingestion (docs/api.md `POST /api/v1/loans:batch`, `POST /api/v1/loan-events:batch`): JSON arrays
 * and CSV, all or nothing, every bad row reported, retries, and the 2-second target for 10,000 events.
 */
import { startTestService, type TestService } from './support/app';
import { count, loanBody, PATENT, registerEnterprises, USCC } from './loans.support';

let service: TestService;
let bank: { token: string; bankId: string };
let otherBank: { token: string; bankId: string };
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
  bank = await service.bank();
  otherBank = await service.bank();
});
afterAll(() => service.close());

const writes = async () => ({
  loans: await count(service, 'loan'),
  pledges: await count(service, 'pledge'),
  assets: await count(service, 'ip_asset'),
  events: await count(service, 'loan_event'),
  entries: await count(service, 'ledger_entry'),
  accounts: await count(service, 'ledger_account'),
});

const postLoans = (body: unknown, key?: string) => {
  const request = service.as(bank.token).post('/api/v1/loans:batch');
  return (key ? request.set('Idempotency-Key', key) : request).send(body as object);
};
const postEvents = (body: unknown, token = bank.token) => service.as(token).post('/api/v1/loan-events:batch').send(body as object);
const postCsv = (path: string, csv: string) => service.as(bank.token).post(path).set('Content-Type', 'text/csv').send(csv);

describe('a batch of loans', () => {
  it('three valid loans are created in order: 201 { count, ids }', async () => {
    const bodies = [1, 2, 3].map((n) => loanBody({ contractNo: `B-${n}`, principal: `${n}00000.00` }));
    const response = await postLoans(bodies);
    expect(response.status).toBe(201);
    expect(response.body.count).toBe(3);
    const loans = await Promise.all(response.body.ids.map((id: string) => service.as(bank.token).get(`/api/v1/loans/${id}`)));
    expect(loans.map((l) => [l.body.contractNo, l.body.principal])).toEqual([
      ['B-1', '100000.00'],
      ['B-2', '200000.00'],
      ['B-3', '300000.00'],
    ]);
    // The batch made the bank's accounts shared: 100,000 + 200,000 + 300,000 credited to its facilities, in its parts.
    const accounts = await service.db.pool.query(`select code, shared, credits_fen from ledger_account where code like $1 order by code`, [
      `bank:${bank.bankId}:%`,
    ]);
    expect(accounts.rows).toEqual([
      { code: `bank:${bank.bankId}:facilities`, shared: true, credits_fen: 0n },
      { code: `bank:${bank.bankId}:interest-received`, shared: true, credits_fen: 0n },
    ]);
    const facilities = await service.as(service.staffToken).get(`/api/v1/ledger/accounts/bank:${bank.bankId}:facilities/balance`);
    expect(facilities.body.balance).toBe('600000.00');
  });

  it('one bad row refuses the batch: 422 naming that row, nothing written', async () => {
    const before = await writes();
    const bodies = [
      loanBody({ contractNo: 'BAD-1' }),
      loanBody({ contractNo: 'BAD-2', maturityDate: '2023-01-01' }),
      loanBody({ contractNo: 'BAD-3' }),
    ];
    const response = await postLoans(bodies);
    expect(response.status).toBe(422);
    // The batch contract's { row, path, message }, and beside them the template's column and the message in Chinese.
    expect(response.body.errors).toEqual([
      { row: 2, path: 'maturityDate', message: 'must be after startDate 2024-01-15', column: '到期日', messageZh: '到期日必须晚于起始日 2024-01-15' },
    ]);
    expect(await writes()).toEqual(before);
  });

  it('every bad row is reported, each with its row number, field and message', async () => {
    const before = await writes();
    const response = await postLoans([
      loanBody({ principal: 'lots' }),
      loanBody(),
      loanBody({ pledges: [{ rightType: 'patent', number: '202310123456.5' }], principal: '1.001' }),
      loanBody({ enterpriseUscc: USCC.unregistered }),
      loanBody({ contractNo: 'B-1' }), // taken by an earlier batch of this bank
      loanBody({ contractNo: 'TWICE' }),
      loanBody({ contractNo: 'TWICE' }),
      'not an object',
    ]);
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { row: number; path: string }) => `${e.row}:${e.path}`)).toEqual([
      '1:principal',
      '3:principal',
      '3:pledges.0.number',
      '4:enterpriseUscc',
      '5:contractNo',
      '7:contractNo',
      '8:(body)',
    ]);
    expect(await writes()).toEqual(before);
  });

  it('10,001 items are refused with 422 before any row is read; nothing written', async () => {
    const before = await writes();
    const response = await postLoans(Array.from({ length: 10_001 }, () => ({})));
    expect(response.status).toBe(422);
    expect(response.body.errors[0].message).toMatch(/at most 10,000 items/);
    expect(await writes()).toEqual(before);
  });

  it('a CSV upload with the same field names, quoted cells and pledges as rightType:number[:securedAmount[:registrationNo]];… is accepted', async () => {
    const csv = [
      'contractNo,enterpriseUscc,principal,annualRate,startDate,maturityDate,collateral,ipPledgedAmount,pledges',
      `CSV-1,${USCC.yuanzhou},1000000.00,0.0435,2024-01-15,2025-01-15,ip_only,,patent:${PATENT.invention}`,
      `"CSV-2, ""quoted""",${USCC.ankang},2000000.00,0.04,2024-02-01,2026-02-01,combination,1500000.00,"patent:${PATENT.utility}::Y2024-0001;trademark:12345678:1500000.00"`,
      '',
    ].join('\r\n');
    const response = await postCsv('/api/v1/loans:batch', csv);
    expect(response.status).toBe(201);
    expect(response.body.count).toBe(2);
    const second = await service.as(bank.token).get(`/api/v1/loans/${response.body.ids[1]}`);
    expect(second.body).toMatchObject({
      contractNo: 'CSV-2, "quoted"',
      collateral: 'combination',
      ipPledgedAmount: '1500000.00',
      pledges: [
        { rightType: 'patent', number: PATENT.utility, registrationNo: 'Y2024-0001', securedAmount: null },
        { rightType: 'trademark', number: '12345678', registrationNo: null, securedAmount: '1500000.00' },
      ],
    });
  });

  it('a CSV with a bad row is refused naming the row (1 = the first line after the header); an unknown column names the header', async () => {
    const before = await writes();
    const csv = [
      'contractNo,enterpriseUscc,principal,annualRate,startDate,maturityDate,collateral,pledges',
      `CSV-3,${USCC.yuanzhou},1000.00,0.0435,2024-01-15,2025-01-15,ip_only,patent:${PATENT.invention}`,
      `CSV-4,${USCC.yuanzhou},1000.00,0.0435,2024-01-15,2025-01-15,ip_only,patent`,
    ].join('\n');
    const response = await postCsv('/api/v1/loans:batch', csv);
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ row: 2, path: 'pledges' })]);
    const unknown = await postCsv('/api/v1/loans:batch', 'contractNo,colour\nX,red\n');
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ path: '(header)' });
    expect(await writes()).toEqual(before);
  });

  it('a retried batch with the same Idempotency-Key returns the same ids and writes nothing new, even when sent twice at once', async () => {
    const bodies = [loanBody({ contractNo: 'IDEM-B-1' }), loanBody({ contractNo: 'IDEM-B-2' })];
    const [a, b] = await Promise.all([postLoans(bodies, 'batch-key-1'), postLoans(bodies, 'batch-key-1')]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.ids).toEqual(b.body.ids);
    const before = await writes();
    const again = await postLoans(bodies, 'batch-key-1');
    expect(again.body.ids).toEqual(a.body.ids);
    expect(await writes()).toEqual(before);
  });
});

describe('a batch of events', () => {
  let loanIds: string[];
  beforeAll(async () => {
    const response = await postLoans([1, 2].map((n) => loanBody({ contractNo: `EV-${n}`, principal: '1000.00' })));
    loanIds = response.body.ids;
  });

  it('events on several loans, out of date order, are recorded in one go and move the ledger', async () => {
    const [first, second] = loanIds as [string, string];
    const response = await postEvents([
      { loanId: first, type: 'principal_repayment', date: '2024-03-01', amount: '400.00' },
      { loanId: first, type: 'disbursement', date: '2024-02-01', amount: '1000.00' },
      { loanId: second, type: 'disbursement', date: '2024-02-01', amount: '500.00' },
      { loanId: second, type: 'interest_payment', date: '2024-03-01', amount: '3.63' },
      { loanId: second, type: 'overdue', date: '2024-04-01', daysOverdue: 10 },
    ]);
    expect(response.status).toBe(201);
    expect(response.body.count).toBe(5);
    const a = await service.as(bank.token).get(`/api/v1/loans/${first}`);
    const b = await service.as(bank.token).get(`/api/v1/loans/${second}`);
    // first: 1,000.00 − 400.00 = 600.00; second: 500.00 outstanding, 3.63 interest, overdue.
    expect([a.body.outstandingPrincipal, b.body.outstandingPrincipal, b.body.interestPaid, b.body.status]).toEqual([
      '600.00', '500.00', '3.63', 'overdue',
    ]);
  });

  it('rows are checked against each other: the second disbursement that passes the principal is the row named', async () => {
    const [, second] = loanIds as [string, string];
    const before = await writes();
    // 500.00 already disbursed on a 1,000.00 loan: +300.00 fits (800.00), +300.00 more does not (1,100.00).
    const response = await postEvents([
      { loanId: second, type: 'disbursement', date: '2024-05-01', amount: '300.00' },
      { loanId: second, type: 'disbursement', date: '2024-05-02', amount: '300.00' },
      { loanId: second, type: 'principal_repayment', date: '2024-01-20', amount: '1.00' },
    ]);
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { row: number; path: string }) => `${e.row}:${e.path}`)).toEqual(['2:amount', '3:amount']);
    expect(response.body.errors[0].message).toMatch(/^disbursements would exceed the principal/);
    expect(response.body.errors[1].message).toMatch(/^repayment exceeds the outstanding principal on 2024-01-20/);
    expect(await writes()).toEqual(before);
  });

  it("a row on another bank's loan reads like a loan that does not exist, and nothing is written", async () => {
    const [first] = loanIds as [string];
    const before = await writes();
    const response = await postEvents([{ loanId: first, type: 'default', date: '2024-06-01' }], otherBank.token);
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      { row: 1, path: 'loanId', message: `no loan ${first}`, column: '贷款编号', messageZh: '找不到这笔贷款（或不是本行的贷款）' },
    ]);
    expect(await writes()).toEqual(before);
  });

  it('a CSV of events is accepted; a bad CSV row is named', async () => {
    const [first] = loanIds as [string];
    const ok = await postCsv(
      '/api/v1/loan-events:batch',
      `loanId,type,date,amount,periodFrom,periodTo,daysOverdue\n${first},interest_payment,2024-03-01,4.35,2024-02-01,2024-02-29,\n${first},overdue,2024-04-01,,,,7\n`,
    );
    expect(ok.status).toBe(201);
    expect(ok.body.count).toBe(2);
    const bad = await postCsv('/api/v1/loan-events:batch', `loanId,type,date,amount\n${first},disbursement,2024-03-01,\n`);
    expect(bad.status).toBe(422);
    // Row 1 of the batch is row 2 of the sheet (under the header); the amount is its fourth column, D.
    expect(bad.body.errors).toEqual([
      { row: 1, path: 'amount', message: 'is required for disbursement', sheetRow: 2, column: '金额（元）', cell: 'D2', messageZh: '放款事件须填写金额' },
    ]);
  });

  // Its speed (a 10,000-event batch in under 2 s) is measured by `npm run bench` (bench/ingestion.ts), not here.
  it('10,000 events of 2,000 loans go through HTTP in one batch, out of date order, and the totals add up', async () => {
    const loansCount = 2_000;
    const created = await postLoans(
      Array.from({ length: loansCount }, (_, n) => loanBody({ contractNo: `PERF-${n}`, principal: '1000000.00', pledges: [{ rightType: 'trademark', number: String(10_000_000 + n) }] })),
    );
    expect(created.status).toBe(201);
    const ids: string[] = created.body.ids;
    // Five events per loan, the repayment before the disbursement in the array (out of order by date).
    const events = ids.flatMap((loanId) => [
      { loanId, type: 'principal_repayment', date: '2024-06-15', amount: '100000.00' },
      { loanId, type: 'disbursement', date: '2024-01-15', amount: '1000000.00' },
      { loanId, type: 'interest_payment', date: '2024-02-15', amount: '3625.00', periodFrom: '2024-01-15', periodTo: '2024-02-14' },
      { loanId, type: 'overdue', date: '2024-03-20', daysOverdue: 5 },
      { loanId, type: 'interest_payment', date: '2024-03-25', amount: '3625.00' },
    ]);
    expect(events).toHaveLength(10_000);
    const response = await postEvents(events);
    expect(response.status).toBe(201);
    expect(response.body.count).toBe(10_000);
    // 2,000 × (1,000,000.00 − 100,000.00) = 1,800,000,000.00 outstanding; 2,000 × 7,250.00 = 14,500,000.00 interest.
    const list = await service.as(bank.token).get(`/api/v1/loans?startFrom=2024-01-15&startTo=2024-01-15&rightType=trademark&limit=1`);
    expect(list.body.totals).toMatchObject({ count: loansCount, outstandingPrincipal: '1800000000.00', interestPaid: '14500000.00' });
  });
});
