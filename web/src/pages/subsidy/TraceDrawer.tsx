/**
 * A line's trace as a calculation a person can redo by hand (docs/api.md "The trace of a line"): the clause cited,
 * the rate index with its fixing date and value, the ratio, the window and the days counted, the segments
 * (outstanding × IP share × days), unrounded → rounded, each cap that cut it and by how much, the split, the budget
 * factor and the interpretations the policy relies on. The trace is the engine's JSON (src/subsidy/types.ts
 * `LineTrace`); money in it is fen as integer (or, for a base under a fractional IP share, decimal) strings.
 */
import { Alert, Descriptions, Drawer, Empty, Table, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Amount } from '../../components/Amount';
import { StatusTag } from '../../components/StatusTag';
import { FUNDING_BODY_LABELS, label, RIGHT_TYPE_LABELS } from '../../format/labels';
import { ADJUSTMENT_STEP_LABELS, LINE_KIND_LABELS } from './labels';
import { EnterpriseName } from '../../components/EnterpriseName';
import { clauseText, FEE_KIND_LABELS, interpretationText, itemNoteText, rateIndexText, REASON_LABELS, reasonText } from '../../catalogue';
import { formatDays, formatFenDays, formatFenText, formatPercent, interestFormulaZh } from '../../format/figures';
import { carriedText } from './carried';
import type { TraceWindowCap } from '../../../../src/subsidy/types';

interface Reason {
  code: string;
  message: string;
  messageZh?: string;
  reference: string;
}

/** The parts of `LineTrace` the drawer shows (all optional but policy, clauses, adjustments, interpretations). */
interface Trace {
  policy?: { id: string; version: number; documentNo: string; title: string };
  run?: { year: number; attribution: string; reference: string };
  clauses?: string[];
  jurisdiction?: { divisionCode: string; source: string; matchedPrefix: string; reference: string };
  rightType?: { pledged: string[]; counted: string | null; eligible: string[]; reference: string };
  window?: {
    from: string;
    toExclusive: string;
    endedBy: string;
    months: number;
    countedFrom: string;
    countedToExclusive: string;
    daysCounted: number;
    reference: string;
  };
  rate?: { index: string; fixingRule: string; fixingDate: string; fixingEffectiveDate: string; indexRate: string; rate: string; baseRule: string; reference: string };
  ratio?: { value: string; reference: string };
  dayCount?: { convention: string; divisor: number; reference: string };
  ipShare?: { collateral: string; value: string; reference: string };
  segments?: Array<{ from: string; toExclusive: string; days: number; outstandingFen: string; baseFen: string }>;
  outstandingDaysFen?: string;
  baseDaysFen?: string;
  items?: Array<{ kind?: string; date?: string; amountFen: string; note?: string }>;
  formula?: string;
  amountUnroundedFen?: string;
  amountRoundedFen?: string;
  adjustments?: Array<{ step: string; reference: string; beforeFen: string; afterFen: string; cutFen: string; detail: string }>;
  /** The per-loan cap over the loan's whole window: what earlier years used of it. */
  windowCap?: TraceWindowCap;
  split?: { rule: Array<{ body: string; share: string }>; reference: string; shares: Array<{ body: string; amountFen: string }> };
  budget?: Array<{ body: string; budgetFen: string; approvedFen: string; factor: string; beforeFen: string; afterFen: string }>;
  interpretations?: Array<{ parameter: string; reference: string; text: string }>;
}

export interface TraceLine {
  lineNo: number;
  kind: string;
  loanId: string | null;
  enterpriseUscc: string;
  enterpriseName?: string | null;
  contractNo?: string | null;
  bankName?: string | null;
  rightType: string | null;
  amount: string;
  eligible: boolean;
  reasons: Reason[];
  shares: Array<{ body: string; amount: string }>;
  trace: Record<string, unknown>;
}

/** Fen as the trace writes them, shown as yuan with two places (web/src/format/figures.ts). */
function Fen({ value }: { value: string | null | undefined }) {
  return <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{formatFenText(value)}</span>;
}

const percent = formatPercent;

const Clause = ({ children }: { children: ReactNode }) => (
  <Typography.Text type="secondary"> （{typeof children === 'string' ? clauseText(children) : children}）</Typography.Text>
);

const WINDOW_END_LABELS: Record<string, string> = { months: '期限届满', maturity: '贷款到期', settlement: '提前结清' };

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section style={{ marginBottom: 20 }}>
      <Typography.Title level={3} style={{ fontSize: 15, marginBottom: 8 }}>
        {title}
      </Typography.Title>
      {children}
    </section>
  );
}

export function TraceDrawer({ line, onClose }: { line: TraceLine | undefined; onClose: () => void }) {
  const trace = (line?.trace ?? {}) as Trace;
  // The engine's formula is English for programs: an interest line's is written again in Chinese from its figures.
  const formula =
    trace.rate && trace.ratio && trace.dayCount
      ? interestFormulaZh({ baseDaysFen: trace.baseDaysFen, rate: trace.rate.rate, ratio: trace.ratio.value, divisor: trace.dayCount.divisor, amountRoundedFen: trace.amountRoundedFen })
      : undefined;
  return (
    <Drawer open={line !== undefined} onClose={onClose} size={720} title={line ? `第 ${line.lineNo} 行的计算过程` : '计算过程'}>
      {line && (
        <div data-testid="trace" tabIndex={0} role="region" aria-label="计算过程">
          <Descriptions column={2} size="small" bordered style={{ marginBottom: 20 }} styles={{ label: { width: 96, whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label="类型">{label(LINE_KIND_LABELS, line.kind)}</Descriptions.Item>
            <Descriptions.Item label="结果">
              {line.eligible ? <StatusTag tone="ok">符合条件</StatusTag> : <StatusTag tone="bad">不符合条件</StatusTag>}
            </Descriptions.Item>
            <Descriptions.Item label="企业">
              <EnterpriseName name={line.enterpriseName} uscc={line.enterpriseUscc} />
            </Descriptions.Item>
            <Descriptions.Item label="贷款合同">{line.loanId ? `${line.contractNo ?? '—'}${line.bankName ? `（${line.bankName}）` : ''}` : '—'}</Descriptions.Item>
            <Descriptions.Item label="贴息金额" span={2}>
              <Amount value={line.amount} />
              {carriedText(trace as { adjustments?: Array<{ step: string; cutFen: string }>; run?: { year: number } }) && (
                <Typography.Text type="secondary">（{carriedText(trace as { adjustments?: Array<{ step: string; cutFen: string }>; run?: { year: number } })}）</Typography.Text>
              )}
            </Descriptions.Item>
            {trace.policy && (
              <Descriptions.Item label="政策依据" span={2}>
                {trace.policy.title}（{trace.policy.documentNo}，第 {trace.policy.version} 版）
              </Descriptions.Item>
            )}
            {trace.clauses && trace.clauses.length > 0 && (
              <Descriptions.Item label="引用条款" span={2}>
                {trace.clauses.map(clauseText).join('；')}
              </Descriptions.Item>
            )}
          </Descriptions>

          {line.reasons.length > 0 && (
            <Section title="不符合条件的原因">
              {line.reasons.map((reason) => (
                <Alert
                  key={reason.code}
                  type="warning"
                  showIcon
                  style={{ marginBottom: 8 }}
                  title={REASON_LABELS[reason.code] ?? '不符合政策条件'}
                  description={`${reasonText(reason)}。依据：${clauseText(reason.reference)}`}
                />
              ))}
            </Section>
          )}

          {(trace.jurisdiction || trace.rightType) && (
            <Section title="资格">
              <Descriptions column={1} size="small">
                {trace.jurisdiction && (
                  <Descriptions.Item label="注册地">
                    {trace.jurisdiction.divisionCode}（匹配 {trace.jurisdiction.matchedPrefix}）<Clause>{trace.jurisdiction.reference}</Clause>
                  </Descriptions.Item>
                )}
                {trace.rightType && (
                  <Descriptions.Item label="质押权利">
                    质押 {trace.rightType.pledged.map((type) => label(RIGHT_TYPE_LABELS, type)).join('、') || '—'}，按
                    {label(RIGHT_TYPE_LABELS, trace.rightType.counted)} 计<Clause>{trace.rightType.reference}</Clause>
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Section>
          )}

          {(trace.rate || trace.ratio || trace.window) && (
            <Section title="利率、比例与计息期">
              <Descriptions column={1} size="small">
                {trace.rate && (
                  <Descriptions.Item label="基准利率">
                    {rateIndexText(trace.rate.index)}：{trace.rate.fixingEffectiveDate} 起执行的报价 {percent(trace.rate.indexRate)}（定价日 {trace.rate.fixingDate}），采用
                    {percent(trace.rate.rate)}
                    <Clause>{trace.rate.reference}</Clause>
                  </Descriptions.Item>
                )}
                {trace.ratio && (
                  <Descriptions.Item label="贴息比例">
                    {percent(trace.ratio.value)}
                    <Clause>{trace.ratio.reference}</Clause>
                  </Descriptions.Item>
                )}
                {trace.window && (
                  <Descriptions.Item label="贴息期">
                    {trace.window.from} 至 {trace.window.toExclusive}（不含，{trace.window.months} 个月，止于{label(WINDOW_END_LABELS, trace.window.endedBy)}）；本年度计
                    {trace.window.countedFrom} 至 {trace.window.countedToExclusive}（不含），共 {trace.window.daysCounted} 天
                    <Clause>{trace.window.reference}</Clause>
                  </Descriptions.Item>
                )}
                {trace.dayCount && (
                  <Descriptions.Item label="计息基础">
                    {trace.dayCount.convention}（日数 ÷ {trace.dayCount.divisor}）<Clause>{trace.dayCount.reference}</Clause>
                  </Descriptions.Item>
                )}
                {trace.ipShare && (
                  <Descriptions.Item label="知识产权占比">
                    {percent(trace.ipShare.value)}
                    <Clause>{trace.ipShare.reference}</Clause>
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Section>
          )}

          {trace.segments && trace.segments.length > 0 && (
            <Section title="分段计算（余额 × 知识产权占比 × 天数）">
              <Table
                size="small"
                pagination={false}
                rowKey="from"
                dataSource={trace.segments}
                columns={[
                  { title: '起', dataIndex: 'from' },
                  { title: '止（不含）', dataIndex: 'toExclusive' },
                  { title: '天数', dataIndex: 'days', align: 'right', render: (days: number) => formatDays(days) },
                  { title: '贷款余额', dataIndex: 'outstandingFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                  { title: '计息基数', dataIndex: 'baseFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                ]}
              />
              {trace.baseDaysFen && (
                <Typography.Paragraph style={{ marginTop: 8 }}>
                  Σ 计息基数 × 天数 = {formatFenDays(trace.baseDaysFen)}
                </Typography.Paragraph>
              )}
            </Section>
          )}

          {trace.items && trace.items.length > 0 && (
            <Section title="费用明细">
              <Table
                size="small"
                pagination={false}
                rowKey={(item) => `${item.kind ?? ''}${item.date ?? ''}${item.amountFen}`}
                dataSource={trace.items}
                columns={[
                  { title: '类别', dataIndex: 'kind', render: (kind?: string) => (kind ? (FEE_KIND_LABELS[kind] ?? kind) : '—') },
                  { title: '日期', dataIndex: 'date', render: (date?: string) => date ?? '—' },
                  { title: '金额', dataIndex: 'amountFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                  { title: '说明', dataIndex: 'note', render: (note?: string) => itemNoteText(note) },
                ]}
              />
            </Section>
          )}

          <Section title="金额">
            <Descriptions column={1} size="small">
              {formula && <Descriptions.Item label="公式">{formula}</Descriptions.Item>}
              <Descriptions.Item label="未舍入">
                <Fen value={trace.amountUnroundedFen} />
              </Descriptions.Item>
              <Descriptions.Item label="四舍五入到分">
                <Fen value={trace.amountRoundedFen} />
              </Descriptions.Item>
            </Descriptions>
            {(trace.adjustments ?? []).length > 0 ? (
              <Table
                size="small"
                pagination={false}
                rowKey="step"
                style={{ marginTop: 8 }}
                dataSource={trace.adjustments}
                columns={[
                  { title: '上限 / 抵减', dataIndex: 'step', render: (step: string) => label(ADJUSTMENT_STEP_LABELS, step) },
                  { title: '调整前', dataIndex: 'beforeFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                  { title: '削减', dataIndex: 'cutFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                  { title: '调整后', dataIndex: 'afterFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                  { title: '依据', key: 'why', render: (_, item) => clauseText(item.reference) },
                ]}
              />
            ) : (
              <Typography.Paragraph type="secondary">没有上限削减此行。</Typography.Paragraph>
            )}
            {trace.windowCap && (trace.windowCap.earlierParts ?? []).length > 0 && (
              <div data-testid="window-cap" style={{ marginTop: 8 }}>
                <Typography.Text type="secondary">
                  单笔贷款上限 <Fen value={trace.windowCap.capFen} /> 按整个贴息期计：此前年度已计 <Fen value={trace.windowCap.earlierFen ?? '0'} />，本年度最多{' '}
                  <Fen value={trace.windowCap.partFen} />（依据：{clauseText(trace.windowCap.reference)}）
                </Typography.Text>
                <Table
                  size="small"
                  pagination={false}
                  rowKey="year"
                  style={{ marginTop: 4 }}
                  dataSource={trace.windowCap.earlierParts}
                  columns={[
                    { title: '此前年度', dataIndex: 'year' },
                    { title: '计息期间', key: 'period', render: (_, part) => `${part.countedFrom} 至 ${part.countedToExclusive}（不含）` },
                    { title: '天数', dataIndex: 'days', align: 'right' },
                    { title: '当年金额', dataIndex: 'amountFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                    { title: '计入上限', dataIndex: 'partFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                  ]}
                />
              </div>
            )}
          </Section>

          {trace.split && (
            <Section title="出资分担">
              <Table
                size="small"
                pagination={false}
                rowKey="body"
                dataSource={trace.split.shares.map((share) => ({ ...share, share: trace.split?.rule.find((rule) => rule.body === share.body)?.share }))}
                columns={[
                  { title: '出资方', dataIndex: 'body', render: (body: string) => label(FUNDING_BODY_LABELS, body) },
                  { title: '比例', dataIndex: 'share', render: (share?: string) => (share ? percent(share) : '—') },
                  { title: '金额', dataIndex: 'amountFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                ]}
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 4 }}>
                依据：{clauseText(trace.split.reference)}（分配余数按最大余额法）
              </Typography.Paragraph>
            </Section>
          )}

          {trace.budget && trace.budget.length > 0 && (
            <Section title="预算调整">
              <Table
                size="small"
                pagination={false}
                rowKey="body"
                dataSource={trace.budget}
                columns={[
                  { title: '出资方', dataIndex: 'body', render: (body: string) => label(FUNDING_BODY_LABELS, body) },
                  { title: '预算', dataIndex: 'budgetFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                  { title: '应批准', dataIndex: 'approvedFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                  { title: '系数', dataIndex: 'factor' },
                  { title: '调整前', dataIndex: 'beforeFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                  { title: '调整后', dataIndex: 'afterFen', align: 'right', render: (value: string) => <Fen value={value} /> },
                ]}
              />
            </Section>
          )}

          <Section title="解释与适用">
            {(trace.interpretations ?? []).length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无" />
            ) : (
              <ul style={{ paddingLeft: 20 }}>
                {(trace.interpretations ?? []).map((item) => (
                  <li key={item.parameter}>
                    {interpretationText(item)}
                    <Clause>{item.reference}</Clause>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
      )}
    </Drawer>
  );
}
