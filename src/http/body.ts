/**
 * Request bodies, read only once the caller is authenticated and allowed (src/http/route.ts), with a limit per
 * route: nothing an anonymous client sends is buffered or parsed. JSON everywhere; `text/csv` and XLSX workbooks only
 * on the routes that declare them (imports, src/imports); any other media type is a 415.
 */
import type { Request, Response } from 'express';
import express from 'express';
import { DomainError } from '../errors';
import { XLSX_MEDIA_TYPE } from '../imports/sheet';

/**
 * The default limit. The largest single object a route takes is a loan with the most pledges allowed (100, each with
 * a number and a registration number at their longest): about 35 kB of JSON; a subsidy policy is about 5 kB.
 */
export const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * The two `:batch` routes only: 10,000 loans (a batch's maximum) with a few pledges each are about 5 MB of JSON,
 * CSV less; 32 MB leaves room for long contract and registration numbers without letting a batch exhaust memory.
 */
export const BATCH_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * The deepest JSON any route takes is a policy (parameters → a parameter → its value → a funding split → a share:
 * six levels). Recursive code (zod, the idempotency hash, pg's JSON encoding) is far from its stack limit at 32;
 * 5,000 levels would overflow it.
 */
export const MAX_JSON_DEPTH = 32;

/** An Excel workbook (Office Open XML spreadsheet), as the imports take it. */
export { XLSX_MEDIA_TYPE };

export interface BodyRules {
  /** The route validates a JSON body (it has a body schema). */
  json: boolean;
  /** The route also takes `text/csv` (declared in its OpenAPI request content). */
  csv: boolean;
  /** The route also takes an XLSX workbook (declared likewise). */
  xlsx?: boolean;
  limitBytes: number;
}

const rawReaders = new Map<number, express.RequestHandler>();

/** body-parser's raw reader for one limit: enforces Content-Length and the limit, inflates gzip/deflate within it. */
function rawReader(limitBytes: number): express.RequestHandler {
  let reader = rawReaders.get(limitBytes);
  if (!reader) {
    reader = express.raw({ type: () => true, limit: limitBytes, inflate: true });
    rawReaders.set(limitBytes, reader);
  }
  return reader;
}

/** A body is present when it has a length other than 0, or is chunked (RFC 9112 § 6.3). */
export function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function mediaTypeOf(req: Request): { type: string; charset: string | undefined } | undefined {
  const header = req.headers['content-type'];
  if (!header) return undefined;
  const [type, ...parameters] = header.split(';');
  const charset = parameters
    .map((parameter) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(parameter)?.[1])
    .find((value) => value !== undefined);
  return { type: type!.trim().toLowerCase(), charset: charset?.toLowerCase() };
}

const isJsonType = (type: string) => type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);

function unsupported(rules: BodyRules, sent: string | undefined): DomainError {
  const accepted = [...(rules.json ? ['application/json'] : []), ...(rules.csv ? ['text/csv'] : []), ...(rules.xlsx ? [XLSX_MEDIA_TYPE] : [])];
  if (accepted.length === 0) {
    return new DomainError('unsupported_media_type', 'this operation takes no request body', [
      { path: '(body)', message: 'this operation takes no request body' },
    ]);
  }
  return new DomainError(
    'unsupported_media_type',
    `this operation takes ${accepted.join(' or ')}, not ${sent ?? 'a body without Content-Type'}`,
    [{ path: '(body)', message: `send Content-Type: ${accepted.join(' or ')}` }],
    { accepted },
  );
}

/** Where JSON nests deeper than `max`, or -1: a linear scan that skips strings, before anything recursive runs. */
export function jsonDepthExceeded(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      if (depth > max) return index;
    } else if (code === 0x7d || code === 0x5d) {
      depth -= 1;
    }
  }
  return -1;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A body as read: JSON (parsed), CSV (its text), an XLSX workbook (its bytes), or none. */
export type ReadBody = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'csv'; text: string } | { kind: 'xlsx'; bytes: Buffer };

/**
 * The body of a request the route takes: none when none was sent, the parsed JSON, or the CSV text. Refuses
 * with 415 a media type the route does not declare, 413 a body over the route's limit (at once when Content-Length
 * says so), 400 one that is not UTF-8, not JSON, or nested deeper than MAX_JSON_DEPTH.
 */
export async function readBody(req: Request, res: Response, rules: BodyRules): Promise<ReadBody> {
  if (!hasBody(req)) return { kind: 'none' };
  const media = mediaTypeOf(req);
  const kind =
    media && rules.json && isJsonType(media.type)
      ? 'json'
      : media && rules.csv && media.type === 'text/csv'
        ? 'csv'
        : media && rules.xlsx && media.type === XLSX_MEDIA_TYPE
          ? 'xlsx'
          : undefined;
  if (!kind) throw unsupported(rules, media?.type);
  if (kind !== 'xlsx' && media!.charset !== undefined && media!.charset !== 'utf-8' && media!.charset !== 'utf8') {
    throw new DomainError('unsupported_media_type', `only UTF-8 is read, not charset=${media!.charset}`, [
      { path: '(body)', message: 'send the body in UTF-8' },
    ]);
  }
  // Refused on its declared length, before a byte is read (body-parser would read the whole body off first).
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > rules.limitBytes) throw bodyReadError({ type: 'entity.too.large' }, rules.limitBytes);
  await new Promise<void>((resolve, reject) => {
    rawReader(rules.limitBytes)(req, res, (error?: unknown) => (error ? reject(bodyReadError(error, rules.limitBytes)) : resolve()));
  });
  const bytes = req.body as Buffer | undefined;
  if (!Buffer.isBuffer(bytes)) return { kind: 'none' };
  // A workbook is a zip: its bytes are the import's to read (src/imports/sheet.ts).
  if (kind === 'xlsx') return { kind: 'xlsx', bytes };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new DomainError('malformed_body', 'the body is not valid UTF-8', [{ path: '(body)', message: 'not valid UTF-8' }]);
  }
  if (kind === 'csv') return { kind: 'csv', text };
  const tooDeep = jsonDepthExceeded(text, MAX_JSON_DEPTH);
  if (tooDeep >= 0) {
    throw new DomainError('malformed_body', `the JSON nests deeper than ${MAX_JSON_DEPTH} levels (at character ${tooDeep})`, [
      { path: '(body)', message: `nested deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  }
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new DomainError('malformed_body', `the body is not valid JSON: ${(error as Error).message}`, [{ path: '(body)', message: 'not valid JSON' }]);
  }
}

/** body-parser's errors (http-errors with a `type`) as the service's own; anything else is ours and stays as it is. */
export function bodyReadError(error: unknown, limitBytes: number): unknown {
  const { type, status, message } = error as { type?: string; status?: number; message?: string };
  if (type === 'entity.too.large' || status === 413) {
    return new DomainError('body_too_large', `the body is larger than this operation takes (${limitBytes.toLocaleString('en-US')} bytes)`, [], {
      limitBytes,
    });
  }
  if (status === 415) return new DomainError('unsupported_media_type', message ?? 'unsupported content encoding');
  if (typeof status === 'number' && status >= 400 && status < 500) return new DomainError('bad_request', message ?? 'bad request');
  return error;
}
