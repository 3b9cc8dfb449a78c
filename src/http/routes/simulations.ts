/**
 * `POST /api/v1/simulations` (docs/api.md "Simulations"): a policy version beside the same version with `changes`
 * applied, over the real portfolio, for a year; writes nothing but its request's audit row ("simulated"). The
 * computation is `simulate` (src/subsidy/runs/simulation.ts); here only the shapes on the wire. `?format=xlsx` answers
 * the whole comparison as a workbook instead of a page of JSON.
 */
import { z } from 'zod';
import { formatYuan, type Fen } from '../../money';
import { simulationDocument } from '../../reports';
import { CHANGES_MAX, PARAMETER_NAMES } from '../../subsidy/simulation/changes';
import { SIMULATION_LINES_MAX, simulate, type SimulationAnswer } from '../../subsidy/runs/simulation';
import type { BodyAmount, RunLoanEvent } from '../../subsidy/types';
import type { RouteRegistry } from '../route';
import { FundingBody, Money, Uuid } from '../schemas';
import { documentResult } from './exports';

const Budget = z
  .array(z.object({ body: FundingBody, amount: Money }).strict())
  .max(10)
  .refine((items) => new Set(items.map((item) => item.body)).size === items.length, 'names a funding body twice');

const Body = z
  .object({
    policyId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a policy id such as "yuanzhou-2023"'),
    version: z.number().int().min(1).optional().meta({ description: 'the baseline version; default: the one in force in the year' }),
    year: z.number().int().min(2000).max(2100),
    changes: z
      .record(z.string().max(64), z.unknown())
      .refine((changes) => Object.keys(changes).length <= CHANGES_MAX, `at most ${CHANGES_MAX} changes, one per parameter`)
      .meta({
        description: `parameter name → its new value, named as in GET /api/v1/policies (${PARAMETER_NAMES.join(', ')}); e.g. { "ratio": "0.20" }`,
      }),
    budget: Budget.optional().meta({ description: 'the reform’s budget per funding body: its shares are scaled down to it pro rata' }),
    loanId: Uuid.optional().meta({ description: 'only this loan’s line (with trace: its calculation both ways)' }),
    trace: z.boolean().optional().meta({ description: 'each line with its baseline and reform traces and the events projected' }),
  })
  .strict();

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(SIMULATION_LINES_MAX).default(50),
  cursor: z.string().max(500).optional(),
  format: z.enum(['xlsx']).optional().meta({ description: 'xlsx: the whole comparison (every body, enterprise and loan) as a workbook' }),
});

const BodyAmountOut = z.object({ body: z.string(), amount: z.string() });
const FiguresOut = z.object({ total: z.string(), totals: z.array(BodyAmountOut) });
const LineOut = z.object({
  loanId: z.string(),
  contractNo: z.string().nullable(),
  enterpriseUscc: z.string(),
  enterpriseName: z.string().nullable(),
  baseline: z.string(),
  reform: z.string(),
  delta: z.string(),
  baselineEligible: z.boolean().nullable().meta({ description: 'null: the loan has no line under the baseline' }),
  reformEligible: z.boolean().nullable(),
  projected: z.boolean().meta({ description: 'the line counts days after today, or a settlement after today, projected on the contract' }),
  traces: z
    .object({
      baseline: z.record(z.string(), z.unknown()).nullable(),
      reform: z.record(z.string(), z.unknown()).nullable(),
      projectedEvents: z.array(z.object({ type: z.string(), date: z.string(), amount: z.string().nullable() })).nullable(),
    })
    .optional(),
});
const AnswerOut = z.object({
  policyId: z.string(),
  version: z.number(),
  title: z.string(),
  documentNo: z.string(),
  year: z.number(),
  today: z.string().meta({ description: 'days after this one are projected' }),
  changed: z.array(z.string()),
  baselineUnset: z.array(z.string()).meta({ description: 'parameters the baseline version leaves unset: it pays nothing yet' }),
  baseline: FiguresOut,
  reform: FiguresOut,
  delta: FiguresOut,
  enterpriseCount: z.number(),
  enterprises: z.array(
    z.object({ enterpriseUscc: z.string(), name: z.string().nullable(), baseline: z.string(), reform: z.string(), delta: z.string() }),
  ),
  lineCount: z.number(),
  projectedLines: z.number(),
  lines: z.array(LineOut),
  nextCursor: z.string().nullable(),
});

const bodyAmounts = (items: BodyAmount[]) => items.map((item) => ({ body: item.body, amount: formatYuan(item.amountFen) }));
const figuresOut = (figures: { totalFen: Fen; totals: BodyAmount[] }) => ({ total: formatYuan(figures.totalFen), totals: bodyAmounts(figures.totals) });
const eventsOut = (events: RunLoanEvent[] | null) =>
  events === null ? null : events.map((event) => ({ type: event.type, date: event.date, amount: event.amountFen === undefined ? null : formatYuan(event.amountFen) }));

function answerOut(answer: SimulationAnswer) {
  return {
    policyId: answer.policyId,
    version: answer.version,
    title: answer.title,
    documentNo: answer.documentNo,
    year: answer.year,
    today: answer.today,
    changed: answer.changed,
    baselineUnset: answer.baselineUnset,
    baseline: figuresOut(answer.baseline),
    reform: figuresOut(answer.reform),
    delta: figuresOut(answer.delta),
    enterpriseCount: answer.enterpriseCount,
    enterprises: answer.enterprises.map((enterprise) => ({
      enterpriseUscc: enterprise.uscc,
      name: enterprise.name,
      baseline: formatYuan(enterprise.baselineFen),
      reform: formatYuan(enterprise.reformFen),
      delta: formatYuan(enterprise.deltaFen),
    })),
    lineCount: answer.lineCount,
    projectedLines: answer.projectedLines,
    lines: answer.lines.map((line) => ({
      loanId: line.loanId,
      contractNo: line.contractNo,
      enterpriseUscc: line.enterpriseUscc,
      enterpriseName: line.enterpriseName,
      baseline: formatYuan(line.baselineFen),
      reform: formatYuan(line.reformFen),
      delta: formatYuan(line.deltaFen),
      baselineEligible: line.baselineEligible,
      reformEligible: line.reformEligible,
      projected: line.projected,
      ...(line.traces
        ? {
            traces: {
              baseline: line.traces.baseline as Record<string, unknown> | null,
              reform: line.traces.reform as Record<string, unknown> | null,
              projectedEvents: eventsOut(line.traces.projectedEvents),
            },
          }
        : {}),
    })),
    nextCursor: answer.nextCursor,
  };
}

export function registerSimulationRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'post',
    path: '/api/v1/simulations',
    summary:
      'Reform simulation: a policy version (default: in force in the year) beside it with `changes` applied, over every loan of its jurisdiction, for a year — per funding body, per enterprise, per loan (largest differences first, paged); days after today projected on each loan’s contract; writes nothing',
    tag: 'subsidy',
    roles: ['staff', 'finance', 'auditor'],
    body: Body,
    query: Query,
    writesNothing: { auditAction: 'simulated' },
    responses: {
      200: { description: 'baseline, reform and difference (with ?format=xlsx: the whole comparison as a workbook)', schema: AnswerOut },
      404: { description: 'no such policy or version' },
    },
    handler: async ({ db, body, query }) => {
      const answer = await simulate(db, {
        policyId: body.policyId,
        version: body.version,
        year: body.year,
        changes: body.changes,
        budget: body.budget?.map((item) => ({ body: item.body, amountFen: item.amount })),
        loanId: body.loanId,
        trace: query.format === undefined ? body.trace : false,
        limit: query.limit,
        cursor: query.cursor,
        unpaged: query.format === 'xlsx',
      });
      const auditDetail = {
        policyId: answer.policyId,
        version: answer.version,
        year: answer.year,
        changes: body.changes,
        delta: formatYuan(answer.delta.totalFen),
      };
      if (query.format === 'xlsx') {
        const document = simulationDocument(answer);
        return { ...(await documentResult(document, 'xlsx', document.fileBase, `simulation-${answer.policyId}-${answer.year}`)), auditDetail };
      }
      return { status: 200, body: answerOut(answer), auditDetail };
    },
  });
}
