/**
 * The subsidy rules as the documents write them, through the API: days counted 30E/360; a loan that also pledges a
 * right type the policy does not support paid on the part its supported pledges secure (securedAmount, JSON and CSV,
 * recorded later when missing); a combination loan without its IP part recorded and found ineligible by the runs;
 * Dongyang's enterprise conditions (《关于全面加强知识产权工作的实施意见》 § 20) from the USCC and from staff's dated records, withdrawn and audited;
 * last year's run loaded with its real dates, a payment not dated before the approval; a finance bureau reading both
 * bodies' figures and paying only its own.
 *
 * Yuanzhou (袁府办字〔2023〕25号 四(三)2), version 2: 15 % of LPR1Y in force on the loan start (0.0345 from 2023-08-21 to
 * 2024-07-21), 30E/360 (f(d) = 360·year + 30·(month − 1) + min(day, 30)), city 50 % / district 50 %, the odd fen to the
 * city (listed first). Dongyang (《关于全面加强知识产权工作的实施意见》 § 6), version 2: 50 % of the benchmark of the loan's term band (≤ 1 year: 0.0435
 * since 2015-10-24), for loans settled on time in the run's year, city 100 %.
 */
import { todayInChina } from '../src/dates';
import { organisationCodeCheckCharacter, usccCheckCharacter } from '../src/loans/identifiers';
import { startTestService, type AuthorisedAgent, type TestService } from './support/app';
import { patentNumber, postLoan, uscc } from './support/subsidy';

let service: TestService;
let staff: AuthorisedAgent;
let auditor: AuthorisedAgent;
let bank: AuthorisedAgent;
let cityFinance: AuthorisedAgent;
let districtFinance: AuthorisedAgent;

const yuanzhouA = uscc('360902', 21);
const yuanzhouB = uscc('360902', 22);
const dongyangA = uscc('330783', 23);
/** An individual business (个体工商户) registered in Dongyang: registration authority 9, entity type 2. */
const dongyangIndividual = (() => {
  const organisation = 'MA000024';
  const first17 = `92330783${organisation}${organisationCodeCheckCharacter(organisation)}`;
  return first17 + usccCheckCharacter(first17);
})();
const loans: Record<string, string> = {};

type Line = { loanId: string; amount: string; eligible: boolean; reasons: Array<{ code: string; message: string; reference: string; params: Record<string, unknown> }>; trace: Record<string, unknown> };
const lineOf = (run: { lines: Line[] }, loanId: string): Line => {
  const line = run.lines.find((candidate) => candidate.loanId === loanId);
  if (!line) throw new Error(`no line for ${loanId}`);
  return line;
};
const count = async (table: string) => Number((await service.db.pool.query(`select count(*) from ${table}`)).rows[0].count);

beforeAll(async () => {
  service = await startTestService();
  staff = service.as(service.staffToken);
  auditor = service.as((await service.principal('auditor')).token);
  cityFinance = service.as((await service.principal('finance', { body: 'city' })).token);
  districtFinance = service.as((await service.principal('finance', { body: 'district' })).token);
  bank = service.as((await service.bank()).token);
  for (const [code, name] of [
    [yuanzhouA, '宜春袁州甲专利有限公司'],
    [yuanzhouB, '宜春袁州乙商标有限公司'],
    [dongyangA, '东阳甲磁材有限公司'],
    [dongyangIndividual, '东阳市某某木雕店'],
  ] as const) {
    expect((await staff.post('/api/v1/enterprises').send({ uscc: code, name })).status).toBe(201);
  }
  // The acceptance case: 2,000,000.00 CNY patent loan from 2024-06-10 to maturity 2025-06-09.
  loans.twoMillion = await postLoan(bank, {
    contractNo: 'FID-2M',
    enterpriseUscc: yuanzhouA,
    principal: '2000000.00',
    startDate: '2024-06-10',
    maturityDate: '2025-06-09',
    assetSerial: 21,
    events: [{ type: 'disbursement', date: '2024-06-10', amount: '2000000.00' }],
  });
});
afterAll(() => service.close());

describe('days counted 30E/360', () => {
  it('A 2,000,000 CNY patent loan from 2024-06-10 to 2025-06-09 gets 5,778.75 for 2024 (201 days) and 4,542.50 for 2025 (158 days)', async () => {
    // 2024: f(2025-01-01) − f(2024-06-10) = 729,001 − 728,800 = 201; 2,000,000 × 0.0345 × 0.15 × 201 / 360 = 5,778.75
    // 2025: f(2025-06-09) − f(2025-01-01) = 729,159 − 729,001 = 158; 2,000,000 × 0.0345 × 0.15 × 158 / 360 = 4,542.50
    const y2024 = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(y2024.status).toBe(201);
    const line2024 = lineOf(y2024.body, loans.twoMillion!);
    expect(line2024).toMatchObject({ amount: '5778.75', eligible: true });
    expect(line2024.trace.window).toMatchObject({ countedFrom: '2024-06-10', countedToExclusive: '2025-01-01', daysCounted: 201 });
    expect(line2024.trace.dayCount).toMatchObject({ convention: '30E/360', divisor: 360 });
    const y2025 = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2025 });
    expect(y2025.status).toBe(201);
    expect(lineOf(y2025.body, loans.twoMillion!)).toMatchObject({ amount: '4542.50', eligible: true, trace: { window: { daysCounted: 158 } } });
    // The draft of 2025 is discarded by recomputing later; nothing else of it matters here.
  });

  it('A run pinned to version 1 keeps its ACT/360 reading: 205 calendar days in 2024 → 5,893.75', async () => {
    // 2024-06-10 → 2025-01-01: June 10..30 = 21, + 31 (Jul) + 31 (Aug) + 30 (Sep) + 31 (Oct) + 30 (Nov) + 31 (Dec) = 205
    // 2,000,000 × 0.0345 × 0.15 = 10,350 a year; × 205 / 360 = 5,893.75
    const pinned = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024, policyVersion: 1 });
    expect(pinned.status).toBe(201);
    expect(pinned.body.policy).toEqual({ id: 'yuanzhou-2023', version: 1 });
    const line = lineOf(pinned.body, loans.twoMillion!);
    expect(line.trace.window).toMatchObject({ daysCounted: 205 });
    expect(line.amount).toBe('5893.75');
    expect(line.trace.dayCount).toMatchObject({ convention: 'ACT/360' });
  });
});

describe('only the part secured by supported pledges', () => {
  it('a loan pledging a patent and a trademark without secured amounts (CSV) is a line, ineligible, saying to record them', async () => {
    // 1,000,000.00 from 2024-01-01 to 2025-01-01, pledges "patent:NUMBER;trademark:NUMBER" (no secured amounts)
    const csv = [
      'contractNo,enterpriseUscc,principal,annualRate,startDate,maturityDate,collateral,pledges',
      `FID-SEC,${yuanzhouB},1000000.00,0.0435,2024-01-01,2025-01-01,ip_only,patent:${patentNumber(31)};trademark:40000031`,
    ].join('\n');
    const created = await bank.post('/api/v1/loans:batch').set('Content-Type', 'text/csv').send(csv);
    expect(created.status).toBe(201);
    loans.secured = created.body.ids[0];
    expect((await bank.post(`/api/v1/loans/${loans.secured}/events`).send({ type: 'disbursement', date: '2024-01-01', amount: '1000000.00' })).status).toBe(201);

    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    const line = lineOf(run.body, loans.secured!);
    expect(line).toMatchObject({ amount: '0.00', eligible: false });
    expect(line.reasons).toEqual([
      {
        code: 'secured_amount_missing',
        message: expect.stringContaining("securedAmount is recorded (missing: patent"),
        reference: expect.stringContaining('袁府办字〔2023〕25号 四(三)2'),
        params: { unsupported: 'trademark', missing: expect.stringContaining('trademark 40000031'), missingCount: 2 },
        // The console's sentence, from the code and params.
        messageZh: expect.stringContaining('须有每项质押的担保债权数额（缺 2 项：专利权 '),
      },
    ]);
    // The pledges it lacks are named in Chinese, the trademark's number too.
    const [reason] = line.reasons as unknown as Array<{ messageZh: string }>;
    expect(reason!.messageZh).toContain('商标专用权 40000031');
    expect(reason!.messageZh).not.toMatch(/patent|trademark/);
  });

  it('once the bank records each secured amount, it is paid on min(IP part, Σ patent-secured) = 400,000.00 → 2,070.00', async () => {
    expect((await bank.post(`/api/v1/loans/${loans.secured}/pledges/1/secured-amount`).send({ securedAmount: '400000.00' })).status).toBe(201);
    expect((await bank.post(`/api/v1/loans/${loans.secured}/pledges/2/secured-amount`).send({ securedAmount: '1000000.00' })).status).toBe(201);
    // [2024-01-01, 2025-01-01) = 360 days; 400,000 × 0.0345 × 0.15 × 360 / 360 = 2,070.00; 1,035.00 each
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    const line = lineOf(run.body, loans.secured!);
    expect(line).toMatchObject({ amount: '2070.00', eligible: true, reasons: [] });
    expect(line.trace.ipShare).toMatchObject({ value: '40000000/100000000 = 0.4', supportedPart: { securedSupportedFen: '40000000', supportedPartFen: '40000000' } });
    const audit = await service.db.pool.query(`select count(*)::int as n from audit_log where action = 'loan.pledge_secured_amount_recorded'`);
    expect(audit.rows[0].n).toBe(2);
  });
});

describe('a combination loan without its IP-pledged amount', () => {
  it('is recorded (201) and every run shows it ineligible, with the reason', async () => {
    const created = await bank.post('/api/v1/loans').send({
      contractNo: 'FID-COMBO',
      enterpriseUscc: yuanzhouB,
      principal: '3000000.00',
      annualRate: '0.0435',
      startDate: '2024-02-01',
      maturityDate: '2025-02-01',
      collateral: 'combination',
      pledges: [{ rightType: 'patent', number: patentNumber(32) }],
    });
    expect(created.status).toBe(201);
    expect(created.body.ipPledgedAmount).toBeNull();
    loans.combo = created.body.id;
    for (const year of [2024, 2025]) {
      const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year });
      expect(run.status).toBe(201);
      const line = lineOf(run.body, loans.combo!);
      expect(line).toMatchObject({ amount: '0.00', eligible: false });
      expect(line.reasons).toEqual([
        {
          code: 'combination_ip_part_unknown',
          message: expect.stringContaining('does not state the IP-pledged part: the IP part of the principal 3000000.00 cannot be separated'),
          reference: expect.stringContaining('对专利权质押部分的贷款利息予以补贴'),
          params: { principal: '3000000.00' },
          messageZh: '组合贷款合同未载明知识产权质押部分，本金 ¥3,000,000.00 中的知识产权部分无法区分，不予补贴',
        },
      ]);
    }
  });
});

describe("Dongyang's enterprise conditions (《关于全面加强知识产权工作的实施意见》 § 20)", () => {
  // 1,000,000.00 patent loans 2024-03-01 to 2025-03-01, settled on time: window 360 days,
  // 1,000,000 × 0.0435 × 0.5 × 360 / 360 = 21,750.00 each when eligible.
  beforeAll(async () => {
    for (const [key, enterprise, serial] of [
      ['dongyang', dongyangA, 41],
      ['individual', dongyangIndividual, 42],
    ] as const) {
      loans[key] = await postLoan(bank, {
        contractNo: `FID-DY-${serial}`,
        enterpriseUscc: enterprise,
        principal: '1000000.00',
        startDate: '2024-03-01',
        maturityDate: '2025-03-01',
        assetSerial: serial,
        events: [
          { type: 'disbursement', date: '2024-03-01', amount: '1000000.00' },
          { type: 'principal_repayment', date: '2025-03-01', amount: '1000000.00' },
          { type: 'settlement', date: '2025-03-01' },
        ],
      });
    }
  });

  let recordId = '';
  let dongyangRun = '';

  it('an individual business (USCC beginning 92) is not an independent legal person: its line is ineligible, naming it', async () => {
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'dongyang-2021', year: 2025 });
    expect(run.status).toBe(201);
    dongyangRun = run.body.id;
    expect(lineOf(run.body, loans.individual!).reasons).toEqual([
      expect.objectContaining({ code: 'enterprise_not_independent_legal_person', params: { uscc: dongyangIndividual, usccPrefix: '92' }, reference: expect.stringContaining('《关于全面加强知识产权工作的实施意见》 § 20') }),
    ]);
    expect(lineOf(run.body, loans.dongyang!)).toMatchObject({ amount: '21750.00', eligible: true });
  });

  it('staff record, dated and with a reason, that an enterprise is not in normal operation: the run names it on its line', async () => {
    const refused = await bank.post(`/api/v1/enterprises/${dongyangA}/status-records`).send({ condition: 'not_in_normal_operation', from: '2025-02-01', reason: 'x' });
    expect(refused.status).toBe(403);
    const bad = await staff.post(`/api/v1/enterprises/${dongyangA}/status-records`).send({ condition: 'bankrupt', from: '2025-13-01', to: '2025-01-01', reason: '' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['condition', 'from', 'reason']);
    const backwards = await staff.post(`/api/v1/enterprises/${dongyangA}/status-records`).send({ condition: 'not_in_normal_operation', from: '2025-02-01', to: '2025-01-31', reason: '停产' });
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ path: 'to' })]);
    expect(await count('enterprise_status_record')).toBe(0);

    const recorded = await staff
      .post(`/api/v1/enterprises/${dongyangA}/status-records`)
      .send({ condition: 'not_in_normal_operation', from: '2025-02-01', reason: '停产整顿（市场监管局检查记录）' });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ enterpriseUscc: dongyangA, condition: 'not_in_normal_operation', from: '2025-02-01', to: null, withdrawal: null });
    recordId = recorded.body.id;

    const run = await staff.post(`/api/v1/subsidy-runs/${dongyangRun}/recompute`).send({});
    const line = lineOf(run.body, loans.dongyang!);
    expect(line).toMatchObject({ amount: '0.00', eligible: false });
    expect(line.reasons).toEqual([
      {
        code: 'enterprise_not_in_normal_operation',
        message: expect.stringContaining('is not in normal operation from 2025-02-01 (停产整顿（市场监管局检查记录）'),
        reference: expect.stringContaining('并正常生产经营的企业'),
        params: { uscc: dongyangA, recordId, from: '2025-02-01', reason: '停产整顿（市场监管局检查记录）', records: 1 },
        messageZh: '工作人员记录：自 2025-02-01 起不正常生产经营（停产整顿（市场监管局检查记录））',
      },
    ]);
  });

  it('a withdrawn record (dated, with a reason, audited) no longer counts, and stays on record', async () => {
    const future = await staff.post(`/api/v1/enterprises/${dongyangA}/status-records/${recordId}/withdrawal`).send({ date: '2999-01-01', reason: 'x' });
    expect(future.status).toBe(422);
    const withdrawn = await staff
      .post(`/api/v1/enterprises/${dongyangA}/status-records/${recordId}/withdrawal`)
      .send({ date: '2025-04-15', reason: '复查：企业已恢复正常生产经营，原记录撤销' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawal).toMatchObject({ on: '2025-04-15', reason: '复查：企业已恢复正常生产经营，原记录撤销', by: expect.any(String) });
    const twice = await staff.post(`/api/v1/enterprises/${dongyangA}/status-records/${recordId}/withdrawal`).send({ reason: 'again' });
    expect(twice.status).toBe(409);

    const run = await staff.post(`/api/v1/subsidy-runs/${dongyangRun}/recompute`).send({});
    expect(lineOf(run.body, loans.dongyang!)).toMatchObject({ amount: '21750.00', eligible: true });

    const listed = await auditor.get(`/api/v1/enterprises/${dongyangA}/status-records`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: recordId, withdrawal: expect.objectContaining({ on: '2025-04-15' }) })]);
    expect((await bank.get(`/api/v1/enterprises/${dongyangA}/status-records`)).status).toBe(403);
    const audit = await service.db.pool.query(`select action from audit_log where detail ->> 'id' = $1 order by id`, [recordId]);
    expect(audit.rows.map((row) => row.action)).toEqual(['enterprise.status_recorded', 'enterprise.status_withdrawn']);
    // Nothing is deleted or edited, even from a raw session.
    // The service's role may not delete at all (42501); the table's owner is refused by its trigger.
    await expect(service.db.pool.query(`delete from enterprise_status_record where id = $1`, [recordId])).rejects.toMatchObject({ code: '42501' });
    const owner = await service.db.rawClient('owner');
    await expect(owner.query(`delete from enterprise_status_record where id = $1`, [recordId])).rejects.toThrow(/never deleted/);
    await expect(service.db.pool.query(`update enterprise_status_record set reason = 'x' where id = $1`, [recordId])).rejects.toThrow(/withdrawn, once/);
  });

  it('the same conditions are no parameter of Yuanzhou: a record there changes nothing', async () => {
    const recorded = await staff.post(`/api/v1/enterprises/${yuanzhouA}/status-records`).send({ condition: 'not_independent_legal_person', from: '2024-01-01', reason: '分支机构' });
    expect(recorded.status).toBe(201);
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(lineOf(run.body, loans.twoMillion!)).toMatchObject({ amount: '5778.75', eligible: true });
    const withdrawn = await staff.post(`/api/v1/enterprises/${yuanzhouA}/status-records/${recorded.body.id}/withdrawal`).send({ reason: '录入错误' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawal.on).toBe(todayInChina());
  });
});

describe("last year's run loaded with its real dates", () => {
  // The 2024 Yuanzhou run: the 2,000,000 loan 5,778.75 (577,875 fen: city 288,938, district 288,937) and the secured
  // loan 2,070.00 (103,500 each); the combination loan 0.00. Total 7,848.75: city 3,924.38, district 3,924.37.
  let runId = '';

  it('is reviewed, publicised and approved on the days it was, each day checked against the one before', async () => {
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(run.status).toBe(201);
    expect(run.body.total).toBe('7848.75');
    expect(run.body.totals).toEqual([
      { body: 'city', amount: '3924.38' },
      { body: 'district', amount: '3924.37' },
    ]);
    runId = run.body.id;
    const move = (body: Record<string, unknown>) => staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send(body);

    const future = await move({ to: 'reviewed', date: '2999-01-01' });
    expect(future.status).toBe(422);
    expect(future.body.errors).toEqual([expect.objectContaining({ path: 'date' })]);
    const reviewed = await move({ to: 'reviewed', date: '2025-01-10' });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({ status: 'reviewed', reviewedOn: '2025-01-10' });

    const beforeReview = await move({ to: 'publicised', date: '2025-01-09' });
    expect(beforeReview.status).toBe(422);
    expect(beforeReview.body.errors).toEqual([{ path: 'date', message: 'must not be before 2025-01-10, when the run was reviewed' }]);
    // publicised on 2025-01-12: the period defaults to 2025-01-12 .. 2025-01-19 (7 days)
    const publicised = await move({ to: 'publicised', date: '2025-01-12' });
    expect(publicised.status).toBe(200);
    expect(publicised.body).toMatchObject({ status: 'publicised', publicisedOn: '2025-01-12', publicityFrom: '2025-01-12', publicityTo: '2025-01-19' });

    const inside = await move({ to: 'approved', date: '2025-01-19' });
    expect(inside.status).toBe(409);
    expect(inside.body.detail).toMatch(/publicised until 2025-01-19 inclusive; it can be approved from 2025-01-20/);
    expect(await count('subsidy_approval_share')).toBe(0);
    const approved = await move({ to: 'approved', date: '2025-01-20' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedOn: '2025-01-20' });
    // The approval's ledger entries carry the day it happened.
    const entries = await service.db.pool.query(`select distinct effective_date::text as day from ledger_entry where source_kind = 'subsidy_run' and source_id = $1`, [runId]);
    expect(entries.rows).toEqual([{ day: '2025-01-20' }]);
  });

  it('a payment cannot precede the approval date, nor be dated in the future; on or after it, it is recorded', async () => {
    const before = await count('subsidy_payment');
    const early = await cityFinance.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'city', amount: '1000.00', date: '2025-01-19', reference: '市财拨〔2025〕3号' });
    expect(early.status).toBe(422);
    expect(early.body.errors).toEqual([{ path: 'date', message: 'must be on or after 2025-01-20' }]);
    const future = await cityFinance.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'city', amount: '1000.00', date: '2999-01-01', reference: '市财拨〔2025〕3号' });
    expect(future.status).toBe(422);
    expect(await count('subsidy_payment')).toBe(before);
    const paid = await cityFinance.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'city', amount: '3924.38', date: '2025-02-01', reference: '市财拨〔2025〕3号' });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ date: '2025-02-01', runStatus: 'partially_paid' });
    // PostgreSQL refuses a payment dated before the approval too, even from a raw session.
    await expect(
      service.db.pool.query(
        `insert into subsidy_payment (run_id, body, amount_fen, paid_on, reference, ledger_entry_id) values ($1, 'city', 1, '2025-01-19', 'x', $2)`,
        [runId, paid.body.ledgerEntryId],
      ),
    ).rejects.toThrow(/precedes the approval/);
  });

  it("a finance bureau sees every body's figures, and still pays only its own share", async () => {
    // city: 3,924.38 approved, all paid; district: 3,924.37 approved, nothing paid
    const expected = [
      { body: 'city', approved: '3924.38', paid: '3924.38', outstanding: '0.00' },
      { body: 'district', approved: '3924.37', paid: '0.00', outstanding: '3924.37' },
    ];
    for (const reader of [cityFinance, districtFinance]) {
      const report = await reader.get('/api/v1/reports/split-reconciliation?year=2024');
      expect(report.status).toBe(200);
      expect(report.body.bodies).toEqual(expected);
      expect(report.body.ledgerCheck.matches).toBe(true);
    }
    const forOther = await cityFinance.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'district', amount: '1.00', date: '2025-02-01', reference: 'X' });
    expect(forOther.status).toBe(403);
    const own = await districtFinance.post(`/api/v1/subsidy-runs/${runId}/payments`).send({ body: 'district', amount: '3924.37', date: '2025-02-03', reference: '区财拨〔2025〕5号' });
    expect(own.status).toBe(201);
    expect(own.body.runStatus).toBe('paid');
  });
});
