/**
 * The one gate every request's path, query and body pass (and every row of a batch): three checks, each in one
 * place for every route at once, so that a field added to a schema is covered without a word.
 *
 * 1. Text PostgreSQL cannot store or a person would not type: a NUL character, an unpaired UTF-16 surrogate, or a
 *    control character other than tab, line feed and carriage return, in any string or field name.
 * 2. Fields the schema does not declare, at every depth: a client learns that its field was not understood instead
 *    of having it silently dropped (a misspelt `securedAmount` would otherwise change nothing, unseen).
 * 3. The route's zod schema.
 *
 * Every problem names its field (`pledges.0.number`); nothing is written when there is one.
 */
import type { z } from 'zod';
import type { FieldProblem } from '../errors';
import { validationFailed } from './problem';

// ---------------------------------------------------------------------------------------------------------------
// 1. Text

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (UTF-16 code units). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 controls but tab, LF, CR; DEL; C1 controls. NUL is among them and named apart (PostgreSQL refuses it). */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const codePoint = (character: string) => `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a string is not text the service stores, or undefined. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000), which is not text';
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) return `contains an unpaired surrogate (${codePoint(surrogate[0])}): not valid Unicode text`;
  const control = CONTROL.exec(text);
  if (control) return `contains the control character ${codePoint(control[0])}`;
  return undefined;
}

const joinPath = (path: readonly (string | number)[]) => path.map(String).join('.');

/** Every string and field name of a JSON value that is not storable text. JSON depth is capped before this runs. */
export function textProblems(value: unknown, path: (string | number)[] = [], problems: FieldProblem[] = []): FieldProblem[] {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) problems.push({ path: joinPath(path) || '(body)', message: problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => textProblems(item, [...path, index], problems));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = textProblem(key);
      // The name itself may be unprintable: the path shows it escaped.
      if (problem) problems.push({ path: joinPath([...path, JSON.stringify(key).slice(1, -1)]), message: `the field name ${problem}` });
      else textProblems(item, [...path, key], problems);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Unknown fields

interface ZodInternals {
  def: {
    type: string;
    shape?: Record<string, z.ZodType>;
    catchall?: z.ZodType;
    element?: z.ZodType;
    innerType?: z.ZodType;
    in?: z.ZodType;
    options?: z.ZodType[];
    discriminator?: string;
    left?: z.ZodType;
    right?: z.ZodType;
    valueType?: z.ZodType;
    items?: z.ZodType[];
    rest?: z.ZodType | null;
    getter?: () => z.ZodType;
  };
  propValues?: Record<string, Set<unknown>>;
}
const internals = (schema: z.ZodType) => (schema as unknown as { _zod: ZodInternals })._zod;

export const UNKNOWN_FIELD_MESSAGE = 'unknown field: not part of this operation';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The fields of `value` that `schema` does not declare, walking the schema's definition alongside the value (objects,
 * arrays, records, tuples, unions, intersections, optional/nullable/default wrappers, the input side of transforms).
 * An object with a catch-all schema (a record of free keys) declares every key; `z.unknown()` ends the walk.
 */
export function unknownFields(schema: z.ZodType, value: unknown, path: (string | number)[] = []): FieldProblem[] {
  const { def } = internals(schema);
  switch (def.type) {
    case 'object': {
      if (!isPlainObject(value)) return [];
      const shape = def.shape ?? {};
      const free = def.catchall !== undefined && internals(def.catchall).def.type !== 'never';
      const problems: FieldProblem[] = [];
      for (const [key, item] of Object.entries(value)) {
        const field = Object.prototype.hasOwnProperty.call(shape, key) ? shape[key] : undefined;
        if (field) problems.push(...unknownFields(field, item, [...path, key]));
        else if (free) problems.push(...unknownFields(def.catchall!, item, [...path, key]));
        else problems.push({ path: joinPath([...path, key]), message: UNKNOWN_FIELD_MESSAGE });
      }
      return problems;
    }
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, index) => unknownFields(def.element!, item, [...path, index])) : [];
    case 'tuple':
      return Array.isArray(value)
        ? value.flatMap((item, index) => {
            const itemSchema = def.items?.[index] ?? def.rest ?? undefined;
            return itemSchema ? unknownFields(itemSchema, item, [...path, index]) : [];
          })
        : [];
    case 'record':
      return isPlainObject(value) ? Object.entries(value).flatMap(([key, item]) => unknownFields(def.valueType!, item, [...path, key])) : [];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
    case 'success':
      return value === undefined || value === null ? [] : unknownFields(def.innerType!, value, path);
    case 'pipe':
      return unknownFields(def.in!, value, path);
    case 'lazy':
      return unknownFields(def.getter!(), value, path);
    case 'union': {
      let options = def.options ?? [];
      if (def.discriminator !== undefined) {
        if (!isPlainObject(value)) return [];
        const tag = value[def.discriminator];
        options = options.filter((option) => internals(option).propValues?.[def.discriminator!]?.has(tag));
      }
      // The option that explains the value best: a field unknown to every option is named from the closest one.
      let best: FieldProblem[] | undefined;
      for (const option of options) {
        const problems = unknownFields(option, value, path);
        if (!best || problems.length < best.length) best = problems;
        if (best.length === 0) break;
      }
      return best ?? [];
    }
    case 'intersection': {
      // A field is known when either side declares it.
      const right = new Set(unknownFields(def.right!, value, path).map((problem) => problem.path));
      return unknownFields(def.left!, value, path).filter((problem) => right.has(problem.path));
    }
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. The schema, after the two checks above

/** zod's issues as field problems; its own unrecognized-key issues become one "unknown field" per key. */
function zodProblems(error: z.ZodError, prefix: (string | number)[]): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: joinPath([...path, key]), message: UNKNOWN_FIELD_MESSAGE }));
    return [{ path: joinPath(path) || '(body)', message: issue.message }];
  });
}

/** The problems of one input against its schema, or the parsed value: the three checks, every problem named. */
export function checkInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  prefix: (string | number)[] = [],
): { ok: true; value: z.output<T> } | { ok: false; problems: FieldProblem[] } {
  const text = textProblems(value, prefix);
  // Strings no one would store never reach the schema's refinements (identifier validators, decimal parsers).
  if (text.length > 0) return { ok: false, problems: text };
  const problems = unknownFields(schema, value, prefix);
  const parsed = schema.safeParse(value);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, prefix));
  if (problems.length > 0) {
    const seen = new Set<string>();
    return {
      ok: false,
      problems: problems.filter((problem) => {
        const key = `${problem.path}\u0000${problem.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }),
    };
  }
  return { ok: true, value: parsed.data as z.output<T> };
}

/** `checkInput`, throwing 422 `validation_failed` naming every bad field of `where` ("the body", "the query"). */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const checked = checkInput(schema, value);
  if (!checked.ok) throw validationFailed(checked.problems, where);
  return checked.value;
}
