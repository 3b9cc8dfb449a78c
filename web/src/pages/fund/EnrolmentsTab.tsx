/**
 * The loans enrolled in the fund (a bank sees only its own), with the covered principal each uses of capital ×
 * leverage: filtered, sorted and paged on the server, with the totals of every matching enrolment.
 */
import { formatMultiple } from '../../format/figures';
import { Select, Space, Table, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { LoadProblem } from '../../components/LoadProblem';
import { sortOf, sortOrder } from '../../components/serverSort';
import { StatusTag } from '../../components/StatusTag';
import type { Fund } from './FundPage';

type EnrolmentQuery = NonNullable<paths['/api/v1/funds/{id}/enrolments']['get']['parameters']['query']>;
type Enrolment = paths['/api/v1/funds/{id}/enrolments']['get']['responses'][200]['content']['application/json']['items'][number];

const SORTABLE = ['date', 'coveredPrincipal'] as const;

export function EnrolmentsTab({ fund }: { fund: Fund }) {
  const [sort, setSort] = useState<EnrolmentQuery['sort']>();
  const [status, setStatus] = useState<EnrolmentQuery['status']>();
  const pager = useCursor(20);
  const enrolments = useLoad(
    () => api.GET('/api/v1/funds/{id}/enrolments', { params: { path: { id: fund.id }, query: { sort, status, limit: pager.limit, cursor: pager.cursor } } }),
    [fund.id, sort, status, pager.limit, pager.cursor],
  );
  const banks = useLoad(() => api.GET('/api/v1/banks'), []);
  const bankName = (id: string) => banks.data?.items.find((bank) => bank.id === id)?.name ?? id;
  const totals = enrolments.data?.totals;
  return (
    <>
      <LoadProblem problem={enrolments.problem} />
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          aria-label="状态"
          allowClear
          placeholder="全部状态"
          style={{ width: 140 }}
          value={status}
          onChange={(value) => {
            pager.reset();
            setStatus(value);
          }}
          options={[
            { value: 'active', label: '在保' },
            { value: 'withdrawn', label: '已退出' },
          ]}
        />
        {totals && (
          <Typography.Text>
            在保贷款 {totals.activeCount} 笔，入池本金合计 <Amount value={totals.activeCoveredPrincipal} />（放大倍数上限 {formatMultiple(fund.leverage)}）。
          </Typography.Text>
        )}
      </Space>
      <Table<Enrolment>
        rowKey="id"
        loading={enrolments.loading}
        dataSource={enrolments.data?.items ?? []}
        pagination={false}
        size="middle"
        onChange={((_pagination, _filters, sorter) => {
          pager.reset();
          setSort(sortOf(sorter, SORTABLE) as EnrolmentQuery['sort']);
        }) satisfies TableProps<Enrolment>['onChange']}
        columns={[
          { title: '入池日期', key: 'date', dataIndex: 'date', sorter: true, sortOrder: sortOrder(sort, 'date') },
          { title: '贷款', dataIndex: 'loanId', render: (id: string) => <Link to={`/loans/${id}`}>{id.slice(0, 8)}</Link> },
          { title: '银行', dataIndex: 'bankId', render: bankName },
          {
            title: '入池本金',
            key: 'coveredPrincipal',
            dataIndex: 'coveredPrincipal',
            align: 'right',
            sorter: true,
            sortOrder: sortOrder(sort, 'coveredPrincipal'),
            render: (value: string) => <Amount value={value} />,
          },
          {
            title: '状态',
            dataIndex: 'withdrawnOn',
            render: (on: string | null) => (on ? <StatusTag tone="muted">{on} 退出</StatusTag> : <StatusTag tone="ok">在保</StatusTag>),
          },
        ]}
      />
      {totals && <Typography.Text type="secondary">共 {totals.count} 笔</Typography.Text>}
      <CursorPager state={pager} nextCursor={enrolments.data?.nextCursor} loading={enrolments.loading} />
    </>
  );
}
