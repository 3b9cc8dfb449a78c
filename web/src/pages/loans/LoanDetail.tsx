/** One loan: its terms, pledges, ledger balances and events on a timeline (GET /api/v1/loans/{id}, …/events). */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Empty, Row, Statistic, Table, Timeline } from 'antd';
import { Link, useParams } from 'react-router';
import { EnterpriseLink, EnterpriseNames } from '../enterprises/EnterpriseName';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { LoadProblem } from '../../components/LoadProblem';
import { PageTitle } from '../../components/PageTitle';
import { COLLATERAL_LABELS, EVENT_TYPE_LABELS, label, RIGHT_TYPE_LABELS } from '../../format/labels';
import { formatAmount } from '../../format/money';
import { LoanStatusTag } from './LoanStatusTag';

type Loan = paths['/api/v1/loans/{id}']['get']['responses'][200]['content']['application/json'];
type Pledge = Loan['pledges'][number];

/** "0.0345" → "3.45%", by moving the decimal point in the string (no float). */
function percent(rate: string): string {
  const [whole = '0', fraction = ''] = rate.split('.');
  const digits = `${whole}${fraction.padEnd(2, '0')}`;
  const integer = digits.slice(0, whole.length + 2).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(whole.length + 2).replace(/0+$/, '');
  return `${integer}${rest ? `.${rest}` : ''}%`;
}

export function LoanDetail() {
  const { id = '' } = useParams();
  const loan = useLoad(() => api.GET('/api/v1/loans/{id}', { params: { path: { id } } }), [id]);
  const pager = useCursor(100);
  const events = useLoad(
    () => api.GET('/api/v1/loans/{id}/events', { params: { path: { id }, query: { limit: pager.limit, cursor: pager.cursor } } }),
    [id, pager.limit, pager.cursor],
  );
  const data = loan.data;
  return (
    <>
      <PageTitle
        extra={
          <Link to="/loans">
            <Button icon={<ArrowLeftOutlined />}>返回贷款列表</Button>
          </Link>
        }
      >
        {data ? `贷款 ${data.contractNo}` : '贷款'}
      </PageTitle>
      <LoadProblem problem={loan.problem} />
      {data && (
        <Row gutter={[16, 16]}>
          <Col xs={24} md={8}>
            <Card>
              <Statistic title="贷款余额" value={formatAmount(data.outstandingPrincipal)} />
            </Card>
          </Col>
          <Col xs={24} md={8}>
            <Card>
              <Statistic title="累计放款" value={formatAmount(data.disbursed)} />
            </Card>
          </Col>
          <Col xs={24} md={8}>
            <Card>
              <Statistic title="已付利息" value={formatAmount(data.interestPaid)} />
            </Card>
          </Col>
          <Col xs={24} xl={14}>
            <Card title="贷款信息">
              <Descriptions column={2} size="small">
                <Descriptions.Item label="合同编号">{data.contractNo}</Descriptions.Item>
                <Descriptions.Item label="状态">
                  <LoanStatusTag loan={data} />
                </Descriptions.Item>
                <Descriptions.Item label="企业">
                  <EnterpriseNames usccs={[data.enterpriseUscc]}>
                    <EnterpriseLink uscc={data.enterpriseUscc} name={data.enterpriseName} />
                  </EnterpriseNames>
                </Descriptions.Item>
                <Descriptions.Item label="贷款银行">{data.bankName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="担保方式">{label(COLLATERAL_LABELS, data.collateral)}</Descriptions.Item>
                <Descriptions.Item label="合同金额">
                  <Amount value={data.principal} />
                </Descriptions.Item>
                <Descriptions.Item label="知识产权质押金额">
                  {data.ipPledgedAmount === null ? '合同未载明' : <Amount value={data.ipPledgedAmount} />}
                </Descriptions.Item>
                <Descriptions.Item label="年利率">{percent(data.annualRate)}</Descriptions.Item>
                <Descriptions.Item label="期限">
                  {data.startDate} 至 {data.maturityDate}
                </Descriptions.Item>
                <Descriptions.Item label="结清日">{data.settlementDate ?? '—'}</Descriptions.Item>
              </Descriptions>
            </Card>
            <Card title="质押物" style={{ marginTop: 16 }}>
              <Table<Pledge>
                rowKey={(pledge) => `${pledge.rightType}:${pledge.number}`}
                dataSource={data.pledges}
                pagination={false}
                size="small"
                columns={[
                  { title: '权利类型', dataIndex: 'rightType', render: (type: string) => label(RIGHT_TYPE_LABELS, type) },
                  { title: '号码', dataIndex: 'number' },
                  { title: '质押登记号', dataIndex: 'registrationNo', render: (no: string | null) => no ?? '—' },
                  {
                    title: '担保债权数额',
                    dataIndex: 'securedAmount',
                    render: (amount: string | null) => (amount === null ? '—' : <Amount value={amount} />),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card title="事件">
              <LoadProblem problem={events.problem} />
              {events.data?.items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无事件" />}
              <Timeline
                items={(events.data?.items ?? []).map((event) => ({
                  key: event.id,
                  color: event.type === 'overdue' || event.type === 'default' ? 'red' : 'blue',
                  content: (
                    <>
                      <strong>{event.date}</strong> {label(EVENT_TYPE_LABELS, event.type)}
                      {event.amount && <> <Amount value={event.amount} /></>}
                      {event.periodFrom && event.periodTo && ` （计息期 ${event.periodFrom} 至 ${event.periodTo}）`}
                      {event.daysOverdue !== null && ` （逾期 ${event.daysOverdue} 天）`}
                    </>
                  ),
                }))}
              />
              <CursorPager state={pager} nextCursor={events.data?.nextCursor} loading={events.loading} />
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
