/**
 * Every problem+json error appears next to the field it names: `errors[].path` ("code",
 * "pledges.0.number") → the form's field of that name path, shown by its Form.Item as validateStatus "error" with the
 * message as help. What names no field of the form (or has no `errors`) is returned for an alert above the form.
 */
import type { FormInstance } from 'antd';
import type { Problem } from '../api/client';
import { namePath, type FieldPath } from './namePath';
import { fieldMessageZh, fieldProblemZh, problemSentence } from '../catalogue';


const key = (name: FieldPath) => name.map(String).join('.');

export interface UnplacedProblem {
  title: string;
  /** Messages that name no field of the form, with their path. */
  messages: string[];
}

/**
 * Puts each error of `problem` on its field and returns what is left for an alert (undefined when every error found
 * its field). `fallbackField` receives the problem's detail when the problem names no field at all (e.g. a 401 on
 * the token field of the sign-in form).
 */
export function showProblemOnForm(form: FormInstance, problem: Problem, fallbackField?: string): UnplacedProblem | undefined {
  const registered = new Map(form.getFieldsError().map(({ name }) => [key(name), name as FieldPath]));
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  const unplaced: string[] = [];
  for (const error of problem.errors ?? []) {
    const name = registered.get(key(namePath(error.path)));
    const message = error.row === undefined ? fieldMessageZh(error.message) : `第 ${error.row} 行：${fieldMessageZh(error.message)}`;
    if (!name) {
      unplaced.push(fieldProblemZh(error));
      continue;
    }
    const entry = byField.get(key(name)) ?? { name, errors: [] };
    entry.errors.push(message);
    byField.set(key(name), entry);
  }
  if (byField.size === 0 && unplaced.length === 0 && fallbackField && registered.has(fallbackField)) {
    byField.set(fallbackField, { name: [fallbackField], errors: [problemDetail(problem)] });
  }
  form.setFields([...byField.values()]);
  if (byField.size > 0 && unplaced.length === 0) return undefined;
  return { title: problemTitle(problem), messages: unplaced.length > 0 ? unplaced : [problemDetail(problem)] };
}

const TITLES: Record<number, string> = {
  0: '无法连接服务',
  400: '请求无效',
  401: '未登录或令牌已失效',
  403: '无权执行此操作',
  404: '未找到',
  409: '与现有数据冲突',
  413: '请求过大',
  422: '输入有误',
  500: '服务内部错误',
};

export function problemTitle(problem: Problem): string {
  return TITLES[problem.status] ?? (problem.status >= 500 ? '服务暂时不可用' : '操作未能完成');
}

/** The Chinese sentence of a problem (web/src/catalogue/errors.ts `problemSentence`). */
export function problemDetail(problem: Problem): string {
  return problemSentence(problem);
}

