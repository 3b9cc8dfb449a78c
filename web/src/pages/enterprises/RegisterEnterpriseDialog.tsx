/** POST /api/v1/enterprises, with the USCC checked as it is typed. */
import { Form, Input } from 'antd';
import { useCallback } from 'react';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { FormDialog } from '../../components/FormDialog';
import { checkUscc } from './usccCheck';

type NewEnterprise = NonNullable<paths['/api/v1/enterprises']['post']['requestBody']>['content']['application/json'];
type Enterprise = paths['/api/v1/enterprises']['post']['responses'][201]['content']['application/json'];

export function RegisterEnterpriseDialog({ onClose, onRegistered }: { onClose: () => void; onRegistered: (enterprise: Enterprise) => void }) {
  const [form] = Form.useForm<NewEnterprise>();
  const check = checkUscc(Form.useWatch('uscc', form));
  const register = useCallback(
    (values: NewEnterprise, key: string) =>
      api.POST('/api/v1/enterprises', {
        body: {
          ...values,
          uscc: values.uscc.trim(),
          divisionCode: values.divisionCode?.trim() || undefined,
          divisionReason: values.divisionReason?.trim() || undefined,
        },
        params: { header: { 'Idempotency-Key': key } },
      }),
    [],
  );
  return (
    <FormDialog<NewEnterprise, Enterprise>
      title="登记企业"
      name="newEnterprise"
      okText="登记"
      operation="POST /api/v1/enterprises"
      form={form}
      submit={register}
      onDone={onRegistered}
      onClose={onClose}
    >
      <Form.Item
        label="统一社会信用代码"
        name="uscc"
        hasFeedback={check.state === 'valid' || check.state === 'invalid'}
        extra={check.state === 'typing' ? `还需 ${check.remaining} 位` : check.state === 'valid' ? '校验通过（GB 32100-2015）' : undefined}
        rules={[
          { required: true, message: '请输入统一社会信用代码' },
          {
            validator: async (_, value: string | undefined) => {
              const result = checkUscc(value);
              if (result.state === 'invalid') throw new Error(result.message);
            },
          },
        ]}
      >
        <Input autoFocus maxLength={40} style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      <Form.Item label="企业名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入企业名称' }]}>
        <Input />
      </Form.Item>
      <Form.Item
        label="注册地行政区划码"
        name="divisionCode"
        extra={
          check.state === 'valid'
            ? `不填则取代码第 3–8 位：${check.divisionCode}；填写其他区划须由工作人员说明理由`
            : '6 位；不填则取统一社会信用代码第 3–8 位；填写其他区划须由工作人员说明理由'
        }
      >
        <Input maxLength={6} />
      </Form.Item>
      <Form.Item label="属地与代码不一致的理由" name="divisionReason" extra="仅工作人员填写，与代码第 3–8 位不同的区划必须说明理由（记入审计日志）">
        <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
      </Form.Item>
    </FormDialog>
  );
}
