/** An account's statement between two dates (GET /api/v1/ledger/accounts/{code}/entries). */
import { DatePicker, Descriptions, Form, Select, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { FilterBar } from '../../components/FilterBar';
import { Amount } from '../../components/Amount';
import { SOURCE_KIND_LABELS, sidedBalance } from '../../catalogue';
import { chinaToday, DATE_FORMAT, toApiDate } from '../../format/date';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';

type Statement = paths['/api/v1/ledger/accounts/{code}/entries']['get']['responses'][200]['content']['application/json'];
type StatementLine = Statement['entries'][number];

interface Query {
  code: string;
  from: Dayjs;
  to: Dayjs;
}

const load = (query: Query) =>
  api.GET('/api/v1/ledger/accounts/{code}/entries', {
    params: { path: { code: query.code }, query: { from: toApiDate(query.from)!, to: toApiDate(query.to)! } },
  });

export function AccountStatement() {
  const [form] = Form.useForm<Query>();
  const accounts = useLoad(() => api.GET('/api/v1/ledger/trial-balance'), []);
  const [statement, setStatement] = useState<Statement>();
  const { run, submitting, problem } = useSubmit(form, load, setStatement, 'code');
  const normalSide = (accounts.data?.accounts ?? []).find((account) => account.code === statement?.code)?.normalSide ?? 'debit';

  return (
    <>
      <FilterBar
        name="statement"
        form={form}
        onApply={run}
        initialValues={{ from: chinaToday().startOf('year'), to: chinaToday() }}
        applyText="查询"
        applying={submitting}
      >
        <Form.Item label="账户" name="code" rules={[{ required: true, message: '请选择账户' }]}>
          <Select
            showSearch
            style={{ width: 320 }}
            placeholder="输入科目名称查找"
            loading={accounts.loading}
            options={(accounts.data?.accounts ?? []).map((account) => ({ value: account.code, label: account.nameZh }))}
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item label="起始日期" name="from" rules={[{ required: true, message: '请选择起始日期' }]}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item label="截止日期" name="to" rules={[{ required: true, message: '请选择截止日期' }]}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </FilterBar>
      <ProblemAlert problem={problem} />
      {statement && (
        <>
          <Descriptions size="small" column={4} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="账户">{statement.nameZh}</Descriptions.Item>
            <Descriptions.Item label="期间">
              {statement.from} 至 {statement.to}
            </Descriptions.Item>
            <Descriptions.Item label="期初余额">
              {sidedBalance(statement.opening, normalSide)}
            </Descriptions.Item>
            <Descriptions.Item label="期末余额">
              {sidedBalance(statement.closing, normalSide)}
            </Descriptions.Item>
          </Descriptions>
          <Table<StatementLine>
            rowKey={(line) => `${line.entryId}-${line.side}-${line.amount}`}
            dataSource={statement.entries}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            size="middle"
            columns={[
              { title: '记账日期', dataIndex: 'effectiveDate' },
              { title: '分录', dataIndex: 'entryId' },
              { title: '摘要', dataIndex: 'descriptionZh' },
              { title: '来源', render: (_, line) => SOURCE_KIND_LABELS[line.source.kind] ?? '其他' },
              { title: '方向', dataIndex: 'side', render: (side: string) => (side === 'debit' ? '借' : '贷') },
              { title: '金额', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
              { title: '余额（方向）', dataIndex: 'balance', align: 'right', render: (value: string) => sidedBalance(value, normalSide) },
            ]}
          />
        </>
      )}
    </>
  );
}
