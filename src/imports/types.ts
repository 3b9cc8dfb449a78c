/**
 * What an import is made of: the columns of a kind's template (Chinese header, the API field it fills, how its cells
 * are read) and the problems it reports. Each domain module declares its kinds (src/imports/kinds.ts lists them) and
 * still validates and writes its own rows; this folder only reads sheets, maps columns, explains problems in Chinese
 * and marks the sheet.
 */
import type { FieldProblem } from '../errors';
import type { CellKind, CellValue, Choice } from './cells';

export interface ImportColumn {
  /** The API field the column fills (`principal`, `startDate`…); also accepted as a header, for banks' existing CSVs. */
  field: string;
  /** The header of the template, in Chinese. */
  header: string;
  /** Other headers taken for this column (older templates, common wording). */
  aliases?: readonly string[];
  kind: CellKind;
  required: boolean;
  /** For `choice` columns: the codes and their Chinese labels (the template offers the labels as a list). */
  choices?: readonly Choice[];
  /** What to write, in Chinese (the template's 填写说明 sheet and the header cell's note). */
  note: string;
  /** The template's example row. */
  example: CellValue;
  /** Column width in the template (characters). */
  width?: number;
}

export interface ImportSpec {
  /** The kind in paths: `GET /api/v1/imports/templates/{kind}`. */
  kind: string;
  /** What is imported, in Chinese (file and sheet names, titles). */
  title: string;
  /** The policy clause or record the rows feed, in Chinese, for the template's notes. */
  purpose: string;
  columns: readonly ImportColumn[];
  /** A record keyed by field (cells already read) → the item a JSON batch would carry; default: the record itself. */
  item?: (record: Record<string, unknown>) => unknown;
}

/**
 * A problem of one row (or of the file), as the API reports it: `row` (the item, from 1, as for a JSON batch), `path`
 * and `message` (English) as the batch contract has them, plus what a clerk reads: `sheetRow` (the row number the
 * spreadsheet shows), `column` (the Chinese header), `cell` (e.g. "E3") and `messageZh`.
 */
export interface ImportProblem extends FieldProblem {
  sheetRow?: number;
  column?: string;
  cell?: string;
  messageZh?: string;
}

/** A domain module's row problem with its Chinese message written beside the English one. */
export interface RowProblem extends FieldProblem {
  messageZh?: string;
}

/** Where a problem that names no column of the sheet is put: on the row as a whole. */
export const WHOLE_ROW = '(row)';
