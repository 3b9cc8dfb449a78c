/**
 * One run (GET /api/v1/subsidy-runs/{id}): totals per funding body, its workflow (confirmed steps, publicity
 * period, objections), its lines a page at a time (GET …/lines) with each line's calculation in a drawer, payments,
 * and the 公示 roster to download as XLSX or PDF once the run is publicised.
 */
import { ArrowLeftOutlined, FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Empty, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, networkProblem, type Problem } from '../../api/client';
import { download } from '../../api/download';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { StatusTag } from '../../components/StatusTag';
import { formatInstant } from '../../format/date';
import { FUNDING_BODY_LABELS, label } from '../../format/labels';
import { formatAmount } from '../../format/money';
import { LINE_KIND_LABELS, RESOLUTION_LABELS, ROSTER_STATUSES, RUN_KIND_LABELS } from './labels';
import { RaiseObjectionDialog, ResolveObjectionDialog, TransitionButton } from './RunActions';
import { EnterpriseLink, EnterpriseNames } from '../enterprises/EnterpriseName';
import { DiscardButton } from './DiscardButton';
import { RecomputeButton } from './RecomputeButton';
import { RunStatusTag } from './RunList';
import { TraceDrawer, type TraceLine } from './TraceDrawer';
import { sortOf, sortOrder } from '../../components/serverSort';
import { reasonText } from '../../catalogue';
import { carriedText } from './carried';

type Run = paths['/api/v1/subsidy-runs/{id}']['get']['responses'][200]['content']['application/json'];
type Line = Run['lines'][number];
type Objection = Run['objections'][number];
type Payment = Run['payments'][number];

/** "超出贡献额 ¥1,000.00 结转至 2025 年" when the contribution cap carried part of the line forward. */
const carriedOf = (line: Line) => carriedText(line.trace as { adjustments?: Array<{ step: string; cutFen: string }>; run?: { year: number } });

export function RunDetail() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const run = useLoad(() => api.GET('/api/v1/subsidy-runs/{id}', { params: { path: { id } } }), [id]);
  const pager = useCursor(50);
  // The lines are filtered and sorted on the server: eligible or not, by line or by amount.
  const [eligible, setEligible] = useState<'true' | 'false'>();
  const [lineSort, setLineSort] = useState<'amount' | '-amount'>();
  const lines = useLoad(
    () =>
      api.GET('/api/v1/subsidy-runs/{id}/lines', {
        params: { path: { id }, query: { eligible, sort: lineSort, limit: pager.limit, cursor: pager.cursor } },
      }),
    [id, eligible, lineSort, pager.limit, pager.cursor],
  );
  const [traced, setTraced] = useState<TraceLine>();
  const [actionProblem, setActionProblem] = useState<Problem>();
  const [raising, setRaising] = useState(false);
  const [resolving, setResolving] = useState<string>();
  const data = run.data;
  const reload = () => {
    // The step succeeded: the banner of an earlier refusal goes.
    setActionProblem(undefined);
    run.reload();
    lines.reload();
  };
  const roster = async (format: 'xlsx' | 'pdf') => {
    setActionProblem(undefined);
    try {
      const problem = await download(
        () => api.GET('/api/v1/subsidy-runs/{id}/roster', { params: { path: { id }, query: { format } }, parseAs: 'blob' }),
        `roster.${format}`,
      );
      setActionProblem(problem);
    } catch (failure) {
      setActionProblem(networkProblem(failure));
    }
  };
  const enterprises = [...new Set((data?.lines ?? []).map((line) => line.enterpriseUscc))];
  const enterpriseNames = new Map([...(data?.lines ?? []), ...(data?.supportLines ?? [])].map((line) => [line.enterpriseUscc, line.enterpriseName ?? undefined]));

  return (
    <>
      <PageTitle
        extra={
          <Link to="/subsidy">
            <Button icon={<ArrowLeftOutlined />}>返回贴息批次</Button>
          </Link>
        }
      >
        {data ? data.title : '贴息批次'}
      </PageTitle>
      <LoadProblem problem={run.problem} />
      <LoadProblem problem={actionProblem} />
      {data && (
        <>
          <Space wrap style={{ marginBottom: 16 }}>
            <RunStatusTag status={data.status} />
            {data.status === 'draft' && <RecomputeButton runId={data.id} total={data.total} onDone={reload} onProblem={setActionProblem} />}
            {data.status === 'draft' && <DiscardButton runId={data.id} onDone={() => void navigate('/subsidy')} onProblem={setActionProblem} />}
            <TransitionButton runId={data.id} status={data.status} onDone={reload} onProblem={setActionProblem} />
            {ROSTER_STATUSES.includes(data.status) && (
              <>
                <Button icon={<FileExcelOutlined />} onClick={() => void roster('xlsx')}>
                  下载公示名单 XLSX
                </Button>
                <Button icon={<FilePdfOutlined />} onClick={() => void roster('pdf')}>
                  下载公示名单 PDF
                </Button>
              </>
            )}
          </Space>
          <EnterpriseNames usccs={[...(lines.data?.items ?? []).map((line) => line.enterpriseUscc), ...data.objections.flatMap((o) => (o.enterpriseUscc ? [o.enterpriseUscc] : []))]}>
          <Row gutter={[16, 16]}>
            <Col xs={24} md={8}>
              <Card>
                <Statistic title="贴息合计" value={formatAmount(data.total)} />
              </Card>
            </Col>
            {data.totals.map((item) => (
              <Col xs={24} md={8} key={item.body}>
                <Card>
                  <Statistic title={`${label(FUNDING_BODY_LABELS, item.body)}承担`} value={formatAmount(item.amount)} />
                </Card>
              </Col>
            ))}
            <Col xs={24}>
              <Card title="批次信息">
                <Descriptions column={{ xs: 1, md: 3 }} size="small">
                  <Descriptions.Item label="政策">
                    {data.title}
                  </Descriptions.Item>
                  <Descriptions.Item label="类型">{label(RUN_KIND_LABELS, data.kind)}</Descriptions.Item>
                  <Descriptions.Item label="行数">{data.lineCount}</Descriptions.Item>
                  <Descriptions.Item label="公示期">{data.publicityFrom ? `${data.publicityFrom} 至 ${data.publicityTo}` : '未公示'}</Descriptions.Item>
                  <Descriptions.Item label="计算时间">{formatInstant(data.computedAt)}</Descriptions.Item>
                  <Descriptions.Item label="复核日">{data.reviewedOn ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label="公示登记日">{data.publicisedOn ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label="批准日">{data.approvedOn ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label="计算人">{data.createdByName ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label="复核人">{data.reviewedByName ? `${data.reviewedByName}（${data.reviewedOn ?? ''}）` : '—'}</Descriptions.Item>
                  <Descriptions.Item label="公示人">{data.publicisedByName ? `${data.publicisedByName}（${data.publicisedOn ?? ''}）` : '—'}</Descriptions.Item>
                  <Descriptions.Item label="批准人">{data.approvedByName ? `${data.approvedByName}（${data.approvedOn ?? ''}）` : '—'}</Descriptions.Item>
                </Descriptions>
                {data.budgetScaling.length > 0 && (
                  <Table
                    size="small"
                    rowKey="body"
                    pagination={false}
                    style={{ marginTop: 12 }}
                    dataSource={data.budgetScaling}
                    columns={[
                      { title: '出资方', dataIndex: 'body', render: (body: string) => label(FUNDING_BODY_LABELS, body) },
                      { title: '预算', dataIndex: 'budget', align: 'right', render: (value: string) => <Amount value={value} /> },
                      { title: '按政策应批准', dataIndex: 'approved', align: 'right', render: (value: string) => <Amount value={value} /> },
                      { title: '实际批准', dataIndex: 'paid', align: 'right', render: (value: string) => <Amount value={value} /> },
                      { title: '调整系数', dataIndex: 'factor' },
                    ]}
                  />
                )}
              </Card>
            </Col>
            <Col xs={24}>
              <Card
                title="明细"
                extra={
                  <Select
                    aria-label="资格"
                    allowClear
                    placeholder="全部行"
                    style={{ width: 140 }}
                    value={eligible}
                    onChange={(value) => {
                      pager.reset();
                      setEligible(value);
                    }}
                    options={[
                      { value: 'true', label: '只看符合' },
                      { value: 'false', label: '只看不符合' },
                    ]}
                  />
                }
              >
                <LoadProblem problem={lines.problem} />
                <Table<Line>
                  rowKey="lineNo"
                  size="small"
                  loading={lines.loading}
                  dataSource={lines.data?.items ?? []}
                  pagination={false}
                  scroll={{ x: 1100 }}
                  onChange={(_pagination, _filters, sorter) => {
                    pager.reset();
                    setLineSort(sortOf(sorter, ['amount']) as 'amount' | '-amount' | undefined);
                  }}
                  columns={[
                    { title: '行号', dataIndex: 'lineNo', width: 70 },
                    { title: '类型', dataIndex: 'kind', render: (kind: string) => label(LINE_KIND_LABELS, kind) },
                    { title: '企业', dataIndex: 'enterpriseUscc', render: (uscc: string, line) => <EnterpriseLink uscc={uscc} year={data.year} name={line.enterpriseName} /> },
                    {
                      title: '贷款合同',
                      dataIndex: 'loanId',
                      render: (loanId: string | null, line) => (loanId ? <Link to={`/loans/${loanId}`}>{line.contractNo ?? '贷款详情'}</Link> : '—'),
                    },
                    { title: '贷款银行', dataIndex: 'bankName', render: (name: string | null) => name ?? '—' },
                    {
                      title: '金额',
                      key: 'amount',
                      dataIndex: 'amount',
                      align: 'right',
                      sorter: true,
                      sortOrder: sortOrder(lineSort, 'amount'),
                      render: (value: string, line) => (
                        <>
                          <Amount value={value} />
                          {carriedOf(line) && (
                            <div>
                              <Typography.Text type="secondary">{carriedOf(line)}</Typography.Text>
                            </div>
                          )}
                        </>
                      ),
                    },
                    {
                      title: '分担',
                      key: 'shares',
                      render: (_, line) =>
                        line.shares.map((share) => (
                          <div key={share.body}>
                            {label(FUNDING_BODY_LABELS, share.body)} <Amount value={share.amount} />
                          </div>
                        )),
                    },
                    {
                      title: '资格',
                      dataIndex: 'eligible',
                      render: (eligible: boolean, line) =>
                        eligible ? (
                          <StatusTag tone="ok">符合</StatusTag>
                        ) : (
                          <>
                            <StatusTag tone="bad">不符合</StatusTag>
                            {line.kind === 'interest' && <Link to={`/enterprises/${line.enterpriseUscc}?year=${data.year}&tab=eligibility`}>资格检查</Link>}
                          </>
                        ),
                    },
                    { title: '原因', key: 'reasons', render: (_, line) => line.reasons.map((reason) => <div key={reason.code}>{reasonText(reason)}</div>) },
                    {
                      title: '计算',
                      key: 'trace',
                      render: (_, line) => (
                        <Button size="small" onClick={() => setTraced(line)} aria-label={`查看计算（第 ${line.lineNo} 行）`}>
                          查看计算
                        </Button>
                      ),
                    },
                  ]}
                />
                <CursorPager state={pager} nextCursor={lines.data?.nextCursor} loading={lines.loading} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card
                title="异议"
                extra={
                  (data.status === 'reviewed' || data.status === 'publicised') && (
                    <OperationButton operation="POST /api/v1/subsidy-runs/{id}/objections" onClick={() => setRaising(true)}>
                      登记异议
                    </OperationButton>
                  )
                }
              >
                {data.objections.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无异议" />
                ) : (
                  <Table<Objection>
                    rowKey="id"
                    size="small"
                    pagination={false}
                    dataSource={data.objections}
                    columns={[
                      { title: '登记时间', dataIndex: 'raisedAt', render: formatInstant },
                      { title: '企业', dataIndex: 'enterpriseUscc', render: (uscc: string | null) => <EnterpriseLink uscc={uscc} name={uscc ? enterpriseNames.get(uscc) : undefined} /> },
                      { title: '内容', dataIndex: 'text' },
                      {
                        title: '处理',
                        key: 'resolution',
                        render: (_, objection) =>
                          objection.resolution ? (
                            <>
                              <StatusTag tone={objection.resolution === 'upheld' ? 'bad' : 'ok'}>{label(RESOLUTION_LABELS, objection.resolution)}</StatusTag>
                              <Typography.Text type="secondary">{objection.resolutionText}</Typography.Text>
                            </>
                          ) : (
                            <>
                              <StatusTag tone="info">待处理</StatusTag>
                              <OperationButton
                                size="small"
                                operation="POST /api/v1/subsidy-runs/{id}/objections/{objectionId}/resolution"
                                onClick={() => setResolving(objection.id)}
                              >
                                处理
                              </OperationButton>
                            </>
                          ),
                      },
                    ]}
                  />
                )}
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card title="拨付记录">
                {data.payments.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无拨付" />
                ) : (
                  <Table<Payment>
                    rowKey="id"
                    size="small"
                    pagination={false}
                    dataSource={data.payments}
                    columns={[
                      { title: '日期', dataIndex: 'date' },
                      { title: '出资方', dataIndex: 'body', render: (body: string) => label(FUNDING_BODY_LABELS, body) },
                      { title: '金额', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
                      { title: '凭证号', dataIndex: 'reference' },
                    ]}
                  />
                )}
              </Card>
            </Col>
          </Row>
          </EnterpriseNames>
          <TraceDrawer line={traced} onClose={() => setTraced(undefined)} />
          {raising && (
            <RaiseObjectionDialog
              runId={data.id}
              enterprises={enterprises}
              onClose={() => setRaising(false)}
              onDone={() => {
                setRaising(false);
                run.reload();
              }}
            />
          )}
          {resolving && (
            <ResolveObjectionDialog
              runId={data.id}
              objectionId={resolving}
              onClose={() => setResolving(undefined)}
              onDone={() => {
                setResolving(undefined);
                run.reload();
              }}
            />
          )}
        </>
      )}
    </>
  );
}
