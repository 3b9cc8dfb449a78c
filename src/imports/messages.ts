/**
 * Each problem of an import in Chinese, for the clerk who fixes the sheet. The API keeps its English `message` (the
 * batch contract); `messageZh` says the same in the column's terms:
 *
 * 1. a domain module that wrote its own Chinese (`messageZh`) is taken as it is;
 * 2. the loans module's English messages (src/loans/validation.ts, loans.ts, events.ts, identifiers.ts) are known
 *    one by one below, with their figures carried over;
 * 3. a value the column cannot read gets the column's format ("应为日期，如 2026-10-10…");
 * 4. anything else says the column is wrong and quotes the English, never nothing.
 *
 * Row numbers inside messages ("the same contract number as row 3") are items; they are rewritten as the row the
 * spreadsheet shows.
 */
import type { CellKind, Choice } from './cells';
import type { ImportColumn } from './types';

type Translate = (match: RegExpExecArray, sheetRowOf: (item: number) => number) => string;

const EVENT_TYPE_ZH: Record<string, string> = {
  disbursement: '放款',
  interest_payment: '付息',
  principal_repayment: '还本',
  overdue: '逾期',
  default: '违约',
  settlement: '结清',
};
const RIGHT_TYPE_ZH: Record<string, string> = { patent: '专利', trademark: '商标', copyright: '著作权' };
/** The rules of src/loans/identifiers.ts (USCC per GB 32100-2015, patent and trademark numbers). */
const IDENTIFIER_RULE_ZH: Record<string, string> = {
  empty: '不能为空',
  length: '位数不对',
  format: '格式不对',
  alphabet: '含有不允许的字符（数字和大写字母，不用 I、O、S、V、Z）',
  registration_authority: '第 1 位登记管理部门代码不对',
  organisation_category: '第 2 位机构类别代码不对',
  division_code: '第 3–8 位行政区划代码不对',
  organisation_code_check: '第 17 位组织机构代码校验码不对（可能有录入错误）',
  check_character: '第 18 位校验码不对（可能有录入错误）',
  check_digit: '校验位不对（可能有录入错误）',
  patent_type: '专利类型代码不对',
  control_character: '含有控制字符',
};

const yuan = (text: string) => `¥${text}`;

/** The loans module's messages and the input gate's (src/http/input.ts, schemas.ts), most specific first. */
const KNOWN: Array<[RegExp, Translate]> = [
  [/^contains a NUL character/, () => '含有不可见的空字符（NUL），请删去后重新输入'],
  [/^contains an unpaired surrogate/, () => '含有无效的字符，请重新输入'],
  [/^contains the control character (U\+[0-9A-F]+)/, (m) => `含有不可见的控制字符（${m[1]}），请删去后重新输入`],
  [/^the field name contains/, () => '列名含有不可见的字符'],
  [/^must not contain control characters or invisible formatting characters$/, () => '不能含有不可见的控制字符或格式字符'],
  [/^must be between (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})$/, (m) => `日期应在 ${m[1]} 至 ${m[2]} 之间`],
  [/^must be greater than 0$/, () => '必须大于 0'],
  [/^must not be empty$/, () => '不能为空'],
  [/^is too large$/, () => '数额过大'],
  [/^must be 1–(\d+) characters$/, (m) => `应为 1–${m[1]} 个字符`],
  [/^must not be in the future \(today in China is (\d{4}-\d{2}-\d{2})\)$/, (m) => `不能晚于今天（${m[1]}）`],
  [/^must not be in the future$/, () => '不能晚于今天'],
  [/^must be after startDate (\S+)$/, (m) => `到期日必须晚于起始日 ${m[1]}`],
  [/^is required for a combination loan/, () => '组合担保贷款须填写知识产权质押部分的金额'],
  [/^must not exceed the principal/, () => '不能超过贷款金额'],
  [/^must equal the principal \(or be left out\) for an ip_only loan$/, () => '纯知识产权质押贷款的质押金额应等于贷款金额，或不填'],
  [/^a loan needs at least one pledge$/, () => '至少要有一项质押的知识产权'],
  [/^at most (\d+) pledges per loan$/, (m) => `每笔贷款最多 ${m[1]} 项质押的知识产权`],
  [/^the same (\w+) as pledges\.(\d+)$/, (m) => `与第 ${Number(m[2]) + 1} 项质押的${RIGHT_TYPE_ZH[m[1]!] ?? '权利'}重复`],
  [/^must be a decimal string, e\.g\. "0\.0345" for 3\.45 %$/, () => '利率应为小数，如 0.0345 或 3.45%'],
  [/^must be above 0$/, () => '必须大于 0'],
  [/^must be below 1: rates are fractions/, () => '利率应为小数：4.35% 写作 0.0435 或 4.35%'],
  [/^must be between 0 and 1/, () => '利率应为 0 到 1 之间的小数：4.35% 写作 0.0435 或 4.35%'],
  [/^no enterprise with this USCC is registered: register it first/, () => '尚未登记此统一社会信用代码的企业：请先在“企业”页登记'],
  [/^no enterprise with this USCC is registered, and it is not a valid USCC \(([a-z_]+):/, (m) => `不是有效的统一社会信用代码（${IDENTIFIER_RULE_ZH[m[1]!] ?? '校验未通过'}），也没有登记此代码的企业`],
  [/^this bank already has a loan with contract number (.+)$/, (m) => `本行已有合同编号为 ${m[1]} 的贷款`],
  [/^already used by another loan of this bank$/, () => '本行已有此合同编号的贷款'],
  [/^the same contract number as row (\d+)$/, (m, row) => `与第 ${row(Number(m[1]))} 行的合同编号相同`],
  [/^is required for (\w+)$/, (m) => `${EVENT_TYPE_ZH[m[1]!] ?? m[1]}事件须填写金额`],
  [/^only disbursement, interest_payment and principal_repayment carry an amount/, () => '只有放款、付息、还本事件填写金额'],
  [/^only an interest_payment covers a period$/, () => '只有付息事件填写计息起止日'],
  [/^periodFrom and periodTo go together$/, () => '计息起始日和截止日须同时填写'],
  [/^must not be before periodFrom (\S+)$/, (m) => `计息截止日不能早于起始日 ${m[1]}`],
  [/^only an overdue event carries days overdue$/, () => '只有逾期事件填写逾期天数'],
  [/^must be a whole number of days from 1 to (\d+)$/, (m) => `逾期天数应为 1 到 ${m[1]} 的整数`],
  [/^is not a loan id$/, () => '不是有效的贷款编号'],
  [/^this bank has no loan with contract number (.+)$/, (m) => `本行没有合同编号为 ${m[1]} 的贷款`],
  [/^is not the loan with contract number (.+)$/, (m) => `与合同编号 ${m[1]} 不是同一笔贷款`],
  [/^no loan /, () => '找不到这笔贷款（或不是本行的贷款）'],
  [/^no such loan/, () => '找不到这笔贷款'],
  [/^is before the loan started on (\S+)$/, (m) => `早于贷款起始日 ${m[1]}`],
  [/^is before the loan started$/, () => '早于贷款起始日'],
  [/^the loan was already settled on (\S+)$/, (m) => `这笔贷款已于 ${m[1]} 结清`],
  [/^the loan is settled once; row (\d+) settles it$/, (m, row) => `一笔贷款只结清一次：第 ${row(Number(m[1]))} 行已结清它`],
  [/^the loan has an event dated (\S+), after this settlement$/, (m) => `这笔贷款有 ${m[1]} 的事件，晚于本次结清`],
  [/^the loan was settled on (\S+): nothing may be dated after its settlement$/, (m) => `这笔贷款已于 ${m[1]} 结清，之后不能再有事件`],
  [/^the loan was settled on (\S+): a disbursement would reopen it$/, (m) => `这笔贷款已于 ${m[1]} 结清，不能再放款`],
  [/^the loan is already settled$/, () => '这笔贷款已结清'],
  [
    /^disbursements would exceed the principal: ([\d.]+) granted, ([\d.]+) already disbursed .*?, ([\d.]+) more$/,
    (m) => `累计放款将超过贷款金额：授信 ${yuan(m[1]!)}，已放款 ${yuan(m[2]!)}（含本文件前面的行），本行又放 ${yuan(m[3]!)}`,
  ],
  [
    /^repayment exceeds the outstanding principal on (\S+): ([\d.]+) outstanding then, ([\d.]+) repaid$/,
    (m) => `还本金额超过 ${m[1]} 的贷款余额：当时余额 ${yuan(m[2]!)}，本次还本 ${yuan(m[3]!)}`,
  ],
  [/^settlement needs the outstanding principal at zero/, () => '结清时贷款余额须为 0，且之后没有其他事件'],
  [/^([a-z_]+): /, (m) => (IDENTIFIER_RULE_ZH[m[1]!] ? `号码${IDENTIFIER_RULE_ZH[m[1]!]}` : '')],
];

/** What a value of each kind looks like, for a cell the column could not read. */
export function formatMessage(kind: CellKind, choices: readonly Choice[] = []): string {
  switch (kind) {
    case 'money':
      return '应为金额，如 1,234,567.89（最多两位小数，可带千位分隔符）';
    case 'date':
      return '应为日期，如 2026-10-10、2026/10/10，或 Excel 日期单元格';
    case 'year':
      return '应为四位年份，如 2024';
    case 'integer':
      return '应为整数';
    case 'rate':
      return '应为利率，如 0.0345 或 3.45%';
    case 'choice':
      return `应为以下之一：${choices.map((choice) => choice.label).join('、')}`;
    case 'pledges':
      return '应为“权利类型:号码”，多项用分号分隔，如 专利:202310123456.6；商标:12345678';
    case 'text':
      return '内容不符合要求';
  }
}

const MISSING = /^Invalid input: expected \w+, received undefined$/;
const ZOD_FORMAT = /^(Invalid input|Invalid option|Too small|Too big|Invalid string|must be a date|must be a decimal string|must be a)/;

/** The Chinese of one problem, in the terms of its column (when it has one). */
export function chineseMessage(
  problem: { path: string; message: string; messageZh?: string | undefined },
  column: ImportColumn | undefined,
  sheetRowOf: (item: number) => number,
): string {
  if (problem.messageZh) return problem.messageZh;
  if (MISSING.test(problem.message)) return '必填，不能为空';
  for (const [pattern, translate] of KNOWN) {
    const match = pattern.exec(problem.message);
    if (!match) continue;
    const text = translate(match, sheetRowOf);
    if (text) return text;
  }
  if (column && ZOD_FORMAT.test(problem.message)) return formatMessage(column.kind, column.choices);
  if (/^Unrecognized key/.test(problem.message)) return '不认识的字段';
  return column ? `「${column.header}」有误：${problem.message}` : `有误：${problem.message}`;
}
