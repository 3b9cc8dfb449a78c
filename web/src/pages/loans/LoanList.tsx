/** Loans filtered on the server, with the totals of every matching loan (GET /api/v1/loans). */
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { DatePicker, Form, Input, Select, Space, Table, Typography, type TableProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { EnterpriseLink, EnterpriseNames } from '../enterprises/EnterpriseName';
import { api } from '../../api/client';
import { allPages, wholeListPage } from '../../api/allPages';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { useMe } from '../../auth/session';
import { Amount } from '../../components/Amount';
import { CursorPager, useCursor } from '../../components/CursorPager';
import { FilterBar } from '../../components/FilterBar';
import { ImportDialog } from '../../components/ImportDialog';
import { BANK_IMPORT_KINDS } from '../../components/importKinds';
import { OperationButton } from '../../components/OperationButton';
import { PageTitle } from '../../components/PageTitle';
import { DATE_FORMAT, toApiDate } from '../../format/date';
import { label, LOAN_STATUS_LABELS, optionsOf, RIGHT_TYPE_LABELS } from '../../format/labels';
import { ProblemAlert } from '../../forms/ProblemAlert';
import { showProblemOnForm, type UnplacedProblem } from '../../forms/problem';
import { NewLoanDialog } from './LoanForms';
import { LoanStatusTag } from './LoanStatusTag';
import { LoadProblem } from '../../components/LoadProblem';

type LoanQuery = NonNullable<paths['/api/v1/loans']['get']['parameters']['query']>;
type LoanPage = paths['/api/v1/loans']['get']['responses'][200]['content']['application/json'];
type LoanRow = LoanPage['items'][number];
type LoanSort = NonNullable<LoanQuery['sort']>;

/** The table's sortable columns and the API's sort column of each. */
const SORTABLE: Record<string, LoanSort> = { contractNo: 'contractNo', startDate: 'startDate', maturityDate: 'maturityDate', principal: 'principal' };

const sortOrder = (sort: LoanSort | undefined, column: string) =>
  sort === SORTABLE[column] ? ('ascend' as const) : sort === `-${SORTABLE[column]}` ? ('descend' as const) : null;

interface FilterValues {
  bankId?: string;
  enterpriseUscc?: string;
  status?: LoanQuery['status'];
  rightType?: LoanQuery['rightType'];
  startFrom?: Dayjs | null;
  startTo?: Dayjs | null;
}

const toQuery = (values: FilterValues): LoanQuery => ({
  bankId: values.bankId || undefined,
  enterpriseUscc: values.enterpriseUscc?.trim() || undefined,
  status: values.status,
  rightType: values.rightType,
  startFrom: toApiDate(values.startFrom),
  startTo: toApiDate(values.startTo),
});

export function LoanList() {
  const me = useMe();
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<LoanQuery>({});
  // Sorted on the server (every list "sortable on the server"): a column header sets `sort`, back to page 1.
  const [sort, setSort] = useState<LoanSort>();
  const [problem, setProblem] = useState<UnplacedProblem>();
  const [uploading, setUploading] = useState(false);
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const pager = useCursor(50);
  const banks = useLoad(() => allPages((cursor) => api.GET('/api/v1/banks', { params: { query: wholeListPage(cursor) } })), []);
  const page = useLoad(async () => {
    const outcome = await api.GET('/api/v1/loans', { params: { query: { ...filter, sort, limit: pager.limit, cursor: pager.cursor } } });
    setProblem(outcome.error ? showProblemOnForm(form, outcome.error) : undefined);
    return outcome;
  }, [filter, sort, pager.limit, pager.cursor]);
  // The answer's bank name; the list of banks only while an older answer lacks it, and never the bank's id.
  const bankName = (id: string, loan: LoanRow) => loan.bankName ?? banks.data?.items.find((bank) => bank.id === id)?.name ?? '—';
  const totals = page.data?.totals;

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            <OperationButton operation="POST /api/v1/loans" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              登记贷款
            </OperationButton>
            <OperationButton operation="POST /api/v1/loans:batch" icon={<UploadOutlined />} onClick={() => setUploading(true)}>
              导入贷款
            </OperationButton>
          </Space>
        }
      >
        贷款
      </PageTitle>
      <FilterBar<FilterValues>
        name="loanFilter"
        form={form}
        onApply={(values) => {
          pager.reset();
          setFilter(toQuery(values));
        }}
      >
        {me.role !== 'bank' && (
          <Form.Item label="银行" name="bankId">
            <Select
              allowClear
              style={{ width: 200 }}
              placeholder="全部"
              options={(banks.data?.items ?? []).map((bank) => ({ value: bank.id, label: bank.name }))}
            />
          </Form.Item>
        )}
        <Form.Item label="企业统一社会信用代码" name="enterpriseUscc">
          <Input allowClear style={{ width: 210 }} />
        </Form.Item>
        <Form.Item label="状态" name="status">
          <Select allowClear style={{ width: 110 }} placeholder="全部" options={optionsOf(LOAN_STATUS_LABELS)} />
        </Form.Item>
        <Form.Item label="权利类型" name="rightType">
          <Select allowClear style={{ width: 110 }} placeholder="全部" options={optionsOf(RIGHT_TYPE_LABELS)} />
        </Form.Item>
        <Form.Item label="起始日自" name="startFrom">
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item label="至" name="startTo">
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </FilterBar>
      <ProblemAlert problem={problem} />
      {/* A read that never reached the service (no answer to put on the form): said so, with 重试. */}
      <LoadProblem problem={page.problem && !problem ? page.problem : undefined} onRetry={page.reload} />
      <EnterpriseNames usccs={(page.data?.items ?? []).map((loan) => loan.enterpriseUscc)}>
      <Table<LoanRow>
        rowKey="id"
        loading={page.loading}
        dataSource={page.data?.items ?? []}
        pagination={false}
        size="middle"
        scroll={{ x: 1100 }}
        onChange={((_pagination, _filters, sorter) => {
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          const column = SORTABLE[String(one?.field ?? '')];
          pager.reset();
          setSort(one?.order && column ? ((one.order === 'descend' ? `-${column}` : column) as LoanSort) : undefined);
        }) satisfies TableProps<LoanRow>['onChange']}
        columns={[
          { title: '合同编号', dataIndex: 'contractNo', sorter: true, sortOrder: sortOrder(sort, 'contractNo'), render: (contractNo: string, loan) => <Link to={`/loans/${loan.id}`}>{contractNo}</Link> },
          ...(me.role === 'bank' ? [] : [{ title: '银行', dataIndex: 'bankId', render: bankName }]),
          { title: '企业', dataIndex: 'enterpriseUscc', render: (uscc: string, loan: LoanRow) => <EnterpriseLink uscc={uscc} name={loan.enterpriseName} /> },
          { title: '权利类型', key: 'rightTypes', render: (_, loan) => [...new Set(loan.pledges.map((p) => label(RIGHT_TYPE_LABELS, p.rightType)))].join('、') },
          { title: '起始日', dataIndex: 'startDate', sorter: true, sortOrder: sortOrder(sort, 'startDate') },
          { title: '到期日', dataIndex: 'maturityDate', sorter: true, sortOrder: sortOrder(sort, 'maturityDate') },
          { title: '合同金额', dataIndex: 'principal', align: 'right', sorter: true, sortOrder: sortOrder(sort, 'principal'), render: (value: string) => <Amount value={value} /> },
          { title: '贷款余额', dataIndex: 'outstandingPrincipal', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '已付利息', dataIndex: 'interestPaid', align: 'right', render: (value: string) => <Amount value={value} /> },
          { title: '状态', dataIndex: 'status', render: (_status: LoanRow['status'], loan) => <LoanStatusTag loan={loan} /> },
        ]}
        summary={() =>
          totals && (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={me.role === 'bank' ? 5 : 6}>
                <Typography.Text strong>全部符合条件的 {totals.count} 笔合计</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <Amount value={totals.principal} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                <Amount value={totals.outstandingPrincipal} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <Amount value={totals.interestPaid} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} />
            </Table.Summary.Row>
          )
        }
      />
      </EnterpriseNames>
      <CursorPager state={pager} nextCursor={page.data?.nextCursor} loading={page.loading} />
      {creating && <NewLoanDialog onClose={() => setCreating(false)} onDone={(loan) => navigate(`/loans/${loan.id}`)} />}
      {uploading && (
        <ImportDialog
          kinds={BANK_IMPORT_KINDS}
          onClose={() => setUploading(false)}
          onImported={() => {
            setUploading(false);
            page.reload();
          }}
        />
      )}
    </>
  );
}
