/**
 * The wire vocabulary shared by every route (docs/api.md "Conventions"): money as decimal strings with at most two places,
 * rates as decimal strings, dates as YYYY-MM-DD. Each schema validates requests and documents them in /openapi.json.
 */
import { z } from 'zod';
import { isIsoDate, todayInChina } from '../dates';
import { DomainError } from '../errors';
import { MAX_FEN, parseYuan } from '../money';

/** A non-negative amount of money: "1000000.00" → 100000000n fen. */
export const Money = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,2})?$/, { message: 'must be a decimal string with at most 2 decimal places, e.g. "1000000.00"', abort: true })
  .transform((text) => parseYuan(text))
  .refine((fen) => fen <= MAX_FEN, 'is too large')
  .meta({ description: 'CNY as a decimal string with at most two places', examples: ['1000000.00'] });

/** A strictly positive amount of money. */
export const PositiveMoney = Money.refine((fen) => fen > 0n, 'must be greater than 0');

/** A rate; `abort` so that a refinement after it (decimal.js) never sees a string that is not a decimal. */
export const Rate = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,10})?$/, { message: 'must be a decimal string, e.g. "0.0345" for 3.45 %', abort: true })
  .meta({ description: 'an annual rate as a decimal string ("0.0345" = 3.45 %)', examples: ['0.0345'] });

/**
 * The plausible dates of this service's records: IP-pledge lending began in China in the 1990s, and no loan, policy
 * or fund rule it records reaches past 2100. A date outside is a typing mistake ("0224-03-15", "20240-03-15").
 */
export const DATE_MIN = '1990-01-01';
export const DATE_MAX = '2100-12-31';

export const IsoDate = z
  .string()
  .refine(isIsoDate, { message: 'must be a date YYYY-MM-DD', abort: true })
  .refine((date) => date >= DATE_MIN && date <= DATE_MAX, { message: `must be between ${DATE_MIN} and ${DATE_MAX}`, abort: true })
  .meta({ description: `a calendar date YYYY-MM-DD, ${DATE_MIN} to ${DATE_MAX}`, examples: ['2024-03-15'] });

/** The date of something that happened (a payment, a premium paid, a loan event, a contribution): never after today. */
export const PastDate = IsoDate.superRefine((date, ctx) => {
  const today = todayInChina();
  if (date > today) ctx.addIssue({ code: 'custom', message: `must not be in the future (today in China is ${today})` });
}).meta({ description: 'a calendar date YYYY-MM-DD on which something happened: not after today (China time)', examples: ['2024-03-15'] });

/**
 * An identifier a person reads and compares (a contract number, a right's number, a payment reference, a code): no
 * control characters (tab and line breaks included) and no invisible formatting characters (zero-width spaces,
 * bidirectional overrides), which would make two numbers that look alike differ, or one look like another.
 */
export function Identifier(maxCharacters: number) {
  return z
    .string()
    .max(maxCharacters)
    .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u, 'must not contain control characters or invisible formatting characters');
}

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
  requestId: z.string().optional().meta({ description: 'the id the service gave this request (also its X-Request-Id header): quote it to us; always present in the service’s answers' }),
});

/** Cursors are opaque to clients: base64url JSON of the last item's sort key. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const invalidCursor = () =>
  new DomainError('validation_failed', 'cursor: is not a cursor of this list; ask for the first page again', [
    { path: 'cursor', message: 'is not a cursor of this list' },
  ]);

/**
 * A cursor decoded and checked against the shape of the list's sort key: a forged or damaged one is a 422 naming
 * `cursor`, never a query with a key of the wrong type.
 */
export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, key: T): z.output<T> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = key.safeParse(decoded);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}

/** The key a `pageOfWhole` cursor holds: the last item's id or code. */
const WholeKey = z.string().min(1).max(200);

/**
 * The query of a list paged by `pageOfWhole`: `cursor` comes decoded, and a forged one is a 422 naming it before
 * anything is read (as on every list).
 */
export const WholePage = Page.extend({
  cursor: z
    .string()
    .max(500)
    .optional()
    .transform((value, ctx) => {
      try {
        return decodeCursor(value, WholeKey);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor of this list' });
        return z.NEVER;
      }
    }),
});

/**
 * A short list read whole (a loan's fees, an enterprise's records, an area's targets) answered a page at a time like
 * every list: the cursor holds the key of the page's last item, and the next page starts after it. The items keep
 * their order and their keys are unique (record ids, area codes); a key no longer in the list is a 422 naming `cursor`.
 */
export function pageOfWhole<T>(items: readonly T[], query: z.output<typeof WholePage>, keyOf: (item: T) => string): { items: T[]; nextCursor: string | null } {
  let start = 0;
  if (query.cursor !== undefined) {
    const index = items.findIndex((item) => keyOf(item) === query.cursor);
    if (index < 0) throw invalidCursor();
    start = index + 1;
  }
  const page = items.slice(start, start + query.limit);
  return { items: page, nextCursor: start + query.limit < items.length ? encodeCursor(keyOf(page[page.length - 1]!)) : null };
}

/** Sort keys that cursors carry. */
export const CursorKeys = {
  /** A bigint id or sequence number, as text. */
  serial: z.string().regex(/^\d{1,19}$/),
  uuid: Uuid,
  date: z.string().refine(isIsoDate),
  instant: z.iso.datetime({ offset: true }),
};
