/**
 * Every kind of import, with the columns of its template. The banks import their loans and loan events; the service
 * centre imports what the yearly runs need besides: enterprises' local contributions (《关于全面加强知识产权工作的实施
 * 意见》 § 22), patent-insurance premiums (§ 6), exclusions (§ 23), other programmes' support of a loan
 * (袁府办字〔2023〕25号 奖励认定1; § 21), Yuanzhou's evaluation, guarantee and insurance fees (袁府办字〔2023〕25号 四(三)2)
 * and LPR and benchmark rate fixings. The fields are the API's: a template row is the JSON item of the kind's batch.
 */
import { parsePledgeList } from '../loans/csv';
import type { Choice } from './cells';
import type { ImportColumn, ImportSpec } from './types';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

const COLLATERAL_CHOICES: readonly Choice[] = [
  { value: 'ip_only', label: '纯知识产权质押', aliases: ['纯质押', '知识产权质押', '单纯质押'] },
  { value: 'combination', label: '组合担保', aliases: ['组合', '组合贷款', '组合质押'] },
];

export const EVENT_TYPE_CHOICES: readonly Choice[] = [
  { value: 'disbursement', label: '放款', aliases: ['发放', '贷款发放'] },
  { value: 'interest_payment', label: '付息', aliases: ['还息', '支付利息'] },
  { value: 'principal_repayment', label: '还本', aliases: ['归还本金', '还款'] },
  { value: 'overdue', label: '逾期' },
  { value: 'default', label: '违约', aliases: ['不良'] },
  { value: 'settlement', label: '结清', aliases: ['还清'] },
];

const FISCAL_LEVEL_CHOICES: readonly Choice[] = [
  { value: 'national', label: '国家', aliases: ['中央', '国家级'] },
  { value: 'province', label: '省', aliases: ['省级'] },
  { value: 'city', label: '市', aliases: ['市级'] },
  { value: 'district', label: '区', aliases: ['区级'] },
  { value: 'county', label: '县', aliases: ['县级'] },
];

const FEE_KIND_CHOICES: readonly Choice[] = [
  { value: 'evaluation', label: '评估费', aliases: ['评估'] },
  { value: 'guarantee', label: '担保费', aliases: ['担保'] },
  { value: 'insurance', label: '保险费', aliases: ['保险'] },
];

const RATE_INDEX_CHOICES: readonly Choice[] = [
  { value: 'LPR1Y', label: '一年期LPR', aliases: ['1年期LPR', 'LPR一年期', 'LPR(1年期)'] },
  { value: 'LPR5Y', label: '五年期以上LPR', aliases: ['5年期以上LPR', 'LPR五年期以上', 'LPR(5年期以上)'] },
  { value: 'PBOC_LE1Y', label: '一年以内（含一年）贷款基准利率', aliases: ['一年以内贷款基准利率', '1年以内基准利率'] },
  { value: 'PBOC_1TO5Y', label: '一至五年（含五年）贷款基准利率', aliases: ['一至五年贷款基准利率', '1-5年基准利率'] },
  { value: 'PBOC_GT5Y', label: '五年以上贷款基准利率', aliases: ['5年以上基准利率'] },
];

const uscc: ImportColumn = {
  field: 'enterpriseUscc',
  header: '统一社会信用代码',
  aliases: ['企业统一社会信用代码', '借款企业统一社会信用代码', '信用代码', 'uscc'],
  kind: 'text',
  required: true,
  note: '企业的 18 位统一社会信用代码（企业须已在“企业”页登记）',
  example: '91360902MA36R7KCX7',
  width: 24,
};

const enterpriseName: ImportColumn = {
  field: 'enterpriseName',
  header: '企业名称',
  aliases: ['借款企业', '企业'],
  kind: 'text',
  required: false,
  note: '可不填；填了则须与登记的企业名称一致，用来发现填错的信用代码',
  example: '宜春某某科技有限公司',
  width: 28,
};

/** A loan of a partner bank, named the way staff know it: the bank and its contract number (or the loan's id). */
const loanColumns: ImportColumn[] = [
  {
    field: 'bank',
    header: '贷款银行',
    aliases: ['银行', '银行代码', '银行名称', 'bankCode'],
    kind: 'text',
    required: false,
    note: '发放贷款的合作银行：银行代码或登记的银行名称（与合同编号一起确定贷款；也可只填贷款编号）',
    example: 'ICBC-YZ',
    width: 20,
  },
  {
    field: 'contractNo',
    header: '合同编号',
    aliases: ['贷款合同编号', '借款合同编号'],
    kind: 'text',
    required: false,
    note: '该银行的贷款合同编号',
    example: 'JK-2026-0001',
    width: 20,
  },
  {
    field: 'loanId',
    header: '贷款编号',
    aliases: ['贷款ID'],
    kind: 'text',
    required: false,
    note: '可不填：系统中的贷款编号（贷款详情页可见）；填了则不必填银行和合同编号',
    example: null,
    width: 38,
  },
];

const money = (field: string, header: string, note: string, example: number, required = true, aliases: string[] = []): ImportColumn => ({
  field,
  header,
  aliases,
  kind: 'money',
  required,
  note: `${note}；单位元，最多两位小数，可带千位分隔符`,
  example,
  width: 18,
});

const date = (field: string, header: string, note: string, example: string, required = true, aliases: string[] = []): ImportColumn => ({
  field,
  header,
  aliases,
  kind: 'date',
  required,
  note: `${note}；如 2026-10-10、2026/10/10 或 Excel 日期`,
  example: day(example),
  width: 14,
});

const year = (note: string, required = true): ImportColumn => ({
  field: 'year',
  header: '年度',
  aliases: ['所属年度', '年份'],
  kind: 'year',
  required,
  note,
  example: 2025,
  width: 10,
});

export const LOAN_IMPORT: ImportSpec = {
  kind: 'loans',
  title: '贷款',
  purpose: '合作银行报送知识产权质押贷款',
  columns: [
    { field: 'contractNo', header: '合同编号', aliases: ['贷款合同编号', '借款合同编号'], kind: 'text', required: true, note: '本行的贷款合同编号，本行内不重复', example: 'JK-2026-0001', width: 20 },
    { ...uscc, note: '借款企业的 18 位统一社会信用代码（企业须已登记）' },
    money('principal', '贷款金额（元）', '合同约定的贷款本金', 1_000_000, true, ['贷款金额', '合同金额', '本金']),
    { field: 'annualRate', header: '年利率', aliases: ['合同利率', '利率'], kind: 'rate', required: true, note: '合同年利率：4.35% 写作 0.0435 或 4.35%', example: 0.0435, width: 10 },
    date('startDate', '起始日', '贷款合同起始日（不晚于今天）', '2026-01-15', true, ['贷款起始日', '合同起始日', '起贷日']),
    date('maturityDate', '到期日', '贷款合同到期日', '2027-01-15', true, ['贷款到期日', '合同到期日']),
    { field: 'collateral', header: '担保方式', aliases: ['质押方式'], kind: 'choice', required: true, choices: COLLATERAL_CHOICES, note: '纯知识产权质押，或组合担保（知识产权与其他担保组合）', example: '纯知识产权质押', width: 16 },
    money('ipPledgedAmount', '知识产权质押部分金额（元）', '组合担保时由知识产权担保的那部分本金；纯知识产权质押可不填', 800_000, false, ['质押部分金额']),
    {
      field: 'pledges',
      header: '质押的知识产权',
      aliases: ['质押物', '质押权利', '质押知识产权'],
      kind: 'pledges',
      required: true,
      note: '每项写“权利类型:号码”，多项用分号分隔；权利类型为专利、商标或著作权；号码后可再写“:担保债权数额（元）”和“:质押登记号”，如 专利:202310123456.6:500,000.00:Y2024-1',
      example: '专利:202310123456.6；商标:12345678',
      width: 40,
    },
  ],
  item: (record) => {
    const { pledges, ...rest } = record;
    if (typeof pledges !== 'string') return rest;
    const parsed = parsePledgeList(pledges);
    // An unreadable list stays a string, so the row is refused naming the pledges column.
    return { ...rest, pledges: parsed.problem ? pledges : parsed.pledges };
  },
};

export const LOAN_EVENT_IMPORT: ImportSpec = {
  kind: 'loan-events',
  title: '贷款事件',
  purpose: '合作银行报送贷款的放款、付息、还本、逾期、违约、结清',
  columns: [
    { field: 'contractNo', header: '合同编号', aliases: ['贷款合同编号', '借款合同编号'], kind: 'text', required: false, note: '本行的贷款合同编号（或填贷款编号）', example: 'JK-2026-0001', width: 20 },
    { field: 'loanId', header: '贷款编号', aliases: ['贷款ID'], kind: 'text', required: false, note: '可不填：系统中的贷款编号（贷款详情页可见）；填了合同编号则不必填', example: null, width: 38 },
    { field: 'type', header: '事件类型', aliases: ['类型', '事件'], kind: 'choice', required: true, choices: EVENT_TYPE_CHOICES, note: '放款、付息、还本、逾期、违约或结清', example: '放款', width: 12 },
    date('date', '日期', '事件发生日（起息日、还款日、逾期认定日等），不晚于今天', '2026-01-20', true, ['发生日期', '事件日期']),
    money('amount', '金额（元）', '放款、付息、还本填写金额；其他事件不填', 1_000_000, false, ['金额']),
    date('periodFrom', '计息起始日', '付息事件可填：这次利息所计的期间的第一天', '2026-01-20', false),
    date('periodTo', '计息截止日', '付息事件可填：这次利息所计的期间的最后一天', '2026-03-20', false),
    { field: 'daysOverdue', header: '逾期天数', kind: 'integer', required: false, note: '逾期事件可填：当日已逾期的天数', example: null, width: 10 },
  ],
};

export const CONTRIBUTION_IMPORT: ImportSpec = {
  kind: 'contributions',
  title: '企业地方贡献',
  purpose: '东阳市各企业每年对地方的贡献，当年补助以此为上限，余额在以后两年内兑付（《关于全面加强知识产权工作的实施意见》 § 22）',
  columns: [
    uscc,
    enterpriseName,
    year('贡献所属年度，如 2025'),
    money('amount', '地方贡献（元）', '该企业该年度对地方的贡献（以财政部门核定数为准）', 2_500_000, true, ['地方贡献', '贡献额']),
  ],
};

export const PREMIUM_IMPORT: ImportSpec = {
  kind: 'premiums',
  title: '专利保险保费',
  purpose: '东阳市企业缴纳的专利保险保费，按 50% 补助、每家每年不超过 10 万元（《关于全面加强知识产权工作的实施意见》 § 6）',
  columns: [
    uscc,
    enterpriseName,
    money('amount', '保费（元）', '实际缴纳的专利保险保费', 30_000, true, ['保费', '保险费']),
    date('paidOn', '缴费日期', '保费缴纳日（不晚于今天）', '2025-06-30', true, ['缴纳日期', '支付日期']),
  ],
};

export const EXCLUSION_IMPORT: ImportSpec = {
  kind: 'exclusions',
  title: '不予补助企业',
  purpose: '当年发生安全生产事故、劳资纠纷或违法违规被查处的企业，当年不享受补助（《关于全面加强知识产权工作的实施意见》 § 23）',
  columns: [
    uscc,
    enterpriseName,
    year('不予补助的年度'),
    { field: 'reason', header: '原因', aliases: ['事由', '不予补助原因'], kind: 'text', required: true, note: '不予补助的事由（500 字以内），如“2025 年发生安全生产事故”', example: '2025 年 5 月发生安全生产事故', width: 40 },
  ],
};

export const OTHER_SUPPORT_IMPORT: ImportSpec = {
  kind: 'other-support',
  title: '其他政策支持',
  purpose: '同一笔贷款已从其他政策获得的同级财政支持：本项补助只兑付超出部分，就高不重复（袁府办字〔2023〕25号 奖励认定1；《关于全面加强知识产权工作的实施意见》 § 21）',
  columns: [
    ...loanColumns,
    { field: 'programme', header: '支持项目', aliases: ['项目名称', '政策名称'], kind: 'text', required: true, note: '已获支持的政策或项目名称（200 字以内）', example: '市科技贷款贴息', width: 28 },
    { field: 'fiscalLevel', header: '财政级次', aliases: ['级次', '财政层级'], kind: 'choice', required: true, choices: FISCAL_LEVEL_CHOICES, note: '出资财政的级次：国家、省、市、区或县', example: '市', width: 10 },
    money('amount', '支持金额（元）', '已获支持的金额', 20_000, true, ['金额']),
    { ...year('支持所属年度；不填则每个年度的补助计算都扣除它', false) },
  ],
};

export const FEE_IMPORT: ImportSpec = {
  kind: 'fees',
  title: '评估担保保险费',
  purpose: '袁州区贷款的评估费、担保费、保险费，按不超过 50% 补助、每项不超过 5 万元（袁府办字〔2023〕25号 四(三)2）',
  columns: [
    ...loanColumns,
    { field: 'kind', header: '费用类型', aliases: ['类型', '费用'], kind: 'choice', required: true, choices: FEE_KIND_CHOICES, note: '评估费、担保费或保险费', example: '评估费', width: 12 },
    money('amount', '金额（元）', '实际支付的费用', 12_000, true, ['费用金额']),
    date('paidOn', '支付日期', '费用支付日（不晚于今天）', '2025-03-10', true, ['缴费日期']),
  ],
};

export const RATE_IMPORT: ImportSpec = {
  kind: 'rates',
  title: 'LPR与基准利率',
  purpose: '贷款市场报价利率（LPR）和人民银行贷款基准利率：补助按政策规定的利率计算，从不使用零利率',
  columns: [
    { field: 'index', header: '利率品种', aliases: ['品种', '利率种类'], kind: 'choice', required: true, choices: RATE_INDEX_CHOICES, note: '一年期LPR、五年期以上LPR，或人民银行三档贷款基准利率之一', example: '一年期LPR', width: 30 },
    date('effectiveDate', '生效日期', '该利率开始适用的日期（LPR 为公布日）', '2025-05-20', true, ['公布日期', '执行日期']),
    { field: 'rate', header: '利率', aliases: ['年利率', '报价'], kind: 'rate', required: true, note: '年利率：3.00% 写作 0.03 或 3.00%', example: 0.03, width: 10 },
    { field: 'source', header: '来源', aliases: ['依据', '出处'], kind: 'text', required: false, note: '可不填：公告名称或网址', example: '全国银行间同业拆借中心公告', width: 30 },
  ],
};

/** Every kind, in the order the console lists them. */
export const IMPORT_SPECS: readonly ImportSpec[] = [
  LOAN_IMPORT,
  LOAN_EVENT_IMPORT,
  CONTRIBUTION_IMPORT,
  PREMIUM_IMPORT,
  EXCLUSION_IMPORT,
  OTHER_SUPPORT_IMPORT,
  FEE_IMPORT,
  RATE_IMPORT,
];

export const IMPORT_KINDS = IMPORT_SPECS.map((spec) => spec.kind) as [string, ...string[]];

export function importSpec(kind: string): ImportSpec | undefined {
  return IMPORT_SPECS.find((spec) => spec.kind === kind);
}
