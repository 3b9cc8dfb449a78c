/**
 * A policy's parameters as a form, generated from the schema the service validates them with: `GET /openapi.json`
 * publishes the body of `POST /api/v1/policies` (src/subsidy/policy.ts `rawPolicySchema`), and each parameter's
 * `value` schema decides its input (a choice, a decimal, an amount, a whole number, a list of right types, a funding
 * split, or JSON for the rare structured ones), its client-side checks (pattern, bounds) and whether it may be unset.
 * The service checks everything again; its 422 names the field (`parameters.ratio.value`, `changes.ratio`), which
 * `fieldOfPath` puts back on the input.
 */
import type { paths } from '../../api/schema';
import { PARAMETER_NAMES_ZH } from '../../../../src/subsidy/parameter-names';
import { RATE_RULE_LABELS } from '../../catalogue';
import { FUNDING_BODY_LABELS, RIGHT_TYPE_LABELS } from '../../format/labels';

export type PolicyRecord = paths['/api/v1/policies']['get']['responses'][200]['content']['application/json']['items'][number];
export type ParameterRecord = { value: unknown; reference: string; interpretation?: string; description?: string; unit?: string };

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
}

export type ParameterKind =
  | { kind: 'choice'; options: string[] }
  | { kind: 'text'; pattern: string | undefined; money: boolean }
  | { kind: 'integer'; minimum: number | undefined; maximum: number | undefined }
  | { kind: 'choices'; options: string[] }
  | { kind: 'shares' }
  | { kind: 'json' };

export interface ParameterSpec {
  name: string;
  nullable: boolean;
  input: ParameterKind;
}

/** The parameters' names in Chinese (one table with the service's documents). */
export const PARAMETER_LABELS = PARAMETER_NAMES_ZH;

/** What each choice means, in Chinese; the code stays underneath. */
export const CHOICE_LABELS: Record<string, string> = {
  ...RATE_RULE_LABELS,
  '30E/360': '30E/360（每月按30天计）',
  'ACT/360': 'ACT/360（实际天数÷360）',
  'ACT/365': 'ACT/365（实际天数÷365）',
  none: '无',
  repaid_on_time: '按期还本付息',
  accrual: '按计息期归属（贴息期在本年度的部分）',
  settlement: '按结清年度归属',
  ip_share_of_daily_outstanding: '每日贷款余额 × 知识产权占比',
  ip_pledged_principal: '知识产权质押本金',
  ineligible: '不予支持',
  whole_ip_part: '全部知识产权部分',
  secured_by_eligible_pledges: '受支持权利担保的部分',
  allowed: '允许',
  one_year_only: '仅享受一个年度',
  apply: '适用',
  not_counted: '不计入',
  counted: '计入',
  in_force_on_loan_start: '贷款起始日执行的报价',
  in_force_on_contract_date: '合同签订日执行的报价',
  latest_published_in_month_before_contract: '合同签订前一个月最新公布的报价',
  month_of_repayment_year: '还款年度指定月份的报价',
  index: '基准利率',
  actual: '贷款实际利率',
  lower_of_index_and_actual: '基准利率与实际利率孰低',
  ...RIGHT_TYPE_LABELS,
};

/** The unit a value is entered in. */
export function unitOf(name: string, spec: ParameterSpec): string {
  if (spec.input.kind === 'text' && spec.input.money) return '元';
  if (name === 'windowMonths') return '个月';
  if (name === 'ratio' || name === 'minIpShareOfCombination') return '比例（小数，0.15 即 15%）';
  if (spec.input.kind === 'shares') return '各出资方比例之和为 1';
  return '—';
}

const MONEY_PATTERN = '^\\d{1,15}(\\.\\d{1,2})?$';

function kindOf(schema: JsonSchema): ParameterKind {
  if (schema.const !== undefined) return { kind: 'choice', options: [String(schema.const)] };
  if (schema.enum) return { kind: 'choice', options: schema.enum.map(String) };
  if (schema.type === 'string') return { kind: 'text', pattern: schema.pattern, money: schema.pattern === MONEY_PATTERN };
  if (schema.type === 'integer') return { kind: 'integer', minimum: schema.minimum, maximum: schema.maximum };
  if (schema.type === 'array' && schema.items?.enum) return { kind: 'choices', options: schema.items.enum.map(String) };
  if (schema.type === 'array' && schema.items?.properties?.body && schema.items.properties.share) return { kind: 'shares' };
  return { kind: 'json' };
}

/** The parameters of the policy record, in the schema's order, from the service's published schema. */
export async function loadParameterSpecs(): Promise<ParameterSpec[]> {
  const response = await fetch('/openapi.json');
  if (!response.ok) throw new Error(`无法读取参数定义（${response.status}）`);
  const document = (await response.json()) as {
    paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: JsonSchema }> } } }>;
  };
  const body = document.paths['/api/v1/policies']?.post?.requestBody?.content['application/json']?.schema;
  const parameters = body?.properties?.parameters?.properties ?? {};
  return Object.entries(parameters).map(([name, parameter]) => {
    const value = parameter.properties?.value ?? {};
    const options = value.anyOf ?? [value];
    const nullable = options.some((option) => option.type === 'null');
    const inner = options.find((option) => option.type !== 'null') ?? {};
    return { name, nullable, input: kindOf(inner) };
  });
}

/** The form's value of a parameter (`null` for unset). */
export function toFormValue(spec: ParameterSpec, value: unknown): unknown {
  if (value === null || value === undefined) return spec.input.kind === 'choices' ? [] : spec.input.kind === 'shares' ? [] : null;
  if (spec.input.kind === 'json') return JSON.stringify(value, null, 2);
  return value;
}

export class FormValueError extends Error {}

/** The parameter's value from the form's; throws `FormValueError` (in Chinese) when it cannot be read. */
export function fromFormValue(spec: ParameterSpec, formValue: unknown): unknown {
  const empty = formValue === null || formValue === undefined || formValue === '' || (Array.isArray(formValue) && formValue.length === 0);
  if (empty) return spec.nullable ? null : spec.input.kind === 'choices' ? [] : formValue;
  if (spec.input.kind === 'json') {
    try {
      return JSON.parse(String(formValue));
    } catch {
      throw new FormValueError('不是有效的 JSON');
    }
  }
  if (spec.input.kind === 'integer') return Number(formValue);
  return formValue;
}

/** Whether two parameter values are the same (values are JSON). */
export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A parameter's value as a clerk reads it. */
export function describeValue(name: string, value: unknown): string {
  if (value === null || value === undefined) return '未设置';
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'string')) return value.map((item) => CHOICE_LABELS[item as string] ?? String(item)).join('、');
    if (value.every((item) => item && typeof item === 'object' && 'body' in item && 'share' in item)) {
      return (value as Array<{ body: string; share: string }>).map((item) => `${FUNDING_BODY_LABELS[item.body] ?? item.body} ${item.share}`).join('，');
    }
  }
  if (typeof value === 'string') {
    if (name.startsWith('cap')) return `¥${value}`;
    return CHOICE_LABELS[value] ?? value;
  }
  if (typeof value === 'number') return name === 'windowMonths' ? `${value} 个月` : String(value);
  if (typeof value === 'object' && 'rule' in value) {
    const { rule, ...rest } = value as { rule: string; month?: number; actualCapMultipleOfIndex?: string | null };
    const details = [
      rest.month !== undefined ? `${rest.month} 月` : '',
      rest.actualCapMultipleOfIndex ? `实际利率不超过基准的 ${rest.actualCapMultipleOfIndex} 倍` : '',
    ].filter(Boolean);
    return `${CHOICE_LABELS[rule] ?? rule}${details.length > 0 ? `（${details.join('，')}）` : ''}`;
  }
  return JSON.stringify(value);
}

/**
 * What a parameter entered as JSON (the rare structured ones: the rate's fixing rule, the rate rule) reads as in
 * Chinese, under the JSON text: `{"rule":"in_force_on_loan_start"}` → "贷款起始日执行的报价". Nothing when the text
 * is empty, is not JSON, or has no reading besides the JSON itself.
 */
export function jsonReading(name: string, text: unknown): string | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const reading = describeValue(name, value);
  return reading === JSON.stringify(value) ? undefined : reading;
}

/** The form field a problem's path names: `parameters.ratio.value…` or `changes.ratio…` → `ratio`. */
export function parameterOfPath(path: string): string | undefined {
  return /^(?:parameters\.([A-Za-z]+)|changes\.([A-Za-z]+))/.exec(path)?.slice(1).find(Boolean);
}
