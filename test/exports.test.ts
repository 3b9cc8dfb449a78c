/**
 * 公示 and 对账 documents through the API: the publicity roster of a Yuanzhou 2024 run as XLSX and PDF,
 * and the split reconciliation as XLSX and PDF next to its CSV, opened the way people open them (exceljs; Debian's
 * pdftotext) and read for the Chinese title, an enterprise's name and the total worked by hand.
 *
 * Loans (as in test/subsidy.year.test.ts; days 30E/360): A 1,000,000.00 from 2024-03-15, 286 days in 2024 → 4,111.25
 * (city 2,055.63, district 2,055.62); B 600,000.00 from 2024-07-01, 200,000.00 repaid 2024-10-01: 90 days × 600,000 +
 * 90 days × 400,000 → 1,293.75 (city 646.88, district 646.87). Total 5,405.00; city 2,702.51, district 2,702.49.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { todayInChina } from '../src/dates';
import { rosterTitle } from '../src/reports';
import { startTestService, type AuthorisedAgent, type TestService } from './support/app';
import { binary } from './support/binary';
import { postLoan, uscc } from './support/subsidy';

let service: TestService;
let staff: AuthorisedAgent;
let cityFinance: AuthorisedAgent;
let auditor: AuthorisedAgent;
let bank: AuthorisedAgent;
const enterpriseA = uscc('360902', 11);
const enterpriseB = uscc('360902', 12);
let runId = '';

/** A merged title or footer line: exceljs repeats its value in every merged cell; the first is the line. */
const line = (values: unknown[][], row: number) => values[row]?.[0];

const download = (agent: AuthorisedAgent, url: string) => agent.get(url).buffer(true).parse(binary as never);

async function xlsxValues(buffer: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  return sheet.getSheetValues().map((row) => (Array.isArray(row) ? Array.from(row.slice(1), (cell: unknown) => cell ?? null) : []));
}

const pdftotextInstalled = spawnSync('pdftotext', ['-v']).status === 0;
if (!pdftotextInstalled && process.env.CI) throw new Error('pdftotext (poppler-utils) must be installed in CI');
function pdfText(buffer: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'export-')), 'document.pdf');
  fs.writeFileSync(file, buffer);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

beforeAll(async () => {
  service = await startTestService();
  staff = service.as(service.staffToken);
  cityFinance = service.as((await service.principal('finance', { body: 'city' })).token);
  auditor = service.as((await service.principal('auditor')).token);
  bank = service.as((await service.bank()).token);
  for (const [code, name] of [
    [enterpriseA, '宜春市袁州区星火专利科技有限公司'],
    [enterpriseB, '袁州新材料股份有限公司'],
  ] as const) {
    expect((await staff.post('/api/v1/enterprises').send({ uscc: code, name })).status).toBe(201);
  }
  await postLoan(bank, {
    contractNo: 'EX-A',
    enterpriseUscc: enterpriseA,
    principal: '1000000.00',
    startDate: '2024-03-15',
    maturityDate: '2026-03-15',
    assetSerial: 11,
    events: [{ type: 'disbursement', date: '2024-03-15', amount: '1000000.00' }],
  });
  await postLoan(bank, {
    contractNo: 'EX-B',
    enterpriseUscc: enterpriseB,
    principal: '600000.00',
    startDate: '2024-07-01',
    maturityDate: '2025-06-30',
    assetSerial: 12,
    events: [
      { type: 'disbursement', date: '2024-07-01', amount: '600000.00' },
      { type: 'principal_repayment', date: '2024-10-01', amount: '200000.00' },
    ],
  });
  const run = await staff.post('/api/v1/subsidy-runs').send({ policyId: 'yuanzhou-2023', year: 2024 });
  expect(run.status).toBe(201);
  expect(run.body.total).toBe('5405.00');
  runId = run.body.id;
});
afterAll(() => service.close());

it('titles the roster from the policy: place + what is supported + year', () => {
  expect(rosterTitle('袁州区加强专利建设促进知识产权高质量发展实施方案：专利权质押贷款贴息', 2024, 'regular')).toBe('袁州区专利权质押贷款贴息公示名单（2024年度）');
  expect(rosterTitle('安康市专利转化运用促进知识产权高质量发展若干措施：知识产权质押贷款贴息', 2025, 'regular')).toBe('安康市知识产权质押贷款贴息公示名单（2025年度）');
  expect(rosterTitle('没有冒号的标题', 2024, 'adjustment')).toBe('没有冒号的标题公示名单（2024年度·调整）');
});

it('refuses the roster of a run before it is publicised (409), and a format it does not make (422)', async () => {
  const draft = await staff.get(`/api/v1/subsidy-runs/${runId}/roster?format=xlsx`);
  expect(draft.status).toBe(409);
  expect(draft.body.detail).toMatch(/from "publicised" on/);
  expect((await staff.get(`/api/v1/subsidy-runs/${runId}/roster?format=docx`)).status).toBe(422);
  expect((await bank.get(`/api/v1/subsidy-runs/${runId}/roster?format=pdf`)).status).toBe(403);
  expect((await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'reviewed' })).status).toBe(200);
  expect((await staff.get(`/api/v1/subsidy-runs/${runId}/roster?format=pdf`)).status).toBe(409);
  const publicised = await staff
    .post(`/api/v1/subsidy-runs/${runId}/transitions`)
    .send({ to: 'publicised', publicityFrom: '2025-01-02', publicityTo: '2025-01-09' });
  expect(publicised.status).toBe(200);
});

describe('the roster of a publicised run', () => {
  it('as XLSX: title, document number, publicity period, one row per enterprise and the total 5,405.00', async () => {
    const response = await download(auditor, `/api/v1/subsidy-runs/${runId}/roster?format=xlsx`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/spreadsheetml/);
    const disposition = response.headers['content-disposition'] as string;
    expect(disposition).toContain(`filename="roster-${runId}.xlsx"`);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe('袁州区专利权质押贷款贴息公示名单（2024年度）.xlsx');
    const values = await xlsxValues(response.body as Buffer);
    expect(line(values, 1)).toBe('袁州区专利权质押贷款贴息公示名单（2024年度）');
    expect(line(values, 2)).toBe('政策文件：袁府办字〔2023〕25号');
    expect(line(values, 3)).toBe('公示期：2025-01-02 至 2025-01-09');
    const [first, second] = [enterpriseA, enterpriseB].sort();
    const nameOf = (code: string) => (code === enterpriseA ? '宜春市袁州区星火专利科技有限公司' : '袁州新材料股份有限公司');
    const amountOf = (code: string) => (code === enterpriseA ? 4111.25 : 1293.75);
    expect(values[5]).toEqual([1, nameOf(first!), first, amountOf(first!)]);
    expect(values[6]).toEqual([2, nameOf(second!), second, amountOf(second!)]);
    // 4,111.25 + 1,293.75 = 5,405.00
    expect(values[7]).toEqual([null, '合计（2 户）', null, 5405]);
  });

  (pdftotextInstalled ? it : it.skip)('as PDF: the same, readable back as Chinese text', async () => {
    const response = await download(cityFinance, `/api/v1/subsidy-runs/${runId}/roster?format=pdf`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const text = pdfText(response.body as Buffer);
    expect(text).toContain('袁州区专利权质押贷款贴息公示名单（2024年度）');
    expect(text).toContain('袁府办字〔2023〕25号');
    expect(text).toContain('2025-01-02 至 2025-01-09');
    expect(text).toContain('宜春市袁州区星火专利科技有限公司');
    expect(text).toContain('¥4,111.25');
    expect(text).toContain('¥5,405.00');
  });
});

describe('the split reconciliation as XLSX and PDF', () => {
  beforeAll(async () => {
    expect((await staff.post(`/api/v1/subsidy-runs/${runId}/transitions`).send({ to: 'approved' })).status).toBe(200);
    const paid = await cityFinance
      .post(`/api/v1/subsidy-runs/${runId}/payments`)
      .send({ body: 'city', amount: '1000.00', date: todayInChina(), reference: '市财拨〔2025〕1号' });
    expect(paid.status).toBe(201);
  });

  it('for staff: every body, the totals and the ledger check (XLSX)', async () => {
    const response = await download(staff, '/api/v1/reports/split-reconciliation?year=2024&format=xlsx');
    expect(response.status).toBe(200);
    expect(decodeURIComponent((response.headers['content-disposition'] as string).split("filename*=UTF-8''")[1]!)).toBe('2024年度贴息资金分担对账表.xlsx');
    const values = await xlsxValues(response.body as Buffer);
    expect(line(values, 1)).toBe('2024年度贴息资金分担对账表');
    // city: approved 2,702.51, paid 1,000.00, outstanding 1,702.51; district: 2,702.49, 0.00, 2,702.49.
    expect(values).toContainEqual(['出资方', '市财政', '—', 2702.51, 1000, 1702.51]);
    expect(values).toContainEqual(['出资方', '区财政', '—', 2702.49, 0, 2702.49]);
    // The one run of the year, named as clerks name it: the policy's short title, the year and the policy version.
    expect(values).toContainEqual(['批次', '市财政', '袁州区专利权质押贷款贴息 2024 年度 第 2 版', 2702.51, 1000, 1702.51]);
    // The city's 1,000.00 is spread pro rata to what each is owed: A 1,000.00 × 2,055.63 / 2,702.51 = 760.637… and
    // B × 646.88 / 2,702.51 = 239.362…: floors 760.63 + 239.36, the last fen to A (.7 > .2) → 760.64,
    // leaving 2,055.63 − 760.64 = 1,294.99.
    expect(values).toContainEqual(['企业', '市财政', `宜春市袁州区星火专利科技有限公司 ${enterpriseA}`, 2055.63, 760.64, 1294.99]);
    // Totals: 5,405.00 approved, 1,000.00 paid, 4,405.00 outstanding.
    expect(values).toContainEqual(['合计', null, null, 5405, 1000, 4405]);
    expect(values.flat().some((cell) => typeof cell === 'string' && cell.startsWith('账实核对：一致'))).toBe(true);
  });

  (pdftotextInstalled ? it : it.skip)("for a finance bureau: both bodies' figures, or its own when it asks (PDF)", async () => {
    const both = await download(cityFinance, '/api/v1/reports/split-reconciliation?year=2024&format=pdf');
    expect(both.status).toBe(200);
    expect(both.headers['content-disposition']).toContain('filename="split-reconciliation-2024.pdf"');
    const bothText = pdfText(both.body as Buffer);
    expect(bothText).toContain('¥1,702.51'); // the city's outstanding
    expect(bothText).toContain('¥2,702.49'); // the district's
    expect(bothText).toContain('区财政');

    const response = await download(cityFinance, '/api/v1/reports/split-reconciliation?year=2024&body=city&format=pdf');
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toContain('filename="split-reconciliation-2024-city.pdf"');
    const text = pdfText(response.body as Buffer);
    expect(text).toContain('2024年度贴息资金分担对账表（市财政）');
    expect(text).toContain('宜春市袁州区星火专利科技有限公司');
    expect(text).toContain('¥1,702.51');
    expect(text).toContain('账实核对：一致');
    expect(text).not.toContain('区财政');
  });
});
