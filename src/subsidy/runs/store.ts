/**
 * A run and its lines in the database: the lines written in bulk (one `COPY … FROM STDIN` for all of a run's lines),
 * read as plain domain objects (money as `Fen`). The shapes on the wire are made in src/http/routes/subsidy.ts.
 */
import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { keysetSql, pageOfRows, type Keyset, type Sort, type SortColumn } from '../../db/keyset';
import type { Queryable } from '../../db/pool';
import { DomainError } from '../../errors';
import type { Fen } from '../../money';
import type { BodyAmount, LineTrace, Reason, RunResult } from '../types';

/** Lines per piece of COPY data handed to the socket: ~1,000 lines with their traces are a few MB of text. */
export const LINE_COPY_CHUNK = 1_000;
/** Lines a run carries inline (GET /subsidy-runs/{id}, and the 201 of POST); beyond, GET …/lines pages through them. */
export const INLINE_LINES_MAX = 5_000;
export const LINE_PAGE_MAX = 1_000;

export const RUN_STATUSES = ['draft', 'reviewed', 'publicised', 'approved', 'partially_paid', 'paid'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunKind = 'regular' | 'adjustment';

export interface StoredLine {
  lineNo: number;
  lineKey: string;
  kind: string;
  loanId: string | null;
  enterpriseUscc: string;
  rightType: string | null;
  originYear: number | null;
  amountFen: Fen;
  shares: BodyAmount[];
  eligible: boolean;
  reasons: Reason[];
  trace: LineTrace;
}

/** The parts of a `RunResult` besides its lines, stored as JSON with fen as integer strings. */
export interface StoredResult {
  carryOut: Array<{ uscc: string; originYear: number; amountFen: string; shares: Array<{ body: string; amountFen: string }> }>;
  lapsed: Array<{ uscc: string; originYear: number; amountFen: string }>;
  contributions: Array<Record<string, string | number | null>>;
  budget: Array<{ body: string; budgetFen: string; approvedFen: string; paidFen: string; factor: string }>;
  /** How many rows the load read (enterprises, loans, events, pledges). */
  counts?: Record<string, number>;
}

export interface Objection {
  id: string;
  enterpriseUscc: string | null;
  loanId: string | null;
  text: string;
  raisedBy: string | null;
  raisedAt: string;
  resolution: 'upheld' | 'dismissed' | null;
  resolutionText: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

export interface PaymentRecord {
  id: string;
  body: string;
  amountFen: Fen;
  date: string;
  reference: string;
  ledgerEntryId: bigint;
  recordedBy: string | null;
  recordedAt: string;
  parts: Array<{ uscc: string; amountFen: Fen }>;
}

export interface SubsidyRun {
  id: string;
  policyId: string;
  policyVersion: number;
  year: number;
  kind: RunKind;
  adjustsRunId: string | null;
  status: RunStatus;
  budget: BodyAmount[] | null;
  totalFen: Fen;
  totals: BodyAmount[];
  result: StoredResult;
  lineCount: number;
  computedAt: string;
  createdBy: string | null;
  createdAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  /** The day the run was reviewed (staff may give an earlier day than `reviewedAt`, when it was recorded). */
  reviewedOn: string | null;
  publicityFrom: string | null;
  publicityTo: string | null;
  publicisedBy: string | null;
  publicisedAt: string | null;
  publicisedOn: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  approvedOn: string | null;
}

const fenText = (value: Fen) => value.toString();
const bodyAmountsToJson = (items: BodyAmount[]) => items.map((item) => ({ body: item.body, amountFen: fenText(item.amountFen) }));
const bodyAmountsFromJson = (items: Array<{ body: string; amountFen: string }>): BodyAmount[] =>
  items.map((item) => ({ body: item.body, amountFen: BigInt(item.amountFen) }));

export function storedResultOf(result: RunResult, counts?: Record<string, number>): StoredResult {
  return {
    carryOut: result.carryOut.map((carry) => ({
      uscc: carry.uscc,
      originYear: carry.originYear,
      amountFen: fenText(carry.amountFen),
      shares: bodyAmountsToJson(carry.shares),
    })),
    lapsed: result.lapsed.map((item) => ({ uscc: item.uscc, originYear: item.originYear, amountFen: fenText(item.amountFen) })),
    contributions: result.contributions.map((item) => ({
      uscc: item.uscc,
      contributionFen: item.contributionFen === null ? null : fenText(item.contributionFen),
      currentDueFen: fenText(item.currentDueFen),
      currentPaidFen: fenText(item.currentPaidFen),
      carriedInFen: fenText(item.carriedInFen),
      carriedInPaidFen: fenText(item.carriedInPaidFen),
      carryOutFen: fenText(item.carryOutFen),
      lapsedFen: fenText(item.lapsedFen),
    })),
    budget: result.budget.map((item) => ({
      body: item.body,
      budgetFen: fenText(item.budgetFen),
      approvedFen: fenText(item.approvedFen),
      paidFen: fenText(item.paidFen),
      factor: item.factor,
    })),
    ...(counts ? { counts } : {}),
  };
}

/**
 * A field of COPY's text format: backslash, newline, carriage return and tab escaped (the only characters COPY
 * treats specially besides its `\N` for null). Text fields of a line are short; traces go through `copyJson`.
 */
function copyText(value: string): string {
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : value;
}

/** JSON as a COPY field: `JSON.stringify` escapes every control character, so only its backslashes need doubling. */
function copyJson(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
}

const COPY_NULL = '\\N';
const NEWLINE = 0x0a;

/**
 * The COPY text of a chunk of lines, encoded as UTF-8 straight into one buffer as it is made. Joined as strings (a
 * row's fields, then a chunk's rows, then encoded by the socket) the text of 100,000 lines, ~160 MB, was copied twice
 * more on the heap while the whole computed run is alive there: storing a draft of 100,000 loans took node a quarter
 * more CPU, and its peak RSS was ~110 MiB higher (README "Benchmark").
 */
class CopyChunk {
  private buffer = Buffer.allocUnsafe(4 * 2 ** 20);
  private length = 0;

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units).
    this.room(3 * text.length);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.length] = value;
    this.length += 1;
  }

  data(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/**
 * The parts of a trace that the engine shares between lines (one object for many lines: the policy and run headers,
 * clause and interpretation lists, the jurisdiction of an enterprise, the right type, the rate, ratio and day count,
 * the split rule). Written in full into every line they are three quarters of a trace (~4.4 kB a line, 400 MB for
 * 100,000 lines); stored once per run (`subsidy_run.trace_parts`) and named in each line as `{"$part": n}`, the
 * stored traces are a third of that. So are the long texts that the objects of a line repeat from line to line (the
 * clause a window, an IP share, a cap or a split cites: ~100 bytes each, four or five a line), one level down: a
 * property of a trace's object, or of an object in one of its lists. `readLines` puts them back: what the API serves
 * is the trace as computed.
 */
const SHARED_TRACE_KEYS = ['policy', 'run', 'clauses', 'interpretations', 'jurisdiction', 'rightType', 'rate', 'ratio', 'dayCount'] as const;
const SHARED_KEY_SET: ReadonlySet<string> = new Set(SHARED_TRACE_KEYS);
/** A text this long (UTF-16 units) or longer, repeated, is a part: a clause cited is ~35 units, ~80 bytes; `{"$part":n}` ~12. */
const SHARED_TEXT_MIN_LENGTH = 24;
type PartRef = { $part: number };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects the shared parts of a run's traces: an object or long text seen a second time becomes a part, named from then on. */
export class TraceParts {
  private readonly seen = new Map<object, number | null>();
  private readonly seenText = new Map<string, number | null>();
  readonly parts: unknown[] = [];

  private part(value: unknown): PartRef {
    const part = this.parts.length;
    this.parts.push(value);
    return { $part: part };
  }

  private named<T>(value: T): T | PartRef {
    if (typeof value !== 'object' || value === null) return value;
    const known = this.seen.get(value);
    if (known === undefined) {
      this.seen.set(value, null); // the first line holds it in full
      return value;
    }
    if (known !== null) return { $part: known };
    const ref = this.part(value);
    this.seen.set(value, ref.$part);
    return ref;
  }

  private namedText(value: string): string | PartRef {
    const known = this.seenText.get(value);
    if (known === undefined) {
      this.seenText.set(value, null);
      return value;
    }
    if (known !== null) return { $part: known };
    const ref = this.part(value);
    this.seenText.set(value, ref.$part);
    return ref;
  }

  /** An object of a line with its long repeated texts named (a copy when one is). */
  private slimTexts(value: Record<string, unknown>): Record<string, unknown> {
    let copy: Record<string, unknown> | null = null;
    for (const key in value) {
      const item = value[key];
      if (typeof item !== 'string' || item.length < SHARED_TEXT_MIN_LENGTH) continue;
      const named = this.namedText(item);
      if (named === item) continue;
      copy ??= { ...value };
      copy[key] = named;
    }
    return copy ?? value;
  }

  /** The trace as stored: a shallow copy with the shared parts named. */
  slim(trace: LineTrace): Record<string, unknown> {
    const stored: Record<string, unknown> = { ...trace };
    for (const key in stored) {
      let value = stored[key];
      if (SHARED_KEY_SET.has(key)) {
        value = this.named(value);
        if (isPartRef(value)) {
          stored[key] = value;
          continue;
        }
      }
      if (key === 'split' && trace.split) value = { ...trace.split, rule: this.named(trace.split.rule) };
      if (Array.isArray(value)) {
        let copy: unknown[] | null = null;
        for (let index = 0; index < value.length; index += 1) {
          const item: unknown = value[index];
          if (!isPlainObject(item)) continue;
          const slim = this.slimTexts(item);
          if (slim === item) continue;
          copy ??= [...value];
          copy[index] = slim;
        }
        stored[key] = copy ?? value;
      } else if (isPlainObject(value)) {
        stored[key] = this.slimTexts(value);
      }
    }
    return stored;
  }
}

function isPartRef(value: unknown): value is PartRef {
  return typeof value === 'object' && value !== null && typeof (value as PartRef).$part === 'number' && Object.keys(value).length === 1;
}

/** A stored trace with its shared parts put back (stored before long texts were parts too, it has none to put back). */
export function fullTrace(stored: Record<string, unknown>, parts: unknown[]): LineTrace {
  const part = (value: unknown) => {
    if (!isPartRef(value)) return value;
    if (value.$part >= parts.length) throw new Error(`a stored trace names part ${value.$part} of ${parts.length}`);
    return parts[value.$part];
  };
  // Only this line's own objects hold names: a part put back is the object as computed, and is not changed.
  const texts = (value: Record<string, unknown>) => {
    for (const key in value) {
      if (isPartRef(value[key])) value[key] = part(value[key]);
    }
  };
  for (const key in stored) {
    const value = stored[key];
    if (isPartRef(value)) {
      stored[key] = part(value);
    } else if (Array.isArray(value)) {
      for (const item of value) if (isPlainObject(item)) texts(item);
    } else if (isPlainObject(value)) {
      texts(value);
    }
  }
  return stored as unknown as LineTrace;
}

/**
 * Writes the run's lines (interest lines first, in loan order, then support lines) with one `COPY … FROM STDIN`:
 * the server parses plain text rows, without the array literals of an `unnest` insert (whose parameters it had to
 * parse character by character: 100,000 lines took minutes). The text is made and sent a chunk at a time, so a run
 * never holds all its traces as strings at once. The statement triggers of `subsidy_run_line` (lines of a reviewed run
 * are frozen) fire for COPY as for INSERT.
 */
export async function insertLines(
  db: Queryable,
  runId: string,
  result: RunResult,
  /** Told after each chunk how many lines are written (the run's progress bar, progress.ts). */
  onLines: (written: number, total: number) => Promise<void> = async () => undefined,
): Promise<number> {
  const all = [...result.lines, ...result.supportLines];
  if (all.length === 0) return 0;
  if (db instanceof pg.Pool) {
    const client = await db.connect();
    try {
      return await copyLines(client, runId, all, onLines);
    } finally {
      client.release();
    }
  }
  return copyLines(db, runId, all, onLines);
}

async function copyLines(
  db: pg.PoolClient | pg.Client,
  runId: string,
  lines: Array<RunResult['lines'][number] | RunResult['supportLines'][number]>,
  onLines: (written: number, total: number) => Promise<void>,
): Promise<number> {
  const stream = db.query(
    copyFrom(`copy subsidy_run_line (run_id, line_no, line_key, kind, loan_id, enterprise_uscc, right_type, origin_year,
                                     amount_fen, shares, eligible, reasons, trace) from stdin`),
  );
  const finished = once(stream, 'finish');
  // An error of the server (a constraint, the frozen-lines trigger) ends the stream with 'error'; `once` rejects.
  finished.catch(() => undefined);
  const run = copyText(runId);
  const parts = new TraceParts();
  let previous = Promise.resolve();
  for (let start = 0; start < lines.length; start += LINE_COPY_CHUNK) {
    const end = Math.min(start + LINE_COPY_CHUNK, lines.length);
    const chunk = new CopyChunk();
    for (let index = start; index < end; index += 1) {
      const line = lines[index]!;
      const loanId = line.loanId === null ? COPY_NULL : copyText(line.loanId);
      const rightType = line.kind === 'interest' && line.rightType !== null ? copyText(line.rightType) : COPY_NULL;
      const originYear = line.kind !== 'interest' && line.originYear !== undefined ? String(line.originYear) : COPY_NULL;
      chunk.write(
        `${run}\t${index + 1}\t${copyText(line.lineId)}\t${copyText(line.kind)}\t${loanId}\t${copyText(line.enterpriseUscc)}\t${rightType}\t` +
          `${originYear}\t${fenText(line.amountFen)}\t${copyJson(bodyAmountsToJson(line.shares))}\t${line.eligible ? 't' : 'f'}\t` +
          `${copyJson(line.reasons)}\t`,
      );
      chunk.write(copyJson(parts.slim(line.trace)));
      chunk.byte(NEWLINE);
    }
    // The server parses a chunk while the next one is made: at most two chunks are handed over and not yet taken by
    // the socket (waiting for the stream to drain instead, the server would idle while each chunk is made).
    const data = chunk.data();
    const written = new Promise<void>((resolve) => stream.write(data, () => resolve()));
    await Promise.race([previous, finished]);
    previous = written;
    await onLines(end, lines.length);
  }
  stream.end();
  await finished;
  await db.query(`update subsidy_run set trace_parts = $2 where id = $1`, [runId, JSON.stringify(parts.parts)]);
  return lines.length;
}

export type RunRow = {
  id: string;
  policy_id: string;
  policy_version: number;
  year: number;
  kind: RunKind;
  adjusts_run_id: string | null;
  status: RunStatus;
  budget: Array<{ body: string; amountFen: string }> | null;
  total_fen: bigint;
  totals: Array<{ body: string; amountFen: string }>;
  result: StoredResult;
  line_count: number;
  computed_at: Date;
  created_by: string | null;
  created_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  reviewed_on: string | null;
  publicity_from: string | null;
  publicity_to: string | null;
  publicised_by: string | null;
  publicised_at: Date | null;
  publicised_on: string | null;
  approved_by: string | null;
  approved_at: Date | null;
  approved_on: string | null;
};

export const RUN_COLUMNS = `id, policy_id, policy_version, year, kind, adjusts_run_id, status, budget, total_fen, totals, result,
  line_count, computed_at, created_by, created_at, reviewed_by, reviewed_at, reviewed_on, publicity_from, publicity_to,
  publicised_by, publicised_at, publicised_on, approved_by, approved_at, approved_on`;

export function toRun(row: RunRow): SubsidyRun {
  return {
    id: row.id,
    policyId: row.policy_id,
    policyVersion: row.policy_version,
    year: row.year,
    kind: row.kind,
    adjustsRunId: row.adjusts_run_id,
    status: row.status,
    budget: row.budget ? bodyAmountsFromJson(row.budget) : null,
    totalFen: row.total_fen,
    totals: bodyAmountsFromJson(row.totals),
    result: row.result,
    lineCount: row.line_count,
    computedAt: row.computed_at.toISOString(),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
    reviewedOn: row.reviewed_on,
    publicityFrom: row.publicity_from,
    publicityTo: row.publicity_to,
    publicisedBy: row.publicised_by,
    publicisedAt: row.publicised_at?.toISOString() ?? null,
    publicisedOn: row.publicised_on,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at?.toISOString() ?? null,
    approvedOn: row.approved_on,
  };
}

/** The run row; `forUpdate` locks it for the rest of the transaction (transitions and payments serialise on it). */
export async function readRun(db: Queryable, id: string, forUpdate = false): Promise<SubsidyRun> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new DomainError('not_found', `no subsidy run ${id}`);
  const result = await db.query<RunRow>(`select ${RUN_COLUMNS} from subsidy_run where id = $1${forUpdate ? ' for update' : ''}`, [id]);
  const row = result.rows[0];
  if (!row) throw new DomainError('not_found', `no subsidy run ${id}`);
  return toRun(row);
}

type LineRow = {
  line_no: number;
  line_key: string;
  kind: string;
  loan_id: string | null;
  enterprise_uscc: string;
  right_type: string | null;
  origin_year: number | null;
  amount_fen: bigint;
  shares: Array<{ body: string; amountFen: string }>;
  eligible: boolean;
  reasons: Reason[];
  trace: Record<string, unknown>;
};

const LINE_COLUMNS = `line_no, line_key, kind, loan_id, enterprise_uscc, right_type, origin_year, amount_fen, shares, eligible, reasons, trace`;

/**
 * Lines in line order after `afterLineNo`, at most `limit`, their traces whole (see `TraceParts`).
 *
 * Given the run's `lineCount`, a page that ends within it is read by its range of line numbers first: `insertLines`
 * numbers a run's lines 1 to `lineCount`, so the range holds exactly the page, and the read touches only its rows.
 * Read by `line_no > $2 … limit` alone, a run just written (in the draft's own transaction, before any ANALYZE has
 * seen its lines) was planned as a bitmap scan of all its lines and an external sort of them: for the draft of 100,000
 * loans, ~180 MB read and ~160 MB sorted on disk to answer its first 5,000 lines (README "Benchmark"). A range that
 * does not hold `limit` lines (never the case for lines that `insertLines` wrote) falls back to the read by order.
 */
export async function readLines(db: Queryable, runId: string, afterLineNo: number, limit: number, lineCount?: number): Promise<StoredLine[]> {
  if (lineCount !== undefined && limit > 0 && afterLineNo + limit <= lineCount) {
    const ranged = await db.query<LineRow>(
      `select ${LINE_COLUMNS} from subsidy_run_line where run_id = $1 and line_no > $2 and line_no <= $2 + $3 order by line_no`,
      [runId, afterLineNo, limit],
    );
    if (ranged.rows.length === limit) return storedLines(db, runId, ranged.rows);
  }
  const result = await db.query<LineRow>(
    `select ${LINE_COLUMNS} from subsidy_run_line where run_id = $1 and line_no > $2 order by line_no limit $3`,
    [runId, afterLineNo, limit],
  );
  return storedLines(db, runId, result.rows);
}

/** The columns a run's lines may be sorted by (src/db/keyset.ts). */
export const LINE_SORT_COLUMNS = {
  lineNo: { sql: 'line_no', type: 'integer' },
  amount: { sql: 'amount_fen', type: 'bigint' },
} satisfies Record<string, SortColumn>;

export interface LineFilter {
  eligible?: boolean | undefined;
  enterpriseUscc?: string | undefined;
  kind?: string | undefined;
}

/** A page of a run's lines, filtered and sorted on the server, with the cursor of the next page. */
export async function readLinePage(
  db: Queryable,
  runId: string,
  filter: LineFilter,
  page: { limit: number; sort: Sort<keyof typeof LINE_SORT_COLUMNS>; after?: Keyset | undefined },
): Promise<{ lines: StoredLine[]; next: string | null }> {
  const params: unknown[] = [runId, filter.eligible ?? null, filter.enterpriseUscc ?? null, filter.kind ?? null];
  const keyset = keysetSql(LINE_SORT_COLUMNS, page.sort, 'line_no', 'bigint', page.after, params);
  params.push(page.limit + 1);
  const result = await db.query<LineRow & { id: string; sort_value: string }>(
    `select line_no::text as id, ${keyset.sortValue} as sort_value, line_no, line_key, kind, loan_id, enterprise_uscc, right_type,
            origin_year, amount_fen, shares, eligible, reasons, trace
       from subsidy_run_line
      where run_id = $1 and ($2::boolean is null or eligible = $2) and ($3::text is null or enterprise_uscc = $3)
        and ($4::text is null or kind = $4) and ${keyset.where}
      order by ${keyset.orderBy} limit $${params.length}`,
    params,
  );
  const paged = pageOfRows(result.rows, page.limit, page.sort);
  return { lines: await storedLines(db, runId, paged.rows), next: paged.next };
}

async function storedLines(db: Queryable, runId: string, rows: LineRow[]): Promise<StoredLine[]> {
  const result = { rows };
  const parts =
    result.rows.length === 0
      ? []
      : ((await db.query<{ trace_parts: unknown[] }>(`select trace_parts from subsidy_run where id = $1`, [runId])).rows[0]?.trace_parts ?? []);
  return result.rows.map((row) => ({
    lineNo: row.line_no,
    lineKey: row.line_key,
    kind: row.kind,
    loanId: row.loan_id,
    enterpriseUscc: row.enterprise_uscc,
    rightType: row.right_type,
    originYear: row.origin_year,
    amountFen: row.amount_fen,
    shares: bodyAmountsFromJson(row.shares),
    eligible: row.eligible,
    // Lines stored before reasons carried their parameters read with an empty set.
    reasons: row.reasons.map((item) => (item.params ? item : { ...item, params: {} })),
    trace: fullTrace(row.trace, parts),
  }));
}

export async function readObjections(db: Queryable, runId: string): Promise<Objection[]> {
  const result = await db.query<{
    id: string;
    enterprise_uscc: string | null;
    loan_id: string | null;
    text: string;
    raised_by: string | null;
    raised_at: Date;
    resolution: 'upheld' | 'dismissed' | null;
    resolution_text: string | null;
    resolved_by: string | null;
    resolved_at: Date | null;
  }>(
    `select id, enterprise_uscc, loan_id, text, raised_by, raised_at, resolution, resolution_text, resolved_by, resolved_at
       from subsidy_objection where run_id = $1 order by raised_at, id`,
    [runId],
  );
  return result.rows.map((row) => ({
    id: row.id,
    enterpriseUscc: row.enterprise_uscc,
    loanId: row.loan_id,
    text: row.text,
    raisedBy: row.raised_by,
    raisedAt: row.raised_at.toISOString(),
    resolution: row.resolution,
    resolutionText: row.resolution_text,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  }));
}

export async function readPayments(db: Queryable, runId: string): Promise<PaymentRecord[]> {
  const result = await db.query<{
    id: string;
    body: string;
    amount_fen: bigint;
    paid_on: string;
    reference: string;
    ledger_entry_id: bigint;
    recorded_by: string | null;
    recorded_at: Date;
    parts: Array<{ uscc: string; amountFen: string }>;
  }>(
    `select p.id, p.body, p.amount_fen, p.paid_on, p.reference, p.ledger_entry_id, p.recorded_by, p.recorded_at,
            coalesce((select jsonb_agg(jsonb_build_object('uscc', s.enterprise_uscc, 'amountFen', s.amount_fen::text)
                                       order by s.enterprise_uscc)
                        from subsidy_payment_share s where s.payment_id = p.id), '[]'::jsonb) as parts
       from subsidy_payment p where p.run_id = $1 order by p.recorded_at, p.id`,
    [runId],
  );
  return result.rows.map((row) => ({
    id: row.id,
    body: row.body,
    amountFen: row.amount_fen,
    date: row.paid_on,
    reference: row.reference,
    ledgerEntryId: row.ledger_entry_id,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at.toISOString(),
    parts: row.parts.map((part) => ({ uscc: part.uscc, amountFen: BigInt(part.amountFen) })),
  }));
}
