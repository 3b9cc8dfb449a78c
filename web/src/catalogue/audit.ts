/**
 * The audit log's actions in Chinese: every operation of the API ("POST /api/v1/banks", web/src/api/roles.ts) and
 * every action a domain writes with what it did ("fund.claim_submitted", "subsidy_run.approved"). A read is audited
 * under its route too. `test/web.catalogue.test.ts` fails when an operation or a domain action has no entry.
 */
import { fieldLabel } from './fields';

export const OPERATION_LABELS: Record<string, string> = {
  'DELETE /api/v1/principals/{id}': '撤销用户令牌',
  'GET /api/v1/areas': '查看区域',
  'GET /api/v1/areas/{code}/population': '查看区域人口',
  'GET /api/v1/areas/{code}/targets': '查看区域目标',
  'GET /api/v1/audit-log': '查看审计日志',
  'GET /api/v1/banks': '查看合作银行',
  'GET /api/v1/banks/{id}/figures': '查看银行总览',
  'GET /api/v1/enterprises': '查看企业列表',
  'GET /api/v1/enterprises/{uscc}': '查看企业',
  'GET /api/v1/enterprises/{uscc}/contributions': '查看企业地方贡献',
  'GET /api/v1/enterprises/{uscc}/division-corrections': '查看企业区划更正',
  'GET /api/v1/enterprises/{uscc}/eligibility': '查看企业贴息资格',
  'GET /api/v1/enterprises/{uscc}/name-corrections': '查看企业名称更正记录',
  'GET /api/v1/enterprises/{uscc}/exclusions': '查看企业排除记录',
  'GET /api/v1/enterprises/{uscc}/premiums': '查看企业保费',
  'GET /api/v1/enterprises/{uscc}/status-records': '查看企业状态记录',
  'GET /api/v1/funds': '查看风险补偿资金池',
  'GET /api/v1/funds/{id}': '查看资金池',
  'GET /api/v1/funds/{id}/claims': '查看代偿申请',
  'GET /api/v1/funds/{id}/claims/{claimId}': '查看代偿申请详情',
  'GET /api/v1/funds/{id}/contributions': '查看资金池出资',
  'GET /api/v1/funds/{id}/enrolments': '查看纳入风险补偿的贷款',
  'GET /api/v1/funds/{id}/kpis': '查看资金池指标',
  'GET /api/v1/funds/{id}/statement': '查看资金池报表',
  'GET /api/v1/funds/{id}/statement/export': '导出资金池报表',
  'GET /api/v1/imports/templates/{kind}': '下载导入模板',
  'GET /api/v1/integrity/export': '导出完整性数据',
  'GET /api/v1/integrity/statements/{date}': '查看完整性声明',
  'GET /api/v1/integrity/verify': '校验哈希链',
  'GET /api/v1/ip-assets': '查看知识产权',
  'GET /api/v1/ledger/accounts/{code}/balance': '查看账户余额',
  'GET /api/v1/ledger/accounts/{code}/entries': '查看账户明细',
  'GET /api/v1/ledger/journal': '导出日记账',
  'GET /api/v1/ledger/summary': '查看账务汇总',
  'GET /api/v1/ledger/trial-balance': '查看试算平衡表',
  'GET /api/v1/loans': '查看贷款列表',
  'GET /api/v1/loans/{id}': '查看贷款',
  'GET /api/v1/loans/{id}/events': '查看贷款事件',
  'GET /api/v1/loans/{id}/fees': '查看贷款费用',
  'GET /api/v1/loans/{id}/other-support': '查看其他补助',
  'GET /api/v1/me': '查看当前用户',
  'GET /api/v1/policies': '查看政策',
  'GET /api/v1/policies/{id}': '查看政策详情',
  'GET /api/v1/principals': '查看用户',
  'GET /api/v1/rates': '查看利率报价',
  'GET /api/v1/reports/portfolio': '查看贷款组合报表',
  'GET /api/v1/reports/split-reconciliation': '查看分担对账',
  'GET /api/v1/reports/whitelist-lending': '查看白名单放款报表',
  'GET /api/v1/subsidy-run-progress/{progressId}': '查看计算进度',
  'GET /api/v1/subsidy-runs': '查看贴息批次',
  'GET /api/v1/subsidy-runs/{id}': '查看贴息批次详情',
  'GET /api/v1/subsidy-runs/{id}/lines': '查看贴息明细',
  'GET /api/v1/subsidy-runs/{id}/roster': '下载公示名单',
  'GET /api/v1/whitelist': '查看白名单',
  'POST /api/v1/areas/{code}/population': '登记区域人口',
  'POST /api/v1/areas/{code}/targets': '登记区域目标',
  'POST /api/v1/banks': '登记合作银行',
  'POST /api/v1/enterprises': '登记企业',
  'POST /api/v1/enterprises/{uscc}/contributions': '登记企业地方贡献',
  'POST /api/v1/enterprises/{uscc}/division-corrections': '更正企业区划',
  'POST /api/v1/enterprises/{uscc}/exclusions': '登记企业排除',
  'POST /api/v1/enterprises/{uscc}/premiums': '登记企业保费',
  'POST /api/v1/enterprises/{uscc}/status-records': '登记企业状态',
  'POST /api/v1/enterprises/{uscc}/status-records/{id}/withdrawal': '撤回企业状态记录',
  'POST /api/v1/funds': '设立风险补偿资金池',
  'POST /api/v1/funds/{id}/claims': '提出代偿申请',
  'POST /api/v1/funds/{id}/claims/{claimId}/transitions': '处理代偿申请',
  'POST /api/v1/funds/{id}/contributions': '登记资金池出资',
  'POST /api/v1/funds/{id}/enrolments': '纳入风险补偿',
  'POST /api/v1/funds/{id}/enrolments/{enrolmentId}/withdrawal': '退出风险补偿',
  'POST /api/v1/funds/{id}/recoveries': '登记追偿所得',
  'POST /api/v1/funds/{id}/versions': '调整资金池参数',
  'POST /api/v1/funds/{id}/write-offs': '核销代偿',
  'POST /api/v1/imports/contributions': '导入地方贡献',
  'POST /api/v1/imports/exclusions': '导入排除名单',
  'POST /api/v1/imports/fees': '导入费用',
  'POST /api/v1/imports/other-support': '导入其他补助',
  'POST /api/v1/imports/premiums': '导入保费',
  'POST /api/v1/imports/rates': '导入利率报价',
  'POST /api/v1/loan-events:batch': '批量导入贷款事件',
  'POST /api/v1/loans': '登记贷款',
  'POST /api/v1/loans/{id}/events': '登记贷款事件',
  'POST /api/v1/loans/{id}/fees': '登记贷款费用',
  'POST /api/v1/loans/{id}/other-support': '登记其他补助',
  'POST /api/v1/loans/{id}/pledges/{lineNo}/secured-amount': '登记担保债权数额',
  'POST /api/v1/loans:batch': '批量导入贷款',
  'POST /api/v1/enterprises/{uscc}/exclusions/{id}/withdrawal': '撤销不予补助记录',
  'POST /api/v1/enterprises/{uscc}/name-corrections': '更正企业名称',
  'POST /api/v1/policies': '登记政策版本',
  'POST /api/v1/principals': '新建用户',
  'POST /api/v1/rates': '登记利率报价',
  'POST /api/v1/simulations': '政策模拟试算',
  'POST /api/v1/subsidy-runs': '计算年度贴息',
  'POST /api/v1/subsidy-runs/{id}/objections': '登记异议',
  'POST /api/v1/subsidy-runs/{id}/objections/{objectionId}/resolution': '处理异议',
  'POST /api/v1/subsidy-runs/{id}/payments': '登记贴息拨付',
  'POST /api/v1/subsidy-runs/{id}/recompute': '重新计算贴息',
  'DELETE /api/v1/subsidy-runs/{id}': '删除贴息草稿',
  'POST /api/v1/subsidy-runs/{id}/transitions': '推进贴息批次',
  'GET /api/v1/todo': '查看待办',
  'POST /api/v1/whitelist': '加入白名单',
  'POST /api/v1/whitelist/{id}/removal': '移出白名单',
};

/** What a domain writes under its own action name (src/http/routes: `audit('…', detail)`). */
export const ACTION_LABELS: Record<string, string> = {
  'area.population_recorded': '登记区域人口',
  'area.target_recorded': '登记区域目标',
  'enterprise.division_corrected': '更正企业区划',
  'enterprise.division_set': '设定企业区划',
  'enterprise.name_corrected': '更正企业名称',
  'enterprise.status_recorded': '登记企业状态',
  'enterprise.status_withdrawn': '撤回企业状态记录',
  'enterprise.uscc_check_overridden': '信用代码校验例外',
  'fund.claim_submitted': '提出代偿申请',
  'fund.claim_approved': '批准代偿申请',
  'fund.claim_paid': '拨付代偿',
  'fund.claim_rejected': '驳回代偿申请',
  'fund.contribution': '资金池出资',
  'fund.created': '设立资金池',
  'fund.enrolment': '纳入风险补偿',
  'fund.enrolment_withdrawn': '退出风险补偿',
  'fund.recovery': '登记追偿所得',
  'fund.version_added': '调整资金池参数',
  'fund.write_off': '核销代偿',
  'loan.pledge_secured_amount_recorded': '登记担保债权数额',
  'subsidy.contribution_recorded': '登记地方贡献',
  'subsidy.exclusion_recorded': '登记排除',
  'subsidy.exclusion_withdrawn': '撤销不予补助记录',
  'subsidy.fee_recorded': '登记费用',
  'subsidy.other_support_recorded': '登记其他补助',
  'subsidy.premium_recorded': '登记保费',
  simulated: '政策模拟试算',
  'subsidy_run.created': '计算年度贴息',
  'subsidy_run.objection_raised': '登记异议',
  'subsidy_run.objection_resolved': '处理异议',
  'subsidy_run.payment_recorded': '登记贴息拨付',
  'subsidy_run.recomputed': '重新计算贴息',
  'subsidy_run.discarded': '删除贴息草稿',
  'subsidy_run.reviewed': '复核贴息批次',
  'subsidy_run.publicised': '公示贴息批次',
  'subsidy_run.approved': '批准贴息批次',
  'import.loans': '导入贷款',
  'import.loan-events': '导入贷款事件',
  'import.contributions': '导入地方贡献',
  'import.premiums': '导入保费',
  'import.exclusions': '导入排除名单',
  'import.other-support': '导入其他补助',
  'import.fees': '导入费用',
  'import.rates': '导入利率报价',
  'whitelist.added': '加入白名单',
  'whitelist.removed': '移出白名单',
};

/** "GET /api/v1/loans/:id" (a read's express route) → "GET /api/v1/loans/{id}". */
const operationKey = (action: string) =>
  action
    .split('\\:')
    .map((part) => part.replace(/:(\w+)/g, '{$1}'))
    .join(':');

/** An audit row's action in Chinese; an unknown action (a newer service) still reads as Chinese. */
export function auditActionText(action: string): string {
  return ACTION_LABELS[action] ?? OPERATION_LABELS[action] ?? OPERATION_LABELS[operationKey(action)] ?? '其他操作';
}

const HIDDEN_DETAIL = new Set(['requestId', 'clientRequestId', 'idempotencyKey', 'userAgent', 'ip', 'address']);

/**
 * An audit row's detail as "字段：值" pairs, before → after when the detail records both. Identifiers stay out (the
 * who and what are in their own columns); values are shown as stored.
 */
export function auditDetailText(detail: Record<string, unknown>): string[] {
  const text = (value: unknown): string => {
    if (value === null || value === undefined) return '—';
    if (typeof value === 'object') return Array.isArray(value) ? value.map(text).join('、') : JSON.stringify(value);
    return String(value);
  };
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (HIDDEN_DETAIL.has(key) || /Id$|^id$/.test(key)) continue;
    if (value && typeof value === 'object' && !Array.isArray(value) && 'before' in value && 'after' in value) {
      const change = value as { before: unknown; after: unknown };
      pairs.push(`${fieldLabel(key)}：${text(change.before)} → ${text(change.after)}`);
      continue;
    }
    pairs.push(`${fieldLabel(key)}：${text(value)}`);
  }
  return pairs;
}
