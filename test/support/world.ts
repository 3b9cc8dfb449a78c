/**
 * A seeded world for the browser tests: every page of the console has something real to show, all of it entered
 * through the API as its users would. Every name is Chinese, as a clerk would type it.
 *
 * - a partner bank 袁州农村商业银行 (code YZRCB) with its system user; finance users of the city and the district
 *   bureaus; an auditor;
 * - two Yuanzhou enterprises;
 * - loan YZ-2024-001: 1,000,000.00 from 2024-03-15 to 2026-03-15, pure patent pledge, disbursed — an eligible line of
 *   the 2024 run;
 * - loan YZ-2023-009: 500,000.00 from 2023-01-10 to 2024-01-10, disbursed and never settled — past maturity with
 *   principal outstanding (已到期未结清), and an ineligible line (not settled);
 * - loan YZ-2024-017: 2,000,000.00 from 2024-02-01, overdue 2025-01-01 and in default 2025-02-01, enrolled in the
 *   risk-compensation fund 园州风险补偿资金 (YZ, 5,000,000.00 from the city), with the bank's claim on it;
 * - the 2024 Yuanzhou run, computed and reviewed by staff.
 */
import { ok } from '../fund.support';
import { PATENT, USCC } from '../loans.support';
import type { TestService } from './app';
import { createPrincipal } from '../../src/principals';

export const WORLD = {
  bank: { code: 'YZRCB', name: '袁州农村商业银行' },
  enterprises: [
    { uscc: USCC.yuanzhou, name: '宜春市袁州区星火专利科技有限公司' },
    { uscc: USCC.fuzhou, name: '袁州区明月山新材料有限公司' },
  ],
  loans: {
    eligible: 'YZ-2024-001',
    matured: 'YZ-2023-009',
    defaulted: 'YZ-2024-017',
  },
  fund: { code: 'YZ', name: '园州风险补偿资金' },
} as const;

export interface World {
  tokens: { staff: string; bank: string; financeCity: string; financeDistrict: string; auditor: string };
  bankId: string;
  loanIds: { eligible: string; matured: string; defaulted: string };
  fundId: string;
  runId: string;
}

export async function seedWorld(service: TestService): Promise<World> {
  const staffToken = (await createPrincipal(service.db.pool, { name: '园州服务中心经办人', role: 'staff' }, null)).token;
  const staff = service.as(staffToken);
  const bankRow = ok(await staff.post('/api/v1/banks').send(WORLD.bank), 201).body as { id: string };
  const pool = service.db.pool;
  const principal = async (input: { name: string; role: 'bank' | 'finance' | 'auditor'; bankId?: string; body?: string }) =>
    (await createPrincipal(pool, input, null)).token;
  const tokens = {
    staff: staffToken,
    bank: await principal({ name: '袁州农商行信贷系统', role: 'bank', bankId: bankRow.id }),
    financeCity: await principal({ name: '宜春市财政局经办人', role: 'finance', body: 'city' }),
    financeDistrict: await principal({ name: '袁州区财政局经办人', role: 'finance', body: 'district' }),
    auditor: await principal({ name: '袁州区审计局', role: 'auditor' }),
  };
  for (const enterprise of WORLD.enterprises) ok(await staff.post('/api/v1/enterprises').send(enterprise), 201);

  const bank = service.as(tokens.bank);
  const newLoan = async (contractNo: string, body: Record<string, unknown>) =>
    (
      ok(
        await bank.post('/api/v1/loans').send({
          contractNo,
          enterpriseUscc: USCC.yuanzhou,
          annualRate: '0.0435',
          collateral: 'ip_only',
          ...body,
        }),
        201,
      ).body as { id: string }
    ).id;
  const event = async (loanId: string, body: Record<string, unknown>) => ok(await bank.post(`/api/v1/loans/${loanId}/events`).send(body), 201);

  const eligible = await newLoan(WORLD.loans.eligible, {
    principal: '1000000.00',
    startDate: '2024-03-15',
    maturityDate: '2026-03-15',
    pledges: [{ rightType: 'patent', number: PATENT.invention }],
  });
  await event(eligible, { type: 'disbursement', date: '2024-03-15', amount: '1000000.00' });

  const matured = await newLoan(WORLD.loans.matured, {
    principal: '500000.00',
    startDate: '2023-01-10',
    maturityDate: '2024-01-10',
    pledges: [{ rightType: 'patent', number: PATENT.utility }],
  });
  await event(matured, { type: 'disbursement', date: '2023-01-10', amount: '500000.00' });

  const defaulted = await newLoan(WORLD.loans.defaulted, {
    principal: '2000000.00',
    startDate: '2024-02-01',
    maturityDate: '2026-02-01',
    pledges: [{ rightType: 'patent', number: PATENT.old }],
  });
  await event(defaulted, { type: 'disbursement', date: '2024-02-01', amount: '2000000.00' });
  await event(defaulted, { type: 'overdue', date: '2025-01-01' });
  await event(defaulted, { type: 'default', date: '2025-02-01' });

  const fund = ok(
    await staff
      .post('/api/v1/funds')
      .send({ code: WORLD.fund.code, name: WORLD.fund.name, shareOfLoss: '0.5', leverage: '10', claimAfterDaysOverdue: 30, bodies: ['city', 'district'] }),
    201,
  ).body as { id: string };
  ok(await staff.post(`/api/v1/funds/${fund.id}/contributions`).send({ body: 'city', amount: '5000000.00', date: '2024-01-10' }), 201);
  ok(await staff.post(`/api/v1/funds/${fund.id}/enrolments`).send({ loanId: defaulted, date: '2024-02-01' }), 201);
  ok(await bank.post(`/api/v1/funds/${fund.id}/claims`).send({ loanId: defaulted, date: '2025-03-15' }), 201);

  const run = ok(await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 }), 201).body as { id: string };
  ok(await staff.post(`/api/v1/subsidy-runs/${run.id}/transitions`).send({ to: 'reviewed' }), 200);

  return { tokens, bankId: bankRow.id, loanIds: { eligible, matured, defaulted }, fundId: fund.id, runId: run.id };
}
