/**
 * The service's failures in Chinese, by their stable `code` (src/errors.ts, the closed list): the console shows these
 * and never the English `detail`, which stays in the API for banks' programs. `test/web.catalogue.test.ts` fails when
 * a code of the server's list has no entry here.
 */
import { fieldLabel } from './fields';

export const ERROR_MESSAGES: Record<string, string> = {
  // the subsidy computation's refusals of a whole run
  policy_invalid: '政策文件的参数不完整或有误，无法计算',
  policy_parameter_unset: '政策有参数尚未设置（文件未规定，由当地确定），请工作人员在政策新版本中设置后再计算',
  policy_not_in_force: '该年度不在政策的有效期内',
  rate_not_in_force: '定价日没有有效的利率报价，请先登记利率报价',
  input_invalid: '计算所需的数据有误',
  // the request itself
  malformed_body: '提交的内容格式有误',
  body_too_large: '提交的内容过大',
  unsupported_media_type: '不支持的文件或内容类型',
  too_many_requests: '登录失败次数过多，请稍后再试',
  bad_request: '请求无效，请重试',
  shutting_down: '服务正在重启，请稍后重试',
  internal: '服务内部错误，请将请求编号告知管理员',
  // input
  validation_failed: '输入有误，请按提示修改',
  // identity and access
  unauthenticated: '访问令牌无效或已被撤销，请重新登录',
  forbidden: '无权执行此操作',
  not_found: '未找到要查看的内容',
  // idempotency
  idempotency_conflict: '同一次提交的内容已被改动，请重新提交',
  idempotency_in_progress: '上一次提交仍在处理中，请稍候',
  // ledger
  entry_unbalanced: '分录借贷不平衡',
  entry_too_few_lines: '分录至少需要两行',
  ledger_immutable: '已记账的分录不能修改，只能冲销',
  account_limit_exceeded: '超出账户限额（如可用余额不足）',
  account_not_found: '账户不存在',
  account_definition_conflict: '账户已存在且定义不同',
  entry_already_reversed: '该分录已冲销过',
  reversal_mismatch: '冲销分录与原分录不符',
  // generic state
  conflict: '与现有数据冲突',
  state_transition_refused: '当前状态下不能执行此操作',
  // loans
  enterprise_not_found: '企业未登记',
  loan_not_found: '贷款不存在',
  ip_asset_not_found: '质押的知识产权不存在',
  // risk-compensation fund
  fund_not_found: '风险补偿资金池不存在',
  fund_parameters_not_in_force: '该日期没有有效的资金池参数',
  enrolment_not_found: '贷款未纳入风险补偿',
  enrolment_refused: '贷款不符合纳入风险补偿的条件',
  leverage_limit_exceeded: '超出资金池的放大倍数上限',
  claim_not_found: '代偿申请不存在',
  claim_not_allowed: '不能提出此代偿申请',
  fund_cash_insufficient: '资金池可用资金不足',
  recovery_not_allowed: '不能登记此追偿',
  // the console's own: the service could not be reached
  network: '无法连接服务，请检查网络后重试',
};

/** The Chinese message of a code; an unknown code (a newer service) still gets a Chinese sentence. */
export function errorMessage(code: string | undefined): string {
  return (code && ERROR_MESSAGES[code]) || '操作未能完成';
}

/**
 * An English field message of the API (zod's and the domain's) in Chinese: the common forms are translated with their
 * values, anything else is named by the field only ("输入有误"), never shown in English.
 */
const PATTERNS: Array<[RegExp, (...groups: string[]) => string]> = [
  [/^(?:invalid input: )?expected (?:array|object|string|number|boolean|integer)(?:, received \w+)?$/i, () => '缺少或格式不对'],
  [/^required$|^is required$|missing/i, () => '必填'],
  [/must be (\d+)[–-](\d+) letters, digits/i, (low, high) => `须为 ${low}–${high} 个字母、数字、“-” 或 “_”`],
  [/must be (\d+)[–-](\d+) characters/i, (low, high) => `须为 ${low}–${high} 个字符`],
  [/already used|already taken/i, () => '已被使用'],
  [/^at most ([\d.,-]+)$/i, (n) => `不得超过 ${n}`],
  [/^at least ([\d.,-]+)$/i, (n) => `不得少于 ${n}`],
  [/(?:too big|must be <=?|at most).*?([\d.,-]+)/i, (n) => `不得超过 ${n}`],
  [/(?:too small|must be >=?|at least).*?([\d.,-]+)/i, (n) => `不得少于 ${n}`],
  [/check character is '(.)', expected '(.)'/i, (got, want) => `第 18 位（校验码）应为 ${want}，填写的是 ${got}`],
  [/^must be on or after (\d{4}-\d{2}-\d{2}), when year (\d{4}) has ended$/i, (date, year) => `不得早于 ${date}：${year} 年度结束后方可复核`],
  [/^must be on or after (\d{4}-\d{2}-\d{2})$/i, (date) => `不得早于 ${date}`],
  [/^must not be before (\d{4}-\d{2}-\d{2}), when the run was (reviewed|publicised)$/i, (date, step) => `不得早于 ${date}（批次${step === 'reviewed' ? '复核' : '公示'}之日）`],
  [/approved regular run exists for this policy and year: use "adjustment"/i, () => '该政策该年度的年度批次已批准：更正请选择调整批次'],
  [/an adjustment needs an approved regular run/i, () => '该政策该年度尚无已批准的年度批次，不能建调整批次'],
  [/^must not be after (\d{4}), the current year$/i, (year) => `不得晚于当前年度 ${year}；尚未到来的年度请用政策模拟测算`],
  [/^must be after startDate (\d{4}-\d{2}-\d{2})$/i, (date) => `须晚于起始日 ${date}`],
  [/after today/i, () => '不得晚于今天'],
  [/(?:not a|invalid) date|YYYY-MM-DD/i, () => '日期格式应为 YYYY-MM-DD'],
  [/unrecogni[sz]ed key|not declared|unknown field/i, () => '不是该操作的字段'],
  [/already (?:exists|registered|recorded)|duplicate|twice/i, () => '已存在，不能重复'],
  [/not found|unknown/i, () => '不存在'],
  [/staff must set/i, () => '须先由工作人员设置'],
  [/amount|money|yuan|fen/i, () => '金额格式应为元，最多两位小数'],
];

export function fieldMessageZh(message: string): string {
  if (/[\u4e00-\u9fff]/.test(message)) return message;
  for (const [pattern, text] of PATTERNS) {
    const match = pattern.exec(message);
    if (match) return text(...match.slice(1));
  }
  return '输入有误';
}

/** One field problem as the console writes it: "本金：不得超过 34948.88", row first for a sheet ("第 3 行 本金：…"). */
export function fieldProblemZh(problem: { path: string; message: string; row?: number }): string {
  const text = `${fieldLabel(problem.path)}：${fieldMessageZh(problem.message)}`;
  return problem.row === undefined ? text : `第 ${problem.row} 行 ${text}`;
}

/** What of a problem+json answer its Chinese sentence is made of. */
export interface ProblemParts {
  status: number;
  code?: string | undefined;
  /** The service's own Chinese sentence, where it gives one (a refusal whose reason the code alone does not say). */
  detailZh?: string | undefined;
  requestId?: string | undefined;
  errors?: Array<{ path: string; message: string; row?: number | undefined }> | undefined;
}

/**
 * The Chinese sentence of a problem, from its stable `code`, or the service's own Chinese sentence (`detailZh`) where
 * it gives one; the API's English `detail` is for programs and never shown. A problem naming fields lists them in
 * Chinese; a fault names its request id.
 */
export function problemSentence(problem: ProblemParts): string {
  const fields = (problem.errors ?? []).slice(0, 5).map(fieldProblemZh);
  const base = fields.length === 0 && problem.detailZh ? problem.detailZh : errorMessage(problem.code);
  const requestId = problem.status >= 500 && problem.requestId ? `（请求编号 ${problem.requestId}）` : '';
  return fields.length > 0 ? `${base}：${fields.join('；')}` : `${base}${requestId}`;
}
