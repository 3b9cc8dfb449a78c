/**
 * The wire vocabulary shared by every route (API.md "Conventions"): money as decimal strings with at most two places,
 * rates as decimal strings, dates as YYYY-MM-DD. Each schema validates requests and documents them in /openapi.json.
 */
import { z } from 'zod';
import { isIsoDate } from '../dates';
import { MAX_FEN, parseYuan } from '../money';

/** A non-negative amount of money: "1000000.00" → 100000000n fen. */
export const Money = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,2})?$/, 'must be a decimal string with at most 2 decimal places, e.g. "1000000.00"')
  .transform((text) => parseYuan(text))
  .refine((fen) => fen <= MAX_FEN, 'is too large')
  .meta({ description: 'CNY as a decimal string with at most two places', examples: ['1000000.00'] });

/** A strictly positive amount of money. */
export const PositiveMoney = Money.refine((fen) => fen > 0n, 'must be greater than 0');

export const Rate = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,10})?$/, 'must be a decimal string, e.g. "0.0345" for 3.45 %')
  .meta({ description: 'an annual rate as a decimal string ("0.0345" = 3.45 %)', examples: ['0.0345'] });

export const IsoDate = z
  .string()
  .refine(isIsoDate, 'must be a date YYYY-MM-DD')
  .meta({ description: 'a calendar date YYYY-MM-DD', examples: ['2024-03-15'] });

export const Uuid = z.uuid();

export const FundingBody = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,31}$/, 'must be a funding body code such as "city" or "district"');

export const Page = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        row: z.number().int().optional(),
        // Imports (src/imports): where the clerk finds it in the spreadsheet, and what is wrong in Chinese.
        sheetRow: z.number().int().optional().meta({ description: 'the row number the spreadsheet shows (files only)' }),
        column: z.string().optional().meta({ description: 'the Chinese header of the column' }),
        cell: z.string().optional().meta({ description: 'the cell, e.g. "E3" (files only)' }),
        messageZh: z.string().optional(),
      }),
    )
    .optional(),
  detailZh: z.string().optional(),
  markedSheet: z
    .object({ fileName: z.string(), contentType: z.string(), base64: z.string() })
    .optional()
    .meta({ description: 'an import refused: the uploaded sheet with its bad cells marked, as XLSX' }),
});

/** Cursors are opaque to clients: base64url JSON of the last item's sort key. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined): T | undefined {
  if (!cursor) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
