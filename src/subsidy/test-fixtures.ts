/** The reference rates shipped in shared/data/rates.csv, copied here so the tests stand alone. */
import type { Policy, RawPolicy } from './policy';
import type { RunEnterprise, RunInput, RunLoan, RunRate } from './types';

export const SHIPPED_RATES: RunRate[] = [
  { index: 'LPR1Y', effectiveDate: '2019-08-20', rate: '0.0425' },
  { index: 'LPR1Y', effectiveDate: '2019-09-20', rate: '0.0420' },
  { index: 'LPR1Y', effectiveDate: '2019-11-20', rate: '0.0415' },
  { index: 'LPR1Y', effectiveDate: '2020-02-20', rate: '0.0405' },
  { index: 'LPR1Y', effectiveDate: '2020-04-20', rate: '0.0385' },
  { index: 'LPR1Y', effectiveDate: '2021-12-20', rate: '0.0380' },
  { index: 'LPR1Y', effectiveDate: '2022-01-20', rate: '0.0370' },
  { index: 'LPR1Y', effectiveDate: '2022-08-22', rate: '0.0365' },
  { index: 'LPR1Y', effectiveDate: '2023-06-20', rate: '0.0355' },
  { index: 'LPR1Y', effectiveDate: '2023-08-21', rate: '0.0345' },
  { index: 'LPR1Y', effectiveDate: '2024-07-22', rate: '0.0335' },
  { index: 'LPR1Y', effectiveDate: '2024-10-21', rate: '0.0310' },
  { index: 'LPR1Y', effectiveDate: '2025-05-20', rate: '0.0300' },
  { index: 'LPR5Y', effectiveDate: '2019-08-20', rate: '0.0485' },
  { index: 'LPR5Y', effectiveDate: '2019-11-20', rate: '0.0480' },
  { index: 'LPR5Y', effectiveDate: '2020-02-20', rate: '0.0475' },
  { index: 'LPR5Y', effectiveDate: '2020-04-20', rate: '0.0465' },
  { index: 'LPR5Y', effectiveDate: '2022-01-20', rate: '0.0460' },
  { index: 'LPR5Y', effectiveDate: '2022-05-20', rate: '0.0445' },
  { index: 'LPR5Y', effectiveDate: '2022-08-22', rate: '0.0430' },
  { index: 'LPR5Y', effectiveDate: '2023-06-20', rate: '0.0420' },
  { index: 'LPR5Y', effectiveDate: '2024-02-20', rate: '0.0395' },
  { index: 'LPR5Y', effectiveDate: '2024-07-22', rate: '0.0385' },
  { index: 'LPR5Y', effectiveDate: '2024-10-21', rate: '0.0360' },
  { index: 'LPR5Y', effectiveDate: '2025-05-20', rate: '0.0350' },
  { index: 'PBOC_LE1Y', effectiveDate: '2014-11-22', rate: '0.0560' },
  { index: 'PBOC_LE1Y', effectiveDate: '2015-03-01', rate: '0.0535' },
  { index: 'PBOC_LE1Y', effectiveDate: '2015-05-11', rate: '0.0510' },
  { index: 'PBOC_LE1Y', effectiveDate: '2015-06-28', rate: '0.0485' },
  { index: 'PBOC_LE1Y', effectiveDate: '2015-08-26', rate: '0.0460' },
  { index: 'PBOC_LE1Y', effectiveDate: '2015-10-24', rate: '0.0435' },
  { index: 'PBOC_1TO5Y', effectiveDate: '2014-11-22', rate: '0.0600' },
  { index: 'PBOC_1TO5Y', effectiveDate: '2015-03-01', rate: '0.0575' },
  { index: 'PBOC_1TO5Y', effectiveDate: '2015-05-11', rate: '0.0550' },
  { index: 'PBOC_1TO5Y', effectiveDate: '2015-06-28', rate: '0.0525' },
  { index: 'PBOC_1TO5Y', effectiveDate: '2015-08-26', rate: '0.0500' },
  { index: 'PBOC_1TO5Y', effectiveDate: '2015-10-24', rate: '0.0475' },
  { index: 'PBOC_GT5Y', effectiveDate: '2014-11-22', rate: '0.0615' },
  { index: 'PBOC_GT5Y', effectiveDate: '2015-03-01', rate: '0.0590' },
  { index: 'PBOC_GT5Y', effectiveDate: '2015-05-11', rate: '0.0565' },
  { index: 'PBOC_GT5Y', effectiveDate: '2015-06-28', rate: '0.0540' },
  { index: 'PBOC_GT5Y', effectiveDate: '2015-08-26', rate: '0.0515' },
  { index: 'PBOC_GT5Y', effectiveDate: '2015-10-24', rate: '0.0490' },
];

/** USCCs whose characters 3–8 are the registration division (the check character is not checked by the engine). */
export const USCC = {
  yuanzhouA: '91360902MA35YZ0A1X',
  yuanzhouB: '91360902MA35YZ0B2X',
  yichunOther: '91360981MA35FC0C3X', // 360981 Fengcheng: outside Yuanzhou
  dongyangA: '91330783MA2DY00A4X',
  dongyangB: '91330783MA2DY00B5X',
  ankangA: '91610902MA70AK0A6X', // 610902 Hanbin district of Ankang
} as const;

export function enterprisesFor(...usccs: string[]): RunEnterprise[] {
  return usccs.map((uscc) => ({ uscc, name: `enterprise ${uscc}`, divisionCode: uscc.substring(2, 8) }));
}

/**
 * An IP-only patent loan disbursed in full on its start date; override what a case needs. `settledOn` adds a full
 * repayment and the settlement on that date.
 */
export function loan(fields: Partial<RunLoan> & { loanId: string; settledOn?: string }): RunLoan {
  const { settledOn, ...rest } = fields;
  const base: RunLoan = {
    bankId: 'bank-1',
    enterpriseUscc: USCC.yuanzhouA,
    contractNo: `C-${fields.loanId}`,
    principalFen: 100_000_000n,
    ipPledgedFen: null,
    collateral: 'ip_only',
    annualRate: '0.0435',
    startDate: '2023-07-01',
    maturityDate: '2025-07-01',
    pledges: [{ rightType: 'patent', number: `ZL-${fields.loanId}` }],
    events: [],
    ...rest,
  };
  if (!rest.events) {
    base.events = [{ type: 'disbursement', date: base.startDate, amountFen: base.principalFen }];
    if (settledOn) {
      base.events.push({ type: 'principal_repayment', date: settledOn, amountFen: base.principalFen });
      base.events.push({ type: 'settlement', date: settledOn });
    }
  }
  return base;
}

export function runInput(policy: Policy, year: number, fields: Partial<RunInput> = {}): RunInput {
  const loans = fields.loans ?? [];
  return {
    policy,
    year,
    loans,
    rates: SHIPPED_RATES,
    enterprises: enterprisesFor(...new Set(loans.map((item) => item.enterpriseUscc))),
    exclusions: [],
    enterpriseStatus: [],
    otherSupport: [],
    contributions: [],
    carryIn: [],
    priorSubsidisedAssets: [],
    fees: [],
    premiums: [],
    ...fields,
  };
}

/** A copy of a raw policy with some parameters' values replaced (a new version, as staff would store it). */
export function withParameters(raw: RawPolicy, values: Partial<Record<keyof RawPolicy['parameters'], unknown>>, version = raw.version + 1): RawPolicy {
  const copy: RawPolicy = JSON.parse(JSON.stringify(raw));
  copy.version = version;
  for (const [name, value] of Object.entries(values)) {
    (copy.parameters as unknown as Record<string, { value: unknown }>)[name]!.value = value;
  }
  return copy;
}
