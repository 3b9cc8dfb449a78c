/**
 * A whole year of Yuanzhou interest subsidies through the API: the bank posts loans and events,
 * staff record a fee, compute the 2024 run, review, publicise, handle an objection and approve it; the city and the
 * district pay their shares; the split reconciliation and the ledger agree to the fen; an approved run cannot be
 * edited, through the API or raw SQL; a correction is an adjustment run that posts the difference.
 *
 * Yuanzhou (袁府办字〔2023〕25号 四(三)2), version 2: 15 % of the 1-year LPR in force on the loan start, first 12 months, days
 * counted 30E/360 (f(d) = 360·year + 30·(month − 1) + min(day, 30)), accrual (the 2024 run pays the part of the window
 * in 2024), city 50 % / district 50 %, the odd fen of a split to the city (listed first); fees 50 %, paid by the
 * district.
 * LPR1Y in force on 2024-03-15 and on 2024-07-01: 0.0345 (fixed 2023-08-21; the next fixing is 2024-07-22).
 */
import { startTestService, type AuthorisedAgent, type TestService } from './support/app';
import { todayInChina } from '../src/dates';
import { postLoan, uscc } from './support/subsidy';
import { getLines, getRun } from '../src/subsidy/runs/workflow';

/** Payments are dated on or after the approval, which is today. */
const today = todayInChina();

let service: TestService;
let staff: AuthorisedAgent;
let cityFinance: AuthorisedAgent;
let districtFinance: AuthorisedAgent;
const enterpriseA = uscc('360902', 1); // Yuanzhou district
const enterpriseB = uscc('360902', 2); // Yuanzhou district
const enterpriseOutside = uscc('360981', 3); // Fengcheng: outside the jurisdiction
const loans: Record<string, string> = {};
let runId = '';

const count = async (table: string) => Number((await service.db.pool.query(`select count(*) from ${table}`)).rows[0].count);
const shares = (line: { shares: Array<{ body: string; amount: string }> }) => Object.fromEntries(line.shares.map((share) => [share.body, share.amount]));
async function ledgerBalance(code: string): Promise<string> {
  const response = await staff.get(`/api/v1/ledger/accounts/${encodeURIComponent(code)}/balance`);
  expect(response.status).toBe(200);
  return response.body.balance;
}

beforeAll(async () => {
  service = await startTestService();
  staff = service.as(service.staffToken);
  cityFinance = service.as((await service.principal('finance', { body: 'city' })).token);
  districtFinance = service.as((await service.principal('finance', { body: 'district' })).token);
  const bank = service.as((await service.bank()).token);
  for (const [code, name] of [
    [enterpriseA, '宜春袁州甲科技有限公司'],
    [enterpriseB, '宜春袁州乙材料有限公司'],
    [enterpriseOutside, '丰城丙机械有限公司'],
  ] as const) {
    const created = await staff.post('/api/v1/enterprises').send({ uscc: code, name });
    expect(created.status).toBe(201);
  }
  // A: 1,000,000.00 patent loan from 2024-03-15, disbursed in full that day.
  loans.a = await postLoan(bank, {
    contractNo: 'YZ-2024-A',
    enterpriseUscc: enterpriseA,
    principal: '1000000.00',
    startDate: '2024-03-15',
    maturityDate: '2026-03-15',
    assetSerial: 1,
    events: [{ type: 'disbursement', date: '2024-03-15', amount: '1000000.00' }],
  });
  // B: 600,000.00 patent loan from 2024-07-01 to 2025-06-30, 200,000.00 repaid on 2024-10-01.
  loans.b = await postLoan(bank, {
    contractNo: 'YZ-2024-B',
    enterpriseUscc: enterpriseB,
    principal: '600000.00',
    startDate: '2024-07-01',
    maturityDate: '2025-06-30',
    assetSerial: 2,
    events: [
      { type: 'disbursement', date: '2024-07-01', amount: '600000.00' },
      { type: 'principal_repayment', date: '2024-10-01', amount: '200000.00' },
    ],
  });
  // C: a trademark loan of A — a line of the run, ineligible (Yuanzhou supports patents only).
  loans.c = await postLoan(bank, {
    contractNo: 'YZ-2024-C',
    enterpriseUscc: enterpriseA,
    principal: '100000.00',
    startDate: '2024-05-01',
    maturityDate: '2025-05-01',
    rightType: 'trademark',
    assetSerial: 3,
    events: [{ type: 'disbursement', date: '2024-05-01', amount: '100000.00' }],
  });
  // D: outside the jurisdiction — not a line at all.
  loans.d = await postLoan(bank, {
    contractNo: 'FC-2024-D',
    enterpriseUscc: enterpriseOutside,
    principal: '500000.00',
    startDate: '2024-03-15',
    maturityDate: '2025-03-15',
    assetSerial: 4,
    events: [{ type: 'disbursement', date: '2024-03-15', amount: '500000.00' }],
  });
});
afterAll(() => service.close());

describe('the 2024 Yuanzhou run, computed as a draft', () => {
  it('has one line per loan of the jurisdiction, with hand-worked amounts and the policy version used', async () => {
    const response = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(response.status).toBe(201);
    const run = response.body;
    runId = run.id;
    expect(run).toMatchObject({ status: 'draft', kind: 'regular', year: 2024, policy: { id: 'yuanzhou-2023', version: 2 } });
    expect(run.lines.map((line: { loanId: string }) => line.loanId).sort()).toEqual([loans.a, loans.b, loans.c].sort());

    // A: per day 1,000,000 × 0.0345 × 0.15 / 360 = 14.375 CNY; 2024 part of the window [2024-03-15, 2025-03-15):
    // f(2025-01-01) − f(2024-03-15) = 729,001 − (728,640 + 60 + 15) = 286 days → 14.375 × 286 = 4,111.25;
    // 50/50 = 2,055.625 → city 2,055.63 (the odd fen to the body listed first), district 2,055.62.
    const a = run.lines.find((line: { loanId: string }) => line.loanId === loans.a);
    expect(a).toMatchObject({ enterpriseUscc: enterpriseA, amount: '4111.25', eligible: true, reasons: [] });
    expect(shares(a)).toEqual({ city: '2055.63', district: '2055.62' });
    expect(a.trace.policy).toMatchObject({ id: 'yuanzhou-2023', version: 2 });
    expect(a.trace.rate).toMatchObject({ index: 'LPR1Y', fixingEffectiveDate: '2023-08-21', rate: '0.0345' });
    expect(a.trace.window).toMatchObject({ from: '2024-03-15', toExclusive: '2025-03-15', daysCounted: 286 });
    expect(a.trace.dayCount).toMatchObject({ convention: '30E/360', divisor: 360 });

    // B: window [2024-07-01, 2025-06-30) (maturity first); 2024: [07-01, 10-01) = 90 days × 600,000 and
    // [10-01, 2025-01-01) = 90 days × 400,000 → 54,000,000 + 36,000,000 = 90,000,000 CNY-days × 0.0345 × 0.15 / 360
    // = 1,293.75; 646.875 each → city 646.88, district 646.87.
    const b = run.lines.find((line: { loanId: string }) => line.loanId === loans.b);
    expect(b).toMatchObject({ amount: '1293.75', eligible: true });
    expect(shares(b)).toEqual({ city: '646.88', district: '646.87' });
    expect(b.trace.segments.map((segment: { days: number }) => segment.days)).toEqual([90, 90]);

    const c = run.lines.find((line: { loanId: string }) => line.loanId === loans.c);
    expect(c).toMatchObject({ amount: '0.00', eligible: false });
    expect(c.reasons.map((reason: { code: string }) => reason.code)).toContain('right_type_not_eligible');
    expect(c.reasons[0].params).toEqual({ pledged: 'trademark', eligible: 'patent' });

    // 4,111.25 + 1,293.75 = 5,405.00; city 2,055.63 + 646.88 = 2,702.51, district 2,055.62 + 646.87 = 2,702.49.
    expect(run.total).toBe('5405.00');
    expect(run.totals).toEqual([
      { body: 'city', amount: '2702.51' },
      { body: 'district', amount: '2702.49' },
    ]);
  });

  it('is recomputed with inputs staff add later: an evaluation fee supported at 50 %, paid by the district', async () => {
    const fee = await staff.post(`/api/v1/loans/${loans.a}/fees`).send({ kind: 'evaluation', amount: '3000.00', paidOn: '2024-04-01' });
    expect(fee.status).toBe(201);
    expect((await staff.get(`/api/v1/loans/${loans.a}/fees`)).body.items).toHaveLength(1);
    const response = await staff.post(`/api/v1/subsidy-runs/${runId}/recompute`).send({});
    expect(response.status).toBe(200);
    // 3,000.00 × 50 % = 1,500.00 for the district: city 2,702.51, district 2,702.49 + 1,500.00 = 4,202.49, total 6,905.00.
    expect(response.body.supportLines).toEqual([
      expect.objectContaining({ kind: 'fee_evaluation', enterpriseUscc: enterpriseA, amount: '1500.00', shares: [{ body: 'district', amount: '1500.00' }] }),
    ]);
    expect(response.body.total).toBe('6905.00');
    expect(response.body.totals).toEqual([
      { body: 'city', amount: '2702.51' },
      { body: 'district', amount: '4202.49' },
    ]);
  });

  it('is read a page at a time in line order (lines 1 to 4: A, B, C, the fee), a gap in its line numbers hiding no line', async () => {
    const whole = await getRun(service.db.pool, runId);
    expect(whole.lines.map((line) => line.lineNo)).toEqual([1, 2, 3, 4]);
    expect(whole.linesNextCursor).toBeNull();
    // Two lines inline: lines 1 and 2, the rest from line 2 on.
    const inline = await getRun(service.db.pool, runId, 2);
    expect(inline.lines).toEqual(whole.lines.slice(0, 2));
    expect(inline.linesNextCursor).toBe(2);
    expect((await getLines(service.db.pool, runId, 2, 2)).lines).toEqual(whole.lines.slice(2));
    // Line 2 gone (in a transaction rolled back): the first two lines are 1 and 3, and after line 1 come 3 and 4.
    const client = await service.db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`delete from subsidy_run_line where run_id = $1 and line_no = 2`, [runId]);
      expect((await getRun(client, runId, 2)).lines.map((line) => line.lineNo)).toEqual([1, 3]);
      expect((await getLines(client, runId, 1, 2)).lines.map((line) => line.lineNo)).toEqual([3, 4]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('with a budget of 1,000.00 for the city, scales every city share pro rata and shows the factor', async () => {
    const response = await staff
      .post('/api/v1/subsidy-runs')
      .send({ policyId: 'yuanzhou-2023', year: 2024, budget: [{ body: 'city', amount: '1000.00' }] });
    expect(response.status).toBe(201);
    // factor 1,000.00 / 2,702.51 = 100,000 / 270,251 = 0.37002638…;
    // A: 205,563 × 100,000 / 270,251 = 76,063.73…, B: 64,688 × 100,000 / 270,251 = 23,936.27…; floors 76,063 + 23,936
    // = 99,999: the last fen to the larger remainder (A's .73) → A 760.64, B 239.36.
    expect(response.body.totals).toEqual([
      { body: 'city', amount: '1000.00' },
      { body: 'district', amount: '4202.49' },
    ]);
    const a = response.body.lines.find((line: { loanId: string }) => line.loanId === loans.a);
    expect(shares(a)).toEqual({ city: '760.64', district: '2055.62' });
    expect(a.trace.budget[0]).toMatchObject({ body: 'city', factorFraction: '100000/270251' });
    expect(response.body.budgetScaling).toEqual([{ body: 'city', budget: '1000.00', approved: '2702.51', paid: '1000.00', factor: expect.stringMatching(/^0\.3700263828/) }]);
  });
});

describe('review, publicity, objections, approval', () => {
  it('freezes the amounts once reviewed: no recompute, and PostgreSQL refuses a raw edit', async () => {
    const reviewed = await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'reviewed' });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.status).toBe('reviewed');
    const recompute = await staff.post(`/api/v1/subsidy-runs/${runId}/recompute`).send({});
    expect(recompute.status).toBe(409);
    await expect(service.db.pool.query(`update subsidy_run_line set amount_fen = amount_fen + 1 where run_id = $1`, [runId])).rejects.toThrow(/frozen/);
  });

  it('refuses approval while publicised until the period has passed, and while an objection is open', async () => {
    const early = await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'approved' });
    expect(early.status).toBe(409);
    // The list was publicised on the district's notice board from 2025-01-02 to 2025-01-09 (past dates).
    const publicised = await staff
      .post(`/api/v1/subsidy-runs/${runId}/transitions`)
      .send({ to: 'publicised', publicityFrom: '2025-01-02', publicityTo: '2025-01-09' });
    expect(publicised.status).toBe(200);
    expect(publicised.body).toMatchObject({ status: 'publicised', publicityFrom: '2025-01-02', publicityTo: '2025-01-09' });

    const objection = await staff
      .post(`/api/v1/subsidy-runs/${runId}/objections`)
      .send({ enterpriseUscc: enterpriseB, loanId: loans.b, text: 'The repayment of 2024-10-01 was 150,000.00, not 200,000.00.' });
    expect(objection.status).toBe(201);
    const blocked = await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'approved' });
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toMatch(/open objection/);
    expect(blocked.body.detailZh).toBe('还有 1 条异议未处理，处理后方可批准');

    const resolved = await staff
      .post(`/api/v1/subsidy-runs/${runId}/objections/${objection.body.id}/resolution`)
      .send({ resolution: 'dismissed', text: 'The bank statement shows 200,000.00 repaid on 2024-10-01.' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.resolution).toBe('dismissed');
    const again = await staff
      .post(`/api/v1/subsidy-runs/${runId}/objections/${objection.body.id}/resolution`)
      .send({ resolution: 'upheld', text: 'changed my mind' });
    expect(again.status).toBe(409);
  });

  it('approves: the ledger holds expense by body against a payable per enterprise and body', async () => {
    const approved = await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'approved' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(await ledgerBalance('subsidy:city:expense')).toBe('2702.51');
    expect(await ledgerBalance('subsidy:district:expense')).toBe('4202.49');
    expect(await ledgerBalance(`subsidy:city:payable:${runId}:${enterpriseA}`)).toBe('2055.63');
    expect(await ledgerBalance(`subsidy:district:payable:${runId}:${enterpriseA}`)).toBe('3555.62'); // 2,055.62 + 1,500.00
    expect(await ledgerBalance(`subsidy:city:payable:${runId}:${enterpriseB}`)).toBe('646.88');
    const audit = await service.db.pool.query(`select action from audit_log where detail ->> 'runId' = $1 order by id`, [runId]);
    expect(audit.rows.map((row) => row.action)).toEqual([
      'subsidy_run.created',
      'subsidy_run.recomputed',
      'subsidy_run.reviewed',
      'subsidy_run.publicised',
      'subsidy_run.objection_raised',
      'subsidy_run.objection_resolved',
      'subsidy_run.approved',
    ]);
  });

  it('cannot be edited once approved: not through the API, not through raw SQL', async () => {
    expect((await staff.post(`/api/v1/subsidy-runs/${runId}/recompute`).send({})).status).toBe(409);
    expect((await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'reviewed' })).status).toBe(409);
    const raw = await service.db.rawClient();
    await expect(raw.query(`update subsidy_run set total_fen = 1 where id = $1`, [runId])).rejects.toThrow(/frozen/);
    await expect(raw.query(`update subsidy_run set status = 'draft' where id = $1`, [runId])).rejects.toThrow(/not a step of the workflow/);
    await expect(raw.query(`delete from subsidy_run_line where run_id = $1`, [runId])).rejects.toThrow(/frozen/);
    await expect(raw.query(`insert into subsidy_run_line select run_id, 999, 'x', kind, loan_id, enterprise_uscc, right_type, origin_year, amount_fen, shares, eligible, reasons, trace from subsidy_run_line where run_id = $1 and line_no = 1`, [runId])).rejects.toThrow(/frozen/);
    await expect(raw.query(`delete from subsidy_run where id = $1`, [runId])).rejects.toThrow(/cannot be deleted/);
    const second = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(second.status).toBe(409);
    expect(second.body.detail).toMatch(/adjustment/);
  });
});

describe('payments by the funding bodies, and the split reconciliation', () => {
  it('refuses a finance principal paying for another body (403), and overpaying a share (409), writing nothing', async () => {
    const before = await count('subsidy_payment');
    const other = await cityFinance.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'district', amount: '10.00', date: today, reference: 'X' });
    expect(other.status).toBe(403);
    const staffPays = await staff.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'city', amount: '10.00', date: today, reference: 'X' });
    expect(staffPays.status).toBe(403);
    const over = await districtFinance
      .post(`/api/v1/subsidy-runs/${runId}/payments`)
      .send({ body: 'district', amount: '4202.50', date: today, reference: 'DIST-2025-001' });
    expect(over.status).toBe(409);
    const bad = await cityFinance.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'city', amount: '-1', date: '2025-13-01' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['amount', 'date', 'reference']);
    expect(await count('subsidy_payment')).toBe(before);
  });

  it('the city pays 1,000.00: spread pro rata to what each enterprise is owed, and the report ties to the ledger', async () => {
    const paid = await cityFinance
      .post(`/api/v1/subsidy-runs/${runId}/payments`)
      .send({ body: 'city', amount: '1000.00', date: today, reference: 'CITY-2025-001' });
    expect(paid.status).toBe(201);
    // 1,000.00 × 2,055.63 / 2,702.51 = 760.6373… and × 646.88 / 2,702.51 = 239.3626…: floors 760.63 + 239.36 = 999.99,
    // the left-over fen to the larger remainder (A's .73 > B's .26).
    expect(paid.body).toMatchObject({
      amount: '1000.00',
      runStatus: 'partially_paid',
      parts: [
        { enterpriseUscc: enterpriseA, amount: '760.64' },
        { enterpriseUscc: enterpriseB, amount: '239.36' },
      ],
    });
    const report = await staff.get('/api/v1/reports/split-reconciliation?year=2024');
    expect(report.status).toBe(200);
    // outstanding: city 2,702.51 − 1,000.00 = 1,702.51; district 4,202.49; together 5,905.00
    expect(report.body.bodies).toEqual([
      { body: 'city', approved: '2702.51', paid: '1000.00', outstanding: '1702.51' },
      { body: 'district', approved: '4202.49', paid: '0.00', outstanding: '4202.49' },
    ]);
    expect(report.body.ledgerCheck).toMatchObject({ matches: true, payablesChecked: 4, ledgerOutstanding: '5905.00', tablesOutstanding: '5905.00', mismatches: [] });
    // The run is named as clerks name it, not by its policy's id and its own.
    expect(report.body.runs.map((run: { title: string }) => run.title)).toEqual(['袁州区专利权质押贷款贴息 2024 年度 第 2 版']);
  });

  it('both bodies pay the rest: the run is paid, and reconciliation, ledger and trial balance agree to the fen', async () => {
    const city = await cityFinance
      .post(`/api/v1/subsidy-runs/${runId}/payments`)
      .send({ body: 'city', amount: '1702.51', date: today, reference: 'CITY-2025-002' });
    expect(city.status).toBe(201);
    expect(city.body.runStatus).toBe('partially_paid');
    const district = await districtFinance
      .post(`/api/v1/subsidy-runs/${runId}/payments`)
      .send({ body: 'district', amount: '4202.49', date: today, reference: 'DIST-2025-001' });
    expect(district.status).toBe(201);
    expect(district.body.runStatus).toBe('paid');
    const more = await cityFinance.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'city', amount: '0.01', date: today, reference: 'X' });
    expect(more.status).toBe(409);

    const report = (await staff.get('/api/v1/reports/split-reconciliation?year=2024')).body;
    expect(report.bodies).toEqual([
      { body: 'city', approved: '2702.51', paid: '2702.51', outstanding: '0.00' },
      { body: 'district', approved: '4202.49', paid: '4202.49', outstanding: '0.00' },
    ]);
    expect(report.enterprises.map((item: { enterpriseUscc: string; approved: string }) => [item.enterpriseUscc, item.approved])).toEqual([
      [enterpriseA, '5611.25'], // 4,111.25 + 1,500.00
      [enterpriseB, '1293.75'],
    ]);
    expect(report.runs).toEqual([expect.objectContaining({ runId, status: 'paid', approved: '6905.00', paid: '6905.00', outstanding: '0.00' })]);
    expect(report.ledgerCheck.matches).toBe(true);

    // The ledger on its own: the trial balance of the subsidy accounts and the treasuries.
    const trial = (await staff.get('/api/v1/ledger/trial-balance')).body;
    const balanceOf = (code: string) => trial.accounts.find((account: { code: string }) => account.code === code)?.balance;
    expect(balanceOf('subsidy:city:expense')).toBe('2702.51');
    expect(balanceOf('subsidy:district:expense')).toBe('4202.49');
    expect(balanceOf('finance:city:treasury')).toBe('-2702.51');
    expect(balanceOf('finance:district:treasury')).toBe('-4202.49');
    const payables = trial.accounts.filter((account: { code: string }) => account.code.startsWith('subsidy:') && account.code.includes(':payable:'));
    expect(payables).toHaveLength(4);
    expect(payables.every((account: { balance: string }) => account.balance === '0.00')).toBe(true);
  });

  it("a finance bureau sees every body's figures (a split is reconciled from both halves); the same report downloads as CSV", async () => {
    const city = (await cityFinance.get('/api/v1/reports/split-reconciliation?year=2024')).body;
    expect(city.body).toBeNull();
    expect(city.bodies).toEqual([
      { body: 'city', approved: '2702.51', paid: '2702.51', outstanding: '0.00' },
      { body: 'district', approved: '4202.49', paid: '4202.49', outstanding: '0.00' },
    ]);
    expect(city.ledgerCheck.matches).toBe(true);
    // whoever asks may narrow it to one body
    const onlyDistrict = (await cityFinance.get('/api/v1/reports/split-reconciliation?year=2024&body=district')).body;
    expect(onlyDistrict.bodies).toEqual([{ body: 'district', approved: '4202.49', paid: '4202.49', outstanding: '0.00' }]);
    const csv = await staff.get('/api/v1/reports/split-reconciliation?year=2024&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = csv.text.trim().split('\r\n');
    expect(rows[0]).toBe('section,body,enterpriseUscc,runId,approved,paid,outstanding');
    expect(rows).toContain('body,city,,,2702.51,2702.51,0.00');
    expect(rows).toContain(`enterprise,district,${enterpriseA},,3555.62,3555.62,0.00`);
    expect(rows.at(-1)).toBe('ledger_check,,,,matches,,0.00');
    const accepted = await staff.get('/api/v1/reports/split-reconciliation?year=2024').set('Accept', 'text/csv');
    expect(accepted.text).toBe(csv.text);
  });
});

describe('a correction after approval is an adjustment run', () => {
  it('posts only the difference per enterprise and body, and everything still ties', async () => {
    // A guarantee fee of B's, recorded late: 2,000.00 × 50 % = 1,000.00 more for B from the district.
    expect((await staff.post(`/api/v1/loans/${loans.b}/fees`).send({ kind: 'guarantee', amount: '2000.00', paidOn: '2024-08-01' })).status).toBe(201);
    const adjustment = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024, kind: 'adjustment' });
    expect(adjustment.status).toBe(201);
    expect(adjustment.body).toMatchObject({ kind: 'adjustment', adjustsRunId: runId, total: '7905.00' }); // 6,905.00 + 1,000.00
    const id = adjustment.body.id;
    for (const step of [{ to: 'reviewed' }, { to: 'publicised', publicityFrom: '2025-03-01', publicityTo: '2025-03-08' }, { to: 'approved' }]) {
      const moved = await staff.post(`/api/v1/subsidy-runs/${id}/transitions`).send(step);
      expect(moved.status).toBe(200);
    }
    expect(await ledgerBalance('subsidy:district:expense')).toBe('5202.49'); // 4,202.49 + 1,000.00
    expect(await ledgerBalance(`subsidy:district:payable:${id}:${enterpriseB}`)).toBe('1000.00');
    const entries = await service.db.pool.query(`select count(*)::int as n from ledger_entry where source_kind = 'subsidy_run' and source_id = $1`, [id]);
    expect(entries.rows[0].n).toBe(1); // only B's district share moved
    const paid = await districtFinance.post(`/api/v1/subsidy-runs/${id}/payments`).send({ body: 'district', amount: '1000.00', date: today, reference: 'DIST-2025-ADJ' });
    expect(paid.status).toBe(201);
    expect(paid.body.runStatus).toBe('paid');
    const report = (await staff.get('/api/v1/reports/split-reconciliation?year=2024')).body;
    expect(report.bodies).toEqual([
      { body: 'city', approved: '2702.51', paid: '2702.51', outstanding: '0.00' },
      { body: 'district', approved: '5202.49', paid: '5202.49', outstanding: '0.00' },
    ]);
    expect(report.runs).toHaveLength(2);
    expect(report.ledgerCheck.matches).toBe(true);
  });
});
