/**
 * Reform simulation through the API (`POST /api/v1/simulations`, docs/api.md "Simulations"): the version in force
 * beside the same version with parameters changed, over the loans the bank recorded, with every figure worked by
 * hand below, and proof that nothing is written but the request's one audit row.
 *
 * The clock is fixed at 2025-06-30 12:00 China time: events are dated up to that day, and days after it are
 * projected on each loan's contract (outstanding unchanged until maturity, settled on time at maturity).
 *
 * Yuanzhou (袁府办字〔2023〕25号 四(三)2), version 2: 15 % of the 1-year LPR in force on the loan start, first 12 months,
 * days 30E/360 (f(d) = 360·year + 30·(month − 1) + min(day, 30)), accrual, 100,000 CNY per loan over its window and
 * per enterprise a year, city 50 % / district 50 % (the odd fen to the city, listed first).
 * LPR1Y: 0.0365 from 2022-08-22, 0.0345 from 2023-08-21, 0.0310 from 2024-10-21 (data/reference-rates.csv).
 * Dongyang (《关于全面加强知识产权工作的实施意见》 § 6), version 2: 50 % of the PBoC benchmark of the loan's term band (≤ 1 year:
 * 0.0435 from 2015-10-24), first 12 months, settlement attribution, repaid on time, city 100 %.
 */
import { fixClock } from '../src/dates';
import { startTestService, type AuthorisedAgent, type TestService } from './support/app';
import { postLoan, uscc } from './support/subsidy';
import { binary } from './support/binary';

let service: TestService;
let staff: AuthorisedAgent;
const enterpriseA = uscc('360902', 11);
const enterpriseB = uscc('360902', 12);
const enterpriseC = uscc('360902', 13);
const enterpriseD = uscc('360902', 14);
const enterpriseQ = uscc('330783', 15); // Dongyang
const loans: Record<string, string> = {};

type Line = { loanId: string; baseline: string; reform: string; delta: string; projected: boolean };
const lineOf = (body: { lines: Line[] }, loanId: string) => body.lines.find((line) => line.loanId === loanId);
const tableCounts = async (): Promise<Record<string, number>> => {
  const tables = await service.db.pool.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables.rows) {
    counts[table] = Number((await service.db.pool.query(`select count(*) from "${table}"`)).rows[0].count);
  }
  return counts;
};

beforeAll(async () => {
  fixClock(new Date('2025-06-30T04:00:00Z'));
  service = await startTestService();
  staff = service.as(service.staffToken);
  const bank = service.as((await service.bank()).token);
  for (const [code, name] of [
    [enterpriseA, '袁州模拟甲科技有限公司'],
    [enterpriseB, '袁州模拟乙材料有限公司'],
    [enterpriseC, '袁州模拟丙装备有限公司'],
    [enterpriseD, '袁州模拟丁生物有限公司'],
    [enterpriseQ, '东阳模拟戊纺织有限公司'],
  ] as const) {
    expect((await staff.post('/api/v1/enterprises').send({ uscc: code, name })).status).toBe(201);
  }
  // A1: 1,000,000.00 from 2024-03-15 to 2026-03-15, disbursed that day.
  loans.a1 = await postLoan(bank, {
    contractNo: 'SIM-A1', enterpriseUscc: enterpriseA, principal: '1000000.00', startDate: '2024-03-15', maturityDate: '2026-03-15', assetSerial: 101,
    events: [{ type: 'disbursement', date: '2024-03-15', amount: '1000000.00' }],
  });
  // B1: 600,000.00 from 2024-07-01 to 2025-06-30, 200,000.00 repaid on 2024-10-01.
  loans.b1 = await postLoan(bank, {
    contractNo: 'SIM-B1', enterpriseUscc: enterpriseB, principal: '600000.00', startDate: '2024-07-01', maturityDate: '2025-06-30', assetSerial: 102,
    events: [
      { type: 'disbursement', date: '2024-07-01', amount: '600000.00' },
      { type: 'principal_repayment', date: '2024-10-01', amount: '200000.00' },
    ],
  });
  // C's two loans of 2023, settled in 2024: X 16,000,000.00 and Y 8,000,000.00, both 2023-01-01 to 2024-06-30.
  for (const [key, principal, serial] of [['x', '16000000.00', 103], ['y', '8000000.00', 104]] as const) {
    loans[key] = await postLoan(bank, {
      contractNo: `SIM-C-${key.toUpperCase()}`, enterpriseUscc: enterpriseC, principal, startDate: '2023-01-01', maturityDate: '2024-06-30', assetSerial: serial,
      events: [
        { type: 'disbursement', date: '2023-01-01', amount: principal },
        { type: 'principal_repayment', date: '2024-06-30', amount: principal },
        { type: 'settlement', date: '2024-06-30' },
      ],
    });
  }
  // P: 1,200,000.00 from 2025-03-01 to 2026-02-28, disbursed that day, nothing after (today is 2025-06-30).
  loans.p = await postLoan(bank, {
    contractNo: 'SIM-D-P', enterpriseUscc: enterpriseD, principal: '1200000.00', startDate: '2025-03-01', maturityDate: '2026-02-28', assetSerial: 105,
    events: [{ type: 'disbursement', date: '2025-03-01', amount: '1200000.00' }],
  });
  // Q (Dongyang): 1,000,000.00 from 2025-01-01 to 2025-12-31, not settled yet: maturity is after today.
  loans.q = await postLoan(bank, {
    contractNo: 'SIM-Q', enterpriseUscc: enterpriseQ, principal: '1000000.00', startDate: '2025-01-01', maturityDate: '2025-12-31', assetSerial: 106,
    events: [{ type: 'disbursement', date: '2025-01-01', amount: '1000000.00' }],
  });
});
afterAll(async () => {
  fixClock(undefined);
  await service.close();
});

describe('a ratio change on a small portfolio (Yuanzhou 2024, 15 % → 20 %)', () => {
  it('recomputes each line, each enterprise and each funding body by hand', async () => {
    const response = await staff.post('/api/v1/simulations').send({ policyId: 'yuanzhou-2023', year: 2024, changes: { ratio: '0.20' } });
    expect(response.status).toBe(200);
    const answer = response.body;
    expect(answer).toMatchObject({ policyId: 'yuanzhou-2023', version: 2, year: 2024, today: '2025-06-30', changed: ['ratio'], baselineUnset: [] });

    // A1: 2024 part of the window [2024-03-15, 2025-03-15): f(2025-01-01) − f(2024-03-15) = 729,001 − 728,715 = 286 days.
    // Baseline 1,000,000 × 0.0345 × 0.15 × 286 / 360 = 5,175 × 286 / 360 = 4,111.25;
    // reform   1,000,000 × 0.0345 × 0.20 × 286 / 360 = 6,900 × 286 / 360 = 5,481.666… → 5,481.67; difference 1,370.42.
    expect(lineOf(answer, loans.a1!)).toMatchObject({ contractNo: 'SIM-A1', enterpriseName: '袁州模拟甲科技有限公司', baseline: '4111.25', reform: '5481.67', delta: '1370.42', projected: false });
    // B1: 90 days × 600,000 + 90 days × 400,000 = 90,000,000 CNY-days.
    // Baseline 90,000,000 × 0.0345 × 0.15 / 360 = 1,293.75; reform 90,000,000 × 0.0345 × 0.20 / 360 = 1,725.00; +431.25.
    expect(lineOf(answer, loans.b1!)).toMatchObject({ baseline: '1293.75', reform: '1725.00', delta: '431.25', projected: false });
    // Largest difference first.
    expect(answer.lines.map((line: Line) => line.loanId)).toEqual([loans.a1, loans.b1]);
    expect(answer.lineCount).toBe(2);
    expect(answer.projectedLines).toBe(0);

    // Splits 50/50, odd fen to the city: baseline A1 2,055.63 / 2,055.62, B1 646.88 / 646.87;
    // reform A1 548,167 fen → 2,740.84 / 2,740.83, B1 862.50 / 862.50.
    // Baseline: 5,405.00 = city 2,702.51 + district 2,702.49; reform: 7,206.67 = city 3,603.34 + district 3,603.33.
    expect(answer.baseline).toEqual({ total: '5405.00', totals: [{ body: 'city', amount: '2702.51' }, { body: 'district', amount: '2702.49' }] });
    expect(answer.reform).toEqual({ total: '7206.67', totals: [{ body: 'city', amount: '3603.34' }, { body: 'district', amount: '3603.33' }] });
    // The district's additional cost: 3,603.33 − 2,702.49 = 900.84; the city's 3,603.34 − 2,702.51 = 900.83.
    expect(answer.delta).toEqual({ total: '1801.67', totals: [{ body: 'city', amount: '900.83' }, { body: 'district', amount: '900.84' }] });

    expect(answer.enterprises).toEqual([
      { enterpriseUscc: enterpriseA, name: '袁州模拟甲科技有限公司', baseline: '4111.25', reform: '5481.67', delta: '1370.42' },
      { enterpriseUscc: enterpriseB, name: '袁州模拟乙材料有限公司', baseline: '1293.75', reform: '1725.00', delta: '431.25' },
    ]);
  });

  it('gives a line’s trace both ways on request, and pages the lines by the size of the difference', async () => {
    const traced = await staff.post('/api/v1/simulations').send({ policyId: 'yuanzhou-2023', year: 2024, changes: { ratio: '0.20' }, loanId: loans.a1, trace: true });
    expect(traced.status).toBe(200);
    expect(traced.body.lines).toHaveLength(1);
    const { traces } = traced.body.lines[0];
    expect(traces.baseline.ratio.value).toBe('0.15');
    expect(traces.reform.ratio).toMatchObject({ value: '0.20' });
    expect(traces.reform.ratio.reference).toContain('changed in a reform simulation');
    expect(traces.reform.amountRoundedFen).toBe('548167');

    const first = await staff.post('/api/v1/simulations?limit=1').send({ policyId: 'yuanzhou-2023', year: 2024, changes: { ratio: '0.20' } });
    expect(first.body.lines.map((line: Line) => line.loanId)).toEqual([loans.a1]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await staff
      .post(`/api/v1/simulations?limit=1&cursor=${first.body.nextCursor}`)
      .send({ policyId: 'yuanzhou-2023', year: 2024, changes: { ratio: '0.20' } });
    expect(second.body.lines.map((line: Line) => line.loanId)).toEqual([loans.b1]);
    expect(second.body.nextCursor).toBeNull();
    const forged = await staff.post('/api/v1/simulations?cursor=bm9wZQ').send({ policyId: 'yuanzhou-2023', year: 2024, changes: {} });
    expect(forged.status).toBe(422);
    expect(forged.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });
});

describe('a cap change that moves a cut between loans (Yuanzhou 2023, 100,000 → 50,000 per loan)', () => {
  it('takes the cut from the large loan instead of sharing the enterprise cap', async () => {
    const response = await staff.post('/api/v1/simulations').send({ policyId: 'yuanzhou-2023', year: 2023, changes: { capPerLoan: '50000.00' } });
    expect(response.status).toBe(200);
    const answer = response.body;
    // LPR1Y on 2023-01-01: 0.0365. Window [2023-01-01, 2024-01-01): 360 days, all in 2023.
    // X: 16,000,000 × 0.0365 × 0.15 = 87,600.00; Y: 8,000,000 × 0.0365 × 0.15 = 43,800.00 (both under the 100,000 per loan).
    // Baseline: 131,400.00 > 100,000 per enterprise a year: 100,000.00 shared 87,600 : 43,800 = 2 : 1 →
    //   10,000,000 fen × 2/3 = 6,666,666.67 → X 6,666,667 (the larger remainder), Y 3,333,333: X 66,666.67, Y 33,333.33.
    // Reform: X cut to 50,000.00 by the per-loan cap first; 50,000 + 43,800 = 93,800 ≤ 100,000: no enterprise cut.
    // So the cut moves from Y to X: X 66,666.67 → 50,000.00 (−16,666.67), Y 33,333.33 → 43,800.00 (+10,466.67).
    expect(lineOf(answer, loans.x!)).toMatchObject({ baseline: '66666.67', reform: '50000.00', delta: '-16666.67', projected: false });
    expect(lineOf(answer, loans.y!)).toMatchObject({ baseline: '33333.33', reform: '43800.00', delta: '10466.67', projected: false });
    expect(answer.lines.map((line: Line) => line.loanId)).toEqual([loans.x, loans.y]);
    // Splits: baseline X 6,666,667 → 3,333,334 / 3,333,333, Y 3,333,333 → 1,666,667 / 1,666,666: city 50,000.01,
    // district 49,999.99; reform X 25,000.00 each, Y 21,900.00 each: 46,900.00 each.
    expect(answer.baseline).toEqual({ total: '100000.00', totals: [{ body: 'city', amount: '50000.01' }, { body: 'district', amount: '49999.99' }] });
    expect(answer.reform).toEqual({ total: '93800.00', totals: [{ body: 'city', amount: '46900.00' }, { body: 'district', amount: '46900.00' }] });
    expect(answer.delta).toEqual({ total: '-6200.00', totals: [{ body: 'city', amount: '-3100.01' }, { body: 'district', amount: '-3099.99' }] });
    expect(answer.enterprises).toEqual([{ enterpriseUscc: enterpriseC, name: '袁州模拟丙装备有限公司', baseline: '100000.00', reform: '93800.00', delta: '-6200.00' }]);
  });
});

describe('a longer window brings in loans the baseline does not see (Yuanzhou 2024, 12 → 24 months)', () => {
  it('reads the loans either version selects, and caps each over its whole window', async () => {
    const response = await staff.post('/api/v1/simulations').send({ policyId: 'yuanzhou-2023', year: 2024, changes: { windowMonths: 24 } });
    expect(response.status).toBe(200);
    const answer = response.body;
    // X and Y (2023-01-01 to 2024-06-30, settled then): a 12-month window ends 2024-01-01, so no 2024 line under the
    // baseline; a 24-month one ends at the settlement, 2024-06-30: 2024 counts f(2024-06-30) − f(2024-01-01) = 180 − 1 = 179 days.
    // X: 16,000,000 × 0.0365 × 0.15 × 179 / 360 = 87,600 × 179 / 360 = 43,556.67; the 2023 part was 87,600.00, so the
    //    100,000 per loan over the window leaves min(87,600 + 43,556.67, 100,000) − 87,600 = 12,400.00.
    // Y: 8,000,000 × 0.0365 × 0.15 × 179 / 360 = 43,800 × 179 / 360 = 21,778.33; 43,800 + 21,778.33 ≤ 100,000: all of it.
    expect(lineOf(answer, loans.x!)).toMatchObject({ baseline: '0.00', reform: '12400.00', delta: '12400.00', baselineEligible: null, reformEligible: true });
    expect(lineOf(answer, loans.y!)).toMatchObject({ baseline: '0.00', reform: '21778.33', delta: '21778.33', baselineEligible: null });
    // A1 and B1: their windows end at maturity (A1's in 2026, B1's 2025-06-30) or in 2025: their 2024 parts do not move.
    expect(lineOf(answer, loans.a1!)).toMatchObject({ baseline: '4111.25', reform: '4111.25', delta: '0.00' });
    expect(lineOf(answer, loans.b1!)).toMatchObject({ baseline: '1293.75', reform: '1293.75', delta: '0.00' });
    // 12,400.00 + 21,778.33 = 34,178.33: X 620,000 fen each; Y 2,177,833 fen → city 1,088,917, district 1,088,916.
    expect(answer.delta).toEqual({ total: '34178.33', totals: [{ body: 'city', amount: '17089.17' }, { body: 'district', amount: '17089.16' }] });
  });
});

describe('a budget that scales every line (Yuanzhou 2024, the district funds 1,000.00)', () => {
  it('scales each district share by 1,000.00 ÷ 2,702.49, exactly', async () => {
    const response = await staff
      .post('/api/v1/simulations')
      .send({ policyId: 'yuanzhou-2023', year: 2024, changes: {}, budget: [{ body: 'district', amount: '1000.00' }] });
    expect(response.status).toBe(200);
    const answer = response.body;
    // District shares: A1 205,562 fen, B1 64,687 fen; approved 270,249 fen; budget 100,000 fen.
    // A1: 205,562 × 100,000 / 270,249 = 76,063.926…; B1: 64,687 × 100,000 / 270,249 = 23,936.073…;
    // 76,063 + 23,936 = 99,999: the last fen to the larger remainder (A1, .926) → A1 760.64, B1 239.36.
    // Lines: A1 2,055.63 + 760.64 = 2,816.27 (−1,294.98); B1 646.88 + 239.36 = 886.24 (−407.51).
    expect(lineOf(answer, loans.a1!)).toMatchObject({ baseline: '4111.25', reform: '2816.27', delta: '-1294.98' });
    expect(lineOf(answer, loans.b1!)).toMatchObject({ baseline: '1293.75', reform: '886.24', delta: '-407.51' });
    // The city's shares are untouched: 2,702.51; the district pays its budget: 1,000.00; 3,702.51 in all.
    expect(answer.reform).toEqual({ total: '3702.51', totals: [{ body: 'city', amount: '2702.51' }, { body: 'district', amount: '1000.00' }] });
    expect(answer.delta).toEqual({ total: '-1702.49', totals: [{ body: 'city', amount: '0.00' }, { body: 'district', amount: '-1702.49' }] });
  });
});

describe('days after today, projected on the contract (today 2025-06-30)', () => {
  it('counts the rest of 2025 for a loan with no event after today, and says the line is projected', async () => {
    const response = await staff.post('/api/v1/simulations').send({ policyId: 'yuanzhou-2023', year: 2025, changes: { ratio: '0.20' }, loanId: loans.p, trace: true });
    expect(response.status).toBe(200);
    const answer = response.body;
    // P: LPR1Y on 2025-03-01: 0.0310. Window [2025-03-01, 2026-02-28) (maturity first); 2025: f(2026-01-01) − f(2025-03-01)
    // = 729,361 − 729,061 = 300 days at 1,200,000, the days after 2025-06-30 with the outstanding unchanged.
    // Baseline 1,200,000 × 0.0310 × 0.15 × 300 / 360 = 5,580 × 5/6 = 4,650.00; reform × 0.20: 7,440 × 5/6 = 6,200.00.
    expect(answer.lines).toEqual([expect.objectContaining({ loanId: loans.p, baseline: '4650.00', reform: '6200.00', delta: '1550.00', projected: true })]);
    expect(answer.lines[0].traces.projectedEvents).toEqual([
      { type: 'principal_repayment', date: '2026-02-28', amount: '1200000.00' },
      { type: 'settlement', date: '2026-02-28' , amount: null },
    ]);
    // Of the 2025 lines (A1's last days to 2025-03-15, B1's to its maturity 2025-06-30, P), only P counts a day after today.
    expect(answer.lineCount).toBe(3);
    expect(answer.projectedLines).toBe(1);
  });

  it('counts a Dongyang loan maturing later in the year as settled on time at maturity', async () => {
    const response = await staff.post('/api/v1/simulations').send({ policyId: 'dongyang-2021', year: 2025, changes: { ratio: '0.6' } });
    expect(response.status).toBe(200);
    const answer = response.body;
    // Q: term ≤ 1 year → PBOC_LE1Y 0.0435; window [2025-01-01, 2025-12-31) (projected settlement at maturity):
    // f(2025-12-31) − f(2025-01-01) = 729,360 − 729,001 = 359 days.
    // Baseline 1,000,000 × 0.0435 × 0.50 × 359 / 360 = 21,750 × 359 / 360 = 21,689.583… → 21,689.58;
    // reform × 0.60: 26,100 × 359 / 360 = 26,027.50; difference 4,337.92. All paid by the city.
    expect(answer.lines).toEqual([expect.objectContaining({ loanId: loans.q, baseline: '21689.58', reform: '26027.50', delta: '4337.92', projected: true, reformEligible: true })]);
    expect(answer.projectedLines).toBe(1);
    expect(answer.delta).toEqual({ total: '4337.92', totals: [{ body: 'city', amount: '4337.92' }] });
  });
});

describe('refusals name the change', () => {
  it.each([
    [{ noSuchParameter: '1' }, 'changes.noSuchParameter'],
    [{ ratio: '1.5' }, 'changes.ratio'],
    [{ ratio: 'fifteen' }, 'changes.ratio'],
    [{ dayCount: 'ACT/366' }, 'changes.dayCount'],
    [{ fundingSplit: [{ body: 'city', share: '0.6' }, { body: 'district', share: '0.5' }] }, 'changes.fundingSplit'],
    [{ windowMonths: 0 }, 'changes.windowMonths'],
  ])('%j → 422 naming %s', async (changes, path) => {
    const response = await staff.post('/api/v1/simulations').send({ policyId: 'yuanzhou-2023', year: 2024, changes });
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('a reform of Ankang must set what staff have not set yet; with them set, the baseline pays nothing', async () => {
    const unset = await staff.post('/api/v1/simulations').send({ policyId: 'ankang-2024', year: 2025, changes: {} });
    expect(unset.status).toBe(422);
    expect(unset.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['changes.fundingSplit', 'changes.rateIndex', 'changes.ratio']);
    const set = await staff
      .post('/api/v1/simulations')
      .send({ policyId: 'ankang-2024', year: 2025, changes: { rateIndex: 'LPR1Y', ratio: '0.3', fundingSplit: [{ body: 'city', share: '1' }] } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ baselineUnset: ['rateIndex', 'ratio', 'fundingSplit'], baseline: { total: '0.00', totals: [] } });
  });

  it('a bank may not simulate', async () => {
    const bank = service.as((await service.bank()).token);
    expect((await bank.post('/api/v1/simulations').send({ policyId: 'yuanzhou-2023', year: 2024, changes: {} })).status).toBe(403);
  });
});

describe('nothing is written', () => {
  it('leaves every table as it was but for one audit row, "simulated"', async () => {
    const auditor = service.as((await service.principal('auditor')).token);
    const before = await tableCounts();
    const response = await auditor
      .post('/api/v1/simulations')
      .set('Idempotency-Key', 'simulation-1')
      .send({ policyId: 'yuanzhou-2023', year: 2024, changes: { ratio: '0.20', capPerEnterpriseYear: '50000.00' } });
    expect(response.status).toBe(200);
    const after = await tableCounts();
    const grown = Object.keys(after).filter((table) => after[table] !== before[table]);
    expect(grown).toEqual(['audit_log']);
    expect(after.audit_log).toBe(before.audit_log! + 1);
    const last = await service.db.pool.query(`select action, status, detail from audit_log order by id desc limit 1`);
    expect(last.rows[0]).toMatchObject({ action: 'simulated', status: 200, detail: { policyId: 'yuanzhou-2023', year: 2024, delta: '1801.67' } });
  });

  it('exports the comparison as XLSX', async () => {
    const response = await staff
      .post('/api/v1/simulations?format=xlsx')
      .send({ policyId: 'yuanzhou-2023', year: 2024, changes: { ratio: '0.20' } })
      .buffer(true)
      .parse(binary);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toContain('filename*=UTF-8');
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    const values = workbook.worksheets[0]!.getSheetValues().flat().map(String);
    expect(values).toEqual(expect.arrayContaining(['区财政', 'SIM-A1 袁州模拟甲科技有限公司']));
  });
});
