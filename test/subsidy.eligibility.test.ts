/**
 * `GET /api/v1/enterprises/{uscc}/eligibility?year=` through the API: every policy in force in the year with each
 * condition met or missed, its clause and what would meet it; each loan's estimate equal to the year's run line before
 * the enterprise caps; an enterprise outside every jurisdiction answered too; a bank sees only enterprises it lends
 * to, and of them its own loans.
 *
 * Figures. Yuanzhou (袁府办字〔2023〕25号 四(三)2), version 2: 15 % of LPR1Y in force on the loan start (0.0345 from
 * 2023-08-21 to 2024-07-21), 30E/360 (f(d) = 360·year + 30·(month − 1) + min(day, 30)), ≤ 100,000 per loan over its
 * window and per enterprise per year. Dongyang (《关于全面加强知识产权工作的实施意见》 § 6), version 2: 50 % of the ≤ 1
 * year benchmark 0.0435, for loans settled on time in the year. Ankang (安政办发〔2024〕13号 第12条), version 2: ratio,
 * rate index and split not set.
 */
import { fixClock } from '../src/dates';
import { organisationCodeCheckCharacter, usccCheckCharacter } from '../src/loans/identifiers';
import { startTestService, type AuthorisedAgent, type TestService } from './support/app';
import { patentNumber, uscc } from './support/subsidy';

let service: TestService;
let staff: AuthorisedAgent;
let auditor: AuthorisedAgent;
let bank: AuthorisedAgent;
let otherBank: AuthorisedAgent;
let strangerBank: AuthorisedAgent;
let finance: AuthorisedAgent;

const yuanzhouA = uscc('360902', 41);
const yichunCity = uscc('360900', 42); // registered with the city (360900), not the district
const dongyangD = uscc('330783', 43);
const dongyangHalted = uscc('330783', 44);
const dongyangExcluded = uscc('330783', 45);
const ankangK = uscc('610902', 46);
const beijing = uscc('110101', 47);
const dongyangIndividual = (() => {
  const organisation = 'MA000048';
  const first17 = `92330783${organisation}${organisationCodeCheckCharacter(organisation)}`;
  return first17 + usccCheckCharacter(first17);
})();

const loans: Record<string, string> = {};
let serial = 400;

interface LoanBody {
  contractNo: string;
  enterpriseUscc: string;
  principal: string;
  startDate: string;
  maturityDate: string;
  collateral?: 'ip_only' | 'combination';
  ipPledgedAmount?: string;
  pledges?: Array<{ rightType: 'patent' | 'trademark' | 'copyright'; number?: string; securedAmount?: string }>;
  events: Array<{ type: string; date: string; amount?: string; daysOverdue?: number }>;
}

const numberOf = (rightType: 'patent' | 'trademark' | 'copyright') => {
  serial += 1;
  return rightType === 'patent' ? patentNumber(serial) : rightType === 'trademark' ? String(30_000_000 + serial) : `2023SR0${String(serial).padStart(6, '0')}`;
};

async function post(as: AuthorisedAgent, name: string, body: LoanBody): Promise<string> {
  const { events, pledges = [{ rightType: 'patent' }], collateral = 'ip_only', ...rest } = body;
  const created = await as.post('/api/v1/loans').send({
    ...rest,
    annualRate: '0.0435',
    collateral,
    pledges: pledges.map((pledge) => ({ ...pledge, number: pledge.number ?? numberOf(pledge.rightType) })),
  });
  if (created.status !== 201) throw new Error(`loan ${name}: ${created.status} ${JSON.stringify(created.body)}`);
  for (const event of events) {
    const posted = await as.post(`/api/v1/loans/${created.body.id}/events`).send(event);
    if (posted.status !== 201) throw new Error(`event ${event.type} of ${name}: ${posted.status} ${JSON.stringify(posted.body)}`);
  }
  loans[name] = created.body.id as string;
  return created.body.id as string;
}

/** A bullet loan disbursed on its start; settled on `settledOn` when given. */
const bullet = (contractNo: string, enterpriseUscc: string, principal: string, startDate: string, maturityDate: string, settledOn?: string): LoanBody => ({
  contractNo,
  enterpriseUscc,
  principal,
  startDate,
  maturityDate,
  events: [
    { type: 'disbursement', date: startDate, amount: principal },
    ...(settledOn ? [{ type: 'principal_repayment', date: settledOn, amount: principal }, { type: 'settlement', date: settledOn }] : []),
  ],
});

type Condition = { code: string; kind: string; met: boolean; reference: string; message: string; messageZh: string; params: Record<string, unknown>; toMeet: string | null; toMeetZh: string | null };
type LoanAnswer = { loanId: string; contractNo: string; bankId: string; eligible: boolean; estimate: string | null; conditions: Condition[] };
type PolicyAnswer = { policyId: string; version: number; applies: boolean; conditions: Condition[]; loans: LoanAnswer[]; estimate: string | null; afterLimits: string | null };
type Answer = { uscc: string; name: string; divisionCode: string; year: number; policies: PolicyAnswer[] };

async function ask(as: AuthorisedAgent, code: string, year: number): Promise<Answer> {
  const response = await as.get(`/api/v1/enterprises/${code}/eligibility?year=${year}`);
  if (response.status !== 200) throw new Error(`eligibility of ${code}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Answer;
}
const policyOf = (answer: Answer, policyId: string): PolicyAnswer => {
  const found = answer.policies.find((policy) => policy.policyId === policyId);
  if (!found) throw new Error(`no policy ${policyId} in ${answer.policies.map((policy) => policy.policyId).join(', ')}`);
  return found;
};
const loanOf = (policy: PolicyAnswer, name: string): LoanAnswer => {
  const found = policy.loans.find((loan) => loan.loanId === loans[name]);
  if (!found) throw new Error(`no loan ${name} under ${policy.policyId}`);
  return found;
};
const missed = (conditions: Condition[]) => conditions.filter((condition) => !condition.met);
const conditionOf = (conditions: Condition[], code: string): Condition => {
  const found = conditions.find((condition) => condition.code === code);
  if (!found) throw new Error(`no condition ${code} among ${conditions.map((condition) => condition.code).join(', ')}`);
  return found;
};

beforeAll(async () => {
  service = await startTestService();
  staff = service.as(service.staffToken);
  auditor = service.as((await service.principal('auditor')).token);
  finance = service.as((await service.principal('finance', { body: 'city' })).token);
  bank = service.as((await service.bank()).token);
  otherBank = service.as((await service.bank()).token);
  strangerBank = service.as((await service.bank()).token);
  for (const [code, name] of [
    [yuanzhouA, '宜春袁州资格甲有限公司'],
    [yichunCity, '宜春市级登记有限公司'],
    [dongyangD, '东阳资格丁有限公司'],
    [dongyangHalted, '东阳停产有限公司'],
    [dongyangExcluded, '东阳排除有限公司'],
    [dongyangIndividual, '东阳市某某工艺店'],
    [ankangK, '安康资格有限公司'],
    [beijing, '北京东城有限公司'],
  ] as const) {
    expect((await staff.post('/api/v1/enterprises').send({ uscc: code, name })).status).toBe(201);
  }

  // Yuanzhou, enterprise A, 2024.
  await post(bank, 'y1', bullet('ELI-Y1', yuanzhouA, '2000000.00', '2024-06-10', '2025-06-09'));
  await post(bank, 'y2', bullet('ELI-Y2', yuanzhouA, '30000000.00', '2024-01-01', '2025-01-01'));
  await post(bank, 'y3', { ...bullet('ELI-Y3', yuanzhouA, '1000000.00', '2024-03-01', '2025-02-28'), pledges: [{ rightType: 'trademark' }] });
  await post(bank, 'y4', { ...bullet('ELI-Y4', yuanzhouA, '1000000.00', '2024-03-01', '2025-02-28'), pledges: [{ rightType: 'patent' }, { rightType: 'trademark' }] });
  await post(bank, 'y5', { ...bullet('ELI-Y5', yuanzhouA, '1000000.00', '2024-03-01', '2025-02-28'), collateral: 'combination' });
  await post(otherBank, 'y6', bullet('ELI-Y6', yuanzhouA, '1000000.00', '2024-03-01', '2025-02-28'));
  await post(bank, 'city', bullet('ELI-C1', yichunCity, '1000000.00', '2024-03-01', '2025-02-28'));

  // Dongyang, 2024 (approved, paying d0's patent) and 2025.
  const d0 = await post(bank, 'd0', bullet('ELI-D0', dongyangD, '1000000.00', '2023-05-01', '2024-04-30', '2024-04-30'));
  const d0Patent = (await staff.get(`/api/v1/loans/${d0}`)).body.pledges[0].number as string;
  await post(bank, 'd1', bullet('ELI-D1', dongyangD, '1000000.00', '2024-07-01', '2025-06-30', '2025-06-30'));
  await post(bank, 'd2', bullet('ELI-D2', dongyangD, '1000000.00', '2025-01-15', '2026-01-14'));
  await post(bank, 'd3', {
    ...bullet('ELI-D3', dongyangD, '1000000.00', '2024-03-01', '2025-02-28'),
    events: [
      { type: 'disbursement', date: '2024-03-01', amount: '1000000.00' },
      { type: 'overdue', date: '2025-03-01', daysOverdue: 1 },
      { type: 'principal_repayment', date: '2025-03-05', amount: '1000000.00' },
      { type: 'settlement', date: '2025-03-05' },
    ],
  });
  await post(bank, 'd4', { ...bullet('ELI-D4', dongyangD, '1000000.00', '2024-07-01', '2025-06-30', '2025-06-30'), pledges: [{ rightType: 'copyright' }] });
  await post(bank, 'd5', { ...bullet('ELI-D5', dongyangD, '1000000.00', '2024-07-01', '2025-06-30', '2025-06-30'), pledges: [{ rightType: 'patent' }, { rightType: 'copyright' }] });
  await post(bank, 'd6', { ...bullet('ELI-D6', dongyangD, '1000000.00', '2024-07-01', '2025-06-30', '2025-06-30'), collateral: 'combination' });
  await post(bank, 'd7', { ...bullet('ELI-D7', dongyangD, '1000000.00', '2024-07-01', '2025-06-30', '2025-06-30'), pledges: [{ rightType: 'patent', number: d0Patent }] });
  await post(bank, 'halted', bullet('ELI-H1', dongyangHalted, '1000000.00', '2024-07-01', '2025-06-30', '2025-06-30'));
  await post(bank, 'individual', bullet('ELI-I1', dongyangIndividual, '1000000.00', '2024-07-01', '2025-06-30', '2025-06-30'));
  const run2024 = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'dongyang-2021', year: 2024 });
  expect(run2024.status).toBe(201);
  const move = (body: Record<string, unknown>) => staff.post(`/api/v1/subsidy-runs/${run2024.body.id}/transitions`).send(body);
  expect((await move({ to: 'reviewed', date: '2025-01-10' })).status).toBe(200);
  expect((await move({ to: 'publicised', date: '2025-01-12' })).status).toBe(200);
  expect((await move({ to: 'approved', date: '2025-01-20' })).status).toBe(200);
  expect(
    (await staff.post(`/api/v1/enterprises/${dongyangHalted}/status-records`).send({ condition: 'not_in_normal_operation', from: '2025-02-01', reason: '停产整顿' }))
      .status,
  ).toBe(201);
  expect((await staff.post(`/api/v1/enterprises/${dongyangExcluded}/exclusions`).send({ year: 2025, reason: '环保事故调查中' })).status).toBe(201);

  // Ankang, 2025; Beijing, 2025.
  await post(bank, 'k1', bullet('ELI-K1', ankangK, '1000000.00', '2024-07-01', '2025-06-30', '2025-06-30'));
  await post(bank, 'k2', bullet('ELI-K2', ankangK, '1000000.00', '2025-01-15', '2026-01-14'));
  await post(bank, 'k3', { ...bullet('ELI-K3', ankangK, '1000000.00', '2024-03-01', '2025-02-28'), events: [
    { type: 'disbursement', date: '2024-03-01', amount: '1000000.00' },
    { type: 'overdue', date: '2025-03-01', daysOverdue: 1 },
    { type: 'principal_repayment', date: '2025-03-05', amount: '1000000.00' },
    { type: 'settlement', date: '2025-03-05' },
  ] });
  await post(bank, 'k4', { ...bullet('ELI-K4', ankangK, '1000000.00', '2024-07-01', '2025-06-30', '2025-06-30'), collateral: 'combination' });
  await post(bank, 'beijing', bullet('ELI-B1', beijing, '1000000.00', '2024-07-01', '2025-06-30', '2025-06-30'));
});
afterAll(() => service.close());
afterEach(() => fixClock(undefined));

/** The amount of a run line before the enterprise caps: before the first enterprise cap that cut it, else the line's. */
function beforeEnterpriseCaps(line: { amount: string; trace: { adjustments: Array<{ step: string; beforeFen: string }> } }): string {
  const cut = line.trace.adjustments.find((adjustment) => adjustment.step.startsWith('cap_per_enterprise'));
  if (!cut) return line.amount;
  const fen = cut.beforeFen.padStart(3, '0');
  return `${fen.slice(0, -2)}.${fen.slice(-2)}`;
}

describe('an eligible loan: its estimate is the year\'s run line before the enterprise caps', () => {
  it('Yuanzhou 2024: 5,778.75 and 100,000.00 estimated, cut together to the enterprise cap of 100,000.00 by the run', async () => {
    // y1: 2,000,000 × 0.0345 × 0.15 × 201 / 360 = 5,778.75 (f(2025-01-01) − f(2024-06-10) = 729,001 − 728,800 = 201 days)
    // y2: 30,000,000 × 0.0345 × 0.15 × 360 / 360 = 155,250.00, cut to 100,000.00 per loan over its whole window
    //     (no earlier year: the window [2024-01-01, 2025-01-01) lies in 2024)
    // y6 (the other bank's): 1,000,000 × 0.0345 × 0.15 × 300 / 360 = 4,312.50 (f(2025-01-01) − f(2024-03-01) = 300)
    // Together 5,778.75 + 100,000.00 + 4,312.50 = 110,091.25 > 100,000.00: the run cuts 10,091.25 among them.
    const policy = policyOf(await ask(staff, yuanzhouA, 2024), 'yuanzhou-2023');
    expect(policy).toMatchObject({ version: 2, applies: true, estimate: '110091.25', afterLimits: '100000.00' });
    expect(loanOf(policy, 'y1')).toMatchObject({ eligible: true, estimate: '5778.75' });
    expect(missed(loanOf(policy, 'y1').conditions)).toEqual([]);
    expect(loanOf(policy, 'y2')).toMatchObject({ eligible: true, estimate: '100000.00' });
    expect(conditionOf(loanOf(policy, 'y2').conditions, 'cap_per_loan')).toMatchObject({
      kind: 'limit',
      met: false,
      params: { cap: '100000.00', amount: '155250.00', earlier: '0.00', part: '100000.00' },
      toMeet: expect.stringContaining('at most 100000.00 per loan'),
    });
    expect(conditionOf(policy.conditions, 'cap_per_enterprise_year')).toMatchObject({
      kind: 'limit',
      met: false,
      params: expect.objectContaining({ total: '110091.25', cap: '100000.00', cut: '10091.25', loans: 3 }),
      messageZh: '企业 2024 年贴息合计 ¥110,091.25，超过上限 ¥100,000.00，削减 ¥10,091.25，按各笔贷款金额比例分摊',
    });

    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
    expect(run.status).toBe(201);
    for (const name of ['y1', 'y2', 'y6']) {
      const line = run.body.lines.find((candidate: { loanId: string }) => candidate.loanId === loans[name]);
      expect(loanOf(policy, name).estimate).toBe(beforeEnterpriseCaps(line));
      expect(line.eligible).toBe(true);
    }
    const lineTotal = run.body.lines
      .filter((line: { enterpriseUscc: string }) => line.enterpriseUscc === yuanzhouA)
      .reduce((sum: bigint, line: { amount: string }) => sum + BigInt(line.amount.replace('.', '')), 0n);
    expect(lineTotal).toBe(10_000_000n); // the enterprise's lines after the cap: 100,000.00, as afterLimits says
  });

  it('Dongyang 2025: 21,689.58 for a loan settled on time, as the run pays it', async () => {
    // d1: window [2024-07-01, 2025-06-30) ended by maturity; f(2025-06-30) − f(2024-07-01) = 729,180 − 728,821 = 359 days
    // 1,000,000 × 0.0435 × 0.5 × 359 / 360 = 21,689.583… → 21,689.58
    const policy = policyOf(await ask(staff, dongyangD, 2025), 'dongyang-2021');
    expect(policy.applies).toBe(true);
    expect(loanOf(policy, 'd1')).toMatchObject({ eligible: true, estimate: '21689.58' });
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'dongyang-2021', year: 2025 });
    expect(run.status).toBe(201);
    for (const answer of policy.loans) {
      const line = run.body.lines.find((candidate: { loanId: string }) => candidate.loanId === answer.loanId);
      if (!line) {
        // Only the loan not settled yet is no line of the 2025 run: it is listed to say what settling would take.
        expect(answer.loanId).toBe(loans.d2);
        continue;
      }
      expect({ loan: answer.contractNo, eligible: answer.eligible, estimate: answer.estimate }).toEqual({
        loan: answer.contractNo,
        eligible: line.eligible,
        estimate: line.eligible ? beforeEnterpriseCaps(line) : '0.00',
      });
      // A missed condition is the line's reason: the same message and clause.
      expect(line.reasons.map((reason: { message: string; reference: string }) => [reason.message, reason.reference])).toEqual(
        missed(answer.conditions).map((condition) => [condition.message, condition.reference]),
      );
    }
  });
});

describe('each missed condition of each shipped policy says what would meet it', () => {
  it('Yuanzhou: right type, IP part, secured amounts', async () => {
    const policy = policyOf(await ask(staff, yuanzhouA, 2024), 'yuanzhou-2023');
    expect(missed(loanOf(policy, 'y3').conditions)).toEqual([
      expect.objectContaining({
        code: 'right_type_eligible',
        reference: '袁府办字〔2023〕25号 四(三)2 "企业以专利权进行质押贷款的"',
        toMeet: 'a loan pledging a patent: this loan pledges trademark, which the policy does not support',
        toMeetZh: '须以专利权质押：本笔贷款质押的权利类型不在支持范围内',
      }),
    ]);
    expect(missed(loanOf(policy, 'y4').conditions)).toEqual([
      expect.objectContaining({
        code: 'secured_amounts_recorded',
        toMeet: expect.stringMatching(/^record each pledge's securedAmount, the secured claim \(担保债权数额\) its registration states \(missing: patent .+, trademark \d+\)/),
        toMeetZh: expect.stringContaining('请银行登记每项质押的担保债权数额'),
      }),
    ]);
    expect(missed(loanOf(policy, 'y5').conditions)).toEqual([
      expect.objectContaining({ code: 'ip_part_known', params: { principal: '1000000.00' }, toMeet: expect.stringContaining('a combination loan is paid only on the IP-pledged part its contract states') }),
    ]);
    for (const name of ['y3', 'y4', 'y5']) expect(loanOf(policy, name)).toMatchObject({ eligible: false, estimate: '0.00' });
  });

  it('Yuanzhou: an enterprise registered with the city, not the district', async () => {
    const policy = policyOf(await ask(staff, yichunCity, 2024), 'yuanzhou-2023');
    expect(policy.applies).toBe(false);
    expect(missed(policy.conditions)).toEqual([
      expect.objectContaining({
        code: 'in_jurisdiction',
        params: { uscc: yichunCity, divisionCode: '360900', source: 'enterprise_record', covered: '360902' },
        toMeet: 'registered in 360902; this enterprise is registered in 360900: staff can correct its division if it is wrong',
        toMeetZh: '须在 360902 注册；本企业登记的行政区划为 360900：如登记有误，请工作人员更正',
      }),
    ]);
    // Its loan is still explained: every condition of its own met, ineligible by the jurisdiction alone.
    expect(loanOf(policy, 'city')).toMatchObject({ eligible: false, estimate: '0.00' });
    expect(missed(loanOf(policy, 'city').conditions)).toEqual([]);
  });

  it('Dongyang: not settled, repaid late, right type, IP part, secured amounts, the same asset in another year', async () => {
    // Asked on d2's maturity day (2026-01-14 in China), settling is still on time; asked the next day, it no longer is.
    fixClock(new Date('2026-01-14T15:59:00Z'));
    const onMaturity = policyOf(await ask(staff, dongyangD, 2025), 'dongyang-2021');
    expect(missed(loanOf(onMaturity, 'd2').conditions)).toEqual([
      expect.objectContaining({ code: 'settled', params: { maturityDate: '2026-01-14' }, toMeet: 'settle on or before 2026-01-14 with no overdue event', toMeetZh: '须于 2026-01-14 前（含当日）结清，且无逾期' }),
    ]);
    fixClock(new Date('2026-01-14T16:00:00Z'));
    const policy = policyOf(await ask(staff, dongyangD, 2025), 'dongyang-2021');
    fixClock(undefined);
    const only = (name: string) => missed(loanOf(policy, name).conditions);
    expect(only('d2')).toEqual([
      expect.objectContaining({
        code: 'settled',
        met: false,
        params: { maturityDate: '2026-01-14', today: '2026-01-15' },
        toMeet:
          'maturity 2026-01-14 has passed (today is 2026-01-15): a settlement now is after maturity, so this loan can no longer be repaid on time; if it was settled on or before 2026-01-14, the bank records the settlement with the date it took effect',
        toMeetZh: '到期日 2026-01-14 已过（今天是 2026-01-15）：现在结清已晚于到期日，本笔贷款已无法按期还清；如已于 2026-01-14 前（含当日）结清，请银行按实际结清日期补录结清记录',
      }),
    ]);
    expect(only('d3')).toEqual([
      // Settled 2025-03-05, three working days past its maturity 2025-02-28: late by the date alone, and by the event.
      expect.objectContaining({
        code: 'settled_by_maturity',
        params: { settlementDate: '2025-03-05', maturityDate: '2025-02-28' },
        toMeetZh: '2025-03-05 结清，晚于到期日 2025-02-28：须按期还清贷款本息（到期日前结清），本笔贷款已无法满足',
      }),
      expect.objectContaining({
        code: 'no_overdue_event',
        // The run's reason has eventType and date; the answer adds what the remedy names.
        params: { eventType: 'overdue', date: '2025-03-01', maturityDate: '2025-02-28', settlementDate: '2025-03-05' },
        toMeet: 'overdue on 2025-03-01, settled 2025-03-05 after maturity 2025-02-28: on-time repayment is required (settled by maturity with no overdue event), so this loan cannot meet it',
        toMeetZh: '2025-03-01 有逾期记录，2025-03-05 结清，晚于到期日 2025-02-28：须按期还清贷款本息（到期前结清且无逾期），本笔贷款已无法满足',
      }),
    ]);
    expect(only('d4')).toEqual([expect.objectContaining({ code: 'right_type_eligible', toMeet: 'a loan pledging a patent or trademark: this loan pledges copyright, which the policy does not support' })]);
    expect(only('d5')).toEqual([expect.objectContaining({ code: 'secured_amounts_recorded', params: expect.objectContaining({ unsupported: 'copyright', missingCount: 2 }) })]);
    expect(only('d6')).toEqual([expect.objectContaining({ code: 'ip_part_known' })]);
    expect(only('d7')).toEqual([
      expect.objectContaining({
        code: 'asset_not_subsidised_in_another_year',
        params: { numbers: expect.any(String), years: '2024' },
        toMeet: expect.stringMatching(/^none for this loan: .+ was subsidised in 2024, and the same patent or trademark is subsidised in one year only/),
      }),
    ]);
  });

  it('Dongyang: an individual business, an enterprise not in normal operation, an enterprise excluded for the year', async () => {
    const individual = policyOf(await ask(staff, dongyangIndividual, 2025), 'dongyang-2021');
    expect(individual.applies).toBe(false);
    expect(missed(individual.conditions)).toEqual([
      expect.objectContaining({
        code: 'independent_legal_person',
        reference: expect.stringContaining('《关于全面加强知识产权工作的实施意见》 § 20'),
        params: { uscc: dongyangIndividual, usccPrefix: '92' },
        toMeet: expect.stringContaining('an individual business (个体工商户, USCC beginning 92) qualifies once it is registered as a company'),
      }),
    ]);
    expect(loanOf(individual, 'individual')).toMatchObject({ eligible: false, estimate: '0.00' });

    const halted = policyOf(await ask(staff, dongyangHalted, 2025), 'dongyang-2021');
    expect(missed(halted.conditions)).toEqual([
      expect.objectContaining({
        code: 'in_normal_operation',
        params: expect.objectContaining({ from: '2025-02-01', reason: '停产整顿' }),
        toMeet: 'staff recorded that the enterprise is not in normal operation from 2025-02-01 (停产整顿), which overlaps 2025: if the record is wrong, or the period has ended, staff withdraw it (with the reason) and record the period with its last day',
      }),
    ]);
    expect(loanOf(halted, 'halted').eligible).toBe(false);

    const excluded = policyOf(await ask(staff, dongyangExcluded, 2025), 'dongyang-2021');
    expect(missed(excluded.conditions)).toEqual([
      expect.objectContaining({ code: 'not_excluded', params: expect.objectContaining({ year: 2025, reasons: '环保事故调查中' }), toMeet: expect.stringMatching(/^none for 2025/) }),
    ]);
  });

  it('Ankang: no amount until staff set the ratio, rate index and split; not settled, repaid late, IP part', async () => {
    const policy = policyOf(await ask(staff, ankangK, 2025), 'ankang-2024');
    expect(policy).toMatchObject({ applies: true, estimate: null, afterLimits: null });
    expect(missed(policy.conditions)).toEqual([
      expect.objectContaining({ code: 'parameters_set', params: { parameters: 'rateIndex, ratio, fundingSplit' }, toMeet: expect.stringContaining('staff set rateIndex, ratio, fundingSplit') }),
    ]);
    expect(loanOf(policy, 'k1')).toMatchObject({ eligible: true, estimate: null });
    expect(missed(loanOf(policy, 'k2').conditions).map((condition) => condition.code)).toEqual(['settled']);
    expect(missed(loanOf(policy, 'k3').conditions).map((condition) => condition.code)).toEqual(['settled_by_maturity', 'no_overdue_event']);
    expect(missed(loanOf(policy, 'k4').conditions).map((condition) => condition.code)).toEqual(['ip_part_known']);
    expect(conditionOf(loanOf(policy, 'k2').conditions, 'settled').reference).toContain('安政办发〔2024〕13号 第12条');
  });
});

describe('an enterprise outside every jurisdiction', () => {
  it('gets every policy in force, none applying, each saying where it would have to be registered', async () => {
    const answer = await ask(staff, beijing, 2025);
    expect(answer).toMatchObject({ uscc: beijing, name: '北京东城有限公司', divisionCode: '110101', year: 2025 });
    expect(answer.policies.map((policy) => [policy.policyId, policy.applies])).toEqual([
      ['ankang-2024', false],
      ['dongyang-2021', false],
      ['yuanzhou-2023', false],
    ]);
    expect(answer.policies.map((policy) => conditionOf(policy.conditions, 'in_jurisdiction').toMeet)).toEqual([
      'registered in 6109xx; this enterprise is registered in 110101: staff can correct its division if it is wrong',
      'registered in 330783; this enterprise is registered in 110101: staff can correct its division if it is wrong',
      'registered in 360902; this enterprise is registered in 110101: staff can correct its division if it is wrong',
    ]);
    // Its loan (settled on time in 2025, window overlapping 2025) is listed under each, never paid.
    for (const policy of answer.policies) expect(loanOf(policy, 'beijing')).toMatchObject({ eligible: false, estimate: '0.00' });
  });
});

describe('who may ask', () => {
  it('a bank about an enterprise it does not lend to: 404, as if it did not exist; an unknown USCC: 404', async () => {
    const response = await strangerBank.get(`/api/v1/enterprises/${yuanzhouA}/eligibility?year=2024`);
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('enterprise_not_found');
    expect((await staff.get(`/api/v1/enterprises/${uscc('360902', 99)}/eligibility?year=2024`)).status).toBe(404);
  });

  it('a bank about an enterprise it lends to: its own loans only, and no limit on the enterprise as a whole', async () => {
    const policy = policyOf(await ask(otherBank, yuanzhouA, 2024), 'yuanzhou-2023');
    expect(policy.loans.map((loan) => loan.loanId)).toEqual([loans.y6]);
    expect(policy).toMatchObject({ estimate: '4312.50', afterLimits: null });
    expect(policy.conditions.every((condition) => condition.kind === 'eligibility')).toBe(true);
  });

  it('an auditor reads it; a finance bureau may not; a year that is not a year is refused naming the field', async () => {
    expect((await auditor.get(`/api/v1/enterprises/${yuanzhouA}/eligibility?year=2024`)).status).toBe(200);
    expect((await finance.get(`/api/v1/enterprises/${yuanzhouA}/eligibility?year=2024`)).status).toBe(403);
    const bad = await staff.get(`/api/v1/enterprises/${yuanzhouA}/eligibility?year=twenty`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'year' })]);
  });
});
