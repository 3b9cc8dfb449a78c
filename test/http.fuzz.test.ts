/**
 * Bad input is never a 500 (README "Security"): every write operation of `/openapi.json` (POST, PUT, PATCH, DELETE),
 * called by each role it allows with real ids in its path, is sent mutated bodies — strings with NUL, unpaired
 * surrogates, control characters or 100,000 characters, wrong types, missing and extra fields at every depth, whole
 * bodies of the wrong type, malformed and too deeply nested JSON, bodies over the limit, forms, XML, multipart and
 * CSV where it is not declared, bad path parameters and unknown query parameters. Each answer must be below 500, a
 * 4xx must be problem+json naming its status and request id, and a refused request must change no table — counted
 * row by row before and after, except `audit_log`: a refused request by a known principal is audited, after the
 * answer, on purpose. Seeded: the same mutations in the same order on every run.
 */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { listen } from '../src/http/listen';
import { yuanzhou2023 } from '../src/subsidy/policies';
import { PATENT, USCC } from './loans.support';
import { startTestService, type TestService } from './support/app';

/** Tables a refused request may grow: only the audit log (its row is written after the answer). */
/**
 * Tables a refusal writes by design: the audit log, and a run's progress (written beside the run's transaction, so
 * that the console can poll it; a refused run ends `failed` there).
 */
const TABLES_A_REFUSAL_WRITES = new Set(['audit_log', 'subsidy_run_progress']);
/** Leaf mutations tried per operation and role, drawn by the seeded generator from all of them. */
const LEAF_MUTATIONS_PER_CALLER = 40;
const SEED = 20_261_203;

type Role = 'staff' | 'bank' | 'finance' | 'auditor';
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Operation {
  method: string;
  path: string;
  roles: Role[];
  contentTypes: string[];
  bodySchema: JsonSchema | undefined;
}
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: Json[];
  const?: Json;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  examples?: Json[];
  minimum?: number;
  minItems?: number;
  format?: string;
  pattern?: string;
}

interface Mutation {
  name: string;
  /** The body as bytes (undefined: none) and its Content-Type. */
  body?: string | Buffer;
  contentType?: string;
  /** Replaces the real path (bad path parameters) or adds a query. */
  path?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// A seeded generator (mulberry32): the same choices on every run.

function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const seedOf = (text: string) => [...text].reduce((hash, character) => Math.imul(hash ^ character.charCodeAt(0), 16_777_619) >>> 0, SEED);

function sample<T>(items: T[], count: number, random: () => number): T[] {
  const pool = [...items];
  for (let index = pool.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [pool[index], pool[other]] = [pool[other]!, pool[index]!];
  }
  return pool.slice(0, count);
}

// ---------------------------------------------------------------------------------------------------------------
// The service, its fixtures and the real ids the paths take

let service: TestService;
let server: http.Server;
let base: string;
const tokens = {} as Record<Role, string>;
const ids: Record<string, string> = {};
let countSql: string;

async function call(method: string, path: string, token: string | undefined, body?: string | Buffer, contentType?: string) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (contentType) headers['content-type'] = contentType;
  const response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
}

async function must(method: string, path: string, role: Role, body: unknown, status = 201): Promise<Record<string, unknown>> {
  const response = await call(method, path, tokens[role], JSON.stringify(body), 'application/json');
  if (response.status !== status) throw new Error(`fixture ${method} ${path} → ${response.status}: ${response.text.slice(0, 500)}`);
  return JSON.parse(response.text) as Record<string, unknown>;
}

const loanBody = (contractNo: string, securedAmount: Json = '1000000.00'): Record<string, Json> => ({
  contractNo,
  enterpriseUscc: USCC.yuanzhou,
  principal: '1000000.00',
  annualRate: '0.0435',
  startDate: '2024-02-01',
  maturityDate: '2026-02-01',
  collateral: 'ip_only',
  pledges: [{ rightType: 'patent', number: PATENT.invention, registrationNo: null, securedAmount }],
});

const fundParameters = (): Record<string, Json> => ({
  shareOfLoss: '0.5',
  shareTiers: [{ upTo: '500000.00', share: '0.8' }],
  leverage: '10',
  claimAfterDaysOverdue: 90,
  capPerLoan: '300000.00',
  bodies: ['city', 'district'],
});

beforeAll(async () => {
  service = await startTestService();
  const listening = await listen(service.app, { host: '127.0.0.1', port: 0 });
  server = listening.server;
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bank = await service.bank();
  tokens.staff = service.staffToken;
  tokens.bank = bank.token;
  tokens.finance = (await service.principal('finance', { body: 'city' })).token;
  tokens.auditor = (await service.principal('auditor')).token;
  ids.bankId = bank.bankId;
  ids.principal = (await service.principal('auditor', { name: 'to be revoked' })).id;

  await must('POST', '/api/v1/enterprises', 'staff', { uscc: USCC.yuanzhou, name: '袁州模糊测试企业' });
  // Its pledge without a secured amount, so that recording one (a route of its own) is possible.
  const loan = await must('POST', '/api/v1/loans', 'bank', loanBody('FUZZ-LOAN-1', null));
  ids.loan = loan.id as string;
  const event = (body: Record<string, Json>) => must('POST', `/api/v1/loans/${ids.loan}/events`, 'bank', body);
  await event({ type: 'disbursement', date: '2024-02-01', amount: '1000000.00' });
  await event({ type: 'overdue', date: '2025-01-01' });
  await event({ type: 'default', date: '2025-02-01' });

  const fund = await must('POST', '/api/v1/funds', 'staff', { code: 'FUZZ', name: '模糊测试基金', effectiveFrom: '2024-01-01', ...fundParameters() });
  ids.fund = fund.id as string;
  await must('POST', `/api/v1/funds/${ids.fund}/contributions`, 'staff', { body: 'city', amount: '1000000.00', date: '2024-01-10' });
  ids.enrolment = (await must('POST', `/api/v1/funds/${ids.fund}/enrolments`, 'bank', { loanId: ids.loan, date: '2024-03-01' })).id as string;
  ids.claim = (await must('POST', `/api/v1/funds/${ids.fund}/claims`, 'bank', { loanId: ids.loan, date: '2025-06-01' })).id as string;

  // A draft run (recomputed, moved on) and a reviewed one (objections are raised against reviewed runs).
  ids.run = (await must('POST', '/api/v1/subsidy-runs', 'staff', { policyId: 'yuanzhou-2023', year: 2024 })).id as string;
  ids.reviewedRun = (await must('POST', '/api/v1/subsidy-runs', 'staff', { policyId: 'yuanzhou-2023', year: 2024 })).id as string;
  await must('POST', `/api/v1/subsidy-runs/${ids.reviewedRun}/transitions`, 'staff', { to: 'reviewed' }, 200);
  ids.objection = (
    await must('POST', `/api/v1/subsidy-runs/${ids.reviewedRun}/objections`, 'staff', { enterpriseUscc: USCC.yuanzhou, text: '异议' })
  ).id as string;
  ids.statusRecord = (
    await must('POST', `/api/v1/enterprises/${USCC.yuanzhou}/status-records`, 'staff', { condition: 'not_in_normal_operation', from: '2023-03-01', to: '2023-06-30', reason: '停产整顿' })
  ).id as string;
  ids.exclusion = (await must('POST', `/api/v1/enterprises/${USCC.yuanzhou}/exclusions`, 'staff', { year: 2021, reason: '劳动纠纷' })).id as string;
  ids.listing = (
    await must('POST', '/api/v1/whitelist', 'staff', { enterpriseUscc: USCC.yuanzhou, reason: '高价值专利', validFrom: '2024-01-01', validTo: '2026-12-31' })
  ).id as string;

  const tables = await service.db.pool.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const counted = tables.rows.map((row) => row.name).filter((name) => !TABLES_A_REFUSAL_WRITES.has(name));
  expect(counted.length).toBeGreaterThan(20);
  countSql = `select json_build_object(${counted.map((name) => `'${name}', (select count(*) from "${name}")`).join(', ')}) as counts`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await service.close();
});

async function rowCounts(): Promise<Record<string, number>> {
  return (await service.db.pool.query<{ counts: Record<string, number> }>(countSql)).rows[0]!.counts;
}

/** The real id for each path parameter, by the resource the path names before it. */
function realPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_whole, name: string, offset: number) => {
    const before = path.slice(0, offset);
    if (name === 'uscc') return USCC.yuanzhou;
    if (name === 'lineNo') return '1';
    if (name === 'claimId') return ids.claim!;
    if (name === 'enrolmentId') return ids.enrolment!;
    if (name === 'objectionId') return ids.objection!;
    if (before.endsWith('/status-records/')) return ids.statusRecord!;
    if (before.endsWith('/exclusions/')) return ids.exclusion!;
    if (before.endsWith('/principals/')) return ids.principal!;
    if (before.endsWith('/loans/')) return ids.loan!;
    if (before.endsWith('/funds/')) return ids.fund!;
    if (before.endsWith('/subsidy-runs/')) return path.includes('/objections') ? ids.reviewedRun! : ids.run!;
    if (before.endsWith('/whitelist/')) return ids.listing!;
    if (before.endsWith('/areas/')) return 'dongyang';
    if (before.endsWith('/subsidy-run-progress/')) return '00000000-0000-4000-8000-000000000000';
    throw new Error(`no real id for {${name}} in ${path}: add it to the fuzz fixtures`);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Valid bodies: known ones for the operations of today, generated from the schema for any other.

function knownBody(key: string): Json | undefined {
  const bodies: Record<string, () => Json> = {
    'POST /api/v1/principals': () => ({ name: '模糊测试用户', role: 'bank', bankId: ids.bankId! }),
    'POST /api/v1/banks': () => ({ code: 'FUZZBANK', name: '模糊测试银行' }),
    'POST /api/v1/enterprises': () => ({ uscc: USCC.dongyang, name: '东阳模糊测试企业', divisionCode: '330783', checkOverride: null }),
    'POST /api/v1/loans': () => loanBody('FUZZ-NEW'),
    'POST /api/v1/loans:batch': () => [loanBody('FUZZ-BATCH')],
    'POST /api/v1/loans/{id}/events': () => ({ type: 'interest_payment', date: '2024-06-01', amount: '100.00', periodFrom: '2024-05-01', periodTo: '2024-05-31' }),
    'POST /api/v1/loan-events:batch': () => [{ loanId: ids.loan!, type: 'interest_payment', date: '2024-06-01', amount: '10.00', daysOverdue: null }],
    'POST /api/v1/rates': () => ({ index: 'LPR1Y', effectiveDate: '2024-01-22', rate: '0.0345', source: '中国人民银行授权全国银行间同业拆借中心公布' }),
    'POST /api/v1/policies': () => JSON.parse(JSON.stringify({ ...yuanzhou2023, version: 99 })) as Json,
    'POST /api/v1/loans/{id}/pledges/{lineNo}/secured-amount': () => ({ securedAmount: '800000.00' }),
    'POST /api/v1/loans/{id}/fees': () => ({ kind: 'evaluation', amount: '100.00', paidOn: '2024-03-01' }),
    'POST /api/v1/loans/{id}/other-support': () => ({ programme: '市级专利资助', fiscalLevel: 'city', amount: '100.00', year: 2024 }),
    'POST /api/v1/enterprises/{uscc}/premiums': () => ({ amount: '100.00', paidOn: '2024-03-01' }),
    'POST /api/v1/enterprises/{uscc}/contributions': () => ({ year: 2024, amount: '100.00' }),
    'POST /api/v1/enterprises/{uscc}/exclusions': () => ({ year: 2023, reason: '安全生产事故' }),
    'POST /api/v1/enterprises/{uscc}/status-records': () => ({ condition: 'not_independent_legal_person', from: '2024-01-01', to: null, reason: '个体工商户' }),
    'POST /api/v1/enterprises/{uscc}/status-records/{id}/withdrawal': () => ({ date: '2024-02-01', reason: '记录有误' }),
    'POST /api/v1/enterprises/{uscc}/exclusions/{id}/withdrawal': () => ({ reason: '误列，经核实无违法行为' }),
    'POST /api/v1/enterprises/{uscc}/name-corrections': () => ({ name: '袁州模糊测试企业（更名）', reason: '营业执照变更' }),
    'POST /api/v1/subsidy-runs': () => ({ policyId: 'yuanzhou-2023', year: 2024, budget: [{ body: 'city', amount: '1000.00' }] }),
    'POST /api/v1/simulations': () => ({ policyId: 'yuanzhou-2023', year: 2024, changes: { ratio: '0.20' }, budget: [{ body: 'city', amount: '1000.00' }] }),
    'POST /api/v1/subsidy-runs/{id}/recompute': () => ({ policyVersion: 1, budget: [{ body: 'city', amount: '1000.00' }] }),
    'POST /api/v1/subsidy-runs/{id}/transitions': () => ({ to: 'reviewed', date: '2025-03-01' }),
    'POST /api/v1/subsidy-runs/{id}/objections': () => ({ enterpriseUscc: USCC.yuanzhou, loanId: ids.loan!, text: '金额有误' }),
    'POST /api/v1/subsidy-runs/{id}/objections/{objectionId}/resolution': () => ({ resolution: 'dismissed', text: '核实无误' }),
    'POST /api/v1/subsidy-runs/{id}/payments': () => ({ body: 'city', amount: '1.00', date: '2024-06-01', reference: 'FZ-2024-001' }),
    'POST /api/v1/funds': () => ({ code: 'FUZZ2', name: '模糊测试基金二', effectiveFrom: '2024-01-01', ...fundParameters() }),
    'POST /api/v1/funds/{id}/versions': () => ({ effectiveFrom: '2025-01-01', reference: '第十四条', ...fundParameters() }),
    'POST /api/v1/funds/{id}/contributions': () => ({ body: 'city', amount: '100.00', date: '2024-01-10' }),
    'POST /api/v1/funds/{id}/enrolments': () => ({ loanId: ids.loan!, date: '2024-03-01' }),
    'POST /api/v1/funds/{id}/enrolments/{enrolmentId}/withdrawal': () => ({ date: '2025-03-01' }),
    'POST /api/v1/funds/{id}/claims': () => ({ loanId: ids.loan!, date: '2025-06-01' }),
    'POST /api/v1/funds/{id}/claims/{claimId}/transitions': () => ({ to: 'approved', date: '2025-06-02', reason: '核实' }),
    'POST /api/v1/funds/{id}/recoveries': () => ({ loanId: ids.loan!, date: '2025-07-01', proceeds: '10.00' }),
    'POST /api/v1/funds/{id}/write-offs': () => ({ loanId: ids.loan!, date: '2025-07-01', reason: '无法追偿', amount: '1.00' }),
    'POST /api/v1/whitelist': () => ({ enterpriseUscc: USCC.yuanzhou, reason: '高价值专利', validFrom: '2025-01-01', validTo: '2025-12-31' }),
    'POST /api/v1/whitelist/{id}/removal': () => ({ reason: '有效期内撤销' }),
    'POST /api/v1/imports/contributions': () => [{ enterpriseUscc: USCC.yuanzhou, year: 2024, amount: '100.00' }],
    'POST /api/v1/imports/premiums': () => [{ enterpriseUscc: USCC.yuanzhou, amount: '100.00', paidOn: '2024-03-02' }],
    'POST /api/v1/imports/exclusions': () => [{ enterpriseUscc: USCC.yuanzhou, year: 2022, reason: '安全生产事故' }],
    'POST /api/v1/imports/other-support': () => [{ loanId: ids.loan!, programme: '省级专利资助', fiscalLevel: 'province', amount: '100.00' }],
    'POST /api/v1/imports/fees': () => [{ loanId: ids.loan!, kind: 'guarantee', amount: '100.00', paidOn: '2024-03-02' }],
    'POST /api/v1/imports/rates': () => [{ index: 'LPR5Y', effectiveDate: '2024-01-23', rate: '0.042' }],
    'POST /api/v1/areas/{code}/targets': () => ({ measure: 'annual_amount', scope: 'ip', fromYear: 2030, amount: '1000.00', reference: '测试依据' }),
    'POST /api/v1/areas/{code}/population': () => ({ year: 2024, population: 1000, reference: '统计公报' }),
  };
  return bodies[key]?.();
}

/** A plausible value of a JSON schema, for operations this suite has no known body for. */
function generate(schema: JsonSchema | undefined, name = ''): Json {
  if (!schema) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0]!;
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return generate(options.find((option) => option.type !== 'null') ?? options[0], name);
  if (schema.examples?.length) return schema.examples[0]!;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, property]) => [key, generate(property, key)]));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => generate(schema.items, name));
    case 'integer':
    case 'number':
      return /year/i.test(name) ? 2024 : Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'string':
      if (/loanId/.test(name)) return ids.loan!;
      if (/bankId/.test(name)) return ids.bankId!;
      if (/uscc/i.test(name)) return USCC.yuanzhou;
      if (/date|On$|From$|To$/.test(name)) return '2024-06-01';
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      return 'fuzz';
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations

type Path = (string | number)[];

function leafPaths(value: Json, path: Path = [], out: Array<{ path: Path; value: Json }> = []) {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((item, index) => leafPaths(item, [...path, index], out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) leafPaths(item, [...path, key], out);
  return out;
}

function setAt(root: Json, path: Path, replace: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return replace(root) ?? null;
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  let parent = copy as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  const next = replace(parent[last]!);
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = next;
  }
  return copy;
}

const LONG = 'x'.repeat(100_000);
const STRING_MUTANTS: Array<[string, (old: string) => Json]> = [
  ['NUL inside', (old) => `${old}\u0000x`],
  ['lone high surrogate', (old) => `${old}\uD800`],
  ['lone low surrogate', (old) => `\uDC00${old}`],
  ['control character', (old) => `${old.slice(0, 3)}\u0007${old.slice(3)}`],
  ['line break', (old) => `${old}\n`],
  ['zero-width space', (old) => `${old}\u200B`],
  ['100,000 characters', () => LONG],
  ['empty', () => ''],
  ['a number', () => 12_345],
  ['an object', () => ({ nested: 'x' })],
  ['an array', () => ['x']],
  ['null', () => null],
  ['not a decimal', () => 'abc'],
  ['a negative decimal', () => '-1.00'],
  ['a date in 9999', () => '9999-12-31'],
  ['a date in the future', () => '2099-01-01'],
  ['a date of 1900', () => '1900-01-01'],
];
const OTHER_MUTANTS: Array<[string, (old: Json) => Json | undefined]> = [
  ['a string', () => 'abc'],
  ['a huge number', () => 1e308],
  ['a fraction', () => 0.5],
  ['negative', () => -1],
  ['null', () => null],
  ['true', () => true],
  ['an object', () => ({ nested: 1 })],
  ['removed', () => undefined],
];

function leafMutations(body: Json): Array<{ name: string; body: Json }> {
  const mutations: Array<{ name: string; body: Json }> = [];
  for (const { path, value } of leafPaths(body)) {
    const where = path.join('.') || '(body)';
    if (path.length > 0) mutations.push({ name: `${where} removed`, body: setAt(body, path, () => undefined) });
    if (typeof value === 'string') {
      for (const [name, mutate] of STRING_MUTANTS) mutations.push({ name: `${where}: ${name}`, body: setAt(body, path, () => mutate(value)) });
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      mutations.push({ name: `${where}: extra field`, body: setAt(body, path, (old) => ({ ...(old as object), unexpectedField: 1 })) });
      mutations.push({ name: `${where}: an array instead`, body: setAt(body, path, () => [1]) });
    } else if (Array.isArray(value)) {
      mutations.push({ name: `${where}: an object instead`, body: setAt(body, path, () => ({ 0: 'x' })) });
      mutations.push({ name: `${where}: a wrong item added`, body: setAt(body, path, (old) => [...(old as Json[]), 'wrong']) });
      mutations.push({ name: `${where}: empty`, body: setAt(body, path, () => []) });
    } else {
      for (const [name, mutate] of OTHER_MUTANTS) mutations.push({ name: `${where}: ${name}`, body: setAt(body, path, mutate) });
    }
  }
  return mutations;
}

const json = (name: string, body: Json | string): Mutation => ({
  name,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  contentType: 'application/json',
});

function structuralMutations(operation: Operation, valid: Json | undefined): Mutation[] {
  const path = realPath(operation.path);
  const mutations: Mutation[] = [
    json('null body', null),
    json('a number', 42),
    json('a string', 'text'),
    json('an empty object', {}),
    json('an empty array', []),
    json('malformed JSON', '{"a": '),
    json('5,000 levels of nesting', `${'['.repeat(5_000)}${']'.repeat(5_000)}`),
    json('5,000 levels of nested objects', `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`),
    json('200 kB', JSON.stringify({ padding: 'x'.repeat(200_000) })),
    { name: 'no body at all' },
    { name: 'a form', body: 'code=X&name=Y', contentType: 'application/x-www-form-urlencoded' },
    { name: 'XML', body: '<?xml version="1.0"?><body><code>X</code></body>', contentType: 'application/xml' },
    {
      name: 'multipart',
      body: '--fuzz\r\nContent-Disposition: form-data; name="code"\r\n\r\nX\r\n--fuzz--\r\n',
      contentType: 'multipart/form-data; boundary=fuzz',
    },
    { name: 'text/plain JSON', body: JSON.stringify(valid ?? {}), contentType: 'text/plain' },
    { name: 'CSV with a NUL', body: 'contractNo,loanId\r\nA\u0000B,x\r\n', contentType: 'text/csv' },
    { name: 'CSV header only', body: 'contractNo\r\n', contentType: 'text/csv' },
    { name: 'JSON without Content-Type', body: JSON.stringify(valid ?? {}) },
    { name: 'JSON in Latin-1', body: JSON.stringify(valid ?? {}), contentType: 'application/json; charset=latin1' },
    { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]), contentType: 'application/json' },
    { ...json('an unknown query parameter', valid ?? {}), path: `${path}?unexpected=1` },
    { ...json('a query parameter with NUL', valid ?? {}), path: `${path}?unexpected=%00` },
  ];
  if (valid !== undefined && valid !== null && typeof valid === 'object' && !Array.isArray(valid)) {
    mutations.push(json('an extra top-level field', { ...valid, unexpectedField: 'x' }));
    mutations.push(json('a field name with NUL', { ...valid, ['bad\u0000name']: 1 }));
  }
  if (Array.isArray(valid)) {
    mutations.push(json('10,001 items', Array.from({ length: 10_001 }, () => valid[0]!)));
    mutations.push(json('an item with an extra field', [{ ...(valid[0] as object), unexpectedField: 1 }]));
  }
  for (const parameter of operation.path.match(/\{\w+\}/g) ?? []) {
    for (const [name, value] of [
      ['not an id', 'not-an-id'],
      ['NUL', '%00'],
      ['an unpaired surrogate', '%ED%A0%80'],
      ['broken percent-encoding', '%E0%A4%A'],
      ['5,000 characters', 'a'.repeat(5_000)],
      ['a control character', 'abc%07'],
    ] as const) {
      const bad = realPath(operation.path.replace(parameter, '\u0001')).replace('\u0001', value);
      mutations.push({ ...json(`${parameter} ${name}`, valid ?? {}), path: bad });
    }
  }
  return mutations;
}

// ---------------------------------------------------------------------------------------------------------------

function writeOperations(document: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = (operation.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)?.content ?? {};
      operations.push({
        method: method.toUpperCase(),
        path,
        roles: operation['x-roles'] as Role[],
        contentTypes: Object.keys(content),
        bodySchema: content['application/json']?.schema,
      });
    }
  }
  return operations;
}

it('no write operation answers 500 to bad input, every refusal is problem+json, and a refusal writes nothing', async () => {
  const document = (await (await fetch(`${base}/openapi.json`)).json()) as Parameters<typeof writeOperations>[0];
  const operations = writeOperations(document);
  expect(operations.length).toBeGreaterThanOrEqual(30);
  const failures: string[] = [];
  let requests = 0;
  const statuses = new Map<number, number>();
  let before = await rowCounts();
  for (const operation of operations) {
    const key = `${operation.method} ${operation.path}`;
    const valid = operation.bodySchema ? (knownBody(key) ?? generate(operation.bodySchema)) : undefined;
    for (const role of operation.roles) {
      const random = generator(seedOf(`${key} ${role}`));
      const leaves = valid === undefined ? [] : sample(leafMutations(valid), LEAF_MUTATIONS_PER_CALLER, random).map((m) => json(m.name, m.body));
      for (const mutation of [...structuralMutations(operation, valid), ...leaves]) {
        const response = await call(operation.method, mutation.path ?? realPath(operation.path), tokens[role], mutation.body, mutation.contentType);
        requests += 1;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const after = await rowCounts();
        const what = `${key} as ${role}, ${mutation.name}: ${response.status}`;
        if (response.status >= 500) failures.push(`${what} ${response.text.slice(0, 300)}`);
        if (response.status >= 400) {
          if (!/^application\/problem\+json/.test(response.contentType)) failures.push(`${what}: not problem+json (${response.contentType})`);
          else {
            const problem = JSON.parse(response.text) as { status?: number; code?: string; requestId?: string };
            if (problem.status !== response.status || !problem.code || !problem.requestId) failures.push(`${what}: incomplete problem ${response.text.slice(0, 200)}`);
          }
          const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
          if (changed.length > 0) failures.push(`${what}: refused, yet changed ${changed.map((t) => `${t} ${before[t]}→${after[t]}`).join(', ')}`);
        }
        before = after;
      }
    }
  }
  // Every kind of refusal was met (a suite whose bodies all bounced at one gate would prove little).
  for (const status of [400, 413, 415, 422]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
  expect(requests).toBeGreaterThan(1_000);
  expect(failures).toEqual([]);
}, 300_000);
