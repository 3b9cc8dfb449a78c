/**
 * An amount in yuan as a clerk types it and as the API takes it (src/http/schemas.ts Money, PositiveMoney): digits with
 * at most two places, thousands separators allowed. Checked before the request is sent, never rounded: an amount
 * with a third place is refused, not changed into another amount.
 */
import type { Rule } from 'antd/es/form';

const AMOUNT = /^\d{1,15}(\.\d{1,2})?$/;

/** `positive`: greater than zero (the API's PositiveMoney); `required`: false for an amount that may be left empty. */
export const amountRules = (positive = true, required = true): Rule[] => [
  ...(required ? [{ required: true, message: '请填写金额' }] : []),
  {
    validator: async (_rule, value: string | undefined) => {
      const text = apiAmount(value ?? '');
      if (text === '') return;
      if (!AMOUNT.test(text)) throw new Error('金额须为数字，最多两位小数，如 10000.00');
      if (positive && !/[1-9]/.test(text)) throw new Error('金额须大于 0');
    },
  },
];

/** The amount as the API takes it: thousands separators dropped. */
export const apiAmount = (value: string) => value.trim().replace(/,/g, '');
