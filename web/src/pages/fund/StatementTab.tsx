/**
 * The fund's cash statement for a date range (GET …/statement, from the ledger) and its export as CSV, XLSX or PDF
 * (GET …/statement/export). Reads only: shown to everyone who may read the statement.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Descriptions, Form, Table, Tooltip } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, networkProblem } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { FilterBar } from '../../components/FilterBar';
import { Amount } from '../../components/Amount';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { LoadProblem } from '../../components/LoadProblem';
import { chinaToday, DATE_FORMAT, lastCompleteYear } from '../../format/date';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { problemTitle, type UnplacedProblem } from '../../forms/problem';
import type { Fund } from './FundPage';

type Movement = paths['/api/v1/funds/{id}/statement']['get']['responses'][200]['content']['application/json']['movements'][number];
type ExportFormat = 'csv' | 'xlsx' | 'pdf';

const KIND_LABELS: Record<string, string> = { contribution: '出资', payout: '代偿支付', recovery: '追偿回收', write_off: '核销', reversal: '冲销' };

export function StatementTab({ fund, generation }: { fund: Fund; generation: number }) {
  const [range, setRange] = useState<[string, string]>(() => [`${lastCompleteYear()}-01-01`, chinaToday().format(DATE_FORMAT)]);
  const [problem, setProblem] = useState<UnplacedProblem>();
  // A page of movements at a time, from the server; opening and closing are the whole period's.
  const pager = useCursor(50);
  const statement = useLoad(
    () =>
      api.GET('/api/v1/funds/{id}/statement', {
        params: { path: { id: fund.id }, query: { from: range[0], to: range[1], limit: pager.limit, cursor: pager.cursor } },
      }),
    [fund.id, range, generation, pager.limit, pager.cursor],
  );

  const download = async (format: ExportFormat) => {
    setProblem(undefined);
    try {
      const { data, error } = await api.GET('/api/v1/funds/{id}/statement/export', {
        params: { path: { id: fund.id }, query: { from: range[0], to: range[1], format } },
        parseAs: 'blob',
      });
      if (error || !data) {
        if (error) setProblem({ title: problemTitle(error), messages: [error.detail] });
        return;
      }
      const url = URL.createObjectURL(data as Blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `fund-statement-${fund.code}-${range[0]}-${range[1]}.${format}`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (failure) {
      const error = networkProblem(failure);
      setProblem({ title: problemTitle(error), messages: [error.detail] });
    }
  };

  const s = statement.data;
  return (
    <>
      <FilterBar<{ range: [Dayjs, Dayjs] }>
        name="statementRange"
        initialValues={{ range: [dayjs(range[0]), dayjs(range[1])] }}
        onApply={(values) => {
          pager.reset();
          setRange([values.range[0].format(DATE_FORMAT), values.range[1].format(DATE_FORMAT)]);
        }}
        applyText="查询"
        extra={(['csv', 'xlsx', 'pdf'] as const).map((format) => (
          <Button key={format} icon={<DownloadOutlined />} onClick={() => void download(format)}>
            导出 {format.toUpperCase()}
          </Button>
        ))}
      >
        <Form.Item label="期间" name="range" rules={[{ required: true, message: '请选择期间' }]}>
          <DatePicker.RangePicker format={DATE_FORMAT} placeholder={['起始日', '截止日']} />
        </Form.Item>
      </FilterBar>
      <ProblemAlert problem={problem} onClose={() => setProblem(undefined)} />
      <LoadProblem problem={statement.problem} />
      {s && (
        <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
          <Descriptions.Item label="账户">
            <Tooltip title={`科目代码 ${s.account}`}>
              <span>{s.accountNameZh}</span>
            </Tooltip>
          </Descriptions.Item>
          <Descriptions.Item label={`期初余额（${s.from}）`}>
            <Amount value={s.opening} />
          </Descriptions.Item>
          <Descriptions.Item label={`期末余额（${s.to}）`}>
            <Amount value={s.closing} />
          </Descriptions.Item>
        </Descriptions>
      )}
      <Table<Movement>
        rowKey={(m) => `${m.source.entryId}:${m.source.id}:${m.amount}`}
        loading={statement.loading}
        dataSource={s?.movements ?? []}
        pagination={false}
        size="middle"
        columns={[
          { title: '日期', dataIndex: 'date' },
          { title: '类型', dataIndex: 'kind', render: (kind: string) => KIND_LABELS[kind] ?? kind },
          { title: '金额', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '余额', dataIndex: 'balance', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '摘要', dataIndex: 'descriptionZh' },
          { title: '分录', key: 'entry', render: (_, m) => m.source.entryId },
        ]}
      />
      <CursorPager state={pager} nextCursor={s?.nextCursor} loading={statement.loading} />
    </>
  );
}
