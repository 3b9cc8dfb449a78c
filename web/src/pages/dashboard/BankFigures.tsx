/**
 * A partner bank's own figures at the top of 总览 (GET /api/v1/banks/{id}/figures): its loans by status, what the
 * approved subsidy runs granted on its loans per year and policy, and its claims on the risk-compensation fund.
 * Each figure links to the page where it is worked on.
 */
import { Card, Col, Empty, Row, Statistic, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { LoadProblem } from '../../components/LoadProblem';
import { label, LOAN_STATUS_LABELS } from '../../format/labels';
import { formatAmount } from '../../format/money';

type Figures = paths['/api/v1/banks/{id}/figures']['get']['responses'][200]['content']['application/json'];

const CLAIM_STATUS_LABELS: Record<string, string> = { submitted: '待审核', approved: '已批准', paid: '已支付', rejected: '已驳回' };

export function BankFigures({ bankId }: { bankId: string }) {
  const figures = useLoad(() => api.GET('/api/v1/banks/{id}/figures', { params: { path: { id: bankId } } }), [bankId]);
  const f = figures.data;
  return (
    <>
      <LoadProblem problem={figures.problem} />
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {f ? f.bankName : '本行'}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card loading={figures.loading && !f} title="本行贷款" extra={<Link to="/loans">查看贷款</Link>}>
            {f && (
              <>
                <Statistic title={`贷款 ${f.loans.count} 笔，合同金额`} value={formatAmount(f.loans.principal)} />
                <Statistic title="贷款余额" value={formatAmount(f.loans.outstandingPrincipal)} style={{ marginTop: 12 }} />
                <Typography.Text type="secondary">已收利息 {formatAmount(f.loans.interestPaid)}</Typography.Text>
                <ul aria-label="按状态" style={{ margin: '12px 0 0', paddingLeft: 20 }}>
                  {f.loans.byStatus.map((s) => (
                    <li key={s.status}>
                      {label(LOAN_STATUS_LABELS, s.status)} {s.count} 笔，余额 <Amount value={s.outstandingPrincipal} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card loading={figures.loading && !f} title="风险补偿代偿申请" extra={<Link to="/fund?tab=claims">查看申请</Link>}>
            {f && f.claims.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无代偿申请" />}
            {f && f.claims.length > 0 && (
              <ul aria-label="代偿申请按状态" style={{ margin: 0, paddingLeft: 20 }}>
                {f.claims.map((c) => (
                  <li key={c.status}>
                    {label(CLAIM_STATUS_LABELS, c.status)} {c.count} 笔，<Amount value={c.amount} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card loading={figures.loading && !f} title="借款企业获得的贴息">
            {f && f.subsidies.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无已批准的贴息" />}
            {f && f.subsidies.length > 0 && <SubsidyTable rows={f.subsidies} />}
          </Card>
        </Col>
      </Row>
    </>
  );
}

function SubsidyTable({ rows }: { rows: Figures['subsidies'] }) {
  return (
    <Table<Figures['subsidies'][number]>
      rowKey={(row) => `${row.year}-${row.policyId}`}
      dataSource={rows}
      pagination={false}
      size="small"
      columns={[
        { title: '年度', dataIndex: 'year' },
        { title: '政策', dataIndex: 'policyTitle', render: (title: string | null, row) => title?.split('：')[0] ?? row.policyId },
        { title: '企业 / 贷款', key: 'count', render: (_, row) => `${row.enterprises} 家 / ${row.loans} 笔` },
        { title: '核定贴息', dataIndex: 'granted', align: 'right', render: (value: string) => <Amount value={value} /> },
        { title: '已拨付', dataIndex: 'paid', align: 'right', render: (value: string) => <Amount value={value} /> },
      ]}
    />
  );
}
