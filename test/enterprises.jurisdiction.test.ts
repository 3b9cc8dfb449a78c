/**
 * A bank does not decide an enterprise's jurisdiction, and does not see other banks' borrowers (README "Security",
 * "Enterprises and jurisdiction"; src/loans/enterprises.ts).
 */
import { daysFromToday, loanBody, USCC } from './loans.support';
import { startTestService, type TestService } from './support/app';
import { BOOTSTRAP_NAME } from '../src/principals';

/**
 * A Beijing (Chaoyang, 110105) code, check characters worked by hand:
 * - organisation code MA01H7K2 (GB 11714, weights 3 7 9 10 5 8 4 2; M=22 A=10 H=17 K=20):
 *   22·3 + 10·7 + 0·9 + 1·10 + 17·5 + 7·8 + 20·4 + 2·2 = 371; 371 mod 11 = 8; 11 − 8 = 3 → '3';
 * - character 18 (GB 32100, weights 3^(i−1) mod 31; M=21 A=10 H=17 K=19 in its alphabet): the 17 products
 *   9 3 9 27 0 26 0 85 420 290 0 13 136 168 190 60 84 sum to 1520; 1520 mod 31 = 1; 31 − 1 = 30 → 'Y'.
 */
const BEIJING = '91110105MA01H7K23Y';

let service: TestService;
let bankA: { bankId: string; token: string };
let bankB: { bankId: string; token: string };
const audits = async (action: string) =>
  (await service.db.pool.query<{ detail: Record<string, unknown> }>(`select detail from audit_log where action = $1 order by id`, [action])).rows.map(
    (row) => row.detail,
  );

beforeAll(async () => {
  service = await startTestService();
  bankA = await service.bank();
  bankB = await service.bank();
});
afterAll(() => service.close());

describe('who sets the division', () => {
  it('a bank registering the Beijing USCC as Yuanzhou (divisionCode 360902) is refused with 422 naming divisionCode, and nothing is written', async () => {
    const response = await service.as(bankA.token).post('/api/v1/enterprises').send({ uscc: BEIJING, name: '北京某科技有限公司', divisionCode: '360902' });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      {
        path: 'divisionCode',
        message: 'must be 110105, characters 3–8 of the USCC (the division where it is registered): only staff record another division, with a reason',
      },
    ]);
    expect((await service.db.pool.query(`select 1 from enterprise where uscc = $1`, [BEIJING])).rowCount).toBe(0);
  });

  it('a bank may send the USCC’s own division: 201, 110105, no reason', async () => {
    const response = await service.as(bankA.token).post('/api/v1/enterprises').send({ uscc: BEIJING, name: '北京某科技有限公司', divisionCode: '110105' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ uscc: BEIJING, divisionCode: '110105', divisionReason: null });
  });

  it('staff recording another division must say why (422 naming divisionReason); with a reason it is stored and audited', async () => {
    const staff = service.as(service.staffToken);
    const missing = await staff.post('/api/v1/enterprises').send({ uscc: USCC.ankang, name: '安康企业', divisionCode: '610900' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['divisionReason']);

    const reason = '总部登记在汉滨区，实际经营与纳税均在安康市本级，经市局核实';
    const response = await staff.post('/api/v1/enterprises').send({ uscc: USCC.ankang, name: '安康企业', divisionCode: '610900', divisionReason: reason });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ divisionCode: '610900', divisionReason: reason });
    expect(await audits('enterprise.division_set')).toEqual([{ uscc: USCC.ankang, usccDivision: '610902', divisionCode: '610900', reason }]);
  });

  it('staff correct a division later with a reason: recorded and audited with the old and new codes', async () => {
    const staff = service.as(service.staffToken);
    const path = `/api/v1/enterprises/${BEIJING}/division-corrections`;
    expect((await staff.post(path).send({ divisionCode: '360902', reason: ' ' })).body.errors).toEqual([{ path: 'reason', message: 'must be 1–500 characters' }]);
    expect((await staff.post(path).send({ divisionCode: '110105', reason: 'no change' })).body.errors[0].path).toBe('divisionCode');
    expect((await service.as(bankA.token).post(path).send({ divisionCode: '360902', reason: 'bank' })).status).toBe(403);

    const reason = '2024年迁入袁州区，已换发营业执照（统一社会信用代码不变）';
    const corrected = await staff.post(path).send({ divisionCode: '360902', reason });
    expect(corrected.status).toBe(201);
    expect(corrected.body.enterprise).toMatchObject({ uscc: BEIJING, divisionCode: '360902', divisionReason: reason });
    expect(corrected.body.correction).toMatchObject({ from: '110105', to: '360902', reason, changedByName: BOOTSTRAP_NAME });
    expect(await audits('enterprise.division_corrected')).toEqual([
      { uscc: BEIJING, correctionId: corrected.body.correction.id, from: '110105', to: '360902', reason },
    ]);

    // Back to the USCC's own division: the reason for a different one no longer applies.
    const back = await staff.post(path).send({ divisionCode: '110105', reason: '迁入登记有误，恢复原属地' });
    expect(back.body.enterprise).toMatchObject({ divisionCode: '110105', divisionReason: null });
    const history = await staff.get(path);
    expect(history.body.items.map((c: { from: string; to: string }) => [c.from, c.to])).toEqual([
      ['110105', '360902'],
      ['360902', '110105'],
    ]);
  });

  it('PostgreSQL refuses a division changed without its record, even to the serving role’s raw SQL session', async () => {
    const raw = await service.db.rawClient('app');
    await expect(raw.query(`update enterprise set division_code = '360902' where uscc = $1`, [BEIJING])).rejects.toMatchObject({ code: 'LN005' });
    await expect(raw.query(`delete from enterprise_division_change`)).rejects.toMatchObject({ code: '42501' });
    // A different division without a reason is refused by the table itself.
    await expect(
      raw.query(`insert into enterprise (uscc, name, division_code) values ($1, 'x', '360902')`, [USCC.dongyang]),
    ).rejects.toMatchObject({ constraint: 'enterprise_division_reasoned' });
  });
});

describe('what a bank sees', () => {
  beforeAll(async () => {
    const staff = service.as(service.staffToken);
    // Staff register Yuanzhou and Dongyang; bank A lends to Yuanzhou, bank B to Dongyang; Fuzhou is on the white-list.
    for (const [uscc, name] of [
      [USCC.yuanzhou, '袁州科技有限公司'],
      [USCC.dongyang, '东阳木雕厂'],
      [USCC.fuzhou, '福州专利企业'],
    ]) {
      expect((await staff.post('/api/v1/enterprises').send({ uscc, name })).status).toBe(201);
    }
    expect((await service.as(bankA.token).post('/api/v1/loans').send(loanBody({ enterpriseUscc: USCC.yuanzhou }))).status).toBe(201);
    expect((await service.as(bankB.token).post('/api/v1/loans').send(loanBody({ enterpriseUscc: USCC.dongyang }))).status).toBe(201);
    const listed = await staff
      .post('/api/v1/whitelist')
      .send({ enterpriseUscc: USCC.fuzhou, reason: '高价值发明专利3件', validFrom: daysFromToday(-30), validTo: daysFromToday(300) });
    expect(listed.status).toBe(201);
  });

  const listed = async (token: string) =>
    ((await service.as(token).get('/api/v1/enterprises?limit=100')).body.items as Array<{ uscc: string }>).map((e) => e.uscc);

  it('a bank lists the enterprises it lends to, the white-list in force and those it registered — not another bank’s borrower', async () => {
    // Bank A: Yuanzhou (its loan), Fuzhou (white-list), Beijing (registered by it); not Dongyang (bank B's), not
    // Ankang (staff registered it, nobody lends to it).
    expect(await listed(bankA.token)).toEqual([USCC.fuzhou, BEIJING, USCC.yuanzhou].sort());
    expect(await listed(bankB.token)).toEqual([USCC.fuzhou, USCC.dongyang].sort());
    expect(await listed(service.staffToken)).toEqual([USCC.fuzhou, BEIJING, USCC.dongyang, USCC.yuanzhou, USCC.ankang].sort());
  });

  it('a bank reading another bank’s borrower gets 404, as for an enterprise that does not exist', async () => {
    const other = await service.as(bankA.token).get(`/api/v1/enterprises/${USCC.dongyang}`);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('enterprise_not_found');
    expect((await service.as(bankA.token).get(`/api/v1/enterprises/${USCC.ankang}`)).status).toBe(404);
    expect((await service.as(bankA.token).get(`/api/v1/enterprises/${USCC.fuzhou}`)).status).toBe(200);
    expect((await service.as(bankB.token).get(`/api/v1/enterprises/${USCC.dongyang}`)).status).toBe(200);
    const auditor = await service.principal('auditor');
    expect((await service.as(auditor.token).get(`/api/v1/enterprises/${USCC.dongyang}`)).status).toBe(200);
  });
});
