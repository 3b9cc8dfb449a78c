/**
 * Imports a clerk can use: the templates, the banks' loans from an XLSX with Excel's habits, and the service centre's
 * inputs of the yearly runs. All or nothing; every problem of every bad row named at once, with the row and column
 * the spreadsheet shows and a Chinese message; the sheet back with its bad cells marked.
 */
import ExcelJS from 'exceljs';
import { addDays, todayInChina } from '../src/dates';
import { IMPORT_SPECS } from '../src/imports';
import { count, registerEnterprises, USCC } from './loans.support';
import { startTestService, type TestService } from './support/app';
import { binary } from './support/binary';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

let service: TestService;
let bank: { token: string; bankId: string };
beforeAll(async () => {
  service = await startTestService();
  await registerEnterprises(service);
  bank = await service.bank('XL-BANK');
});
afterAll(() => service.close());

async function workbook(sheetName: string, rows: unknown[][], format?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  rows.forEach((row, index) => {
    if (row.length > 0) sheet.getRow(index + 1).values = row as ExcelJS.CellValue[];
  });
  format?.(sheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function readXlsx(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  return book;
}

const postFile = (token: string, path: string, body: Buffer | string, type = XLSX) =>
  service.as(token).post(path).set('Content-Type', type).send(body);

const LOAN_HEADER = ['合同编号', '统一社会信用代码', '贷款金额（元）', '年利率', '起始日', '到期日', '担保方式', '知识产权质押部分金额（元）', '质押的知识产权'];

describe('templates', () => {
  it('every kind offers an XLSX template with its Chinese headers and a 填写说明 sheet, and a UTF-8 CSV Excel opens', async () => {
    for (const spec of IMPORT_SPECS) {
      const xlsx = await service.as(service.staffToken).get(`/api/v1/imports/templates/${spec.kind}?format=xlsx`).buffer(true).parse(binary);
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent(`${spec.title}导入模板.xlsx`));
      const book = await readXlsx(xlsx.body as Buffer);
      const [data, notes] = book.worksheets;
      expect((data!.getRow(1).values as unknown[]).slice(1)).toEqual(spec.columns.map((column) => column.header));
      expect(notes!.name).toBe('填写说明');
      expect(notes!.getCell('A2').value).toBe(spec.columns[0]!.header);

      const csv = await service.as(service.staffToken).get(`/api/v1/imports/templates/${spec.kind}?format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.text).toBe(`\ufeff${spec.columns.map((column) => column.header).join(',')}\r\n`);
    }
  });

  it('the loans template itself, filled in, is imported', async () => {
    const template = await service.as(bank.token).get('/api/v1/imports/templates/loans').buffer(true).parse(binary);
    const book = await readXlsx(template.body as Buffer);
    const sheet = book.getWorksheet('贷款')!;
    sheet.getRow(2).values = ['T-1', USCC.ankang, 500000, 0.045, day('2024-05-06'), day('2025-05-06'), '纯知识产权质押', null, '专利:202310123456.6'];
    const response = await postFile(bank.token, '/api/v1/loans:batch', Buffer.from(await book.xlsx.writeBuffer()));
    expect(response.status).toBe(201);
    const loan = await service.as(bank.token).get(`/api/v1/loans/${response.body.ids[0]}`);
    expect(loan.body).toMatchObject({ contractNo: 'T-1', principal: '500000.00', annualRate: '0.045', startDate: '2024-05-06', maturityDate: '2025-05-06' });
  });
});

describe("a bank's loans from a spreadsheet", () => {
  const writes = async () => ({ loans: await count(service, 'loan'), pledges: await count(service, 'pledge'), entries: await count(service, 'ledger_entry') });

  it('one bad row: every problem of it named at once (row, column, Chinese), nothing written, the sheet marked', async () => {
    const before = await writes();
    const file = await workbook('贷款', [
      LOAN_HEADER,
      ['XL-1', USCC.yuanzhou, '1,234,567.89', '4.35%', day('2024-01-15'), '2025/01/15', '纯知识产权质押', null, '专利:202310123456.6'],
      // A date that is not one, and a valid USCC no enterprise is registered under: today only the date would be named.
      ['XL-2', USCC.unregistered, 2000000, 0.04, '2024/13/01', '2026/03/01', '组合担保', '1,500,000.00', '商标：12345678'],
      [],
      ['XL-3', ` ${USCC.dongyang} `, '1,23,4.00', 0.05, 45352, '2026年3月1日', '纯知识产权质押', null, '专利:202310123456.6'],
    ]);
    const response = await postFile(bank.token, '/api/v1/loans:batch', file);
    expect(response.status).toBe(422);
    expect(response.body.detailZh).toBe('2 行有误，未导入任何一行');
    // Item 2 is sheet row 3; item 3 is sheet row 5 (row 4 is empty). Columns: B = USCC, C = amount, E = start date.
    expect(response.body.errors).toEqual([
      {
        row: 2,
        sheetRow: 3,
        path: 'enterpriseUscc',
        column: '统一社会信用代码',
        cell: 'B3',
        message: 'no enterprise with this USCC is registered: register it first (POST /api/v1/enterprises)',
        messageZh: '尚未登记此统一社会信用代码的企业：请先在“企业”页登记',
      },
      {
        row: 2,
        sheetRow: 3,
        path: 'startDate',
        column: '起始日',
        cell: 'E3',
        message: 'must be a date YYYY-MM-DD',
        messageZh: '应为日期，如 2026-10-10、2026/10/10，或 Excel 日期单元格',
      },
      {
        row: 3,
        sheetRow: 5,
        path: 'principal',
        column: '贷款金额（元）',
        cell: 'C5',
        message: 'must be a decimal string with at most 2 decimal places, e.g. "1000000.00"',
        messageZh: '应为金额，如 1,234,567.89（最多两位小数，可带千位分隔符）',
      },
    ]);
    expect(await writes()).toEqual(before);

    const marked = response.body.markedSheet;
    expect(marked).toMatchObject({ fileName: '贷款导入-错误标注.xlsx', contentType: XLSX });
    const book = await readXlsx(Buffer.from(marked.base64, 'base64'));
    const sheet = book.getWorksheet('贷款')!;
    for (const address of ['B3', 'E3', 'C5']) {
      expect((sheet.getCell(address).fill as ExcelJS.FillPattern).fgColor).toEqual({ argb: 'FFFFC7CE' });
    }
    expect(sheet.getCell('E3').note).toBe('应为日期，如 2026-10-10、2026/10/10，或 Excel 日期单元格');
    expect(sheet.getCell('A3').fill).toBeUndefined();
    // The problems of each row in a last column (J: the sheet has 9 columns).
    expect(sheet.getCell('J1').value).toBe('导入问题');
    expect(sheet.getCell('J3').value).toBe('「统一社会信用代码」尚未登记此统一社会信用代码的企业：请先在“企业”页登记；「起始日」应为日期，如 2026-10-10、2026/10/10，或 Excel 日期单元格');
    expect(sheet.getCell('J2').value).toBeNull();

    // Fixed in the marked sheet itself and sent back: its 导入问题 column is ignored, its marks cleared.
    sheet.getCell('B3').value = USCC.ankang;
    sheet.getCell('E3').value = day('2024-03-01');
    sheet.getCell('C5').value = '1,234.00';
    const again = await postFile(bank.token, '/api/v1/loans:batch', Buffer.from(await book.xlsx.writeBuffer()));
    expect(again.status).toBe(201);
    expect(again.body.count).toBe(3);
  });

  it('the good file: amounts with separators, rates as percents, date cells, serials and 2026/10/10 are read exactly', async () => {
    const file = await workbook(
      '贷款',
      [
        LOAN_HEADER,
        ['XG-1', USCC.yuanzhou, '1,234,567.89', '4.35%', day('2024-01-15'), '2025/01/15', '纯知识产权质押', null, '专利:202310123456.6'],
        // 45,352 is 2024-03-01: 2024-01-01 is serial 45,292 (45,658 for 2025-01-01 − 366), + 31 (Jan) + 29 (Feb).
        ['XG-2', USCC.dongyang, 2000000, 0.04, 45352, '2026年3月1日', '组合担保', ' 1,500,000.00 ', '商标：12345678'],
      ],
      (sheet) => {
        sheet.getCell('C3').numFmt = '#,##0.00';
        sheet.getCell('D3').numFmt = '0.00%';
      },
    );
    const response = await postFile(bank.token, '/api/v1/loans:batch', file);
    expect(response.status).toBe(201);
    const [first, second] = await Promise.all(response.body.ids.map((id: string) => service.as(bank.token).get(`/api/v1/loans/${id}`)));
    expect(first!.body).toMatchObject({
      contractNo: 'XG-1',
      principal: '1234567.89',
      annualRate: '0.0435',
      startDate: '2024-01-15',
      maturityDate: '2025-01-15',
      collateral: 'ip_only',
      ipPledgedAmount: '1234567.89',
      pledges: [{ rightType: 'patent', number: '202310123456.6' }],
    });
    expect(second!.body).toMatchObject({
      contractNo: 'XG-2',
      enterpriseUscc: USCC.dongyang,
      principal: '2000000.00',
      annualRate: '0.04',
      startDate: '2024-03-01',
      maturityDate: '2026-03-01',
      collateral: 'combination',
      ipPledgedAmount: '1500000.00',
      pledges: [{ rightType: 'trademark', number: '12345678' }],
    });
  });

  it('a CSV with Chinese headers and the columns in another order is read the same way', async () => {
    const csv = ['合同编号,起始日,到期日,统一社会信用代码,贷款金额（元）,年利率,担保方式,质押的知识产权', `XC-1,2024/02/01,2025/02/01,${USCC.ankang},"300,000.00",3.9%,纯知识产权质押,专利:202310123456.6`].join('\r\n');
    const response = await postFile(bank.token, '/api/v1/loans:batch', csv, 'text/csv');
    expect(response.status).toBe(201);
    const loan = await service.as(bank.token).get(`/api/v1/loans/${response.body.ids[0]}`);
    expect(loan.body).toMatchObject({ principal: '300000.00', annualRate: '0.039', startDate: '2024-02-01' });
  });

  it("events name their loan by the bank's contract number; an unknown one is named once, in its own column", async () => {
    const csv = ['合同编号,事件类型,日期,金额（元）', 'XG-2,放款,2024/03/01,"2,000,000.00"', 'NO-SUCH,放款,2024/03/01,1'].join('\n');
    const refused = await postFile(bank.token, '/api/v1/loan-events:batch', csv, 'text/csv');
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ row: 2, sheetRow: 3, path: 'contractNo', column: '合同编号', cell: 'A3', messageZh: '本行没有合同编号为 NO-SUCH 的贷款' }),
    ]);
    const accepted = await postFile(bank.token, '/api/v1/loan-events:batch', csv.split('\n').slice(0, 2).join('\n'), 'text/csv');
    expect(accepted.status).toBe(201);
    const loans = await service.as(bank.token).get('/api/v1/loans?limit=500');
    const loan = loans.body.items.find((item: { contractNo: string }) => item.contractNo === 'XG-2');
    // The 2,000,000.00 loan is fully disbursed on 2024-03-01.
    expect(loan).toMatchObject({ disbursed: '2000000.00', outstandingPrincipal: '2000000.00' });
  });

  it('an unknown column refuses the file naming it, with the header cell marked', async () => {
    const file = await workbook('贷款', [[...LOAN_HEADER, '颜色'], ['XU-1', USCC.yuanzhou, 1, 0.04, day('2024-01-15'), day('2025-01-15'), '纯知识产权质押', null, '专利:202310123456.6', '红']]);
    const response = await postFile(bank.token, '/api/v1/loans:batch', file);
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: '(header)', sheetRow: 1, cell: 'J1', column: '颜色', messageZh: expect.stringContaining('不认识的列名「颜色」') }),
    ]);
  });

  it('a JSON batch gets every problem of a row at once too', async () => {
    const response = await service
      .as(bank.token)
      .post('/api/v1/loans:batch')
      .send([{ contractNo: 'XJ-1', enterpriseUscc: USCC.unregistered, principal: '1000.00', annualRate: '0.04', startDate: 'soon', maturityDate: '2025-01-01', collateral: 'ip_only', pledges: [{ rightType: 'patent', number: '202310123456.6' }] }]);
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual(['startDate', 'enterpriseUscc']);
    expect(response.body.markedSheet).toBeUndefined();
  });
});

describe("the service centre's imports of the runs' inputs", () => {
  let loanOne = '';
  let loanTwo = '';
  beforeAll(async () => {
    const created = await service
      .as(bank.token)
      .post('/api/v1/loans:batch')
      .send(
        ['SI-1', 'SI-2'].map((contractNo) => ({
          contractNo,
          enterpriseUscc: USCC.yuanzhou,
          principal: '1000000.00',
          annualRate: '0.04',
          startDate: '2024-01-10',
          maturityDate: '2025-01-10',
          collateral: 'ip_only',
          pledges: [{ rightType: 'patent', number: '202310123456.6' }],
        })),
      );
    [loanOne, loanTwo] = created.body.ids;
  });
  const staff = () => service.staffToken;
  let bankName = '';
  beforeAll(async () => {
    bankName = (await service.db.pool.query<{ name: string }>(`select name from bank where code = 'XL-BANK'`)).rows[0]!.name;
  });

  it('contributions: 2024年 and 2,500,000.00 are read; the enterprise name, when given, must be the registered one', async () => {
    const bad = await workbook('企业地方贡献', [
      ['统一社会信用代码', '企业名称', '年度', '地方贡献（元）'],
      [USCC.dongyang, '某某公司', '2024年', '2,500,000.00'],
      [USCC.dongyang, null, 2024, 100],
    ]);
    const refused = await postFile(staff(), '/api/v1/imports/contributions', bad);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ sheetRow: 2, cell: 'B2', column: '企业名称', messageZh: `与登记的企业名称不一致：${USCC.dongyang} 登记为「dongyang 企业」（信用代码或名称填错了？）` }),
      expect.objectContaining({ sheetRow: 3, cell: 'C3', column: '年度', messageZh: '与第 1 行重复' }),
    ]);
    expect(await count(service, 'subsidy_contribution')).toBe(0);

    const good = await workbook('企业地方贡献', [
      ['统一社会信用代码', '企业名称', '年度', '地方贡献（元）'],
      [USCC.dongyang, 'dongyang 企业', '2024年', '2,500,000.00'],
      [USCC.yuanzhou, null, 2024, 1000000.5],
    ]);
    const response = await postFile(staff(), '/api/v1/imports/contributions', good);
    expect(response.status).toBe(201);
    expect(response.body.count).toBe(2);
    const listed = await service.as(staff()).get(`/api/v1/enterprises/${USCC.dongyang}/contributions`);
    expect(listed.body.items).toEqual([expect.objectContaining({ year: 2024, amount: '2500000.00', current: true })]);
    const other = await service.as(staff()).get(`/api/v1/enterprises/${USCC.yuanzhou}/contributions`);
    expect(other.body.items).toEqual([expect.objectContaining({ year: 2024, amount: '1000000.50' })]);
  });

  it('premiums from a CSV with Chinese headers: "30,000.00" paid 2024/06/30; a premium dated after today is refused', async () => {
    const tomorrow = addDays(todayInChina(), 1).replace(/-/g, '/');
    const csv = `统一社会信用代码,保费（元）,缴费日期\n${USCC.dongyang},"30,000.00",${tomorrow}\n`;
    const refused = await postFile(staff(), '/api/v1/imports/premiums', csv, 'text/csv');
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ sheetRow: 2, column: '缴费日期', cell: 'C2', messageZh: expect.stringMatching(/^不能晚于今天/) })]);
    // A refused CSV carries the marked sheet (as XLSX) only when asked, as the console does.
    expect(refused.body.markedSheet).toBeUndefined();
    const asked = await postFile(staff(), '/api/v1/imports/premiums?markedSheet=true', csv, 'text/csv');
    const marked = (await readXlsx(Buffer.from(asked.body.markedSheet.base64, 'base64'))).worksheets[0]!;
    expect(marked.getCell('C2').value).toBe(tomorrow);
    expect(marked.getCell('C2').note).toBe(asked.body.errors[0].messageZh);
    const response = await postFile(staff(), '/api/v1/imports/premiums', `统一社会信用代码,保费（元）,缴费日期\n${USCC.dongyang},"30,000.00",2024/06/30\n`, 'text/csv');
    expect(response.status).toBe(201);
    const listed = await service.as(staff()).get(`/api/v1/enterprises/${USCC.dongyang}/premiums`);
    expect(listed.body.items).toEqual([expect.objectContaining({ amount: '30000.00', paidOn: '2024-06-30' })]);
    // The same file again would record the premium twice: refused, naming the row.
    const twice = await postFile(staff(), '/api/v1/imports/premiums', `统一社会信用代码,保费（元）,缴费日期\n${USCC.dongyang},"30,000.00",2024/06/30\n`, 'text/csv');
    expect(twice.status).toBe(422);
    expect(twice.body.errors[0].messageZh).toBe('该企业 2024-06-30 缴纳的 30000.00 元保费已登记过');
  });

  it('exclusions from a JSON array of the same items', async () => {
    const response = await service
      .as(staff())
      .post('/api/v1/imports/exclusions')
      .send([{ enterpriseUscc: USCC.ankang, year: 2024, reason: '2024 年发生安全生产事故' }]);
    expect(response.status).toBe(201);
    const listed = await service.as(staff()).get(`/api/v1/enterprises/${USCC.ankang}/exclusions`);
    expect(listed.body.items).toEqual([expect.objectContaining({ year: 2024, reason: '2024 年发生安全生产事故' })]);
  });

  it('other support and fees name each loan by its bank (code or name) and contract number', async () => {
    const support = await workbook('其他政策支持', [
      ['贷款银行', '合同编号', '支持项目', '财政级次', '支持金额（元）', '所属年度'],
      ['xl-bank', 'SI-1', '市科技贷款贴息', '市', '20,000', 2024],
      ['XL-BANK', 'NO-SUCH', '市科技贷款贴息', '省级', 1, null],
    ]);
    const refused = await postFile(staff(), '/api/v1/imports/other-support', support);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ sheetRow: 3, cell: 'B3', column: '合同编号', messageZh: `${bankName}没有合同编号为 NO-SUCH 的贷款` }),
    ]);
    const fixed = await workbook('其他政策支持', [
      ['贷款银行', '合同编号', '支持项目', '财政级次', '支持金额（元）', '所属年度'],
      ['xl-bank', 'SI-1', '市科技贷款贴息', '市', '20,000', 2024],
    ]);
    expect((await postFile(staff(), '/api/v1/imports/other-support', fixed)).status).toBe(201);
    const listed = await service.as(staff()).get(`/api/v1/loans/${loanOne}/other-support`);
    expect(listed.body.items).toEqual([expect.objectContaining({ programme: '市科技贷款贴息', fiscalLevel: 'city', amount: '20000.00', year: 2024 })]);

    const fees = await workbook('评估担保保险费', [
      ['贷款银行', '合同编号', '费用类型', '金额（元）', '支付日期'],
      [bankName, 'SI-2', '评估费', 12000, day('2024-02-01')],
      [null, null, '担保费', '8,000.00', '2024/02/03'],
    ]);
    const refusedFees = await postFile(staff(), '/api/v1/imports/fees', fees);
    expect(refusedFees.status).toBe(422);
    expect(refusedFees.body.errors).toEqual([expect.objectContaining({ sheetRow: 3, messageZh: '请填写贷款银行和合同编号（或贷款编号）' })]);
    const goodFees = await workbook('评估担保保险费', [
      ['贷款银行', '合同编号', '费用类型', '金额（元）', '支付日期'],
      [bankName, 'SI-2', '评估费', 12000, day('2024-02-01')],
      [null, null, '担保费', '8,000.00', '2024/02/03', loanTwo],
    ]);
    // The loan's id in a column without a header is a problem of its own: the clerk meant 贷款编号.
    const unnamed = await postFile(staff(), '/api/v1/imports/fees', goodFees);
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.errors.map((error: { cell?: string }) => error.cell)).toContain('F3');
    const withId = await workbook('评估担保保险费', [
      ['贷款银行', '合同编号', '费用类型', '金额（元）', '支付日期', '贷款编号'],
      [bankName, 'SI-2', '评估费', 12000, day('2024-02-01'), null],
      [null, null, '担保费', '8,000.00', '2024/02/03', loanTwo],
    ]);
    expect((await postFile(staff(), '/api/v1/imports/fees', withId)).status).toBe(201);
    const listedFees = await service.as(staff()).get(`/api/v1/loans/${loanTwo}/fees`);
    expect(listedFees.body.items.map((fee: { kind: string; amount: string; paidOn: string }) => [fee.kind, fee.amount, fee.paidOn])).toEqual([
      ['evaluation', '12000.00', '2024-02-01'],
      ['guarantee', '8000.00', '2024-02-03'],
    ]);
  });

  it('rate fixings: 3.45% and date cells read; a repeated fixing is left as it is, another rate for a stored date refused', async () => {
    // LPR5Y 3.95 % from 2024-02-20 is among the shipped fixings (data/reference-rates.csv); LPR1Y did not change that day.
    const rows = [
      ['利率品种', '生效日期', '利率', '来源'],
      ['一年期LPR', day('2024-02-20'), '3.45%', '全国银行间同业拆借中心公告'],
      ['五年期以上LPR', '2024/02/20', 0.0395, null],
    ];
    const first = await postFile(staff(), '/api/v1/imports/rates', await workbook('LPR与基准利率', rows));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ count: 1, unchanged: 1, ids: ['LPR1Y:2024-02-20'] });
    const rates = await service.as(staff()).get('/api/v1/rates?index=LPR1Y');
    expect(rates.body.items.filter((rate: { effectiveDate: string }) => rate.effectiveDate === '2024-02-20')).toEqual([
      expect.objectContaining({ rate: '0.0345', source: '全国银行间同业拆借中心公告' }),
    ]);

    const again = await postFile(staff(), '/api/v1/imports/rates', await workbook('LPR与基准利率', rows));
    expect(again.body).toMatchObject({ count: 0, unchanged: 2 });
    const changed = await postFile(staff(), '/api/v1/imports/rates', await workbook('LPR与基准利率', [rows[0]!, ['一年期LPR', '2024-02-20', '3.40%']]));
    expect(changed.status).toBe(422);
    expect(changed.body.errors).toEqual([expect.objectContaining({ cell: 'C2', messageZh: '2024-02-20 起的这一利率已登记为 0.0345，利率一经登记不再修改' })]);
  });

  it('a bank may not import the inputs, and staff may not import loans', async () => {
    expect((await service.as(bank.token).post('/api/v1/imports/rates').send([])).status).toBe(403);
    expect((await service.as(staff()).post('/api/v1/loans:batch').send([{}])).status).toBe(403);
  });
});
