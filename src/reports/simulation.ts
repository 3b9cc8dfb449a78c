/**
 * The comparison of a reform simulation as one table (政策模拟测算表): per funding body, per enterprise, per loan,
 * each with the baseline, the reform and the difference, in that order of sections, each section by the size of the
 * difference. Made from `simulate`'s answer (src/subsidy/runs/simulation.ts), which writes nothing; rendered by
 * `renderXlsx` like the other documents.
 */
import { formatYuan, type Fen } from '../money';
import { PARAMETER_NAMES_ZH } from '../subsidy/parameter-names';
import type { SimulationAnswer } from '../subsidy/runs/simulation';
import type { TableDocument } from './documents';
import { FUNDING_BODY_NAMES } from './exports';

const bodyName = (body: string) => FUNDING_BODY_NAMES[body] ?? body;

export function simulationDocument(answer: SimulationAnswer): TableDocument & { fileBase: string } {
  const title = `${answer.title}政策模拟测算表（${answer.year}年度）`;
  const figures = (baselineFen: Fen, reformFen: Fen) => ({
    baseline: formatYuan(baselineFen),
    reform: formatYuan(reformFen),
    delta: formatYuan(reformFen - baselineFen),
  });
  const rows: Array<Record<string, string>> = [];
  const of = (items: Array<{ body: string; amountFen: Fen }>, body: string) => items.find((item) => item.body === body)?.amountFen ?? 0n;
  for (const item of answer.delta.totals) {
    rows.push({ section: '出资方', subject: bodyName(item.body), projected: '', ...figures(of(answer.baseline.totals, item.body), of(answer.reform.totals, item.body)) });
  }
  for (const enterprise of answer.enterprises) {
    rows.push({ section: '企业', subject: `${enterprise.name ?? ''} ${enterprise.uscc}`.trim(), projected: '', ...figures(enterprise.baselineFen, enterprise.reformFen) });
  }
  for (const line of answer.lines) {
    rows.push({
      section: '贷款',
      subject: `${line.contractNo ?? line.loanId} ${line.enterpriseName ?? line.enterpriseUscc}`,
      projected: line.projected ? '含预测' : '',
      ...figures(line.baselineFen, line.reformFen),
    });
  }
  const changed = answer.changed.map((name) => PARAMETER_NAMES_ZH[name] ?? name).join('、') || '无';
  return {
    name: '政策模拟',
    fileBase: title,
    title,
    subtitle: [
      `${answer.documentNo}，基准版本 ${answer.version}；调整的参数：${changed}`,
      `测算日 ${answer.today}：此后的天数按合同预测（余额不变至到期，到期按期结清）；含预测的贷款 ${answer.projectedLines} 笔`,
    ],
    columns: [
      { key: 'section', header: '类别', kind: 'text', width: 8 },
      { key: 'subject', header: '出资方 / 企业 / 贷款', kind: 'text', width: 48 },
      { key: 'baseline', header: '基准（元）', kind: 'money', width: 16 },
      { key: 'reform', header: '调整后（元）', kind: 'money', width: 16 },
      { key: 'delta', header: '差额（元）', kind: 'money', width: 16 },
      { key: 'projected', header: '预测', kind: 'text', width: 8 },
    ],
    rows,
    totals: { section: '合计', ...figures(answer.baseline.totalFen, answer.reform.totalFen) },
    footer: ['本表为测算，不产生贴息批次、政策版本或账务记录。'],
  };
}
