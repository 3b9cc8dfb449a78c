/**
 * What a run refuses, and says why: Ankang until staff set its ratio and split (then the run
 * records the new version); a rate not in force (422 naming index and date); bad input (422 naming each field,
 * nothing written); approval inside the publicity period (409); staff inputs for unknown loans and enterprises; a run of
 * a year that has not happened; a second run of a policy and year in review, and discarding a draft.
 */
import { rawShippedPoliciesV2 } from '../src/subsidy/policies';
import { startTestService, type AuthorisedAgent, type TestService } from './support/app';
import { postLoan, uscc } from './support/subsidy';

let service: TestService;
let staff: AuthorisedAgent;
let bank: AuthorisedAgent;
const ankangEnterprise = uscc('610902', 11); // Hanbin district of Ankang
const yuanzhouEnterprise = uscc('360902', 12);

const count = async (table: string) => Number((await service.db.pool.query(`select count(*) from ${table}`)).rows[0].count);
/** The shipped version in force (version 2), as JSON staff could send back as a new version. */
const rawPolicy = (id: string) => JSON.parse(JSON.stringify(rawShippedPoliciesV2.find((policy) => policy.id === id)!));

beforeAll(async () => {
  service = await startTestService();
  staff = service.as(service.staffToken);
  bank = service.as((await service.bank()).token);
  for (const code of [ankangEnterprise, yuanzhouEnterprise]) {
    expect((await staff.post('/api/v1/enterprises').send({ uscc: code, name: `企业 ${code}` })).status).toBe(201);
  }
  // A 2,000,000.00 patent loan in Ankang, settled on time on 2025-06-30 (Ankang attributes by settlement).
  await postLoan(bank, {
    contractNo: 'AK-2025-1',
    enterpriseUscc: ankangEnterprise,
    principal: '2000000.00',
    startDate: '2025-01-01',
    maturityDate: '2025-06-30',
    assetSerial: 11,
    events: [
      { type: 'disbursement', date: '2025-01-01', amount: '2000000.00' },
      { type: 'principal_repayment', date: '2025-06-30', amount: '2000000.00' },
      { type: 'settlement', date: '2025-06-30' },
    ],
  });
  // A Yuanzhou loan started 2014-03-01, before the first PBOC_LE1Y fixing in the shipped history (2014-11-22).
  await postLoan(bank, {
    contractNo: 'YZ-2014-1',
    enterpriseUscc: yuanzhouEnterprise,
    principal: '300000.00',
    startDate: '2014-03-01',
    maturityDate: '2015-03-01',
    assetSerial: 12,
    events: [{ type: 'disbursement', date: '2014-03-01', amount: '300000.00' }],
  });
});
afterAll(() => service.close());

describe('Ankang (安政办发〔2024〕13号 第12条 gives no ratio)', () => {
  it('is refused with a clear error until staff add a version with a ratio and a split; the run records that version', async () => {
    const refused = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'ankang-2024', year: 2025 });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('policy_parameter_unset');
    expect(refused.body.detail).toMatch(/ratio/);
    expect(refused.body.parameters).toEqual(expect.arrayContaining(['ratio', 'fundingSplit']));
    expect(await count('subsidy_run')).toBe(0);

    // Versions 1 and 2 are shipped (2 counts days 30E/360); staff's completed version is 3.
    const version3 = rawPolicy('ankang-2024');
    version3.version = 3;
    version3.parameters.ratio.value = '0.5';
    version3.parameters.rateIndex.value = 'LPR1Y';
    version3.parameters.fundingSplit.value = [
      { body: 'city', share: '0.6' },
      { body: 'district', share: '0.4' },
    ];
    const added = await staff.post('/api/v1/policies').send(version3);
    expect(added.status).toBe(201);

    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'ankang-2024', year: 2025 });
    expect(run.status).toBe(201);
    expect(run.body.policy).toEqual({ id: 'ankang-2024', version: 3 });
    // Window [2025-01-01, 2025-06-30) ended by maturity and settlement: f(2025-06-30) − f(2025-01-01)
    // = (729,000 + 150 + 30) − 729,001 = 179 days (30E/360); LPR1Y 0.0310 (in force since 2024-10-21):
    // 200,000,000 × 179 = 35,800,000,000; × 0.0310 = 1,109,800,000; × 0.5 = 554,900,000; ÷ 360 = 1,541,388.88… → 1,541,389 fen
    // city 60 %: 924,833.4, district 40 %: 616,555.6; floors 924,833 + 616,555 = 1,541,388, the last fen to the larger
    // remainder (.6, district) → city 9,248.33, district 6,165.56.
    expect(run.body.lines).toHaveLength(1);
    expect(run.body.lines[0]).toMatchObject({ amount: '15413.89', eligible: true, shares: [{ body: 'city', amount: '9248.33' }, { body: 'district', amount: '6165.56' }] });
    for (const policyVersion of [1, 2]) {
      const pinned = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'ankang-2024', year: 2025, policyVersion });
      expect(pinned.status).toBe(422);
    }
  });
});

describe('refusals that write nothing', () => {
  it('a rate not in force on the fixing date is a 422 naming the index and the date', async () => {
    const policy = rawPolicy('yuanzhou-2023');
    policy.id = 'yuanzhou-benchmark-test';
    policy.version = 1;
    policy.effectiveFrom = '2014-01-01';
    policy.parameters.rateIndex.value = 'PBOC_LE1Y';
    expect((await staff.post('/api/v1/policies').send(policy)).status).toBe(201);
    const before = await count('subsidy_run');
    const response = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-benchmark-test', year: 2014 });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('rate_not_in_force');
    expect(response.body.detail).toMatch(/PBOC_LE1Y/);
    expect(response.body.detail).toMatch(/2014-03-01/);
    expect(await count('subsidy_run')).toBe(before);
  });

  it('bad input is a 422 naming every bad field', async () => {
    const before = [await count('subsidy_run'), await count('subsidy_run_line')];
    const response = await staff
      .post('/api/v1/subsidy-runs')
      .send({ policyId: 'Yuanzhou 2023', year: '2024', budget: [{ body: 'city', amount: '1.234' }], kind: 'special' });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['budget.0.amount', 'kind', 'policyId', 'year']);
    expect(await count('subsidy_run')).toBe(before[0]);
    expect(await count('subsidy_run_line')).toBe(before[1]);
    const unknown = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'no-such-policy', year: 2024 });
    expect(unknown.status).toBe(404);
    const outOfForce = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2020 });
    expect(outOfForce.status).toBe(422);
    expect(outOfForce.body.code).toBe('policy_not_in_force');
    const nothingToAdjust = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024, kind: 'adjustment' });
    expect(nothingToAdjust.status).toBe(409);
  });

  it('staff inputs name the bad field and refuse unknown loans and enterprises', async () => {
    const fee = await staff.post('/api/v1/loans/00000000-0000-4000-8000-000000000000/fees').send({ kind: 'evaluation', amount: '1.00', paidOn: '2024-01-01' });
    expect(fee.status).toBe(404);
    const badFee = await staff.post('/api/v1/loans/00000000-0000-4000-8000-000000000000/fees').send({ kind: 'lunch', amount: '0.00', paidOn: 'yesterday' });
    expect(badFee.status).toBe(422);
    expect(badFee.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['amount', 'kind', 'paidOn']);
    const exclusion = await staff.post(`/api/v1/enterprises/${ankangEnterprise}/exclusions`).send({ year: 2025, reason: '安全生产事故 (《关于全面加强知识产权工作的实施意见》 § 23)' });
    expect(exclusion.status).toBe(201);
    expect(exclusion.body.setBy).toBeTruthy();
    const contribution = await staff.post(`/api/v1/enterprises/${ankangEnterprise}/contributions`).send({ year: 2025, amount: '12000.00' });
    expect(contribution.status).toBe(201);
    expect((await staff.get(`/api/v1/enterprises/${ankangEnterprise}/contributions`)).body.items).toEqual([
      expect.objectContaining({ year: 2025, amount: '12000.00', current: true }),
    ]);
    const byBank = await bank.post(`/api/v1/enterprises/${ankangEnterprise}/exclusions`).send({ year: 2025, reason: 'x' });
    expect(byBank.status).toBe(403);
  });

  it('approval inside the publicity period (default today .. today + 7) is a 409', async () => {
    const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'ankang-2024', year: 2025 });
    expect(run.status).toBe(201);
    expect((await staff.post(`/api/v1/subsidy-runs/${run.body.id}/transitions`).send({ to: 'reviewed' })).status).toBe(200);
    const publicised = await staff.post(`/api/v1/subsidy-runs/${run.body.id}/transitions`).send({ to: 'publicised' });
    expect(publicised.status).toBe(200);
    const from = publicised.body.publicityFrom as string;
    expect(Date.parse(publicised.body.publicityTo) - Date.parse(from)).toBe(7 * 86_400_000);
    const approve = await staff.post(`/api/v1/subsidy-runs/${run.body.id}/transitions`).send({ to: 'approved' });
    expect(approve.status).toBe(409);
    expect(approve.body.detail).toMatch(/publicised until/);
    const { publicityTo } = publicised.body as { publicityTo: string };
    const approvable = new Date(Date.parse(publicityTo) + 86_400_000).toISOString().slice(0, 10);
    expect(approve.body.detailZh).toMatch(new RegExp(`^公示期至 ${publicityTo}（含当日），${approvable} 起方可批准`));
    expect(await count('subsidy_approval_share')).toBe(0);
  });

  it('a run pays days that have happened: no run of a year to come, no review before its year has ended', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const thisYear = Number(today.slice(0, 4));
    const runs = await count('subsidy_run');
    const next = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: thisYear + 1 });
    expect(next.status).toBe(422);
    expect(next.body.errors).toEqual([{ path: 'year', message: `must not be after ${thisYear}, the current year` }]);
    expect(await count('subsidy_run')).toBe(runs);

    // The current year: a draft, a preview, that cannot be reviewed (its amounts frozen) before 1 January next.
    const current = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: thisYear });
    expect(current.status).toBe(201);
    const review = await staff.post(`/api/v1/subsidy-runs/${current.body.id}/transitions`).send({ to: 'reviewed' });
    expect(review.status).toBe(422);
    expect(review.body.errors).toEqual([{ path: 'date', message: `must be on or after ${thisYear + 1}-01-01, when year ${thisYear} has ended` }]);
    expect((await staff.get(`/api/v1/subsidy-runs/${current.body.id}`)).body.status).toBe('draft');

    // A run of last year is reviewed on or after 1 January of this one, backdated or not.
    const last = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: thisYear - 1 });
    expect(last.status).toBe(201);
    const early = await staff.post(`/api/v1/subsidy-runs/${last.body.id}/transitions`).send({ to: 'reviewed', date: `${thisYear - 1}-12-31` });
    expect(early.status).toBe(422);
    expect(early.body.errors[0].path).toBe('date');
    const onTime = await staff.post(`/api/v1/subsidy-runs/${last.body.id}/transitions`).send({ to: 'reviewed', date: `${thisYear}-01-01` });
    expect(onTime.status).toBe(200);
    expect(onTime.body.reviewedOn).toBe(`${thisYear}-01-01`);

    // One run of a policy and year is reviewed at a time: another draft of that year waits, and can be discarded.
    await postLoan(bank, {
      contractNo: `YZ-${thisYear - 1}-1`,
      enterpriseUscc: yuanzhouEnterprise,
      principal: '100000.00',
      startDate: `${thisYear - 1}-03-01`,
      maturityDate: `${thisYear}-02-28`,
      assetSerial: 13,
      events: [{ type: 'disbursement', date: `${thisYear - 1}-03-01`, amount: '100000.00' }],
    });
    const second = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: thisYear - 1 });
    expect(second.status).toBe(201);
    const twice = await staff.post(`/api/v1/subsidy-runs/${second.body.id}/transitions`).send({ to: 'reviewed' });
    expect(twice.status).toBe(409);
    expect(twice.body.otherRunId).toBe(last.body.id);
    expect(twice.body.detailZh).toMatch(/^同一政策同一年度已有批次 \S{8}（已复核），一次只能有一个批次进入复核；本草稿可删除$/);
    const lines = await count(`subsidy_run_line where run_id = '${second.body.id}'`);
    expect(lines).toBeGreaterThan(0);
    const discarded = await staff.delete(`/api/v1/subsidy-runs/${second.body.id}`);
    expect(discarded.status).toBe(200);
    expect(discarded.body).toEqual({ id: second.body.id, discarded: true });
    expect((await staff.get(`/api/v1/subsidy-runs/${second.body.id}`)).status).toBe(404);
    expect(await count(`subsidy_run_line where run_id = '${second.body.id}'`)).toBe(0);
    expect(await count(`audit_log where action = 'subsidy_run.discarded' and detail->>'runId' = '${second.body.id}'`)).toBe(1);
    // A reviewed run is never discarded, and the bank may not discard anything.
    const kept = await staff.delete(`/api/v1/subsidy-runs/${last.body.id}`);
    expect(kept.status).toBe(409);
    expect(kept.body.detailZh).toBe('该批次已复核，只有草稿可以删除');
    expect((await bank.delete(`/api/v1/subsidy-runs/${current.body.id}`)).status).toBe(403);

    // Two drafts of one year reviewed at the same moment: one is reviewed, the other refused, neither fails.
    const drafts = await Promise.all([1, 2].map(() => staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: thisYear - 2 })));
    expect(drafts.map((draft) => draft.status)).toEqual([201, 201]);
    const reviews = await Promise.all(drafts.map((draft) => staff.post(`/api/v1/subsidy-runs/${draft.body.id as string}/transitions`).send({ to: 'reviewed' })));
    expect(reviews.map((review) => review.status).sort()).toEqual([200, 409]);
  });
});
