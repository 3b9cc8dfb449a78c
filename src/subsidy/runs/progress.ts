/**
 * The progress of a yearly run while it is computed, for the console's bar (POST /api/v1/subsidy-runs with a
 * `progressId`, polled at GET /api/v1/subsidy-run-progress/{progressId}).
 *
 * The run is made in one transaction — nothing of it is visible before it commits — so its progress is written
 * beside it, through the pool (its own connection, committed at once) into subsidy_run_progress: a row per stage
 * reached, and while the lines are stored, a row every few thousand lines. Any instance of the service can answer the
 * poll. Writing progress never fails the run: a progress row that cannot be written is logged and skipped.
 *
 * The percentages follow where the time goes (`npm run bench`, the whole draft of 100,000 loans: loading 5.8 s,
 * computing 2.4 s, storing the lines 5.5 s, reading back 0.7 s of 14.3 s): loading 0–40 %, computing 40–57 %, storing
 * 57–95 %, reading back 95–100 %. The computation itself is one synchronous pass: the bar waits at 40 % while it runs.
 */
import type pg from 'pg';
import type { Queryable } from '../../db/pool';
import { DomainError } from '../../errors';

export const RUN_STAGES = ['started', 'loading', 'computing', 'storing', 'reading', 'failed'] as const;
export type RunStage = (typeof RUN_STAGES)[number];

/** Where each stage starts, in per cent of the whole. */
export const STAGE_START_PERCENT: Record<Exclude<RunStage, 'failed'>, number> = {
  started: 0,
  loading: 1,
  computing: 40,
  storing: 57,
  reading: 95,
};

/** Storing reports at most this often: a row per chunk of 5,000 lines of 100,000 would be 20 rows, this keeps ~10. */
const STORING_REPORT_INTERVAL_MS = 500;

export interface RunProgress {
  /** A stage reached; `fraction` (0–1) of the way through it, for a stage that knows (storing). */
  stage(stage: Exclude<RunStage, 'failed'>, fraction?: number): Promise<void>;
  failed(detail: string): Promise<void>;
}

/** A run made without anyone watching: nothing is written. */
export const NO_PROGRESS: RunProgress = { stage: async () => undefined, failed: async () => undefined };

const STAGE_ORDER: Array<Exclude<RunStage, 'failed'>> = ['started', 'loading', 'computing', 'storing', 'reading'];

function percentOf(stage: Exclude<RunStage, 'failed'>, fraction: number): number {
  const start = STAGE_START_PERCENT[stage];
  const next = STAGE_ORDER[STAGE_ORDER.indexOf(stage) + 1];
  const end = next ? STAGE_START_PERCENT[next] : 100;
  return Math.min(end, Math.max(start, Math.floor(start + (end - start) * Math.min(1, Math.max(0, fraction)))));
}

/**
 * Writes the progress of one run through `pool`, outside the run's transaction. `log` receives a write that failed
 * (the run goes on). The same principal may send the same id again (a retry of the same request after a refusal):
 * the new attempt starts again from `started`, and the poll reads the latest attempt. Another principal's id is refused.
 */
export async function recordProgress(
  pool: pg.Pool,
  progressId: string,
  principalId: string,
  log: (error: unknown) => void,
): Promise<RunProgress> {
  const earlier = await pool.query<{ seq: number; principal_id: string | null }>(
    `select seq, principal_id from subsidy_run_progress where progress_id = $1 order by seq desc limit 1`,
    [progressId],
  );
  const last = earlier.rows[0];
  if (last && last.principal_id !== principalId) {
    throw new DomainError('conflict', `progress id ${progressId} is another user's: make a new one`, [
      { path: 'progressId', message: 'used by another user: make a new one for each computation' },
    ]);
  }
  let seq = last?.seq ?? 0;
  let lastWrite = 0;
  const write = async (stage: RunStage, percent: number, detail: string | null) => {
    seq += 1;
    lastWrite = Date.now();
    try {
      await pool.query(
        `insert into subsidy_run_progress (progress_id, seq, principal_id, stage, percent, detail) values ($1, $2, $3, $4, $5, $6)`,
        [progressId, seq, principalId, stage, percent, detail],
      );
    } catch (error) {
      log(error);
    }
  };
  await write('started', 0, null);
  return {
    async stage(stage, fraction) {
      // Within a stage (the lines being stored), a row at most every STORING_REPORT_INTERVAL_MS.
      if (fraction !== undefined && fraction > 0 && Date.now() - lastWrite < STORING_REPORT_INTERVAL_MS) return;
      await write(stage, percentOf(stage, fraction ?? 0), null);
    },
    async failed(detail) {
      await write('failed', 100, detail.slice(0, 500));
    },
  };
}

export interface ProgressView {
  progressId: string;
  stage: RunStage;
  percent: number;
  detail: string | null;
  startedAt: string;
  updatedAt: string;
  /** Each stage reached, with when. */
  stages: Array<{ stage: RunStage; percent: number; at: string }>;
}

/** The progress of a run as far as it has got; 404 before its first row. */
export async function readProgress(db: Queryable, progressId: string): Promise<ProgressView> {
  const result = await db.query<{ stage: RunStage; percent: number; detail: string | null; at: Date }>(
    `select stage, percent, detail, at from subsidy_run_progress where progress_id = $1 order by seq`,
    [progressId],
  );
  // The latest attempt: from its `started` row on.
  const started = result.rows.map((row) => row.stage).lastIndexOf('started');
  const rows = result.rows.slice(Math.max(0, started));
  const last = rows[rows.length - 1];
  if (!last) throw new DomainError('not_found', `no run has reported progress ${progressId} (yet)`);
  const firstOfStage = rows.filter((row, index) => index === 0 || rows[index - 1]!.stage !== row.stage);
  return {
    progressId,
    stage: last.stage,
    percent: last.percent,
    detail: last.detail,
    startedAt: rows[0]!.at.toISOString(),
    updatedAt: last.at.toISOString(),
    stages: firstOfStage.map((row) => ({ stage: row.stage, percent: row.percent, at: row.at.toISOString() })),
  };
}
