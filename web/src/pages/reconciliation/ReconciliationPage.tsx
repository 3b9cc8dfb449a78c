/**
 * 对账 (GET /api/v1/reports/split-reconciliation?year=): per funding body, run and enterprise, what was approved,
 * paid and is outstanding, and whether the run tables tie to the ledger. A finance bureau sees only its own body and
 * records its payments here (POST /api/v1/subsidy-runs/{id}/payments): the outstanding amount falls by what it paid.
 * Exports: XLSX, PDF, CSV.
 */
import { chinaToday, lastCompleteYear } from '../../format/date';
import { FileExcelOutlined, FilePdfOutlined, FileTextOutlined, PayCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space, Statistic, Table, Tabs } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, networkProblem, type Problem } from '../../api/client';
import { download } from '../../api/download';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { useMe } from '../../auth/session';
import { Amount } from '../../components/Amount';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { DATE_FORMAT, toApiDate } from '../../format/date';
import { FUNDING_BODY_LABELS, label } from '../../format/labels';
import { formatAmount, toFen } from '../../format/money';
import { FormDialog } from '../../components/FormDialog';
import { amountRules, apiAmount } from '../../forms/amount';
import { RunStatusTag } from '../subsidy/RunList';

type Report = paths['/api/v1/reports/split-reconciliation']['get']['responses'][200]['content']['application/json'];
type BodyFigures = Report['bodies'][number];
type RunFigures = Report['runs'][number];
type EnterpriseFigures = Report['enterprises'][number];

const PAYMENT = 'POST /api/v1/subsidy-runs/{id}/payments' as const;

const money = (value: string) => <Amount value={value} />;
const figureColumns = [
  { title: '已批准', dataIndex: 'approved', align: 'right' as const, render: money },
  { title: '已拨付', dataIndex: 'paid', align: 'right' as const, render: money },
  { title: '待拨付', dataIndex: 'outstanding', align: 'right' as const, render: money },
];
/** The per-body breakdown of a run or an enterprise, as nested rows. */
const bodyRows = (bodies: BodyFigures[]) => (
  <Table<BodyFigures>
    size="small"
    rowKey="body"
    pagination={false}
    dataSource={bodies}
    columns={[{ title: '出资方', dataIndex: 'body', render: (body: string) => label(FUNDING_BODY_LABELS, body) }, ...figureColumns]}
  />
);

export default function ReconciliationPage() {
  const me = useMe();
  // ?year= opens a given year (the 待办 page links a payment to its year).
  const [search] = useSearchParams();
  const [year, setYear] = useState(() => Number(search.get('year')) || lastCompleteYear());
  const [paying, setPaying] = useState(false);
  const [exportProblem, setExportProblem] = useState<Problem>();
  const report = useLoad(() => api.GET('/api/v1/reports/split-reconciliation', { params: { query: { year } } }), [year]);
  const data = report.data;

  const exportAs = async (format: 'xlsx' | 'pdf' | 'csv') => {
    setExportProblem(undefined);
    try {
      setExportProblem(
        await download(
          () => api.GET('/api/v1/reports/split-reconciliation', { params: { query: { year, format } }, parseAs: 'blob' }),
          `split-reconciliation-${year}.${format}`,
        ),
      );
    } catch (failure) {
      setExportProblem(networkProblem(failure));
    }
  };

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {me.body && (
              <OperationButton operation={PAYMENT} type="primary" icon={<PayCircleOutlined />} onClick={() => setPaying(true)} disabled={!data}>
                登记拨付
              </OperationButton>
            )}
            <Button icon={<FileExcelOutlined />} onClick={() => void exportAs('xlsx')}>
              导出 XLSX
            </Button>
            <Button icon={<FilePdfOutlined />} onClick={() => void exportAs('pdf')}>
              导出 PDF
            </Button>
            <Button icon={<FileTextOutlined />} onClick={() => void exportAs('csv')}>
              导出 CSV
            </Button>
          </Space>
        }
      >
        对账
      </PageTitle>
      <Form layout="inline" name="reconciliationYear" style={{ marginBottom: 16 }}>
        <Form.Item label="年度" htmlFor="reconciliation-year">
          <InputNumber id="reconciliation-year" min={2000} max={2100} value={year} onChange={(value) => value && setYear(value)} style={{ width: 120 }} />
        </Form.Item>
        {me.body && <Form.Item label="出资方">{label(FUNDING_BODY_LABELS, me.body)}</Form.Item>}
      </Form>
      <LoadProblem problem={report.problem} />
      <LoadProblem problem={exportProblem} />
      {data && (
        <>
          <Alert
            // Nothing to check is not a check that passed: an empty year says so, without the green.
            type={data.ledgerCheck.payablesChecked === 0 ? 'info' : data.ledgerCheck.matches ? 'success' : 'error'}
            showIcon
            role="status"
            style={{ marginBottom: 16 }}
            title={data.ledgerCheck.payablesChecked === 0 ? '本年度没有可核对的应付贴息' : data.ledgerCheck.matches ? '账实核对一致' : '账实核对不一致'}
            description={`核对应付科目 ${data.ledgerCheck.payablesChecked} 个：账面待拨付 ${formatAmount(data.ledgerCheck.ledgerOutstanding)}，台账待拨付 ${formatAmount(
              data.ledgerCheck.tablesOutstanding,
            )}${data.ledgerCheck.mismatches.length ? `；${data.ledgerCheck.mismatches.length} 个科目不符` : ''}`}
          />
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            {data.bodies.length === 0 && (
              <Col xs={24}>
                <Card>本年度尚无已批准的贴息。</Card>
              </Col>
            )}
            {data.bodies.map((item) => (
              <Col xs={24} lg={12} key={item.body}>
                <Card title={label(FUNDING_BODY_LABELS, item.body)} data-testid={`body-${item.body}`}>
                  <Row gutter={16}>
                    <Col span={8}>
                      <Statistic title="已批准" value={formatAmount(item.approved)} />
                    </Col>
                    <Col span={8}>
                      <Statistic title="已拨付" value={formatAmount(item.paid)} />
                    </Col>
                    <Col span={8}>
                      <Statistic title="待拨付" value={formatAmount(item.outstanding)} />
                    </Col>
                  </Row>
                </Card>
              </Col>
            ))}
          </Row>
          <Tabs
            items={[
              {
                key: 'runs',
                label: '按批次',
                children: (
                  <Table<RunFigures>
                    rowKey="runId"
                    dataSource={data.runs}
                    pagination={{ pageSize: 50, hideOnSinglePage: true }}
                    expandable={{ expandedRowRender: (run) => bodyRows(run.bodies) }}
                    columns={[
                      { title: '批次', dataIndex: 'runId', render: (runId: string, run) => <Link to={`/subsidy/${runId}`}>{run.title}</Link> },
                      { title: '状态', dataIndex: 'status', render: (status: string) => <RunStatusTag status={status} /> },
                      ...figureColumns,
                    ]}
                  />
                ),
              },
              {
                key: 'enterprises',
                label: '按企业',
                children: (
                  <Table<EnterpriseFigures>
                    rowKey="enterpriseUscc"
                    dataSource={data.enterprises}
                    pagination={{ pageSize: 50, hideOnSinglePage: true }}
                    expandable={{ expandedRowRender: (enterprise) => bodyRows(enterprise.bodies) }}
                    columns={[
                      { title: '企业', dataIndex: 'name', render: (name: string | null) => name ?? '—' },
                      { title: '统一社会信用代码', dataIndex: 'enterpriseUscc' },
                      ...figureColumns,
                    ]}
                  />
                ),
              },
            ]}
          />
          {paying && me.body && (
            <PaymentDialog
              body={me.body}
              runs={data.runs.filter((run) => run.bodies.some((item) => item.body === me.body && toFen(item.outstanding) > 0n))}
              onClose={() => setPaying(false)}
              onDone={() => {
                setPaying(false);
                report.reload();
              }}
            />
          )}
        </>
      )}
    </>
  );
}

interface PaymentValues {
  runId: string;
  amount: string;
  date: Dayjs | null;
  reference: string;
}

type NewPayment = NonNullable<paths['/api/v1/subsidy-runs/{id}/payments']['post']['requestBody']>['content']['application/json'];

function PaymentDialog({ body, runs, onClose, onDone }: { body: string; runs: RunFigures[]; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<PaymentValues>();
  const runId = Form.useWatch('runId', form);
  const outstanding = runs.find((run) => run.runId === runId)?.bodies.find((item) => item.body === body)?.outstanding;
  const submit = useCallback(
    (values: PaymentValues, key: string) => {
      const payment: NewPayment = { body, amount: apiAmount(String(values.amount ?? '')), date: toApiDate(values.date) ?? '', reference: values.reference };
      return api.POST('/api/v1/subsidy-runs/{id}/payments', { params: { path: { id: values.runId }, header: { 'Idempotency-Key': key } }, body: payment });
    },
    [body],
  );
  return (
    <FormDialog<PaymentValues, unknown>
      title="登记拨付"
      name="payment"
      okText="确认拨付"
      operation={PAYMENT}
      form={form}
      submit={submit}
      onDone={onDone}
      onClose={onClose}
      initialValues={{ date: chinaToday(), runId: runs.length === 1 ? runs[0]?.runId : undefined }}
    >
      <Form.Item label="出资方">{label(FUNDING_BODY_LABELS, body)}</Form.Item>
      <Form.Item label="批次" name="runId" rules={[{ required: true, message: '请选择批次' }]} extra={outstanding ? `本出资方待拨付 ${formatAmount(outstanding)}` : undefined}>
        <Select options={runs.map((item) => ({ value: item.runId, label: item.title }))} />
      </Form.Item>
      <Form.Item label="金额（元）" name="amount" rules={amountRules()}>
        <Input inputMode="decimal" placeholder="如 2055.63" style={{ width: 200 }} />
      </Form.Item>
      <Form.Item label="拨付日期" name="date" rules={[{ required: true, message: '请选择日期' }]}>
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
      <Form.Item label="凭证号" name="reference" rules={[{ required: true, whitespace: true, message: '请输入凭证号' }]}>
        <Input maxLength={200} placeholder="如 市财拨〔2025〕12号" />
      </Form.Item>
    </FormDialog>
  );
}
