/**
 * Items checked field by field, so that a row with a bad date still has its other fields checked against the
 * database (the enterprise registered, the contract number free): zod names every bad field of an object at once, and
 * the fields that did parse are kept as a partial item for the domain's own checks. A row is complete — and may be
 * written — only when it has no problem at all.
 */
import type { z } from 'zod';
import type { FieldProblem } from '../errors';
import type { ImportBatch } from './index';

const problemsOf = (error: z.ZodError): FieldProblem[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));

/**
 * How an input is checked: the schema alone by default; the service's routes pass their input gate (src/http/input.ts
 * `checkInput`: storable text, no unknown field, then the schema), so that each row passes what a single body does.
 */
export type InputCheck = <T extends z.ZodType>(schema: T, value: unknown) => { ok: true; value: z.output<T> } | { ok: false; problems: FieldProblem[] };

const schemaOnly: InputCheck = (schema, value) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: problemsOf(parsed.error) };
};

export interface ParsedFields<T> {
  /** The whole item parsed, when nothing is wrong with it. */
  value?: T;
  /** The fields that parsed (all of them when `value` is set). */
  partial: Partial<T>;
  problems: FieldProblem[];
}

export function parseFields<S extends z.ZodObject>(schema: S, item: unknown, check: InputCheck = schemaOnly): ParsedFields<z.output<S>> {
  const whole = check(schema, item);
  if (whole.ok) return { value: whole.value, partial: whole.value, problems: [] };
  const partial: Record<string, unknown> = {};
  if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const parsed = check(field, (item as Record<string, unknown>)[key]);
      if (parsed.ok && parsed.value !== undefined) partial[key] = parsed.value;
    }
  }
  return { partial: partial as Partial<z.output<S>>, problems: whole.problems };
}

export interface ParsedItems<T> {
  /** Per item: the whole value when it has no problem, else the fields that parsed. */
  rows: Array<ParsedFields<T>>;
  /** Every problem found so far, with its row (the item, from 1). */
  problems: FieldProblem[];
}

/** Every item of a batch through `schema`; the problems of reading the sheet's rows count as the rows' problems. */
export function parseItems<S extends z.ZodObject>(batch: ImportBatch, schema: S, check: InputCheck = schemaOnly): ParsedItems<z.output<S>> {
  const badRows = new Set(batch.problems.map((problem) => problem.row));
  const problems: FieldProblem[] = [...batch.problems];
  const rows = batch.items.map((item, index) => {
    const parsed = parseFields(schema, item, check);
    problems.push(...parsed.problems.map((problem) => ({ row: index + 1, ...problem })));
    if (badRows.has(index + 1)) return { partial: parsed.partial, problems: parsed.problems };
    return parsed;
  });
  return { rows, problems };
}
