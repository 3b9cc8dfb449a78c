/**
 * GET /api/v1/todo by role and GET /api/v1/banks/{id}/figures (docs/api.md "To do and a bank's figures"), against a
 * real PostgreSQL: what waits for the service centre, a finance bureau and a bank, who did the step before and when,
 * and a bank's own figures — another bank's are 404.
 */
import { loan, ok, USCC } from './fund.support';
import { startTestService, type AuthorisedAgent, type TestService } from './support/app';
import { BOOTSTRAP_NAME } from '../src/principals';

let service: TestService;
let staff: AuthorisedAgent;
let bankA: { bankId: string; token: string; agent: AuthorisedAgent };
let bankB: { bankId: string; token: string; agent: AuthorisedAgent };
let financeCity: AuthorisedAgent;
let auditor: AuthorisedAgent;
let fundId: string;
let claimId: string;
let runId: string;
let cityShare: string;

interface Item {
  kind: string;
  runId: string | null;
  claimId: string | null;
  amount: string;
  due: string | null;
  contractNo: string | null;
  bankName: string | null;
  previous: { step: string; by: string | null; at: string | null; on: string | null };
}

const todo = async (agent: AuthorisedAgent): Promise<Item[]> => ok(await agent.get('/api/v1/todo'), 200).body.items as Item[];

/** "1234.56" → fen, and back, in bigint (no float). */
const fen = (yuan: string): bigint => BigInt(yuan.replace('.', ''));
const yuan = (value: bigint): string => `${value / 100n}.${String(value % 100n).padStart(2, '0')}`;

beforeAll(async () => {
  service = await startTestService();
  staff = service.as(service.staffToken);
  const a = await service.bank();
  const b = await service.bank();
  bankA = { ...a, agent: service.as(a.token) };
  bankB = { ...b, agent: service.as(b.token) };
  financeCity = service.as((await service.principal('finance', { body: 'city', name: '市财政局' })).token);
  auditor = service.as((await service.principal('auditor', { name: '审计局' })).token);
  ok(await staff.post('/api/v1/enterprises').send({ uscc: USCC, name: '袁州测试企业' }), 201);

  fundId = ok(
    await staff.post('/api/v1/funds').send({
      code: 'TODO',
      name: '袁州区风险补偿资金',
      shareOfLoss: '0.5',
      leverage: '10',
      claimAfterDaysOverdue: 90,
      bodies: ['city', 'district'],
      effectiveFrom: '2024-01-01',
    }),
    201,
  ).body.id as string;
  ok(await staff.post(`/api/v1/funds/${fundId}/contributions`).send({ body: 'city', amount: '1000000.00', date: '2024-01-10' }), 201);
  // Bank A: a loan of 1,000,000 repaid 200,000 and defaulted (overdue 2025-01-01), enrolled; a performing loan of 500,000.
  const defaulted = await loan(bankA, { principal: '1000000.00', repaid: '200000.00', defaulted: true });
  await loan(bankA, { principal: '500000.00' });
  ok(await bankA.agent.post(`/api/v1/funds/${fundId}/enrolments`).send({ loanId: defaulted, date: '2024-03-01' }), 201);
  // 2025-01-01 → 2025-06-01 is 151 days ≥ 90: (1,000,000 − 200,000) × 0.5 = 400,000.00.
  claimId = ok(await bankA.agent.post(`/api/v1/funds/${fundId}/claims`).send({ loanId: defaulted, date: '2025-06-01' }), 201).body.id as string;
  // Bank B: one loan of 300,000.
  await loan(bankB, { principal: '300000.00' });

  runId = ok(await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 }), 201).body.id as string;
});
afterAll(() => service.close());

describe('GET /api/v1/todo', () => {
  it('staff see the draft waiting for review and the submitted claim, each with who did the step before', async () => {
    const items = await todo(staff);
    const review = items.find((item) => item.kind === 'run_review');
    expect(review).toMatchObject({ runId, previous: { step: 'computed', by: BOOTSTRAP_NAME } });
    expect(review?.previous.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const claim = items.find((item) => item.kind === 'claim_review');
    // (1,000,000.00 − 200,000.00) × 0.5 = 400,000.00
    expect(claim).toMatchObject({ claimId, amount: '400000.00', previous: { step: 'claim_submitted', on: '2025-06-01' } });
    expect(claim?.previous.by).toMatch(/system$/);
    expect(claim?.contractNo).toMatch(/^FUND-/);
    // An auditor reads the same list; it changes nothing.
    expect((await todo(auditor)).map((item) => item.kind).sort()).toEqual(items.map((item) => item.kind).sort());
  });

  it('each step moves the item on: review → publicity → approval when the period has passed → payment for the finance bureau', async () => {
    ok(await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'reviewed', date: '2025-01-10' }), 200);
    expect((await todo(staff)).find((item) => item.runId === runId)).toMatchObject({ kind: 'run_publicity', previous: { step: 'reviewed', on: '2025-01-10' } });
    ok(
      await staff
        .post(`/api/v1/subsidy-runs/${runId}/transitions`)
        .send({ to: 'publicised', date: '2025-01-11', publicityFrom: '2025-01-11', publicityTo: '2025-01-18' }),
      200,
    );
    expect((await todo(staff)).find((item) => item.runId === runId)).toMatchObject({
      kind: 'run_approval',
      due: '2025-01-18',
      previous: { step: 'publicised', on: '2025-01-11' },
    });
    // An open objection waits for its resolution, with who raised it.
    const objection = ok(await staff.post(`/api/v1/subsidy-runs/${runId}/objections`).send({ text: '企业对金额有异议' }), 201).body as { id: string };
    expect((await todo(staff)).find((item) => item.kind === 'objection')).toMatchObject({ runId, previous: { step: 'objection_raised', by: BOOTSTRAP_NAME } });
    ok(await staff.post(`/api/v1/subsidy-runs/${runId}/objections/${objection.id}/resolution`).send({ resolution: 'dismissed', text: '经核实无误' }), 200);
    expect((await todo(staff)).find((item) => item.kind === 'objection')).toBeUndefined();

    // Nothing is owed before approval.
    expect(await todo(financeCity)).toEqual([]);
    const approved = ok(await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'approved', date: '2025-01-20' }), 200).body as {
      totals: Array<{ body: string; amount: string }>;
    };
    expect((await todo(staff)).find((item) => item.runId === runId)).toBeUndefined();
    cityShare = approved.totals.find((t) => t.body === 'city')!.amount;
    expect(fen(cityShare)).toBeGreaterThan(0n);
    const owed = await todo(financeCity);
    expect(owed).toEqual([expect.objectContaining({ kind: 'run_payment', runId, amount: cityShare, previous: expect.objectContaining({ step: 'approved', on: '2025-01-20', by: BOOTSTRAP_NAME }) })]);
    // The district's bureau sees its own half only: the run's total less the city's share.
    const districtShare = approved.totals.find((t) => t.body === 'district')!.amount;
    const financeDistrict = service.as((await service.principal('finance', { body: 'district', name: '区财政局' })).token);
    expect((await todo(financeDistrict)).map((item) => [item.kind, item.amount])).toEqual([['run_payment', districtShare]]);

    // A payment of 100.00 leaves the city's share less 100.00; paying the rest clears the item.
    ok(await financeCity.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'city', amount: '100.00', date: '2025-02-01', reference: '市财拨〔2025〕1号' }), 201);
    expect((await todo(financeCity))[0]?.amount).toBe(yuan(fen(cityShare) - 100_00n));
    ok(
      await financeCity
        .post(`/api/v1/subsidy-runs/${runId}/payments`)
        .send({ body: 'city', amount: yuan(fen(cityShare) - 100_00n), date: '2025-02-02', reference: '市财拨〔2025〕2号' }),
      201,
    );
    expect(await todo(financeCity)).toEqual([]);
  });

  it('a bank sees its own submitted claims only; staff see an approved claim waiting for payment', async () => {
    expect((await todo(bankA.agent)).map((item) => [item.kind, item.claimId])).toEqual([['claim_review', claimId]]);
    expect(await todo(bankB.agent)).toEqual([]);
    ok(await staff.post(`/api/v1/funds/${fundId}/claims/${claimId}/transitions`).send({ to: 'approved', date: '2025-06-05' }), 200);
    expect((await todo(staff)).find((item) => item.claimId === claimId)).toMatchObject({ kind: 'claim_payment', previous: { step: 'claim_approved', on: '2025-06-05' } });
    expect(await todo(bankA.agent)).toEqual([]);
  });
});

describe('GET /api/v1/banks/{id}/figures', () => {
  it('a bank reads its own loans by status, the subsidies granted on them and its claims', async () => {
    const figures = ok(await bankA.agent.get(`/api/v1/banks/${bankA.bankId}/figures`), 200).body;
    // 1,000,000 + 500,000 = 1,500,000 lent; outstanding 800,000 (defaulted) + 500,000 = 1,300,000.
    expect(figures.loans).toMatchObject({ count: 2, principal: '1500000.00', outstandingPrincipal: '1300000.00' });
    expect(figures.loans.byStatus).toEqual(
      expect.arrayContaining([
        { status: 'active', count: 1, outstandingPrincipal: '500000.00' },
        { status: 'defaulted', count: 1, outstandingPrincipal: '800000.00' },
      ]),
    );
    expect(figures.claims).toEqual([{ status: 'approved', count: 1, amount: '400000.00' }]);
    // The approved Yuanzhou 2024 run granted on bank A's performing loan (the defaulted one's too, if eligible): both
    // funding bodies paid? Only the city paid in full, so the run is partially paid and nothing counts as paid yet.
    // Yuanzhou 2024 (1-year LPR 3.45 % on 2024-02-01 × 15 %, 30E/360, window 2024-02-01 – 2024-12-31):
    //   the defaulted loan: (1,000,000 × 180 days + 800,000 × 150 days) × 0.0345 × 0.15 / 360 = 4,312.50;
    //   the performing one: 500,000 × 330 days × 0.0345 × 0.15 / 360 = 2,371.875 → 2,371.88;
    //   4,312.50 + 2,371.88 = 6,684.38 on 2 loans of 1 enterprise. Only the city has paid its share: the run is
    //   partially paid, so none of it counts as paid yet.
    const yz = figures.subsidies.find((s: { year: number }) => s.year === 2024);
    expect(yz).toMatchObject({ policyId: 'yuanzhou-2023', enterprises: 1, loans: 2, granted: '6684.38', paid: '0.00' });
  });

  it('another bank’s figures are 404 to a bank, as if the bank did not exist; staff and auditors read any bank', async () => {
    const refused = await bankB.agent.get(`/api/v1/banks/${bankA.bankId}/figures`);
    expect(refused.status).toBe(404);
    expect(JSON.stringify(refused.body)).not.toContain('1500000.00');
    const own = ok(await bankB.agent.get(`/api/v1/banks/${bankB.bankId}/figures`), 200).body;
    expect(own.loans).toMatchObject({ count: 1, principal: '300000.00' });
    expect(own.subsidies.every((s: { granted: string }) => fen(s.granted) < fen('1000000.00'))).toBe(true);
    ok(await staff.get(`/api/v1/banks/${bankA.bankId}/figures`), 200);
    ok(await auditor.get(`/api/v1/banks/${bankA.bankId}/figures`), 200);
    expect((await financeCity.get(`/api/v1/banks/${bankA.bankId}/figures`)).status).toBe(403);
    expect((await staff.get('/api/v1/banks/00000000-0000-4000-8000-000000000000/figures')).status).toBe(404);
  });
});

describe('a recovery recorded by staff', () => {
  it('staff record what a bank reported it recovered on a paid claim: the fund’s share of the proceeds', async () => {
    ok(await staff.post(`/api/v1/funds/${fundId}/claims/${claimId}/transitions`).send({ to: 'paid', date: '2025-06-10' }), 200);
    // 100,000.00 × (fund part 400,000.00 / covered loss 800,000.00) = 50,000.00
    const recovery = ok(await staff.post(`/api/v1/funds/${fundId}/recoveries`).send({ loanId: (await claimLoan()).loanId, date: '2025-07-01', proceeds: '100000.00' }), 201);
    expect(recovery.body.fundShare).toBe('50000.00');
    // A finance bureau and an auditor may not.
    expect((await financeCity.post(`/api/v1/funds/${fundId}/recoveries`).send({ loanId: (await claimLoan()).loanId, date: '2025-07-01', proceeds: '1.00' })).status).toBe(403);
    expect((await auditor.post(`/api/v1/funds/${fundId}/recoveries`).send({ loanId: (await claimLoan()).loanId, date: '2025-07-01', proceeds: '1.00' })).status).toBe(403);
  });
});

async function claimLoan(): Promise<{ loanId: string }> {
  return ok(await staff.get(`/api/v1/funds/${fundId}/claims/${claimId}`), 200).body as { loanId: string };
}
