/** 贴息: the yearly runs (GET /api/v1/subsidy-runs, cursor-paged), and for staff a form to compute one. */
import { CalculatorOutlined } from '@ant-design/icons';
import { Form, InputNumber, Select, Table } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { sortOf, sortOrder } from '../../components/serverSort';
import { Amount } from '../../components/Amount';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { StatusTag } from '../../components/StatusTag';
import { formatInstant } from '../../format/date';
import { FUNDING_BODY_LABELS, label } from '../../format/labels';
import { CreateRunDialog } from './CreateRunDialog';
import { RUN_KIND_LABELS, RUN_STATUS_LABELS } from './labels';

type RunQuery = NonNullable<paths['/api/v1/subsidy-runs']['get']['parameters']['query']>;
export type RunSummary = paths['/api/v1/subsidy-runs']['get']['responses'][200]['content']['application/json']['items'][number];

export function RunStatusTag({ status }: { status: string }) {
  const tone = status === 'paid' || status === 'approved' || status === 'partially_paid' ? 'ok' : status === 'draft' ? 'muted' : 'info';
  return <StatusTag tone={tone}>{label(RUN_STATUS_LABELS, status)}</StatusTag>;
}

export function RunList() {
  const navigate = useNavigate();
  const [form] = Form.useForm<{ year?: number; status?: RunQuery['status'] }>();
  const [filter, setFilter] = useState<RunQuery>({});
  const [creating, setCreating] = useState(false);
  const pager = useCursor(50);
  // Sorted on the server: by year or total from the column headers (default: oldest first).
  const [sort, setSort] = useState<RunQuery['sort']>();
  const runs = useLoad(
    () => api.GET('/api/v1/subsidy-runs', { params: { query: { ...filter, sort, limit: pager.limit, cursor: pager.cursor } } }),
    [filter, sort, pager.limit, pager.cursor],
  );

  return (
    <>
      <PageTitle
        extra={
          <OperationButton operation="POST /api/v1/subsidy-runs" type="primary" icon={<CalculatorOutlined />} onClick={() => setCreating(true)}>
            计算年度贴息
          </OperationButton>
        }
      >
        贴息
      </PageTitle>
      <Form
        name="runFilter"
        form={form}
        layout="inline"
        style={{ marginBottom: 16 }}
        onValuesChange={(_, values) => {
          pager.reset();
          setFilter({ year: values.year ?? undefined, status: values.status });
        }}
      >
        <Form.Item label="年度" name="year">
          <InputNumber min={2000} max={2100} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item label="状态" name="status">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 130 }}
            options={Object.entries(RUN_STATUS_LABELS).map(([value, text]) => ({ value, label: text }))}
          />
        </Form.Item>
      </Form>
      <LoadProblem problem={runs.problem} />
      <Table<RunSummary>
        rowKey="id"
        loading={runs.loading}
        dataSource={runs.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        onChange={(_pagination, _filters, sorter) => {
          pager.reset();
          setSort(sortOf(sorter, ['year', 'total']) as RunQuery['sort']);
        }}
        columns={[
          {
            title: '批次',
            key: 'year',
            dataIndex: 'year',
            sorter: true,
            sortOrder: sortOrder(sort, 'year'),
            render: (_year: number, run) => <Link to={`/subsidy/${run.id}`}>{run.title}</Link>,
          },
          { title: '类型', dataIndex: 'kind', render: (kind: string) => label(RUN_KIND_LABELS, kind) },
          { title: '政策版本', dataIndex: 'policyVersion', render: (version: number) => `第 ${version} 版` },
          { title: '复核 / 批准', key: 'people', render: (_, run) => [run.reviewedByName, run.approvedByName].filter(Boolean).join(' / ') || '—' },
          { title: '状态', dataIndex: 'status', render: (status: string) => <RunStatusTag status={status} /> },
          { title: '行数', dataIndex: 'lineCount', align: 'right' },
          { title: '合计', key: 'total', dataIndex: 'total', align: 'right', sorter: true, sortOrder: sortOrder(sort, 'total'), render: (value: string) => <Amount value={value} /> },
          {
            title: '出资分担',
            key: 'totals',
            render: (_, run) =>
              run.totals.map((item) => (
                <div key={item.body}>
                  {label(FUNDING_BODY_LABELS, item.body)} <Amount value={item.amount} />
                </div>
              )),
          },
          { title: '公示期', key: 'publicity', render: (_, run) => (run.publicityFrom ? `${run.publicityFrom} 至 ${run.publicityTo}` : '—') },
          { title: '计算时间', dataIndex: 'computedAt', render: formatInstant },
        ]}
      />
      <CursorPager state={pager} nextCursor={runs.data?.nextCursor} loading={runs.loading} />
      {creating && <CreateRunDialog onClose={() => setCreating(false)} onOpen={(id) => navigate(`/subsidy/${id}`)} />}
    </>
  );
}
