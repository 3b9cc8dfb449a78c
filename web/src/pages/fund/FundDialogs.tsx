/**
 * The fund's writes, one FormDialog each (docs/api.md "Risk-compensation fund"; src/fund/README.md): staff set a fund
 * up and change its rules from a date (a new version; earlier versions stay as they were), enrol a loan, withdraw an
 * enrolment once its loan is settled and write off what cannot be recovered; a bank enrols its own loan, claims for
 * one in default and records what disposing of the pledge recovered.
 */
import { DatePicker, Form, Input, InputNumber, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback } from 'react';
import { api } from '../../api/client';
import { FormDialog, type FormDialogProps } from '../../components/FormDialog';
import type { Outcome } from '../../forms/useSubmit';
import { chinaToday, DATE_FORMAT, toApiDate } from '../../format/date';
import { FUNDING_BODY_LABELS, label } from '../../format/labels';
import { formatAmount } from '../../format/money';
import type { Fund } from './FundPage';
import { FRACTION_RULES, MONEY_RULES, REQUIRED_DATE } from './forms';
import { useLoanNames, type LoanRow } from './loanNames';

interface ParameterValues {
  shareOfLoss: string;
  leverage: string;
  claimAfterDaysOverdue: number;
  capPerLoan?: string;
  capPerBankPerYear?: string;
  suspensionRatio?: string;
  bodies: string[];
  effectiveFrom: Dayjs;
  reference: string;
}

const OPTIONAL_MONEY = [{ pattern: /^\d{1,15}(\.\d{1,2})?$/, message: '金额最多两位小数，如 300000.00' }];

/** The parameters as the API takes them (empty optional fields left out). */
function parametersOf(values: ParameterValues) {
  const optional = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);
  return {
    shareOfLoss: values.shareOfLoss.trim(),
    leverage: values.leverage.trim(),
    claimAfterDaysOverdue: values.claimAfterDaysOverdue,
    capPerLoan: optional(values.capPerLoan),
    capPerBankPerYear: optional(values.capPerBankPerYear),
    suspensionRatio: optional(values.suspensionRatio),
    bodies: values.bodies,
    effectiveFrom: toApiDate(values.effectiveFrom)!,
    reference: values.reference.trim(),
  };
}

function ParameterFields() {
  return (
    <>
      <Form.Item label="代偿比例" name="shareOfLoss" rules={FRACTION_RULES} extra="资金承担的损失比例，如 0.5 即 50%">
        <Input inputMode="decimal" placeholder="0.5" />
      </Form.Item>
      <Form.Item label="放大倍数" name="leverage" rules={[{ required: true, pattern: /^\d{1,9}(\.\d{1,10})?$/, message: '请输入放大倍数，如 10' }]} extra="入池本金不超过资金规模 × 放大倍数">
        <Input inputMode="decimal" placeholder="10" />
      </Form.Item>
      <Form.Item label="逾期多少天后可申请代偿" name="claimAfterDaysOverdue" rules={[{ required: true, message: '请输入天数' }]}>
        <InputNumber min={0} max={3650} precision={0} />
      </Form.Item>
      <Form.Item label="单笔代偿上限（元）" name="capPerLoan" rules={OPTIONAL_MONEY} extra="不填则不设上限">
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item label="每家银行每年代偿上限（元）" name="capPerBankPerYear" rules={OPTIONAL_MONEY} extra="不填则不设上限">
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item
        label="暂停合作的不良率"
        name="suspensionRatio"
        rules={[{ pattern: /^(0(\.\d{1,10})?|1(\.0{1,10})?)$/, message: '0 到 1 之间的小数，如 0.6' }]}
        extra="银行入池贷款的不良率超过此值时暂停其代偿；不填则不暂停"
      >
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item label="出资方" name="bodies" rules={[{ required: true, message: '请选择出资方' }]}>
        <Select mode="multiple" options={Object.entries(FUNDING_BODY_LABELS).map(([value, text]) => ({ value, label: text }))} />
      </Form.Item>
      <Form.Item label="生效日期" name="effectiveFrom" rules={REQUIRED_DATE}>
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
      <Form.Item label="依据（文件与条款）" name="reference" rules={[{ required: true, whitespace: true, message: '请填写依据的文件与条款' }]}>
        <Input.TextArea maxLength={500} rows={2} placeholder="如 袁府办字〔2023〕25号 三(一)2" />
      </Form.Item>
    </>
  );
}

export function CreateFundDialog({ onClose, onDone }: { onClose: () => void; onDone: (fundId: string) => void }) {
  const submit = useCallback(
    (values: ParameterValues & { code: string; name: string }, key: string) =>
      api.POST('/api/v1/funds', {
        params: { header: { 'Idempotency-Key': key } },
        body: { code: values.code.trim(), name: values.name.trim(), ...parametersOf(values) },
      }),
    [],
  );
  return (
    <FormDialog<ParameterValues & { code: string; name: string }, { id: string }>
      title="设立风险补偿资金"
      name="fundCreate"
      okText="设立"
      operation="POST /api/v1/funds"
      submit={submit}
      onDone={(fund) => onDone(fund.id)}
      onClose={onClose}
      initialValues={{ claimAfterDaysOverdue: 90, bodies: ['city', 'district'], effectiveFrom: chinaToday() }}
    >
      <Form.Item label="资金名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入资金名称' }]}>
        <Input autoFocus placeholder="如 袁州区知识产权质押融资风险补偿资金" />
      </Form.Item>
      <Form.Item label="资金代码" name="code" rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, message: '1–32 位字母、数字、“-”或“_”' }]} extra="用于总账科目，如 YZ-RCF">
        <Input />
      </Form.Item>
      <ParameterFields />
    </FormDialog>
  );
}

export function FundVersionDialog({ fund, onClose, onDone }: { fund: Fund; onClose: () => void; onDone: () => void }) {
  const submit = useCallback(
    (values: ParameterValues, key: string) =>
      api.POST('/api/v1/funds/{id}/versions', { params: { path: { id: fund.id }, header: { 'Idempotency-Key': key } }, body: parametersOf(values) }),
    [fund.id],
  );
  return (
    <FormDialog<ParameterValues, unknown>
      title={`修订规则：${fund.name}（新版本自生效日起适用）`}
      name="fundVersion"
      okText="保存新版本"
      operation="POST /api/v1/funds/{id}/versions"
      submit={submit}
      onDone={onDone}
      onClose={onClose}
      initialValues={{
        shareOfLoss: fund.shareOfLoss,
        leverage: fund.leverage,
        claimAfterDaysOverdue: fund.claimAfterDaysOverdue,
        capPerLoan: fund.capPerLoan ?? undefined,
        capPerBankPerYear: fund.capPerBankPerYear ?? undefined,
        suspensionRatio: fund.suspensionRatio ?? undefined,
        bodies: fund.bodies,
      }}
    >
      <ParameterFields />
    </FormDialog>
  );
}

/**
 * A fund's dated write (today by default): a FormDialog whose call is given the dialog's Idempotency-Key as the header
 * it goes in.
 */
function DatedDialog<Values extends { date: Dayjs }>({
  post,
  ...props
}: Omit<FormDialogProps<Values, unknown>, 'submit' | 'initialValues'> & { post: (values: Values, header: { 'Idempotency-Key': string }) => Promise<Outcome<unknown>> }) {
  const submit = useCallback((values: Values, key: string) => post(values, { 'Idempotency-Key': key }), [post]);
  return <FormDialog<Values, unknown> {...props} submit={submit} initialValues={{ date: chinaToday() } as Partial<Values>} />;
}

/** The date a write takes effect, required. */
function DateField({ label }: { label: string }) {
  return (
    <Form.Item label={label} name="date" rules={REQUIRED_DATE}>
      <DatePicker format={DATE_FORMAT} />
    </Form.Item>
  );
}

interface LoanDateValues {
  loanId: string;
  date: Dayjs;
}

type Done = { onClose: () => void; onDone: () => void };

/** The fund's two writes of a loan on a date: what each asks, and which loans it offers. */
const LOAN_DATE_WRITES = {
  enrolments: (fund: Fund) => ({
    title: `贷款入池：${fund.name}`,
    name: 'fundEnrol',
    okText: '入池',
    loanExtra: `入池本金合计不超过资金规模 × ${fund.leverage} 倍`,
    eligible: (loan: LoanRow) => loan.status !== 'settled',
    dateLabel: '入池日期',
  }),
  claims: (fund: Fund) => ({
    title: `申请代偿：${fund.name}`,
    name: 'fundClaim',
    okText: '提交申请',
    loanExtra: `已入池、已违约且自首次逾期起满 ${fund.claimAfterDaysOverdue} 天的贷款可申请；代偿金额 = 未收回本金 × 知识产权占比 × 代偿比例 ${fund.shareOfLoss}，再按上限截取`,
    eligible: (loan: LoanRow) => loan.status === 'defaulted',
    dateLabel: '申请日期',
  }),
};

/** A loan of those the write offers, on a date: its enrolment in the fund, or a claim for it. */
function LoanDateDialog({ fund, write, onClose, onDone }: { fund: Fund; write: keyof typeof LOAN_DATE_WRITES } & Done) {
  const loans = useLoanNames();
  const post = useCallback(
    (values: LoanDateValues, header: { 'Idempotency-Key': string }) =>
      api.POST(`/api/v1/funds/{id}/${write}`, { params: { path: { id: fund.id }, header }, body: { loanId: values.loanId, date: toApiDate(values.date)! } }),
    [fund.id, write],
  );
  const { title, name, okText, loanExtra, eligible, dateLabel } = LOAN_DATE_WRITES[write](fund);
  return (
    <DatedDialog<LoanDateValues> title={title} name={name} okText={okText} operation={`POST /api/v1/funds/{id}/${write}`} post={post} onDone={onDone} onClose={onClose}>
      <Form.Item label="贷款" name="loanId" rules={[{ required: true, message: '请选择贷款' }]} extra={loanExtra}>
        <Select showSearch optionFilterProp="label" loading={loans.loading} options={loans.options(eligible)} placeholder="按合同编号查找" />
      </Form.Item>
      <DateField label={dateLabel} />
    </DatedDialog>
  );
}

export const EnrolDialog = (props: { fund: Fund } & Done) => <LoanDateDialog write="enrolments" {...props} />;

export const ClaimDialog = (props: { fund: Fund } & Done) => <LoanDateDialog write="claims" {...props} />;

export function WithdrawDialog({ fund, enrolment, loanName, onClose, onDone }: { fund: Fund; enrolment: { id: string; coveredPrincipal: string }; loanName: string } & Done) {
  const post = useCallback(
    (values: { date: Dayjs }, header: { 'Idempotency-Key': string }) =>
      api.POST('/api/v1/funds/{id}/enrolments/{enrolmentId}/withdrawal', {
        params: { path: { id: fund.id, enrolmentId: enrolment.id }, header },
        body: { date: toApiDate(values.date)! },
      }),
    [fund.id, enrolment.id],
  );
  return (
    <DatedDialog<{ date: Dayjs }>
      title={`退出资金池：${loanName}（入池本金 ${formatAmount(enrolment.coveredPrincipal)}）`}
      name="fundWithdraw"
      okText="确认退出"
      danger
      operation="POST /api/v1/funds/{id}/enrolments/{enrolmentId}/withdrawal"
      post={post}
      onDone={onDone}
      onClose={onClose}
    >
      <p>贷款结清后方可退出，退出后其入池本金不再占用放大倍数额度。</p>
      <DateField label="退出日期" />
    </DatedDialog>
  );
}

/** What is done about a claimed loan: a recovery recorded, what cannot be recovered written off. */
type ClaimedLoan = { fund: Fund; claim: { loanId: string }; loanName: string } & Done;

interface RecoveryValues {
  date: Dayjs;
  proceeds: string;
}

export function RecoveryDialog({ fund, claim, loanName, onClose, onDone }: ClaimedLoan) {
  const post = useCallback(
    (values: RecoveryValues, header: { 'Idempotency-Key': string }) =>
      api.POST('/api/v1/funds/{id}/recoveries', {
        params: { path: { id: fund.id }, header },
        body: { loanId: claim.loanId, date: toApiDate(values.date)!, proceeds: values.proceeds.trim() },
      }),
    [fund.id, claim.loanId],
  );
  return (
    <DatedDialog<RecoveryValues> title={`登记追回款：${loanName}`} name="fundRecovery" okText="登记" operation="POST /api/v1/funds/{id}/recoveries" post={post} onDone={onDone} onClose={onClose}>
      <Form.Item label="处置质押物所得（元）" name="proceeds" rules={MONEY_RULES} extra="按代偿时的比例返还资金，以资金就该笔贷款已支付的代偿为限">
        <Input inputMode="decimal" />
      </Form.Item>
      <DateField label="收回日期" />
    </DatedDialog>
  );
}

interface WriteOffValues {
  date: Dayjs;
  amount?: string;
  reason: string;
}

export function WriteOffDialog({ fund, claim, loanName, onClose, onDone }: ClaimedLoan) {
  const post = useCallback(
    (values: WriteOffValues, header: { 'Idempotency-Key': string }) =>
      api.POST('/api/v1/funds/{id}/write-offs', {
        params: { path: { id: fund.id }, header },
        body: { loanId: claim.loanId, date: toApiDate(values.date)!, reason: values.reason.trim(), amount: values.amount?.trim() || undefined },
      }),
    [fund.id, claim.loanId],
  );
  return (
    <DatedDialog<WriteOffValues> title={`核销：${loanName}`} name="fundWriteOff" okText="确认核销" danger operation="POST /api/v1/funds/{id}/write-offs" post={post} onDone={onDone} onClose={onClose}>
      <Form.Item label="核销金额（元）" name="amount" rules={OPTIONAL_MONEY} extra="不填则核销尚可追回的全部金额">
        <Input inputMode="decimal" />
      </Form.Item>
      <DateField label="核销日期" />
      <Form.Item label="核销理由" name="reason" rules={[{ required: true, whitespace: true, message: '请填写核销理由' }]}>
        <Input.TextArea maxLength={1000} rows={3} />
      </Form.Item>
    </DatedDialog>
  );
}

/** The funding bodies of a fund, in Chinese. */
export const bodiesText = (bodies: string[]) => bodies.map((b) => label(FUNDING_BODY_LABELS, b)).join('、');
