/**
 * The forms of the enterprise's file, one per input a run reads (docs/api.md "Staff's inputs to the runs") and per
 * correction: each checks in Chinese what the API checks, and calls one operation.
 */
import { DatePicker, Form, Input, InputNumber, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback } from 'react';
import { api } from '../../../api/client';
import { DATE_FORMAT, toApiDate } from '../../../format/date';
import { optionsOf } from '../../../format/labels';
import { InputDialog } from './InputDialog';
import { amountRules, apiAmount, pastDateRules, textRules, yearRules } from './rules';
import { FEE_KIND_LABELS, FISCAL_LEVEL_LABELS, STATUS_CONDITION_LABELS } from './labels';
import type { EnterpriseLoan } from './useEnterpriseLoans';

const header = (key: string) => ({ 'Idempotency-Key': key });
type Done = { onClose: () => void; onDone: () => void };

export function ContributionDialog({ uscc, defaultYear, onClose, onDone }: { uscc: string; defaultYear: number } & Done) {
  const submit = useCallback(
    (values: { year: number; amount: string }, key: string) =>
      api.POST('/api/v1/enterprises/{uscc}/contributions', {
        params: { path: { uscc }, header: header(key) },
        body: { year: values.year, amount: apiAmount(values.amount) },
      }),
    [uscc],
  );
  return (
    <InputDialog title="登记地方贡献" name="contribution" operation="POST /api/v1/enterprises/{uscc}/contributions" initialValues={{ year: defaultYear }} submit={submit} onClose={onClose} onDone={onDone}>
      <Form.Item label="年度" name="year" rules={yearRules}>
        <InputNumber style={{ width: 140 }} />
      </Form.Item>
      <Form.Item label="地方贡献（元）" name="amount" rules={amountRules(false)} extra="该年度企业对地方的贡献额；当年各项补助合计不超过此数（《关于全面加强知识产权工作的实施意见》第二十二条）。同一年度以最后一次登记为准。">
        <Input inputMode="decimal" />
      </Form.Item>
    </InputDialog>
  );
}

export function PremiumDialog({ uscc, onClose, onDone }: { uscc: string } & Done) {
  const submit = useCallback(
    (values: { amount: string; paidOn: Dayjs }, key: string) =>
      api.POST('/api/v1/enterprises/{uscc}/premiums', {
        params: { path: { uscc }, header: header(key) },
        body: { amount: apiAmount(values.amount), paidOn: toApiDate(values.paidOn)! },
      }),
    [uscc],
  );
  return (
    <InputDialog title="登记专利保险保费" name="premium" operation="POST /api/v1/enterprises/{uscc}/premiums" submit={submit} onClose={onClose} onDone={onDone}>
      <Form.Item label="保费金额（元）" name="amount" rules={amountRules()}>
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item label="缴费日期" name="paidOn" rules={pastDateRules('缴费日期')}>
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
    </InputDialog>
  );
}

export function ExclusionDialog({ uscc, defaultYear, onClose, onDone }: { uscc: string; defaultYear: number } & Done) {
  const submit = useCallback(
    (values: { year: number; reason: string }, key: string) =>
      api.POST('/api/v1/enterprises/{uscc}/exclusions', { params: { path: { uscc }, header: header(key) }, body: { year: values.year, reason: values.reason.trim() } }),
    [uscc],
  );
  return (
    <InputDialog title="列为不予补助" name="exclusion" operation="POST /api/v1/enterprises/{uscc}/exclusions" initialValues={{ year: defaultYear }} submit={submit} onClose={onClose} onDone={onDone}>
      <Form.Item label="年度" name="year" rules={yearRules}>
        <InputNumber style={{ width: 140 }} />
      </Form.Item>
      <Form.Item label="原因" name="reason" rules={textRules('原因', 500)} extra="如发生安全生产事故、劳资纠纷、违法行为被调查（《关于全面加强知识产权工作的实施意见》第二十三条）">
        <Input.TextArea rows={3} />
      </Form.Item>
    </InputDialog>
  );
}

/** Withdrawing an exclusion or a status record: the day and the reason. */
export function WithdrawalDialog({ title, name, operation, call, onClose, onDone }: {
  title: string;
  name: string;
  operation: 'POST /api/v1/enterprises/{uscc}/exclusions/{id}/withdrawal' | 'POST /api/v1/enterprises/{uscc}/status-records/{id}/withdrawal';
  call: (body: { date?: string; reason: string }, key: string) => Promise<{ data?: unknown; error?: import('../../../api/client').Problem }>;
} & Done) {
  const submit = useCallback(
    (values: { date?: Dayjs | null; reason: string }, key: string) => call({ ...(values.date ? { date: toApiDate(values.date)! } : {}), reason: values.reason.trim() }, key),
    [call],
  );
  return (
    <InputDialog title={title} name={name} operation={operation} submitLabel="确认撤销" submit={submit} onClose={onClose} onDone={onDone}>
      <Form.Item label="撤销日期" name="date" rules={pastDateRules('撤销日期', false)} extra="默认今天；不能晚于今天">
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
      <Form.Item label="撤销理由" name="reason" rules={textRules('撤销理由', 500)}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </InputDialog>
  );
}

export function StatusRecordDialog({ uscc, onClose, onDone }: { uscc: string } & Done) {
  const submit = useCallback(
    (values: { condition: 'not_independent_legal_person' | 'not_in_normal_operation'; from: Dayjs; to?: Dayjs | null; reason: string }, key: string) =>
      api.POST('/api/v1/enterprises/{uscc}/status-records', {
        params: { path: { uscc }, header: header(key) },
        body: { condition: values.condition, from: toApiDate(values.from)!, ...(values.to ? { to: toApiDate(values.to)! } : {}), reason: values.reason.trim() },
      }),
    [uscc],
  );
  return (
    <InputDialog title="登记经营状态" name="statusRecord" operation="POST /api/v1/enterprises/{uscc}/status-records" submit={submit} onClose={onClose} onDone={onDone}>
      {(form) => (
        <>
          <Form.Item label="情形" name="condition" rules={[{ required: true, message: '请选择情形' }]}>
            <Select options={optionsOf(STATUS_CONDITION_LABELS)} />
          </Form.Item>
          <Form.Item label="起始日" name="from" rules={pastDateRules('起始日')}>
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item
            label="截止日"
            name="to"
            extra="不填表示至今仍是如此"
            dependencies={['from']}
            rules={[
              {
                validator: async (_rule, value: Dayjs | null | undefined) => {
                  const from = form.getFieldValue('from') as Dayjs | undefined;
                  if (value && from && value.isBefore(from, 'day')) throw new Error('截止日不能早于起始日');
                },
              },
            ]}
          >
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item label="依据与说明" name="reason" rules={textRules('依据与说明', 500)}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </>
      )}
    </InputDialog>
  );
}

export function FeeDialog({ loans, loan, onClose, onDone }: { loans: EnterpriseLoan[]; loan?: EnterpriseLoan } & Done) {
  const submit = useCallback(
    (values: { loanId: string; kind: 'evaluation' | 'guarantee' | 'insurance'; amount: string; paidOn: Dayjs }, key: string) =>
      api.POST('/api/v1/loans/{id}/fees', {
        params: { path: { id: values.loanId }, header: header(key) },
        body: { kind: values.kind, amount: apiAmount(values.amount), paidOn: toApiDate(values.paidOn)! },
      }),
    [],
  );
  return (
    <InputDialog title="登记评估、担保、保险费用" name="fee" operation="POST /api/v1/loans/{id}/fees" initialValues={{ loanId: loan?.id }} submit={submit} onClose={onClose} onDone={onDone}>
      <LoanField loans={loans} />
      <Form.Item label="费用类别" name="kind" rules={[{ required: true, message: '请选择费用类别' }]}>
        <Select options={optionsOf(FEE_KIND_LABELS)} />
      </Form.Item>
      <Form.Item label="金额（元）" name="amount" rules={amountRules()} extra="袁府办字〔2023〕25号 四(三)2：评估、担保、保险费用按 50% 补助，每类每年不超过 5 万元">
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item label="支付日期" name="paidOn" rules={pastDateRules('支付日期')}>
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
    </InputDialog>
  );
}

export function OtherSupportDialog({ loans, loan, defaultYear, onClose, onDone }: { loans: EnterpriseLoan[]; loan?: EnterpriseLoan; defaultYear: number } & Done) {
  const submit = useCallback(
    (values: { loanId: string; programme: string; fiscalLevel: 'national' | 'province' | 'city' | 'district' | 'county'; amount: string; year?: number | null }, key: string) =>
      api.POST('/api/v1/loans/{id}/other-support', {
        params: { path: { id: values.loanId }, header: header(key) },
        body: {
          programme: values.programme.trim(),
          fiscalLevel: values.fiscalLevel,
          amount: apiAmount(values.amount),
          ...(values.year ? { year: values.year } : {}),
        },
      }),
    [],
  );
  return (
    <InputDialog
      title="登记其他项目补助"
      name="otherSupport"
      operation="POST /api/v1/loans/{id}/other-support"
      initialValues={{ loanId: loan?.id, year: defaultYear }}
      submit={submit}
      onClose={onClose}
      onDone={onDone}
    >
      <LoanField loans={loans} />
      <Form.Item label="项目名称" name="programme" rules={textRules('项目名称', 200)}>
        <Input />
      </Form.Item>
      <Form.Item label="财政层级" name="fiscalLevel" rules={[{ required: true, message: '请选择财政层级' }]}>
        <Select options={optionsOf(FISCAL_LEVEL_LABELS)} />
      </Form.Item>
      <Form.Item label="补助金额（元）" name="amount" rules={amountRules()} extra="同级财政的其他补助与本贴息就高不重复：本批次只发放超出部分">
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item label="所属年度" name="year" extra="不填则在该贷款的每个年度批次中扣减" rules={[{ type: 'integer', min: 2000, max: 2100, message: '年度须在 2000 至 2100 之间' }]}>
        <InputNumber style={{ width: 140 }} />
      </Form.Item>
    </InputDialog>
  );
}

function LoanField({ loans }: { loans: EnterpriseLoan[] }) {
  return (
    <Form.Item label="贷款" name="loanId" rules={[{ required: true, message: '请选择贷款' }]}>
      <Select options={loans.map((loan) => ({ value: loan.id, label: `${loan.contractNo}（${loan.startDate} 起）` }))} />
    </Form.Item>
  );
}

export function NameCorrectionDialog({ uscc, name, onClose, onDone }: { uscc: string; name: string } & Done) {
  const submit = useCallback(
    (values: { name: string; reason: string }, key: string) =>
      api.POST('/api/v1/enterprises/{uscc}/name-corrections', { params: { path: { uscc }, header: header(key) }, body: { name: values.name.trim(), reason: values.reason.trim() } }),
    [uscc],
  );
  return (
    <InputDialog title="更正企业名称" name="nameCorrection" operation="POST /api/v1/enterprises/{uscc}/name-corrections" submitLabel="确认更正" initialValues={{ name }} submit={submit} onClose={onClose} onDone={onDone}>
      <Form.Item label="企业名称" name="name" rules={[...textRules('企业名称', 200), { validator: async (_r, value: string | undefined) => { if (value?.trim() === name) throw new Error('与现名称相同'); } }]}>
        <Input />
      </Form.Item>
      <Form.Item label="更正理由" name="reason" rules={textRules('更正理由', 500)} extra="更正记入企业档案和审计日志（原名称、新名称、理由、操作人、时间）">
        <Input.TextArea rows={3} />
      </Form.Item>
    </InputDialog>
  );
}

export function DivisionCorrectionDialog({ uscc, divisionCode, onClose, onDone }: { uscc: string; divisionCode: string } & Done) {
  const submit = useCallback(
    (values: { divisionCode: string; reason: string }, key: string) =>
      api.POST('/api/v1/enterprises/{uscc}/division-corrections', {
        params: { path: { uscc }, header: header(key) },
        body: { divisionCode: values.divisionCode.trim(), reason: values.reason.trim() },
      }),
    [uscc],
  );
  return (
    <InputDialog title="更正注册地行政区划" name="divisionCorrection" operation="POST /api/v1/enterprises/{uscc}/division-corrections" submitLabel="确认更正" initialValues={{ divisionCode }} submit={submit} onClose={onClose} onDone={onDone}>
      <Form.Item
        label="行政区划码"
        name="divisionCode"
        rules={[
          { required: true, message: '请填写行政区划码' },
          { pattern: /^\d{6}$/, message: '行政区划码为 6 位数字，如 360902' },
          { validator: async (_r, value: string | undefined) => { if (value?.trim() === divisionCode) throw new Error('与现行政区划相同'); } },
        ]}
        extra="注册地决定适用哪个区县的政策"
      >
        <Input style={{ width: 160 }} />
      </Form.Item>
      <Form.Item label="更正理由" name="reason" rules={textRules('更正理由', 500)}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </InputDialog>
  );
}
