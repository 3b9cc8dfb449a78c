/**
 * The enterprise file's records, one tab each: what staff entered for the runs (contributions, premiums, fees, other
 * support, exclusions, status records), with who entered it and when, and its action (record; withdraw where the
 * documents allow a record to end). Lists are the API's, newest records kept beside the ones they supersede.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Space, Table, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { api } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { useLoad } from '../../../api/useLoad';
import { Amount } from '../../../components/Amount';
import { LoadProblem } from '../../../components/LoadProblem';
import { OperationButton } from '../../../components/OperationButton';
import { StatusTag } from '../../../components/StatusTag';
import { formatInstant } from '../../../format/date';
import { label } from '../../../format/labels';
import { ContributionDialog, ExclusionDialog, FeeDialog, OtherSupportDialog, PremiumDialog, StatusRecordDialog, WithdrawalDialog } from './dialogs';
import { FEE_KIND_LABELS, FISCAL_LEVEL_LABELS, STATUS_CONDITION_LABELS } from './labels';
import { usePrincipalNames } from './names';
import type { EnterpriseLoan } from './useEnterpriseLoans';

type Json<P extends keyof paths, M extends 'get'> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;
type Contribution = Json<'/api/v1/enterprises/{uscc}/contributions', 'get'>['items'][number];
type Premium = Json<'/api/v1/enterprises/{uscc}/premiums', 'get'>['items'][number];
type Exclusion = Json<'/api/v1/enterprises/{uscc}/exclusions', 'get'>['items'][number];
type StatusRecord = Json<'/api/v1/enterprises/{uscc}/status-records', 'get'>['items'][number];
type Fee = Json<'/api/v1/loans/{id}/fees', 'get'>['items'][number] & { contractNo: string };
type OtherSupport = Json<'/api/v1/loans/{id}/other-support', 'get'>['items'][number] & { contractNo: string };

function Toolbar({ children }: { children: ReactNode }) {
  return <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 12 }}>{children}</div>;
}

const withdrawnTag = (withdrawal: { on: string } | null) =>
  withdrawal ? <StatusTag tone="muted">已撤销（{withdrawal.on}）</StatusTag> : <StatusTag tone="ok">有效</StatusTag>;

export function ContributionsTab({ uscc, year }: { uscc: string; year: number }) {
  const list = useLoad(() => api.GET('/api/v1/enterprises/{uscc}/contributions', { params: { path: { uscc } } }), [uscc]);
  const who = usePrincipalNames();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <Toolbar>
        <OperationButton operation="POST /api/v1/enterprises/{uscc}/contributions" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          登记地方贡献
        </OperationButton>
      </Toolbar>
      <LoadProblem problem={list.problem} />
      <Table<Contribution>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        size="middle"
        columns={[
          { title: '年度', dataIndex: 'year' },
          { title: '地方贡献', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '状态', dataIndex: 'current', render: (current: boolean) => (current ? <StatusTag tone="ok">现行</StatusTag> : <StatusTag tone="muted">已被后续登记取代</StatusTag>) },
          { title: '登记人', dataIndex: 'recordedBy', render: who },
          { title: '登记时间', dataIndex: 'recordedAt', render: formatInstant },
        ]}
      />
      {adding && <ContributionDialog uscc={uscc} defaultYear={year} onClose={() => setAdding(false)} onDone={() => { setAdding(false); list.reload(); }} />}
    </>
  );
}

export function PremiumsTab({ uscc }: { uscc: string }) {
  const list = useLoad(() => api.GET('/api/v1/enterprises/{uscc}/premiums', { params: { path: { uscc } } }), [uscc]);
  const who = usePrincipalNames();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <Toolbar>
        <OperationButton operation="POST /api/v1/enterprises/{uscc}/premiums" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          登记专利保险保费
        </OperationButton>
      </Toolbar>
      <LoadProblem problem={list.problem} />
      <Table<Premium>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        size="middle"
        columns={[
          { title: '缴费日期', dataIndex: 'paidOn' },
          { title: '保费', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '登记人', dataIndex: 'recordedBy', render: who },
          { title: '登记时间', dataIndex: 'recordedAt', render: formatInstant },
        ]}
      />
      {adding && <PremiumDialog uscc={uscc} onClose={() => setAdding(false)} onDone={() => { setAdding(false); list.reload(); }} />}
    </>
  );
}

/** Per loan lists (fees, other support) read loan by loan: an enterprise has few loans. */
function usePerLoan<T>(loans: EnterpriseLoan[], read: (loanId: string) => Promise<{ data?: { items: T[] }; error?: import('../../../api/client').Problem }>) {
  return useLoad(async () => {
    const answers = await Promise.all(loans.map(async (loan) => ({ loan, answer: await read(loan.id) })));
    const failed = answers.find(({ answer }) => answer.error);
    if (failed) return { error: failed.answer.error };
    return { data: answers.flatMap(({ loan, answer }) => (answer.data?.items ?? []).map((item) => ({ ...item, contractNo: loan.contractNo }))) };
  }, [loans.map((loan) => loan.id).join(',')]);
}

export function FeesTab({ loans, reloadKey, onAdd }: { loans: EnterpriseLoan[]; reloadKey: number; onAdd: () => void }) {
  const list = usePerLoan(loans, (id) => api.GET('/api/v1/loans/{id}/fees', { params: { path: { id } } }));
  const who = usePrincipalNames();
  useReloadOn(reloadKey, list.reload);
  return (
    <>
      <Toolbar>
        <OperationButton operation="POST /api/v1/loans/{id}/fees" type="primary" icon={<PlusOutlined />} onClick={onAdd} disabled={loans.length === 0}>
          登记费用
        </OperationButton>
      </Toolbar>
      <LoadProblem problem={list.problem} />
      <Table<Fee>
        rowKey="id"
        loading={list.loading}
        dataSource={(list.data ?? []) as Fee[]}
        pagination={false}
        size="middle"
        columns={[
          { title: '贷款合同', dataIndex: 'contractNo' },
          { title: '费用类别', dataIndex: 'kind', render: (kind: string) => label(FEE_KIND_LABELS, kind) },
          { title: '金额', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '支付日期', dataIndex: 'paidOn' },
          { title: '登记人', dataIndex: 'recordedBy', render: who },
          { title: '登记时间', dataIndex: 'recordedAt', render: formatInstant },
        ]}
      />
    </>
  );
}

export function OtherSupportTab({ loans, reloadKey, onAdd }: { loans: EnterpriseLoan[]; reloadKey: number; onAdd: () => void }) {
  const list = usePerLoan(loans, (id) => api.GET('/api/v1/loans/{id}/other-support', { params: { path: { id } } }));
  const who = usePrincipalNames();
  useReloadOn(reloadKey, list.reload);
  return (
    <>
      <Toolbar>
        <OperationButton operation="POST /api/v1/loans/{id}/other-support" type="primary" icon={<PlusOutlined />} onClick={onAdd} disabled={loans.length === 0}>
          登记其他补助
        </OperationButton>
      </Toolbar>
      <LoadProblem problem={list.problem} />
      <Table<OtherSupport>
        rowKey="id"
        loading={list.loading}
        dataSource={(list.data ?? []) as OtherSupport[]}
        pagination={false}
        size="middle"
        columns={[
          { title: '贷款合同', dataIndex: 'contractNo' },
          { title: '项目', dataIndex: 'programme' },
          { title: '财政层级', dataIndex: 'fiscalLevel', render: (level: string) => label(FISCAL_LEVEL_LABELS, level) },
          { title: '金额', dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '所属年度', dataIndex: 'year', render: (year: number | null) => year ?? '各年度' },
          { title: '登记人', dataIndex: 'recordedBy', render: who },
          { title: '登记时间', dataIndex: 'recordedAt', render: formatInstant },
        ]}
      />
    </>
  );
}

/** Reloads a list when the page's counter moves (a dialog opened from another tab recorded something). */
function useReloadOn(key: number, reload: () => void) {
  const [seen, setSeen] = useState(key);
  if (seen !== key) {
    setSeen(key);
    reload();
  }
}

export function ExclusionsTab({ uscc, year }: { uscc: string; year: number }) {
  const list = useLoad(() => api.GET('/api/v1/enterprises/{uscc}/exclusions', { params: { path: { uscc } } }), [uscc]);
  const who = usePrincipalNames();
  const [adding, setAdding] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Exclusion>();
  return (
    <>
      <Toolbar>
        <OperationButton operation="POST /api/v1/enterprises/{uscc}/exclusions" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          列为不予补助
        </OperationButton>
      </Toolbar>
      <LoadProblem problem={list.problem} />
      <Table<Exclusion>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        size="middle"
        columns={[
          { title: '年度', dataIndex: 'year' },
          { title: '原因', dataIndex: 'reason' },
          { title: '状态', dataIndex: 'withdrawal', render: withdrawnTag },
          { title: '撤销理由', dataIndex: 'withdrawal', key: 'withdrawalReason', render: (w: Exclusion['withdrawal']) => w?.reason ?? '—' },
          { title: '登记人', dataIndex: 'setBy', render: who },
          { title: '登记时间', dataIndex: 'setAt', render: formatInstant },
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, exclusion) =>
              exclusion.withdrawal ? null : (
                <OperationButton operation="POST /api/v1/enterprises/{uscc}/exclusions/{id}/withdrawal" size="small" danger onClick={() => setWithdrawing(exclusion)}>
                  撤销
                </OperationButton>
              ),
          },
        ]}
      />
      {adding && <ExclusionDialog uscc={uscc} defaultYear={year} onClose={() => setAdding(false)} onDone={() => { setAdding(false); list.reload(); }} />}
      {withdrawing && (
        <WithdrawalDialog
          title={`撤销 ${withdrawing.year} 年度不予补助`}
          name="exclusionWithdrawal"
          operation="POST /api/v1/enterprises/{uscc}/exclusions/{id}/withdrawal"
          call={(body, key) =>
            api.POST('/api/v1/enterprises/{uscc}/exclusions/{id}/withdrawal', { params: { path: { uscc, id: withdrawing.id }, header: { 'Idempotency-Key': key } }, body })
          }
          onClose={() => setWithdrawing(undefined)}
          onDone={() => {
            setWithdrawing(undefined);
            list.reload();
          }}
        />
      )}
    </>
  );
}

export function StatusRecordsTab({ uscc }: { uscc: string }) {
  const list = useLoad(() => api.GET('/api/v1/enterprises/{uscc}/status-records', { params: { path: { uscc } } }), [uscc]);
  const who = usePrincipalNames();
  const [adding, setAdding] = useState(false);
  const [withdrawing, setWithdrawing] = useState<StatusRecord>();
  return (
    <>
      <Toolbar>
        <Space>
          <Typography.Text type="secondary">《关于全面加强知识产权工作的实施意见》第二十条</Typography.Text>
          <OperationButton operation="POST /api/v1/enterprises/{uscc}/status-records" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            登记经营状态
          </OperationButton>
        </Space>
      </Toolbar>
      <LoadProblem problem={list.problem} />
      <Table<StatusRecord>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        size="middle"
        columns={[
          { title: '情形', dataIndex: 'condition', render: (condition: string) => label(STATUS_CONDITION_LABELS, condition) },
          { title: '起始日', dataIndex: 'from' },
          { title: '截止日', dataIndex: 'to', render: (to: string | null) => to ?? '至今' },
          { title: '依据与说明', dataIndex: 'reason' },
          { title: '状态', dataIndex: 'withdrawal', render: withdrawnTag },
          { title: '撤销理由', dataIndex: 'withdrawal', key: 'withdrawalReason', render: (w: StatusRecord['withdrawal']) => w?.reason ?? '—' },
          { title: '登记人', dataIndex: 'recordedBy', render: who },
          { title: '登记时间', dataIndex: 'recordedAt', render: formatInstant },
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, record) =>
              record.withdrawal ? null : (
                <OperationButton operation="POST /api/v1/enterprises/{uscc}/status-records/{id}/withdrawal" size="small" danger onClick={() => setWithdrawing(record)}>
                  撤销
                </OperationButton>
              ),
          },
        ]}
      />
      {adding && <StatusRecordDialog uscc={uscc} onClose={() => setAdding(false)} onDone={() => { setAdding(false); list.reload(); }} />}
      {withdrawing && (
        <WithdrawalDialog
          title="撤销经营状态记录"
          name="statusWithdrawal"
          operation="POST /api/v1/enterprises/{uscc}/status-records/{id}/withdrawal"
          call={(body, key) =>
            api.POST('/api/v1/enterprises/{uscc}/status-records/{id}/withdrawal', { params: { path: { uscc, id: withdrawing.id }, header: { 'Idempotency-Key': key } }, body })
          }
          onClose={() => setWithdrawing(undefined)}
          onDone={() => {
            setWithdrawing(undefined);
            list.reload();
          }}
        />
      )}
    </>
  );
}

export { FeeDialog, OtherSupportDialog };
