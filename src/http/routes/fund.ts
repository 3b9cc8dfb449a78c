/**
 * The risk-compensation fund over HTTP (docs/api.md "Risk-compensation fund"). Thin: parse, decide who
 * may do what, call one function of src/fund, shape the answer (money as "123.45"), and add a domain audit row.
 */
import { z } from 'zod';
import { accountNameZh, movementNameZh, readNameLookup } from '../../reports/ledger-names';
import { todayInChina } from '../../dates';
import { DomainError } from '../../errors';
import {
  addFundVersion,
  fundAccountCodes,
  versionInForce,
  type FundParameters,
  type FundVersion,
  contribute,
  createFund,
  enrol,
  fundKpis,
  fundStatementPage,
  CLAIM_SORT_COLUMNS,
  CONTRIBUTION_SORT_COLUMNS,
  ENROLMENT_SORT_COLUMNS,
  getClaim,
  getFund,
  listClaims,
  listContributions,
  listEnrolments,
  listFunds,
  recordRecovery,
  submitClaim,
  transitionClaim,
  withdraw,
  writeOff,
  type Claim,
  type Enrolment,
  type Fund,
} from '../../fund';
import { Dec, formatYuan } from '../../money';
import type { Principal } from '../../principals';
import type { RouteRegistry } from '../route';
import { decodeKeyset, parseSort, sortValues, UUID_PATTERN } from '../../db/keyset';
import type { StatementPosition } from '../../ledger';
import { decodeCursor, encodeCursor, FundingBody, IsoDate, Page, pageOf, PastDate, PositiveMoney, Uuid } from '../schemas';

/** A statement's page of movements: a fund's cash moves a few times a month, so a year fits in one. */
const STATEMENT_PAGE_MAX = 500;

/** The cursor of a statement page (base64url JSON `{ date, entryId, lineNo }`), or a 422 naming `cursor`. */
function statementCursor(cursor: string | undefined): StatementPosition | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let decoded: Partial<StatementPosition> | null;
  try {
    decoded = /^[A-Za-z0-9_-]+$/.test(cursor) ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<StatementPosition>) : null;
  } catch {
    decoded = null;
  }
  if (
    !decoded ||
    typeof decoded.date !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(decoded.date) ||
    typeof decoded.entryId !== 'string' ||
    !/^\d{1,19}$/.test(decoded.entryId) ||
    !Number.isInteger(decoded.lineNo) ||
    decoded.lineNo! < 1 ||
    decoded.lineNo! > 32_767
  ) {
    throw new DomainError('validation_failed', 'cursor: is not a cursor of this statement; ask for the first page again', [
      { path: 'cursor', message: 'is not a cursor of this statement' },
    ]);
  }
  return { date: decoded.date, entryId: decoded.entryId, lineNo: decoded.lineNo! };
}

const ALL = ['staff', 'bank', 'finance', 'auditor'] as const;
const READERS = ['staff', 'finance', 'auditor'] as const;

/** When a fund is created without `effectiveFrom`, its first version applies to every date (no earlier rules exist). */
export const FIRST_VERSION_DEFAULT_EFFECTIVE_FROM = '1970-01-01';
const DEFAULT_REFERENCE = '袁府办字〔2023〕25号 三(一)2; 《关于全面加强知识产权工作的实施意见》 § 6; 《江西省专利转化运用专项行动实施方案》 (十四)';

const FUND_CODE = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/);

// The range is checked here too (as fundParameterProblems does), so that one answer names it beside any other bad field.
const Fraction = z
  .string()
  .regex(/^\d(\.\d{1,10})?$/, { message: 'must be a decimal fraction such as "0.5"', abort: true })
  .refine((text) => new Dec(text).lte(1), 'must be between 0 and 1')
  .meta({ description: 'a decimal fraction between 0 and 1', examples: ['0.5'] });
const PositiveDecimal = z
  .string()
  // `abort`: decimal.js below never sees a string that is not a decimal.
  .regex(/^\d{1,9}(\.\d{1,10})?$/, { message: 'must be a decimal number such as "10"', abort: true })
  .refine((text) => new Dec(text).greaterThan(0), 'must be greater than 0');

const ParametersIn = z.object({
  shareOfLoss: Fraction.meta({ description: 'the fund’s share of a covered loss; with shareTiers, the share above the last tier' }),
  shareTiers: z
    .array(z.object({ upTo: PositiveMoney, share: Fraction }))
    .max(10)
    .optional()
    .meta({ description: 'ascending tiers of the covered loss, e.g. Jiangsu: [{upTo:"10000000.00",share:"0.8"},{upTo:"30000000.00",share:"0.5"}]' }),
  lossParties: z
    .array(z.object({ party: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be a party name such as "insurer"'), weight: PositiveDecimal }))
    .max(10)
    .optional()
    .meta({ description: 'a loss shared among named parties by weight, one of them "fund", e.g. Zhongshan 54:26:16:4' }),
  leverage: PositiveDecimal.meta({ description: 'covered principal may be at most capital × leverage', examples: ['10'] }),
  claimAfterDaysOverdue: z.number().int().min(0).max(3650),
  capPerLoan: PositiveMoney.nullish(),
  capPerBankPerYear: PositiveMoney.nullish(),
  capPerBorrowerPerYear: PositiveMoney.nullish().meta({ description: 'per borrower (USCC) and calendar year, over all banks' }),
  capPerYear: PositiveMoney.nullish().meta({ description: 'the fund in all per calendar year' }),
  suspensionRatio: Fraction.nullish(),
  bodies: z.array(FundingBody).min(1).max(10),
  partnerBankIds: z.array(Uuid).max(1000).nullish().meta({ description: 'banks whose loans may be enrolled; absent: every bank' }),
  reference: z.string().min(1).max(500).optional().meta({ description: 'the clause this version implements' }),
});

const toParameters = (body: z.output<typeof ParametersIn>): FundParameters => ({
  shareOfLoss: body.shareOfLoss,
  shareTiers: (body.shareTiers ?? []).map((tier) => ({ upToFen: tier.upTo, share: tier.share })),
  lossParties: body.lossParties ?? [],
  claimAfterDaysOverdue: body.claimAfterDaysOverdue,
  capPerLoanFen: body.capPerLoan ?? null,
  capPerBankPerYearFen: body.capPerBankPerYear ?? null,
  capPerBorrowerPerYearFen: body.capPerBorrowerPerYear ?? null,
  capPerYearFen: body.capPerYear ?? null,
  suspensionRatio: body.suspensionRatio ?? null,
  leverage: body.leverage,
  bodies: body.bodies,
  partnerBankIds: body.partnerBankIds ?? null,
});

const parametersOut = (version: FundVersion) => {
  const p = version.parameters;
  return {
    version: version.version,
    effectiveFrom: version.effectiveFrom,
    reference: version.reference,
    shareOfLoss: p.shareOfLoss,
    shareTiers: p.shareTiers.map((tier) => ({ upTo: formatYuan(tier.upToFen), share: tier.share })),
    lossParties: p.lossParties,
    leverage: p.leverage,
    claimAfterDaysOverdue: p.claimAfterDaysOverdue,
    capPerLoan: p.capPerLoanFen === null ? null : formatYuan(p.capPerLoanFen),
    capPerBankPerYear: p.capPerBankPerYearFen === null ? null : formatYuan(p.capPerBankPerYearFen),
    capPerBorrowerPerYear: p.capPerBorrowerPerYearFen === null ? null : formatYuan(p.capPerBorrowerPerYearFen),
    capPerYear: p.capPerYearFen === null ? null : formatYuan(p.capPerYearFen),
    suspensionRatio: p.suspensionRatio,
    bodies: p.bodies,
    partnerBankIds: p.partnerBankIds,
  };
};

const VersionOut = z.object({
  version: z.number(),
  effectiveFrom: z.string(),
  reference: z.string(),
  shareOfLoss: z.string(),
  shareTiers: z.array(z.object({ upTo: z.string(), share: z.string() })),
  lossParties: z.array(z.object({ party: z.string(), weight: z.string() })),
  leverage: z.string(),
  claimAfterDaysOverdue: z.number(),
  capPerLoan: z.string().nullable(),
  capPerBankPerYear: z.string().nullable(),
  capPerBorrowerPerYear: z.string().nullable(),
  capPerYear: z.string().nullable(),
  suspensionRatio: z.string().nullable(),
  bodies: z.array(z.string()),
  partnerBankIds: z.array(z.string()).nullable(),
});
const FundOut = VersionOut.extend({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  createdAt: z.string(),
  cashAccount: z.string(),
  versions: z.array(VersionOut),
});

/** The fund with the parameters in force today (or its latest version, when all start later) at the top level. */
const fundOut = (fund: Fund) => {
  const current = versionInForce(fund.versions, todayInChina()) ?? fund.versions[fund.versions.length - 1]!;
  return {
    id: fund.id,
    code: fund.code,
    name: fund.name,
    createdAt: fund.createdAt,
    cashAccount: fundAccountCodes(fund.code).cash,
    ...parametersOut(current),
    versions: fund.versions.map(parametersOut),
  };
};

const EnrolmentOut = z.object({
  id: z.string(),
  fundId: z.string(),
  loanId: z.string(),
  bankId: z.string(),
  date: z.string(),
  coveredPrincipal: z.string(),
  withdrawnOn: z.string().nullable(),
});
const enrolmentOut = (e: Enrolment) => ({
  id: e.id,
  fundId: e.fundId,
  loanId: e.loanId,
  bankId: e.bankId,
  date: e.enrolledOn,
  coveredPrincipal: formatYuan(e.coveredPrincipalFen),
  withdrawnOn: e.withdrawnOn,
});

const ClaimOut = z.object({
  id: z.string(),
  fundId: z.string(),
  loanId: z.string(),
  bankId: z.string(),
  enrolmentId: z.string(),
  date: z.string(),
  fundVersion: z.number(),
  status: z.enum(['submitted', 'approved', 'paid', 'rejected']),
  amount: z.string(),
  approvedOn: z.string().nullable(),
  paidOn: z.string().nullable(),
  rejectedOn: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  trace: z.record(z.string(), z.unknown()).meta({ description: 'every factor of the amount, each cap that cut it, the bank’s non-performing ratio' }),
});
const claimOut = (c: Claim) => ({
  id: c.id,
  fundId: c.fundId,
  loanId: c.loanId,
  bankId: c.bankId,
  enrolmentId: c.enrolmentId,
  date: c.date,
  fundVersion: c.fundVersion,
  status: c.status,
  amount: formatYuan(c.amountFen),
  approvedOn: c.approvedOn,
  paidOn: c.paidOn,
  rejectedOn: c.rejectedOn,
  rejectionReason: c.rejectionReason,
  trace: c.trace as unknown as Record<string, unknown>,
});

const FundParams = z.object({ id: Uuid });

const ContributionOut = z.object({ id: z.string(), fundId: z.string(), body: z.string(), amount: z.string(), date: z.string(), entryId: z.string() });

const KpisOut = z.object({
  fundId: z.string(),
  asOf: z.string(),
  capital: z.string(),
  capitalByBody: z.array(z.object({ body: z.string(), amount: z.string() })),
  cash: z.string(),
  coveredPrincipal: z.string(),
  leverage: z.string(),
  leverageLimit: z.string(),
  leverageUsed: z.string().meta({ description: 'covered principal ÷ capital, as a decimal string' }),
  claimsApprovedUnpaid: z.string(),
  claimsPaid: z.string(),
  recovered: z.string(),
  writtenOff: z.string(),
  recoveryRate: z.string(),
  nonPerformingByBank: z.array(
    z.object({ bankId: z.string(), coveredPrincipal: z.string(), nonPerformingCoveredPrincipal: z.string(), ratio: z.string(), suspended: z.boolean() }),
  ),
});

function assertFinanceBody(principal: Principal, body: string): void {
  if (principal.role === 'finance' && principal.body !== body) {
    throw new DomainError('forbidden', `a finance principal of ${principal.body} records only ${principal.body}'s contributions`);
  }
}

export function registerFundRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'post',
    path: '/api/v1/funds',
    summary: 'Set up a risk-compensation fund with its first dated version of parameters',
    tag: 'fund',
    roles: ['staff'],
    body: ParametersIn.extend({
      code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'must be 1–32 letters, digits, "_" or "-"'),
      name: z.string().min(1).max(200),
      effectiveFrom: IsoDate.optional(),
    }),
    responses: { 201: { description: 'the fund', schema: FundOut } },
    handler: async ({ db, principal, body, audit }) => {
      const fund = await createFund(db, principal, {
        code: body.code,
        name: body.name,
        effectiveFrom: body.effectiveFrom ?? FIRST_VERSION_DEFAULT_EFFECTIVE_FROM,
        reference: body.reference ?? DEFAULT_REFERENCE,
        parameters: toParameters(body),
      });
      await audit('fund.created', { fundId: fund.id, code: fund.code });
      return { status: 201, body: fundOut(fund) };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/funds',
    summary: 'The funds by code, a page at a time',
    tag: 'fund',
    roles: ALL,
    query: Page,
    responses: { 200: { description: 'a page of funds', schema: pageOf(FundOut) } },
    handler: async ({ db, query }) => {
      const page = await listFunds(db, { after: decodeCursor(query.cursor, FUND_CODE), limit: query.limit });
      return { status: 200, body: { items: page.items.map(fundOut), nextCursor: page.next === null ? null : encodeCursor(page.next) } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/funds/{id}',
    summary: 'A fund with every version of its parameters',
    tag: 'fund',
    roles: ALL,
    params: FundParams,
    responses: { 200: { description: 'the fund', schema: FundOut } },
    handler: async ({ db, params }) => ({ status: 200, body: fundOut(await getFund(db, params.id)) }),
  });

  registry.add({
    method: 'post',
    path: '/api/v1/funds/{id}/versions',
    summary: 'A change of the fund’s rules: a new version from its effective date (earlier versions stay as they were)',
    tag: 'fund',
    roles: ['staff'],
    params: FundParams,
    body: ParametersIn.extend({ effectiveFrom: IsoDate, reference: z.string().min(1).max(500) }),
    responses: { 201: { description: 'the fund', schema: FundOut } },
    handler: async ({ db, principal, params, body, audit }) => {
      const fund = await addFundVersion(db, principal, params.id, {
        effectiveFrom: body.effectiveFrom,
        reference: body.reference,
        parameters: toParameters(body),
      });
      await audit('fund.version_added', { fundId: fund.id, version: fund.versions.length, effectiveFrom: body.effectiveFrom });
      return { status: 201, body: fundOut(fund) };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/funds/{id}/contributions',
    summary: 'Capital paid into the fund’s cash by a funding body (staff, or that body’s finance principal)',
    tag: 'fund',
    roles: ['staff', 'finance'],
    params: FundParams,
    body: z.object({ body: FundingBody, amount: PositiveMoney, date: PastDate }),
    responses: {
      201: { description: 'the contribution and its ledger entry', schema: ContributionOut },
    },
    handler: async ({ db, principal, params, body, audit }) => {
      assertFinanceBody(principal, body.body);
      const c = await contribute(db, principal, params.id, { body: body.body, amountFen: body.amount, date: body.date });
      await audit('fund.contribution', { fundId: c.fundId, contributionId: c.id, body: c.body, amount: formatYuan(c.amountFen), entryId: c.entryId });
      return { status: 201, body: { id: c.id, fundId: c.fundId, body: c.body, amount: formatYuan(c.amountFen), date: c.date, entryId: c.entryId } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/funds/{id}/contributions',
    summary: 'Capital paid into the fund, by date (optionally of one funding body)',
    tag: 'fund',
    roles: READERS,
    params: FundParams,
    query: Page.extend({
      body: FundingBody.optional(),
      sort: z.enum(sortValues(CONTRIBUTION_SORT_COLUMNS)).optional().meta({ description: 'date (default) or amount, "-" first for descending' }),
    }),
    responses: { 200: { description: 'a page of contributions', schema: pageOf(ContributionOut) } },
    handler: async ({ db, params, query }) => {
      const sort = parseSort(CONTRIBUTION_SORT_COLUMNS, query.sort, { column: 'date', descending: false });
      const after = decodeKeyset(query.cursor, sort, CONTRIBUTION_SORT_COLUMNS, UUID_PATTERN);
      const page = await listContributions(db, params.id, { limit: query.limit, sort, after, body: query.body });
      return {
        status: 200,
        body: {
          items: page.items.map((c) => ({ id: c.id, fundId: c.fundId, body: c.body, amount: formatYuan(c.amountFen), date: c.date, entryId: c.entryId })),
          nextCursor: page.next,
        },
      };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/funds/{id}/enrolments',
    summary: 'Enrol a partner bank’s IP-pledge loan (staff, or the bank for its own loan); beyond capital × leverage → 422',
    tag: 'fund',
    roles: ['staff', 'bank'],
    params: FundParams,
    body: z.object({ loanId: Uuid, date: PastDate }),
    responses: { 201: { description: 'the enrolment', schema: EnrolmentOut } },
    handler: async ({ db, principal, params, body, audit }) => {
      const e = await enrol(db, principal, params.id, body);
      await audit('fund.enrolment', { fundId: e.fundId, enrolmentId: e.id, loanId: e.loanId, coveredPrincipal: formatYuan(e.coveredPrincipalFen) });
      return { status: 201, body: enrolmentOut(e) };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/funds/{id}/enrolments',
    summary: 'The fund’s enrolments (a bank sees only its own), filtered, sorted and paged on the server',
    tag: 'fund',
    roles: ALL,
    params: FundParams,
    query: Page.extend({
      status: z.enum(['active', 'withdrawn']).optional(),
      bankId: Uuid.optional(),
      loanId: Uuid.optional(),
      sort: z.enum(sortValues(ENROLMENT_SORT_COLUMNS)).optional().meta({ description: 'date (default) or coveredPrincipal, "-" first for descending' }),
    }),
    responses: {
      200: {
        description: 'a page of enrolments, and the totals of every matching one',
        schema: pageOf(EnrolmentOut).extend({
          totals: z.object({ count: z.number().int(), activeCount: z.number().int(), activeCoveredPrincipal: z.string() }),
        }),
      },
    },
    handler: async ({ db, principal, params, query }) => {
      const sort = parseSort(ENROLMENT_SORT_COLUMNS, query.sort, { column: 'date', descending: false });
      const after = decodeKeyset(query.cursor, sort, ENROLMENT_SORT_COLUMNS, UUID_PATTERN);
      const page = await listEnrolments(
        db,
        principal,
        params.id,
        { status: query.status, bankId: query.bankId, loanId: query.loanId },
        { limit: query.limit, sort, after },
      );
      return {
        status: 200,
        body: {
          items: page.items.map(enrolmentOut),
          nextCursor: page.next,
          totals: {
            count: page.totals.count,
            activeCount: page.totals.activeCount,
            activeCoveredPrincipal: formatYuan(page.totals.activeCoveredPrincipalFen),
          },
        },
      };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/funds/{id}/enrolments/{enrolmentId}/withdrawal',
    summary: 'Withdraw an enrolment once its loan is settled',
    tag: 'fund',
    roles: ['staff', 'bank'],
    params: FundParams.extend({ enrolmentId: Uuid }),
    body: z.object({ date: PastDate }),
    responses: { 200: { description: 'the withdrawn enrolment', schema: EnrolmentOut } },
    handler: async ({ db, principal, params, body, audit }) => {
      const e = await withdraw(db, principal, params.id, params.enrolmentId, body);
      await audit('fund.enrolment_withdrawn', { fundId: e.fundId, enrolmentId: e.id, loanId: e.loanId, date: body.date });
      return { status: 200, body: enrolmentOut(e) };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/funds/{id}/claims',
    summary: 'A bank’s claim for its own enrolled loan in default: computed compensation with its trace',
    tag: 'fund',
    roles: ['bank'],
    params: FundParams,
    body: z.object({ loanId: Uuid, date: PastDate }),
    responses: {
      201: { description: 'the claim, submitted', schema: ClaimOut },
      422: { description: 'not enrolled, not in default, overdue too short, bank suspended, or nothing left to claim: `reasons` and `trace`' },
    },
    handler: async ({ db, principal, params, body, audit }) => {
      const c = await submitClaim(db, principal, params.id, body);
      await audit('fund.claim_submitted', { fundId: c.fundId, claimId: c.id, loanId: c.loanId, amount: formatYuan(c.amountFen) });
      return { status: 201, body: claimOut(c) };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/funds/{id}/claims',
    summary: 'The fund’s claims by date (a bank sees only its own)',
    tag: 'fund',
    roles: ALL,
    params: FundParams,
    query: Page.extend({
      status: z.enum(['submitted', 'approved', 'paid', 'rejected']).optional(),
      bankId: Uuid.optional(),
      loanId: Uuid.optional(),
      sort: z.enum(sortValues(CLAIM_SORT_COLUMNS)).optional().meta({ description: 'date (default) or amount, "-" first for descending' }),
    }),
    responses: { 200: { description: 'a page of claims', schema: pageOf(ClaimOut) } },
    handler: async ({ db, principal, params, query }) => {
      const sort = parseSort(CLAIM_SORT_COLUMNS, query.sort, { column: 'date', descending: false });
      const after = decodeKeyset(query.cursor, sort, CLAIM_SORT_COLUMNS, UUID_PATTERN);
      const page = await listClaims(
        db,
        principal,
        params.id,
        { status: query.status, bankId: query.bankId, loanId: query.loanId },
        { limit: query.limit, sort, after },
      );
      return { status: 200, body: { items: page.items.map(claimOut), nextCursor: page.next } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/funds/{id}/claims/{claimId}',
    summary: 'One claim with its trace (another bank’s claim is 404)',
    tag: 'fund',
    roles: ALL,
    params: FundParams.extend({ claimId: Uuid }),
    responses: { 200: { description: 'the claim', schema: ClaimOut } },
    handler: async ({ db, principal, params }) => ({ status: 200, body: claimOut(await getClaim(db, principal, params.id, params.claimId)) }),
  });

  registry.add({
    method: 'post',
    path: '/api/v1/funds/{id}/claims/{claimId}/transitions',
    summary: 'Staff review: approve, pay (409 when the fund’s cash is short) or reject with a reason',
    tag: 'fund',
    roles: ['staff'],
    params: FundParams.extend({ claimId: Uuid }),
    body: z.object({
      to: z.enum(['approved', 'paid', 'rejected']),
      date: PastDate.optional().meta({ description: 'when it happened; default today (China), never in the future' }),
      reason: z.string().min(1).max(1000).optional(),
    }),
    responses: {
      200: { description: 'the claim after the step', schema: ClaimOut },
      409: { description: 'fund_cash_insufficient, or a step not allowed from the claim’s status' },
    },
    handler: async ({ db, principal, params, body, audit }) => {
      const c = await transitionClaim(db, principal, params.id, params.claimId, body);
      await audit(`fund.claim_${c.status}`, { fundId: c.fundId, claimId: c.id, amount: formatYuan(c.amountFen), reason: body.reason ?? null });
      return { status: 200, body: claimOut(c) };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/funds/{id}/recoveries',
    summary:
      'Proceeds of disposing the pledged IP of a loan (a bank’s own; staff for any bank that reported it): the fund’s share, up to what it paid, into its cash',
    tag: 'fund',
    roles: ['bank', 'staff'],
    params: FundParams,
    body: z.object({ loanId: Uuid, date: PastDate, proceeds: PositiveMoney }),
    responses: {
      201: {
        description: 'the recovery',
        schema: z.object({
          id: z.string(),
          fundId: z.string(),
          loanId: z.string(),
          claimId: z.string(),
          date: z.string(),
          proceeds: z.string(),
          fundShare: z.string(),
          trace: z.record(z.string(), z.unknown()),
        }),
      },
    },
    handler: async ({ db, principal, params, body, audit }) => {
      const r = await recordRecovery(db, principal, params.id, { loanId: body.loanId, date: body.date, proceedsFen: body.proceeds });
      await audit('fund.recovery', { fundId: r.fundId, recoveryId: r.id, loanId: r.loanId, fundShare: formatYuan(r.fundShareFen) });
      return {
        status: 201,
        body: {
          id: r.id,
          fundId: r.fundId,
          loanId: r.loanId,
          claimId: r.claimId,
          date: r.date,
          proceeds: formatYuan(r.proceedsFen),
          fundShare: formatYuan(r.fundShareFen),
          trace: r.trace,
        },
      };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/funds/{id}/write-offs',
    summary: 'Write off what the fund paid on a loan and cannot recover (default: all that is still recoverable)',
    tag: 'fund',
    roles: ['staff'],
    params: FundParams,
    body: z.object({ loanId: Uuid, date: PastDate, reason: z.string().min(1).max(1000), amount: PositiveMoney.optional() }),
    responses: {
      201: {
        description: 'the write-off',
        schema: z.object({ id: z.string(), fundId: z.string(), loanId: z.string(), date: z.string(), amount: z.string(), reason: z.string() }),
      },
    },
    handler: async ({ db, principal, params, body, audit }) => {
      const w = await writeOff(db, principal, params.id, { loanId: body.loanId, date: body.date, reason: body.reason, amountFen: body.amount });
      await audit('fund.write_off', { fundId: w.fundId, writeOffId: w.id, loanId: w.loanId, amount: formatYuan(w.amountFen) });
      return { status: 201, body: { id: w.id, fundId: w.fundId, loanId: w.loanId, date: w.date, amount: formatYuan(w.amountFen), reason: w.reason } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/funds/{id}/statement',
    summary:
      'The fund’s cash from the ledger: opening at the start of from, the movements with their sources a page at a time (`nextCursor`), closing at the end of to',
    tag: 'fund',
    roles: READERS,
    params: FundParams,
    query: z.object({
      from: IsoDate,
      to: IsoDate,
      limit: z.coerce.number().int().min(1).max(STATEMENT_PAGE_MAX).default(STATEMENT_PAGE_MAX).meta({ description: `movements per page (default and most: ${STATEMENT_PAGE_MAX})` }),
      cursor: z.string().max(500).optional(),
    }),
    responses: {
      200: {
        description: 'the statement',
        schema: z.object({
          fundId: z.string(),
          account: z.string(),
          accountNameZh: z.string().meta({ description: 'the account named for people, in Chinese ("风险补偿资金池 YZ：资金专户"; src/reports/ledger-names.ts)' }),
          from: z.string(),
          to: z.string(),
          opening: z.string(),
          movements: z.array(
            z.object({
              date: z.string(),
              kind: z.string(),
              amount: z.string().meta({ description: 'signed: into the cash positive, out of it negative' }),
              balance: z.string(),
              description: z.string(),
              descriptionZh: z.string().meta({ description: 'the movement named for people, in Chinese (src/reports/ledger-names.ts)' }),
              source: z.object({ kind: z.string(), id: z.string(), entryId: z.string() }),
            }),
          ),
          closing: z.string(),
          nextCursor: z.string().nullable().meta({ description: 'the next page of movements, with the same from and to' }),
        }),
      },
    },
    handler: async ({ db, params, query }) => {
      const s = await fundStatementPage(db, params.id, query.from, query.to, { limit: query.limit, after: statementCursor(query.cursor) });
      const lookup = await readNameLookup(db, [s.account, ...s.movements.map((m) => m.description)]);
      return {
        status: 200,
        body: {
          fundId: s.fundId,
          account: s.account,
          accountNameZh: accountNameZh(s.account, lookup, s.account),
          from: s.from,
          to: s.to,
          opening: formatYuan(s.openingFen),
          movements: s.movements.map((m) => ({
            date: m.date,
            kind: m.kind,
            amount: formatYuan(m.amountFen),
            balance: formatYuan(m.balanceFen),
            description: m.description,
            descriptionZh: movementNameZh(m, lookup),
            source: m.source,
          })),
          closing: formatYuan(s.closingFen),
          nextCursor: s.next ? Buffer.from(JSON.stringify(s.next), 'utf8').toString('base64url') : null,
        },
      };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/funds/{id}/kpis',
    summary: 'Capital, covered principal, leverage used, claims paid, recovery rate, non-performing ratio per bank',
    tag: 'fund',
    roles: READERS,
    params: FundParams,
    query: z.object({ asOf: IsoDate.optional() }),
    responses: { 200: { description: 'the fund’s KPIs as of the end of a date (default today)', schema: KpisOut } },
    handler: async ({ db, params, query }) => {
      const k = await fundKpis(db, params.id, query.asOf ?? todayInChina());
      return {
        status: 200,
        body: {
          fundId: k.fundId,
          asOf: k.asOf,
          capital: formatYuan(k.capitalFen),
          capitalByBody: k.capitalByBody.map((c) => ({ body: c.body, amount: formatYuan(c.amountFen) })),
          cash: formatYuan(k.cashFen),
          coveredPrincipal: formatYuan(k.coveredPrincipalFen),
          leverage: k.leverage,
          leverageLimit: formatYuan(k.leverageLimitFen),
          leverageUsed: k.leverageUsed,
          claimsApprovedUnpaid: formatYuan(k.claimsApprovedUnpaidFen),
          claimsPaid: formatYuan(k.claimsPaidFen),
          recovered: formatYuan(k.recoveredFen),
          writtenOff: formatYuan(k.writtenOffFen),
          recoveryRate: k.recoveryRate,
          nonPerformingByBank: k.nonPerformingByBank.map((b) => ({
            bankId: b.bankId,
            coveredPrincipal: formatYuan(b.coveredPrincipalFen),
            nonPerformingCoveredPrincipal: formatYuan(b.nonPerformingCoveredPrincipalFen),
            ratio: b.ratio,
            suspended: b.suspended,
          })),
        },
      };
    },
  });
}
