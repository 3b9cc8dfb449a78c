/**
 * The enterprise file's tabs that read other modules: its subsidy lines of a year (every run of the year, the lines
 * of this enterprise), its fund claims (every fund, its loans' claims), its white-list entries (staff list and remove
 * it here as on 白名单), and the corrections of its name and division.
 */
import { PlusOutlined } from '@ant-design/icons';
import { DatePicker, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import { allPages, wholeListPage } from '../../../api/allPages';
import type { paths } from '../../../api/schema';
import { useLoad } from '../../../api/useLoad';
import { useCan } from '../../../auth/session';
import { Amount } from '../../../components/Amount';
import { LoadProblem } from '../../../components/LoadProblem';
import { StatusTag } from '../../../components/StatusTag';
import { DATE_FORMAT, formatInstant, toApiDate } from '../../../format/date';
import { OperationButton } from '../../../components/OperationButton';
import { FUNDING_BODY_LABELS, label } from '../../../format/labels';
import { LINE_KIND_LABELS, RUN_STATUS_LABELS } from '../../subsidy/labels';
import { CLAIM_STATUS_LABELS } from './labels';
import { EmptyText } from './EmptyText';
import { InputDialog } from './InputDialog';
import { textRules } from './rules';
import { useBankNames } from './names';
import type { EnterpriseLoan } from './useEnterpriseLoans';

/** A link inside a sentence is underlined: its colour alone does not set it apart (WCAG 1.4.1, axe link-in-text-block). */
const UNDERLINED = { textDecoration: 'underline' } as const;

/** The runs of a year an enterprise's lines are looked for in (the API's largest page). */
const RUNS_PER_YEAR_READ = 100;

type Line = paths['/api/v1/subsidy-runs/{id}/lines']['get']['responses'][200]['content']['application/json']['items'][number];
type RunRow = paths['/api/v1/subsidy-runs']['get']['responses'][200]['content']['application/json']['items'][number];
type LineRow = Line & { run: RunRow };

export function SubsidyLinesTab({ uscc, year, loans, onYear }: { uscc: string; year: number; loans: EnterpriseLoan[]; onYear: (year: number) => void }) {
  const contract = new Map(loans.map((loan) => [loan.id, loan.contractNo]));
  // A run is named by its policy's document number, not its id.
  const policies = useLoad(() => allPages((cursor) => api.GET('/api/v1/policies', { params: { query: wholeListPage(cursor) } })), []);
  const documentNo = new Map((policies.data?.items ?? []).map((policy) => [policy.id, policy.documentNo]));
  const lines = useLoad(async () => {
    const runs = await api.GET('/api/v1/subsidy-runs', { params: { query: { year, limit: RUNS_PER_YEAR_READ, sort: '-createdAt' } } });
    if (runs.error) return { error: runs.error };
    const answers = await Promise.all(
      runs.data.items.map(async (run) => ({
        run,
        answer: await api.GET('/api/v1/subsidy-runs/{id}/lines', { params: { path: { id: run.id }, query: { enterpriseUscc: uscc, limit: 500 } } }),
      })),
    );
    const failed = answers.find(({ answer }) => answer.error);
    if (failed) return { error: failed.answer.error };
    return { data: answers.flatMap(({ run, answer }) => (answer.data?.items ?? []).map((line): LineRow => ({ ...line, run }))) };
  }, [uscc, year]);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <label htmlFor="subsidyYear">年度</label>
        <InputNumber id="subsidyYear" min={2000} max={2100} value={year} onChange={(value) => value && onYear(value)} style={{ width: 110 }} />
      </Space>
      <LoadProblem problem={lines.problem} />
      <Table<LineRow>
        rowKey={(line) => `${line.run.id}-${line.lineNo}`}
        loading={lines.loading}
        dataSource={lines.data ?? []}
        pagination={false}
        size="middle"
        locale={{ emptyText: <EmptyText text={`${year} 年度没有本企业的贴息明细`} /> }}
        columns={[
          { title: '批次', key: 'run', render: (_: unknown, line) => <Link to={`/subsidy/${line.run.id}`}>{`${line.run.year} 年度 ${documentNo.get(line.run.policyId) ?? '贴息'} 第 ${line.run.policyVersion} 版`}</Link> },
          { title: '批次状态', key: 'status', render: (_: unknown, line) => label(RUN_STATUS_LABELS, line.run.status) },
          { title: '类型', dataIndex: 'kind', render: (kind: string) => label(LINE_KIND_LABELS, kind) },
          { title: '贷款合同', dataIndex: 'loanId', render: (loanId: string | null) => (loanId ? <Link to={`/loans/${loanId}`}>{contract.get(loanId) ?? '贷款'}</Link> : '—') },
          { title: '符合条件', dataIndex: 'eligible', render: (eligible: boolean) => (eligible ? <StatusTag tone="ok">符合</StatusTag> : <StatusTag tone="bad">不符合</StatusTag>) },
          { title: '金额', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
          {
            title: '分担',
            key: 'shares',
            render: (_: unknown, line) =>
              line.shares.map((share) => (
                <div key={share.body}>
                  {label(FUNDING_BODY_LABELS, share.body)} <Amount value={share.amount} />
                </div>
              )),
          },
        ]}
      />
    </>
  );
}

type Claim = paths['/api/v1/funds/{id}/claims']['get']['responses'][200]['content']['application/json']['items'][number];

export function FundClaimsTab({ loans }: { loans: EnterpriseLoan[] }) {
  const bankName = useBankNames();
  const contract = new Map(loans.map((loan) => [loan.id, loan.contractNo]));
  const claims = useLoad(async () => {
    const funds = await allPages((cursor) => api.GET('/api/v1/funds', { params: { query: wholeListPage(cursor) } }));
    if (!funds.data) return { error: funds.error };
    const answers = await Promise.all(
      funds.data.items.flatMap((fund) =>
        loans.map(async (loan) => ({ fund, answer: await api.GET('/api/v1/funds/{id}/claims', { params: { path: { id: fund.id }, query: { loanId: loan.id, limit: 500 } } }) })),
      ),
    );
    const failed = answers.find(({ answer }) => answer.error);
    if (failed) return { error: failed.answer.error };
    return { data: answers.flatMap(({ fund, answer }) => (answer.data?.items ?? []).map((claim) => ({ ...claim, fundName: fund.name }))) };
  }, [loans.map((loan) => loan.id).join(',')]);
  return (
    <>
      <Typography.Paragraph type="secondary">
        银行提交申请；服务中心在 <Link to="/fund" style={UNDERLINED}>风险补偿</Link> 页核准、代偿或驳回。
      </Typography.Paragraph>
      <LoadProblem problem={claims.problem} />
      <Table<Claim & { fundName: string }>
        rowKey="id"
        loading={claims.loading}
        dataSource={claims.data ?? []}
        pagination={false}
        size="middle"
        locale={{ emptyText: <EmptyText text={'没有风险补偿申请'} /> }}
        columns={[
          { title: '资金池', dataIndex: 'fundName' },
          { title: '贷款合同', dataIndex: 'loanId', render: (loanId: string) => <Link to={`/loans/${loanId}`}>{contract.get(loanId) ?? '贷款'}</Link> },
          { title: '银行', dataIndex: 'bankId', render: bankName },
          { title: '申请日', dataIndex: 'date' },
          { title: '金额', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '状态', dataIndex: 'status', render: (status: string) => label(CLAIM_STATUS_LABELS, status) },
          { title: '驳回理由', dataIndex: 'rejectionReason', render: (reason: string | null) => reason ?? '—' },
        ]}
      />
    </>
  );
}

type Listing = paths['/api/v1/whitelist']['get']['responses'][200]['content']['application/json']['items'][number];

export function WhitelistTab({ uscc }: { uscc: string }) {
  const listings = useLoad(() => api.GET('/api/v1/whitelist', { params: { query: { enterprise: uscc, all: 'true', limit: 500 } } }), [uscc]);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Listing>();
  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Text type="secondary">本企业的全部白名单记录（含已移出、已到期）；在册期间向合作银行推送。</Typography.Text>
        <OperationButton operation="POST /api/v1/whitelist" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          加入白名单
        </OperationButton>
      </div>
      <LoadProblem problem={listings.problem} />
      <Table<Listing>
        rowKey="id"
        loading={listings.loading}
        dataSource={(listings.data?.items ?? []).filter((listing) => listing.enterpriseUscc === uscc)}
        pagination={false}
        size="middle"
        locale={{ emptyText: <EmptyText text={'未列入白名单'} /> }}
        columns={[
          { title: '入选理由', dataIndex: 'reason' },
          { title: '有效期自', dataIndex: 'validFrom' },
          { title: '有效期至', dataIndex: 'validTo' },
          { title: '列入时间', dataIndex: 'addedAt', render: formatInstant },
          { title: '状态', dataIndex: 'removedAt', render: (removedAt: string | null) => (removedAt ? <StatusTag tone="muted">已移出</StatusTag> : <StatusTag tone="ok">在册</StatusTag>) },
          { title: '移出理由', dataIndex: 'removalReason', render: (reason: string | null) => reason ?? '—' },
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, listing) =>
              listing.removedAt ? null : (
                <OperationButton operation="POST /api/v1/whitelist/{id}/removal" size="small" danger onClick={() => setRemoving(listing)}>
                  移出
                </OperationButton>
              ),
          },
        ]}
      />
      {adding && (
        <InputDialog<{ reason: string; validFrom: Dayjs; validTo: Dayjs }>
          title="加入白名单"
          name="whitelistEntry"
          operation="POST /api/v1/whitelist"
          submit={(values, key) =>
            api.POST('/api/v1/whitelist', {
              params: { header: { 'Idempotency-Key': key } },
              body: { enterpriseUscc: uscc, reason: values.reason.trim(), validFrom: toApiDate(values.validFrom)!, validTo: toApiDate(values.validTo)! },
            })
          }
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            listings.reload();
          }}
        >
          {(form) => (
            <>
              <Form.Item label="入选理由" name="reason" rules={textRules('入选理由', 500)}>
                <Input.TextArea rows={3} />
              </Form.Item>
              <Form.Item label="有效期自" name="validFrom" rules={[{ required: true, message: '请选择有效期起始日' }]}>
                <DatePicker format={DATE_FORMAT} />
              </Form.Item>
              <Form.Item
                label="有效期至"
                name="validTo"
                dependencies={['validFrom']}
                rules={[
                  { required: true, message: '请选择有效期截止日' },
                  {
                    validator: async (_rule, value: Dayjs | undefined) => {
                      const from = form.getFieldValue('validFrom') as Dayjs | undefined;
                      if (value && from && value.isBefore(from, 'day')) throw new Error('截止日不能早于起始日');
                    },
                  },
                ]}
              >
                <DatePicker format={DATE_FORMAT} />
              </Form.Item>
            </>
          )}
        </InputDialog>
      )}
      {removing && (
        <InputDialog<{ reason: string }>
          title="移出白名单"
          name="whitelistRemoval"
          operation="POST /api/v1/whitelist/{id}/removal"
          submitLabel="确认移出"
          submit={(values, key) =>
            api.POST('/api/v1/whitelist/{id}/removal', { params: { path: { id: removing.id }, header: { 'Idempotency-Key': key } }, body: { reason: values.reason.trim() } })
          }
          onClose={() => setRemoving(undefined)}
          onDone={() => {
            setRemoving(undefined);
            listings.reload();
          }}
        >
          <Form.Item label="移出理由" name="reason" rules={textRules('移出理由', 500)}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </InputDialog>
      )}
    </>
  );
}

export function CorrectionsTab({ uscc, reloadKey }: { uscc: string; reloadKey: number }) {
  const can = useCan();
  const names = useLoad(() => allPages((cursor) => api.GET('/api/v1/enterprises/{uscc}/name-corrections', { params: { path: { uscc }, query: wholeListPage(cursor) } })), [uscc, reloadKey]);
  const divisions = useLoad(
    async () => (can('GET /api/v1/enterprises/{uscc}/division-corrections') ? allPages((cursor) => api.GET('/api/v1/enterprises/{uscc}/division-corrections', { params: { path: { uscc }, query: wholeListPage(cursor) } })) : { data: { items: [], nextCursor: null } }),
    [uscc, reloadKey],
  );
  const rows = [
    ...(names.data?.items ?? []).map((c) => ({ key: `n${c.id}`, what: '企业名称', from: c.from, to: c.to, reason: c.reason, by: c.changedByName ?? '—', at: c.changedAt })),
    ...(divisions.data?.items ?? []).map((c) => ({ key: `d${c.id}`, what: '行政区划', from: c.from, to: c.to, reason: c.reason, by: c.changedByName ?? '—', at: c.changedAt })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <>
      <LoadProblem problem={names.problem ?? divisions.problem} />
      <Table
        rowKey="key"
        loading={names.loading || divisions.loading}
        dataSource={rows}
        pagination={false}
        size="middle"
        locale={{ emptyText: <EmptyText text={'没有更正记录'} /> }}
        columns={[
          { title: '更正事项', dataIndex: 'what' },
          { title: '原内容', dataIndex: 'from' },
          { title: '更正为', dataIndex: 'to' },
          { title: '理由', dataIndex: 'reason' },
          { title: '操作人', dataIndex: 'by' },
          { title: '时间', dataIndex: 'at', render: formatInstant },
        ]}
      />
    </>
  );
}
