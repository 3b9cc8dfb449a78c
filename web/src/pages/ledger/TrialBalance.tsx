/** The trial balance now or as of the end of a date (GET /api/v1/ledger/trial-balance). */
import { DatePicker, Form, Input, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { FilterBar } from '../../components/FilterBar';
import { Amount } from '../../components/Amount';
import { DATE_FORMAT, toApiDate } from '../../format/date';
import { ACCOUNT_TYPE_LABELS, label } from '../../format/labels';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';

type TrialBalanceData = paths['/api/v1/ledger/trial-balance']['get']['responses'][200]['content']['application/json'];
type AccountRow = TrialBalanceData['accounts'][number];

interface Filter {
  asOf?: Dayjs | null;
  prefix?: string;
}

const load = (filter: Filter) =>
  api.GET('/api/v1/ledger/trial-balance', {
    params: { query: { asOf: toApiDate(filter.asOf), prefix: filter.prefix?.trim() || undefined } },
  });

export function TrialBalance() {
  const [form] = Form.useForm<Filter>();
  const [data, setData] = useState<TrialBalanceData>();
  const { run, submitting, problem } = useSubmit(form, load, setData);
  useEffect(() => {
    void run({});
  }, [run]);

  return (
    <>
      <FilterBar name="trialBalance" form={form} onApply={run} applyText="查询" applying={submitting}>
        <Form.Item label="截至日期" name="asOf">
          <DatePicker format={DATE_FORMAT} placeholder="今天" />
        </Form.Item>
        <Form.Item label="科目前缀" name="prefix">
          <Input placeholder="如 fund:" allowClear />
        </Form.Item>
      </FilterBar>
      <ProblemAlert problem={problem} />
      <Table<AccountRow>
        rowKey="code"
        loading={submitting}
        dataSource={data?.accounts ?? []}
        pagination={false}
        size="middle"
        columns={[
          { title: '科目代码', dataIndex: 'code', sorter: (a, b) => a.code.localeCompare(b.code), defaultSortOrder: 'ascend' },
          { title: '科目名称', dataIndex: 'name' },
          { title: '类型', dataIndex: 'type', render: (type: string) => label(ACCOUNT_TYPE_LABELS, type) },
          { title: '借方', dataIndex: 'debits', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '贷方', dataIndex: 'credits', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '余额', dataIndex: 'balance', align: 'right', render: (value: string) => <Amount value={value} /> },
        ]}
        summary={() =>
          data && (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={3}>
                <Typography.Text strong>合计{data.asOf ? `（截至 ${data.asOf}）` : ''}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <Amount value={data.totalDebits} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <Amount value={data.totalCredits} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} />
            </Table.Summary.Row>
          )
        }
      />
    </>
  );
}
