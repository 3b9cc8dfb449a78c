/**
 * What staff keep in an enterprise's file (一企一档) besides its loans: the registered name corrected with a reason
 * (recorded, audited, refused by PostgreSQL without its record), and an exclusion (《关于全面加强知识产权工作的实施意见》
 * § 23) withdrawn dated with a reason, once, after which it no longer counts.
 */
import { startTestService, type TestService } from './support/app';
import { uscc } from './support/subsidy';
import { BOOTSTRAP_NAME } from '../src/principals';

let service: TestService;
const YUANZHOU = uscc('360902', 1301);
const DONGYANG = uscc('330783', 1302);
const audits = async (action: string) =>
  (await service.db.pool.query<{ detail: Record<string, unknown> }>(`select detail from audit_log where action = $1 order by id`, [action])).rows.map(
    (row) => row.detail,
  );

beforeAll(async () => {
  service = await startTestService();
  const staff = service.as(service.staffToken);
  expect((await staff.post('/api/v1/enterprises').send({ uscc: YUANZHOU, name: '宜春市袁州区旧名科技有限公司' })).status).toBe(201);
  expect((await staff.post('/api/v1/enterprises').send({ uscc: DONGYANG, name: '东阳市示例木雕有限公司' })).status).toBe(201);
});
afterAll(() => service.close());

describe('name corrections', () => {
  const path = `/api/v1/enterprises/${YUANZHOU}/name-corrections`;

  it('refuses an empty reason, an empty or too long name, the same name, and a bank (403)', async () => {
    const staff = service.as(service.staffToken);
    expect((await staff.post(path).send({ name: '新名', reason: ' ' })).body.errors).toEqual([{ path: 'reason', message: 'must be 1–500 characters' }]);
    expect((await staff.post(path).send({ name: '', reason: '更名' })).body.errors).toEqual([{ path: 'name', message: 'must be 1–200 characters' }]);
    // 201 characters: one over the limit of 200.
    expect((await staff.post(path).send({ name: '名'.repeat(201), reason: '更名' })).body.errors[0].path).toBe('name');
    expect((await staff.post(path).send({ name: '宜春市袁州区旧名科技有限公司', reason: '更名' })).body.errors[0].path).toBe('name');
    const bank = await service.bank();
    expect((await service.as(bank.token).post(path).send({ name: '新名', reason: '更名' })).status).toBe(403);
    expect((await staff.get(path)).body.items).toEqual([]);
  });

  it('records the correction (from, to, reason, who), changes the name and audits it', async () => {
    const staff = service.as(service.staffToken);
    const reason = '2025年经市场监督管理局核准更名';
    const corrected = await staff.post(path).send({ name: ' 宜春市袁州区新名科技有限公司 ', reason });
    expect(corrected.status).toBe(201);
    expect(corrected.body.enterprise).toMatchObject({ uscc: YUANZHOU, name: '宜春市袁州区新名科技有限公司' });
    expect(corrected.body.correction).toMatchObject({ from: '宜春市袁州区旧名科技有限公司', to: '宜春市袁州区新名科技有限公司', reason, changedByName: BOOTSTRAP_NAME });
    expect((await staff.get(`/api/v1/enterprises/${YUANZHOU}`)).body.name).toBe('宜春市袁州区新名科技有限公司');
    expect(await audits('enterprise.name_corrected')).toEqual([
      { uscc: YUANZHOU, correctionId: corrected.body.correction.id, from: '宜春市袁州区旧名科技有限公司', to: '宜春市袁州区新名科技有限公司', reason },
    ]);
    expect((await staff.get(path)).body.items).toHaveLength(1);
  });

  it('PostgreSQL refuses a name changed without its record, and the record changed or deleted, to the serving role', async () => {
    const raw = await service.db.rawClient('app');
    try {
      await expect(raw.query(`update enterprise set name = '偷改的名字' where uscc = $1`, [YUANZHOU])).rejects.toMatchObject({ code: 'LN005' });
      await expect(raw.query(`delete from enterprise_name_change`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await raw.end();
    }
  });
});

describe('exclusion withdrawal', () => {
  it('an exclusion withdrawn no longer makes the enterprise miss not_excluded; it stays on record, withdrawn once', async () => {
    const staff = service.as(service.staffToken);
    const notExcluded = async () => {
      const answer = await staff.get(`/api/v1/enterprises/${DONGYANG}/eligibility?year=2024`);
      expect(answer.status).toBe(200);
      const dongyang = answer.body.policies.find((p: { policyId: string }) => p.policyId === 'dongyang-2021');
      return dongyang.conditions.find((c: { code: string }) => c.code === 'not_excluded').met as boolean;
    };
    expect(await notExcluded()).toBe(true);
    const set = await staff.post(`/api/v1/enterprises/${DONGYANG}/exclusions`).send({ year: 2024, reason: '发生较大安全生产事故' });
    expect(set.status).toBe(201);
    expect(set.body.withdrawal).toBeNull();
    expect(await notExcluded()).toBe(false);

    const withdrawal = `/api/v1/enterprises/${DONGYANG}/exclusions/${set.body.id}/withdrawal`;
    expect((await staff.post(withdrawal).send({ reason: '' })).body.errors[0].path).toBe('reason');
    expect((await staff.post(withdrawal).send({ date: '2099-01-01', reason: '误列' })).body.errors[0].path).toBe('date');
    // Before the day the flag was set (it was set today): refused naming date.
    expect((await staff.post(withdrawal).send({ date: '2024-01-01', reason: '误列' })).body.errors[0].path).toBe('date');
    const withdrawn = await staff.post(withdrawal).send({ reason: '经核实事故责任不在本企业，误列' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawal).toMatchObject({ reason: '经核实事故责任不在本企业，误列' });
    expect((await staff.post(withdrawal).send({ reason: '再次' })).status).toBe(409);
    expect(await notExcluded()).toBe(true);
    const listed = await staff.get(`/api/v1/enterprises/${DONGYANG}/exclusions`);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].withdrawal).not.toBeNull();
    expect(await audits('subsidy.exclusion_withdrawn')).toHaveLength(1);
    // Flagged again for the same year (a new ground): it counts again.
    expect((await staff.post(`/api/v1/enterprises/${DONGYANG}/exclusions`).send({ year: 2024, reason: '劳资纠纷群体性事件' })).status).toBe(201);
    expect(await notExcluded()).toBe(false);

    const raw = await service.db.rawClient('app');
    try {
      await expect(raw.query(`update subsidy_exclusion set reason = 'x'`)).rejects.toMatchObject({ code: 'LG002' });
      // The serving role may not delete at all (42501); the trigger refuses it to the owner as well.
      await expect(raw.query(`delete from subsidy_exclusion`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await raw.end();
    }
  });
});
