/** The fund's contributions (GET …/contributions, by date, filterable by funding body); staff and finance record one. */
import { PlusOutlined } from '@ant-design/icons';
import { DatePicker, Form, Input, Select, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { useMe } from '../../auth/session';
import { Amount } from '../../components/Amount';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { chinaToday, DATE_FORMAT, toApiDate } from '../../format/date';
import { FUNDING_BODY_LABELS, label } from '../../format/labels';
import { FilterBar } from '../../components/FilterBar';
import { FormDialog } from '../../components/FormDialog';
import { MONEY_RULES } from './forms';
import type { Fund } from './FundPage';

type Contribution = paths['/api/v1/funds/{id}/contributions']['get']['responses'][200]['content']['application/json']['items'][number];

export function ContributionsTab({ fund, onChanged }: { fund: Fund; onChanged: () => void }) {
  const [body, setBody] = useState<string>();
  const [recording, setRecording] = useState(false);
  const pager = useCursor(20);
  const page = useLoad(
    () => api.GET('/api/v1/funds/{id}/contributions', { params: { path: { id: fund.id }, query: { body, limit: pager.limit, cursor: pager.cursor } } }),
    [fund.id, body, pager.limit, pager.cursor],
  );
  return (
    <>
      <FilterBar
        extra={
          <OperationButton operation="POST /api/v1/funds/{id}/contributions" type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)}>
            登记出资
          </OperationButton>
        }
      >
        <Select
          aria-label="出资方"
          allowClear
          placeholder="全部出资方"
          style={{ width: 160 }}
          value={body}
          onChange={(value?: string) => {
            pager.reset();
            setBody(value);
          }}
          options={fund.bodies.map((b) => ({ value: b, label: label(FUNDING_BODY_LABELS, b) }))}
        />
      </FilterBar>
      <LoadProblem problem={page.problem} />
      <Table<Contribution>
        rowKey="id"
        loading={page.loading}
        dataSource={page.data?.items ?? []}
        pagination={false}
        size="middle"
        columns={[
          { title: '出资日期', dataIndex: 'date' },
          { title: '出资方', dataIndex: 'body', render: (b: string) => label(FUNDING_BODY_LABELS, b) },
          { title: '金额', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '总账分录', dataIndex: 'entryId' },
        ]}
      />
      <CursorPager state={pager} nextCursor={page.data?.nextCursor} loading={page.loading} />
      {recording && (
        <ContributionDialog
          fund={fund}
          onClose={() => setRecording(false)}
          onDone={() => {
            setRecording(false);
            page.reload();
            onChanged();
          }}
        />
      )}
    </>
  );
}

interface ContributionValues {
  body: string;
  amount: string;
  date: Dayjs;
}

function ContributionDialog({ fund, onClose, onDone }: { fund: Fund; onClose: () => void; onDone: () => void }) {
  const me = useMe();
  // A finance principal records only its own body's contributions (the API refuses the others).
  const bodies = me.role === 'finance' ? fund.bodies.filter((b) => b === me.body) : fund.bodies;
  const record = useCallback(
    (values: ContributionValues, key: string) =>
      api.POST('/api/v1/funds/{id}/contributions', {
        params: { path: { id: fund.id }, header: { 'Idempotency-Key': key } },
        body: { body: values.body, amount: values.amount.trim(), date: toApiDate(values.date)! },
      }),
    [fund.id],
  );
  return (
    <FormDialog<ContributionValues, unknown>
      title={`登记出资：${fund.name}`}
      name="contribution"
      okText="登记"
      submit={record}
      onDone={onDone}
      onClose={onClose}
      initialValues={{ body: bodies.length === 1 ? bodies[0] : undefined, date: chinaToday() }}
    >
      <Form.Item label="出资方" name="body" rules={[{ required: true, message: '请选择出资方' }]}>
        <Select options={bodies.map((b) => ({ value: b, label: label(FUNDING_BODY_LABELS, b) }))} />
      </Form.Item>
      <Form.Item label="金额（元）" name="amount" rules={MONEY_RULES}>
        <Input inputMode="decimal" placeholder="5000000.00" />
      </Form.Item>
      <Form.Item label="出资日期" name="date" rules={[{ required: true, message: '请选择日期' }]}>
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
    </FormDialog>
  );
}
