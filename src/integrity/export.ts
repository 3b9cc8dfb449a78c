/**
 * The chains as the database holds them, in chain order, a page at a time: what an export contains and what the
 * verifier reads (src/integrity/chain.ts). The content of each row is made by the same SQL functions as the triggers
 * that hashed it (migrations/Migration20261203000300Integrity.ts), so a row changed since shows a different content.
 */
import type { Queryable } from '../db/pool';
import { ExportVerifier, type ChainHead, type ChainName, type ChainReport, type ExportRow } from './chain';

/** Rows per query: a page of contents is a few MB at most. */
export const EXPORT_PAGE_ROWS = 2_000;

const hex = (value: Buffer | null) => (value === null ? null : value.toString('hex'));

/**
 * Where a page starts: after this audit id; after this ledger chain and position; or (ledger entries in no chain)
 * after this entry id.
 */
export interface ExportCursor {
  chain: ChainName;
  /** 'chained' rows first; then, for the ledger, entries that are in no chain. */
  part: 'chained' | 'unchained';
  /** The ledger chain of `after` (chained part). */
  shard?: number;
  after: string;
}

export async function exportPage(db: Queryable, cursor: ExportCursor, limit = EXPORT_PAGE_ROWS): Promise<{ rows: ExportRow[]; next: ExportCursor | null }> {
  if (cursor.chain === 'audit_log') {
    // In id order: every chain's rows in chain order at once (migrations/Migration20261203002000AuditChains.ts).
    const result = await db.query<{ id: bigint; shard: number; at: Date; prev_hash: Buffer; hash: Buffer; content: string }>(
      `select a.id, coalesce(a.chain_no, 0) as shard, a.at, a.prev_hash, a.hash, integrity_audit_content(a) as content
         from audit_log a where a.id > $1::bigint order by a.id limit $2`,
      [cursor.after, limit],
    );
    const rows = result.rows.map((row): ExportRow => ({
      chain: 'audit_log',
      shard: row.shard,
      seq: null,
      id: row.id.toString(),
      at: row.at.toISOString(),
      prevHash: hex(row.prev_hash),
      hash: hex(row.hash),
      content: row.content,
    }));
    return { rows, next: rows.length === limit ? { ...cursor, after: rows[rows.length - 1]!.id } : null };
  }
  if (cursor.part === 'chained') {
    const result = await db.query<{ shard: number; seq: bigint; entry_id: bigint; chained_at: Date; prev_hash: Buffer; hash: Buffer; content: string | null }>(
      `select c.shard, c.seq, c.entry_id, c.chained_at, c.prev_hash, c.hash,
              case when e.id is not null then integrity_ledger_entry_content(e,
                (select string_agg(integrity_ledger_line_content(l, a.code), ',' order by l.line_no)
                   from ledger_line l left join ledger_account a on a.id = l.account_id where l.entry_id = e.id)) end as content
         from ledger_chain c left join ledger_entry e on e.id = c.entry_id
        where (c.shard, c.seq) > ($3::smallint, $1::bigint) order by c.shard, c.seq limit $2`,
      [cursor.after, limit, cursor.shard ?? 0],
    );
    const rows = result.rows.map((row): ExportRow => ({
      chain: 'ledger',
      shard: row.shard,
      seq: row.seq.toString(),
      id: row.entry_id.toString(),
      at: row.chained_at.toISOString(),
      prevHash: hex(row.prev_hash),
      hash: hex(row.hash),
      content: row.content,
    }));
    const last = rows[rows.length - 1];
    if (rows.length === limit && last) return { rows, next: { ...cursor, shard: last.shard!, after: last.seq! } };
    return { rows, next: { chain: 'ledger', part: 'unchained', after: '0' } };
  }
  const result = await db.query<{ id: bigint; content: string }>(
    `select e.id, integrity_ledger_entry_content(e,
              (select string_agg(integrity_ledger_line_content(l, a.code), ',' order by l.line_no)
                 from ledger_line l left join ledger_account a on a.id = l.account_id where l.entry_id = e.id)) as content
       from ledger_entry e
      where e.id > $1::bigint and not exists (select 1 from ledger_chain c where c.entry_id = e.id)
      order by e.id limit $2`,
    [cursor.after, limit],
  );
  const rows = result.rows.map((row): ExportRow => ({
    chain: 'ledger',
    shard: null,
    seq: null,
    id: row.id.toString(),
    at: null,
    prevHash: null,
    hash: null,
    content: row.content,
  }));
  return { rows, next: rows.length === limit ? { ...cursor, after: rows[rows.length - 1]!.id } : null };
}

/** Every row of both chains, audit log first, in chain order. */
export async function* exportRows(db: Queryable, pageRows = EXPORT_PAGE_ROWS): AsyncGenerator<ExportRow> {
  for (const chain of ['audit_log', 'ledger'] as const) {
    let cursor: ExportCursor | null = { chain, part: 'chained', shard: 0, after: '0' };
    while (cursor) {
      const page: { rows: ExportRow[]; next: ExportCursor | null } = await exportPage(db, cursor, pageRows);
      yield* page.rows;
      cursor = page.next;
    }
  }
}

/**
 * The database's own record of each chain's head: the audit log's rows of `integrity_chain`; each ledger chain's last
 * link in `ledger_chain` (migrations/Migration20261203001750LedgerOneLineTrigger.ts), 32 zero bytes for an empty one.
 */
export async function chainHeads(db: Queryable): Promise<ChainHead[]> {
  const result = await db.query<{ chain: ChainName; shard: number; rows: bigint; last_id: bigint | null; last_hash: Buffer }>(
    `select chain, shard, rows, last_id, last_hash from integrity_chain where chain = 'audit_log'
     union all
     select 'ledger', k.shard, coalesce(c.seq, 0), c.entry_id, coalesce(c.hash, decode(repeat('00', 32), 'hex'))
       from generate_series(0, 15) as k(shard)
       left join lateral (select l.seq, l.entry_id, l.hash from ledger_chain l where l.shard = k.shard order by l.seq desc limit 1) c on true
      order by 1, 2`,
  );
  return result.rows.map((row) => ({
    chain: row.chain,
    shard: row.shard,
    rows: Number(row.rows),
    lastId: row.last_id?.toString() ?? null,
    lastHash: row.last_hash.toString('hex'),
  }));
}

export interface VerificationReport {
  verifiedAt: string;
  ok: boolean;
  chains: ChainReport[];
}

/**
 * Recomputes both chains from the database's rows and names the first row of each that breaks. The heads are read
 * first and the chains must pass through them; rows chained while this runs are verified as well.
 */
export async function verifyDatabase(db: Queryable, anchors: Array<{ head: ChainHead; source: string }> = []): Promise<VerificationReport> {
  const heads = await chainHeads(db);
  const verifier = new ExportVerifier();
  for (const head of heads) verifier.anchor(head, "the database's record of the chain's head");
  for (const { head, source } of anchors) verifier.anchor(head, source);
  for await (const row of exportRows(db)) verifier.push(row);
  const chains = verifier.finish();
  return { verifiedAt: new Date().toISOString(), ok: chains.every((chain) => chain.ok), chains };
}
