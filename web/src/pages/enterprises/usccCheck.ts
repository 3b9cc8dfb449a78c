/**
 * The USCC checked as it is typed, with the server's own validator (src/loans/identifiers.ts, dependency-free, built
 * into the console), so the form and the API refuse exactly the same codes.
 */
import { USCC_LENGTH, validateUscc, type UsccRule } from '../../../../src/loans/identifiers';

const RULES: Record<UsccRule, string> = {
  length: `统一社会信用代码为 ${USCC_LENGTH} 位`,
  alphabet: '只能由数字和大写字母组成（不含 I、O、S、V、Z）',
  registration_authority: '第 1 位（登记管理部门代码）无效',
  organisation_category: '第 2 位（机构类别代码）与登记管理部门不符',
  division_code: '第 3–8 位（登记管理机关行政区划码）无效',
  organisation_code_check: '第 17 位（组织机构代码校验码）不符',
  check_character: '第 18 位（校验码）不符',
};

const PARTIAL = /^[0-9A-HJ-NPQRTUWXY]*$/;

export type UsccCheck =
  | { state: 'empty' }
  | { state: 'typing'; remaining: number }
  | { state: 'valid'; uscc: string; divisionCode: string }
  | { state: 'invalid'; message: string };

/** While fewer than 18 characters are typed only the alphabet is checked; then every rule of GB 32100-2015. */
export function checkUscc(input: string | undefined): UsccCheck {
  const text = (input ?? '').trim().replace(/[a-z]/g, (letter) => letter.toUpperCase());
  if (text === '') return { state: 'empty' };
  if (text.length < USCC_LENGTH && PARTIAL.test(text)) return { state: 'typing', remaining: USCC_LENGTH - text.length };
  const result = validateUscc(text);
  if (result.ok) return { state: 'valid', uscc: result.uscc, divisionCode: result.divisionCode };
  // The validator's English message is for programs; of it the console keeps only the expected check character.
  const check = /check character is '(.)', expected '(.)'/.exec(result.message);
  return { state: 'invalid', message: check ? `${RULES[result.rule]}：应为 ${check[2]}，填写的是 ${check[1]}` : RULES[result.rule] };
}
