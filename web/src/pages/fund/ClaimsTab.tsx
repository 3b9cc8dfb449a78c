/**
 * The claims queue (GET …/claims, filtered by status on the server, cursor-paged): staff approve a submitted claim,
 * pay an approved one (the API refuses a payment above the fund's cash), or reject either with a reason; each step is
 * a dialog that asks for its date (today by default; an approval or payment made earlier is recorded on the day it
 * was made, never a future one). A claim's trace (every factor of its amount and each cap that cut it) opens in a
 * drawer.
 */
import { ClaimTraceView } from './ClaimTraceView';
import { Button, DatePicker, Drawer, Form, Input, Select, Space, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { PlusOutlined } from '@ant-design/icons';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { LoadProblem } from '../../components/LoadProblem';
import { OperationButton } from '../../components/OperationButton';
import { StatusTag } from '../../components/StatusTag';
import { FilterBar } from '../../components/FilterBar';
import { FormDialog } from '../../components/FormDialog';
import { chinaToday, DATE_FORMAT, toApiDate } from '../../format/date';
import { formatAmount } from '../../format/money';
import { ClaimDialog, RecoveryDialog, WriteOffDialog } from './FundDialogs';
import type { Fund } from './FundPage';
import { REQUIRED_DATE } from './forms';
import { useLoanNames } from './loanNames';

type ClaimQuery = NonNullable<paths['/api/v1/funds/{id}/claims']['get']['parameters']['query']>;
type Claim = paths['/api/v1/funds/{id}/claims']['get']['responses'][200]['content']['application/json']['items'][number];
type Step = 'approved' | 'paid';

const CLAIM_STATUS: Record<Claim['status'], { text: string; tone: 'ok' | 'bad' | 'info' | 'muted' }> = {
  submitted: { text: '待审核', tone: 'info' },
  approved: { text: '已批准', tone: 'info' },
  paid: { text: '已支付', tone: 'ok' },
  rejected: { text: '已驳回', tone: 'bad' },
};

const TRANSITION = 'POST /api/v1/funds/{id}/claims/{claimId}/transitions' as const;
const TRANSITION_PATH = '/api/v1/funds/{id}/claims/{claimId}/transitions' as const;

export function ClaimsTab({ fund, onChanged }: { fund: Fund; onChanged: () => void }) {
  const [claiming, setClaiming] = useState(false);
  const [recovering, setRecovering] = useState<Claim>();
  const [writingOff, setWritingOff] = useState<Claim>();
  const loans = useLoanNames();
  const [status, setStatus] = useState<ClaimQuery['status']>();
  const pager = useCursor(20);
  const [tracing, setTracing] = useState<Claim>();
  const [rejecting, setRejecting] = useState<Claim>();
  const [stepping, setStepping] = useState<{ claim: Claim; to: Step }>();
  const banks = useLoad(() => allPages((cursor) => api.GET('/api/v1/banks', { params: { query: wholeListPage(cursor) } })), []);
  const bankName = (id: string) => banks.data?.items.find((bank) => bank.id === id)?.name ?? '—';
  const page = useLoad(
    () => api.GET('/api/v1/funds/{id}/claims', { params: { path: { id: fund.id }, query: { status, limit: pager.limit, cursor: pager.cursor } } }),
    [fund.id, status, pager.limit, pager.cursor],
  );
  const changed = () => {
    page.reload();
    onChanged();
  };
  const closeAnd = (close: () => void) => {
    close();
    changed();
  };
  return (
    <>
      <FilterBar
        extra={
          <OperationButton operation="POST /api/v1/funds/{id}/claims" type="primary" icon={<PlusOutlined />} onClick={() => setClaiming(true)}>
            申请代偿
          </OperationButton>
        }
      >
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
      </FilterBar>
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
          { title: '贷款', dataIndex: 'loanId', render: (id: string) => <Link to={`/loans/${id}`}>{loans.name(id)}</Link> },
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
                  <OperationButton operation={TRANSITION} size="small" type="primary" onClick={() => setStepping({ claim, to: 'approved' })}>
                    批准
                  </OperationButton>
                )}
                {claim.status === 'approved' && (
                  <OperationButton operation={TRANSITION} size="small" type="primary" onClick={() => setStepping({ claim, to: 'paid' })}>
                    支付
                  </OperationButton>
                )}
                {claim.status === 'paid' && (
                  <OperationButton operation="POST /api/v1/funds/{id}/recoveries" size="small" onClick={() => setRecovering(claim)}>
                    登记追回
                  </OperationButton>
                )}
                {claim.status === 'paid' && (
                  <OperationButton operation="POST /api/v1/funds/{id}/write-offs" size="small" danger onClick={() => setWritingOff(claim)}>
                    核销
                  </OperationButton>
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
      {claiming && <ClaimDialog fund={fund} onClose={() => setClaiming(false)} onDone={() => closeAnd(() => setClaiming(false))} />}
      {recovering && (
        <RecoveryDialog
          fund={fund}
          claim={recovering}
          loanName={loans.name(recovering.loanId)}
          onClose={() => setRecovering(undefined)}
          onDone={() => closeAnd(() => setRecovering(undefined))}
        />
      )}
      {writingOff && (
        <WriteOffDialog
          fund={fund}
          claim={writingOff}
          loanName={loans.name(writingOff.loanId)}
          onClose={() => setWritingOff(undefined)}
          onDone={() => closeAnd(() => setWritingOff(undefined))}
        />
      )}
      {stepping && (
        <StepDialog
          fund={fund}
          claim={stepping.claim}
          to={stepping.to}
          onClose={() => setStepping(undefined)}
          onDone={() => closeAnd(() => setStepping(undefined))}
        />
      )}
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

const STEP_TEXT: Record<Step, { title: string; okText: string; date: string; extra?: string }> = {
  approved: { title: '批准代偿申请', okText: '确认批准', date: '批准日期' },
  paid: { title: '支付代偿款', okText: '确认支付', date: '支付日期', extra: '从资金账户支付；资金余额不足时不予支付' },
};

/** Approval or payment of a claim, on the day it was made (default today, never a future day). */
function StepDialog({ fund, claim, to, onClose, onDone }: { fund: Fund; claim: Claim; to: Step; onClose: () => void; onDone: () => void }) {
  const submit = useCallback(
    (values: { date: Dayjs }, key: string) =>
      api.POST(TRANSITION_PATH, {
        params: { path: { id: fund.id, claimId: claim.id }, header: { 'Idempotency-Key': key } },
        body: { to, date: toApiDate(values.date)! },
      }),
    [fund.id, claim.id, to],
  );
  const text = STEP_TEXT[to];
  return (
    <FormDialog<{ date: Dayjs }, unknown>
      title={`${text.title}（${formatAmount(claim.amount)}）`}
      name={to === 'approved' ? 'claimApprove' : 'claimPay'}
      okText={text.okText}
      operation={TRANSITION}
      submit={submit}
      onDone={onDone}
      onClose={onClose}
      initialValues={{ date: chinaToday() }}
    >
      <Form.Item label={text.date} name="date" rules={REQUIRED_DATE} extra={text.extra}>
        <DatePicker format={DATE_FORMAT} disabledDate={(candidate) => candidate.isAfter(chinaToday(), 'day')} />
      </Form.Item>
    </FormDialog>
  );
}

function RejectDialog({ fund, claim, onClose, onDone }: { fund: Fund; claim: Claim; onClose: () => void; onDone: () => void }) {
  const reject = useCallback(
    (values: { reason: string }, key: string) =>
      api.POST(TRANSITION_PATH, {
        params: { path: { id: fund.id, claimId: claim.id }, header: { 'Idempotency-Key': key } },
        body: { to: 'rejected', reason: values.reason.trim() },
      }),
    [fund.id, claim.id],
  );
  return (
    <FormDialog<{ reason: string }, unknown>
      title={`驳回代偿申请（${formatAmount(claim.amount)}）`}
      name="claimReject"
      okText="确认驳回"
      danger
      submit={reject}
      onDone={onDone}
      onClose={onClose}
    >
      <Form.Item label="驳回理由" name="reason" rules={[{ required: true, whitespace: true, message: '请填写驳回理由' }]}>
        <Input.TextArea maxLength={1000} rows={3} />
      </Form.Item>
    </FormDialog>
  );
}
