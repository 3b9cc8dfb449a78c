/**
 * Loans and pledges (docs/api.md `POST /api/v1/loans`, `GET /api/v1/loans[/{id}]`).
 */
import { startTestService, type TestService } from './support/app';
import { count, daysFromToday, loanBody, PATENT, registerEnterprises, today, USCC } from './loans.support';

let service: TestService;
let bankA: { token: string; bankId: string };
let bankB: { token: string; bankId: string };
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
  bankA = await service.bank();
  bankB = await service.bank();
});
afterAll(() => service.close());

const writes = async () => ({
  loans: await count(service, 'loan'),
  pledges: await count(service, 'pledge'),
  assets: await count(service, 'ip_asset'),
  entries: await count(service, 'ledger_entry'),
  accounts: await count(service, 'ledger_account'),
});

describe('a valid loan', () => {
  it('a 1,000,000.00 CNY IP-only patent loan is created with nothing outstanding and its principal granted in the ledger', async () => {
    const response = await service.as(bankA.token).post('/api/v1/loans').send(loanBody({ contractNo: 'YZ-2024-001' }));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      bankId: bankA.bankId,
      contractNo: 'YZ-2024-001',
      enterpriseUscc: USCC.yuanzhou,
      principal: '1000000.00',
      annualRate: '0.0435',
      collateral: 'ip_only',
      ipPledgedAmount: '1000000.00', // ip_only: the whole principal
      pledges: [{ rightType: 'patent', number: PATENT.invention, registrationNo: null }],
      status: 'active',
      outstandingPrincipal: '0.00',
      interestPaid: '0.00',
    });
    const id = response.body.id as string;
    const staff = service.as(service.staffToken);
    // D loan:<id>:undrawn 1,000,000.00 / C bank:<bank>:facilities 1,000,000.00, dated the start date.
    const undrawn = await staff.get(`/api/v1/ledger/accounts/loan:${id}:undrawn/balance?asOf=2024-01-15`);
    expect(undrawn.body.balance).toBe('1000000.00');
    const before = await staff.get(`/api/v1/ledger/accounts/loan:${id}:undrawn/balance?asOf=2024-01-14`);
    expect(before.body.balance).toBe('0.00');
    const facilities = await staff.get(`/api/v1/ledger/accounts/bank:${bankA.bankId}:facilities/balance`);
    expect(facilities.body.balance).toBe('1000000.00');
    // The bank's accounts are shared ledger accounts: its loans move their parts, never their rows.
    const bankAccounts = await service.db.pool.query(
      `select code, shared, debits_fen, credits_fen from ledger_account where code like $1 order by code`,
      [`bank:${bankA.bankId}:%`],
    );
    expect(bankAccounts.rows).toEqual([
      { code: `bank:${bankA.bankId}:facilities`, shared: true, debits_fen: 0n, credits_fen: 0n },
      { code: `bank:${bankA.bankId}:interest-received`, shared: true, debits_fen: 0n, credits_fen: 0n },
    ]);
  });

  it('a combination loan keeps its IP-pledged amount; pledges of every right type, the old 8-digit patent form and a registration number are accepted', async () => {
    const response = await service
      .as(bankA.token)
      .post('/api/v1/loans')
      .send(
        loanBody({
          enterpriseUscc: USCC.dongyang,
          collateral: 'combination',
          principal: '5000000.00',
          ipPledgedAmount: '3000000.00',
          pledges: [
            { rightType: 'patent', number: PATENT.old, registrationNo: 'Y2024330000123', securedAmount: '2000000.00' },
            { rightType: 'patent', number: PATENT.utility },
            { rightType: 'trademark', number: '第12345678号', securedAmount: '5000000.00' },
            { rightType: 'copyright', number: '2023SR0123456' },
          ],
        }),
      );
    expect(response.status).toBe(201);
    expect(response.body.ipPledgedAmount).toBe('3000000.00');
    expect(response.body.pledges).toEqual([
      { lineNo: 1, rightType: 'patent', number: '95115608.X', registrationNo: 'Y2024330000123', securedAmount: '2000000.00' },
      { lineNo: 2, rightType: 'patent', number: '202220123450.X', registrationNo: null, securedAmount: null },
      { lineNo: 3, rightType: 'trademark', number: '12345678', registrationNo: null, securedAmount: '5000000.00' },
      { lineNo: 4, rightType: 'copyright', number: '2023SR0123456', registrationNo: null, securedAmount: null },
    ]);
    // A secured amount not stated at first is recorded later by the bank, once; it is never changed after.
    const loanId = response.body.id as string;
    const later = await service.as(bankA.token).post(`/api/v1/loans/${loanId}/pledges/2/secured-amount`).send({ securedAmount: '1000000.00' });
    expect(later.status).toBe(201);
    expect(later.body).toEqual({ lineNo: 2, rightType: 'patent', number: '202220123450.X', registrationNo: null, securedAmount: '1000000.00' });
    const again = await service.as(bankA.token).post(`/api/v1/loans/${loanId}/pledges/2/secured-amount`).send({ securedAmount: '900000.00' });
    expect(again.status).toBe(409);
    const above = await service.as(bankA.token).post(`/api/v1/loans/${loanId}/pledges/4/secured-amount`).send({ securedAmount: '5000000.01' });
    expect(above.status).toBe(422);
    expect(above.body.errors).toEqual([expect.objectContaining({ path: 'securedAmount' })]);
    const missing = await service.as(bankA.token).post(`/api/v1/loans/${loanId}/pledges/9/secured-amount`).send({ securedAmount: '1.00' });
    expect(missing.status).toBe(404);
    const otherBank = await service.as(bankB.token).post(`/api/v1/loans/${loanId}/pledges/4/secured-amount`).send({ securedAmount: '1.00' });
    expect(otherBank.status).toBe(404);
    const pledges = (await service.as(bankA.token).get(`/api/v1/loans/${loanId}`)).body.pledges as Array<{ securedAmount: string | null }>;
    expect(pledges.map((pledge) => pledge.securedAmount)).toEqual(['2000000.00', '1000000.00', '5000000.00', null]);
    // PostgreSQL refuses a change of a stated amount, even from a raw session.
    await expect(service.db.pool.query(`update pledge set secured_fen = 1 where loan_id = $1 and line_no = 1`, [loanId])).rejects.toThrow(
      /only a secured amount not yet stated/,
    );
  });

  it('a combination loan whose contract does not separate the IP part is recorded (201), its IP part unknown', async () => {
    const response = await service
      .as(bankA.token)
      .post('/api/v1/loans')
      .send(loanBody({ contractNo: 'COMBO-NO-IP', collateral: 'combination', ipPledgedAmount: undefined }));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ collateral: 'combination', ipPledgedAmount: null });
    expect((await service.as(bankA.token).get(`/api/v1/loans/${response.body.id}`)).body.ipPledgedAmount).toBeNull();
    const stored = await service.db.pool.query(`select ip_pledged_fen from loan where id = $1`, [response.body.id]);
    expect(stored.rows).toEqual([{ ip_pledged_fen: null }]);
  });

  it('boundaries that pass: started today, matures the next day, IP-pledged amount equal to the principal', async () => {
    const response = await service
      .as(bankA.token)
      .post('/api/v1/loans')
      .send(
        loanBody({
          startDate: today(),
          maturityDate: daysFromToday(1),
          collateral: 'combination',
          principal: '100.00',
          ipPledgedAmount: '100.00',
        }),
      );
    expect(response.status).toBe(201);
  });
});

describe('every loan field is validated: 422 naming the field, nothing written', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a zero principal', { principal: '0.00' }, 'principal'],
    ['a principal with 3 decimals', { principal: '1000.001' }, 'principal'],
    ['a negative principal', { principal: '-1000.00' }, 'principal'],
    ['a rate written as a percentage', { annualRate: '4.35' }, 'annualRate'],
    ['a zero rate', { annualRate: '0' }, 'annualRate'],
    ['a rate that is not a number', { annualRate: 'LPR+50bp' }, 'annualRate'],
    ['a start date tomorrow', { startDate: daysFromToday(1), maturityDate: daysFromToday(400) }, 'startDate'],
    ['maturity on the start date', { startDate: '2024-01-15', maturityDate: '2024-01-15' }, 'maturityDate'],
    ['maturity before the start', { startDate: '2024-01-15', maturityDate: '2024-01-14' }, 'maturityDate'],
    ['a date that does not exist', { startDate: '2024-02-30' }, 'startDate'],
    ['a combination loan with an IP-pledged amount of zero', { collateral: 'combination', ipPledgedAmount: '0.00' }, 'ipPledgedAmount'],
    ['an IP-pledged amount one fen over the principal', { collateral: 'combination', ipPledgedAmount: '1000000.01' }, 'ipPledgedAmount'],
    ['an ip_only loan whose IP-pledged amount is not the principal', { ipPledgedAmount: '999999.99' }, 'ipPledgedAmount'],
    ['an unknown collateral', { collateral: 'guarantee' }, 'collateral'],
    ['no pledge', { pledges: [] }, 'pledges'],
    // 202310654321.2: 2×2+0×3+2×4+3×5+1×6+0×7+6×8+5×9+4×2+3×3+2×4+1×5 = 156; 156 mod 11 = 2.
    // 202310123456.6 has check digit 6 (src/loans/identifiers.test.ts); 5 is wrong.
    ['a patent number with a wrong check digit', { pledges: [{ rightType: 'patent', number: '202310123456.5' }] }, 'pledges.0.number'],
    ['a trademark number with letters', { pledges: [{ rightType: 'trademark', number: 'TM123' }] }, 'pledges.0.number'],
    ['an unknown right type', { pledges: [{ rightType: 'design', number: '1' }] }, 'pledges.0.rightType'],
    ['a secured amount one fen over the principal', { pledges: [{ rightType: 'patent', number: PATENT.invention, securedAmount: '1000000.01' }] }, 'pledges.0.securedAmount'],
    ['a secured amount of zero', { pledges: [{ rightType: 'patent', number: PATENT.invention, securedAmount: '0.00' }] }, 'pledges.0.securedAmount'],
    ['a secured amount that is not money', { pledges: [{ rightType: 'patent', number: PATENT.invention, securedAmount: 500000 }] }, 'pledges.0.securedAmount'],
    // A field the service does not know is refused, never silently dropped (a misspelt securedAmount would pay the whole IP part).
    ['a pledge field the service does not know', { pledges: [{ rightType: 'patent', number: PATENT.invention, secured_amount: '500000.00' }] }, 'pledges.0.secured_amount'],
    [
      'the same patent twice (once with the ZL prefix)',
      { pledges: [{ rightType: 'patent', number: PATENT.invention }, { rightType: 'patent', number: `ZL ${PATENT.invention}` }] },
      'pledges.1.number',
    ],
    ['an enterprise nobody registered', { enterpriseUscc: USCC.unregistered }, 'enterpriseUscc'],
    ['an enterprise code that is not a USCC', { enterpriseUscc: '91360902MA36R7KCX8' }, 'enterpriseUscc'],
    ['a missing contract number', { contractNo: undefined }, 'contractNo'],
  ])('%s', async (_name, overrides, path) => {
    const before = await writes();
    const response = await service.as(bankA.token).post('/api/v1/loans').send(loanBody(overrides));
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    expect(await writes()).toEqual(before);
  });

  it('the check-digit message says which digit was expected', async () => {
    const response = await service
      .as(bankA.token)
      .post('/api/v1/loans')
      .send(loanBody({ pledges: [{ rightType: 'patent', number: '202310123456.5' }] }));
    expect(response.body.errors[0].message).toBe("check_digit: check digit is '5', expected '6'");
  });

  it('an unregistered enterprise is told to register first; an invalid code is told the rule', async () => {
    const unregistered = await service.as(bankA.token).post('/api/v1/loans').send(loanBody({ enterpriseUscc: USCC.unregistered }));
    expect(unregistered.body.errors[0].message).toMatch(/register it first/);
    const invalid = await service.as(bankA.token).post('/api/v1/loans').send(loanBody({ enterpriseUscc: '91360902MA36R7KCX8' }));
    expect(invalid.body.errors[0].message).toMatch(/check_character/);
  });

  it('every bad field of one loan is named at once', async () => {
    const response = await service
      .as(bankA.token)
      .post('/api/v1/loans')
      .send(loanBody({ principal: '12.345', annualRate: 'x', pledges: [{ rightType: 'patent', number: '202310123456.5' }] }));
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['annualRate', 'pledges.0.number', 'principal']);
  });

  it('with a field the schema refuses, the rules across fields and the register are still checked', async () => {
    const before = await writes();
    // A bad patent check digit (the schema), a maturity before the start (two fields), an enterprise never registered
    // (the database) and a contract number this bank has used: four problems, one answer.
    await service.as(bankA.token).post('/api/v1/loans').send(loanBody({ contractNo: 'ALL-AT-ONCE' }));
    const after = await writes();
    const response = await service
      .as(bankA.token)
      .post('/api/v1/loans')
      .send(
        loanBody({
          contractNo: 'ALL-AT-ONCE',
          enterpriseUscc: USCC.unregistered,
          startDate: '2024-06-01',
          maturityDate: '2024-05-31',
          pledges: [{ rightType: 'patent', number: '202310123456.5' }],
        }),
      );
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['contractNo', 'enterpriseUscc', 'maturityDate', 'pledges.0.number']);
    expect(response.body.errors.every((e: { row?: number }) => e.row === undefined)).toBe(true);
    expect(await writes()).toEqual(after);
    expect(after).not.toEqual(before);
  });

  it('a contract number is unique per bank: the same bank again is a 409, another bank may use it', async () => {
    const first = await service.as(bankA.token).post('/api/v1/loans').send(loanBody({ contractNo: 'DUP-1' }));
    expect(first.status).toBe(201);
    const before = await writes();
    const again = await service.as(bankA.token).post('/api/v1/loans').send(loanBody({ contractNo: 'DUP-1' }));
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ path: 'contractNo', message: 'this bank already has a loan with contract number DUP-1' }]);
    expect(await writes()).toEqual(before);
    const other = await service.as(bankB.token).post('/api/v1/loans').send(loanBody({ contractNo: 'DUP-1' }));
    expect(other.status).toBe(201);
  });

  it('only a bank posts loans', async () => {
    const response = await service.as(service.staffToken).post('/api/v1/loans').send(loanBody());
    expect(response.status).toBe(403);
  });
});

describe('a bank sees and touches only its own loans', () => {
  let loanOfA: string;
  beforeAll(async () => {
    loanOfA = (await service.as(bankA.token).post('/api/v1/loans').send(loanBody({ contractNo: 'ISO-A' }))).body.id;
  });

  it('another bank reading it gets the same 404 as for a loan that does not exist', async () => {
    const other = await service.as(bankB.token).get(`/api/v1/loans/${loanOfA}`);
    const none = await service.as(bankB.token).get(`/api/v1/loans/00000000-0000-4000-8000-000000000000`);
    expect(other.status).toBe(404);
    expect(none.status).toBe(404);
    expect(other.body.code).toBe('loan_not_found');
    expect({ ...other.body, detail: undefined, requestId: undefined }).toEqual({ ...none.body, detail: undefined, requestId: undefined });
    expect((await service.as(bankB.token).get(`/api/v1/loans/${loanOfA}/events`)).status).toBe(404);
  });

  it('another bank writing an event on it gets 404 and nothing is written', async () => {
    const before = { events: await count(service, 'loan_event'), entries: await count(service, 'ledger_entry') };
    const response = await service
      .as(bankB.token)
      .post(`/api/v1/loans/${loanOfA}/events`)
      .send({ type: 'disbursement', date: '2024-02-01', amount: '100.00' });
    expect(response.status).toBe(404);
    expect({ events: await count(service, 'loan_event'), entries: await count(service, 'ledger_entry') }).toEqual(before);
  });

  it('the list of a bank holds its own loans only; staff, finance and auditors see every bank', async () => {
    const listB = await service.as(bankB.token).get('/api/v1/loans?limit=500');
    expect(listB.body.items.every((loan: { bankId: string }) => loan.bankId === bankB.bankId)).toBe(true);
    // Asking for bank A's loans by filter does not widen a bank's scope.
    const sneaky = await service.as(bankB.token).get(`/api/v1/loans?bankId=${bankA.bankId}`);
    expect(sneaky.body.items).toEqual([]);
    expect(sneaky.body.totals.count).toBe(0);
    for (const role of ['finance', 'auditor'] as const) {
      const reader = await service.principal(role);
      const loan = await service.as(reader.token).get(`/api/v1/loans/${loanOfA}`);
      expect(loan.status).toBe(200);
    }
    const staffList = await service.as(service.staffToken).get(`/api/v1/loans?bankId=${bankB.bankId}`);
    expect(staffList.body.totals.count).toBe(listB.body.totals.count);
  });
});

describe('retries with Idempotency-Key', () => {
  it('the same key and body returns the first loan again and writes nothing new; another body is a 409', async () => {
    const body = loanBody({ contractNo: 'IDEM-1' });
    const first = await service.as(bankA.token).post('/api/v1/loans').set('Idempotency-Key', 'loan-idem-1').send(body);
    expect(first.status).toBe(201);
    const before = await writes();
    const again = await service.as(bankA.token).post('/api/v1/loans').set('Idempotency-Key', 'loan-idem-1').send(body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await writes()).toEqual(before);
    const different = await service
      .as(bankA.token)
      .post('/api/v1/loans')
      .set('Idempotency-Key', 'loan-idem-1')
      .send({ ...body, principal: '2.00' });
    expect(different.status).toBe(409);
    expect(await writes()).toEqual(before);
  });

  it('a refused request keeps nothing under its key: the corrected body with the same key is recorded (the console keeps one key per form)', async () => {
    const body = loanBody({ contractNo: 'IDEM-REFUSED' });
    const before = { ...(await writes()), keys: await count(service, 'idempotency_record') };
    const refused = await service
      .as(bankA.token)
      .post('/api/v1/loans')
      .set('Idempotency-Key', 'loan-idem-refused')
      .send({ ...body, maturityDate: '2023-01-01' });
    expect(refused.status).toBe(422);
    expect({ ...(await writes()), keys: await count(service, 'idempotency_record') }).toEqual(before);
    const corrected = await service.as(bankA.token).post('/api/v1/loans').set('Idempotency-Key', 'loan-idem-refused').send(body);
    expect(corrected.status).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
    expect(corrected.body.contractNo).toBe('IDEM-REFUSED');
  });

  it('two concurrent requests with one key write one loan and both answer with its id', async () => {
    const body = loanBody({ contractNo: 'IDEM-CONCURRENT' });
    const before = await count(service, 'loan');
    const [a, b] = await Promise.all([
      service.as(bankA.token).post('/api/v1/loans').set('Idempotency-Key', 'loan-concurrent').send(body),
      service.as(bankA.token).post('/api/v1/loans').set('Idempotency-Key', 'loan-concurrent').send(body),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(await count(service, 'loan')).toBe(before + 1);
  });
});

describe('an asset backs several loans over time, and the system knows which and when', () => {
  it('the same patent pledged to a settled 2022 loan and a 2024 loan lists both with their dates', async () => {
    const number = '202310654321.2';
    const staff = service.as(service.staffToken);
    const first = await service
      .as(bankA.token)
      .post('/api/v1/loans')
      .send(loanBody({ contractNo: 'ASSET-1', startDate: '2022-03-01', maturityDate: '2023-03-01', pledges: [{ rightType: 'patent', number }] }));
    expect(first.status).toBe(201);
    await service.as(bankA.token).post(`/api/v1/loans/${first.body.id}/events`).send({ type: 'disbursement', date: '2022-03-01', amount: '1000000.00' });
    await service.as(bankA.token).post(`/api/v1/loans/${first.body.id}/events`).send({ type: 'principal_repayment', date: '2023-03-01', amount: '1000000.00' });
    const settled = await service.as(bankA.token).post(`/api/v1/loans/${first.body.id}/events`).send({ type: 'settlement', date: '2023-03-01' });
    expect(settled.status).toBe(201);
    const second = await service
      .as(bankB.token)
      .post('/api/v1/loans')
      .send(loanBody({ contractNo: 'ASSET-2', startDate: '2024-04-01', maturityDate: '2025-04-01', pledges: [{ rightType: 'patent', number: `ZL ${number}` }] }));
    expect(second.status).toBe(201);

    const history = await staff.get(`/api/v1/ip-assets?rightType=patent&number=${encodeURIComponent('ZL2023 1 0654321.2')}`);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ rightType: 'patent', number });
    expect(history.body.loans).toEqual([
      expect.objectContaining({ loanId: first.body.id, startDate: '2022-03-01', maturityDate: '2023-03-01', settlementDate: '2023-03-01', status: 'settled' }),
      expect.objectContaining({ loanId: second.body.id, startDate: '2024-04-01', settlementDate: null, status: 'active' }),
    ]);
    // One asset row, two pledges.
    expect(await count(service, `ip_asset where number = '${number}'`)).toBe(1);
    // A bank sees only its own loans on the asset.
    const asB = await service.as(bankB.token).get(`/api/v1/ip-assets?rightType=patent&number=${number}`);
    expect(asB.body.loans.map((l: { loanId: string }) => l.loanId)).toEqual([second.body.id]);
    // 202410000001: 2×2+2×4+4×5+1×6+1×5 = 43; 43 mod 11 = 10 → 'X'. Valid, never pledged.
    const never = await staff.get('/api/v1/ip-assets?rightType=patent&number=202410000001.X');
    expect(never.status).toBe(404);
    const invalid = await staff.get('/api/v1/ip-assets?rightType=patent&number=202310654321.7');
    expect(invalid.status).toBe(422);
  });
});

describe('the portfolio list', () => {
  it('filters by bank, enterprise, status, right type and start dates, pages, and totals every matching loan', async () => {
    const bank = await service.bank();
    const post = (overrides: Record<string, unknown>) => service.as(bank.token).post('/api/v1/loans').send(loanBody(overrides));
    const a = await post({ contractNo: 'L-1', principal: '100000.00', startDate: '2024-01-10', enterpriseUscc: USCC.fuzhou });
    const b = await post({ contractNo: 'L-2', principal: '200000.00', startDate: '2024-02-10', pledges: [{ rightType: 'trademark', number: '7654321' }] });
    const c = await post({ contractNo: 'L-3', principal: '300000.00', startDate: '2024-03-10' });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    await service.as(bank.token).post(`/api/v1/loans/${c.body.id}/events`).send({ type: 'disbursement', date: '2024-03-10', amount: '250000.00' });
    await service.as(bank.token).post(`/api/v1/loans/${c.body.id}/events`).send({ type: 'overdue', date: '2024-06-10', daysOverdue: 5 });
    await service.as(bank.token).post(`/api/v1/loans/${b.body.id}/events`).send({ type: 'disbursement', date: '2024-02-10', amount: '200000.00' });

    const staff = service.as(service.staffToken);
    const all = await staff.get(`/api/v1/loans?bankId=${bank.bankId}&limit=2`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((l: { contractNo: string }) => l.contractNo)).toEqual(['L-1', 'L-2']);
    // 100,000 + 200,000 + 300,000 = 600,000 principal; 200,000 + 250,000 = 450,000 outstanding.
    expect(all.body.totals).toEqual({
      count: 3,
      principal: '600000.00',
      ipPledgedAmount: '600000.00',
      outstandingPrincipal: '450000.00',
      interestPaid: '0.00',
    });
    const next = await staff.get(`/api/v1/loans?bankId=${bank.bankId}&limit=2&cursor=${all.body.nextCursor}`);
    expect(next.body.items.map((l: { contractNo: string }) => l.contractNo)).toEqual(['L-3']);
    expect(next.body.nextCursor).toBeNull();

    const overdue = await staff.get(`/api/v1/loans?bankId=${bank.bankId}&status=overdue`);
    expect(overdue.body.items.map((l: { contractNo: string }) => l.contractNo)).toEqual(['L-3']);
    expect(overdue.body.totals).toMatchObject({ count: 1, principal: '300000.00', outstandingPrincipal: '250000.00' });
    const trademarks = await staff.get(`/api/v1/loans?bankId=${bank.bankId}&rightType=trademark`);
    expect(trademarks.body.items.map((l: { contractNo: string }) => l.contractNo)).toEqual(['L-2']);
    const between = await staff.get(`/api/v1/loans?bankId=${bank.bankId}&startFrom=2024-02-10&startTo=2024-03-09`);
    expect(between.body.items.map((l: { contractNo: string }) => l.contractNo)).toEqual(['L-2']);
    const fuzhou = await staff.get(`/api/v1/loans?bankId=${bank.bankId}&enterpriseUscc=${USCC.fuzhou}`);
    expect(fuzhou.body.items.map((l: { contractNo: string }) => l.contractNo)).toEqual(['L-1']);
    const badStatus = await staff.get('/api/v1/loans?status=late');
    expect(badStatus.status).toBe(422);
  });
});
