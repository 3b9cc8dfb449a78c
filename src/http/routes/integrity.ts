/**
 * Tamper evidence for auditors (README "Security", "Hash chains and the verifier"): the verifier run over the
 * database's chains, an export of them for verifying elsewhere (`npm run verify -- --file`), and the daily statement
 * of the chains' heads that third parties keep. Thin: src/integrity does the work.
 */
import { z } from 'zod';
import { DomainError } from '../../errors';
import { CHAINS, chainHeads, dailyStatement, exportPage, verifyDatabase, type ExportCursor } from '../../integrity';
import type { RouteRegistry } from '../route';
import { decodeCursor, encodeCursor, IsoDate } from '../schemas';

const Shard = z.number().int().meta({ description: "which of the chain's 16 chains (0–15): a transaction's audit rows go to chain its id mod 16, its ledger entries to the first chain no other transaction holds, tried from its id mod 16" });
const Head = z.object({ chain: z.enum(CHAINS), shard: Shard, rows: z.number().int(), lastId: z.string().nullable(), lastHash: z.string() });

const Break = z.object({
  chain: z.enum(CHAINS),
  shard: Shard,
  position: z.number().int().nullable(),
  id: z.string().nullable(),
  reason: z.string(),
  message: z.string(),
});

const Report = z.object({
  verifiedAt: z.string(),
  ok: z.boolean(),
  chains: z.array(
    z.object({
      chain: z.enum(CHAINS),
      shard: Shard,
      rows: z.number().int(),
      lastId: z.string().nullable(),
      lastHash: z.string(),
      ok: z.boolean(),
      firstBreak: Break.nullable().meta({ description: 'the first row (or head) that breaks the chain, null when it verifies' }),
    }),
  ),
});

const ExportRowOut = z.object({
  chain: z.enum(CHAINS),
  shard: Shard.nullable(),
  seq: z.string().nullable(),
  id: z.string(),
  at: z.string().nullable(),
  prevHash: z.string().nullable(),
  hash: z.string().nullable(),
  content: z.string().nullable().meta({ description: 'what the hash covers: sha256(prevHash ‖ UTF-8 of content)' }),
});

const Statement = z.object({
  document: z.string(),
  version: z.number().int(),
  date: z.string(),
  timeZone: z.string(),
  dayEnd: z.string(),
  chains: z.array(z.object({ chain: z.enum(CHAINS), shard: Shard, rows: z.number().int(), lastId: z.string().nullable(), lastHash: z.string(), lastAt: z.string().nullable() })),
  anchor: z.string().meta({ description: 'sha256 of the statement document name, the date and each chain head, one per line' }),
  issuedAt: z.string(),
});

const VERIFIERS = ['staff', 'auditor'] as const;

function validExportCursor(decoded: unknown): ExportCursor | undefined {
  const cursor = decoded as Partial<ExportCursor> | undefined;
  if (
    !cursor ||
    !CHAINS.includes(cursor.chain as never) ||
    (cursor.part !== 'chained' && cursor.part !== 'unchained') ||
    typeof cursor.after !== 'string' ||
    !/^\d{1,19}$/.test(cursor.after) ||
    (cursor.shard !== undefined && !(Number.isInteger(cursor.shard) && cursor.shard >= 0 && cursor.shard < 16))
  ) {
    return undefined;
  }
  return { chain: cursor.chain!, part: cursor.part, after: cursor.after, ...(cursor.shard !== undefined ? { shard: cursor.shard } : {}) };
}

export function registerIntegrityRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'get',
    path: '/api/v1/integrity/verify',
    summary:
      'Recompute the hash chains of the audit log and the ledger from the database and name the first row of each that breaks (reads every row: seconds per 100,000)',
    tag: 'integrity',
    roles: VERIFIERS,
    responses: { 200: { description: 'ok is true when both chains verify and pass through the heads the database records', schema: Report } },
    handler: async ({ db }) => ({ status: 200, body: await verifyDatabase(db) }),
  });

  registry.add({
    method: 'get',
    path: '/api/v1/integrity/export',
    summary:
      'The chains, a page at a time, in chain order (the audit log, then the ledger, then ledger entries in no chain): lines of an export for `npm run verify -- --file`',
    tag: 'integrity',
    roles: VERIFIERS,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(2_000).default(500),
      cursor: z.string().max(500).optional(),
    }),
    responses: {
      200: {
        description: "a page of rows and, on every page, the database's record of each chain's head",
        schema: z.object({ heads: z.array(Head), items: z.array(ExportRowOut), nextCursor: z.string().nullable() }),
      },
      422: { description: 'a cursor that is not one this endpoint made' },
    },
    handler: async ({ db, query }) => {
      let cursor: ExportCursor | null = { chain: 'audit_log', part: 'chained', shard: 0, after: '0' };
      if (query.cursor !== undefined) {
        cursor = validExportCursor(decodeCursor(query.cursor, z.unknown())) ?? null;
        if (!cursor) {
          throw new DomainError('validation_failed', 'the cursor is not valid', [{ path: 'cursor', message: 'is not a cursor of this list' }]);
        }
      }
      const heads = await chainHeads(db);
      const items = [];
      // Fill the page across the chains' parts (the audit log may end mid-page).
      while (cursor && items.length < query.limit) {
        const page: Awaited<ReturnType<typeof exportPage>> = await exportPage(db, cursor, query.limit - items.length);
        items.push(...page.rows);
        cursor = page.next ?? (cursor.chain === 'audit_log' ? { chain: 'ledger', part: 'chained', shard: 0, after: '0' } : null);
      }
      return { status: 200, body: { heads, items, nextCursor: cursor ? encodeCursor(cursor) : null } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/integrity/statements/{date}',
    summary:
      "The daily statement of a day that has ended in China: each chain's rows, last row and hash at the end of that day (the audit log's chains that have a row, the ledger's 16), and their anchor digest — keep it outside the database",
    tag: 'integrity',
    roles: ['staff', 'finance', 'auditor', 'bank'],
    params: z.object({ date: IsoDate }),
    responses: {
      200: { description: 'the statement (the same whenever it is asked for, but for issuedAt)', schema: Statement },
      422: { description: 'today or a day to come: a statement is made once its day has ended' },
    },
    handler: async ({ db, params }) => {
      const statement = await dailyStatement(db, params.date);
      const filename = `完整性日报-${statement.date}.json`;
      return {
        status: 200,
        body: statement,
        headers: { 'Content-Disposition': `attachment; filename="integrity-statement-${statement.date}.json"; filename*=UTF-8''${encodeURIComponent(filename)}` },
      };
    },
  });
}
