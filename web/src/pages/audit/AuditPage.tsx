/** The audit log, newest first, filtered and paged on the server (GET /api/v1/audit-log). */
import { DatePicker, Form, Select, Table, Tooltip } from 'antd';
import { ACTION_LABELS, auditActionText, auditDetailText, OPERATION_LABELS } from '../../catalogue';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { FilterBar } from '../../components/FilterBar';
import { PageTitle } from '../../components/PageTitle';
import { StatusTag } from '../../components/StatusTag';
import { DATE_FORMAT, formatInstant, toApiDate } from '../../format/date';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { showProblemOnForm, type UnplacedProblem } from '../../forms/problem';

type AuditQuery = NonNullable<paths['/api/v1/audit-log']['get']['parameters']['query']>;
type AuditRow = paths['/api/v1/audit-log']['get']['responses'][200]['content']['application/json']['items'][number];

interface FilterValues {
  principalId?: string;
  action?: string;
  from?: Dayjs | null;
  to?: Dayjs | null;
}

/** The filter's choices: each action by its Chinese name (the API filters on the stored action). */
const ACTION_OPTIONS = [...Object.entries(ACTION_LABELS), ...Object.entries(OPERATION_LABELS).filter(([operation]) => !operation.startsWith('GET '))].map(
  ([value, text]) => ({ value, label: `${text}${value.includes('/') ? '（请求）' : ''}` }),
);

const toQuery = (values: FilterValues): AuditQuery => ({
  principalId: values.principalId || undefined,
  action: values.action?.trim() || undefined,
  from: toApiDate(values.from),
  to: toApiDate(values.to),
});

export default function AuditPage() {
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<AuditQuery>({});
  const [problem, setProblem] = useState<UnplacedProblem>();
  const pager = useCursor(50);
  const principals = useLoad(() => allPages((cursor) => api.GET('/api/v1/principals', { params: { query: wholeListPage(cursor) } })), []);
  const page = useLoad(async () => {
    const outcome = await api.GET('/api/v1/audit-log', { params: { query: { ...filter, limit: pager.limit, cursor: pager.cursor } } });
    setProblem(outcome.error ? showProblemOnForm(form, outcome.error) : undefined);
    return outcome;
  }, [filter, pager.limit, pager.cursor]);

  const applyFilter = (values: FilterValues) => {
    pager.reset();
    setFilter(toQuery(values));
  };

  return (
    <>
      <PageTitle>审计日志</PageTitle>
      <FilterBar<FilterValues> name="auditFilter" form={form} onApply={applyFilter}>
        <Form.Item label="用户" name="principalId">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 220 }}
            placeholder="全部"
            loading={principals.loading}
            options={(principals.data?.items ?? []).map((principal) => ({ value: principal.id, label: principal.name }))}
          />
        </Form.Item>
        <Form.Item label="操作" name="action">
          <Select allowClear showSearch optionFilterProp="label" placeholder="全部" style={{ width: 220 }} options={ACTION_OPTIONS} />
        </Form.Item>
        <Form.Item label="起始日期" name="from">
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item label="截止日期" name="to">
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </FilterBar>
      <ProblemAlert problem={problem} />
      <Table<AuditRow>
        rowKey="id"
        loading={page.loading}
        dataSource={page.data?.items ?? []}
        pagination={false}
        size="middle"
        columns={[
          { title: '时间', dataIndex: 'at', render: formatInstant, width: 180 },
          { title: '用户', dataIndex: 'principalName', render: (name: string | null) => name ?? '—' },
          {
            title: '操作',
            dataIndex: 'action',
            width: 200,
            render: (action: string, row) => (
              <Tooltip title={row.path ?? action}>
                <span tabIndex={0}>{auditActionText(action)}</span>
              </Tooltip>
            ),
          },
          {
            title: '内容（变更前 → 变更后）',
            dataIndex: 'detail',
            render: (detail: Record<string, unknown>) => {
              const lines = auditDetailText(detail);
              return lines.length === 0 ? '—' : lines.map((line) => <div key={line}>{line}</div>);
            },
          },
          {
            title: '结果',
            dataIndex: 'status',
            width: 110,
            render: (status: number | null) =>
              status === null ? '—' : <StatusTag tone={status < 400 ? 'ok' : 'bad'}>{status < 400 ? '成功' : `未成功（${status}）`}</StatusTag>,
          },
        ]}
      />
      <CursorPager state={pager} nextCursor={page.data?.nextCursor} loading={page.loading} />
    </>
  );
}
