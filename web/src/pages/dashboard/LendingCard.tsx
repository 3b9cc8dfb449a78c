/**
 * IP-pledge lending per year against the policy documents' targets (GET /api/v1/reports/portfolio, one call for every
 * year up to the one chosen), by bank and right type, and the lending to white-listed enterprises
 * (GET /api/v1/reports/whitelist-lending):
 *   000 § 二: ≥ 100 million CNY of IP-pledge financing a year, patent-pledge financing +30 % a year;
 *   002: ≥ 10 million CNY of new pledge financing over 2022–2024.
 */
import { Alert, Col, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { BarChart } from '../../components/BarChart';
import { LoadProblem } from '../../components/LoadProblem';
import { StatusTag } from '../../components/StatusTag';
import { label, RIGHT_TYPE_LABELS } from '../../format/labels';
import { formatAmount, sumAmounts, toFen } from '../../format/money';

type Portfolio = paths['/api/v1/reports/portfolio']['get']['responses'][200]['content']['application/json'];

/** 002: at least 10,000,000.00 CNY of new pledge financing over 2022–2024. */
const TARGET_002 = { fromYear: 2022, toYear: 2024, amount: '10000000.00', reference: '002' } as const;

/** "0.3125" → "31.25%" by moving the decimal point in the string. */
function growthText(growth: string | null): string {
  if (growth === null) return '—';
  const negative = growth.startsWith('-');
  const [whole = '0', fraction = ''] = growth.replace('-', '').split('.');
  const digits = `${whole}${fraction.padEnd(4, '0')}`;
  const integer = digits.slice(0, whole.length + 2).replace(/^0+(?=\d)/, '');
  return `${negative ? '-' : ''}${integer}.${digits.slice(whole.length + 2, whole.length + 4)}%`;
}

/** Yuan as 万元 for chart labels: "123456789.00" → "12,345.68万". */
function tenThousands(amount: string): string {
  const fen = toFen(amount);
  // 1 万元 = 1,000,000 fen; hundredths of 万 = fen ÷ 10,000, rounded half up.
  const hundredthsOfWan = (fen + 5000n) / 10000n;
  const wan = hundredthsOfWan / 100n;
  const rest = hundredthsOfWan % 100n;
  return `${wan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${rest.toString().padStart(2, '0')}万`;
}

export default function LendingCard() {
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const report = useLoad(() => api.GET('/api/v1/reports/portfolio', { params: { query: { year } } }), [year]);
  const listed = useLoad(() => api.GET('/api/v1/reports/whitelist-lending', { params: { query: { year } } }), [year]);
  const r = report.data;
  const yearOptions = Array.from({ length: 8 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: `${y} 年` }));
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select aria-label="年度" value={year} onChange={setYear} options={yearOptions} style={{ width: 110 }} />
        {r && <Typography.Text type="secondary">目标依据：{r.targets.reference}、002</Typography.Text>}
      </Space>
      <LoadProblem problem={report.problem} />
      {r && <LendingFigures report={r} />}
      <LoadProblem problem={listed.problem} />
      {listed.data && (
        <Typography.Paragraph style={{ marginTop: 12 }} data-testid="whitelist-lending">
          {year} 年合作银行向白名单企业发放质押贷款 {listed.data.loanCount} 笔，合计 <Amount value={listed.data.principal} />
          {listed.data.byBank.length > 0 && `（${listed.data.byBank.map((b) => `${b.bankName} ${formatAmount(b.principal)}`).join('；')}）`}。
        </Typography.Paragraph>
      )}
    </>
  );
}

function LendingFigures({ report: r }: { report: Portfolio }) {
  const years = r.years.filter((y) => y.year >= r.year - 6);
  const window002 = r.years.filter((y) => y.year >= TARGET_002.fromYear && y.year <= TARGET_002.toYear);
  const total002 = sumAmounts(window002.map((y) => y.principal));
  const meets002 = toFen(total002) >= toFen(TARGET_002.amount);
  const target = r.targets.pledgeFinancingPerYearMin;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={8}>
        <Statistic title={`${r.year} 年知识产权质押融资额`} value={formatAmount(r.total.principal)} />
        <Space direction="vertical" size={4}>
          <span>
            {r.total.meetsAmountTarget ? <StatusTag tone="ok">达到</StatusTag> : <StatusTag tone="bad">未达到</StatusTag>} 年度目标 {formatAmount(target)}（{r.targets.reference}）
          </span>
          <span>
            专利质押融资 {formatAmount(r.patent.principal)}，同比 {growthText(r.patent.growth)}{' '}
            {r.patent.meetsGrowthTarget === null ? (
              <StatusTag tone="muted">上年无数据</StatusTag>
            ) : r.patent.meetsGrowthTarget ? (
              <StatusTag tone="ok">达到增长 30%</StatusTag>
            ) : (
              <StatusTag tone="bad">未达增长 30%</StatusTag>
            )}
          </span>
          <span>
            2022–2024 年新增 {formatAmount(total002)}{' '}
            {meets002 ? <StatusTag tone="ok">达到</StatusTag> : <StatusTag tone="bad">未达到</StatusTag>} 目标 {formatAmount(TARGET_002.amount)}（002）
          </span>
        </Space>
      </Col>
      <Col xs={24} md={16}>
        {years.length > 0 ? (
          <BarChart
            title="各年知识产权质押融资额（虚线为年度目标 1 亿元）"
            target={{ value: Number(target), label: `目标 ${tenThousands(target)}` }}
            bars={years.map((y) => ({ label: String(y.year), value: Number(y.principal), valueLabel: tenThousands(y.principal) }))}
          />
        ) : (
          <Alert type="info" showIcon title="尚无质押贷款" />
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
