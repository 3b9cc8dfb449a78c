/**
 * Reports (`GET /api/v1/reports/split-reconciliation?year=`): JSON, or CSV with `?format=csv` or `Accept: text/csv`,
 * or an XLSX / PDF document with `?format=xlsx|pdf` (src/reports/exports.ts, the ledger check printed under the
 * table). Every reader, a finance bureau too, sees every funding body's figures: reconciling a split (袁府办字〔2023〕25号 四(三)2
 * "市财政和区财政各承担50%") needs both halves. `?body=` narrows the report to one body for whoever asks; a finance
 * bureau still pays only its own share (POST …/payments).
 */
import { z } from 'zod';
import { reconciliationCsv, reconciliationDocument, reconciliationOut, splitReconciliation } from '../../reports';
import { documentResult } from './exports';
import type { RouteRegistry } from '../route';
import { FundingBody } from '../schemas';

const Figures = { approved: z.string(), paid: z.string(), outstanding: z.string() };
const BodyFigures = z.object({ body: z.string(), ...Figures });

const ReconciliationOut = z.object({
  year: z.number(),
  body: z.string().nullable(),
  bodies: z.array(BodyFigures),
  enterprises: z.array(z.object({ enterpriseUscc: z.string(), name: z.string().nullable(), ...Figures, bodies: z.array(BodyFigures) })),
  runs: z.array(
    z.object({
      runId: z.string(),
      title: z.string().meta({ description: 'the run as clerks name it: the policy\'s short title, the year, the policy version ("袁州区专利权质押贷款贴息 2024 年度 第 2 版"), with the run\'s short id when two runs of the report would share it' }),
      policyId: z.string(),
      policyVersion: z.number(),
      kind: z.string(),
      status: z.string(),
      ...Figures,
      bodies: z.array(BodyFigures),
    }),
  ),
  ledgerCheck: z.object({
    matches: z.boolean(),
    payablesChecked: z.number(),
    ledgerOutstanding: z.string(),
    tablesOutstanding: z.string(),
    mismatches: z.array(z.record(z.string(), z.unknown())),
    bodies: z.array(z.record(z.string(), z.unknown())),
  }),
});

export function registerReportRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'get',
    path: '/api/v1/reports/split-reconciliation',
    summary:
      'Per funding body, enterprise and run of a year: approved, paid, outstanding, from the run tables, compared account by account with the ledger (ledgerCheck.matches); every body\'s figures for every reader, a finance bureau included',
    tag: 'reports',
    roles: ['staff', 'finance', 'auditor'],
    query: z.object({
      year: z.coerce.number().int().min(2000).max(2100),
      body: FundingBody.optional().meta({ description: 'only this funding body\'s figures (default: every body)' }),
      format: z.enum(['json', 'csv', 'xlsx', 'pdf']).optional(),
    }),
    responses: {
      200: { description: 'the reconciliation (JSON; text/csv with ?format=csv or Accept: text/csv; an XLSX or PDF attachment with ?format=xlsx|pdf)', schema: ReconciliationOut },
    },
    handler: async ({ db, query, req }) => {
      const report = await splitReconciliation(db, query.year, { body: query.body ?? null });
      if (query.format === 'xlsx' || query.format === 'pdf') {
        const document = reconciliationDocument(report);
        return documentResult(document, query.format, document.fileBase, `split-reconciliation-${query.year}${report.body ? `-${report.body}` : ''}`);
      }
      const csv = query.format === 'csv' || (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
      if (csv) {
        return {
          status: 200,
          contentType: 'text/csv; charset=utf-8',
          headers: { 'Content-Disposition': `attachment; filename="split-reconciliation-${query.year}${report.body ? `-${report.body}` : ''}.csv"` },
          body: reconciliationCsv(report),
        };
      }
      return { status: 200, body: reconciliationOut(report) };
    },
  });
}
