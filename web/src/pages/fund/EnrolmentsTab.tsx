/**
 * The loans enrolled in the fund (a bank sees only its own), with the covered principal each uses of capital ×
 * leverage: filtered, sorted and paged on the server, with the totals of every matching enrolment.
 */
import { formatMultiple } from '../../format/figures';
import { Select, Table, Typography, type TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { FilterBar } from '../../components/FilterBar';
import { LoadProblem } from '../../components/LoadProblem';
import { sortOf, sortOrder } from '../../components/serverSort';
import { OperationButton } from '../../components/OperationButton';
import { StatusTag } from '../../components/StatusTag';
import { EnrolDialog, WithdrawDialog } from './FundDialogs';
import { useLoanNames } from './loanNames';
import type { Fund } from './FundPage';

type EnrolmentQuery = NonNullable<paths['/api/v1/funds/{id}/enrolments']['get']['parameters']['query']>;
type Enrolment = paths['/api/v1/funds/{id}/enrolments']['get']['responses'][200]['content']['application/json']['items'][number];

const SORTABLE = ['date', 'coveredPrincipal'] as const;

export function EnrolmentsTab({ fund, onChanged }: { fund: Fund; onChanged: () => void }) {
  const [enrolling, setEnrolling] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Enrolment>();
  const loans = useLoanNames();
  const [sort, setSort] = useState<EnrolmentQuery['sort']>();
  const [status, setStatus] = useState<EnrolmentQuery['status']>();
  const pager = useCursor(20);
  const enrolments = useLoad(
    () => api.GET('/api/v1/funds/{id}/enrolments', { params: { path: { id: fund.id }, query: { sort, status, limit: pager.limit, cursor: pager.cursor } } }),
    [fund.id, sort, status, pager.limit, pager.cursor],
  );
  const banks = useLoad(() => allPages((cursor) => api.GET('/api/v1/banks', { params: { query: wholeListPage(cursor) } })), []);
  const bankName = (id: string) => banks.data?.items.find((bank) => bank.id === id)?.name ?? '—';
  const totals = enrolments.data?.totals;
  const done = (close: () => void) => {
    close();
    enrolments.reload();
    onChanged();
  };
  return (
    <>
      <LoadProblem problem={enrolments.problem} />
      <FilterBar
        extra={
          <OperationButton operation="POST /api/v1/funds/{id}/enrolments" type="primary" icon={<PlusOutlined />} onClick={() => setEnrolling(true)}>
            贷款入池
          </OperationButton>
        }
      >
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
      </FilterBar>
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
          { title: '贷款', dataIndex: 'loanId', render: (id: string) => <Link to={`/loans/${id}`}>{loans.name(id)}</Link> },
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
          {
            title: '操作',
            key: 'actions',
            render: (_, enrolment) =>
              enrolment.withdrawnOn ? null : (
                <OperationButton operation="POST /api/v1/funds/{id}/enrolments/{enrolmentId}/withdrawal" size="small" onClick={() => setWithdrawing(enrolment)}>
                  退出
                </OperationButton>
              ),
          },
        ]}
      />
      {totals && <Typography.Text type="secondary">共 {totals.count} 笔</Typography.Text>}
      <CursorPager state={pager} nextCursor={enrolments.data?.nextCursor} loading={enrolments.loading} />
      {enrolling && <EnrolDialog fund={fund} onClose={() => setEnrolling(false)} onDone={() => done(() => setEnrolling(false))} />}
      {withdrawing && (
        <WithdrawDialog
          fund={fund}
          enrolment={withdrawing}
          loanName={loans.name(withdrawing.loanId)}
          onClose={() => setWithdrawing(undefined)}
          onDone={() => done(() => setWithdrawing(undefined))}
        />
      )}
    </>
  );
}
