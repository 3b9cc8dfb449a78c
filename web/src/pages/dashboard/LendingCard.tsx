/**
 * IP-pledge lending in an area and a year (default: the last complete year) against that area's own targets, as the
 * documents set them and staff keep them (GET /api/v1/reports/portfolio?area=&year=, one call for every year up to the
 * one chosen): only the loans of enterprises registered in the area count; a target line only where a document sets a
 * figure; the per-10,000-people indicator once staff have entered the population. By bank and right type, and the
 * lending to white-listed enterprises (GET /api/v1/reports/whitelist-lending).
 */
import { Alert, Col, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { BarChart } from '../../components/BarChart';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { StatusTag } from '../../components/StatusTag';
import { label, RIGHT_TYPE_LABELS } from '../../format/labels';
import { formatAmount, toFen } from '../../format/money';
import { AreaTargetsDrawer } from './AreaTargetsDrawer';
import { growthText } from './growth';

type Portfolio = paths['/api/v1/reports/portfolio']['get']['responses'][200]['content']['application/json'];
type TargetResult = Portfolio['targets'][number];

/** Yuan as 万元 for chart labels: "123456789.00" → "12,345.68万". */
function tenThousands(amount: string): string {
  const fen = toFen(amount);
  // 1 万元 = 1,000,000 fen; hundredths of 万 = fen ÷ 10,000, rounded half up.
  const hundredthsOfWan = (fen + 5000n) / 10000n;
  const wan = hundredthsOfWan / 100n;
  const rest = hundredthsOfWan % 100n;
  return `${wan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${rest.toString().padStart(2, '0')}万`;
}

/** The last complete year in China (UTC+8), as the API's default. */
const lastCompleteYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear() - 1;

const SCOPE_TEXT: Record<TargetResult['scope'], string> = { ip: '知识产权质押融资', patent: '专利质押融资' };

const met = (value: boolean | null) =>
  value === null ? null : value ? <StatusTag tone="ok">达到</StatusTag> : <StatusTag tone="bad">未达到</StatusTag>;

/** One target in force, in a sentence: the figure set, what happened, met or not, and the clause. */
function TargetLine({ target, year }: { target: TargetResult; year: number }) {
  const cite = <Typography.Text type="secondary">（{target.reference}）</Typography.Text>;
  switch (target.measure) {
    case 'annual_amount':
      return (
        <span data-target={target.measure}>
          {met(target.met)} 年度目标：{SCOPE_TEXT[target.scope]}不低于 {formatAmount(target.target!)}，{year} 年 {formatAmount(target.actual!)}
          {cite}
        </span>
      );
    case 'annual_growth':
      return (
        <span data-target={target.measure}>
          {target.met === null ? <StatusTag tone="muted">上年无数据</StatusTag> : met(target.met)} 增长目标：{SCOPE_TEXT[target.scope]}每年增长不低于{' '}
          {growthText(target.target)}，{year} 年同比 {growthText(target.actual)}
          {cite}
        </span>
      );
    case 'cumulative_amount':
      return (
        <span data-target={target.measure}>
          {met(target.met)} {target.countedFromYear}–{year} 年累计新增{SCOPE_TEXT[target.scope]} {formatAmount(target.actual!)}，目标不低于{' '}
          {formatAmount(target.target!)}
          {cite}
        </span>
      );
    case 'per_10k_people':
      return target.population ? (
        <span data-target={target.measure}>
          每万人新增{SCOPE_TEXT[target.scope]}登记金额 {formatAmount(target.actual!)}（按 {target.population.year} 年人口{' '}
          {target.population.population.toLocaleString('zh-CN')} 人，{target.population.reference}）{cite}
        </span>
      ) : (
        <span data-target={target.measure}>
          每万人新增{SCOPE_TEXT[target.scope]}登记金额：录入该地区人口后显示{cite}
        </span>
      );
    case 'monitoring':
      return (
        <span data-target={target.measure}>
          数据监测：{year} 年{SCOPE_TEXT[target.scope]} {formatAmount(target.actual!)}，文件未设数额目标{cite}
        </span>
      );
  }
}

export default function LendingCard() {
  const thisYear = lastCompleteYear() + 1;
  const [year, setYear] = useState(lastCompleteYear);
  const areas = useLoad(() => allPages((cursor) => api.GET('/api/v1/areas', { params: { query: wholeListPage(cursor) } })), []);
  // An area chosen, or the first one (the documents' own order); '' is every area together, with no target.
  const [chosenArea, setArea] = useState<string>();
  const area = chosenArea ?? areas.data?.items[0]?.code;
  const [editing, setEditing] = useState(false);
  const report = useLoad(
    async () =>
      area === undefined && !areas.problem && !areas.data
        ? { data: undefined }
        : api.GET('/api/v1/reports/portfolio', { params: { query: { year, ...(area ? { area } : {}) } } }),
    [year, area, areas.data, areas.problem],
  );
  const listed = useLoad(() => api.GET('/api/v1/reports/whitelist-lending', { params: { query: { year } } }), [year]);
  const r = report.data;
  const yearOptions = Array.from({ length: 8 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: `${y} 年` }));
  const areaOptions = [...(areas.data?.items ?? []).map((a) => ({ value: a.code, label: a.name })), { value: '', label: '全部地区（不对照目标）' }];
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select aria-label="地区" value={area} onChange={setArea} options={areaOptions} style={{ width: 200 }} loading={areas.loading} />
        <Select aria-label="年度" value={year} onChange={setYear} options={yearOptions} style={{ width: 110 }} />
        {area && (
          <OperationButton operation="POST /api/v1/areas/{code}/targets" onClick={() => setEditing(true)}>
            目标与人口
          </OperationButton>
        )}
      </Space>
      <LoadProblem problem={areas.problem ?? report.problem} />
      {r && <LendingFigures report={r} />}
      <LoadProblem problem={listed.problem} />
      {listed.data && (
        <Typography.Paragraph style={{ marginTop: 12 }} data-testid="whitelist-lending">
          {year} 年合作银行向白名单企业发放质押贷款 {listed.data.loanCount} 笔，合计 <Amount value={listed.data.principal} />
          {listed.data.byBank.length > 0 && `（${listed.data.byBank.map((b) => `${b.bankName} ${formatAmount(b.principal)}`).join('；')}）`}。
        </Typography.Paragraph>
      )}
      {editing && area && (
        <AreaTargetsDrawer
          areaCode={area}
          areaName={areas.data?.items.find((a) => a.code === area)?.name ?? area}
          onClose={() => setEditing(false)}
          onChanged={report.reload}
        />
      )}
    </>
  );
}

function LendingFigures({ report: r }: { report: Portfolio }) {
  const years = r.years.filter((y) => y.year >= r.year - 6 && y.year <= r.year);
  const amountTarget = r.targets.find((target) => target.measure === 'annual_amount');
  const where = r.area ? r.area.name : '全部地区';
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={8}>
        <Statistic title={`${r.year} 年${where}知识产权质押融资额`} value={formatAmount(r.total.principal)} />
        <Space direction="vertical" size={4} data-testid="targets">
          {r.area && r.targets.length === 0 && <Typography.Text type="secondary">文件未对{r.area.name} {r.year} 年设定目标。</Typography.Text>}
          {!r.area && <Typography.Text type="secondary">各地区的目标由各自的文件设定：选择一个地区对照。</Typography.Text>}
          {r.targets.map((target) => (
            <TargetLine key={target.id} target={target} year={r.year} />
          ))}
          {!r.targets.some((target) => target.measure === 'annual_growth') && (
            <span>
              同比 {growthText(r.total.growth)}（专利 {growthText(r.patent.growth)}）
            </span>
          )}
        </Space>
      </Col>
      <Col xs={24} md={16}>
        {years.length > 0 ? (
          <BarChart
            title={`${where}各年知识产权质押融资额${amountTarget ? `（虚线为年度目标 ${tenThousands(amountTarget.target!)}）` : ''}`}
            {...(amountTarget ? { target: { value: Number(amountTarget.target), label: `目标 ${tenThousands(amountTarget.target!)}` } } : {})}
            bars={years.map((y) => ({ label: String(y.year), value: Number(y.principal), valueLabel: tenThousands(y.principal) }))}
          />
        ) : (
          <Alert type="info" showIcon title={`${where}尚无质押贷款`} />
        )}
      </Col>
      <Col xs={24} lg={12}>
        <Table
          rowKey="bankId"
          size="small"
          pagination={false}
          title={() => `${r.year} 年按银行`}
          dataSource={r.byBank}
          columns={[
            { title: '银行', dataIndex: 'bankName' },
            { title: '笔数', dataIndex: 'count', align: 'right' },
            { title: '融资额', dataIndex: 'principal', align: 'right', render: (v: string) => <Amount value={v} /> },
            { title: '同比', dataIndex: 'growth', align: 'right', render: growthText },
          ]}
        />
      </Col>
      <Col xs={24} lg={12}>
        <Table
          rowKey="rightType"
          size="small"
          pagination={false}
          title={() => `${r.year} 年按权利类型`}
          dataSource={r.byRightType}
          columns={[
            { title: '权利类型', dataIndex: 'rightType', render: (t: string) => label(RIGHT_TYPE_LABELS, t) },
            { title: '笔数', dataIndex: 'count', align: 'right' },
            { title: '融资额', dataIndex: 'principal', align: 'right', render: (v: string) => <Amount value={v} /> },
            { title: '同比', dataIndex: 'growth', align: 'right', render: growthText },
          ]}
        />
      </Col>
    </Row>
  );
}
