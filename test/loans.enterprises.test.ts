/**
 * Enterprises keyed by USCC (docs/api.md `POST /api/v1/enterprises`). Check characters of the codes used here
 * are worked out by hand in src/loans/identifiers.test.ts.
 */
import { startTestService, type TestService } from './support/app';
import { count, USCC } from './loans.support';
import { BOOTSTRAP_NAME } from '../src/principals';

let service: TestService;
let bank: { token: string };
beforeAll(async () => {
  service = await startTestService();
  bank = await service.bank();
});
afterAll(() => service.close());

describe('registering an enterprise', () => {
  it('a bank registers the Yuanzhou enterprise 91360902MA36R7KCX7; its division defaults to characters 3–8, 360902', async () => {
    const response = await service.as(bank.token).post('/api/v1/enterprises').send({ uscc: USCC.yuanzhou, name: '袁州科技有限公司' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ uscc: USCC.yuanzhou, name: '袁州科技有限公司', divisionCode: '360902', checkOverride: null });
  });

  it('a code typed in lower case is stored upper case, and staff may record another division, with a reason', async () => {
    const response = await service
      .as(service.staffToken)
      .post('/api/v1/enterprises')
      .send({ uscc: ` ${USCC.dongyang.toLowerCase()} `, name: '东阳个体户', divisionCode: '330700', divisionReason: '经营场所已迁至金华市本级，以迁入地登记为准' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ uscc: USCC.dongyang, divisionCode: '330700', divisionReason: '经营场所已迁至金华市本级，以迁入地登记为准' });
  });

  it('the same code twice is a 409 naming uscc', async () => {
    const response = await service.as(bank.token).post('/api/v1/enterprises').send({ uscc: USCC.yuanzhou, name: 'again' });
    expect(response.status).toBe(409);
    expect(response.body.errors).toEqual([{ path: 'uscc', message: 'already registered' }]);
  });

  it.each([
    // 91360902MA36R7KCX7 with its last character changed: the check character must be '7' (hand-worked: sum 3062).
    ['91360902MA36R7KCX8', 'check_character', "check_character: check character is '8', expected '7' (character 18, GB 32100-2015)"],
    ['91360902MA36R7KCX', 'length', 'length: a USCC has 18 characters, this has 17'],
    ['91360902MA36R7KCI7', 'alphabet', undefined],
    // Character 17 is the organisation code's check character: 'X' for MA36R7KC; '9' is wrong.
    ['91360902MA36R7KC97', 'organisation_code_check', undefined],
    ['94360902MA36R7KCX7', 'organisation_category', undefined],
    ['91990902MA36R7KCX7', 'division_code', undefined],
  ])('%s is refused with 422 naming uscc and the rule %s, and nothing is written', async (uscc, rule, message) => {
    const before = await count(service, 'enterprise');
    const response = await service.as(bank.token).post('/api/v1/enterprises').send({ uscc, name: 'x' });
    expect(response.status).toBe(422);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].path).toBe('uscc');
    expect(response.body.errors[0].message.startsWith(`${rule}: `)).toBe(true);
    if (message) expect(response.body.errors[0].message).toBe(message);
    expect(await count(service, 'enterprise')).toBe(before);
  });

  it('a bad name and a bad division code are named too', async () => {
    const response = await service.as(bank.token).post('/api/v1/enterprises').send({ uscc: USCC.ankang, name: ' ', divisionCode: '6109' });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['divisionCode', 'name']);
  });
});

describe('the staff override for legal pilot codes', () => {
  it('the pilot code 91350100M0001TGQXM fails the check character (expected 1, has M)', async () => {
    const response = await service.as(service.staffToken).post('/api/v1/enterprises').send({ uscc: USCC.pilot, name: '试点企业' });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      { path: 'uscc', message: "check_character: check character is 'M', expected '1' (character 18, GB 32100-2015)" },
    ]);
  });

  it('a bank may not override: 403, nothing written', async () => {
    const before = await count(service, 'enterprise');
    const response = await service
      .as(bank.token)
      .post('/api/v1/enterprises')
      .send({ uscc: USCC.pilot, name: '试点企业', checkOverride: { reason: 'the bank says so' } });
    expect(response.status).toBe(403);
    expect(await count(service, 'enterprise')).toBe(before);
  });

  it('staff register it with a reason; the override (reason, who, when, rule) is stored and audited', async () => {
    const response = await service
      .as(service.staffToken)
      .post('/api/v1/enterprises')
      .send({ uscc: USCC.pilot, name: '试点企业', checkOverride: { reason: '2015 福州试点赋码，营业执照原件已核验' } });
    expect(response.status).toBe(201);
    expect(response.body.divisionCode).toBe('350100');
    expect(response.body.checkOverride).toMatchObject({ reason: '2015 福州试点赋码，营业执照原件已核验', rule: 'check_character' });
    expect(response.body.checkOverride.by).toContain(BOOTSTRAP_NAME);
    const audit = await service.db.pool.query(`select detail from audit_log where action = 'enterprise.uscc_check_overridden'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].detail).toMatchObject({ uscc: USCC.pilot, rule: 'check_character' });
  });

  it('an override sets aside only the check characters: a code of the wrong length is still refused', async () => {
    const response = await service
      .as(service.staffToken)
      .post('/api/v1/enterprises')
      .send({ uscc: '91350100M0001TGQX', name: 'x', checkOverride: { reason: 'pilot' } });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('uscc');
    expect(response.body.errors[0].message).toMatch(/^length: /);
  });

  it('an override on a code that passes the check is refused naming checkOverride', async () => {
    const response = await service
      .as(service.staffToken)
      .post('/api/v1/enterprises')
      .send({ uscc: USCC.fuzhou, name: 'x', checkOverride: { reason: 'not needed' } });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ path: 'checkOverride', message: 'this USCC passes the check: there is nothing to override' }]);
  });

  it('PostgreSQL refuses a failing code without an override from a raw SQL session too', async () => {
    const raw = await service.db.rawClient();
    await expect(raw.query(`insert into enterprise (uscc, name, division_code) values ('91360902MA36R7KCX8', 'x', '360902')`)).rejects.toMatchObject({
      constraint: 'enterprise_uscc_checked',
    });
    // …and accepts the valid one (its check character computed by the database's own function).
    await raw.query(`select uscc_check_character_ok('93610902MA6Y001050') as ok`).then((r) => expect(r.rows[0].ok).toBe(true));
  });
});

describe('reading enterprises', () => {
  it('GET one by USCC, 404 for an unknown one', async () => {
    const found = await service.as(bank.token).get(`/api/v1/enterprises/${USCC.yuanzhou}`);
    expect(found.status).toBe(200);
    expect(found.body.name).toBe('袁州科技有限公司');
    const missing = await service.as(bank.token).get(`/api/v1/enterprises/${USCC.ankang}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('enterprise_not_found');
  });

  it('lists by USCC a page at a time, filtered by division', async () => {
    const staff = service.as(service.staffToken);
    const first = await staff.get('/api/v1/enterprises?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: { uscc: string }) => e.uscc)).toEqual([USCC.pilot, USCC.yuanzhou]);
    const second = await staff.get(`/api/v1/enterprises?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((e: { uscc: string }) => e.uscc)).toEqual([USCC.dongyang]);
    const byDivision = await staff.get('/api/v1/enterprises?divisionCode=360902');
    expect(byDivision.body.items.map((e: { uscc: string }) => e.uscc)).toEqual([USCC.yuanzhou]);
  });
});
