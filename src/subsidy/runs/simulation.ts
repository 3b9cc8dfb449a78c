/**
 * Reform simulation (`POST /api/v1/simulations`, docs/api.md "Simulations"): a policy version — by default the one in
 * force in the year — beside the same version with some parameters changed, computed by the same engine over every
 * loan of the jurisdiction, writing nothing (no run, no version, no ledger entry; the request's one audit row,
 * "simulated", is the route's). The question it answers: what would the change cost each funding body, and who
 * gains or loses?
 *
 * One read of the portfolio serves both computations (`loadRunInput` with `alsoFor`: the union of the loans either
 * version selects, on one read-only snapshot), days after today are projected on each loan's contract
 * (../simulation/projection.ts), then `computeRun` twice — without the per-line text of the traces unless they are
 * asked for — and the comparison (../simulation/compare.ts).
 */
import type { Queryable } from '../../db/pool';
import { todayInChina } from '../../dates';
import { DomainError } from '../../errors';
import type { Fen } from '../../money';
import { computeRun } from '../engine';
import { unsetRequiredParameters } from '../policy';
import { applyChanges } from '../simulation/changes';
import { byDifference, compareResults, type ComparedEnterprise, type ComparedLine, type Figures } from '../simulation/compare';
import { projectLoans, type ProjectedLoan } from '../simulation/projection';
import type { BodyAmount } from '../types';
import { loadRunInput } from './load';
import { getPolicy, listPolicies, type StoredPolicy } from './reference-data';

/** Lines of one answer at most (docs/api.md "Conventions": lists page at 1–500). */
export const SIMULATION_LINES_MAX = 500;
/** Enterprises listed in one answer, the largest differences first (the XLSX export lists them all). */
export const SIMULATION_ENTERPRISES_MAX = 500;

export interface SimulationRequest {
  policyId: string;
  version?: number | undefined;
  year: number;
  changes: Record<string, unknown>;
  /** The reform's budget per funding body: its shares are scaled down to it (docs/subsidy-rules.md "Budget"). */
  budget?: BodyAmount[] | undefined;
  /** Only this loan's line (the console's trace drawer). */
  loanId?: string | undefined;
  /** Each line's baseline and reform traces. */
  trace?: boolean | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
  /** Every line and enterprise, unpaged (the XLSX export). */
  unpaged?: boolean | undefined;
}

export interface SimulatedLine extends Omit<ComparedLine, 'baselineLine' | 'reformLine'> {
  enterpriseName: string | null;
  traces?: { baseline: unknown; reform: unknown; projectedEvents: ProjectedLoan['events'] | null };
}

export interface SimulationAnswer {
  policyId: string;
  version: number;
  title: string;
  documentNo: string;
  year: number;
  /** The day after which loans are projected. */
  today: string;
  changed: string[];
  /** The baseline version's parameters a run needs and staff have not set: it pays nothing yet. */
  baselineUnset: string[];
  baseline: Figures;
  reform: Figures;
  delta: Figures;
  enterpriseCount: number;
  enterprises: ComparedEnterprise[];
  lineCount: number;
  projectedLines: number;
  lines: SimulatedLine[];
  nextCursor: string | null;
}

/** The version a run of `year` takes: the latest whose period overlaps the year, else the latest. */
export async function versionInForce(db: Queryable, policyId: string, year: number): Promise<StoredPolicy> {
  const versions = (await listPolicies(db)).filter((stored) => stored.policy.id === policyId);
  if (versions.length === 0) throw new DomainError('not_found', `no policy ${policyId}`, [{ path: 'policyId', message: `no policy "${policyId}"` }]);
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const overlapping = versions.filter((stored) => stored.policy.effectiveFrom <= to && (stored.policy.effectiveTo == null || stored.policy.effectiveTo >= from));
  const candidates = overlapping.length > 0 ? overlapping : versions;
  return candidates.reduce((latest, stored) => (stored.policy.version > latest.policy.version ? stored : latest));
}

interface Position {
  deltaAbs: string;
  loanId: string;
}

const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,400}$/;
const invalidCursor = () =>
  new DomainError('validation_failed', 'cursor: is not a cursor of this simulation; ask for the first page again', [
    { path: 'cursor', message: 'is not a cursor of this simulation; ask for the first page again' },
  ]);

function encodeCursor(line: ComparedLine): string {
  const delta = line.deltaFen < 0n ? -line.deltaFen : line.deltaFen;
  return Buffer.from(JSON.stringify({ deltaAbs: delta.toString(), loanId: line.loanId }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Position {
  if (!CURSOR_PATTERN.test(cursor)) throw invalidCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const position = decoded as Partial<Position> | null;
  if (
    typeof position !== 'object' || position === null ||
    typeof position.deltaAbs !== 'string' || !/^\d{1,19}$/.test(position.deltaAbs) ||
    typeof position.loanId !== 'string' || !/^[0-9a-f-]{36}$/.test(position.loanId)
  ) {
    throw invalidCursor();
  }
  return { deltaAbs: position.deltaAbs, loanId: position.loanId };
}

export async function simulate(db: Queryable, request: SimulationRequest, today: string = todayInChina()): Promise<SimulationAnswer> {
  const stored = request.version === undefined ? await versionInForce(db, request.policyId, request.year) : await getPolicy(db, request.policyId, request.version);
  const reform = applyChanges(stored.raw, request.changes);
  if (!reform.ok) {
    throw new DomainError('validation_failed', `the changes are not valid: ${reform.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, reform.errors);
  }
  const unsetInReform = unsetRequiredParameters(reform.policy);
  if (unsetInReform.length > 0) {
    const errors = unsetInReform.map((name) => ({
      path: `changes.${name}`,
      message: `version ${stored.policy.version} leaves ${name} unset (set by staff): give it a value to simulate`,
    }));
    throw new DomainError('validation_failed', `the reform needs ${unsetInReform.join(', ')}`, errors);
  }
  const cursor = request.cursor ? decodeCursor(request.cursor) : undefined;
  const baselineUnset = unsetRequiredParameters(stored.policy);

  const loaded = await loadRunInput(db, stored.policy, request.year, { alsoFor: [reform.policy], projectAfter: today });
  const projection = projectLoans(loaded.input.loans, today);
  const reformInput = { ...loaded.inputFor(reform.policy, request.budget), loans: projection.loans };
  // Without traces asked for, both runs are computed without them (engine.ts `traces`): the same amounts, and of each
  // line's trace only what the comparison reads (the run's attribution, the window: a projected line), so that two
  // runs of the whole portfolio take little more time and memory than one run's load.
  const traces = request.trace === true;
  const baselineResult = baselineUnset.length > 0 ? null : computeRun({ ...loaded.input, loans: projection.loans }, { traces });
  const reformResult = computeRun(reformInput, { traces });

  const enterpriseNames = new Map(loaded.input.enterprises.map((enterprise) => [enterprise.uscc, enterprise.name]));
  const contractNos = new Map(loaded.input.loans.map((loan) => [loan.loanId, loan.contractNo]));
  const comparison = compareResults(baselineResult, reformResult, { projection, enterpriseNames, contractNos });

  let lines = request.loanId === undefined ? comparison.lines : comparison.lines.filter((line) => line.loanId === request.loanId);
  let nextCursor: string | null = null;
  if (!request.unpaged) {
    if (cursor) {
      const order = byDifference<{ loanId: string; deltaFen: bigint }>((item) => item.loanId, (item) => item.deltaFen);
      const at = { loanId: cursor.loanId, deltaFen: BigInt(cursor.deltaAbs) };
      lines = lines.filter((line) => order(line, at) > 0);
    }
    const limit = Math.min(request.limit ?? 50, SIMULATION_LINES_MAX);
    if (lines.length > limit) {
      lines = lines.slice(0, limit);
      nextCursor = encodeCursor(lines[lines.length - 1]!);
    }
  }
  return {
    policyId: stored.policy.id,
    version: stored.policy.version,
    title: stored.policy.title,
    documentNo: stored.policy.documentNo,
    year: request.year,
    today,
    changed: reform.changed,
    baselineUnset,
    baseline: comparison.baseline,
    reform: comparison.reform,
    delta: comparison.delta,
    enterpriseCount: comparison.enterprises.length,
    enterprises: request.unpaged ? comparison.enterprises : comparison.enterprises.slice(0, SIMULATION_ENTERPRISES_MAX),
    lineCount: comparison.lines.length,
    projectedLines: comparison.projectedLines,
    lines: lines.map(({ baselineLine, reformLine, ...line }) => ({
      ...line,
      enterpriseName: enterpriseNames.get(line.enterpriseUscc) ?? null,
      ...(request.trace
        ? { traces: { baseline: baselineLine?.trace ?? null, reform: reformLine?.trace ?? null, projectedEvents: projection.projected.get(line.loanId)?.events ?? null } }
        : {}),
    })),
    nextCursor,
  };
}

export type { Fen };
