/**
 * Shared fixtures of the loan tests: real-format identifiers (check characters worked out by hand in
 * src/loans/identifiers.test.ts) and a valid loan body to vary.
 */
import { addDays, todayInChina } from '../src/dates';
import type { TestService } from './support/app';

/** Yuanzhou 360902, Dongyang 330783, Ankang 610902 (src/loans/identifiers.test.ts). */
export const USCC = {
  yuanzhou: '91360902MA36R7KCX7',
  dongyang: '92330783MA2DK4P606',
  ankang: '93610902MA6Y001050',
  fuzhou: '91350100M000100Y43',
  /** Valid (registration authority Y, Haidian 110108) but never registered by the fixtures. */
  unregistered: 'Y1110108MA01ABCD55',
  /** A legal early-pilot code that fails the GB 32100 check character (expected '1', has 'M'). */
  pilot: '91350100M0001TGQXM',
} as const;

/** Patents whose check digit is right: 12-digit invention, 12-digit utility model ('X'), the old 8-digit form. */
export const PATENT = { invention: '202310123456.6', utility: '202220123450.X', old: 'ZL95115608.X' } as const;

export const today = () => todayInChina();
export const daysFromToday = (days: number) => addDays(todayInChina(), days);

export function loanBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    contractNo: `C-${Math.random().toString(36).slice(2, 10)}`,
    enterpriseUscc: USCC.yuanzhou,
    principal: '1000000.00',
    annualRate: '0.0435',
    startDate: '2024-01-15',
    maturityDate: '2025-01-15',
    collateral: 'ip_only',
    pledges: [{ rightType: 'patent', number: PATENT.invention }],
    ...overrides,
  };
}

/** Registers the fixture enterprises (idempotent per service). */
export async function registerEnterprises(service: TestService): Promise<void> {
  const staff = service.as(service.staffToken);
  for (const [name, uscc] of Object.entries(USCC)) {
    if (name === 'pilot' || name === 'unregistered') continue;
    const response = await staff.post('/api/v1/enterprises').send({ uscc, name: `${name} 企业` });
    if (response.status !== 201 && response.status !== 409) throw new Error(JSON.stringify(response.body));
  }
}

export async function count(service: TestService, table: string): Promise<number> {
  return Number((await service.db.pool.query(`select count(*) from ${table}`)).rows[0].count);
}
