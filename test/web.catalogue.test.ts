/**
 * The console's catalogue (web/src/catalogue) has a Chinese entry for every code of the service's closed lists: every
 * error code, every ineligibility reason, every operation and domain action of the audit log, every account type,
 * every policy parameter.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DOMAIN_ERROR_CODES } from '../src/errors';
import { PARAMETER_NAMES_ZH } from '../src/subsidy/parameter-names';
import { RATE_INDEXES, rawPolicySchema } from '../src/subsidy/policy';
import { REASON_CODES } from '../src/subsidy/types';
import { IMPORT_KINDS } from '../src/imports/kinds';
import { operationRoles } from '../web/src/api/roles';
import {
  ACCOUNT_TYPE_LABELS,
  ACTION_LABELS,
  auditActionText,
  auditDetailText,
  ERROR_MESSAGES,
  fieldLabel,
  fieldMessageZh,
  fieldProblemZh,
  OPERATION_LABELS,
  problemSentence,
  REASON_LABELS,
  reasonText,
  sidedBalance,
  clauseText,
  RATE_INDEX_LABELS,
  rateIndexText,
} from '../web/src/catalogue';
import { CHOICE_LABELS, describeValue, jsonReading } from '../web/src/pages/policies/parameters';

const CHINESE = /[\u4e00-\u9fff]/;

describe('the catalogue covers the closed lists', () => {
  it.each(DOMAIN_ERROR_CODES.map((code) => [code]))('error %s', (code) => {
    expect(ERROR_MESSAGES[code]).toMatch(CHINESE);
  });

  it.each(REASON_CODES.map((code) => [code]))('reason %s', (code) => {
    expect(REASON_LABELS[code]).toMatch(CHINESE);
  });

  it('every operation of the API', () => {
    const missing = Object.keys(operationRoles).filter((operation) => !CHINESE.test(OPERATION_LABELS[operation] ?? ''));
    expect(missing).toEqual([]);
  });

  it('every action a domain writes to the audit log', () => {
    const routes = path.join(__dirname, '..', 'src', 'http', 'routes');
    const literal = new Set<string>();
    for (const file of fs.readdirSync(routes)) {
      const text = fs.readFileSync(path.join(routes, file), 'utf8');
      for (const match of text.matchAll(/audit\(\s*'([a-z_.-]+)'/g)) literal.add(match[1]!);
    }
    // The templated ones: a claim's steps, a run's steps, each import kind.
    for (const status of ['submitted', 'approved', 'paid', 'rejected']) literal.add(`fund.claim_${status}`);
    for (const to of ['reviewed', 'publicised', 'approved']) literal.add(`subsidy_run.${to}`);
    for (const kind of IMPORT_KINDS) literal.add(`import.${kind}`);
    expect(literal.size).toBeGreaterThan(20);
    expect([...literal].filter((action) => !CHINESE.test(ACTION_LABELS[action] ?? ''))).toEqual([]);
  });

  it('every parameter of a policy, and nothing else (the console and the simulation workbook read one table)', () => {
    const parameters = Object.keys(rawPolicySchema.shape.parameters.shape);
    expect(parameters.filter((name) => !CHINESE.test(PARAMETER_NAMES_ZH[name] ?? ''))).toEqual([]);
    expect(Object.keys(PARAMETER_NAMES_ZH).sort()).toEqual([...parameters].sort());
  });

  it.each(['asset', 'liability', 'equity', 'income', 'expense', 'memo'])('account type %s', (type) => {
    expect(ACCOUNT_TYPE_LABELS[type]).toMatch(CHINESE);
  });
});

describe('reading the catalogue', () => {
  it('names a read audited under its express route, escaped colons included', () => {
    expect(auditActionText('GET /api/v1/loans/:id')).toBe('查看贷款');
    expect(auditActionText('POST /api/v1/loans\\:batch')).toBe('批量导入贷款');
    expect(auditActionText('fund.claim_submitted')).toBe('提出代偿申请');
    expect(auditActionText('something.new')).toBe('其他操作');
  });

  it('shows an audit detail as Chinese fields, before → after, without identifiers', () => {
    expect(auditDetailText({ runId: 'x', total: '1234.50', status: { before: 'draft', after: 'reviewed' }, idempotencyKey: 'k' })).toEqual([
      '金额：1234.50'.replace('金额', fieldLabel('total')),
      '字段 status：draft → reviewed'.replace('字段 status', fieldLabel('status')),
    ]);
  });

  it('names fields in Chinese and translates the API’s English field messages', () => {
    expect(fieldLabel('pledges.0.number')).toBe('第 1 项质押 · 号码');
    expect(fieldMessageZh('at most 34948.88')).toBe('不得超过 34948.88');
    expect(fieldMessageZh("check character is 'C', expected 'B'")).toBe('第 18 位（校验码）应为 B，填写的是 C');
    expect(fieldMessageZh('Invalid input: expected array, received undefined')).toBe('缺少或格式不对');
    expect(fieldMessageZh('something nobody foresaw here')).toBe('输入有误');
    expect(fieldMessageZh('must be 1–32 letters, digits, "-" or "_"')).toBe('须为 1–32 个字母、数字、“-” 或 “_”');
    expect(fieldMessageZh('already used')).toBe('已被使用');
    // A payment dated before its run's approval; a maturity not after the start (src/subsidy/runs/workflow.ts, src/loans/validation.ts).
    expect(fieldMessageZh('must be on or after 2026-11-10')).toBe('不得早于 2026-11-10');
    expect(fieldMessageZh('must be after startDate 2024-01-15')).toBe('须晚于起始日 2024-01-15');
    // A run's review before its year has ended, a publicity before the review, a run of a year to come (src/subsidy/runs/workflow.ts).
    expect(fieldMessageZh('must be on or after 2027-01-01, when year 2026 has ended')).toBe('不得早于 2027-01-01：2026 年度结束后方可复核');
    expect(fieldMessageZh('must not be before 2026-11-16, when the run was reviewed')).toBe('不得早于 2026-11-16（批次复核之日）');
    expect(fieldMessageZh('must not be after 2026, the current year')).toBe('不得晚于当前年度 2026；尚未到来的年度请用政策模拟测算');
    // A regular run of a year already approved, an adjustment of one that is not (src/subsidy/runs/workflow.ts).
    expect(fieldMessageZh('an approved regular run exists for this policy and year: use "adjustment"')).toBe('该政策该年度的年度批次已批准：更正请选择调整批次');
    expect(fieldMessageZh('an adjustment needs an approved regular run of the same policy and year')).toBe('该政策该年度尚无已批准的年度批次，不能建调整批次');
    expect(fieldProblemZh({ path: 'principal', message: 'at most 100', row: 3 })).toBe('第 3 行 本金：不得超过 100');
  });

  it('cites a clause without the English notes of the policy record', () => {
    expect(clauseText('袁府办字〔2023〕25号 (a document of Yuanzhou district, 360902: "结合我区实际")')).toBe('袁府办字〔2023〕25号');
    expect(clauseText('袁府办字〔2023〕25号 四(三)2')).toBe('袁府办字〔2023〕25号 四(三)2');
  });

  it('prefers the server’s Chinese sentence of a reason', () => {
    expect(reasonText({ code: 'not_settled', messageZh: '尚未结清（到期日 2025-04-30）' })).toBe('尚未结清（到期日 2025-04-30）');
    expect(reasonText({ code: 'not_settled' })).toBe('贷款尚未结清');
  });

  it('shows a balance on the side it lies, with no minus sign', () => {
    // An asset (debit-normal) credited 5,000.00 more than debited lies on the credit side.
    expect(sidedBalance('-5000.00', 'debit')).toBe('贷 ¥5,000.00');
    expect(sidedBalance('48765432.11', 'debit')).toBe('借 ¥48,765,432.11');
    expect(sidedBalance('30000000.00', 'credit')).toBe('贷 ¥30,000,000.00');
    expect(sidedBalance('-0.01', 'credit')).toBe('借 ¥0.01');
    expect(sidedBalance('0.00', 'credit')).toBe('平 ¥0.00');
  });
});

describe('problemSentence', () => {
  const refusal = { type: 'about:blank', title: 'Conflict', status: 409, detail: 'run r has 1 open objection(s)', code: 'state_transition_refused' };
  it("shows the service's Chinese sentence when it gives one, else the code's", () => {
    expect(problemSentence({ ...refusal, detailZh: '还有 1 条异议未处理，处理后方可批准' })).toBe('还有 1 条异议未处理，处理后方可批准');
    expect(problemSentence(refusal)).toBe(ERROR_MESSAGES.state_transition_refused);
  });
  it('lists the fields a problem names rather than its sentence', () => {
    const named = { ...refusal, status: 422, code: 'validation_failed', detailZh: '不会显示', errors: [{ path: 'date', message: 'must be on or after 2027-01-01, when year 2026 has ended' }] };
    expect(problemSentence(named)).toBe(`${ERROR_MESSAGES.validation_failed}：${fieldLabel('date')}：不得早于 2027-01-01：2026 年度结束后方可复核`);
  });
});

describe('the reference-rate indices', () => {
  it.each(RATE_INDEXES.map((index) => [index]))('names %s in Chinese, the same on every page', (index) => {
    expect(RATE_INDEX_LABELS[index]).toMatch(CHINESE);
    expect(rateIndexText(index)).toBe(RATE_INDEX_LABELS[index]);
    // The policy parameter's choices read the same table.
    expect(CHOICE_LABELS[index]).toBe(RATE_INDEX_LABELS[index]);
  });

  it('reads the trace and the simulation codes as clerks name them', () => {
    expect(rateIndexText('LPR1Y')).toBe('1年期贷款市场报价利率（LPR）');
    expect(rateIndexText('LPR5Y')).toBe('5年期以上贷款市场报价利率（LPR）');
    expect(rateIndexText('PBOC_LE1Y')).toBe('人民银行贷款基准利率（1年以内，含1年）');
    expect(rateIndexText('PBOC_BY_TERM')).toBe('按贷款期限档次的人民银行贷款基准利率');
    expect(describeValue('rateIndex', 'PBOC_GT5Y')).toBe('人民银行贷款基准利率（5年以上）');
    expect(rateIndexText(null)).toBe('—');
  });
});

describe('a parameter entered as JSON', () => {
  it('reads in Chinese under its JSON text', () => {
    expect(jsonReading('rateFixing', '{ "rule": "in_force_on_loan_start" }')).toBe('贷款起始日执行的报价');
    expect(jsonReading('baseRate', '{ "rule": "index", "actualCapMultipleOfIndex": null }')).toBe('基准利率');
    expect(jsonReading('baseRate', '{ "rule": "lower_of_index_and_actual", "actualCapMultipleOfIndex": "1.5" }')).toBe('基准利率与实际利率孰低（实际利率不超过基准的 1.5 倍）');
  });

  it('says nothing when the text is empty, not JSON, or has no reading of its own', () => {
    expect(jsonReading('rateFixing', '')).toBeUndefined();
    expect(jsonReading('rateFixing', '{ "rule": ')).toBeUndefined();
    expect(jsonReading('feeSupport', '{"evaluation":{"share":"0.5"}}')).toBeUndefined();
  });
});
