/**
 * Imports a clerk can use (src/imports): the template of each kind (`GET /api/v1/imports/templates/{kind}`, XLSX or
 * CSV with Chinese headers), and the service centre's imports of the yearly runs' inputs
 * (`POST /api/v1/imports/{kind}`: an XLSX workbook, a CSV, or a JSON array of the same items). The banks' loans and
 * events are imported through `POST /api/v1/loans:batch` and `POST /api/v1/loan-events:batch` (routes/loans.ts),
 * which take the same files. All or nothing; a refusal names every bad row with its sheet row, Chinese column and
 * Chinese message, and carries the sheet back with the bad cells marked (`markedSheet`).
 */
import { z } from 'zod';
import { todayInChina } from '../../dates';
import {
  importing,
  importSpec,
  IMPORT_KINDS,
  parseItems,
  readBatch,
  templateCsv,
  templateFileName,
  templateXlsx,
  XLSX_MEDIA_TYPE,
  type ImportSpec,
} from '../../imports';
import {
  CONTRIBUTION_IMPORT,
  EXCLUSION_IMPORT,
  FEE_IMPORT,
  OTHER_SUPPORT_IMPORT,
  PREMIUM_IMPORT,
  RATE_IMPORT,
} from '../../imports/kinds';
import { MAX_BATCH_ITEMS } from '../../loans/types';
import { Dec } from '../../money';
import { attachmentDisposition } from '../../reports';
import { RATE_INDEXES } from '../../subsidy/policy';
import {
  addContributionBatch,
  addExclusionBatch,
  addFeeBatch,
  addOtherSupportBatch,
  addPremiumBatch,
  addRateBatch,
  type BatchRows,
} from '../../subsidy/runs/input-batches';
import { FISCAL_LEVELS } from '../../subsidy/runs/inputs';
import type { Principal } from '../../principals';
import type { Queryable } from '../../db/pool';
import { BATCH_BODY_LIMIT_BYTES } from '../body';
import { checkInput } from '../input';
import type { RouteRegistry } from '../route';
import { Identifier, IsoDate, Money, PastDate, PositiveMoney, Rate } from '../schemas';

/** The query of an import: whether a refused CSV comes back as a marked XLSX too (a refused XLSX always does). */
export const ImportQuery = z.object({
  markedSheet: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'a refused CSV carries the sheet back as XLSX with its bad cells marked (`markedSheet`); an XLSX always does' }),
});

/** How a route declares that it takes files: the CSV and XLSX a clerk saves from Excel. */
export function fileContent(spec: ImportSpec): Record<string, { description: string }> {
  const headers = spec.columns.map((column) => `${column.header} (${column.field})`).join(', ');
  return {
    'text/csv': { description: `UTF-8 CSV with a header row: ${headers}; Chinese headers or the field names` },
    [XLSX_MEDIA_TYPE]: { description: `an XLSX workbook, the first worksheet with a header row: ${headers}` },
  };
}

const BatchBody = z
  .array(z.unknown())
  .min(1, 'a batch needs at least one item')
  .max(MAX_BATCH_ITEMS, `a batch has at most ${MAX_BATCH_ITEMS.toLocaleString('en-US')} items`);

const ImportOut = z.object({
  count: z.number().int().meta({ description: 'rows written' }),
  ids: z.array(z.string()).meta({ description: 'what was written, in row order' }),
  unchanged: z.number().int().optional().meta({ description: 'rates only: rows that repeat a fixing already recorded (nothing written for them)' }),
});

const Uscc = Identifier(40).trim().min(1, 'must not be empty');
const EnterpriseName = z.string().trim().max(200).optional();
const Year = z.number().int().min(2000).max(2100);
const LoanNamed = {
  loanId: Identifier(100).trim().optional(),
  bank: z.string().trim().max(200).optional(),
  contractNo: Identifier(200).trim().optional(),
};

const ContributionIn = z.object({ enterpriseUscc: Uscc, enterpriseName: EnterpriseName, year: Year, amount: Money }).strict();
const PremiumIn = z.object({ enterpriseUscc: Uscc, enterpriseName: EnterpriseName, amount: PositiveMoney, paidOn: PastDate }).strict();
const ExclusionIn = z.object({ enterpriseUscc: Uscc, enterpriseName: EnterpriseName, year: Year, reason: z.string().trim().min(1).max(500) }).strict();
const OtherSupportIn = z
  .object({ ...LoanNamed, programme: z.string().trim().min(1).max(200), fiscalLevel: z.enum(FISCAL_LEVELS), amount: PositiveMoney, year: Year.optional() })
  .strict();
const FeeIn = z.object({ ...LoanNamed, kind: z.enum(['evaluation', 'guarantee', 'insurance']), amount: PositiveMoney, paidOn: PastDate }).strict();
const RateIn = z
  .object({
    index: z.enum(RATE_INDEXES),
    effectiveDate: IsoDate,
    rate: Rate.refine((rate) => new Dec(rate).greaterThan(0) && new Dec(rate).lessThan(1), 'must be between 0 and 1 (e.g. "0.0345")'),
    source: z.string().trim().max(300).optional(),
  })
  .strict();

interface InputImport<S extends z.ZodObject> {
  spec: ImportSpec;
  schema: S;
  summary: string;
  write: (db: Queryable, rows: BatchRows<z.output<S>>, writer: { principalId: string; today: string }) => Promise<string[] | { ids: string[]; unchanged: number }>;
}

const input = <S extends z.ZodObject>(definition: InputImport<S>) => definition as unknown as InputImport<z.ZodObject>;

const INPUT_IMPORTS = [
  input({
    spec: CONTRIBUTION_IMPORT,
    schema: ContributionIn,
    summary: "Import enterprises' local contributions by year (《关于全面加强知识产权工作的实施意见》 § 22); the latest record of an enterprise and year counts",
    write: addContributionBatch,
  }),
  input({ spec: PREMIUM_IMPORT, schema: PremiumIn, summary: 'Import patent-insurance premiums enterprises paid (《关于全面加强知识产权工作的实施意见》 § 6)', write: addPremiumBatch }),
  input({
    spec: EXCLUSION_IMPORT,
    schema: ExclusionIn,
    summary: 'Import exclusions of enterprises for a year, with reasons (《关于全面加强知识产权工作的实施意见》 § 23)',
    write: addExclusionBatch,
  }),
  input({
    spec: OTHER_SUPPORT_IMPORT,
    schema: OtherSupportIn,
    summary: "Import other programmes' support of loans, each loan named by bank and contract number or id (袁府办字〔2023〕25号 奖励认定1)",
    write: addOtherSupportBatch,
  }),
  input({
    spec: FEE_IMPORT,
    schema: FeeIn,
    summary: 'Import evaluation, guarantee and insurance fees paid for loans (袁府办字〔2023〕25号 四(三)2)',
    write: addFeeBatch,
  }),
  input({
    spec: RATE_IMPORT,
    schema: RateIn,
    summary: 'Import LPR and PBoC benchmark rate fixings (a row repeating a stored fixing is left as it is; another rate for a stored date is refused)',
    write: addRateBatch,
  }),
];

const writerOf = (principal: Principal) => ({ principalId: principal.id, today: todayInChina() });

export function registerImportRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'get',
    path: '/api/v1/imports/templates/{kind}',
    summary: 'The template of an import, with Chinese headers: XLSX (formats, drop-down lists, a 填写说明 sheet) or UTF-8 CSV',
    tag: 'imports',
    roles: ['staff', 'bank'],
    params: z.object({ kind: z.enum(IMPORT_KINDS) }),
    query: z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
    responses: { 200: { description: 'the template, as an attachment', contentType: 'application/octet-stream' } },
    handler: async ({ params, query }) => {
      const spec = importSpec(params.kind)!;
      const body = query.format === 'xlsx' ? await templateXlsx(spec) : templateCsv(spec);
      return {
        status: 200,
        contentType: query.format === 'xlsx' ? XLSX_MEDIA_TYPE : 'text/csv; charset=utf-8',
        headers: { 'Content-Disposition': attachmentDisposition(`${spec.kind}-template.${query.format}`, templateFileName(spec, query.format)) },
        body,
      };
    },
  });

  for (const definition of INPUT_IMPORTS) {
    registry.add({
      method: 'post',
      path: `/api/v1/imports/${definition.spec.kind}`,
      summary: `${definition.summary}: all or nothing, every bad row named with its column`,
      tag: 'imports',
      roles: ['staff'],
      query: ImportQuery,
      bodyLimitBytes: BATCH_BODY_LIMIT_BYTES,
      body: BatchBody.meta({ description: `items with the fields ${definition.spec.columns.map((column) => column.field).join(', ')}` }),
      extraRequestContent: fileContent(definition.spec),
      responses: { 201: { description: 'all written; ids in row order', schema: ImportOut } },
      handler: async ({ db, body, query, principal, audit }) => {
        const batch = await readBatch(definition.spec, body, { markCsv: query.markedSheet === 'true' });
        const result = await importing(batch, async () => {
          const parsed = parseItems(batch, definition.schema, checkInput);
          return definition.write(db, { rows: parsed.rows, parseProblems: parsed.problems }, writerOf(principal));
        });
        const ids = Array.isArray(result) ? result : result.ids;
        const unchanged = Array.isArray(result) ? undefined : result.unchanged;
        await audit(`import.${definition.spec.kind}`, { count: ids.length, source: batch.source, ...(unchanged !== undefined ? { unchanged } : {}) });
        return { status: 201, body: { count: ids.length, ids, ...(unchanged !== undefined ? { unchanged } : {}) } };
      },
    });
  }
}
