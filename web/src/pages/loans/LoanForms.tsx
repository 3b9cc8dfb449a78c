/**
 * A bank's single loan and single event, typed in the console instead of a CSV (POST /api/v1/loans,
 * POST /api/v1/loans/{id}/events; docs/api.md "Enterprises and loans"). The API checks everything again and its
 * problem+json errors land on the fields (a pledge's number on that pledge's row).
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, InputNumber, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback } from 'react';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { FormDialog } from '../../components/FormDialog';
import { chinaToday, DATE_FORMAT, toApiDate } from '../../format/date';
import { COLLATERAL_LABELS, EVENT_TYPE_LABELS, optionsOf, RIGHT_TYPE_LABELS } from '../../format/labels';

type NewLoan = NonNullable<paths['/api/v1/loans']['post']['requestBody']>['content']['application/json'];
type CreatedLoan = paths['/api/v1/loans']['post']['responses'][201]['content']['application/json'];
type NewEvent = NonNullable<paths['/api/v1/loans/{id}/events']['post']['requestBody']>['content']['application/json'];

const MONEY = { pattern: /^\d{1,15}(\.\d{1,2})?$/, message: '金额最多两位小数，如 1000000.00' };

interface LoanValues {
  contractNo: string;
  enterpriseUscc: string;
  principal: string;
  annualRatePercent: string;
  startDate: Dayjs;
  maturityDate: Dayjs;
  collateral: NewLoan['collateral'];
  ipPledgedAmount?: string;
  pledges: Array<{ rightType: NewLoan['pledges'][number]['rightType']; number: string; securedAmount?: string }>;
}

/** "4.35" (per cent, as a clerk types it) → "0.0435", moving the decimal point in the string (no float). */
export function percentToRate(text: string): string {
  const [whole = '0', fraction = ''] = text.trim().split('.');
  const digits = whole.padStart(3, '0') + fraction;
  const rate = `${digits.slice(0, digits.length - fraction.length - 2)}.${digits.slice(digits.length - fraction.length - 2)}`;
  return rate.replace(/^0+(?=\d)/, '');
}

export function NewLoanDialog({ onClose, onDone }: { onClose: () => void; onDone: (loan: CreatedLoan) => void }) {
  const [form] = Form.useForm<LoanValues>();
  const collateral = Form.useWatch('collateral', form);
  const submit = useCallback(async (values: LoanValues, key: string) => {
    const outcome = await api.POST('/api/v1/loans', {
      params: { header: { 'Idempotency-Key': key } },
      body: {
        contractNo: values.contractNo.trim(),
        enterpriseUscc: values.enterpriseUscc.trim(),
        principal: values.principal.trim(),
        annualRate: percentToRate(values.annualRatePercent),
        startDate: toApiDate(values.startDate)!,
        maturityDate: toApiDate(values.maturityDate)!,
        collateral: values.collateral,
        ipPledgedAmount: values.collateral === 'combination' ? values.ipPledgedAmount?.trim() || undefined : undefined,
        pledges: values.pledges.map((p) => ({ rightType: p.rightType, number: p.number.trim(), securedAmount: p.securedAmount?.trim() || undefined })),
      },
    });
    // The form asks for the rate in per cent.
    for (const error of outcome.error?.errors ?? []) if (error.path === 'annualRate') error.path = 'annualRatePercent';
    return outcome;
  }, []);
  return (
    <FormDialog<LoanValues, CreatedLoan>
      title="登记贷款"
      name="newLoan"
      okText="登记"
      operation="POST /api/v1/loans"
      form={form}
      submit={submit}
      onDone={onDone}
      onClose={onClose}
      width={640}
      initialValues={{ collateral: 'ip_only', pledges: [{ rightType: 'patent', number: '' }] }}
    >
      <Form.Item label="合同编号" name="contractNo" rules={[{ required: true, whitespace: true, message: '请输入合同编号' }]}>
        <Input autoFocus />
      </Form.Item>
      <Form.Item label="借款企业统一社会信用代码" name="enterpriseUscc" rules={[{ required: true, whitespace: true, message: '请输入统一社会信用代码' }]}>
        <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      <Space wrap>
        <Form.Item label="合同金额（元）" name="principal" rules={[{ required: true, message: '请输入金额' }, MONEY]}>
          <Input inputMode="decimal" placeholder="1000000.00" />
        </Form.Item>
        <Form.Item label="年利率（%）" name="annualRatePercent" rules={[{ required: true, pattern: /^\d{1,2}(\.\d{1,4})?$/, message: '如 4.35' }]}>
          <Input inputMode="decimal" placeholder="4.35" />
        </Form.Item>
      </Space>
      <Space wrap>
        <Form.Item label="起始日" name="startDate" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item label="到期日" name="maturityDate" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </Space>
      <Form.Item label="担保方式" name="collateral" rules={[{ required: true }]}>
        <Select options={optionsOf(COLLATERAL_LABELS)} />
      </Form.Item>
      {collateral === 'combination' && (
        <Form.Item label="知识产权质押金额（元）" name="ipPledgedAmount" rules={[MONEY]} extra="合同未区分知识产权部分的可不填（贴息时将无法认定知识产权占比）">
          <Input inputMode="decimal" />
        </Form.Item>
      )}
      <Form.List name="pledges">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, index) => (
              <Space key={field.key} align="start" wrap>
                <Form.Item label={`质押物 ${index + 1} 类型`} name={[field.name, 'rightType']} rules={[{ required: true, message: '请选择' }]}>
                  <Select style={{ width: 110 }} options={optionsOf(RIGHT_TYPE_LABELS)} />
                </Form.Item>
                <Form.Item label={`质押物 ${index + 1} 号码`} name={[field.name, 'number']} rules={[{ required: true, whitespace: true, message: '请输入专利号或注册号' }]}>
                  <Input style={{ width: 180 }} placeholder="202310123456.6" />
                </Form.Item>
                <Form.Item label={`质押物 ${index + 1} 担保债权数额（元）`} name={[field.name, 'securedAmount']} rules={[MONEY]}>
                  <Input inputMode="decimal" style={{ width: 150 }} />
                </Form.Item>
                {fields.length > 1 && (
                  <Button aria-label={`删除质押物 ${index + 1}`} type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} style={{ marginTop: 30 }} />
                )}
              </Space>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ rightType: 'patent', number: '' })}>
              增加质押物
            </Button>
          </>
        )}
      </Form.List>
    </FormDialog>
  );
}

interface EventValues {
  type: NewEvent['type'];
  date: Dayjs;
  amount?: string;
  daysOverdue?: number;
}

/** The events that carry an amount. */
const WITH_AMOUNT: ReadonlyArray<NewEvent['type']> = ['disbursement', 'interest_payment', 'principal_repayment'];

export function LoanEventDialog({ loan, onClose, onDone }: { loan: { id: string; contractNo: string }; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<EventValues>();
  const type = Form.useWatch('type', form);
  const submit = useCallback(
    (values: EventValues, key: string) =>
      api.POST('/api/v1/loans/{id}/events', {
        params: { path: { id: loan.id }, header: { 'Idempotency-Key': key } },
        body: {
          type: values.type,
          date: toApiDate(values.date)!,
          amount: WITH_AMOUNT.includes(values.type) ? values.amount?.trim() : undefined,
          daysOverdue: values.type === 'overdue' ? values.daysOverdue : undefined,
        },
      }),
    [loan.id],
  );
  return (
    <FormDialog<EventValues, unknown>
      title={`登记事件：贷款 ${loan.contractNo}`}
      name="loanEvent"
      okText="登记"
      operation="POST /api/v1/loans/{id}/events"
      form={form}
      submit={submit}
      onDone={onDone}
      onClose={onClose}
      initialValues={{ type: 'disbursement', date: chinaToday() }}
    >
      <Form.Item label="事件" name="type" rules={[{ required: true, message: '请选择事件' }]}>
        <Select options={optionsOf(EVENT_TYPE_LABELS)} />
      </Form.Item>
      <Form.Item label="日期" name="date" rules={[{ required: true, message: '请选择日期' }]}>
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
      {type && WITH_AMOUNT.includes(type) && (
        <Form.Item label="金额（元）" name="amount" rules={[{ required: true, message: '请输入金额' }, MONEY]}>
          <Input inputMode="decimal" />
        </Form.Item>
      )}
      {type === 'overdue' && (
        <Form.Item label="逾期天数" name="daysOverdue">
          <InputNumber min={1} max={36500} precision={0} />
        </Form.Item>
      )}
    </FormDialog>
  );
}
