/**
 * The claims queue (GET …/claims, filtered by status on the server, cursor-paged): staff approve a submitted claim,
 * pay an approved one (the API refuses a payment above the fund's cash), or reject either with a reason; each step
 * asks for confirmation. A claim's trace (every factor of its amount and each cap that cut it) opens in a drawer.
 */
import { ClaimTraceView } from './ClaimTraceView';
import { Button, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Table } from 'antd';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, idempotencyKey, networkProblem } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { StatusTag } from '../../components/StatusTag';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { problemTitle, type UnplacedProblem } from '../../forms/problem';
import { useSubmit } from '../../forms/useSubmit';
import { formatAmount } from '../../format/money';
import type { Fund } from './FundPage';

type ClaimQuery = NonNullable<paths['/api/v1/funds/{id}/claims']['get']['parameters']['query']>;
type Claim = paths['/api/v1/funds/{id}/claims']['get']['responses'][200]['content']['application/json']['items'][number];
type Step = 'approved' | 'paid' | 'rejected';

const CLAIM_STATUS: Record<Claim['status'], { text: string; tone: 'ok' | 'bad' | 'info' | 'muted' }> = {
  submitted: { text: '待审核', tone: 'info' },
  approved: { text: '已批准', tone: 'info' },
  paid: { text: '已支付', tone: 'ok' },
  rejected: { text: '已驳回', tone: 'bad' },
};

const TRANSITION = 'POST /api/v1/funds/{id}/claims/{claimId}/transitions' as const;
const TRANSITION_PATH = '/api/v1/funds/{id}/claims/{claimId}/transitions' as const;

export function ClaimsTab({ fund, onChanged }: { fund: Fund; onChanged: () => void }) {
  const [status, setStatus] = useState<ClaimQuery['status']>();
  const pager = useCursor(20);
  const [problem, setProblem] = useState<UnplacedProblem>();
  const [tracing, setTracing] = useState<Claim>();
  const [rejecting, setRejecting] = useState<Claim>();
  const banks = useLoad(() => api.GET('/api/v1/banks'), []);
  const bankName = (id: string) => banks.data?.items.find((bank) => bank.id === id)?.name ?? id;
  const page = useLoad(
    () => api.GET('/api/v1/funds/{id}/claims', { params: { path: { id: fund.id }, query: { status, limit: pager.limit, cursor: pager.cursor } } }),
    [fund.id, status, pager.limit, pager.cursor],
  );
  const changed = () => {
    page.reload();
    onChanged();
  };
  const step = async (claim: Claim, to: Step) => {
    setProblem(undefined);
    try {
      const { error } = await api.POST(TRANSITION_PATH, {
        params: { path: { id: fund.id, claimId: claim.id }, header: { 'Idempotency-Key': idempotencyKey() } },
        body: { to },
      });
      if (error) setProblem({ title: problemTitle(error), messages: [error.detail] });
    } catch (failure) {
      const error = networkProblem(failure);
      setProblem({ title: problemTitle(error), messages: [error.detail] });
    }
    changed();
  };

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Select
          aria-label="申请状态"
          allowClear
          placeholder="全部状态"
          style={{ width: 140 }}
          value={status}
          onChange={(value?: ClaimQuery['status']) => {
            pager.reset();
            setStatus(value);
          }}
          options={Object.entries(CLAIM_STATUS).map(([value, s]) => ({ value, label: s.text }))}
        />
      </Space>
      <ProblemAlert problem={problem} onClose={() => setProblem(undefined)} />
      <LoadProblem problem={page.problem} />
      <Table<Claim>
        rowKey="id"
        loading={page.loading}
        dataSource={page.data?.items ?? []}
        pagination={false}
        size="middle"
        scroll={{ x: 1000 }}
        columns={[
          { title: '申请日期', dataIndex: 'date' },
          { title: '银行', dataIndex: 'bankId', render: bankName },
          { title: '贷款', dataIndex: 'loanId', render: (id: string) => <Link to={`/loans/${id}`}>{id.slice(0, 8)}</Link> },
          { title: '代偿金额', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: Claim['status'], claim) => (
              <span>
                <StatusTag tone={CLAIM_STATUS[s].tone}>{CLAIM_STATUS[s].text}</StatusTag>
                {claim.paidOn ?? claim.approvedOn ?? claim.rejectedOn ?? ''}
                {claim.rejectionReason && `：${claim.rejectionReason}`}
              </span>
            ),
          },
          {
            title: '操作',
            key: 'actions',
            render: (_, claim) => (
              <Space wrap>
                <Button size="small" onClick={() => setTracing(claim)}>
                  计算过程
                </Button>
                {claim.status === 'submitted' && (
                  <Popconfirm title={`批准代偿 ${formatAmount(claim.amount)}？`} okText="批准" cancelText="取消" onConfirm={() => step(claim, 'approved')}>
                    <OperationButton operation={TRANSITION} size="small" type="primary">
                      批准
                    </OperationButton>
                  </Popconfirm>
                )}
                {claim.status === 'approved' && (
                  <Popconfirm title={`从资金账户支付 ${formatAmount(claim.amount)}？`} okText="支付" cancelText="取消" onConfirm={() => step(claim, 'paid')}>
                    <OperationButton operation={TRANSITION} size="small" type="primary">
                      支付
                    </OperationButton>
                  </Popconfirm>
                )}
                {(claim.status === 'submitted' || claim.status === 'approved') && (
                  <OperationButton operation={TRANSITION} size="small" danger onClick={() => setRejecting(claim)}>
                    驳回
                  </OperationButton>
                )}
              </Space>
            ),
          },
        ]}
      />
      <CursorPager state={pager} nextCursor={page.data?.nextCursor} loading={page.loading} />
      <Drawer open={tracing !== undefined} onClose={() => setTracing(undefined)} title="代偿金额计算过程" size={560}>
        {/* Focusable, so the drawer's scrolling body can be scrolled from the keyboard (axe scrollable-region-focusable). */}
        {tracing && (
          <div tabIndex={0} role="region" aria-label="代偿金额计算过程">
            <ClaimTraceView amount={tracing.amount} date={tracing.date} fundVersion={tracing.fundVersion} trace={tracing.trace} />
          </div>
        )}
      </Drawer>
      {rejecting && (
        <RejectDialog
          fund={fund}
          claim={rejecting}
          onClose={() => setRejecting(undefined)}
          onDone={() => {
            setRejecting(undefined);
            changed();
          }}
        />
      )}
    </>
  );
}

function RejectDialog({ fund, claim, onClose, onDone }: { fund: Fund; claim: Claim; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [key] = useState(idempotencyKey);
  const reject = useCallback(
    (values: { reason: string }) =>
      api.POST(TRANSITION_PATH, {
        params: { path: { id: fund.id, claimId: claim.id }, header: { 'Idempotency-Key': key } },
        body: { to: 'rejected', reason: values.reason.trim() },
      }),
    [fund.id, claim.id, key],
  );
  const { run, submitting, problem } = useSubmit(form, reject, onDone);
  return (
    <Modal
      open
      title={`驳回代偿申请（${formatAmount(claim.amount)}）`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="确认驳回"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      confirmLoading={submitting}
    >
      <ProblemAlert problem={problem} />
      <Form name="claimReject" form={form} layout="vertical" onFinish={run}>
        <Form.Item label="驳回理由" name="reason" rules={[{ required: true, whitespace: true, message: '请填写驳回理由' }]}>
          <Input.TextArea maxLength={1000} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
