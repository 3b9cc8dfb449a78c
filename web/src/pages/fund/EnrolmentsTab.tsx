/** The loans enrolled in the fund (a bank sees only its own), with the covered principal each uses of capital × leverage. */
import { Table, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { LoadProblem } from '../../components/LoadProblem';
import { StatusTag } from '../../components/StatusTag';
import { sumAmounts } from '../../format/money';
import type { Fund } from './FundPage';

type Enrolment = paths['/api/v1/funds/{id}/enrolments']['get']['responses'][200]['content']['application/json']['items'][number];

/** Rows per page: the API answers every enrolment of the fund at once. */
const ROWS_PER_PAGE = 20;

export function EnrolmentsTab({ fund }: { fund: Fund }) {
  const enrolments = useLoad(() => api.GET('/api/v1/funds/{id}/enrolments', { params: { path: { id: fund.id } } }), [fund.id]);
  const banks = useLoad(() => api.GET('/api/v1/banks'), []);
  const bankName = (id: string) => banks.data?.items.find((bank) => bank.id === id)?.name ?? id;
  const items = enrolments.data?.items ?? [];
  const active = items.filter((e) => !e.withdrawnOn);
  return (
    <>
      <LoadProblem problem={enrolments.problem} />
      <Typography.Paragraph>
        在保贷款 {active.length} 笔，入池本金合计 <Amount value={sumAmounts(active.map((e) => e.coveredPrincipal))} />（放大倍数上限 {fund.leverage} 倍）。
      </Typography.Paragraph>
      <Table<Enrolment>
        rowKey="id"
        loading={enrolments.loading}
        dataSource={items}
        pagination={{ pageSize: ROWS_PER_PAGE, showSizeChanger: false, showTotal: (total) => `共 ${total} 笔` }}
        size="middle"
        columns={[
          { title: '入池日期', dataIndex: 'date', sorter: (a, b) => a.date.localeCompare(b.date) },
          { title: '贷款', dataIndex: 'loanId', render: (id: string) => <Link to={`/loans/${id}`}>{id.slice(0, 8)}</Link> },
          { title: '银行', dataIndex: 'bankId', render: bankName },
          { title: '入池本金', dataIndex: 'coveredPrincipal', align: 'right', render: (value: string) => <Amount value={value} /> },
          {
            title: '状态',
            dataIndex: 'withdrawnOn',
            render: (on: string | null) => (on ? <StatusTag tone="muted">{on} 退出</StatusTag> : <StatusTag tone="ok">在保</StatusTag>),
          },
        ]}
      />
    </>
  );
}
