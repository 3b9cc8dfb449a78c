/**
 * Tables as documents people file and post on notice boards: XLSX (exceljs) and PDF (pdfkit) in Chinese, with the
 * CJK font shipped through npm (Noto Sans SC, `@expo-google-fonts/noto-sans-sc`), so a fresh machine needs nothing
 * else (公示, 对账).
 *
 * Money arrives as exact "1234.56" strings. In the XLSX it becomes a number cell so the bureau can sum it; a double
 * shows every amount below 10^13 CNY exactly at two decimals (≤ 15 significant digits), and larger ones are refused
 * rather than shown rounded. The PDF prints the strings as they are.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';

export interface DocumentColumn {
  key: string;
  header: string;
  kind: 'text' | 'money' | 'date' | 'number';
  /** Relative width (characters in the XLSX; shares of the page width in the PDF). */
  width: number;
}

export interface TableDocument {
  title: string;
  /** Lines under the title: the policy document number, the publicity period, who issues it… */
  subtitle: string[];
  columns: DocumentColumn[];
  rows: Array<Record<string, string>>;
  /** The totals row, keyed like the rows (e.g. `{ name: '合计', amount: '123.45' }`). */
  totals?: Record<string, string>;
  footer?: string[];
  /** Sheet name and file base name. */
  name: string;
}

const MONEY_PATTERN = /^-?\d{1,13}\.\d{2}$/;

function moneyCellValue(text: string): number {
  if (!MONEY_PATTERN.test(text)) throw new RangeError(`"${text}" is not an amount with two decimals below 10^13`);
  return Number(text); // exact to the fen in display: ≤ 15 significant digits (see the module comment)
}

export function formatYuanForPeople(text: string): string {
  const [whole, fraction] = text.replace('-', '').split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${text.startsWith('-') ? '-' : ''}¥${grouped}.${fraction}`;
}

export async function renderXlsx(document: TableDocument): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'IP-pledge financing support';
  const sheet = workbook.addWorksheet(document.name.slice(0, 31));
  const columnCount = document.columns.length;
  sheet.columns = document.columns.map((column) => ({ key: column.key, width: column.width }));

  const title = sheet.addRow([document.title]);
  sheet.mergeCells(title.number, 1, title.number, columnCount);
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };
  for (const line of document.subtitle) {
    const row = sheet.addRow([line]);
    sheet.mergeCells(row.number, 1, row.number, columnCount);
  }
  const header = sheet.addRow(document.columns.map((column) => column.header));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.border = { bottom: { style: 'thin' } };
  });
  const cellValue = (column: DocumentColumn, text: string | undefined) => {
    if (text === undefined || text === '') return null;
    if (column.kind === 'money') return moneyCellValue(text);
    if (column.kind === 'number') return Number(text);
    return text;
  };
  const addDataRow = (values: Record<string, string>, bold = false) => {
    const row = sheet.addRow(document.columns.map((column) => cellValue(column, values[column.key])));
    document.columns.forEach((column, index) => {
      if (column.kind === 'money') row.getCell(index + 1).numFmt = '#,##0.00';
    });
    if (bold) row.font = { bold: true };
  };
  for (const values of document.rows) addDataRow(values);
  if (document.totals) addDataRow(document.totals, true);
  for (const line of document.footer ?? []) {
    const row = sheet.addRow([line]);
    sheet.mergeCells(row.number, 1, row.number, columnCount);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The shipped CJK font: Noto Sans SC regular, a full TrueType font (pdfkit embeds only the glyphs used). */
export function cjkFontPath(): string {
  const entry = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/index.js');
  return path.join(path.dirname(entry), 'NotoSansSC_400Regular.ttf');
}

const PAGE_MARGIN = 40;
const ROW_HEIGHT = 18;
const FONT_SIZE = 9;

export function renderPdf(document: TableDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', margin: PAGE_MARGIN, info: { Title: document.title } });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.registerFont('cjk', cjkFontPath());
    pdf.font('cjk');

    const usable = pdf.page.width - 2 * PAGE_MARGIN;
    const totalWidth = document.columns.reduce((sum, column) => sum + column.width, 0);
    const widths = document.columns.map((column) => (column.width / totalWidth) * usable);
    const bottom = () => pdf.page.height - PAGE_MARGIN;

    pdf.fontSize(15).text(document.title, { align: 'center' });
    pdf.moveDown(0.4);
    pdf.fontSize(10);
    for (const line of document.subtitle) pdf.text(line, { align: 'center' });
    pdf.moveDown(0.8);

    const drawRow = (cells: string[], options: { bold?: boolean; rule?: boolean } = {}) => {
      if (pdf.y + ROW_HEIGHT > bottom()) {
        pdf.addPage();
        pdf.font('cjk');
      }
      const y = pdf.y;
      let x = PAGE_MARGIN;
      pdf.fontSize(FONT_SIZE);
      cells.forEach((text, index) => {
        const column = document.columns[index]!;
        const right = column.kind === 'money' || column.kind === 'number';
        pdf.text(text, x + 2, y + 4, { width: widths[index]! - 4, align: right ? 'right' : 'left', lineBreak: false, ellipsis: true });
        x += widths[index]!;
      });
      if (options.rule) {
        pdf.moveTo(PAGE_MARGIN, y + ROW_HEIGHT).lineTo(PAGE_MARGIN + usable, y + ROW_HEIGHT).lineWidth(0.5).stroke();
      }
      pdf.x = PAGE_MARGIN;
      pdf.y = y + ROW_HEIGHT;
    };
    const display = (column: DocumentColumn, text: string | undefined) =>
      text === undefined ? '' : column.kind === 'money' && MONEY_PATTERN.test(text) ? formatYuanForPeople(text) : text;

    drawRow(document.columns.map((column) => column.header), { rule: true });
    for (const values of document.rows) drawRow(document.columns.map((column) => display(column, values[column.key])));
    if (document.totals) {
      const totals = document.totals;
      drawRow(document.columns.map((column) => display(column, totals[column.key])), { rule: true, bold: true });
    }
    if (document.footer?.length) {
      pdf.moveDown(1);
      pdf.fontSize(10);
      for (const line of document.footer) pdf.text(line, PAGE_MARGIN, pdf.y, { width: usable });
    }
    pdf.end();
  });
}
