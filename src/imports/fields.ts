/**
 * Items checked field by field, so that a row with a bad date still has its other fields checked against the
 * database (the enterprise registered, the contract number free): zod names every bad field of an object at once, and
 * the fields that did parse are kept as a partial item for the domain's own checks. A row is complete — and may be
 * written — only when it has no problem at all.
 */
import type { z } from 'zod';
import type { FieldProblem } from '../errors';
import type { ImportBatch } from './index';

const problemsOf = (error: z.ZodError, prefix: string[] = []): FieldProblem[] =>
  error.issues.map((issue) => ({ path: [...prefix, ...issue.path.map(String)].join('.') || '(body)', message: issue.message }));

export interface ParsedFields<T> {
  /** The whole item parsed, when nothing is wrong with it. */
  value?: T;
  /** The fields that parsed (all of them when `value` is set). */
  partial: Partial<T>;
  problems: FieldProblem[];
}

export function parseFields<S extends z.ZodObject>(schema: S, item: unknown): ParsedFields<z.output<S>> {
  const whole = schema.safeParse(item);
  if (whole.success) return { value: whole.data, partial: whole.data, problems: [] };
  const partial: Record<string, unknown> = {};
  if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const parsed = field.safeParse((item as Record<string, unknown>)[key]);
      if (parsed.success && parsed.data !== undefined) partial[key] = parsed.data;
    }
  }
  return { partial: partial as Partial<z.output<S>>, problems: problemsOf(whole.error) };
}

export interface ParsedItems<T> {
  /** Per item: the whole value when it has no problem, else the fields that parsed. */
  rows: Array<ParsedFields<T>>;
  /** Every problem found so far, with its row (the item, from 1). */
  problems: FieldProblem[];
}

/** Every item of a batch through `schema`; the problems of reading the sheet's rows count as the rows' problems. */
export function parseItems<S extends z.ZodObject>(batch: ImportBatch, schema: S): ParsedItems<z.output<S>> {
  const badRows = new Set(batch.problems.map((problem) => problem.row));
  const problems: FieldProblem[] = [...batch.problems];
  const rows = batch.items.map((item, index) => {
    const parsed = parseFields(schema, item);
    problems.push(...parsed.problems.map((problem) => ({ row: index + 1, ...problem })));
    if (badRows.has(index + 1)) return { partial: parsed.partial, problems: parsed.problems };
    return parsed;
  });
  return { rows, problems };
}
