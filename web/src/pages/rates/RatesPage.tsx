/**
 * 利率报价: the reference-rate fixings the runs read (LPR published by the National Interbank Funding Center; the
 * PBoC benchmark rates), newest first, filtered by index; the fixing in force on a day; staff add a fixing (never
 * edited: a wrong one is superseded by a later effective date — docs/api.md "Reference rates and policies").
 */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { api, idempotencyKey } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { DATE_FORMAT, formatInstant, toApiDate } from '../../format/date';
import { RATE_INDEX_LABELS as INDEX_LABELS } from '../../catalogue';
import { label, optionsOf } from '../../format/labels';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { useSubmit } from '../../forms/useSubmit';
import { fromPercent, toPercent } from './percent';
import { EmptyText } from '../enterprises/file/EmptyText';

type Fixing = paths['/api/v1/rates']['get']['responses'][200]['content']['application/json']['items'][number];
type RateIndex = NonNullable<NonNullable<paths['/api/v1/rates']['get']['parameters']['query']>['index']>;

/** The catalogue's names of the indices (web/src/catalogue/rates.ts), one for each index the API knows. */
const RATE_INDEX_LABELS: Record<RateIndex, string> = INDEX_LABELS;

/** The sources the service itself writes (the shipped history, data/reference-rates.csv, and a fixing with none), in Chinese. */
const SOURCE_LABELS: Record<string, string> = {
  'National Interbank Funding Center LPR announcement': '全国银行间同业拆借中心 LPR 公告',
  'PBoC benchmark lending rate adjustment': '中国人民银行调整贷款基准利率',
  'entered by staff': '服务中心登记',
};

export default function RatesPage() {
  const [index, setIndex] = useState<RateIndex>();
  const [on, setOn] = useState<Dayjs | null>(null);
  const [adding, setAdding] = useState(false);
  const fixings = useLoad(() => allPages((cursor) => api.GET('/api/v1/rates', { params: { query: { index, ...wholeListPage(cursor) } } })), [index]);
  const inForce = useLoad(
    async () => (on ? api.GET('/api/v1/rates', { params: { query: { on: toApiDate(on) } } }) : { data: { items: [] as Fixing[] } }),
    [on?.format(DATE_FORMAT)],
  );
  const rows = [...(fixings.data?.items ?? [])].sort((a, b) => b.effectiveDate.localeCompare(a.effectiveDate) || a.index.localeCompare(b.index));
  const columns = [
    { title: '利率品种', dataIndex: 'index', render: (value: string) => label(RATE_INDEX_LABELS, value) },
    { title: '生效日', dataIndex: 'effectiveDate' },
    { title: '利率', dataIndex: 'rate', align: 'right' as const, render: (rate: string) => `${toPercent(rate)}%` },
    { title: '来源', dataIndex: 'source', render: (source: string) => label(SOURCE_LABELS, source) },
    { title: '登记时间', dataIndex: 'recordedAt', render: formatInstant },
  ];
  return (
    <>
      <PageTitle
        extra={
          <OperationButton operation="POST /api/v1/rates" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            登记报价
          </OperationButton>
        }
      >
        利率报价
      </PageTitle>
      <Typography.Paragraph type="secondary">
        年度贴息按贷款起始日执行的报价计算（袁府办字〔2023〕25号 四(三)2 为 1 年期 LPR；《关于全面加强知识产权工作的实施意见》第六条为贷款当年基准利率）。报价登记后不修改；有误时登记一条更晚生效的报价。
      </Typography.Paragraph>
      <Card size="small" title="某日执行的报价" style={{ marginBottom: 16 }}>
        <Space style={{ marginBottom: 8 }}>
          <label htmlFor="rateOn">日期</label>
          <DatePicker id="rateOn" format={DATE_FORMAT} value={on} onChange={setOn} />
        </Space>
        <LoadProblem problem={inForce.problem} />
        {on && <Table<Fixing> rowKey="index" size="small" pagination={false} loading={inForce.loading} dataSource={inForce.data?.items ?? []} columns={columns} locale={{ emptyText: <EmptyText text={'该日没有执行中的报价'} /> }} />}
      </Card>
      <Space style={{ marginBottom: 12 }}>
        <label htmlFor="rateIndexFilter">利率品种</label>
        <Select<RateIndex>
          id="rateIndexFilter"
          allowClear
          placeholder="全部"
          style={{ width: 320 }}
          value={index}
          onChange={setIndex}
          options={optionsOf(RATE_INDEX_LABELS) as { value: RateIndex; label: string }[]}
        />
      </Space>
      <LoadProblem problem={fixings.problem} />
      <Table<Fixing> rowKey={(f) => `${f.index}-${f.effectiveDate}-${f.recordedAt}`} loading={fixings.loading} dataSource={rows} pagination={{ pageSize: 50 }} size="middle" columns={columns} />
      {adding && (
        <AddFixingDialog
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            fixings.reload();
            inForce.reload();
          }}
        />
      )}
    </>
  );
}

interface FixingValues {
  index: RateIndex;
  effectiveDate: Dayjs;
  percent: string;
  source?: string;
}

function AddFixingDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<FixingValues>();
  const [key] = useState(idempotencyKey);
  const submit = useCallback(
    (values: FixingValues) =>
      api.POST('/api/v1/rates', {
        params: { header: { 'Idempotency-Key': key } },
        body: {
          index: values.index,
          effectiveDate: toApiDate(values.effectiveDate)!,
          rate: fromPercent(values.percent)!,
          ...(values.source?.trim() ? { source: values.source.trim() } : {}),
        },
      }),
    [key],
  );
  const { run, submitting, problem } = useSubmit(form, submit, onDone);
  return (
    <Modal
      open
      title="登记利率报价"
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="submit" type="primary" loading={submitting} onClick={() => form.submit()} data-operation="POST /api/v1/rates">
          保存
        </Button>,
      ]}
    >
      <ProblemAlert problem={problem} />
      <Form<FixingValues> name="rateFixing" form={form} layout="vertical" onFinish={run}>
        <Form.Item label="利率品种" name="index" rules={[{ required: true, message: '请选择利率品种' }]}>
          <Select options={optionsOf(RATE_INDEX_LABELS)} />
        </Form.Item>
        <Form.Item
          label="生效日"
          name="effectiveDate"
          rules={[
            { required: true, message: '请选择生效日' },
            { validator: async (_r, value: Dayjs | undefined) => { if (value && (value.year() < 1990 || value.year() > 2100)) throw new Error('生效日须在 1990 至 2100 年之间'); } },
          ]}
          extra="LPR 每月 20 日（遇节假日顺延）公布，当日生效"
        >
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item
          label="利率（%）"
          name="percent"
          rules={[
            { required: true, message: '请填写利率' },
            {
              validator: async (_r, value: string | undefined) => {
                if (!value?.trim()) return;
                const rate = fromPercent(value);
                if (rate === null) throw new Error('请填写百分数，如 3.45（最多 8 位小数）');
                if (!/[1-9]/.test(rate) || Number(value) >= 100) throw new Error('利率须大于 0 且小于 100%');
              },
            },
          ]}
          extra="按百分数填写：3.45 表示 3.45%"
        >
          <Input inputMode="decimal" style={{ width: 160 }} suffix="%" />
        </Form.Item>
        <Form.Item label="来源" name="source" rules={[{ max: 300, message: '来源最多 300 个字' }]}>
          <Input placeholder="如：全国银行间同业拆借中心公告" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
