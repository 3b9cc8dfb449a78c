/**
 * The risk-compensation fund over HTTP against a real PostgreSQL (docs/api.md "Risk-compensation fund";
 * src/fund/README.md). Every figure is worked by hand in the comments; the tests of one describe block build on
 * each other in order, like the life of a fund.
 */
import ExcelJS from 'exceljs';
import { loan, ok, USCC } from './fund.support';
import { startTestService, type AuthorisedAgent, type TestService } from './support/app';
import { binary } from './support/binary';

let service: TestService;
let staff: AuthorisedAgent;
let bankA: { bankId: string; token: string; agent: AuthorisedAgent };
let bankB: { bankId: string; token: string; agent: AuthorisedAgent };
let bankC: { bankId: string; token: string; agent: AuthorisedAgent };

async function newBank() {
  const bank = await service.bank();
  return { ...bank, agent: service.as(bank.token) };
}

const FUND_BASE = {
  shareOfLoss: '0.5',
  claimAfterDaysOverdue: 90,
  bodies: ['city', 'district'],
  effectiveFrom: '2024-01-01',
  reference: '袁府办字〔2023〕25号 三(一)2; fund agreement art. 5 (test)',
};

async function createFund(body: Record<string, unknown>): Promise<string> {
  return ok(await staff.post('/api/v1/funds').send({ ...FUND_BASE, ...body }), 201).body.id as string;
}

beforeAll(async () => {
  service = await startTestService();
  staff = service.as(service.staffToken);
  [bankA, bankB, bankC] = [await newBank(), await newBank(), await newBank()];
  ok(await staff.post('/api/v1/enterprises').send({ uscc: USCC, name: '袁州测试企业' }), 201);
});
afterAll(() => service.close());

describe('a fund is set up with dated parameters', () => {
  it('POST /api/v1/funds answers 201 with the parameters of the contract and keeps them as version 1', async () => {
    const response = ok(
      await staff.post('/api/v1/funds').send({
        ...FUND_BASE,
        code: 'JS-TIERS',
        name: '苏知贷式分段补偿',
        shareOfLoss: '0',
        shareTiers: [
          { upTo: '10000000.00', share: '0.8' },
          { upTo: '30000000.00', share: '0.5' },
        ],
        leverage: '10',
        capPerLoan: '5000000.00',
      }),
      201,
    );
    expect(response.body).toMatchObject({
      code: 'JS-TIERS',
      shareOfLoss: '0',
      shareTiers: [
        { upTo: '10000000.00', share: '0.8' },
        { upTo: '30000000.00', share: '0.5' },
      ],
      leverage: '10',
      claimAfterDaysOverdue: 90,
      capPerLoan: '5000000.00',
      capPerBankPerYear: null,
      capPerBorrowerPerYear: null,
      capPerYear: null,
      suspensionRatio: null,
      bodies: ['city', 'district'],
      version: 1,
      effectiveFrom: '2024-01-01',
      cashAccount: 'fund:JS-TIERS:cash',
    });
    // A change of rule is a new version; the old one stays.
    const changed = ok(
      await staff.post(`/api/v1/funds/${response.body.id}/versions`).send({
        ...FUND_BASE,
        shareOfLoss: '0.4',
        leverage: '8',
        effectiveFrom: '2025-07-01',
        reference: 'fund agreement amendment 1 (test)',
      }),
      201,
    );
    expect(changed.body.versions.map((v: { version: number; effectiveFrom: string; shareOfLoss: string }) => [v.version, v.effectiveFrom, v.shareOfLoss]))
      .toEqual([[1, '2024-01-01', '0'], [2, '2025-07-01', '0.4']]);
    expect(changed.body.version).toBe(2); // in force today
  });

  it('Zhongshan loss sharing needs shareOfLoss = 54 ÷ 100; parameters that contradict each other are 422 naming the field', async () => {
    const parties = [
      { party: 'fund', weight: '54' },
      { party: 'bank', weight: '26' },
      { party: 'insurer', weight: '16' },
      { party: 'appraiser', weight: '4' },
    ];
    ok(await staff.post('/api/v1/funds').send({ ...FUND_BASE, code: 'ZS', name: '中山式', shareOfLoss: '0.54', lossParties: parties, leverage: '10' }), 201);
    const wrong = ok(await staff.post('/api/v1/funds').send({ ...FUND_BASE, code: 'ZS2', name: 'x', shareOfLoss: '0.5', lossParties: parties, leverage: '10' }), 422);
    expect(wrong.body.errors).toEqual([{ path: 'shareOfLoss', message: "must equal the fund's weight ÷ the total weight of lossParties: 0.54" }]);
    const bad = ok(await staff.post('/api/v1/funds').send({ ...FUND_BASE, code: 'BAD', name: 'x', shareOfLoss: 'half', bodies: ['Town-ship'] }), 422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['bodies.0', 'leverage', 'shareOfLoss']);
    // A share above 1 is named beside an empty code and no funding body: one answer, every bad field.
    const several = ok(await staff.post('/api/v1/funds').send({ ...FUND_BASE, code: '', name: 'x', shareOfLoss: '2', leverage: '10', bodies: [] }), 422);
    expect(several.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['bodies', 'code', 'shareOfLoss']);
    expect(several.body.errors.find((e: { path: string }) => e.path === 'shareOfLoss').message).toBe('must be between 0 and 1');
    expect(ok(await bankA.agent.post('/api/v1/funds').send({ ...FUND_BASE, code: 'BANK', name: 'x', leverage: '10' }), 403).body.code).toBe('forbidden');
  });

  it('the fund routes are in the OpenAPI document with the roles of the contract', async () => {
    const paths = ok(await service.as(service.staffToken).get('/openapi.json'), 200).body.paths;
    expect(paths['/api/v1/funds'].post['x-roles']).toEqual(['staff']);
    expect(paths['/api/v1/funds/{id}/contributions'].post['x-roles']).toEqual(['staff', 'finance']);
    expect(paths['/api/v1/funds/{id}/enrolments'].post['x-roles']).toEqual(['staff', 'bank']);
    expect(paths['/api/v1/funds/{id}/claims'].post['x-roles']).toEqual(['bank']);
    expect(paths['/api/v1/funds/{id}/claims/{claimId}/transitions'].post['x-roles']).toEqual(['staff']);
    expect(paths['/api/v1/funds/{id}/recoveries'].post['x-roles']).toEqual(['bank', 'staff']);
    expect(paths['/api/v1/funds/{id}/statement'].get['x-roles']).toEqual(['staff', 'finance', 'auditor']);
  });
});

describe('contributions and the leverage limit', () => {
  let fundId: string;
  let enrolmentR: string;
  const loans: Record<string, string> = {};

  beforeAll(async () => {
    fundId = await createFund({ code: 'LEV', name: '杠杆测试基金', leverage: '10' });
    loans.p = await loan(bankA, { principal: '600000.00' });
    loans.q = await loan(bankA, { principal: '1000000.00', collateral: 'combination', ipPledgedAmount: '400000.00' });
    loans.r = await loan(bankA, { principal: '100.00' });
  });

  it('the city (by staff) and the district (by its finance bureau) contribute; each is a ledger entry into the cash', async () => {
    const city = ok(await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'city', amount: '100000.00', date: '2024-01-10' }), 201);
    expect(city.body).toMatchObject({ body: 'city', amount: '100000.00', date: '2024-01-10' });
    const districtFinance = await service.principal('finance', { body: 'district' });
    // The city's finance bureau cannot record the district's money.
    const cityFinance = await service.principal('finance', { body: 'city' });
    expect(ok(await service.as(cityFinance.token).post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'district', amount: '1.00', date: '2024-01-10' }), 403).body.code).toBe('forbidden');
    expect(ok(await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'province', amount: '1.00', date: '2024-01-10' }), 422).body.errors[0].path).toBe('body');
    // Before the fund's first version (2024-01-01) no parameters are in force.
    expect(ok(await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'city', amount: '1.00', date: '2023-12-31' }), 422).body.code).toBe('fund_parameters_not_in_force');
    ok(await service.as(districtFinance.token).post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'district', amount: '0.01', date: '2024-01-20' }), 201);
    // Cash = 100,000.00 + 0.01; the entry is in the ledger, balanced against the bodies' capital accounts.
    const balance = ok(await staff.get('/api/v1/ledger/accounts/fund:LEV:cash/balance'), 200);
    expect(balance.body.balance).toBe('100000.01');
    expect(ok(await staff.get('/api/v1/ledger/accounts/fund:LEV:capital:district/balance'), 200).body.balance).toBe('0.01');
  });

  it('a contribution retried with the same Idempotency-Key is recorded once', async () => {
    const send = () =>
      staff.post(`/api/v1/funds/${fundId}/contributions`).set('Idempotency-Key', 'lev-city-2').send({ body: 'city', amount: '0.02', date: '2024-01-11' });
    const [first, again] = [ok(await send(), 201), ok(await send(), 201)];
    expect(again.body).toEqual(first.body);
    // 100,000.01 + 0.02 = 100,000.03; then the same key with another amount is 409.
    expect(ok(await staff.get('/api/v1/ledger/accounts/fund:LEV:cash/balance'), 200).body.balance).toBe('100000.03');
    const other = await staff.post(`/api/v1/funds/${fundId}/contributions`).set('Idempotency-Key', 'lev-city-2').send({ body: 'city', amount: '0.03', date: '2024-01-11' });
    expect(other.status).toBe(409);
  });

  it('enrolment is allowed up to exactly capital × leverage and refused beyond it', async () => {
    // Capital 100,000.03 × 10 = 1,000,000.30. P covers 600,000.00; Q, a combination loan, covers its IP-pledged
    // 400,000.00 (not its 1,000,000.00 principal): 1,000,000.00 ≤ 1,000,000.30.
    const p = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId: loans.p, date: '2024-03-01' }), 201);
    expect(p.body).toMatchObject({ loanId: loans.p, coveredPrincipal: '600000.00' });
    const q = ok(await staff.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId: loans.q, date: '2024-03-01' }), 201);
    expect(q.body.coveredPrincipal).toBe('400000.00');
    // R covers 100.00: 1,000,100.00 > 1,000,000.30.
    const r = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId: loans.r, date: '2024-03-01' }), 422);
    expect(r.body).toMatchObject({ code: 'leverage_limit_exceeded', capital: '100000.03', limit: '1000000.30', coveredPrincipalBefore: '1000000.00' });
    // 9.96 more: capital 100,009.99 × 10 = 1,000,099.90, still 0.10 short of 1,000,100.00.
    ok(await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'district', amount: '9.96', date: '2024-03-01' }), 201);
    expect(ok(await bankA.agent.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId: loans.r, date: '2024-03-01' }), 422).body.limit).toBe('1000099.90');
    // 0.01 more: capital 100,010.00 × 10 = 1,000,100.00, exactly the covered principal: allowed.
    ok(await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'district', amount: '0.01', date: '2024-03-01' }), 201);
    enrolmentR = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId: loans.r, date: '2024-03-01' }), 201).body.id;
    // A loan is enrolled once.
    expect(ok(await staff.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId: loans.p, date: '2024-03-02' }), 409).body.code).toBe('conflict');
  });

  it('an enrolment is withdrawn once its loan is settled, which frees its covered principal', async () => {
    const notSettled = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/enrolments/${enrolmentR}/withdrawal`).send({ date: '2024-05-31' }), 422);
    expect(notSettled.body.code).toBe('enrolment_refused');
    // R repaid in full and settled on 2024-06-01.
    ok(await bankA.agent.post(`/api/v1/loans/${loans.r}/events`).send({ type: 'principal_repayment', date: '2024-06-01', amount: '100.00' }), 201);
    ok(await bankA.agent.post(`/api/v1/loans/${loans.r}/events`).send({ type: 'settlement', date: '2024-06-01' }), 201);
    expect(ok(await bankB.agent.post(`/api/v1/funds/${fundId}/enrolments/${enrolmentR}/withdrawal`).send({ date: '2024-06-01' }), 404).body.code)
      .toBe('enrolment_not_found');
    const withdrawn = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/enrolments/${enrolmentR}/withdrawal`).send({ date: '2024-06-01' }), 200);
    expect(withdrawn.body).toMatchObject({ loanId: loans.r, withdrawnOn: '2024-06-01', coveredPrincipal: '100.00' });
    // Covered principal: 600,000 + 400,000 = 1,000,000 (R's 100.00 no longer counts); on 2024-05-31 it still did.
    expect(ok(await staff.get(`/api/v1/funds/${fundId}/kpis?asOf=2024-06-01`), 200).body.coveredPrincipal).toBe('1000000.00');
    expect(ok(await staff.get(`/api/v1/funds/${fundId}/kpis?asOf=2024-05-31`), 200).body.coveredPrincipal).toBe('1000100.00');
  });

  it('a loan of a bank that is not a partner of the fund is refused; another bank cannot even see the loan (404)', async () => {
    const partnersOnly = await createFund({ code: 'PARTNER', name: '合作银行基金', leverage: '10', partnerBankIds: [bankB.bankId] });
    ok(await staff.post(`/api/v1/funds/${partnersOnly}/contributions`).send({ body: 'city', amount: '1000000.00', date: '2024-01-10' }), 201);
    const refused = ok(await staff.post(`/api/v1/funds/${partnersOnly}/enrolments`).send({ loanId: loans.p, date: '2024-03-01' }), 422);
    expect(refused.body.code).toBe('enrolment_refused');
    expect(refused.body.detail).toMatch(/not a partner bank/);
    expect(ok(await bankB.agent.post(`/api/v1/funds/${partnersOnly}/enrolments`).send({ loanId: loans.p, date: '2024-03-01' }), 404).body.code).toBe('loan_not_found');
  });
});

describe('claims, payments, recoveries and the statement', () => {
  let fundId: string;
  const loans: Record<string, string> = {};
  const claims: Record<string, string> = {};

  beforeAll(async () => {
    // Share 0.5; claims after 90 days overdue; ≤ 300,000 per loan; ≤ 500,000 per bank a year; suspended above 0.6.
    fundId = await createFund({
      code: 'CLM',
      name: '风险补偿资金池',
      leverage: '25',
      capPerLoan: '300000.00',
      capPerBankPerYear: '500000.00',
      suspensionRatio: '0.6',
    });
    // Capital 250,000 + 200,000 = 450,000; limit 450,000 × 25 = 11,250,000.
    ok(await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'city', amount: '250000.00', date: '2024-01-10' }), 201);
    ok(await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'district', amount: '200000.00', date: '2024-01-20' }), 201);
    // Bank A: a1 800,000 unrecovered of 1,000,000 (IP only), a2 2,000,000 unrecovered of a 3,000,000 combination loan
    // pledging 1,000,000 of IP, both defaulted; a3 and a4 performing; a5 100,000 defaulted.
    loans.a1 = await loan(bankA, { principal: '1000000.00', repaid: '200000.00', defaulted: true });
    loans.a2 = await loan(bankA, { principal: '3000000.00', collateral: 'combination', ipPledgedAmount: '1000000.00', repaid: '1000000.00', defaulted: true });
    loans.a3 = await loan(bankA, { principal: '4000000.00' });
    loans.a4 = await loan(bankA, { principal: '2000000.00' });
    loans.a5 = await loan(bankA, { principal: '100000.00', defaulted: true });
    // Bank C: c1 1,000,000 defaulted, c2 500,000 performing.
    loans.c1 = await loan(bankC, { principal: '1000000.00', defaulted: true });
    loans.c2 = await loan(bankC, { principal: '500000.00' });
    for (const [key, id] of Object.entries(loans)) {
      const bank = key.startsWith('a') ? bankA : bankC;
      ok(await bank.agent.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId: id, date: '2024-03-01' }), 201);
    }
    // Covered: A 1,000,000 + 1,000,000 + 4,000,000 + 2,000,000 + 100,000 = 8,100,000; C 1,500,000; 9,600,000 in all.
  });

  it('a claim before the overdue threshold is refused with the reason: 89 days from the first overdue event', async () => {
    // 2025-01-01 → 2025-03-31: 31 + 28 + 30 = 89 days < 90.
    const early = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/claims`).send({ loanId: loans.a1, date: '2025-03-31' }), 422);
    expect(early.body.code).toBe('claim_not_allowed');
    expect(early.body.reasons).toEqual([
      { code: 'overdue_too_short', message: 'the loan has been overdue 89 days (since 2025-01-01); a claim needs 90' },
    ]);
    const performing = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/claims`).send({ loanId: loans.a3, date: '2025-04-01' }), 422);
    expect(performing.body.reasons.map((r: { code: string }) => r.code)).toEqual(['not_in_default', 'not_overdue']);
  });

  it('a claim is capped per loan: 800,000 × 0.5 = 400,000 → 300,000, with the trace of every factor', async () => {
    const response = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/claims`).send({ loanId: loans.a1, date: '2025-04-01' }), 201);
    claims.a1 = response.body.id;
    expect(response.body).toMatchObject({ status: 'submitted', amount: '300000.00', loanId: loans.a1, date: '2025-04-01' });
    expect(response.body.trace).toMatchObject({
      fund: { version: 1, reference: FUND_BASE.reference },
      // The clauses of this fund's own reference, and no other region's documents.
      clauses: ['袁府办字〔2023〕25号 三(一)2', 'fund agreement art. 5 (test)'],
      overdue: { firstOverdueDate: '2025-01-01', firstDefaultDate: '2025-02-01', daysOverdue: 90, claimAfterDaysOverdue: 90 },
      unrecoveredPrincipalFen: '80000000',
      ipShare: { collateral: 'ip_only', value: '1.0000000000' },
      coveredLoss: { roundedFen: '80000000' },
      fundShare: { rule: 'flat', share: '0.5', roundedFen: '40000000' },
      caps: [
        { step: 'cap_per_loan', limitFen: '30000000', beforeFen: '40000000', afterFen: '30000000', cutFen: '10000000' },
        { step: 'cap_per_bank_per_year', limitFen: '50000000', beforeFen: '30000000', afterFen: '30000000', cutFen: '0' },
      ],
      // Bank A on 2025-04-01: a1, a2 and a5 in default: 2,100,000 of 8,100,000 covered = 0.2592592593.
      nonPerforming: { coveredFen: '810000000', nonPerformingCoveredFen: '210000000', ratio: '0.2592592593', suspended: false },
      amount: '300000.00',
    });
  });

  it('a claim is capped per loan and then per bank per year: 333,333.34 → 300,000 → 200,000', async () => {
    // Covered loss 2,000,000 × 1,000,000 ÷ 3,000,000 = 666,666.666… → 666,666.67; × 0.5 = 333,333.335 → 333,333.34;
    // per loan ≤ 300,000 (cut 33,333.34); the bank has claimed 300,000 of its 500,000 for 2025: ≤ 200,000 (cut 100,000).
    const response = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/claims`).send({ loanId: loans.a2, date: '2025-04-01' }), 201);
    claims.a2 = response.body.id;
    expect(response.body.amount).toBe('200000.00');
    expect(response.body.trace.coveredLoss).toMatchObject({ roundedFen: '66666667' });
    expect(response.body.trace.ipShare).toMatchObject({ collateral: 'combination', fraction: '100000000/300000000', value: '0.3333333333' });
    expect(response.body.trace.caps).toEqual([
      expect.objectContaining({ step: 'cap_per_loan', beforeFen: '33333334', afterFen: '30000000', cutFen: '3333334' }),
      expect.objectContaining({ step: 'cap_per_bank_per_year', beforeFen: '30000000', afterFen: '20000000', cutFen: '10000000' }),
    ]);
    // The yearly cap is used up: a5's claim in 2025 has nothing left.
    const none = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/claims`).send({ loanId: loans.a5, date: '2025-04-01' }), 422);
    expect(none.body.reasons.map((r: { code: string }) => r.code)).toEqual(['nothing_left_to_claim']);
  });

  it('a bank above the suspension threshold is refused: 1,000,000 of 1,500,000 non-performing = 0.6667 > 0.6', async () => {
    const response = ok(await bankC.agent.post(`/api/v1/funds/${fundId}/claims`).send({ loanId: loans.c1, date: '2025-04-01' }), 422);
    expect(response.body.reasons.map((r: { code: string }) => r.code)).toEqual(['bank_suspended']);
    expect(response.body.trace.nonPerforming).toMatchObject({ ratio: '0.6666666667', suspensionRatio: '0.6', suspended: true });
  });

  it('another bank can neither see nor claim on bank A’s loans and claims (404)', async () => {
    expect(ok(await bankB.agent.post(`/api/v1/funds/${fundId}/claims`).send({ loanId: loans.a1, date: '2025-04-01' }), 404).body.code).toBe('loan_not_found');
    expect(ok(await bankB.agent.get(`/api/v1/funds/${fundId}/claims/${claims.a1}`), 404).body.code).toBe('claim_not_found');
    expect(ok(await bankB.agent.get(`/api/v1/funds/${fundId}/claims`), 200).body.items).toEqual([]);
    expect(ok(await bankB.agent.get(`/api/v1/funds/${fundId}/enrolments`), 200).body.items).toEqual([]);
    expect(ok(await bankB.agent.post(`/api/v1/funds/${fundId}/recoveries`).send({ loanId: loans.a1, date: '2025-06-01', proceeds: '1.00' }), 404).body.code).toBe('loan_not_found');
    // Bank A sees its own two claims; a bank cannot review claims.
    expect(ok(await bankA.agent.get(`/api/v1/funds/${fundId}/claims`), 200).body.items.map((c: { id: string }) => c.id).sort()).toEqual([claims.a1, claims.a2].sort());
    expect(ok(await bankA.agent.post(`/api/v1/funds/${fundId}/claims/${claims.a1}/transitions`).send({ to: 'approved', date: '2025-04-02' }), 403).body.code).toBe('forbidden');
  });

  it('two concurrent approvals that together exceed the cash: exactly one succeeds, the other is 409, the cash never goes negative', async () => {
    // Cash 450,000; 300,000 + 200,000 = 500,000 > 450,000: approving one commits cash the other would need.
    const [first, second] = await Promise.all(
      [claims.a1, claims.a2].map((id) => staff.post(`/api/v1/funds/${fundId}/claims/${id}/transitions`).send({ to: 'approved', date: '2025-04-02' })),
    );
    expect([first!.status, second!.status].sort()).toEqual([200, 409]);
    const refused = first!.status === 409 ? first! : second!;
    const winner = first!.status === 200 ? first! : second!;
    expect(refused.body.code).toBe('fund_cash_insufficient');
    const loser = [claims.a1, claims.a2].find((id) => id !== winner.body.id)!;
    expect(ok(await staff.get(`/api/v1/funds/${fundId}/claims/${loser}`), 200).body.status).toBe('submitted');
    const approvals = await service.db.pool.query(`select count(*)::int as n from ledger_entry where idempotency_key like 'fund-claim:%:approval'`);
    expect(approvals.rows[0].n).toBe(1);
    // Uncommitted cash: 450,000 − 300,000 = 150,000 or 450,000 − 200,000 = 250,000; the cash itself is untouched.
    const uncommitted = winner.body.amount === '300000.00' ? '150000.00' : '250000.00';
    expect(ok(await staff.get('/api/v1/ledger/accounts/fund:CLM:uncommitted/balance'), 200).body.balance).toBe(uncommitted);
    expect(ok(await staff.get('/api/v1/ledger/accounts/fund:CLM:cash/balance'), 200).body.balance).toBe('450000.00');
    ok(await staff.post(`/api/v1/funds/${fundId}/claims/${winner.body.id}/transitions`).send({ to: 'paid', date: '2025-04-02' }), 200);
    expect(ok(await staff.get('/api/v1/ledger/accounts/fund:CLM:cash/balance'), 200).body.balance).toBe(uncommitted);
    // 100,000 more from the district on 2025-04-03 covers the other claim: cash 450,000 + 100,000 − 500,000 = 50,000.
    ok(await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'district', amount: '100000.00', date: '2025-04-03' }), 201);
    ok(await staff.post(`/api/v1/funds/${fundId}/claims/${loser}/transitions`).send({ to: 'approved', date: '2025-04-03' }), 200);
    ok(await staff.post(`/api/v1/funds/${fundId}/claims/${loser}/transitions`).send({ to: 'paid', date: '2025-04-03' }), 200);
    expect(ok(await staff.get('/api/v1/ledger/accounts/fund:CLM:cash/balance'), 200).body.balance).toBe('50000.00');
    expect(ok(await staff.get('/api/v1/ledger/accounts/fund:CLM:uncommitted/balance'), 200).body.balance).toBe('50000.00');
    // A paid claim moves no further.
    expect(ok(await staff.post(`/api/v1/funds/${fundId}/claims/${claims.a1}/transitions`).send({ to: 'rejected', reason: 'x', date: '2025-04-03' }), 409).body.code).toBe('state_transition_refused');
  });

  it('a claim rejected after approval keeps its reason, and its approval entry is reversed', async () => {
    // A 2026 claim on a5: 100,000 × 0.5 = 50,000; the bank's 2026 headroom is a fresh 500,000.
    const claim = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/claims`).send({ loanId: loans.a5, date: '2026-01-05' }), 201);
    claims.a5 = claim.body.id;
    expect(claim.body.amount).toBe('50000.00');
    ok(await staff.post(`/api/v1/funds/${fundId}/claims/${claims.a5}/transitions`).send({ to: 'approved', date: '2026-01-06' }), 200);
    const early = ok(await staff.post(`/api/v1/funds/${fundId}/claims/${claims.a5}/transitions`).send({ to: 'paid', date: '2026-01-05' }), 422);
    expect(early.body.errors[0].path).toBe('date');
    // Rejected after approval, with its reason: the approval's entry is reversed.
    const rejected = ok(
      await staff.post(`/api/v1/funds/${fundId}/claims/${claims.a5}/transitions`).send({ to: 'rejected', date: '2026-01-07', reason: '质物处置未穷尽' }),
      200,
    );
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: '质物处置未穷尽', rejectedOn: '2026-01-07' });
    const expense = ok(await staff.get('/api/v1/ledger/accounts/fund:CLM:compensation-expense/balance'), 200).body.balance;
    expect(expense).toBe('500000.00'); // 300,000 + 200,000; the 50,000 approval was reversed
  });

  it('a recovery returns the fund’s share of the proceeds, up to what it paid on the loan; the rest is written off', async () => {
    // a1: proceeds 200,000 × (400,000 ÷ 800,000) = 100,000 ≤ 300,000 paid.
    const first = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/recoveries`).send({ loanId: loans.a1, date: '2025-06-01', proceeds: '200000.00' }), 201);
    expect(first.body).toMatchObject({ fundShare: '100000.00', proceeds: '200000.00', claimId: claims.a1 });
    // a1 again: 500,000 × 0.5 = 250,000, but only 300,000 − 100,000 = 200,000 is still recoverable.
    const second = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/recoveries`).send({ loanId: loans.a1, date: '2025-07-01', proceeds: '500000.00' }), 201);
    expect(second.body.fundShare).toBe('200000.00');
    expect(second.body.trace).toMatchObject({ unroundedFen: '25000000', recoverableBeforeFen: '20000000', cutFen: '5000000' });
    // a2 cannot be recovered: staff write off the 200,000 the fund paid on it.
    const writeOff = ok(await staff.post(`/api/v1/funds/${fundId}/write-offs`).send({ loanId: loans.a2, date: '2025-08-01', reason: '专利已失效，无处置价值' }), 201);
    expect(writeOff.body.amount).toBe('200000.00');
    expect(ok(await staff.post(`/api/v1/funds/${fundId}/write-offs`).send({ loanId: loans.a1, date: '2025-08-01', reason: 'x' }), 422).body.code).toBe('recovery_not_allowed');
    // Nothing paid on a3: no recovery.
    expect(ok(await bankA.agent.post(`/api/v1/funds/${fundId}/recoveries`).send({ loanId: loans.a3, date: '2025-06-01', proceeds: '1.00' }), 422).body.code).toBe('recovery_not_allowed');
  });

  it('the statement’s closing balance equals the ledger balance and opening + movements', async () => {
    // 2025: opening 450,000; payouts −300,000 and −200,000; contribution +100,000; recoveries +100,000 and +200,000:
    // closing 450,000 − 500,000 + 100,000 + 300,000 = 350,000.
    const s = ok(await staff.get(`/api/v1/funds/${fundId}/statement?from=2025-01-01&to=2025-12-31`), 200).body;
    expect(s.opening).toBe('450000.00');
    expect(s.closing).toBe('350000.00');
    expect(s.movements.map((m: { kind: string }) => m.kind).sort()).toEqual(['contribution', 'payout', 'payout', 'recovery', 'recovery']);
    const sumFen = s.movements.reduce((sum: bigint, m: { amount: string }) => sum + BigInt(m.amount.replace('.', '')), 0n);
    expect(BigInt(s.opening.replace('.', '')) + sumFen).toBe(BigInt(s.closing.replace('.', '')));
    const ledger = ok(await staff.get('/api/v1/ledger/accounts/fund:CLM:cash/balance?asOf=2025-12-31'), 200).body.balance;
    expect(s.closing).toBe(ledger);
    // The account is named in Chinese for the page; its code stays for programs.
    expect([s.account, s.accountNameZh]).toEqual(['fund:CLM:cash', '风险补偿资金池 CLM：资金专户']);
    for (const m of s.movements) expect(m.source).toEqual({ kind: expect.stringMatching(/^fund_/), id: expect.any(String), entryId: expect.any(String) });
    // January 2024: opening at the start of 2024-01-15 is the city's 250,000; the district's 200,000 on the 20th.
    const jan = ok(await staff.get(`/api/v1/funds/${fundId}/statement?from=2024-01-15&to=2024-01-31`), 200).body;
    expect([jan.opening, jan.movements.map((m: { date: string; amount: string }) => [m.date, m.amount]), jan.closing]).toEqual([
      '250000.00', [['2024-01-20', '200000.00']], '450000.00',
    ]);
    expect(ok(await bankA.agent.get(`/api/v1/funds/${fundId}/statement?from=2025-01-01&to=2025-12-31`), 403).status).toBe(403);
  });

  it('the KPIs: capital, covered principal, leverage used, claims paid, recovery rate, non-performing ratio per bank', async () => {
    const k = ok(await staff.get(`/api/v1/funds/${fundId}/kpis?asOf=2025-12-31`), 200).body;
    expect(k).toMatchObject({
      capital: '550000.00', // 250,000 + 200,000 + 100,000
      cash: '350000.00',
      coveredPrincipal: '9600000.00',
      leverageLimit: '13750000.00', // 550,000 × 25
      leverageUsed: '17.4545454545', // 9,600,000 ÷ 550,000
      claimsPaid: '500000.00',
      recovered: '300000.00',
      writtenOff: '200000.00',
      recoveryRate: '0.6000000000', // 300,000 ÷ 500,000
    });
    expect(k.nonPerformingByBank).toEqual(
      [
        { bankId: bankA.bankId, coveredPrincipal: '8100000.00', nonPerformingCoveredPrincipal: '2100000.00', ratio: '0.2592592593', suspended: false },
        { bankId: bankC.bankId, coveredPrincipal: '1500000.00', nonPerformingCoveredPrincipal: '1000000.00', ratio: '0.6666666667', suspended: true },
      ].sort((a, b) => a.bankId.localeCompare(b.bankId)),
    );
  });

  it('the database itself refuses to edit a claim’s amount, skip a step, or change a version (raw SQL)', async () => {
    const raw = await service.db.rawClient();
    await expect(raw.query(`update fund_claim set amount_fen = amount_fen + 1 where id = $1`, [claims.a1])).rejects.toMatchObject({ code: 'LG002' });
    await expect(raw.query(`update fund_claim set status = 'submitted', approved_on = null, approval_entry_id = null,
                              paid_on = null, payment_entry_id = null where id = $1`, [claims.a1])).rejects.toMatchObject({ code: 'FD001' });
    await expect(raw.query(`update fund_version set parameters = '{}' where fund_id = $1`, [fundId])).rejects.toMatchObject({ code: 'LG002' });
    await expect(raw.query(`delete from fund_recovery where fund_id = $1`, [fundId])).rejects.toMatchObject({ code: 'LG002' });
  });

  it('every fund action is in the audit log, refusals included', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100)); // refusals are recorded just after the answer
    const actions = await service.db.pool.query<{ action: string; n: number }>(
      `select action, count(*)::int as n from audit_log where action like 'fund.%' group by action order by action`,
    );
    const byAction = Object.fromEntries(actions.rows.map((row) => [row.action, row.n]));
    expect(Object.keys(byAction)).toEqual(
      expect.arrayContaining([
        'fund.created', 'fund.version_added', 'fund.contribution', 'fund.enrolment', 'fund.claim_submitted',
        'fund.claim_approved', 'fund.claim_paid', 'fund.claim_rejected', 'fund.recovery', 'fund.write_off',
      ]),
    );
    expect(byAction['fund.claim_paid']).toBe(2);
    const refusals = await service.db.pool.query<{ status: number }>(
      `select status from audit_log where method = 'POST' and path = $1 and status = 422`,
      [`/api/v1/funds/${fundId}/claims`],
    );
    expect(refusals.rows.length).toBeGreaterThanOrEqual(4);
  });
});

describe('the statement as a document', () => {
  it('names the account and every movement in Chinese (XLSX)', async () => {
    const fund = await createFund({ code: 'DOC', name: '文档测试资金', leverage: '10' });
    ok(await staff.post(`/api/v1/funds/${fund}/contributions`).send({ body: 'city', amount: '100000.00', date: '2024-01-10' }), 201);
    const response = await staff
      .get(`/api/v1/funds/${fund}/statement/export?from=2024-01-01&to=2024-12-31&format=xlsx`)
      .buffer(true)
      .parse(binary);
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as ArrayBuffer);
    const cells = workbook.worksheets[0]!.getSheetValues().flatMap((row) => (Array.isArray(row) ? row : [])).filter((cell) => typeof cell === 'string');
    expect(cells).toContain('账户 风险补偿资金池 DOC：资金专户（fund:DOC:cash）');
    expect(cells).toContain('风险补偿资金池 DOC：市财政局出资');
    expect(cells.some((cell) => /contribution by/.test(cell as string))).toBe(false);
  });
});
