/**
 * The enterprise file's form rules in Chinese, checking what the API checks (src/http/schemas.ts Money,
 * PositiveMoney, PastDate; src/http/routes/subsidy-inputs.ts): a clerk sees the Chinese message before the request
 * is sent, and the API's answer, should it still refuse, lands on the same field.
 */
import type { Rule } from 'antd/es/form';
import type { Dayjs } from 'dayjs';
import { chinaToday } from '../../../format/date';

export { amountRules, apiAmount } from '../../../forms/amount';

/** A date something happened on: required, not after today (the API's PastDate), within 1990–2100. */
export const pastDateRules = (what = '日期', required = true): Rule[] => [
  ...(required ? [{ required: true, message: `请选择${what}` }] : []),
  {
    validator: async (_rule, value: Dayjs | null | undefined) => {
      if (!value) return;
      if (value.isAfter(chinaToday(), 'day')) throw new Error(`${what}不能晚于今天`);
      if (value.year() < 1990) throw new Error(`${what}不能早于 1990-01-01`);
    },
  },
];

/** A year of the runs: 2000–2100. */
export const yearRules: Rule[] = [
  { required: true, message: '请填写年度' },
  { type: 'integer', min: 2000, max: 2100, message: '年度须在 2000 至 2100 之间' },
];

/** A reason or a name: required, at most `max` characters. */
export const textRules = (what: string, max: number): Rule[] => [
  { required: true, whitespace: true, message: `请填写${what}` },
  { max, message: `${what}最多 ${max} 个字` },
];
