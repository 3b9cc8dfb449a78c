/**
 * Documents to download: the 公示 publicity roster of a run as XLSX or PDF. The split reconciliation's
 * XLSX and PDF are `?format=xlsx|pdf` of its own route (src/http/routes/reports.ts), next to its CSV, and use
 * `reconciliationExport` below. The documents are made in src/reports/exports.ts; here they are only sent.
 */
import { z } from 'zod';
import { attachmentDisposition, DOCUMENT_TYPES, renderPdf, renderXlsx, rosterDocument, type TableDocument } from '../../reports';
import type { RouteRegistry, RouteResult } from '../route';
import { Uuid } from '../schemas';

export const DocumentFormat = z.enum(['xlsx', 'pdf']);
export type DocumentFormat = z.infer<typeof DocumentFormat>;

/** The rendered document as an attachment: a Chinese file name, with an ASCII fallback for old clients. */
export async function documentResult(document: TableDocument, format: DocumentFormat, fileBase: string, asciiBase: string): Promise<RouteResult> {
  const body = format === 'xlsx' ? await renderXlsx(document) : await renderPdf(document);
  return {
    status: 200,
    contentType: DOCUMENT_TYPES[format],
    headers: { 'Content-Disposition': attachmentDisposition(`${asciiBase}.${format}`, `${fileBase}.${format}`) },
    body,
  };
}

export function registerExportRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'get',
    path: '/api/v1/subsidy-runs/{id}/roster',
    summary:
      '公示 publicity roster of a run (from "publicised" on; 409 before): title, policy document number, publicity period, one row per enterprise (eligible amounts summed), the total — XLSX or PDF',
    tag: 'subsidy runs',
    roles: ['staff', 'finance', 'auditor'],
    params: z.object({ id: Uuid }),
    query: z.object({ format: DocumentFormat }),
    responses: { 200: { description: 'the roster, as an attachment (XLSX or PDF per `format`)', contentType: 'application/octet-stream' } },
    handler: async ({ db, params, query }) => {
      const document = await rosterDocument(db, params.id);
      return documentResult(document, query.format, document.fileBase, `roster-${params.id}`);
    },
  });
}
