/**
 * Enterprises, IP assets, loans and loan events, one at a time and in batches (docs/api.md "Enterprises and loans").
 * Thin: parse (zod, CSV), decide the caller's scope, call one function of src/loans, shape the answer.
 */
import { z } from 'zod';
import { readNameLookup, type NameLookup } from '../../reports/ledger-names';
import type { Queryable } from '../../db/pool';
import { isIsoDate, todayInChina } from '../../dates';
import { DomainError } from '../../errors';
import {
  assetHistory,
  COLLATERALS,
  createLoans,
  EVENT_TYPES,
  getEnterprise,
  getLoan,
  LOAN_STATUSES,
  listEnterprises,
  listEvents,
  listLoans,
  loanIdsFromContracts,
  LOAN_SORT_COLUMNS,
  parseLoanSort,
  formatLoanSort,
  type LoanKeyset,
  type LoanSort,
  MAX_BATCH_ITEMS,
  MAX_PLEDGES_PER_LOAN,
  portfolioReport,
  recordEvents,
  registerEnterprise,
  correctDivision,
  loanWriteGroups,
  eventWriteGroups,
  listDivisionCorrections,
  correctName,
  listNameCorrections,
  RIGHT_TYPES,
  type Correction,
  type Enterprise,
  type EnterpriseScope,
  type EventInput,
  type Loan,
  type LoanEvent,
  type LoanInput,
  type LoanScope,
  type LoanState,
  type Pledge,
  recordSecuredAmount,
  type Writer,
} from '../../loans';
import { decodeKeyset, parseSort, sortValues } from '../../db/keyset';
import { importing, parseFields, parseItems, readBatch, type ImportBatch, type ImportSpec, type ParsedItems } from '../../imports';
import { ENTERPRISE_SORT_COLUMNS } from '../../loans/enterprises';
import { LOAN_EVENT_IMPORT, LOAN_IMPORT } from '../../imports/kinds';
import { checkPledge, type PartialRow } from '../../loans/validation';
import { formatYuan } from '../../money';
import type { Principal } from '../../principals';
import { BATCH_BODY_LIMIT_BYTES } from '../body';
import { checkInput } from '../input';
import type { RouteRegistry } from '../route';
import { fileContent, ImportQuery } from './imports';
import { TargetResultOut } from './targets';
import { CursorKeys, decodeCursor, encodeCursor, Identifier, IsoDate, Page, pageOf, pageOfWhole, WholePage, PastDate, PositiveMoney, Rate, Uuid } from '../schemas';

const ALL_READERS = ['staff', 'bank', 'finance', 'auditor'] as const;

/** A loan's id in a path is a UUID: anything else is no loan (404), never a database error. */
const checkLoanId = (id: string): void => {
  if (!Uuid.safeParse(id).success) throw new DomainError('loan_not_found', `no loan ${id}`);
};

const scopeOf = (principal: Principal): LoanScope => ({ bankId: principal.role === 'bank' ? principal.bankId : null });
/** A bank sees its borrowers, the white-list in force and what it registered (src/loans/enterprises.ts). */
const enterpriseScopeOf = (principal: Principal): EnterpriseScope => ({ bankId: principal.role === 'bank' ? principal.bankId : null });
const writerOf = (principal: Principal): Writer => {
  if (principal.role !== 'bank' || !principal.bankId) throw new DomainError('forbidden', 'only a bank writes loans and their events');
  return { bankId: principal.bankId, principalId: principal.id };
};

// ---------------------------------------------------------------------------------------------------------------
// Wire schemas

const EnterpriseOut = z.object({
  uscc: z.string(),
  name: z.string(),
  divisionCode: z.string(),
  divisionReason: z
    .string()
    .nullable()
    .meta({ description: "why staff recorded a division other than the USCC's characters 3–8; null when it is the USCC's" }),
  checkOverride: z.object({ reason: z.string(), by: z.string(), at: z.string(), rule: z.string().nullable() }).nullable(),
  createdAt: z.string(),
});
/** A correction of an enterprise's division or name: from, to, reason, who, when. */
const CorrectionOut = z.object({
  id: z.string(),
  enterpriseUscc: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string(),
  changedBy: z.string(),
  changedByName: z.string().nullable(),
  changedAt: z.string(),
});
const enterpriseOut = (enterprise: Enterprise) => enterprise;

// Strict: a field the service does not know (a misspelt `securedAmount`, say) is refused, never silently dropped.
const PledgeIn = z
  .object({
    rightType: z.enum(RIGHT_TYPES),
    number: Identifier(100),
    registrationNo: Identifier(200).nullish(),
    securedAmount: PositiveMoney.nullish().meta({
      description:
        'the claim this pledge\'s registration secures (担保债权数额), at most the principal; needed when the loan also pledges a right type a subsidy policy does not support',
    }),
  })
  .strict()
  // The number is checked here too, so a row with a bad principal still has its bad patent number named.
  .superRefine((pledge, ctx) => {
    const problems = checkPledge({ ...pledge, securedFen: pledge.securedAmount ?? null }).problems;
    for (const problem of problems) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  });

const LoanIn = z
  .object({
    contractNo: Identifier(200),
    enterpriseUscc: Identifier(40),
    principal: PositiveMoney,
    annualRate: Rate,
    startDate: PastDate,
    maturityDate: IsoDate,
    collateral: z.enum(COLLATERALS),
    ipPledgedAmount: PositiveMoney.nullish().meta({
      description:
        'the part of the principal the IP secures: equal to the principal (or absent) for ip_only; for combination, absent when the contract does not separate it (the loan is recorded and subsidy runs find it ineligible)',
    }),
    pledges: z.array(PledgeIn).min(1, 'a loan needs at least one pledge').max(MAX_PLEDGES_PER_LOAN),
  })
  .strict();

const pledgeInput = (pledge: z.output<typeof PledgeIn>) => ({
  rightType: pledge.rightType,
  number: pledge.number,
  registrationNo: pledge.registrationNo,
  securedFen: pledge.securedAmount ?? null,
});

const toLoanInput = (body: z.output<typeof LoanIn>): LoanInput => ({
  contractNo: body.contractNo,
  enterpriseUscc: body.enterpriseUscc,
  principalFen: body.principal,
  annualRate: body.annualRate,
  startDate: body.startDate,
  maturityDate: body.maturityDate,
  collateral: body.collateral,
  ipPledgedFen: body.ipPledgedAmount ?? null,
  pledges: body.pledges.map(pledgeInput),
});

const PledgeOut = z.object({
  lineNo: z.number().int().meta({ description: 'the pledge\'s place in the loan\'s list, from 1' }),
  rightType: z.enum(RIGHT_TYPES),
  number: z.string(),
  registrationNo: z.string().nullable(),
  securedAmount: z.string().nullable(),
});
const pledgeOut = (pledge: Pledge, index: number) => ({
  lineNo: index + 1,
  rightType: pledge.rightType,
  number: pledge.number,
  registrationNo: pledge.registrationNo,
  securedAmount: pledge.securedFen === null ? null : formatYuan(pledge.securedFen),
});
const LoanOut = z.object({
  id: z.string(),
  bankId: z.string(),
  contractNo: z.string(),
  enterpriseUscc: z.string(),
  principal: z.string(),
  annualRate: z.string(),
  startDate: z.string(),
  maturityDate: z.string(),
  collateral: z.enum(COLLATERALS),
  ipPledgedAmount: z.string().nullable().meta({ description: 'null: a combination loan whose IP part the contract does not separate' }),
  pledges: z.array(PledgeOut),
  createdAt: z.string(),
  asOf: z.string().nullable(),
  status: z.enum(LOAN_STATUSES),
  outstandingPrincipal: z.string().meta({ description: 'ledger balance of loan:<id>:outstanding' }),
  interestPaid: z.string().meta({ description: 'ledger balance of loan:<id>:interest-paid' }),
  disbursed: z.string(),
  settlementDate: z.string().nullable(),
});
const LoanNamedOut = LoanOut.extend({
  enterpriseName: z.string().nullable().meta({ description: 'for people: the enterprise registered under enterpriseUscc' }),
  bankName: z.string().nullable().meta({ description: "for people: the lending bank's name" }),
});

/** The enterprise's and the bank's names beside their identifiers, for people (read once per answer). */
const namesOf = (db: Queryable, loans: readonly LoanState[]) => readNameLookup(db, loans.map((loan) => loan.enterpriseUscc));
const withNames = (lookup: NameLookup) => (loan: LoanState) => ({
  ...loanOut(loan),
  enterpriseName: lookup.enterprises.get(loan.enterpriseUscc) ?? null,
  bankName: lookup.banks.get(loan.bankId)?.name ?? null,
});

const loanOut = (loan: LoanState) => ({
  id: loan.id,
  bankId: loan.bankId,
  contractNo: loan.contractNo,
  enterpriseUscc: loan.enterpriseUscc,
  principal: formatYuan(loan.principalFen),
  annualRate: loan.annualRate,
  startDate: loan.startDate,
  maturityDate: loan.maturityDate,
  collateral: loan.collateral,
  ipPledgedAmount: loan.ipPledgedFen === null ? null : formatYuan(loan.ipPledgedFen),
  pledges: loan.pledges.map(pledgeOut),
  createdAt: loan.createdAt,
  asOf: loan.asOf,
  status: loan.status,
  outstandingPrincipal: formatYuan(loan.outstandingFen),
  interestPaid: formatYuan(loan.interestPaidFen),
  disbursed: formatYuan(loan.disbursedFen),
  settlementDate: loan.settlementDate,
});

/** A loan just created: nothing disbursed or paid yet, no event. */
const newLoanState = (loan: Loan): LoanState => ({
  ...loan,
  asOf: null,
  status: 'active',
  outstandingFen: 0n,
  interestPaidFen: 0n,
  disbursedFen: 0n,
  settlementDate: null,
});

const EventFields = {
  type: z.enum(EVENT_TYPES),
  date: PastDate.meta({ description: 'the value date: when it happened, never after today' }),
  amount: PositiveMoney.nullish().meta({ description: 'for disbursement, interest_payment and principal_repayment' }),
  periodFrom: IsoDate.nullish().meta({ description: 'interest_payment: first day of the period it covers' }),
  periodTo: IsoDate.nullish().meta({ description: 'interest_payment: last day of the period it covers' }),
  daysOverdue: z.coerce.number().int().min(1).max(36_500).nullish().meta({ description: 'overdue: days overdue on that date' }),
};
const EventIn = z.object(EventFields);
const BatchEventIn = z.object({ loanId: Identifier(100), ...EventFields });

const toEventInput = (loanId: string, body: z.output<typeof EventIn>): EventInput => ({
  loanId,
  type: body.type,
  date: body.date,
  amountFen: body.amount ?? null,
  periodFrom: body.periodFrom ?? null,
  periodTo: body.periodTo ?? null,
  daysOverdue: body.daysOverdue ?? null,
});

const EventOut = z.object({
  id: z.string(),
  loanId: z.string(),
  type: z.enum(EVENT_TYPES),
  date: z.string(),
  amount: z.string().nullable(),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  daysOverdue: z.number().nullable(),
  recordedAt: z.string(),
  ledgerEntryId: z.string().nullable(),
});
const eventOut = (event: LoanEvent) => ({
  id: event.id,
  loanId: event.loanId,
  type: event.type,
  date: event.date,
  amount: event.amountFen === null ? null : formatYuan(event.amountFen),
  periodFrom: event.periodFrom,
  periodTo: event.periodTo,
  daysOverdue: event.daysOverdue,
  recordedAt: event.recordedAt,
  ledgerEntryId: event.ledgerEntryId?.toString() ?? null,
});

/** The answer to one event: the event and its loan's figures after it. */
const recordedEventOut = ({ event, loan }: { event: LoanEvent; loan: Pick<LoanState, 'outstandingFen' | 'interestPaidFen' | 'disbursedFen' | 'status'> }) => ({
  ...eventOut(event),
  loan: {
    outstandingPrincipal: formatYuan(loan.outstandingFen),
    interestPaid: formatYuan(loan.interestPaidFen),
    disbursed: formatYuan(loan.disbursedFen),
    status: loan.status,
  },
});

const BatchOut = z.object({ count: z.number().int(), ids: z.array(z.string()) });
const BatchBody = z
  .array(z.unknown())
  .min(1, 'a batch needs at least one item')
  .max(MAX_BATCH_ITEMS, `a batch has at most ${MAX_BATCH_ITEMS.toLocaleString('en-US')} items`);

// ---------------------------------------------------------------------------------------------------------------
// Batches: JSON arrays, CSV or XLSX (src/imports), read row by row and field by field so that every bad row is named
// with all its problems.

/** The rows of a batch for the domain: whole rows, and for the others the fields that parsed (validation.ts). */
function batchRows<T, I>(parsed: ParsedItems<T>, whole: (value: T) => I, partial: (fields: Partial<T>) => Partial<I>) {
  const partials = new Map<number, PartialRow<I>>();
  const rows = parsed.rows.map((row, index): I | undefined => {
    if (row.value !== undefined) return whole(row.value);
    partials.set(index, { fields: partial(row.partial), failed: new Set(row.problems.map((problem) => problem.path.split('.')[0]!)) });
    return undefined;
  });
  return { rows, partials };
}

const toPartialLoanInput = (body: Partial<z.output<typeof LoanIn>>): Partial<LoanInput> => ({
  contractNo: body.contractNo,
  enterpriseUscc: body.enterpriseUscc,
  principalFen: body.principal,
  annualRate: body.annualRate,
  startDate: body.startDate,
  maturityDate: body.maturityDate,
  collateral: body.collateral,
  ipPledgedFen: body.ipPledgedAmount,
  pledges: body.pledges?.map(pledgeInput),
});

const toPartialEventInput = (body: Partial<z.output<typeof BatchEventIn>>): Partial<EventInput> => ({
  loanId: body.loanId,
  type: body.type,
  date: body.date,
  amountFen: body.amount,
  periodFrom: body.periodFrom,
  periodTo: body.periodTo,
  daysOverdue: body.daysOverdue,
});

/**
 * Staff's corrections of one thing about an enterprise (its division, its registered name), each with a reason:
 * `POST …/{segment}` records and audits one, `GET …/{segment}` lists them oldest first.
 */
function registerCorrectionRoutes<B extends z.ZodType>(
  registry: RouteRegistry,
  corrected: {
    segment: string;
    /** What is corrected, as the POST's summary names it. */
    what: string;
    /** As the GET's summary names it (default: `what`). */
    listed?: string;
    body: B;
    /** The 422's description. */
    refused: string;
    correct: (db: Queryable, uscc: string, body: z.output<B>, by: { principalId: string }) => Promise<{ enterprise: Enterprise; correction: Correction }>;
    list: (db: Queryable, uscc: string) => Promise<Correction[]>;
    auditAction: string;
  },
): void {
  const path = `/api/v1/enterprises/{uscc}/${corrected.segment}`;
  registry.add({
    method: 'post',
    path,
    summary: `Staff correct an enterprise's ${corrected.what}, saying why: recorded (from, to, reason, who, when) and audited`,
    tag: 'loans',
    roles: ['staff'],
    params: z.object({ uscc: Identifier(40) }),
    body: corrected.body,
    responses: {
      201: { description: 'the correction and the enterprise after it', schema: z.object({ enterprise: EnterpriseOut, correction: CorrectionOut }) },
      404: { description: 'not registered' },
      422: { description: corrected.refused },
    },
    handler: async ({ db, params, body, principal, audit }) => {
      const { enterprise, correction } = await corrected.correct(db, params.uscc, body, { principalId: principal.id });
      await audit(corrected.auditAction, { uscc: enterprise.uscc, correctionId: correction.id, from: correction.from, to: correction.to, reason: correction.reason });
      return { status: 201, body: { enterprise: enterpriseOut(enterprise), correction } };
    },
  });
  registry.add({
    method: 'get',
    path,
    summary: `An enterprise's ${corrected.listed ?? corrected.what} corrections, oldest first`,
    tag: 'loans',
    roles: ['staff', 'finance', 'auditor'],
    params: z.object({ uscc: Identifier(40) }),
    query: WholePage,
    responses: { 200: { description: 'the corrections', schema: pageOf(CorrectionOut) }, 404: { description: 'not registered' } },
    handler: async ({ db, params, query }) => {
      const enterprise = await getEnterprise(db, params.uscc);
      return { status: 200, body: pageOfWhole(await corrected.list(db, enterprise.uscc), query, (correction) => correction.id) };
    },
  });
}

/**
 * A batch write of one import kind (a bank's): read as a JSON array, CSV or XLSX (src/imports), written in one
 * transaction, all or nothing; a refusal names every bad row with all its problems. Answers the ids in the order sent.
 */
function registerBatchRoute(
  registry: RouteRegistry,
  batchOf: {
    path: string;
    summary: string;
    /** The body's description: what each item is. */
    items: string;
    /** The 201's description. */
    written: string;
    spec: ImportSpec;
    write: (db: Queryable, writer: Writer, batch: ImportBatch) => Promise<{ id: string }[]>;
  },
): void {
  registry.add({
    method: 'post',
    path: batchOf.path,
    summary: batchOf.summary,
    tag: 'loans',
    roles: ['bank'],
    body: BatchBody.meta({ description: batchOf.items }),
    bodyLimitBytes: BATCH_BODY_LIMIT_BYTES,
    query: ImportQuery,
    extraRequestContent: fileContent(batchOf.spec),
    responses: { 201: { description: batchOf.written, schema: BatchOut } },
    handler: async ({ db, body, query, principal }) => {
      const writer = writerOf(principal);
      const batch = await readBatch(batchOf.spec, body, { markCsv: query.markedSheet === 'true' });
      const written = await importing(batch, () => batchOf.write(db, writer, batch));
      return { status: 201, body: { count: written.length, ids: written.map((row) => row.id) } };
    },
  });
}

export function registerLoanRoutes(registry: RouteRegistry): void {
  // -------------------------------------------------------------------------------------------------------------
  // Enterprises

  registry.add({
    method: 'post',
    path: '/api/v1/enterprises',
    summary:
      "Register an enterprise by its USCC (GB 32100-2015 checked; staff may override the check for a legal pilot code). Its division is the USCC's characters 3–8; only staff record another, with a reason (audited) — a bank sending another divisionCode gets 422 naming it",
    tag: 'loans',
    roles: ['staff', 'bank'],
    body: z.object({
      uscc: Identifier(40),
      name: z.string().max(400),
      divisionCode: Identifier(20)
        .nullish()
        .meta({ description: "defaults to characters 3–8 of the USCC; another code only from staff, with divisionReason" }),
      divisionReason: z
        .string()
        .max(1000)
        .nullish()
        .meta({ description: "staff only, required with a divisionCode other than the USCC's: why (audited)" }),
      checkOverride: z
        .object({ reason: z.string().max(1000) })
        .nullish()
        .meta({ description: 'staff only: register a code that fails the check characters, saying why (audited)' }),
    }),
    responses: {
      201: { description: 'registered', schema: EnterpriseOut },
      409: { description: 'already registered' },
      422: { description: 'a bad field, named; a bank sending a divisionCode other than the USCC’s; staff without divisionReason' },
    },
    handler: async ({ db, body, principal, audit }) => {
      const enterprise = await registerEnterprise(db, body, {
        principalId: principal.id,
        principalName: principal.name,
        mayOverride: principal.role === 'staff',
      });
      if (enterprise.checkOverride) {
        await audit('enterprise.uscc_check_overridden', { uscc: enterprise.uscc, ...enterprise.checkOverride });
      }
      if (enterprise.divisionReason !== null) {
        await audit('enterprise.division_set', {
          uscc: enterprise.uscc,
          usccDivision: enterprise.uscc.slice(2, 8),
          divisionCode: enterprise.divisionCode,
          reason: enterprise.divisionReason,
        });
      }
      return { status: 201, body: enterpriseOut(enterprise) };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/enterprises',
    summary:
      'List enterprises, filtered (division code or its first digits, part of the name) and sorted on the server (default: by USCC); a bank: those it lends to, those on the white-list in force today and those it registered',
    tag: 'loans',
    roles: ALL_READERS,
    query: Page.extend({
      divisionCode: z.string().regex(/^\d{6}$/).optional(),
      divisionPrefix: z.string().regex(/^\d{2,6}$/, 'must be 2–6 digits of a division code, e.g. "3609"').optional(),
      name: z.string().max(200).optional(),
      sort: z.enum(sortValues(ENTERPRISE_SORT_COLUMNS)).optional().meta({ description: 'uscc (default), name or createdAt, "-" first for descending' }),
    }),
    responses: { 200: { description: 'a page of enterprises', schema: pageOf(EnterpriseOut) } },
    handler: async ({ db, query, principal }) => {
      const sort = parseSort(ENTERPRISE_SORT_COLUMNS, query.sort, { column: 'uscc', descending: false });
      const after = decodeKeyset(query.cursor, sort, ENTERPRISE_SORT_COLUMNS, /^[0-9A-Z]{1,40}$/);
      const page = await listEnterprises(
        db,
        { divisionCode: query.divisionCode, divisionPrefix: query.divisionPrefix, name: query.name },
        { limit: query.limit, sort, after },
        enterpriseScopeOf(principal),
      );
      return { status: 200, body: { items: page.items, nextCursor: page.next } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/enterprises/{uscc}',
    summary: 'One enterprise (a bank: only one it may list, else 404)',
    tag: 'loans',
    roles: ALL_READERS,
    params: z.object({ uscc: Identifier(40) }),
    responses: { 200: { description: 'the enterprise', schema: EnterpriseOut }, 404: { description: 'not registered (or, for a bank, not one it may see)' } },
    handler: async ({ db, params, principal }) => ({
      status: 200,
      body: enterpriseOut(await getEnterprise(db, params.uscc, enterpriseScopeOf(principal))),
    }),
  });

  registerCorrectionRoutes(registry, {
    segment: 'division-corrections',
    what: 'division',
    body: z.object({ divisionCode: Identifier(20), reason: z.string().max(1000) }),
    refused: 'a bad division code, no reason, or the division it already has',
    correct: correctDivision,
    list: listDivisionCorrections,
    auditAction: 'enterprise.division_corrected',
  });
  registerCorrectionRoutes(registry, {
    segment: 'name-corrections',
    what: 'registered name',
    listed: 'name',
    body: z.object({ name: z.string().max(1000), reason: z.string().max(1000) }).strict(),
    refused: 'an empty or too long name or reason, or the name it already has',
    correct: correctName,
    list: listNameCorrections,
    auditAction: 'enterprise.name_corrected',
  });

  // -------------------------------------------------------------------------------------------------------------
  // IP assets

  registry.add({
    method: 'get',
    path: '/api/v1/ip-assets',
    summary: 'An IP asset and every loan it backed, with dates (a bank sees its own loans only)',
    tag: 'loans',
    roles: ALL_READERS,
    query: z.object({ rightType: z.enum(RIGHT_TYPES), number: Identifier(100).min(1) }),
    responses: {
      200: {
        description: 'the asset and its loans',
        schema: z.object({
          id: z.string(),
          rightType: z.enum(RIGHT_TYPES),
          number: z.string(),
          loans: z.array(
            z.object({
              loanId: z.string(),
              bankId: z.string(),
              contractNo: z.string(),
              enterpriseUscc: z.string(),
              registrationNo: z.string().nullable(),
              startDate: z.string(),
              maturityDate: z.string(),
              settlementDate: z.string().nullable(),
              status: z.enum(LOAN_STATUSES),
            }),
          ),
        }),
      },
      404: { description: 'never pledged (or, for a bank, never pledged to it)' },
    },
    handler: async ({ db, query, principal }) => ({
      status: 200,
      body: await assetHistory(db, scopeOf(principal), query.rightType, query.number),
    }),
  });

  // -------------------------------------------------------------------------------------------------------------
  // Loans

  registry.add({
    method: 'post',
    path: '/api/v1/loans',
    summary: 'Record an IP-pledge loan (its principal is granted on the start date; nothing is outstanding until disbursed)',
    tag: 'loans',
    roles: ['bank'],
    body: LoanIn,
    responses: {
      201: { description: 'created', schema: LoanNamedOut },
      409: { description: 'this bank already has a loan with that contract number' },
    },
    // A body the schema refused still has its other rules checked (the dates' order, the enterprise registered, the
    // contract number unused) on the fields that parsed, as a batch row's are: the 422 names every bad field.
    invalidBody: async ({ db, body, principal }) => {
      const parsed = parseFields(LoanIn, body, checkInput);
      if (parsed.value !== undefined) return;
      const failed = new Set(parsed.problems.map((problem) => problem.path.split('.')[0]!));
      await createLoans(db, writerOf(principal), [undefined], {
        today: todayInChina(),
        single: true,
        parseProblems: parsed.problems,
        partialLoans: new Map([[0, { fields: toPartialLoanInput(parsed.partial), failed }]]),
      });
    },
    handler: async ({ db, body, principal }) => {
      const [loan] = await createLoans(db, writerOf(principal), [toLoanInput(body)], { today: todayInChina(), single: true });
      const created = newLoanState(loan!);
      return { status: 201, body: withNames(await namesOf(db, [created]))(created) };
    },
    oneStatement: async ({ db, body, principal, envelope }) => {
      // Alone, or with the loans of the same principal waiting at that moment (src/loans/groups.ts).
      const outcome = await loanWriteGroups(db).write(writerOf(principal), {
        input: toLoanInput(body),
        options: { today: todayInChina(), envelope: envelope(201), answer: (loan) => loanOut(newLoanState(loan)) },
      });
      if (outcome?.kind !== 'written') return outcome;
      const { loan, enterpriseName, bankName } = outcome.value;
      return { kind: 'written', value: { status: 201, body: { ...loanOut(newLoanState(loan)), enterpriseName, bankName } } };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/loans/{id}/pledges/{lineNo}/secured-amount',
    summary:
      "Record the claim a pledge's registration secures (担保债权数额) when the loan was recorded without it: once, never changed after; at most the principal",
    tag: 'loans',
    roles: ['bank'],
    params: z.object({ id: Uuid, lineNo: z.coerce.number().int().min(1).max(MAX_PLEDGES_PER_LOAN) }),
    body: z.object({ securedAmount: PositiveMoney }).strict(),
    responses: {
      201: { description: 'the pledge with its secured amount', schema: PledgeOut },
      409: { description: 'the pledge already states a secured amount' },
    },
    handler: async ({ db, params, body, principal, audit }) => {
      const pledge = await recordSecuredAmount(db, writerOf(principal), params.id.toLowerCase(), params.lineNo, body.securedAmount);
      await audit('loan.pledge_secured_amount_recorded', { loanId: params.id, lineNo: params.lineNo, securedAmount: formatYuan(body.securedAmount) });
      return { status: 201, body: pledgeOut(pledge, pledge.lineNo - 1) };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/loans/{id}',
    summary: 'A loan with its outstanding principal and interest paid (ledger balances) and status, now or as of a date',
    tag: 'loans',
    roles: ALL_READERS,
    params: z.object({ id: Identifier(100) }),
    query: z.object({ asOf: IsoDate.optional() }),
    responses: { 200: { description: 'the loan', schema: LoanNamedOut }, 404: { description: 'no such loan (or another bank’s)' } },
    handler: async ({ db, params, query, principal }) => {
      checkLoanId(params.id);
      const loan = await getLoan(db, scopeOf(principal), params.id.toLowerCase(), query.asOf ?? null);
      return { status: 200, body: withNames(await namesOf(db, [loan]))(loan) };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/loans',
    summary: 'List loans (a bank: its own), filtered and sorted (default: by start date), with totals over every matching loan',
    tag: 'loans',
    roles: ALL_READERS,
    query: Page.extend({
      bankId: Uuid.optional(),
      bank: Uuid.optional().meta({ description: 'alias of bankId' }),
      enterpriseUscc: Identifier(40).optional(),
      enterprise: Identifier(40).optional().meta({ description: 'alias of enterpriseUscc' }),
      status: z.enum(LOAN_STATUSES).optional(),
      rightType: z.enum(RIGHT_TYPES).optional(),
      startFrom: IsoDate.optional(),
      startTo: IsoDate.optional(),
      sort: z
        .enum(LOAN_SORT_VALUES)
        .optional()
        .meta({ description: 'a column, "-" first for descending; ties broken by id; a cursor is valid only with the sort it came from' }),
    }),
    responses: {
      200: {
        description: 'a page of loans and the totals of all matching loans',
        schema: pageOf(LoanNamedOut).extend({
          totals: z.object({
            count: z.number().int(),
            principal: z.string(),
            ipPledgedAmount: z.string(),
            outstandingPrincipal: z.string(),
            interestPaid: z.string(),
          }),
        }),
      },
    },
    handler: async ({ db, query, principal }) => {
      const sort = parseLoanSort(query.sort ?? 'startDate')!;
      const after = validLoanCursor(decodeCursor(query.cursor, z.unknown()), sort);
      const page = await listLoans(
        db,
        scopeOf(principal),
        {
          bankId: query.bankId ?? query.bank,
          enterpriseUscc: (query.enterpriseUscc ?? query.enterprise)?.trim().toUpperCase(),
          status: query.status,
          rightType: query.rightType,
          startFrom: query.startFrom,
          startTo: query.startTo,
        },
        { limit: query.limit, after, sort },
      );
      return {
        status: 200,
        body: {
          items: page.items.map((loan) => ({ ...loanOut(loan), enterpriseName: loan.enterpriseName, bankName: loan.bankName })),
          nextCursor: nextCursorOf(page),
          totals: {
            count: page.totals.count,
            principal: formatYuan(page.totals.principalFen),
            ipPledgedAmount: formatYuan(page.totals.ipPledgedFen),
            outstandingPrincipal: formatYuan(page.totals.outstandingFen),
            interestPaid: formatYuan(page.totals.interestPaidFen),
          },
        },
      };
    },
  });

  registerBatchRoute(registry, {
    path: '/api/v1/loans:batch',
    summary: 'Record up to 10,000 loans in one transaction, all or nothing (JSON array, or text/csv with pledges as rightType:number;…)',
    items: 'loan bodies as for POST /api/v1/loans',
    written: 'all created; ids in the order sent',
    spec: LOAN_IMPORT,
    write: (db, writer, batch) => {
      const parsed = parseItems(batch, LoanIn, checkInput);
      const { rows, partials } = batchRows(parsed, toLoanInput, toPartialLoanInput);
      return createLoans(db, writer, rows, { today: todayInChina(), parseProblems: parsed.problems, partialLoans: partials });
    },
  });

  // -------------------------------------------------------------------------------------------------------------
  // Loan events

  registry.add({
    method: 'post',
    path: '/api/v1/loans/{id}/events',
    summary: 'Record an event on one of your loans; money events post to its ledger accounts',
    tag: 'loans',
    roles: ['bank'],
    params: z.object({ id: Identifier(100) }),
    body: EventIn,
    responses: {
      201: {
        description: 'recorded',
        schema: EventOut.extend({ loan: LoanOut.pick({ outstandingPrincipal: true, interestPaid: true, disbursed: true, status: true }) }),
      },
      404: { description: 'no such loan (or another bank’s)' },
    },
    handler: async ({ db, params, body, principal }) => {
      checkLoanId(params.id);
      const writer = writerOf(principal);
      const [event] = await recordEvents(db, writer, [toEventInput(params.id, body)], { today: todayInChina(), single: true });
      const loan = await getLoan(db, scopeOf(principal), event!.loanId);
      return { status: 201, body: recordedEventOut({ event: event!, loan }) };
    },
    oneStatement: async ({ db, params, body, principal, envelope }) => {
      // Alone, or with the events of the same principal on other loans waiting at that moment (src/loans/groups.ts).
      const outcome = await eventWriteGroups(db).write(writerOf(principal), {
        input: toEventInput(params.id, body),
        options: { today: todayInChina(), envelope: envelope(201), answer: recordedEventOut },
      });
      return outcome?.kind === 'written' ? { kind: 'written', value: { status: 201, body: recordedEventOut(outcome.value) } } : outcome;
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/loans/{id}/events',
    summary: "A loan's events by value date, then in the order recorded",
    tag: 'loans',
    roles: ALL_READERS,
    params: z.object({ id: Identifier(100) }),
    query: Page,
    responses: { 200: { description: 'a page of events', schema: pageOf(EventOut) }, 404: { description: 'no such loan' } },
    handler: async ({ db, params, query, principal }) => {
      checkLoanId(params.id);
      const after = decodeCursor(query.cursor, z.tuple([CursorKeys.date, CursorKeys.serial]));
      const page = await listEvents(db, scopeOf(principal), params.id.toLowerCase(), { limit: query.limit, after });
      return { status: 200, body: { items: page.items.map(eventOut), nextCursor: nextCursorOf(page) } };
    },
  });

  registerBatchRoute(registry, {
    path: '/api/v1/loan-events:batch',
    summary: 'Record up to 10,000 events on your loans in one transaction, all or nothing (JSON array or text/csv)',
    items: 'event bodies as for POST /api/v1/loans/{id}/events, each with its loanId',
    written: 'all recorded; ids in the order sent',
    spec: LOAN_EVENT_IMPORT,
    write: async (db, writer, batch) => {
      // A row may name its loan by the bank's contract number (a clerk's sheet) instead of its id.
      const contractProblems = await loanIdsFromContracts(db, writer, batch.items);
      batch.problems.push(...contractProblems);
      const parsed = parseItems(batch, BatchEventIn, checkInput);
      // An unknown contract number is the row's problem; its missing loan id is the same one, not named twice.
      const unresolved = new Set(contractProblems.filter((problem) => problem.path === 'contractNo').map((problem) => problem.row));
      parsed.problems = parsed.problems.filter((problem) => !(problem.path === 'loanId' && unresolved.has(problem.row)));
      const { rows, partials } = batchRows(parsed, (event) => toEventInput(event.loanId, event), toPartialEventInput);
      return recordEvents(db, writer, rows, { today: todayInChina(), parseProblems: parsed.problems, partialEvents: partials });
    },
  });

  // -------------------------------------------------------------------------------------------------------------
  // Portfolio

  registry.add({
    method: 'get',
    path: '/api/v1/reports/portfolio',
    summary:
      "Pledge financing per year (principal of loans started) and its growth, by bank and right type; for an area, its enterprises' loans only, against the area's own targets in force (default year: the last complete one)",
    tag: 'loans',
    roles: ['staff', 'finance', 'auditor'],
    query: z.object({
      year: z.coerce.number().int().min(2000).max(2100).optional().meta({ description: 'default: the last complete year (China time)' }),
      area: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'must be an area code such as "dongyang" (GET /api/v1/areas)').optional(),
      divisionPrefix: z.string().regex(/^\d{2,6}$/, 'must be 2–6 digits of a division code, e.g. "360902"').optional(),
    }),
    responses: { 200: { description: 'the report', schema: PortfolioOut }, 404: { description: 'no such area' } },
    handler: async ({ db, query }) => ({
      status: 200,
      body: await portfolioReport(db, query.year ?? lastCompleteYear(), { area: query.area, divisionPrefix: query.divisionPrefix }),
    }),
  });
}

/** The cursor of a page's next page, null on the last one. */
const nextCursorOf = (page: { next: unknown }): string | null => (page.next ? encodeCursor(page.next) : null);

/** The last year that has ended, in China: what a dashboard shows unless asked for another. */
export const lastCompleteYear = (): number => Number(todayInChina().slice(0, 4)) - 1;

const YearFiguresOut = z.object({
  count: z.number().int(),
  principal: z.string(),
  ipPledgedAmount: z.string(),
  previousYearPrincipal: z.string(),
  growth: z.string().nullable().meta({ description: '(this year − last year) ÷ last year to 4 places; null when last year is 0' }),
});
const PortfolioOut = z.object({
  year: z.number().int(),
  area: z.object({ code: z.string(), name: z.string(), divisionPrefixes: z.array(z.string()) }).nullable(),
  divisionPrefix: z.string().nullable(),
  targets: z.array(TargetResultOut).meta({ description: "the area's targets in force in the year, each against what was lent there; empty without an area" }),
  total: YearFiguresOut,
  patent: YearFiguresOut,
  byBank: z.array(YearFiguresOut.extend({ bankId: z.string(), bankCode: z.string(), bankName: z.string() })),
  byRightType: z.array(YearFiguresOut.extend({ rightType: z.enum(RIGHT_TYPES) })),
  years: z.array(z.object({ year: z.number().int(), count: z.number().int(), principal: z.string(), growth: z.string().nullable() })),
});

/** PostgreSQL's bigint range: a sort value outside it is no loan's. */
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

const LOAN_SORT_VALUES = Object.keys(LOAN_SORT_COLUMNS).flatMap((column) => [column, `-${column}`]) as [string, ...string[]];

/**
 * The cursor of a page (base64url JSON `{ sort, value, id }`), checked against the sort it is used with: a cursor of
 * another sort, or a forged one, is a 422 rather than a page that silently starts elsewhere. The cursor of the list
 * before it could be sorted (`[startDate, id]`) still works with the default sort.
 */
function validLoanCursor(after: unknown, sort: LoanSort): LoanKeyset | undefined {
  if (after === undefined) return undefined;
  const invalid = (message: string) => new DomainError('validation_failed', `cursor: ${message}`, [{ path: 'cursor', message }]);
  const keyset =
    Array.isArray(after) && after.length === 2
      ? { sort: 'startDate', value: after[0] as unknown, id: after[1] as unknown }
      : typeof after === 'object' && after !== null
        ? (after as Record<string, unknown>)
        : undefined;
  if (!keyset || typeof keyset.value !== 'string' || typeof keyset.id !== 'string' || !Uuid.safeParse(keyset.id).success) {
    throw invalid('is not a cursor of this list');
  }
  if (keyset.sort !== formatLoanSort(sort)) throw invalid(`was made for sort=${String(keyset.sort)}; ask the first page again with sort=${formatLoanSort(sort)}`);
  const type = LOAN_SORT_COLUMNS[sort.column].type;
  const valid =
    type === 'date'
      ? isIsoDate(keyset.value)
      : type === 'bigint'
        ? /^-?\d{1,19}$/.test(keyset.value) && BigInt(keyset.value) >= BIGINT_MIN && BigInt(keyset.value) <= BIGINT_MAX
        : keyset.value.length <= 200;
  if (!valid) throw invalid('is not a cursor of this list');
  return { sort: keyset.sort, value: keyset.value, id: keyset.id };
}
