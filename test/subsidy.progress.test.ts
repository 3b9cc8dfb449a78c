/**
 * A yearly run's progress while it computes: POST /api/v1/subsidy-runs with a progressId leaves a row per stage
 * (outside the run's transaction, so readable while it runs), read at GET /api/v1/subsidy-run-progress/{id}; a refused
 * run ends `failed`; a retry under the same id starts again; another user's id is refused.
 */
import { randomUUID } from 'node:crypto';
import { recordProgress } from '../src/subsidy/runs/progress';
import { startTestService, type AuthorisedAgent, type TestService } from './support/app';
import { postLoan, uscc } from './support/subsidy';

let service: TestService;
let staff: AuthorisedAgent;
const yuanzhouEnterprise = uscc('360902', 31);

beforeAll(async () => {
  service = await startTestService();
  staff = service.as(service.staffToken);
  const bank = service.as((await service.bank()).token);
  expect((await staff.post('/api/v1/enterprises').send({ uscc: yuanzhouEnterprise, name: '袁州进度测试企业' })).status).toBe(201);
  await postLoan(bank, {
    contractNo: 'YZ-PROGRESS-1',
    enterpriseUscc: yuanzhouEnterprise,
    principal: '1000000.00',
    startDate: '2024-03-15',
    maturityDate: '2025-03-15',
    assetSerial: 31,
    events: [{ type: 'disbursement', date: '2024-03-15', amount: '1000000.00' }],
  });
});
afterAll(() => service.close());

it('a run reports each stage with its percentage, in order, and ends reading the run back', async () => {
  const progressId = randomUUID();
  const created = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024, progressId });
  expect(created.status).toBe(201);
  const progress = await staff.get(`/api/v1/subsidy-run-progress/${progressId}`);
  expect(progress.status).toBe(200);
  // One line: storing is one chunk, reported at its start (57 %); the stages start where the time goes (progress.ts).
  expect(progress.body.stages.map((row: { stage: string; percent: number }) => [row.stage, row.percent])).toEqual([
    ['started', 0],
    ['loading', 1],
    ['computing', 40],
    ['storing', 57],
    ['reading', 95],
  ]);
  expect(progress.body).toMatchObject({ progressId, stage: 'reading', percent: 95, detail: null });

  // The id is its user's: another principal may not write under it.
  const other = await service.principal('staff', { name: '另一位工作人员' });
  const taken = await service.as(other.token).post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024, progressId });
  expect(taken.status).toBe(409);
  expect(taken.body.errors).toEqual([{ path: 'progressId', message: 'used by another user: make a new one for each computation' }]);
});

it('a retry of the same request with the same id starts again from the beginning; the poll reads the latest attempt', async () => {
  const progressId = randomUUID();
  expect((await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2013, progressId })).status).toBe(422);
  expect((await staff.get(`/api/v1/subsidy-run-progress/${progressId}`)).body.stage).toBe('failed');
  expect((await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024, progressId })).status).toBe(201);
  const progress = await staff.get(`/api/v1/subsidy-run-progress/${progressId}`);
  expect(progress.body.stages.map((row: { stage: string }) => row.stage)).toEqual(['started', 'loading', 'computing', 'storing', 'reading']);
});

it('a refused run ends failed, saying why; the run itself is not written', async () => {
  const progressId = randomUUID();
  // 2013: before the first fixing of the shipped rate history, or outside the policy: refused either way.
  const refused = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2013, progressId });
  expect(refused.status).toBe(422);
  const progress = await staff.get(`/api/v1/subsidy-run-progress/${progressId}`);
  expect(progress.body).toMatchObject({ stage: 'failed', percent: 100, detail: refused.body.detail });
  expect(Number((await service.db.pool.query(`select count(*) from subsidy_run where year = 2013`)).rows[0].count)).toBe(0);
});

it('the lines being stored are reported as they go, between 57 % and 95 %, at most every half second', async () => {
  const progressId = randomUUID();
  const progress = await recordProgress(service.db.pool, progressId, (await service.principal('staff')).id, () => undefined);
  await progress.stage('storing');
  // Half-way through storing, from 57 to 95: 57 + 38 × 0.5 = 76; a second report within half a second is skipped.
  await new Promise((resolve) => setTimeout(resolve, 550));
  await progress.stage('storing', 0.5);
  await progress.stage('storing', 0.6);
  const view = await staff.get(`/api/v1/subsidy-run-progress/${progressId}`);
  expect(view.body.percent).toBe(76);
  expect((await staff.get(`/api/v1/subsidy-run-progress/${randomUUID()}`)).status).toBe(404);
  const auditor = await service.principal('auditor');
  expect((await service.as(auditor.token).get(`/api/v1/subsidy-run-progress/${progressId}`)).status).toBe(403);
});
