/**
 * The verifier of the two hash chains (README "Security", "Hash chains and the verifier"), independent of the
 * database: it is given the rows of an export in chain order, recomputes every hash with its own SHA-256, and names
 * the first row that breaks. The rule it checks, written by the database at insert
 * (migrations/Migration20261203000300Integrity.ts):
 *
 *     hash = sha256(hash of the previous row ‖ UTF-8 of the row's content), the first row's previous hash 32 zero bytes
 *
 * A changed row shows as `content_changed` (its hash no longer matches what it says); a changed row whose hash was
 * recomputed, or a removed row, as `link_broken` at the next one; rows removed from the end as a chain shorter than
 * its head, or than a daily statement's anchor.
 */
import { createHash } from 'node:crypto';

export const CHAINS = ['audit_log', 'ledger'] as const;
export type ChainName = (typeof CHAINS)[number];

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The ledger and the audit log are each 16 chains side by side: a transaction audits to chain (its id mod 16)
 * (migrations/Migration20261203002000AuditChains.ts) and posts to the first chain no other transaction holds, trying
 * from its id mod 16 (migrations/Migration20261204000200LedgerFreeChain.ts).
 */
export const CHAINS_PER_HISTORY = 16;
export const chainNumbers = (_chain: ChainName): number[] => Array.from({ length: CHAINS_PER_HISTORY }, (_, shard) => shard);

/** One line of an export (`npm run verify -- --export`, GET /api/v1/integrity/export). */
export interface ExportRow {
  chain: ChainName;
  /** Which of the history's chains, 0–15; null for a ledger entry in no chain. */
  shard: number | null;
  /**
   * Ledger: the entry's position in its chain (`ledger_chain.seq`), null for an entry that is in no chain. Audit log:
   * null (each chain's rows are chained in id order).
   */
  seq: string | null;
  /** The audit row's id, or the ledger entry's id. */
  id: string;
  /** When it was chained. */
  at: string | null;
  prevHash: string | null;
  hash: string | null;
  /** The content the hash covers (jsonb text), null when the chain names an entry that no longer exists. */
  content: string | null;
}

export interface ChainHead {
  chain: ChainName;
  shard: number;
  /** Rows in the chain up to and including the head. */
  rows: number;
  lastId: string | null;
  lastHash: string;
}

export type BreakReason =
  | 'content_changed'
  | 'link_broken'
  | 'row_missing'
  | 'not_in_chain'
  | 'malformed'
  | 'out_of_order'
  | 'unbalanced'
  | 'shorter_than_head'
  | 'anchor_mismatch';

export interface ChainBreak {
  chain: ChainName;
  shard: number;
  /** 1-based position in the chain, when the row has one. */
  position: number | null;
  /** The audit row or ledger entry named. */
  id: string | null;
  reason: BreakReason;
  message: string;
}

export interface ChainReport {
  chain: ChainName;
  shard: number;
  rows: number;
  lastId: string | null;
  lastHash: string;
  ok: boolean;
  /** The first row (or head) that breaks, null when the chain verifies. */
  firstBreak: ChainBreak | null;
}

/** The keys every content must carry: a content missing one does not cover that column. */
const REQUIRED_KEYS: Record<ChainName, readonly string[]> = {
  audit_log: ['id', 'at', 'principal_id', 'request_id', 'method', 'path', 'status', 'action', 'detail'],
  ledger: [
    'id', 'idempotency_key', 'effective_date', 'description', 'source_kind', 'source_id', 'reverses_entry_id',
    'content_hash', 'recorded_at', 'created_xid', 'lines',
  ],
};
const REQUIRED_LINE_KEYS = ['line_no', 'account_id', 'account_code', 'side', 'amount_fen', 'effective_date'] as const;

export function chainHash(prevHashHex: string, content: string): string {
  return createHash('sha256').update(Buffer.from(prevHashHex, 'hex')).update(content, 'utf8').digest('hex');
}

const what = (chain: ChainName) => (chain === 'audit_log' ? 'audit row' : 'ledger entry');

/** Verifies one chain, row by row, in chain order. */
export class ChainVerifier {
  private position = 0;
  private previousHash = GENESIS_HASH;
  private previousId: string | null = null;
  private firstBreak: ChainBreak | null = null;
  /** Anchors (from daily statements) still to meet: position → the head recorded there. */
  private readonly anchors = new Map<number, Array<ChainHead & { source: string }>>();

  constructor(
    readonly chain: ChainName,
    readonly shard = 0,
  ) {}

  /** A head recorded elsewhere (the database's own record, a daily statement): the chain must pass through it. */
  anchor(head: ChainHead, source: string): void {
    if (head.chain !== this.chain || head.shard !== this.shard || head.rows === 0) return;
    this.anchors.set(head.rows, [...(this.anchors.get(head.rows) ?? []), { ...head, source }]);
  }

  push(row: ExportRow): void {
    if (row.chain !== this.chain) throw new Error(`a ${row.chain} row given to the ${this.chain} verifier`);
    if (row.seq === null && this.chain === 'ledger') {
      this.fail({ position: null, id: row.id, reason: 'not_in_chain', message: `ledger entry ${row.id} is in no chain: it was written without its chain record` });
      return;
    }
    this.position += 1;
    const position = this.position;
    const where = `position ${position} of ${this.label()}`;
    const name = `${what(this.chain)} ${row.id} (${where})`;
    if (this.chain === 'ledger' && row.seq !== String(position)) {
      this.fail({
        position,
        id: row.id,
        reason: 'row_missing',
        message: `${name} is chained at position ${row.seq}: the chain's rows ${position}–${Number(row.seq) - 1} are missing`,
      });
      this.position = Number(row.seq);
    } else if (this.chain === 'audit_log' && this.previousId !== null && !(BigInt(row.id) > BigInt(this.previousId))) {
      this.fail({ position, id: row.id, reason: 'out_of_order', message: `${name} does not come after audit row ${this.previousId}` });
    }
    if (row.content === null) {
      this.fail({ position, id: row.id, reason: 'row_missing', message: `${name}: the chain names it, but it no longer exists` });
    } else {
      const problem = contentProblem(this.chain, row);
      if (problem) this.fail({ position, id: row.id, reason: 'malformed', message: `${name}: ${problem}` });
      if (row.prevHash !== this.previousHash) {
        this.fail({
          position,
          id: row.id,
          reason: 'link_broken',
          message:
            position === 1
              ? `${name}: the first row's previous hash is not the genesis hash: rows before it were removed`
              : `${name}: its previous hash is not the hash of ${what(this.chain)} ${this.previousId}: a row between them was removed, or that row was changed and its hash recomputed`,
        });
      } else if (row.hash !== chainHash(row.prevHash, row.content)) {
        this.fail({ position, id: row.id, reason: 'content_changed', message: `${name}: its content does not match its hash: it was changed after it was written` });
      }
      if (this.chain === 'ledger' && !problem) {
        const difference = ledgerImbalance(row.content);
        if (difference !== 0n) {
          this.fail({ position, id: row.id, reason: 'unbalanced', message: `${name} does not balance: debits − credits = ${difference} fen` });
        }
      }
    }
    for (const anchor of this.anchors.get(this.position) ?? []) {
      if (row.hash !== anchor.lastHash || (anchor.lastId !== null && anchor.lastId !== row.id)) {
        this.fail({
          position: this.position,
          id: row.id,
          reason: 'anchor_mismatch',
          message: `${name} is not the head recorded by ${anchor.source} (${what(this.chain)} ${anchor.lastId}, hash ${anchor.lastHash}): history up to it was rewritten`,
        });
      }
    }
    this.anchors.delete(this.position);
    this.previousHash = row.hash ?? this.previousHash;
    this.previousId = row.id;
  }

  /** Ends the chain: it must have reached every anchor given. */
  finish(): ChainReport {
    for (const [rows, [anchor]] of [...this.anchors].sort(([a], [b]) => a - b)) {
      this.fail({
        position: this.position,
        id: this.previousId,
        reason: 'shorter_than_head',
        message: `${this.label()} ends at position ${this.position}, before the head recorded by ${anchor!.source} at position ${rows}: rows were removed from its end`,
      });
    }
    this.anchors.clear();
    return {
      chain: this.chain,
      shard: this.shard,
      rows: this.position,
      lastId: this.previousId,
      lastHash: this.previousHash,
      ok: this.firstBreak === null,
      firstBreak: this.firstBreak,
    };
  }

  private label(): string {
    return this.chain === 'ledger' ? `ledger chain ${this.shard}` : `audit log chain ${this.shard}`;
  }

  private fail(problem: Omit<ChainBreak, 'chain' | 'shard'>): void {
    this.firstBreak ??= { chain: this.chain, shard: this.shard, ...problem };
  }
}

function contentProblem(chain: ChainName, row: ExportRow): string | null {
  let content: unknown;
  try {
    content = JSON.parse(row.content!);
  } catch {
    return 'its content is not JSON';
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return 'its content is not a JSON object';
  const record = content as Record<string, unknown>;
  const missing = REQUIRED_KEYS[chain].filter((key) => !(key in record));
  if (missing.length > 0) return `its content does not cover ${missing.join(', ')}`;
  if (record.id !== row.id) return `its content is that of ${what(chain)} ${String(record.id)}`;
  if (chain === 'ledger') {
    const lines = record.lines;
    if (!Array.isArray(lines) || lines.length < 2) return 'it has fewer than two lines';
    for (const line of lines as Array<Record<string, unknown>>) {
      if (typeof line !== 'object' || line === null) return 'a line is not a JSON object';
      const absent = REQUIRED_LINE_KEYS.filter((key) => !(key in line));
      if (absent.length > 0) return `a line's content does not cover ${absent.join(', ')}`;
    }
  }
  return null;
}

function ledgerImbalance(content: string): bigint {
  const lines = (JSON.parse(content) as { lines: Array<{ side: string; amount_fen: string }> }).lines;
  let difference = 0n;
  for (const line of lines) {
    if (!/^\d+$/.test(line.amount_fen)) return -1n;
    difference += line.side === 'D' ? BigInt(line.amount_fen) : -BigInt(line.amount_fen);
  }
  return difference;
}

/**
 * Verifies every chain of an export: the audit log's 16 and the ledger's 16. Anchors are heads recorded elsewhere — the
 * database's own (read before the rows were) and those of daily statements: each chain must pass through every one.
 */
export class ExportVerifier {
  private readonly verifiers = new Map<string, ChainVerifier>(
    CHAINS.flatMap((chain) => chainNumbers(chain).map((shard) => [`${chain}:${shard}`, new ChainVerifier(chain, shard)] as const)),
  );

  anchor(head: ChainHead, source: string): void {
    this.verifiers.get(`${head.chain}:${head.shard}`)?.anchor(head, source);
  }

  push(row: ExportRow): void {
    // An entry in no chain is named by chain 0's verifier.
    const verifier = this.verifiers.get(`${row.chain}:${row.shard ?? 0}`);
    if (!verifier) throw new Error(`unknown chain ${String(row.chain)} ${String(row.shard)}`);
    verifier.push(row);
  }

  finish(): ChainReport[] {
    return [...this.verifiers.values()].map((verifier) => verifier.finish());
  }
}
