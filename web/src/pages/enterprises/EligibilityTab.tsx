/**
 * 资格检查: for a year, every policy in force (GET /api/v1/enterprises/{uscc}/eligibility), whether it applies to the
 * enterprise, and each loan with every condition ✓/✗, the clause it comes from and, for a missed one, 如何满足. The
 * API's Chinese texts (messageZh, toMeetZh) are shown as they come; the codes name the conditions.
 */
import { clauseText } from '../../catalogue';
import { CheckCircleFilled, CloseCircleFilled, MinusCircleFilled } from '@ant-design/icons';
import { Card, Collapse, Descriptions, Empty, Select, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../api/useLoad';
import { Amount } from '../../components/Amount';
import { LoadProblem } from '../../components/LoadProblem';
import { StatusTag } from '../../components/StatusTag';
import { CONDITION_LABELS } from './labels';

type Answer = paths['/api/v1/enterprises/{uscc}/eligibility']['get']['responses'][200]['content']['application/json'];
type PolicyAnswer = Answer['policies'][number];
type LoanAnswer = PolicyAnswer['loans'][number];
type Condition = PolicyAnswer['conditions'][number];

/** Years a clerk asks about: from the earliest policy (2021) to this year. */
export function eligibilityYears(now = new Date()): number[] {
  const years: number[] = [];
  for (let year = now.getFullYear(); year >= 2021; year -= 1) years.push(year);
  return years;
}

function Mark({ condition }: { condition: Condition }) {
  if (condition.met) return <CheckCircleFilled style={{ color: '#1a7f37' }} aria-label="满足" role="img" />;
  if (condition.kind === 'limit') return <MinusCircleFilled style={{ color: '#8a5a00' }} aria-label="削减" role="img" />;
  return <CloseCircleFilled style={{ color: '#b3261e' }} aria-label="不满足" role="img" />;
}

function ConditionTable({ conditions, caption }: { conditions: Condition[]; caption: string }) {
  return (
    <Table<Condition>
      rowKey={(condition) => `${condition.code}:${condition.kind}`}
      size="small"
      pagination={false}
      dataSource={conditions}
      title={() => <Typography.Text strong>{caption}</Typography.Text>}
      columns={[
        { title: '结果', key: 'met', width: 56, align: 'center', render: (_, condition) => <Mark condition={condition} /> },
        {
          title: '条件',
          key: 'code',
          width: 180,
          render: (_, condition) => (
            <>
              {CONDITION_LABELS[condition.code] ?? condition.code}
              {condition.kind === 'limit' && <Typography.Text type="secondary">（限额）</Typography.Text>}
            </>
          ),
        },
        { title: '情况', dataIndex: 'messageZh' },
        { title: '依据', dataIndex: 'reference', width: 260, render: (reference: string) => <Typography.Text type="secondary">{clauseText(reference)}</Typography.Text> },
        { title: '如何满足', dataIndex: 'toMeetZh', render: (toMeet: string | null) => toMeet ?? '—' },
      ]}
    />
  );
}

function LoanPanel({ loan }: { loan: LoanAnswer }) {
  return (
    <>
      <Descriptions size="small" column={3} style={{ marginBottom: 8 }}>
        <Descriptions.Item label="合同编号">
          <Link to={`/loans/${loan.loanId}`}>{loan.contractNo}</Link>
        </Descriptions.Item>
        <Descriptions.Item label="资格">{loan.eligible ? <StatusTag tone="ok">符合</StatusTag> : <StatusTag tone="bad">不符合</StatusTag>}</Descriptions.Item>
        <Descriptions.Item label="预计贴息（企业上限前）">{loan.estimate === null ? '无法计算' : <Amount value={loan.estimate} />}</Descriptions.Item>
      </Descriptions>
      <ConditionTable conditions={loan.conditions} caption={`贷款 ${loan.contractNo} 的条件`} />
    </>
  );
}

function PolicyCard({ policy }: { policy: PolicyAnswer }) {
  const missedLoans = policy.loans.filter((loan) => !loan.eligible).length;
  return (
    <Card
      title={`${policy.title}（第 ${policy.version} 版）`}
      extra={policy.applies ? <StatusTag tone="ok">适用</StatusTag> : <StatusTag tone="bad">不适用</StatusTag>}
      style={{ marginBottom: 16 }}
    >
      <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="文件">{policy.documentNo}</Descriptions.Item>
        <Descriptions.Item label="预计贴息合计（企业上限前）">{policy.estimate === null ? '无法计算' : <Amount value={policy.estimate} />}</Descriptions.Item>
        {policy.afterLimits !== null && (
          <Descriptions.Item label="上限后">
            <Amount value={policy.afterLimits} />
          </Descriptions.Item>
        )}
      </Descriptions>
      <ConditionTable conditions={policy.conditions} caption="企业条件" />
      {policy.loans.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本年度没有相关贷款" />
      ) : (
        <Collapse
          style={{ marginTop: 12 }}
          // Where the policy applies, the loans that miss a condition open at once; elsewhere the policy's own condition says why.
          defaultActiveKey={policy.applies ? policy.loans.filter((loan) => !loan.eligible).map((loan) => loan.loanId) : []}
          items={policy.loans.map((loan) => ({
            key: loan.loanId,
            label: (
              <Space>
                {loan.eligible ? <CheckCircleFilled style={{ color: '#1a7f37' }} aria-label="符合" role="img" /> : <CloseCircleFilled style={{ color: '#b3261e' }} aria-label="不符合" role="img" />}
                <span>贷款 {loan.contractNo}</span>
                {loan.estimate !== null && loan.eligible && <Amount value={loan.estimate} />}
              </Space>
            ),
            children: <LoanPanel loan={loan} />,
          }))}
        />
      )}
      {missedLoans > 0 && policy.applies && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {missedLoans} 笔贷款不符合条件，已展开，见“如何满足”。
        </Typography.Paragraph>
      )}
    </Card>
  );
}

export function EligibilityTab({ uscc, year, onYear }: { uscc: string; year: number; onYear: (year: number) => void }) {
  const answer = useLoad(() => api.GET('/api/v1/enterprises/{uscc}/eligibility', { params: { path: { uscc }, query: { year } } }), [uscc, year]);
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <label htmlFor="eligibility-year">年度</label>
        <Select<number>
          id="eligibility-year"
          value={year}
          style={{ width: 120 }}
          onChange={onYear}
          options={eligibilityYears().map((value) => ({ value, label: `${value} 年` }))}
        />
      </Space>
      <LoadProblem problem={answer.problem} />
      {answer.data?.policies.length === 0 && <Empty description={`${year} 年没有生效的政策`} />}
      {/* The policies that apply to the enterprise first. */}
      {[...(answer.data?.policies ?? [])]
        .sort((a, b) => Number(b.applies) - Number(a.applies))
        .map((policy) => (
          <PolicyCard key={policy.policyId} policy={policy} />
        ))}
    </>
  );
}
