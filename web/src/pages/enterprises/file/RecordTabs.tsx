/**
 * The enterprise file's records, one tab each: what staff entered for the runs (contributions, premiums, fees, other
 * support, exclusions, status records), with who entered it and when, and its action (record; withdraw where the
 * documents allow a record to end). Lists are the API's, newest records kept beside the ones they supersede.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import { api } from '../../../api/client';
import { allPages, wholeListPage } from '../../../api/allPages';
import type { paths } from '../../../api/schema';
import type { Operation } from '../../../api/roles';
import { useLoad, type Loaded } from '../../../api/useLoad';
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

/** An amount in yuan, right-aligned. */
const amountColumn = <T,>(title: string): TableColumnsType<T>[number] => ({ title, dataIndex: 'amount', align: 'right', render: (value: string) => <Amount value={value} /> });

/** Who entered a record and when (by default its recordedBy and recordedAt). */
const recordedColumns = <T,>(who: (id: string) => ReactNode, by = 'recordedBy', at = 'recordedAt'): TableColumnsType<T> => [
  { title: '登记人', dataIndex: by, render: who },
  { title: '登记时间', dataIndex: at, render: formatInstant },
];

type Withdrawable = { id: string; withdrawal: { on: string; reason: string } | null };
type WithdrawalOperation = 'POST /api/v1/enterprises/{uscc}/exclusions/{id}/withdrawal' | 'POST /api/v1/enterprises/{uscc}/status-records/{id}/withdrawal';

/** A withdrawable record's state and the reason it was withdrawn. */
const withdrawalColumns = <T extends Withdrawable>(): TableColumnsType<T> => [
  { title: '状态', dataIndex: 'withdrawal', render: withdrawnTag },
  { title: '撤销理由', dataIndex: 'withdrawal', key: 'withdrawalReason', render: (w: T['withdrawal']) => w?.reason ?? '—' },
];

/** The action of a record still in force: withdraw it. */
const withdrawColumn = <T extends Withdrawable>(operation: WithdrawalOperation, withdraw: (record: T) => void): TableColumnsType<T>[number] => ({
  title: '操作',
  key: 'actions',
  render: (_: unknown, record: T) =>
    record.withdrawal ? null : (
      <OperationButton operation={operation} size="small" danger onClick={() => withdraw(record)}>
        撤销
      </OperationButton>
    ),
});

/**
 * One tab of records: its action above the list (after a note, if any), the list's problem, the list. The action
 * opens the page's dialog (`onAdd`) or the tab's own (`dialog`, given how to close it and what to do once recorded:
 * close it and read the list again).
 */
function RecordTab<T extends { id: string }>({
  operation,
  action,
  note,
  disabled,
  onAdd,
  dialog,
  list,
  items,
  columns,
  children,
}: {
  operation: Operation;
  action: string;
  note?: ReactNode;
  disabled?: boolean;
  onAdd?: () => void;
  dialog?: (onClose: () => void, onDone: () => void) => ReactNode;
  list: Pick<Loaded<unknown>, 'problem' | 'loading' | 'reload'>;
  items: T[];
  columns: TableColumnsType<T>;
  children?: ReactNode;
}) {
  const [adding, setAdding] = useState(false);
  const button = (
    <OperationButton operation={operation} type="primary" icon={<PlusOutlined />} onClick={onAdd ?? (() => setAdding(true))} disabled={disabled}>
      {action}
    </OperationButton>
  );
  return (
    <>
      <Toolbar>
        {note ? (
          <Space>
            <Typography.Text type="secondary">{note}</Typography.Text>
            {button}
          </Space>
        ) : (
          button
        )}
      </Toolbar>
      <LoadProblem problem={list.problem} />
      <Table<T> rowKey="id" loading={list.loading} dataSource={items} pagination={false} size="middle" columns={columns} />
      {adding &&
        dialog?.(
          () => setAdding(false),
          () => {
            setAdding(false);
            list.reload();
          },
        )}
      {children}
    </>
  );
}

/** A record being withdrawn, in its dialog; the list read again once it is. */
function Withdrawing<T extends Withdrawable>({ record, title, name, operation, uscc, list, onClose }: {
  record: T | undefined;
  title: (record: T) => string;
  name: string;
  operation: WithdrawalOperation;
  uscc: string;
  list: Pick<Loaded<unknown>, 'reload'>;
  onClose: () => void;
}) {
  if (!record) return null;
  const path = operation.slice('POST '.length) as WithdrawalOperation extends `POST ${infer P}` ? P : never;
  return (
    <WithdrawalDialog
      title={title(record)}
      name={name}
      operation={operation}
      call={(body, key) => api.POST(path, { params: { path: { uscc, id: record.id }, header: { 'Idempotency-Key': key } }, body })}
      onClose={onClose}
      onDone={() => {
        onClose();
        list.reload();
      }}
    />
  );
}

export function ContributionsTab({ uscc, year }: { uscc: string; year: number }) {
  const list = useLoad(() => allPages((cursor) => api.GET('/api/v1/enterprises/{uscc}/contributions', { params: { path: { uscc }, query: wholeListPage(cursor) } })), [uscc]);
  const who = usePrincipalNames();
  return (
    <RecordTab<Contribution>
      operation="POST /api/v1/enterprises/{uscc}/contributions"
      action="登记地方贡献"
      dialog={(onClose, onDone) => <ContributionDialog uscc={uscc} defaultYear={year} onClose={onClose} onDone={onDone} />}
      list={list}
      items={list.data?.items ?? []}
      columns={[
        { title: '年度', dataIndex: 'year' },
        amountColumn('地方贡献'),
        { title: '状态', dataIndex: 'current', render: (current: boolean) => (current ? <StatusTag tone="ok">现行</StatusTag> : <StatusTag tone="muted">已被后续登记取代</StatusTag>) },
        ...recordedColumns<Contribution>(who),
      ]}
    />
  );
}

export function PremiumsTab({ uscc }: { uscc: string }) {
  const list = useLoad(() => allPages((cursor) => api.GET('/api/v1/enterprises/{uscc}/premiums', { params: { path: { uscc }, query: wholeListPage(cursor) } })), [uscc]);
  const who = usePrincipalNames();
  return (
    <RecordTab<Premium>
      operation="POST /api/v1/enterprises/{uscc}/premiums"
      action="登记专利保险保费"
      dialog={(onClose, onDone) => <PremiumDialog uscc={uscc} onClose={onClose} onDone={onDone} />}
      list={list}
      items={list.data?.items ?? []}
      columns={[{ title: '缴费日期', dataIndex: 'paidOn' }, amountColumn('保费'), ...recordedColumns<Premium>(who)]}
    />
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
  const list = usePerLoan(loans, (id) => allPages((cursor) => api.GET('/api/v1/loans/{id}/fees', { params: { path: { id }, query: wholeListPage(cursor) } })));
  const who = usePrincipalNames();
  useReloadOn(reloadKey, list.reload);
  return (
    <RecordTab<Fee>
      operation="POST /api/v1/loans/{id}/fees"
      action="登记费用"
      onAdd={onAdd}
      disabled={loans.length === 0}
      list={list}
      items={(list.data ?? []) as Fee[]}
      columns={[
        { title: '贷款合同', dataIndex: 'contractNo' },
        { title: '费用类别', dataIndex: 'kind', render: (kind: string) => label(FEE_KIND_LABELS, kind) },
        amountColumn('金额'),
        { title: '支付日期', dataIndex: 'paidOn' },
        ...recordedColumns<Fee>(who),
      ]}
    />
  );
}

export function OtherSupportTab({ loans, reloadKey, onAdd }: { loans: EnterpriseLoan[]; reloadKey: number; onAdd: () => void }) {
  const list = usePerLoan(loans, (id) => allPages((cursor) => api.GET('/api/v1/loans/{id}/other-support', { params: { path: { id }, query: wholeListPage(cursor) } })));
  const who = usePrincipalNames();
  useReloadOn(reloadKey, list.reload);
  return (
    <RecordTab<OtherSupport>
      operation="POST /api/v1/loans/{id}/other-support"
      action="登记其他补助"
      onAdd={onAdd}
      disabled={loans.length === 0}
      list={list}
      items={(list.data ?? []) as OtherSupport[]}
      columns={[
        { title: '贷款合同', dataIndex: 'contractNo' },
        { title: '项目', dataIndex: 'programme' },
        { title: '财政层级', dataIndex: 'fiscalLevel', render: (level: string) => label(FISCAL_LEVEL_LABELS, level) },
        amountColumn('金额'),
        { title: '所属年度', dataIndex: 'year', render: (year: number | null) => year ?? '各年度' },
        ...recordedColumns<OtherSupport>(who),
      ]}
    />
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
  const list = useLoad(() => allPages((cursor) => api.GET('/api/v1/enterprises/{uscc}/exclusions', { params: { path: { uscc }, query: wholeListPage(cursor) } })), [uscc]);
  const who = usePrincipalNames();
  const [withdrawing, setWithdrawing] = useState<Exclusion>();
  const withdrawal = 'POST /api/v1/enterprises/{uscc}/exclusions/{id}/withdrawal' as const;
  return (
    <RecordTab<Exclusion>
      operation="POST /api/v1/enterprises/{uscc}/exclusions"
      action="列为不予补助"
      dialog={(onClose, onDone) => <ExclusionDialog uscc={uscc} defaultYear={year} onClose={onClose} onDone={onDone} />}
      list={list}
      items={list.data?.items ?? []}
      columns={[
        { title: '年度', dataIndex: 'year' },
        { title: '原因', dataIndex: 'reason' },
        ...withdrawalColumns<Exclusion>(),
        ...recordedColumns<Exclusion>(who, 'setBy', 'setAt'),
        withdrawColumn<Exclusion>(withdrawal, setWithdrawing),
      ]}
    >
      <Withdrawing
        record={withdrawing}
        title={(exclusion) => `撤销 ${exclusion.year} 年度不予补助`}
        name="exclusionWithdrawal"
        operation={withdrawal}
        uscc={uscc}
        list={list}
        onClose={() => setWithdrawing(undefined)}
      />
    </RecordTab>
  );
}

export function StatusRecordsTab({ uscc }: { uscc: string }) {
  const list = useLoad(() => allPages((cursor) => api.GET('/api/v1/enterprises/{uscc}/status-records', { params: { path: { uscc }, query: wholeListPage(cursor) } })), [uscc]);
  const who = usePrincipalNames();
  const [withdrawing, setWithdrawing] = useState<StatusRecord>();
  const withdrawal = 'POST /api/v1/enterprises/{uscc}/status-records/{id}/withdrawal' as const;
  return (
    <RecordTab<StatusRecord>
      operation="POST /api/v1/enterprises/{uscc}/status-records"
      action="登记经营状态"
      note="《关于全面加强知识产权工作的实施意见》第二十条"
      dialog={(onClose, onDone) => <StatusRecordDialog uscc={uscc} onClose={onClose} onDone={onDone} />}
      list={list}
      items={list.data?.items ?? []}
      columns={[
        { title: '情形', dataIndex: 'condition', render: (condition: string) => label(STATUS_CONDITION_LABELS, condition) },
        { title: '起始日', dataIndex: 'from' },
        { title: '截止日', dataIndex: 'to', render: (to: string | null) => to ?? '至今' },
        { title: '依据与说明', dataIndex: 'reason' },
        ...withdrawalColumns<StatusRecord>(),
        ...recordedColumns<StatusRecord>(who),
        withdrawColumn<StatusRecord>(withdrawal, setWithdrawing),
      ]}
    >
      <Withdrawing
        record={withdrawing}
        title={() => '撤销经营状态记录'}
        name="statusWithdrawal"
        operation={withdrawal}
        uscc={uscc}
        list={list}
        onClose={() => setWithdrawing(undefined)}
      />
    </RecordTab>
  );
}

export { FeeDialog, OtherSupportDialog };
