/**
 * The fund's statement as a document: the same figures as
 * `GET /api/v1/funds/{id}/statement`, from the ledger, as CSV (for a spreadsheet), XLSX or PDF (to file or post).
 */
import { z } from 'zod';
import { fundStatement, getFund } from '../../fund';
import { formatYuan } from '../../money';
import { renderPdf, renderXlsx, type TableDocument } from '../../reports/documents';
import { accountNameZh, movementNameZh, readNameLookup } from '../../reports/ledger-names';
import type { RouteRegistry } from '../route';
import { IsoDate, Uuid } from '../schemas';

const KIND_LABELS: Record<string, string> = {
  contribution: '出资',
  payout: '代偿支付',
  write_off: '核销',
  recovery: '追偿回收',
  reversal: '冲销',
};

const FORMATS = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
} as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

export function registerFundExportRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'get',
    path: '/api/v1/funds/{id}/statement/export',
    summary: 'The fund’s cash statement for a date range as CSV, XLSX or PDF (opening, every movement with its source, closing)',
    tag: 'fund',
    roles: ['staff', 'finance', 'auditor'],
    params: z.object({ id: Uuid }),
    query: z.object({ from: IsoDate, to: IsoDate, format: z.enum(['csv', 'xlsx', 'pdf']).default('csv') }),
    responses: {
      200: { description: 'the statement as a file (text/csv, XLSX or PDF by `format`)', contentType: 'application/octet-stream' },
    },
    handler: async ({ db, params, query }) => {
      const fund = await getFund(db, params.id);
      const s = await fundStatement(db, params.id, query.from, query.to);
      // The documents are read by people: the account and the movements named in Chinese (the CSV keeps the ledger's text).
      const lookup = await readNameLookup(db, [s.account, ...s.movements.map((m) => m.description)]);
      const rows = s.movements.map((m) => ({
        date: m.date,
        kind: KIND_LABELS[m.kind] ?? m.kind,
        amount: formatYuan(m.amountFen),
        balance: formatYuan(m.balanceFen),
        description: m.description,
        descriptionZh: movementNameZh(m, lookup),
        source: `${m.source.kind}:${m.source.id}`,
        entryId: m.source.entryId,
      }));
      const format = FORMATS[query.format];
      const fileName = `fund-statement-${fund.code}-${query.from}-${query.to}.${format.extension}`;
      let body: string | Buffer;
      if (query.format === 'csv') {
        const header = ['date', 'kind', 'amount', 'balance', 'description', 'source', 'entryId'];
        const lines = [
          header.join(','),
          ['', 'opening', '', formatYuan(s.openingFen), `期初余额 ${query.from}`, '', ''].map(csvField).join(','),
          ...rows.map((row) => header.map((key) => csvField(row[key as keyof typeof row])).join(',')),
          ['', 'closing', '', formatYuan(s.closingFen), `期末余额 ${query.to}`, '', ''].map(csvField).join(','),
        ];
        body = `${lines.join('\r\n')}\r\n`;
      } else {
        const document: TableDocument = {
          name: `fund-statement-${fund.code}`,
          title: `${fund.name} 资金对账单`,
          subtitle: [`账户 ${accountNameZh(s.account, lookup, s.account)}（${s.account}）`, `${query.from} 至 ${query.to}`, `期初余额 ${formatYuan(s.openingFen)}`],
          columns: [
            { key: 'date', header: '日期', kind: 'date', width: 12 },
            { key: 'kind', header: '类型', kind: 'text', width: 10 },
            { key: 'amount', header: '金额', kind: 'money', width: 16 },
            { key: 'balance', header: '余额', kind: 'money', width: 16 },
            { key: 'descriptionZh', header: '摘要', kind: 'text', width: 36 },
            { key: 'entryId', header: '分录', kind: 'text', width: 10 },
          ],
          rows,
          footer: [`期末余额 ${formatYuan(s.closingFen)}（数据来自总账）`],
        };
        body = query.format === 'xlsx' ? await renderXlsx(document) : await renderPdf(document);
      }
      return { status: 200, contentType: format.contentType, headers: { 'Content-Disposition': `attachment; filename="${fileName}"` }, body };
    },
  });
}
