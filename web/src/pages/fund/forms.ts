/** The fund's form rules, shared by its dialogs. */
import type { Rule } from 'antd/es/form';

/** An amount in yuan as the API takes it: a decimal string with at most two places (docs/api.md "Money"). */
export const MONEY_RULES: Rule[] = [
  { required: true, message: '请输入金额' },
  { pattern: /^\d{1,15}(\.\d{1,2})?$/, message: '金额最多两位小数，如 5000000.00' },
];

/** A fraction between 0 and 1 as the API takes it ("0.5"). */
export const FRACTION_RULES: Rule[] = [
  { required: true, message: '请输入比例' },
  { pattern: /^(0(\.\d{1,10})?|1(\.0{1,10})?)$/, message: '0 到 1 之间的小数，如 0.5' },
];

export const REQUIRED_DATE: Rule[] = [{ required: true, message: '请选择日期' }];
