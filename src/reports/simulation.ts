/**
 * The comparison of a reform simulation as one table (政策模拟测算表): per funding body, per enterprise, per loan,
 * each with the baseline, the reform and the difference, in that order of sections, each section by the size of the
 * difference. Made from `simulate`'s answer (src/subsidy/runs/simulation.ts), which writes nothing; rendered by
 * `renderXlsx` like the other documents.
 */
import { formatYuan, type Fen } from '../money';
import type { SimulationAnswer } from '../subsidy/runs/simulation';
import type { TableDocument } from './documents';
import { FUNDING_BODY_NAMES } from './exports';

const bodyName = (body: string) => FUNDING_BODY_NAMES[body] ?? body;

/** The parameters' Chinese names, as the console shows them. */
export const PARAMETER_NAMES_ZH: Record<string, string> = {
  eligibleRightTypes: '支持的权利类型',
  rightTypePrecedence: '权利类型优先顺序',
  rateIndex: '基准利率指标',
  rateFixing: '利率定价日',
  baseRate: '计息利率规则',
  ratio: '贴息比例',
  windowMonths: '贴息期限（月）',
  dayCount: '计息天数规则',
  condition: '还款条件',
  attribution: '年度归属',
  base: '计息基数',
  combinationIpPartUnknown: '组合贷款知识产权部分不明',
  supportedPart: '支持部分',
  minIpShareOfCombination: '组合贷款知识产权最低占比',
  capPerLoan: '单笔贷款上限',
  capPerEnterpriseYear: '每家企业每年上限',
  capPerEnterpriseRightTypeYear: '每家企业每类权利每年上限',
  capPerEnterpriseCumulative: '每家企业累计上限',
  sameAsset: '同一知识产权跨年度',
  fundingSplit: '资金分担',
  feeSupport: '评估费、担保费、保险费支持',
  premiumSupport: '保险保费补助',
  contributionCap: '地方贡献上限',
  exclusions: '不予支持情形',
  enterpriseConditions: '企业条件',
  noDoubleSupport: '同级财政不重复支持',
  daysBeforeEffectiveFrom: '生效日前天数',
};

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
