/**
 * The comparison of a reform simulation (`POST /api/v1/simulations`): per funding body as a chart (baseline beside
 * reform) and a table, the enterprises with their differences, the loans a page at a time with each loan's
 * calculation both ways in a drawer, and the whole comparison as XLSX. Used by 政策模拟 and by a new policy version's
 * 先试算.
 */
import { Alert, Button, Card, Descriptions, Drawer, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, type Problem } from '../../api/client';
import { download } from '../../api/download';
import type { paths } from '../../api/schema';
import { Amount } from '../../components/Amount';
import { BarChart } from '../../components/BarChart';
import { LoadProblem } from '../../components/LoadProblem';
import { formatPercent } from '../../format/figures';
import { EVENT_TYPE_LABELS, FUNDING_BODY_LABELS, label } from '../../format/labels';
import { formatAmount, toFen } from '../../format/money';
import { PARAMETER_LABELS } from '../policies/parameters';
import { ADJUSTMENT_STEP_LABELS } from '../subsidy/labels';
import { clauseText, reasonText } from '../../catalogue/subsidy';
import { rateIndexText } from '../../catalogue/rates';

export type SimulationRequest = paths['/api/v1/simulations']['post']['requestBody']['content']['application/json'];
export type SimulationAnswer = paths['/api/v1/simulations']['post']['responses'][200]['content']['application/json'];
type Line = SimulationAnswer['lines'][number];

const PAGE = 50;

/** Runs a simulation: its answer, or the problem the API answered. */
export async function runSimulation(body: SimulationRequest, cursor?: string): Promise<{ data?: SimulationAnswer; error?: Problem }> {
  const { data, error } = await api.POST('/api/v1/simulations', { params: { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } }, body });
  return { data, error: error as Problem | undefined };
}

/** "1234.50" → a number of yuan, for drawing only (the labels keep the exact strings). */
const height = (amount: string) => Math.abs(Number(toFen(amount)) / 100);

function DeltaAmount({ value }: { value: string }) {
  const negative = value.startsWith('-') && /[1-9]/.test(value);
  const positive = !value.startsWith('-') && /[1-9]/.test(value);
  return (
    <span style={{ color: negative ? '#a8071a' : positive ? '#135200' : undefined, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {positive ? '+' : ''}
      {formatAmount(value)}
    </span>
  );
}

interface TraceView {
  formula?: string;
  ratio?: { value: string; reference: string };
  rate?: { index: string; fixingEffectiveDate: string; rate: string; reference: string };
  window?: { countedFrom: string; countedToExclusive: string; daysCounted: number };
  dayCount?: { convention: string };
  adjustments?: Array<{ step: string; cutFen: string; detail: string; reference: string }>;
  split?: { shares: Array<{ body: string; amountFen: string }> };
  budget?: Array<{ body: string; factor: string; beforeFen: string; afterFen: string }>;
  interpretations?: Array<{ parameter: string; text: string }>;
  reasons?: Array<{ code: string; message: string }>;
}

const fenText = (fen: string) => formatAmount(`${fen.slice(0, -2) || '0'}.${fen.slice(-2).padStart(2, '0')}`);

function TraceSide({ trace }: { trace: Record<string, unknown> | null }) {
  if (!trace) return <Alert type="info" showIcon title="此方案下该贷款不在本年度的贴息范围内" />;
  const view = trace as TraceView;
  return (
    <Descriptions column={1} size="small" bordered>
      {view.rate && (
        <Descriptions.Item label="基准利率">
          {rateIndexText(view.rate.index)} {formatPercent(view.rate.rate)}（{view.rate.fixingEffectiveDate} 起执行）
        </Descriptions.Item>
      )}
      {view.ratio && <Descriptions.Item label="贴息比例">{formatPercent(view.ratio.value)}（{clauseText(view.ratio.reference)}）</Descriptions.Item>}
      {view.window && (
        <Descriptions.Item label="本年度计息">
          {view.window.countedFrom} 至 {view.window.countedToExclusive}（不含），{view.window.daysCounted} 天，{view.dayCount?.convention}
        </Descriptions.Item>
      )}
      
      {(view.adjustments ?? []).map((adjustment, index) => (
        <Descriptions.Item key={`${adjustment.step}-${index}`} label="调整">
          {label(ADJUSTMENT_STEP_LABELS, adjustment.step)}：核减 {fenText(adjustment.cutFen)}（{clauseText(adjustment.reference)}）
        </Descriptions.Item>
      ))}
      {view.split && (
        <Descriptions.Item label="分担">{view.split.shares.map((share) => `${label(FUNDING_BODY_LABELS, share.body)} ${fenText(share.amountFen)}`).join('，')}</Descriptions.Item>
      )}
      {(view.budget ?? []).map((budget) => (
        <Descriptions.Item key={budget.body} label="预算压缩">
          {label(FUNDING_BODY_LABELS, budget.body)}：系数 {budget.factor}，{fenText(budget.beforeFen)} → {fenText(budget.afterFen)}
        </Descriptions.Item>
      ))}
      {(view.reasons ?? []).map((reason) => (
        <Descriptions.Item key={reason.code} label="不符合条件">
          {reasonText(reason)}
        </Descriptions.Item>
      ))}
      {(view.interpretations ?? [])
        .filter((item) => item.text.startsWith('Reform simulation'))
        .map((item) => (
          <Descriptions.Item key={item.parameter} label="已调整参数">
            {PARAMETER_LABELS[item.parameter] ?? item.parameter}
          </Descriptions.Item>
        ))}
    </Descriptions>
  );
}

function LineDrawer({ request, line, onClose }: { request: SimulationRequest; line: Line | undefined; onClose: () => void }) {
  const [traced, setTraced] = useState<{ loanId: string; line?: Line; problem?: Problem }>();
  if (line && traced?.loanId !== line.loanId) {
    setTraced({ loanId: line.loanId });
    void runSimulation({ ...request, loanId: line.loanId, trace: true }).then(({ data, error }) =>
      setTraced({ loanId: line.loanId, line: data?.lines[0], problem: error }),
    );
  }
  const shown = traced?.loanId === line?.loanId ? traced : undefined;
  return (
    <Drawer open={line !== undefined} onClose={onClose} size={760} title={line ? `贷款 ${line.contractNo ?? line.loanId} 的测算过程` : '测算过程'}>
      {line && (
        <div data-testid="simulation-trace" role="region" aria-label="测算过程" tabIndex={0}>
          <Descriptions column={2} size="small" bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label="企业">{line.enterpriseName ?? line.enterpriseUscc}</Descriptions.Item>
            <Descriptions.Item label="合同编号">{line.contractNo ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="基准">
              <Amount value={line.baseline} />
            </Descriptions.Item>
            <Descriptions.Item label="调整后">
              <Amount value={line.reform} />
            </Descriptions.Item>
            <Descriptions.Item label="差额" span={2}>
              <DeltaAmount value={line.delta} />
              {line.projected && <Tag style={{ marginInlineStart: 8 }}>含预测</Tag>}
            </Descriptions.Item>
          </Descriptions>
          {shown?.problem && <LoadProblem problem={shown.problem} />}
          {shown?.line?.traces?.projectedEvents && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title="今日之后按合同预测"
              description={shown.line.traces.projectedEvents
                .map((event) => `${event.date} ${label(EVENT_TYPE_LABELS, event.type)}${event.amount ? ` ${formatAmount(event.amount)}` : ''}`)
                .join('；')}
            />
          )}
          {shown?.line?.traces && (
            <Tabs
              items={[
                { key: 'baseline', label: '基准方案', children: <TraceSide trace={shown.line.traces.baseline} /> },
                { key: 'reform', label: '调整方案', children: <TraceSide trace={shown.line.traces.reform} /> },
              ]}
            />
          )}
        </div>
      )}
    </Drawer>
  );
}

export function SimulationResult({ request, answer: first }: { request: SimulationRequest; answer: SimulationAnswer }) {
  const [pages, setPages] = useState<{ answer: SimulationAnswer; cursors: Array<string | undefined> }>({ answer: first, cursors: [undefined] });
  const [problem, setProblem] = useState<Problem>();
  const [opened, setOpened] = useState<Line>();
  const [exporting, setExporting] = useState(false);
  const answer = pages.answer;

  const goTo = async (cursor: string | undefined, cursors: Array<string | undefined>) => {
    const { data, error } = await runSimulation(request, cursor);
    setProblem(error);
    if (data) setPages({ answer: data, cursors });
  };
  const exportXlsx = async () => {
    setExporting(true);
    try {
      const error = await download(
        () => api.POST('/api/v1/simulations', { params: { query: { limit: PAGE, format: 'xlsx' } }, body: request, parseAs: 'blob' }),
        `政策模拟测算表-${answer.year}.xlsx`,
      );
      setProblem(error);
    } finally {
      setExporting(false);
    }
  };

  const bodies = answer.delta.totals.map((item) => item.body);
  const of = (totals: Array<{ body: string; amount: string }>, body: string) => totals.find((item) => item.body === body)?.amount ?? '0.00';
  // Short labels under the bars (the body's name without 财政), so that two bars per body fit their width.
  const short = (body: string) => label(FUNDING_BODY_LABELS, body).replace(/财政$/, '');
  const bars = bodies.flatMap((body) => [
    { label: `${short(body)}·基准`, value: height(of(answer.baseline.totals, body)), valueLabel: formatAmount(of(answer.baseline.totals, body)), color: '#8c8c8c' },
    { label: `${short(body)}·调整后`, value: height(of(answer.reform.totals, body)), valueLabel: formatAmount(of(answer.reform.totals, body)) },
  ]);
  const bodyRows = [
    ...bodies.map((body) => ({ key: body, name: label(FUNDING_BODY_LABELS, body), baseline: of(answer.baseline.totals, body), reform: of(answer.reform.totals, body), delta: of(answer.delta.totals, body) })),
    { key: '__total', name: '合计', baseline: answer.baseline.total, reform: answer.reform.total, delta: answer.delta.total },
  ];
  const pageNumber = pages.cursors.length;

  return (
    <div data-testid="simulation-result">
      {problem && <LoadProblem problem={problem} />}
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={`${answer.title}（${answer.documentNo}）第 ${answer.version} 版，${answer.year} 年度：${answer.changed.length > 0 ? `调整 ${answer.changed.map((name) => PARAMETER_LABELS[name] ?? name).join('、')}` : '未调整参数'}`}
        description={`本测算不产生贴息批次、政策版本或账务记录。${answer.today} 之后的天数按合同预测（余额不变至到期，到期按期结清）：${answer.lineCount} 笔贷款中 ${answer.projectedLines} 笔含预测。${
          answer.baselineUnset.length > 0 ? `基准版本尚未设置 ${answer.baselineUnset.map((name) => PARAMETER_LABELS[name] ?? name).join('、')}，基准为零。` : ''
        }`}
      />
      <Card title="各出资方合计" size="small" style={{ marginBottom: 16 }} extra={<Button onClick={() => void exportXlsx()} loading={exporting}>导出 Excel</Button>}>
        <Space align="start" wrap size={32}>
          <BarChart title="各出资方：基准与调整后" bars={bars} />
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={bodyRows}
            columns={[
              { title: '出资方', dataIndex: 'name' },
              { title: '基准', dataIndex: 'baseline', align: 'right', render: (value: string) => <Amount value={value} /> },
              { title: '调整后', dataIndex: 'reform', align: 'right', render: (value: string) => <Amount value={value} /> },
              { title: '差额', dataIndex: 'delta', align: 'right', render: (value: string) => <DeltaAmount value={value} /> },
            ]}
          />
        </Space>
      </Card>
      <Card title={`企业（按差额大小，共 ${answer.enterpriseCount} 家）`} size="small" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="enterpriseUscc"
          dataSource={answer.enterprises}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: '企业', dataIndex: 'name', render: (name: string | null, row) => name ?? row.enterpriseUscc },
            { title: '统一社会信用代码', dataIndex: 'enterpriseUscc' },
            { title: '基准', dataIndex: 'baseline', align: 'right', render: (value: string) => <Amount value={value} /> },
            { title: '调整后', dataIndex: 'reform', align: 'right', render: (value: string) => <Amount value={value} /> },
            { title: '差额', dataIndex: 'delta', align: 'right', render: (value: string) => <DeltaAmount value={value} /> },
          ]}
        />
      </Card>
      <Card title={`贷款（按差额大小，共 ${answer.lineCount} 笔）`} size="small">
        <Table
          size="small"
          rowKey="loanId"
          dataSource={answer.lines}
          pagination={false}
          columns={[
            { title: '合同编号', dataIndex: 'contractNo', render: (value: string | null, row) => value ?? row.loanId },
            { title: '企业', dataIndex: 'enterpriseName', render: (value: string | null, row) => value ?? row.enterpriseUscc },
            { title: '基准', dataIndex: 'baseline', align: 'right', render: (value: string) => <Amount value={value} /> },
            { title: '调整后', dataIndex: 'reform', align: 'right', render: (value: string) => <Amount value={value} /> },
            { title: '差额', dataIndex: 'delta', align: 'right', render: (value: string) => <DeltaAmount value={value} /> },
            { title: '预测', dataIndex: 'projected', render: (value: boolean) => (value ? <Tag>含预测</Tag> : '—') },
            {
              title: '测算过程',
              key: 'trace',
              render: (_: unknown, row) => (
                <Button size="small" onClick={() => setOpened(row)} aria-label={`贷款 ${row.contractNo ?? row.loanId} 的测算过程`}>
                  测算过程
                </Button>
              ),
            },
          ]}
        />
        <Space style={{ marginTop: 12 }}>
          <Button disabled={pageNumber <= 1} onClick={() => void goTo(pages.cursors[pageNumber - 2], pages.cursors.slice(0, -1))}>
            上一页
          </Button>
          <Typography.Text>第 {pageNumber} 页</Typography.Text>
          <Button disabled={!answer.nextCursor} onClick={() => void goTo(answer.nextCursor ?? undefined, [...pages.cursors, answer.nextCursor ?? undefined])}>
            下一页
          </Button>
        </Space>
      </Card>
      <LineDrawer request={request} line={opened} onClose={() => setOpened(undefined)} />
    </div>
  );
}
