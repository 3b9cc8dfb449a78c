/**
 * 贷款与质押: the enterprise's loans (a bank sees only its own, as the API answers), each with its pledges; the
 * contract number opens the loan's page. Staff record a fee paid for a loan or another programme's support of it
 * from here (袁府办字〔2023〕25号 四(三)2, 奖励认定1; 《关于全面加强知识产权工作的实施意见》 § 21).
 */
import { Space, Table } from 'antd';
import { Link } from 'react-router';
import { Amount } from '../../../components/Amount';
import { OperationButton } from '../../../components/OperationButton';
import { COLLATERAL_LABELS, label, RIGHT_TYPE_LABELS } from '../../../format/labels';
import { LoanStatusTag } from '../../loans/LoanStatusTag';
import type { EnterpriseLoan } from './useEnterpriseLoans';
import { useBankNames } from './names';

export function LoansTab({ loans, loading, onFee, onOtherSupport }: { loans: EnterpriseLoan[]; loading: boolean; onFee: (loan: EnterpriseLoan) => void; onOtherSupport: (loan: EnterpriseLoan) => void }) {
  const bankName = useBankNames();
  return (
    <Table<EnterpriseLoan>
      rowKey="id"
      loading={loading}
      dataSource={loans}
      pagination={false}
      size="middle"
      expandable={{
        expandRowByClick: false,
        rowExpandable: (loan) => loan.pledges.length > 0,
        expandedRowRender: (loan) => (
          <Table
            rowKey="lineNo"
            size="small"
            pagination={false}
            dataSource={loan.pledges}
            columns={[
              { title: '序号', dataIndex: 'lineNo' },
              { title: '权利类型', dataIndex: 'rightType', render: (type: string) => label(RIGHT_TYPE_LABELS, type) },
              { title: '权利号', dataIndex: 'number' },
              { title: '质押登记号', dataIndex: 'registrationNo', render: (value: string | null) => value ?? '—' },
              { title: '担保债权数额', dataIndex: 'securedAmount', render: (value: string | null) => (value ? <Amount value={value} /> : '—') },
            ]}
          />
        ),
      }}
      columns={[
        { title: '合同编号', dataIndex: 'contractNo', render: (contractNo: string, loan) => <Link to={`/loans/${loan.id}`}>{contractNo}</Link> },
        { title: '贷款银行', dataIndex: 'bankId', render: bankName },
        { title: '本金', dataIndex: 'principal', align: 'right', render: (value: string) => <Amount value={value} /> },
        { title: '担保方式', dataIndex: 'collateral', render: (value: string) => label(COLLATERAL_LABELS, value) },
        { title: '质押物', dataIndex: 'pledges', render: (pledges: EnterpriseLoan['pledges']) => `${pledges.length} 项` },
        { title: '起始日', dataIndex: 'startDate' },
        { title: '到期日', dataIndex: 'maturityDate' },
        { title: '余额', dataIndex: 'outstandingPrincipal', align: 'right', render: (value: string) => <Amount value={value} /> },
        { title: '状态', dataIndex: 'status', render: (_: EnterpriseLoan['status'], loan: EnterpriseLoan) => <LoanStatusTag loan={loan} /> },
        {
          title: '操作',
          key: 'actions',
          render: (_: unknown, loan) => (
            <Space size="small">
              <OperationButton operation="POST /api/v1/loans/{id}/fees" size="small" onClick={() => onFee(loan)}>
                登记费用
              </OperationButton>
              <OperationButton operation="POST /api/v1/loans/{id}/other-support" size="small" onClick={() => onOtherSupport(loan)}>
                登记其他补助
              </OperationButton>
            </Space>
          ),
        },
      ]}
    />
  );
}
