/**
 * Documents people file and post: the 公示 publicity roster of a run and the 对账 split reconciliation,
 * as `TableDocument`s that `renderXlsx` / `renderPdf` turn into XLSX and PDF in Chinese.
 *
 * The roster is what goes on the notice board, so it exists only once the amounts are frozen and the period is set:
 * from `publicised` on (publicised, approved, partially_paid, paid). A draft or a reviewed run has no publicity
 * period yet and may still change; asking for its roster is a 409 `conflict`.
 *
 * One row per enterprise: the eligible lines of the run (interest lines and fee/premium/carried lines alike, so the
 * roster's total is the run's total) summed per enterprise, in USCC order; lines of 0.00 do not make an enterprise
 * appear.
 */
import type { Queryable } from '../db/pool';
import { DomainError } from '../errors';
import { formatYuan, type Fen } from '../money';
import { rosterAmounts } from '../subsidy/runs/figures';
import { readRun } from '../subsidy/runs/store';
import { getPolicy } from '../subsidy/runs/reference-data';
import { formatYuanForPeople, type TableDocument } from './documents';
import type { SplitReconciliation } from './split-reconciliation';

/** Statuses whose roster can be printed: the publicity period is set and the amounts are frozen. */
export const ROSTER_STATUSES = ['publicised', 'approved', 'partially_paid', 'paid'] as const;

/** Chinese names of the funding bodies, as the documents print them (the console has the same table). */
export const FUNDING_BODY_NAMES: Record<string, string> = { city: '市财政', district: '区财政', province: '省财政' };
const bodyName = (body: string) => FUNDING_BODY_NAMES[body] ?? body;

/**
 * "袁州区加强专利建设…实施方案：专利权质押贷款贴息" → place "袁州区", subject "专利权质押贷款贴息". The shipped policies
 * are titled "<place><document>：<what is supported>"; the place is the title up to its first 省/市/区/县/旗 (not 州: 袁州区, 杭州市), and
 * when a title does not follow that form the whole title stands in.
 */
export function rosterTitle(policyTitle: string, year: number, kind: string): string {
  const [document = policyTitle, subject] = policyTitle.split('：');
  const place = /^(.{1,12}?[省市区县旗])/.exec(document)?.[1];
  const head = place && subject ? `${place}${subject}` : policyTitle;
  return `${head}公示名单（${year}年度${kind === 'adjustment' ? '·调整' : ''}）`;
}

export interface RosterDocument extends TableDocument {
  /** The file name people see, without extension: "袁州区专利权质押贷款贴息公示名单（2024年度）". */
  fileBase: string;
  totalFen: Fen;
}

export async function rosterDocument(db: Queryable, runId: string): Promise<RosterDocument> {
  const run = await readRun(db, runId);
  if (!(ROSTER_STATUSES as readonly string[]).includes(run.status)) {
    throw new DomainError('conflict', `run ${runId} is ${run.status}: its roster exists from "publicised" on (publicity period set, amounts frozen)`, [], {
      runStatus: run.status,
    });
  }
  const policy = await getPolicy(db, run.policyId, run.policyVersion);
  const rows = await rosterAmounts(db, runId);
  const totalFen = rows.reduce((sum, row) => sum + row.amountFen, 0n);
  // Pair assertion: the roster sums to the run's stored total, computed on another path when the run was written.
  if (totalFen !== run.totalFen) {
    throw new Error(`roster of run ${runId} sums to ${formatYuan(totalFen)}, the run's total is ${formatYuan(run.totalFen)}`);
  }
  const title = rosterTitle(policy.raw.title, run.year, run.kind);
  return {
    name: '公示名单',
    fileBase: title,
    title,
    subtitle: [`政策文件：${policy.raw.documentNo}`, `公示期：${run.publicityFrom ?? '—'} 至 ${run.publicityTo ?? '—'}`],
    columns: [
      { key: 'no', header: '序号', kind: 'number', width: 6 },
      { key: 'name', header: '企业名称', kind: 'text', width: 34 },
      { key: 'uscc', header: '统一社会信用代码', kind: 'text', width: 22 },
      { key: 'amount', header: '贴息金额（元）', kind: 'money', width: 18 },
    ],
    rows: rows.map((row, index) => ({
      no: String(index + 1),
      name: row.name ?? '（未登记名称）',
      uscc: row.uscc,
      amount: formatYuan(row.amountFen),
    })),
    totals: { name: `合计（${rows.length} 户）`, amount: formatYuan(totalFen) },
    footer: [
      `批次编号：${run.id}；政策文件 ${policy.raw.documentNo} 第 ${run.policyVersion} 版`,
      '公示期内如有异议，请向区金融服务中心书面反映。',
    ],
    totalFen,
  };
}

/**
 * The split reconciliation as one table: per funding body, then per run and body, then per enterprise and body;
 * the totals row sums the bodies; the ledger check is printed under it.
 */
export function reconciliationDocument(report: SplitReconciliation): TableDocument & { fileBase: string } {
  const title = `${report.year}年度贴息资金分担对账表${report.body ? `（${bodyName(report.body)}）` : ''}`;
  const figures = (item: { approvedFen: Fen; paidFen: Fen; outstandingFen: Fen }) => ({
    approved: formatYuan(item.approvedFen),
    paid: formatYuan(item.paidFen),
    outstanding: formatYuan(item.outstandingFen),
  });
  const rows: Array<Record<string, string>> = [];
  for (const item of report.bodies) rows.push({ section: '出资方', body: bodyName(item.body), subject: '—', ...figures(item) });
  for (const run of report.runs) {
    for (const item of run.bodies) {
      rows.push({ section: '批次', body: bodyName(item.body), subject: run.title, ...figures(item) });
    }
  }
  for (const enterprise of report.enterprises) {
    for (const item of enterprise.bodies) {
      rows.push({ section: '企业', body: bodyName(item.body), subject: `${enterprise.name ?? ''} ${enterprise.uscc}`.trim(), ...figures(item) });
    }
  }
  const total = report.bodies.reduce(
    (sum, item) => ({
      approvedFen: sum.approvedFen + item.approvedFen,
      paidFen: sum.paidFen + item.paidFen,
      outstandingFen: sum.outstandingFen + item.outstandingFen,
    }),
    { approvedFen: 0n, paidFen: 0n, outstandingFen: 0n },
  );
  const check = report.ledgerCheck;
  return {
    name: '分担对账',
    fileBase: title,
    title,
    subtitle: [`年度：${report.year}，出资方：${report.body ? bodyName(report.body) : '全部'}`],
    columns: [
      { key: 'section', header: '类别', kind: 'text', width: 8 },
      { key: 'body', header: '出资方', kind: 'text', width: 10 },
      { key: 'subject', header: '批次 / 企业', kind: 'text', width: 40 },
      { key: 'approved', header: '已批准（元）', kind: 'money', width: 16 },
      { key: 'paid', header: '已拨付（元）', kind: 'money', width: 16 },
      { key: 'outstanding', header: '待拨付（元）', kind: 'money', width: 16 },
    ],
    rows,
    totals: { section: '合计', ...figures(total) },
    footer: [
      `账实核对：${check.matches ? '一致' : '不一致'}（核对应付科目 ${check.payablesChecked} 个；账面待拨付 ${formatYuanForPeople(
        formatYuan(check.ledgerOutstandingFen),
      )}，台账待拨付 ${formatYuanForPeople(formatYuan(check.tablesOutstandingFen))}；不符 ${check.mismatches.length} 项）`,
      ...check.bodies.map(
        (item) =>
          `${bodyName(item.body)}（全部年度）：贴息支出账面 ${formatYuanForPeople(formatYuan(item.expenseLedgerFen))} / 批准净额 ${formatYuanForPeople(
            formatYuan(item.approvalsNetFen),
          )}；国库拨出账面 ${formatYuanForPeople(formatYuan(item.treasuryCreditsLedgerFen))} / 拨付记录 ${formatYuanForPeople(
            formatYuan(item.paymentsFen),
          )}：${item.matches ? '一致' : '不一致'}`,
      ),
    ],
  };
}

/** RFC 6266 / 5987: an ASCII fallback name and the real (Chinese) one as `filename*=UTF-8''…`. */
export function attachmentDisposition(fallback: string, filename: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encoded}`;
}

export const DOCUMENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;
